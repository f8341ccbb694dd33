//! [`BearerToken`]: one validated token, ready to be sent.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use super::header_check::{SCHEME, check_token_bytes, token_in_header};
use super::{Claims, TokenRejected};

/// Marks a token that no [`TokenCell`](super::TokenCell) has stored.
pub(crate) const NOT_STORED: u64 = 0;

/// One validated bearer token.
///
/// It holds the raw token (in a [`SecretString`], zeroized on drop), the ready
/// `Authorization` value `bearer <token>` (marked sensitive, built once so that sending it is a
/// clone), and the token's JWT [`Claims`], decoded on first use and then kept.
///
/// The value is never printed: `Debug` shows only a [fingerprint](BearerToken::fingerprint),
/// and there is no `Display`. Read the raw token with [`BearerToken::expose`] where it must be
/// stored.
///
/// The cached header value is held by the HTTP library's own byte buffer, which cannot be
/// zeroized; only the raw copy is.
///
/// ```
/// use destiny_api::token::BearerToken;
///
/// let token = BearerToken::new("eyJ0eXAi.eyJpYXQiOjF9.c2ln")?;
/// assert_eq!(token.header_value(), "bearer eyJ0eXAi.eyJpYXQiOjF9.c2ln");
/// assert!(token.header_value().is_sensitive());
/// assert_eq!(token.claims().and_then(|c| c.iat), Some(1));
/// assert!(!format!("{token:?}").contains("eyJ"));
/// # Ok::<(), destiny_api::token::TokenRejected>(())
/// ```
pub struct BearerToken {
    secret: SecretString,
    header: HeaderValue,
    claims: OnceLock<Option<Claims>>,
    fingerprint: OnceLock<u32>,
    /// Which generation of a `TokenCell` stored this token ([`NOT_STORED`] if none did). Set
    /// by the cell before the token is published, never changed afterwards.
    generation: AtomicU64,
}

impl BearerToken {
    /// Validates a raw token (without the `bearer ` scheme).
    ///
    /// The token must be 1 to [`MAX_TOKEN_LEN`](super::MAX_TOKEN_LEN) visible ASCII
    /// characters (`!` to `~`): no whitespace, no line breaks, no control or non-ASCII
    /// characters. The input string is zeroized whether or not it is accepted.
    ///
    /// ```
    /// use destiny_api::token::{BearerToken, TokenRejected};
    ///
    /// assert!(BearerToken::new("abc.def.ghi").is_ok());
    /// assert_eq!(BearerToken::new("").unwrap_err(), TokenRejected::Empty);
    /// assert_eq!(BearerToken::new("bearer abc").unwrap_err(), TokenRejected::Whitespace);
    /// ```
    pub fn new(token: impl Into<String>) -> Result<BearerToken, TokenRejected> {
        let mut raw: String = token.into();
        let result = check_token_bytes(raw.as_bytes()).and_then(|()| Self::build(&raw));
        raw.zeroize();
        result
    }

    /// Reads an `Authorization` value of the form `bearer <token>`.
    ///
    /// The scheme is matched in any letter case (`Bearer` and `BEARER` too) and is always sent
    /// back lowercase. One or more spaces may separate it from the token (RFC 7235 `1*SP`); a
    /// tab may not, and nothing may follow the token. The token obeys the rules of
    /// [`BearerToken::new`].
    ///
    /// ```
    /// use destiny_api::token::{BearerToken, TokenRejected};
    /// use reqwest::header::HeaderValue;
    ///
    /// let token = BearerToken::from_header_value(&HeaderValue::from_static("Bearer abc"))?;
    /// assert_eq!(token.expose(), "abc");
    /// assert_eq!(token.header_value(), "bearer abc");
    ///
    /// let basic = HeaderValue::from_static("Basic dXNlcjpwYXNz");
    /// assert_eq!(BearerToken::from_header_value(&basic).unwrap_err(), TokenRejected::OtherScheme);
    /// # Ok::<(), TokenRejected>(())
    /// ```
    pub fn from_header_value(value: &HeaderValue) -> Result<BearerToken, TokenRejected> {
        let raw = token_in_header(value)?;
        if value.len() == SCHEME.len() + 1 + raw.len()
            && value.as_bytes().starts_with(SCHEME.as_bytes())
        {
            // Already the exact value to send (`bearer <token>`, checked above): share its
            // bytes instead of building and checking the same value again.
            let mut header = value.clone();
            header.set_sensitive(true);
            return Ok(Self::with_header(raw, header));
        }
        Self::build(raw)
    }

