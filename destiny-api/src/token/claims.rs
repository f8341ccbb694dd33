//! [`Claims`]: what a JWT-shaped token says about itself, read without verifying it.

use std::cmp::Ordering;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};

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
    /// rather than failing the whole decoding.
    pub fn from_jwt(token: &str) -> Option<Claims> {
        let mut segments = token.split('.');
        let (header, payload, _signature) = (segments.next()?, segments.next()?, segments.next()?);
        if segments.next().is_some() || header.is_empty() || payload.is_empty() {
            return None;
        }
        let json = BASE64URL.decode(payload).ok()?;
        let object: Map<String, Value> = serde_json::from_slice(&json).ok()?;
        Some(Claims {
            iat: object.get("iat").and_then(numeric_date),
            exp: object.get("exp").and_then(numeric_date),
            sub: object.get("sub").and_then(string_or_number),
            jti: object.get("jti").and_then(string_or_number),
        })
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

/// A JWT NumericDate: an integer or a fractional number of seconds.
fn numeric_date(value: &Value) -> Option<i64> {
    let number = value.as_number()?;
    if let Some(seconds) = number.as_i64() {
        return Some(seconds);
    }
    let seconds = number.as_f64()?;
    // `as` saturates at the i64 bounds; NaN cannot come out of JSON.
    seconds.is_finite().then(|| seconds.floor() as i64)
}

fn string_or_number(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
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
