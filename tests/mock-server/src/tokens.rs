//! JWT-shaped bearer tokens: `header.payload.signature`, base64url without padding,
//! HS256 over a key drawn at random for each server, so a forged or altered token fails.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The claims a mock token carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenClaims {
    /// The user id.
    pub sub: i64,
    /// Issued at, seconds since the Unix epoch. Strictly increasing across all tokens of one
    /// server: when several tokens are issued within one second, each gets the previous
    /// `iat` plus one, so clients can order tokens by `iat`.
    pub iat: i64,
    /// Expires at, seconds since the Unix epoch (issue time plus the token validity).
    pub exp: i64,
    /// A unique token id.
    pub jti: String,
}

/// Why a token was not accepted. The text is what the 401 answer's `warnings` say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No `Authorization: bearer <token>` header on a request that needs one.
    #[error("Authentication required: send `Authorization: bearer <token>` (log in first).")]
    Missing,
    /// Not three base64url segments with a JSON header and payload.
    #[error("The token is malformed; log in again.")]
    Malformed,
    /// The signature does not match: forged, altered or from another server.
    #[error("The token signature is invalid; log in again.")]
    BadSignature,
    /// Signed by this server but not known to it.
    #[error("The token is unknown; log in again.")]
    Unknown,
    /// Older than the token validity (7 days by default).
    #[error("The token has expired; log in again.")]
    Expired,
    /// Its session was logged out.
    #[error("The token was revoked by a logout; log in again.")]
    Revoked,
}

const HEADER_JSON: &str = r#"{"typ":"JWT","alg":"HS256"}"#;

#[derive(Deserialize)]
struct Header {
    alg: String,
}

/// Signs and verifies tokens with one server's key.
#[derive(Clone)]
pub(crate) struct TokenSigner {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSigner([redacted key])")
    }
}

impl TokenSigner {
    /// A signer with a fresh random 512-bit key.
    pub(crate) fn random() -> Self {
        let key: [u8; 64] = rand::random();
        Self {
            mac: <Hmac<Sha256> as KeyInit>::new(&key.into()),
        }
    }

    /// The compact token for `claims`.
    pub(crate) fn sign(&self, claims: &TokenClaims) -> String {
        let payload = serde_json::json!({
            "sub": claims.sub,
            "iat": claims.iat,
            "exp": claims.exp,
            "jti": claims.jti,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER_JSON),
            URL_SAFE_NO_PAD.encode(payload.to_string())
        );
        let mut mac = self.mac.clone();
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// The claims of `token` if this server signed it. Says nothing about expiry or
    /// revocation: the session store decides those.
    pub(crate) fn verify(&self, token: &str) -> Result<TokenClaims, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Malformed)?;
        let mut mac = self.mac.clone();
        mac.update(header.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| TokenError::BadSignature)?;
        let header: Header = decode_json(header)?;
        if header.alg != "HS256" {
            return Err(TokenError::Malformed);
        }
        decode_json(payload)
    }
}

fn decode_json<T: serde::de::DeserializeOwned>(segment: &str) -> Result<T, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| TokenError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| TokenError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> TokenClaims {
        TokenClaims {
            sub: 8415,
            iat: 1_700_000_000,
            exp: 1_700_604_800,
            jti: "abc".to_owned(),
        }
    }

    #[test]
    fn a_signed_token_verifies_and_returns_its_claims() {
        let signer = TokenSigner::random();
        let token = signer.sign(&claims());
        assert!(token.starts_with("eyJ0eXAiOiJKV1QiLCJh"), "{token}");
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(signer.verify(&token), Ok(claims()));
    }

    #[test]
    fn a_token_from_another_server_fails_the_signature_check() {
        let token = TokenSigner::random().sign(&claims());
        assert_eq!(
            TokenSigner::random().verify(&token),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn a_payload_altered_after_signing_fails_the_signature_check() {
        let signer = TokenSigner::random();
        let token = signer.sign(&claims());
        let parts: Vec<&str> = token.split('.').collect();
        let forged_payload =
            URL_SAFE_NO_PAD.encode(r#"{"sub":1,"iat":1,"exp":9999999999,"jti":"abc"}"#);
        let forged = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
        assert_eq!(signer.verify(&forged), Err(TokenError::BadSignature));
    }

    #[test]
    fn text_that_is_not_three_segments_is_malformed() {
        let signer = TokenSigner::random();
        for text in ["", "abc", "a.b", "a.b.c.d", "a.b.!!!"] {
            assert_eq!(signer.verify(text), Err(TokenError::Malformed), "{text}");
        }
    }

    #[test]
    fn the_signer_never_prints_its_key() {
        assert_eq!(
            format!("{:?}", TokenSigner::random()),
            "TokenSigner([redacted key])"
        );
    }
}
