//! Rust SDK for the Destiny API: log in once, and every request carries the newest bearer
//! token the server has handed out.
//!
//! The Destiny API rotates its token: any response may carry a new one in its
//! `Authorization` header, and clients must use the newest for every later request.
//! [`Client`] does that for you, under concurrency, and can keep the token in a
//! [`TokenStore`] so a restarted program does not need to log in again.
//!
//! ```no_run
//! use destiny_api::{Client, FileTokenStore, Scope};
//!
//! # async fn run() -> Result<(), destiny_api::Error> {
//! let client = Client::builder()
//!     .base_url("https://www.acmdestiny.net/api/v1")
//!     .token_store(FileTokenStore::new("/var/lib/my-app/destiny-token"))
//!     .build()?;
//!
//! // The token arrives in the login response's `Authorization` header and is kept.
//! let user = client.login("demo", "secret").await?;
//! println!("hello {}", user.username);
//!
//! // Every request sends it; every response may rotate it.
//! client.ping().await?;
//! let fingerprint_before = client.token().map(|t| t.fingerprint());
//! if client.can("clients", "view", Scope::client(42)).await? {
//!     // ...
//! }
//! let fingerprint_after = client.token().map(|t| t.fingerprint());
//! if fingerprint_before != fingerprint_after {
//!     println!("the server rotated the token; the client now sends the new one");
//! }
//!
//! let outcome = client.logout().await?;
//! println!("{outcome}");
//! # Ok(()) }
//! ```
//!
//! Every operation of the API has a method on [`Client`] ([`login`](Client::login),
//! [`current_token`](Client::current_token), [`can`](Client::can), [`logout`](Client::logout),
//! [`request_password_reset`](Client::request_password_reset),
//! [`reset_password`](Client::reset_password),
//! [`complete_registration`](Client::complete_registration),
//! [`websentinel_user`](Client::websentinel_user), [`ping`](Client::ping)); anything else
//! goes through [`Client::generated`], the generated client with the same hooks installed.
//!
//! # How rotation works
//!
//! - **Sending.** Every request except `login` carries `Authorization: bearer <token>` with
//!   the current token (the header value is built once per token, marked sensitive, and
//!   cloned per request; reading the current token takes no lock). Login is sent without a
//!   token.
//! - **Receiving.** After every completed exchange, whatever its status (2xx, 4xx, 5xx),
//!   each attempt of a retried request and the login included, the response's
//!   `Authorization: bearer <token>` header is read. A valid token that differs from the
//!   current one is offered to the token cell; a response identical to the token just sent
//!   costs one comparison and no decoding.
//! - **Newest wins.** Responses to concurrent requests arrive in any order. When both
//!   tokens are JWTs, the one with the later `iat` (then `exp`) wins, and an older token
//!   arriving late never replaces a newer one; when they cannot be compared, the later
//!   arrival wins. The decision and the swap are one atomic compare-and-swap.
//! - **No decoding when nothing changed.** When the request was sent with the token that is
//!   still current, the response's token is adopted without decoding either JWT: it is a
//!   rotation of the current token. This relies on the server being causal (a response to a
//!   request carrying token `T` never carries a token issued before `T`), which holds for a
//!   server that issues the rotated token while handling the request. Tokens are decoded
//!   only when another token was adopted while the request was in flight, and then at most
//!   once each.
//! - **Login and logout start over.** A successful login replaces the token outright and
//!   starts a new session: responses to requests sent before it (or before a logout) can no
//!   longer change the token.
//! - **Bad input is ignored.** Another scheme, an empty token, whitespace, control or
//!   non-ASCII characters, line breaks, a token over 8 KiB, or several `Authorization`
//!   headers on one response: the header is ignored, the current token kept, and a
//!   `tracing` warning says why without printing the value.
//! - **Same origin only.** A token is adopted only from a response whose final URL (after
//!   redirects) has the base URL's scheme, host and port. A base URL with `http://` is
//!   refused unless its host is loopback or
//!   [`danger_accept_insecure_http`](ClientBuilder::danger_accept_insecure_http) is set.
//!   TLS is rustls.
//! - **Observing.** [`Client::subscribe_token`] sees every change (to persist or share the
//!   token); [`Client::token`] reads the current one (its `Debug` is a fingerprint).
//! - **Storing.** The [`TokenStore`] ([`MemoryTokenStore`] by default, or
//!   [`FileTokenStore`]) is read once by `build()` and written after each rotation: a store
//!   that does I/O in the background, never on the request path; a store that [is in
//!   memory](TokenStore::is_in_memory) inline (a clone under a mutex). [`Client::logout`]
//!   clears the token in memory and in the store even when the server call fails, and says
//!   whether the server confirmed.
//!
//! # Failures, retries and re-login
//!
//! - `GET` operations (ping, current token, permission check) are retried on connection
//!   errors, timeouts, 502, 503, 504 and 429 with exponential backoff and jitter, honouring
//!   `Retry-After` (and, for a 429, else `X-RateLimit-Reset`); see
//!   [`ClientBuilder::max_retries`]. `POST` operations are never retried.
//! - With [`ClientBuilder::credentials`], a 401 makes the client log in again and replay
//!   the request once; any number of concurrent 401s share one login attempt, whether it
//!   succeeds or fails (wrong credentials cost one failed login, not one per request).
//!   Without credentials the 401 reaches the caller as [`Error::Unauthorized`].
//! - There is no total time limit per request by default (as in reqwest and the AWS SDK),
//!   only a 10 s connect timeout; set one for a deadline with [`ClientBuilder::timeout`].
//! - Every failure is an [`Error`] variant to branch on; none holds a secret.
//!
//! # Observability
//!
//! Each operation runs in a `tracing` span `destiny.request` with the fields `operation`,
//! `method`, `path`, `status`, `duration_ms`, `attempts` and `rotated`.
//! [`Client::rate_limit`] returns the `X-RateLimit-*` values of the last response.
//!
//! # Configuration from the environment
//!
//! [`Client::from_env`] reads `DESTINY_BASE_URL`, `DESTINY_TOKEN`, `DESTINY_USERNAME` and
//! `DESTINY_PASSWORD`; see [`ClientBuilder::from_env`].

mod base_url;
mod builder;
mod client;
mod env;
mod error;
mod error_body;
mod operations;
mod persist;
mod rate_limit;
mod reauth;
mod retry;
mod rotation;
mod scope;
pub mod store;
pub mod token;

pub use builder::{ClientBuilder, DEFAULT_BASE_URL};
pub use client::Client;
pub use destiny_gen::{Secret, types};
pub use env::{BASE_URL_VAR, PASSWORD_VAR, TOKEN_VAR, USERNAME_VAR};
pub use error::{Error, FieldWarning};
pub use operations::LogoutOutcome;
pub use rate_limit::RateLimit;
pub use scope::Scope;
pub use store::{FileTokenStore, MemoryTokenStore, StoreError, TokenStore};
pub use token::{BearerToken, TokenRejected};

/// The generated client crate, for its error type and builders.
pub use destiny_gen;