    /// Reads the bearer token of a response's headers; see
    /// [`from_response_headers`](super::from_response_headers).
    pub fn from_response_headers(
        headers: &HeaderMap,
    ) -> Option<Result<BearerToken, TokenRejected>> {
        super::from_response_headers(headers)
    }

    /// Builds the token from an already checked raw value.
    fn build(raw: &str) -> Result<BearerToken, TokenRejected> {
        let mut value = String::with_capacity(SCHEME.len() + 1 + raw.len());
        value.push_str(SCHEME);
        value.push(' ');
        value.push_str(raw);
        // Moving the `String` in hands its buffer over without a copy. The check already
        // passed, so this cannot fail; map the error anyway rather than panic.
        let mut header =
            HeaderValue::try_from(value).map_err(|_| TokenRejected::InvalidCharacter)?;
        header.set_sensitive(true);
        Ok(Self::with_header(raw, header))
    }

    /// The token `raw` with its ready header value `bearer <raw>`, marked sensitive.
    fn with_header(raw: &str, header: HeaderValue) -> BearerToken {
        BearerToken {
            secret: SecretString::from(raw),
            header,
            claims: OnceLock::new(),
            fingerprint: OnceLock::new(),
            generation: AtomicU64::new(NOT_STORED),
        }
    }

    /// The ready `Authorization` value, `bearer <token>`, marked sensitive.
    pub fn header_value(&self) -> &HeaderValue {
        &self.header
    }

    /// The raw token, for the one place that must store or compare it. Never log it.
    pub fn expose(&self) -> &str {
        self.secret.expose_secret()
    }

    /// The JWT claims of the token, or `None` if it is not shaped like a JWT.
    ///
    /// Decoded on the first call and kept, so a token is decoded at most once.
    pub fn claims(&self) -> Option<&Claims> {
        self.claims
            .get_or_init(|| Claims::from_jwt(self.expose()))
            .as_ref()
    }

    /// A short label that tells tokens apart in logs without revealing them, e.g.
    /// `tok:3f9a1c2e`: the first 32 bits of the SHA-256 of the token.
    ///
    /// ```
    /// use destiny_api::token::BearerToken;
    ///
    /// let token = BearerToken::new("abc")?;
    /// let label = token.fingerprint();
    /// assert!(label.starts_with("tok:") && label.len() == 12);
    /// assert_eq!(label, BearerToken::new("abc")?.fingerprint());
    /// assert_ne!(label, BearerToken::new("abd")?.fingerprint());
    /// # Ok::<(), destiny_api::token::TokenRejected>(())
    /// ```
    pub fn fingerprint(&self) -> String {
        let bits = *self.fingerprint.get_or_init(|| {
            let digest = Sha256::digest(self.expose().as_bytes());
            u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
        });
        format!("tok:{bits:08x}")
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Records which cell generation stores this token. Only called on a token that is not
    /// yet visible to any other thread.
    pub(crate) fn set_generation(&self, generation: u64) {
        self.generation.store(generation, Ordering::Release);
    }
}

/// A clone is a token that no cell has stored yet.
impl Clone for BearerToken {
    fn clone(&self) -> Self {
        BearerToken {
            secret: self.secret.clone(),
            header: self.header.clone(),
            claims: self.claims.clone(),
            fingerprint: self.fingerprint.clone(),
            generation: AtomicU64::new(NOT_STORED),
        }
    }
}

/// Two tokens are equal when their values are (not in constant time).
impl PartialEq for BearerToken {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for BearerToken {}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerToken")
            .field("fingerprint", &self.fingerprint())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "eyJ0eXAiOiJKV1QifQ.eyJpYXQiOjQyfQ.c2VjcmV0LXNpZ25hdHVyZQ";

