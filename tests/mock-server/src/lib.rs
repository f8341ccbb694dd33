//! A spec-faithful mock of the Destiny API, for tests and offline development.
//!
//! It serves every operation of `spec/destiny.yaml` under `/api/v1` on a loopback port, with
//! the documented behaviour: login by username or email with the token in the `Authorization`
//! response header, JWT-shaped tokens signed per server, token rotation on any response
//! (policy per server), 7-day validity of superseded tokens, logout revocation, permission
//! checks over the partner → agency → client hierarchy, password reset and registration with
//! one-time tokens, WebSentinel, ping, `X-RateLimit-*` headers and 429s. Request and response
//! bodies are the generated [`destiny_gen::types`], so the mock cannot drift from the spec
//! without failing to compile. Bad input is answered in the error envelope (400 or 422),
//! never with a 500.
//!
//! # In a test
//!
//! Add `destiny-mock` and `tokio` as dev-dependencies. This is `tests/readme_example.rs` of
//! this crate, run by `cargo test`:
//!
//! ```no_run
#![doc = include_str!("../tests/readme_example.rs")]
//! ```
//!
//! [`MockServer::start`] picks a free port; [`MockServer::builder`] sets a
//! [`RotationPolicy`], a [`RateLimit`], the token validity or a [`MockClock`] to move time
//! without sleeping. Dropping the server shuts it down.
//!
//! # Seeded data
//!
//! | username | password | scope |
//! |---|---|---|
//! | `partner` | `partner-secret` | partner 1: agencies 10 and 11, clients 100, 101, 110 |
//! | `agency` | `agency-secret` | agency 10: clients 100 and 101 |
//! | `demo` (id 8415, the documented example) | `secret` | client 100 |
//!
//! Partner 2 → agency 20 → client 200 belongs to nobody above. Emails are
//! `<username>@mail.com` and work as login names. An invitation for `newcomer` waits with
//! registration token `reg-7d1e`; [`MockServer::invite`] creates more. See [`seed`] and
//! [`PERMISSION_TABLE`].
//!
//! # Inspection and faults
//!
//! [`MockServer::requests`] lists what arrived (method, path, query, the bearer token sent,
//! the status answered), [`MockServer::login_count`] counts logins,
//! [`MockServer::issued_tokens`] lists every token issued, and [`MockServer::outbox`] holds
//! the one-time tokens of reset and invitation emails. Faults: [`MockServer::set_latency`],
//! [`MockServer::fail_next_requests`], [`MockServer::drop_next_requests`] and
//! [`MockServer::malform_next_authorization_headers`].
//!
//! # Behaviour not documented by Destiny (assumed, like the spec)
//!
//! - Unknown `resource`/`action` pairs and unknown or inconsistent `partner_id`/`agency_id`/
//!   `client_id` answer 422 with `warn_fields`, not `allowed: false`.
//! - The rate limit is one fixed window shared by all callers; 429 answers are counted
//!   before authentication, so they never carry a rotated token. Injected statuses are
//!   answered after authentication, so they do.
//! - A request field sent as `null` is refused with 422 (no request field of the spec is
//!   nullable); a JSON body that is not an object is 422 too.
//! - New passwords (reset, registration) need at least 8 characters and a matching
//!   confirmation. Reset and registration tokens do not expire; they work once.
//! - A token is accepted for 7 days after it was issued, whether or not a newer one exists.
//!   Logout never rotates. Token `iat` values are whole seconds, bumped by one when several
//!   tokens are issued within the same second, so they can run ahead of the clock under
//!   heavy rotation.
//! - Nullable user fields that are null are left out of the JSON rather than sent as `null`
//!   (that is how the generated types serialize).
//!
//! # The binary
//!
//! `cargo run -p destiny-mock -- --port 8080` serves on 127.0.0.1 until Ctrl-C and prints
//! the base URL and the seeded users; `--port 0` picks a free port, `--rotation` and
//! `--rate-limit` set the policies (`--help` for all options).

mod accounts;
mod app;
mod builder;
mod clock;
mod config;
mod error;
mod extract;
mod faults;
mod inspection;
mod listener;
mod permissions;
mod pipeline;
mod rate_limit;
mod routes;
mod server;
mod sessions;
mod tokens;

pub mod seed;

pub use accounts::InviteError;
pub use builder::{MockServerBuilder, StartError};
pub use clock::{Clock, MockClock, SystemClock};
pub use config::{DEFAULT_TOKEN_VALIDITY, ParseRotationPolicyError, RateLimit, RotationPolicy};
pub use inspection::{IssueReason, IssuedToken, OutboxKind, OutboxMessage, RecordedRequest};
pub use permissions::{Level, PERMISSION_TABLE, PermissionRule};
pub use pipeline::MALFORMED_AUTHORIZATION;
pub use seed::Scope;
pub use server::MockServer;
pub use tokens::TokenClaims;
