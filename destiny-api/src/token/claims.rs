//! [`Claims`]: what a JWT-shaped token says about itself, read without verifying it.

use std::cmp::Ordering;
use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// base64url, with or without `=` padding.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The registered claims of a JWT payload that the SDK uses to order tokens.
///
/// They are decoded from the middle segment of a token shaped like a JWT (three base64url
/// segments separated by dots, the middle one a JSON object). The signature is **not** checked:
/// the claims only decide which of two tokens received from the server is the newer one, never
/// whether a token is trustworthy. A token of another shape simply has no claims.
///
/// ```
/// use destiny_api::token::Claims;
///
/// // {"iat":1700000000,"exp":1700604800,"sub":8415}
/// let token = "eyJ0eXAiOiJKV1QifQ.eyJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDYwNDgwMCwic3ViIjo4NDE1fQ.c2ln";
/// let claims = Claims::from_jwt(token).unwrap();
/// assert_eq!(claims.iat, Some(1_700_000_000));
/// assert_eq!(claims.exp, Some(1_700_604_800));
/// assert_eq!(claims.sub.as_deref(), Some("8415"));
/// assert_eq!(claims.jti, None);
///
/// assert_eq!(Claims::from_jwt("opaque-token"), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claims {
    /// Issued at, in seconds since the Unix epoch (fractions are dropped).
    pub iat: Option<i64>,
    /// Expiry, in seconds since the Unix epoch (fractions are dropped).
    pub exp: Option<i64>,
    /// Subject (the user); a JSON number is turned into its decimal text.
    pub sub: Option<String>,
    /// Token id; a JSON number is turned into its decimal text.
    pub jti: Option<String>,
}

impl Claims {
    /// Decodes the claims of a JWT-shaped token, or `None` when the token is not shaped like a
    /// JWT (not three segments, payload not base64url, payload not a JSON object).
    ///
    /// Never panics, whatever the input. A claim of an unexpected JSON type is left out (`None`)
    /// rather than failing the whole decoding; claims other than these four are skipped
    /// without being stored.
    pub fn from_jwt(token: &str) -> Option<Claims> {
        let mut segments = token.split('.');
        let (header, payload, _signature) = (segments.next()?, segments.next()?, segments.next()?);
        if segments.next().is_some() || header.is_empty() || payload.is_empty() {
            return None;
        }
        // Payloads of the size servers send decode on the stack; larger ones on the heap.
        let mut stack = [0u8; STACK_PAYLOAD];
        let heap;
        let json: &[u8] = if base64::decoded_len_estimate(payload.len()) <= STACK_PAYLOAD {
            let len = BASE64URL.decode_slice(payload, &mut stack).ok()?;
            &stack[..len]
        } else {
            heap = BASE64URL.decode(payload).ok()?;
            &heap
        };
        serde_json::from_slice::<Payload>(json).ok().map(|p| p.0)
    }

    /// Orders two tokens by when they were issued: by `iat`, then, when the `iat`s are equal
    /// and both have one, by `exp`.
    ///
    /// `None` when either side has no `iat`: such tokens cannot be ordered by their content.
    ///
    /// ```
    /// use std::cmp::Ordering;
    /// use destiny_api::token::Claims;
    ///
    /// let at = |iat, exp| Claims { iat: Some(iat), exp: Some(exp), ..Claims::default() };
    /// assert_eq!(at(20, 99).issue_order(&at(10, 99)), Some(Ordering::Greater));
    /// assert_eq!(at(10, 100).issue_order(&at(10, 99)), Some(Ordering::Greater));
    /// assert_eq!(Claims::default().issue_order(&at(10, 99)), None);
    /// ```
    pub fn issue_order(&self, other: &Claims) -> Option<Ordering> {
        let by_iat = self.iat?.cmp(&other.iat?);
        Some(match (by_iat, self.exp, other.exp) {
            (Ordering::Equal, Some(mine), Some(theirs)) => mine.cmp(&theirs),
            (order, _, _) => order,
        })
    }
}

/// Payloads up to this many bytes are decoded into a buffer on the stack.
const STACK_PAYLOAD: usize = 1024;

/// The payload of a JWT: a JSON object, of which only the four claims are kept.
struct Payload(Claims);

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PayloadVisitor)
    }
}

