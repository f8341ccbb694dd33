//! Bearer tokens: validating them, ordering them, and keeping the current one.
//!
//! - [`BearerToken`]: one validated token with its ready `Authorization` value;
//! - [`TokenRejected`]: why a value is not a token (safe to log: it never holds the value);
//! - [`from_response_headers`]: the token of a response, if it carries exactly one;
//! - [`Claims`]: the JWT claims used to tell which of two tokens is newer;
//! - [`TokenCell`]: the current token, read without locking, changed by compare-and-swap
//!   under the rules in [How a received token is judged](TokenCell#how-a-received-token-is-judged).
//!
//! Nothing here does HTTP; the client feeds the cell with what responses carry:
//!
//! ```
//! use destiny_api::token::{from_response_headers, Adoption, BearerToken, TokenCell};
//! use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
//!
//! let cell = TokenCell::new(None);
//! let sent = cell.current(); // attached to the request, if any
//!
//! let mut response_headers = HeaderMap::new();
//! response_headers.insert(AUTHORIZATION, HeaderValue::from_static("bearer eyJ.eyJ.sig"));
//! match from_response_headers(&response_headers) {
//!     Some(Ok(token)) => assert_eq!(cell.offer(sent.as_ref(), token), Adoption::Adopted),
//!     Some(Err(rejected)) => tracing::warn!(%rejected, "ignored the Authorization header"),
//!     None => {}
//! }
//! assert_eq!(cell.current().unwrap().header_value(), "bearer eyJ.eyJ.sig");
//! ```

mod bearer;
mod cell;
mod claims;
mod header_check;
mod rejected;

pub use bearer::BearerToken;
pub use cell::{Adoption, TokenCell};
pub use claims::Claims;
pub use header_check::{MAX_TOKEN_LEN, from_response_headers};
pub use rejected::TokenRejected;
