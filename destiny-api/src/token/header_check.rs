//! The rules that decide whether a string or an `Authorization` header value holds an
//! acceptable bearer token.
//!
//! A token is one run of visible ASCII characters (`!` to `~`, bytes 0x21 to 0x7E), at least one
//! and at most [`MAX_TOKEN_LEN`] bytes long. An `Authorization` value is the scheme `bearer`
//! (any letter case), one or more spaces (RFC 7235 `1*SP`), then the token and nothing else.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use super::{BearerToken, TokenRejected};

/// The longest token accepted, in bytes (8 KiB).
pub const MAX_TOKEN_LEN: usize = 8 * 1024;

/// The authentication scheme, as it is sent. Incoming values are matched case-insensitively.
pub(crate) const SCHEME: &str = "bearer";

/// Checks the raw token bytes (no scheme) against the rules of this module.
pub(crate) fn check_token_bytes(token: &[u8]) -> Result<(), TokenRejected> {
    if token.is_empty() {
        return Err(TokenRejected::Empty);
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenRejected::too_long(token.len()));
    }
    for &byte in token {
        match byte {
            0x21..=0x7E => {}
            b'\r' | b'\n' => return Err(TokenRejected::LineBreak),
            b' ' | b'\t' => return Err(TokenRejected::Whitespace),
            _ => return Err(TokenRejected::InvalidCharacter),
        }
    }
    Ok(())
}

/// Finds the token inside an `Authorization` value of the form `bearer <token>`.
///
/// The scheme is matched case-insensitively; one or more spaces may separate it from the
/// token; nothing may follow the token (trailing whitespace counts as whitespace inside it).
pub(crate) fn token_in_header(value: &HeaderValue) -> Result<&str, TokenRejected> {
    let bytes = value.as_bytes();
    if bytes.is_empty() {
        return Err(TokenRejected::Empty);
    }
    let Some(space) = bytes.iter().position(|&b| b == b' ') else {
        return Err(if bytes.eq_ignore_ascii_case(SCHEME.as_bytes()) {
            TokenRejected::Empty
        } else {
            TokenRejected::MissingScheme
        });
    };
    let (scheme, rest) = bytes.split_at(space);
    if scheme.is_empty() {
        return Err(TokenRejected::MissingScheme);
    }
    if !scheme.eq_ignore_ascii_case(SCHEME.as_bytes()) {
        return Err(TokenRejected::OtherScheme);
    }
    let start = rest.iter().position(|&b| b != b' ').unwrap_or(rest.len());
    let token = &rest[start..];
    check_token_bytes(token)?;
    // Every byte is visible ASCII now, so this cannot fail; map the error rather than panic.
    std::str::from_utf8(token).map_err(|_| TokenRejected::InvalidCharacter)
}