    #[test]
    fn debug_shows_the_fingerprint_and_never_the_token() {
        let token = BearerToken::new(SECRET).unwrap();
        let printed = format!("{token:?} {token:#?} {:?}", token.header_value());
        assert!(!printed.contains("c2VjcmV0"), "{printed}");
        assert!(!printed.contains("eyJ"), "{printed}");
        assert_eq!(
            format!("{token:?}"),
            format!("BearerToken {{ fingerprint: \"{}\" }}", token.fingerprint())
        );
    }

    #[test]
    fn header_value_is_the_lowercase_scheme_and_the_token_marked_sensitive() {
        let token = BearerToken::new(SECRET).unwrap();
        assert_eq!(
            token.header_value().as_bytes(),
            format!("bearer {SECRET}").as_bytes()
        );
        assert!(token.header_value().is_sensitive());
        assert_eq!(token.expose(), SECRET);
    }

    #[test]
    fn header_value_and_raw_token_round_trip() {
        let token = BearerToken::new(SECRET).unwrap();
        let again = BearerToken::from_header_value(token.header_value()).unwrap();
        assert_eq!(again, token);
        assert!(again.header_value().is_sensitive());
    }

    #[test]
    fn claims_are_decoded_once_and_kept() {
        let token = BearerToken::new(SECRET).unwrap();
        let first: *const Claims = token.claims().unwrap();
        let second: *const Claims = token.claims().unwrap();
        assert_eq!(first, second);
        assert_eq!(token.claims().unwrap().iat, Some(42));
        assert_eq!(BearerToken::new("opaque").unwrap().claims(), None);
    }

    #[test]
    fn a_received_value_already_in_sending_form_is_shared_and_marked_sensitive() {
        let received = HeaderValue::from_static("bearer abc.def.ghi");
        assert!(!received.is_sensitive());
        let token = BearerToken::from_header_value(&received).unwrap();
        assert_eq!(token.header_value(), &received);
        assert!(token.header_value().is_sensitive());
        assert_eq!(token.expose(), "abc.def.ghi");
        // Other spellings are rebuilt in the sending form.
        for other in ["Bearer abc.def.ghi", "bearer  abc.def.ghi"] {
            let token = BearerToken::from_header_value(&HeaderValue::from_static(other)).unwrap();
            assert_eq!(token.header_value(), "bearer abc.def.ghi");
            assert!(token.header_value().is_sensitive());
        }
    }

    #[test]
    fn equality_compares_token_values() {
        let a = BearerToken::new("same").unwrap();
        let b = BearerToken::from_header_value(&HeaderValue::from_static("Bearer same")).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, BearerToken::new("other").unwrap());
    }

    #[test]
    fn fingerprint_is_stable_short_and_does_not_contain_the_token() {
        let token = BearerToken::new("abcdefgh").unwrap();
        let label = token.fingerprint();
        assert_eq!(label, token.clone().fingerprint());
        assert_eq!(label.len(), "tok:".len() + 8);
        assert!(label["tok:".len()..].chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!label.contains("abcdefgh"));
        // SHA-256("abcdefgh") starts with 9c56cc51.
        assert_eq!(label, "tok:9c56cc51");
    }

    #[test]
    fn a_clone_is_not_marked_as_stored() {
        let token = BearerToken::new("abc").unwrap();
        token.set_generation(7);
        assert_eq!(token.generation(), 7);
        assert_eq!(token.clone().generation(), NOT_STORED);
    }
}
