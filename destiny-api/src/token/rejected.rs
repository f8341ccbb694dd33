//! [`TokenRejected`]: why a value was not accepted as a bearer token.

use super::MAX_TOKEN_LEN;

/// Why a value was refused as a bearer token.
///
/// The messages describe the problem and never include the value itself (a rejected value may
/// still be a secret), so they are safe to log and to show to users.
///
/// ```
/// use destiny_api::token::{BearerToken, TokenRejected};
///
/// let err = BearerToken::new("not a token").unwrap_err();
/// assert_eq!(err, TokenRejected::Whitespace);
/// assert!(!err.to_string().contains("not a token"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenRejected {
    /// The `Authorization` value names another scheme than `bearer` (for example `Basic`).
    #[error(
        "the Authorization value uses another scheme than `bearer`; only bearer tokens are accepted, so it was ignored"
    )]
    OtherScheme,
    /// The `Authorization` value has no scheme: it should read `bearer <token>`.
    #[error(
        "the Authorization value has no scheme; it must read `bearer <token>`, so it was ignored"
    )]
    MissingScheme,
    /// The token is empty (or the header holds only the scheme).
    #[error("the bearer token is empty; log in again to get a token")]
    Empty,
    /// The token contains a space or a tab.
    #[error(
        "the bearer token contains whitespace; a token is one run of visible ASCII characters (pass the raw token, without the `bearer ` prefix, to `BearerToken::new`)"
    )]
    Whitespace,
    /// The token contains a carriage return or a line feed.
    #[error(
        "the bearer token contains a line break (CR or LF), which could inject headers; it was refused"
    )]
    LineBreak,
    /// The token contains a character outside visible ASCII (`!` to `~`): a control character
    /// or a non-ASCII byte.
    #[error(
        "the bearer token contains a character outside visible ASCII (control or non-ASCII); it was refused"
    )]
    InvalidCharacter,
    /// The token is longer than [`MAX_TOKEN_LEN`] bytes.
    #[error(
        "the bearer token is {len} bytes long, more than the {max} bytes allowed; it was refused"
    )]
    TooLong {
        /// Length of the refused token in bytes.
        len: usize,
        /// The limit, [`MAX_TOKEN_LEN`].
        max: usize,
    },
    /// A response carried several `Authorization` headers; none of them is trusted.
    #[error(
        "the response carried {count} Authorization headers instead of one; none of them was used"
    )]
    Multiple {
        /// How many `Authorization` headers the response carried.
        count: usize,
    },
}

impl TokenRejected {
    pub(crate) fn too_long(len: usize) -> Self {
        Self::TooLong {
            len,
            max: MAX_TOKEN_LEN,
        }
    }
}