/// Reads the bearer token of a response's headers.
///
/// Returns `None` when there is no `Authorization` header, `Some(Err(TokenRejected::Multiple))`
/// when there are several (none of them is trusted), and otherwise the result of
/// [`BearerToken::from_header_value`]. Logging a rejection is the caller's job; the error's
/// `Display` is safe to log.
///
/// ```
/// use destiny_api::token::{from_response_headers, TokenRejected};
/// use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// assert!(from_response_headers(&headers).is_none());
///
/// headers.insert(AUTHORIZATION, HeaderValue::from_static("bearer abc.def.ghi"));
/// let token = from_response_headers(&headers).unwrap().unwrap();
/// assert_eq!(token.expose(), "abc.def.ghi");
///
/// headers.append(AUTHORIZATION, HeaderValue::from_static("bearer other"));
/// assert_eq!(
///     from_response_headers(&headers).unwrap().unwrap_err(),
///     TokenRejected::Multiple { count: 2 }
/// );
/// ```
pub fn from_response_headers(headers: &HeaderMap) -> Option<Result<BearerToken, TokenRejected>> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let first = values.next()?;
    let others = values.count();
    if others > 0 {
        return Some(Err(TokenRejected::Multiple { count: others + 1 }));
    }
    Some(BearerToken::from_header_value(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(bytes: &[u8]) -> HeaderValue {
        HeaderValue::from_bytes(bytes).unwrap()
    }

    #[test]
    fn malformed_header_values_are_each_rejected_with_their_reason() {
        let too_long = format!("bearer {}", "a".repeat(MAX_TOKEN_LEN + 1));
        let cases: Vec<(&str, Vec<u8>, TokenRejected)> = vec![
            (
                "other scheme",
                b"Basic dXNlcjpwYXNz".to_vec(),
                TokenRejected::OtherScheme,
            ),
            (
                "token scheme",
                b"Token abc".to_vec(),
                TokenRejected::OtherScheme,
            ),
            (
                "scheme glued to token",
                b"bearerabc".to_vec(),
                TokenRejected::MissingScheme,
            ),
            (
                "no scheme",
                b"eyJhbGciOi.eyJpYXQiOjF9.sig".to_vec(),
                TokenRejected::MissingScheme,
            ),
            (
                "leading space",
                b" bearer abc".to_vec(),
                TokenRejected::MissingScheme,
            ),
            ("empty value", b"".to_vec(), TokenRejected::Empty),
            ("scheme only", b"bearer".to_vec(), TokenRejected::Empty),
            (
                "scheme and space",
                b"bearer ".to_vec(),
                TokenRejected::Empty,
            ),
            (
                "scheme and spaces",
                b"bearer    ".to_vec(),
                TokenRejected::Empty,
            ),
            (
                "space inside",
                b"bearer abc def".to_vec(),
                TokenRejected::Whitespace,
            ),
            (
                "trailing space",
                b"bearer abc ".to_vec(),
                TokenRejected::Whitespace,
            ),
            (
                "tab inside",
                b"bearer abc\tdef".to_vec(),
                TokenRejected::Whitespace,
            ),
            (
                "tab separator",
                b"bearer\tabc".to_vec(),
                TokenRejected::MissingScheme,
            ),
            (
                "non-ASCII",
                "bearer abcé".as_bytes().to_vec(),
                TokenRejected::InvalidCharacter,
            ),
            (
                "obs-text byte",
                b"bearer abc\xff".to_vec(),
                TokenRejected::InvalidCharacter,
            ),
            (
                "8 KiB + 1",
                too_long.into_bytes(),
                TokenRejected::TooLong {
                    len: MAX_TOKEN_LEN + 1,
                    max: MAX_TOKEN_LEN,
                },
            ),
        ];
        for (name, bytes, expected) in cases {
            let value = header(&bytes);
            assert_eq!(
                BearerToken::from_header_value(&value).unwrap_err(),
                expected,
                "case {name}"
            );
        }
    }

    #[test]
    fn header_values_cannot_carry_line_breaks_and_raw_tokens_with_them_are_rejected() {
        // The header type itself refuses CR, LF and NUL, so a response can never hand one over;
        // a token that reaches us as a string (environment, file) is checked by the same rules.
        for bytes in [
            &b"bearer a\rb"[..],
            b"bearer a\nb",
            b"bearer a\r\nX-Evil: 1",
        ] {
            assert!(HeaderValue::from_bytes(bytes).is_err());
        }
        for raw in ["a\rb", "a\nb", "abc\r\nX-Evil: 1"] {
            assert_eq!(BearerToken::new(raw).unwrap_err(), TokenRejected::LineBreak);
        }
    }

    #[test]
    fn scheme_is_matched_in_any_letter_case_and_spaces_may_repeat() {
        for value in [
            "bearer tok",
            "Bearer tok",
            "BEARER tok",
            "bEaReR tok",
            "bearer   tok",
        ] {
            let token = BearerToken::from_header_value(&header(value.as_bytes())).unwrap();
            assert_eq!(token.expose(), "tok", "value {value:?}");
            assert_eq!(token.header_value().as_bytes(), b"bearer tok");
        }
    }

    #[test]
    fn token_of_exactly_8_kib_is_accepted() {
        let raw = "a".repeat(MAX_TOKEN_LEN);
        let token = BearerToken::from_header_value(&header(format!("bearer {raw}").as_bytes()));
        assert_eq!(token.unwrap().expose(), raw);
    }

    #[test]
    fn every_visible_ascii_character_is_allowed_in_a_token() {
        let raw: String = (0x21u8..=0x7E).map(char::from).collect();
        assert_eq!(BearerToken::new(raw.clone()).unwrap().expose(), raw);
    }

    #[test]
    fn control_characters_and_delete_are_rejected() {
        for raw in ["a\u{0}b", "a\u{1}b", "a\u{b}b", "a\u{7f}b", "a\u{a0}b"] {
            assert_eq!(
                BearerToken::new(raw).unwrap_err(),
                TokenRejected::InvalidCharacter,
                "token {raw:?}"
            );
        }
    }

    #[test]
    fn response_without_authorization_header_yields_nothing() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("60"));
        assert!(from_response_headers(&headers).is_none());
    }

    #[test]
    fn several_authorization_headers_are_rejected_even_when_each_is_valid() {
        let mut headers = HeaderMap::new();
        for value in ["bearer one", "bearer two", "bearer three"] {
            headers.append(AUTHORIZATION, HeaderValue::from_static(value));
        }
        assert_eq!(
            from_response_headers(&headers).unwrap().unwrap_err(),
            TokenRejected::Multiple { count: 3 }
        );
        let mut same_twice = HeaderMap::new();
        same_twice.append(AUTHORIZATION, HeaderValue::from_static("bearer one"));
        same_twice.append(AUTHORIZATION, HeaderValue::from_static("bearer one"));
        assert_eq!(
            from_response_headers(&same_twice).unwrap().unwrap_err(),
            TokenRejected::Multiple { count: 2 }
        );
    }

    #[test]
    fn single_authorization_header_yields_its_token() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer xyz"));
        assert_eq!(
            from_response_headers(&headers).unwrap().unwrap().expose(),
            "xyz"
        );
    }

    #[test]
    fn rejection_messages_never_contain_the_value() {
        let secret = "s3cr3tTOKENvalue";
        let values = [
            format!("Basic {secret}"),
            secret.to_owned(),
            format!("bearer {secret} {secret}"),
            format!("bearer {secret}\t{secret}"),
            format!("bearer {secret}\u{e9}"),
            format!("bearer {}{secret}", "x".repeat(MAX_TOKEN_LEN)),
        ];
        for value in values {
            let err = BearerToken::from_header_value(&header(value.as_bytes())).unwrap_err();
            let printed = format!("{err} {err:?} {err:#?}");
            assert!(!printed.contains(secret), "{printed}");
        }
    }
}