struct PayloadVisitor;

impl<'de> Visitor<'de> for PayloadVisitor {
    type Value = Payload;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of JWT claims")
    }

    /// Reads the object; a claim that appears twice keeps its last value.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Payload, A::Error> {
        let mut claims = Claims::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Iat => claims.iat = map.next_value::<Claim>()?.numeric_date(),
                Key::Exp => claims.exp = map.next_value::<Claim>()?.numeric_date(),
                Key::Sub => claims.sub = map.next_value::<Claim>()?.string_or_number(),
                Key::Jti => claims.jti = map.next_value::<Claim>()?.string_or_number(),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Payload(claims))
    }
}

/// A claim name: one of the four kept, or another.
enum Key {
    Iat,
    Exp,
    Sub,
    Jti,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a claim name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
                Ok(match name {
                    "iat" => Key::Iat,
                    "exp" => Key::Exp,
                    "sub" => Key::Sub,
                    "jti" => Key::Jti,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// The value of a kept claim, whatever its JSON type.
enum Claim {
    Integer(i64),
    /// An unsigned integer above `i64::MAX`.
    Huge(u64),
    Fraction(f64),
    Text(String),
    /// `null`, a boolean, an array or an object: not a usable claim.
    Unusable,
}

impl Claim {
    /// A JWT NumericDate: an integer or a fractional number of seconds.
    fn numeric_date(self) -> Option<i64> {
        match self {
            Claim::Integer(seconds) => Some(seconds),
            Claim::Huge(_) => Some(i64::MAX),
            // `as` saturates at the i64 bounds; NaN and infinities cannot come out of JSON.
            Claim::Fraction(seconds) => seconds.is_finite().then(|| seconds.floor() as i64),
            Claim::Text(_) | Claim::Unusable => None,
        }
    }

    /// A string, or a number as its decimal text (as JSON writes it).
    fn string_or_number(self) -> Option<String> {
        match self {
            Claim::Text(text) => Some(text),
            Claim::Integer(number) => Some(number.to_string()),
            Claim::Huge(number) => Some(number.to_string()),
            Claim::Fraction(number) => serde_json::Number::from_f64(number).map(|n| n.to_string()),
            Claim::Unusable => None,
        }
    }
}

impl<'de> Deserialize<'de> for Claim {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ClaimVisitor)
    }
}

struct ClaimVisitor;

impl<'de> Visitor<'de> for ClaimVisitor {
    type Value = Claim;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Claim, E> {
        Ok(Claim::Integer(value))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Claim, E> {
        Ok(i64::try_from(value).map_or(Claim::Huge(value), Claim::Integer))
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Claim, E> {
        Ok(Claim::Fraction(value))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Claim, E> {
        Ok(Claim::Text(value.to_owned()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Claim, E> {
        Ok(Claim::Unusable)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Claim, E> {
        Ok(Claim::Unusable)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Claim, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Claim::Unusable)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Claim, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Claim::Unusable)
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};

    use super::*;

    fn jwt(payload: &str) -> String {
        let header = URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"HS256"}"#);
        format!("{header}.{}.c2lnbmF0dXJl", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn all_four_claims_are_read_from_a_jwt_payload() {
        let claims = Claims::from_jwt(&jwt(
            r#"{"iat":100,"exp":200,"sub":"demo","jti":"abc","nbf":1}"#,
        ))
        .unwrap();
        assert_eq!(
            claims,
            Claims {
                iat: Some(100),
                exp: Some(200),
                sub: Some("demo".into()),
                jti: Some("abc".into()),
            }
        );
    }

    #[test]
    fn numeric_subject_is_read_as_its_decimal_text() {
        let claims = Claims::from_jwt(&jwt(r#"{"sub":8415,"jti":7}"#)).unwrap();
        assert_eq!(claims.sub.as_deref(), Some("8415"));
        assert_eq!(claims.jti.as_deref(), Some("7"));
    }

    #[test]
    fn padded_and_unpadded_payloads_both_decode() {
        // 13 bytes: the padded form ends with "==".
        let payload = r#"{"iat":12345}"#;
        let padded = format!("eyJ0IjoxfQ.{}.sig", URL_SAFE.encode(payload));
        assert!(padded.contains('='));
        let unpadded = format!("eyJ0IjoxfQ.{}.sig", URL_SAFE_NO_PAD.encode(payload));
        assert_eq!(Claims::from_jwt(&padded).unwrap().iat, Some(12345));
        assert_eq!(Claims::from_jwt(&unpadded).unwrap().iat, Some(12345));
    }

    #[test]
    fn fractional_dates_are_truncated_to_whole_seconds() {
        let claims = Claims::from_jwt(&jwt(r#"{"iat":100.9,"exp":-1.5}"#)).unwrap();
        assert_eq!((claims.iat, claims.exp), (Some(100), Some(-2)));
    }

    #[test]
    fn claims_of_unexpected_types_are_left_out() {
        let claims =
            Claims::from_jwt(&jwt(r#"{"iat":"100","exp":null,"sub":[1],"jti":{"a":1}}"#)).unwrap();
        assert_eq!(claims, Claims::default());
        let huge = Claims::from_jwt(&jwt(r#"{"iat":18446744073709551615}"#)).unwrap();
        assert_eq!(huge.iat, Some(i64::MAX));
    }

    #[test]
    fn tokens_not_shaped_like_a_jwt_have_no_claims() {
        let garbage = [
            String::new(),
            "opaque".into(),
            "a.b".into(),
            "..".into(),
            ".e30.".into(),
            "a.!!!!.c".into(),
            format!("{}.extra", jwt(r#"{"iat":1}"#)),
            jwt("not json"),
            jwt("[1,2,3]"),
            jwt("123"),
            jwt(""),
            jwt(&"[".repeat(5000)),
            "e30.\u{e9}\u{e9}.x".into(),
        ];
        for token in garbage {
            assert_eq!(Claims::from_jwt(&token), None, "token {token:?}");
        }
    }

    #[test]
    fn other_claims_of_any_shape_are_skipped_and_a_repeated_claim_keeps_its_last_value() {
        let claims = Claims::from_jwt(&jwt(
            r#"{"iss":"https://x","prv":{"a":[1,{"b":null}]},"iat":1,"nbf":2.5,"iat":3,"sub":"d\u00e9mo"}"#,
        ))
        .unwrap();
        assert_eq!(claims.iat, Some(3));
        assert_eq!(claims.sub.as_deref(), Some("d\u{e9}mo"));
    }

    #[test]
    fn payloads_larger_than_the_stack_buffer_decode_too() {
        let padding = "x".repeat(4 * STACK_PAYLOAD);
        let claims = Claims::from_jwt(&jwt(&format!(r#"{{"pad":"{padding}","iat":77}}"#))).unwrap();
        assert_eq!(claims.iat, Some(77));
        assert_eq!(Claims::from_jwt(&format!("e30.{padding}!.x")), None);
    }

    #[test]
    fn empty_signature_is_still_a_jwt() {
        let token = format!("e30.{}.", URL_SAFE_NO_PAD.encode(r#"{"iat":5}"#));
        assert_eq!(Claims::from_jwt(&token).unwrap().iat, Some(5));
    }

    #[test]
    fn later_iat_wins_and_exp_breaks_ties() {
        let at = |iat: Option<i64>, exp: Option<i64>| Claims {
            iat,
            exp,
            ..Claims::default()
        };
        assert_eq!(
            at(Some(2), Some(1)).issue_order(&at(Some(1), Some(9))),
            Some(Ordering::Greater)
        );
        assert_eq!(
            at(Some(1), Some(9)).issue_order(&at(Some(2), Some(1))),
            Some(Ordering::Less)
        );
        assert_eq!(
            at(Some(1), Some(9)).issue_order(&at(Some(1), Some(8))),
            Some(Ordering::Greater)
        );
        assert_eq!(
            at(Some(1), Some(8)).issue_order(&at(Some(1), Some(8))),
            Some(Ordering::Equal)
        );
        assert_eq!(
            at(Some(1), None).issue_order(&at(Some(1), Some(8))),
            Some(Ordering::Equal)
        );
        assert_eq!(at(None, Some(9)).issue_order(&at(Some(1), Some(8))), None);
        assert_eq!(at(Some(1), Some(9)).issue_order(&at(None, Some(8))), None);
    }
}
