//! JWT-shaped tokens, as the Destiny server issues them: `<header>.<payload>.<signature>`,
//! each segment base64url without padding, the payload carrying an `iat` that only grows.
//!
//! The benchmark server mints one per rotated response; the clients start from
//! [`initial_token`]. Nothing verifies the signature: only the shape and the `iat` matter.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The `iat` of [`initial_token`]; every token the server mints is younger.
pub const INITIAL_IAT: u64 = 1_700_000_000;

/// The `{"typ":"JWT","alg":"HS256"}` header, base64url-encoded.
const HEADER: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9";

/// A JWT-shaped token issued at `iat`, with the claims a Laravel `jwt-auth` server sends
/// (`iss`, `iat`, `exp`, `nbf`, `jti`, `sub`, `prv`), so it is as long as a real one.
///
/// ```
/// let token = destiny_bench::token::jwt_shaped(1_700_000_123);
/// assert_eq!(token.split('.').count(), 3);
/// assert!(token.starts_with("eyJ"));
/// ```
pub fn jwt_shaped(iat: u64) -> String {
    let payload = format!(
        r#"{{"iss":"http://127.0.0.1/api/v1/auth/login","iat":{iat},"exp":{exp},"nbf":{iat},"jti":"{jti:016x}","sub":"8415","prv":"23bd5c8949f600adb39e701c400872db7a5976f7"}}"#,
        exp = iat + 3600,
        jti = iat.wrapping_mul(0x9e37_79b9_7f4a_7c15),
    );
    let mut signature = [0u8; 32];
    for (i, chunk) in signature.chunks_mut(8).enumerate() {
        let word = iat.rotate_left(i as u32 * 16) ^ 0x5bd1_e995_c2b2_ae35;
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    format!(
        "{HEADER}.{}.{}",
        URL_SAFE_NO_PAD.encode(payload),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// The token every client starts with: older than any the server mints.
pub fn initial_token() -> String {
    jwt_shaped(INITIAL_IAT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iat_of(token: &str) -> u64 {
        let payload = token.split('.').nth(1).unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        json["iat"].as_u64().unwrap()
    }

    #[test]
    fn token_has_three_base64url_segments_and_a_jwt_header() {
        let token = jwt_shaped(INITIAL_IAT + 7);
        let segments: Vec<&str> = token.split('.').collect();
        assert_eq!(segments.len(), 3);
        for segment in &segments {
            assert!(URL_SAFE_NO_PAD.decode(segment).is_ok(), "{segment}");
        }
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segments[0]).unwrap()).unwrap();
        assert_eq!(header["typ"], "JWT");
    }

    #[test]
    fn payload_carries_the_iat_it_was_minted_with() {
        assert_eq!(iat_of(&jwt_shaped(INITIAL_IAT + 42)), INITIAL_IAT + 42);
        assert_eq!(iat_of(&initial_token()), INITIAL_IAT);
    }

    #[test]
    fn tokens_of_different_iat_differ_in_payload_and_signature() {
        let a = jwt_shaped(INITIAL_IAT + 1);
        let b = jwt_shaped(INITIAL_IAT + 2);
        let (a, b): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
        assert_eq!(a[0], b[0]);
        assert_ne!(a[1], b[1]);
        assert_ne!(a[2], b[2]);
    }
}
