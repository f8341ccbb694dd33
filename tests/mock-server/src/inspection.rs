//! What tests can look at after the fact: the requests received, the tokens issued and the
//! emails "sent" (the outbox).

use std::time::SystemTime;

use axum::http::{Method, StatusCode};
use destiny_gen::Secret;

use crate::tokens::TokenClaims;

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path, including the `/api/v1` prefix.
    pub path: String,
    /// The query string without `?`, if any.
    pub query: Option<String>,
    /// The raw `Authorization` request header, if it was sent and is text.
    pub authorization: Option<Secret>,
    /// The token from `Authorization: bearer <token>` (scheme matched case-insensitively).
    pub bearer: Option<Secret>,
    /// The status answered, or `None` when the connection was dropped unanswered
    /// (see [`MockServer::drop_next_requests`](crate::MockServer::drop_next_requests)).
    pub status: Option<StatusCode>,
    /// When it arrived, on the server's clock.
    pub received_at: SystemTime,
}

/// Why a token was issued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueReason {
    /// A successful `POST /auth/login`.
    Login,
    /// The rotation policy replaced the session's token.
    Rotation,
}

/// A token the server issued, for assertions.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    /// The compact token (without the `bearer ` prefix).
    pub token: Secret,
    /// Its claims.
    pub claims: TokenClaims,
    /// The session it belongs to; all tokens of one login share it.
    pub session: u64,
    /// Login or rotation.
    pub reason: IssueReason,
    /// When it was issued, on the server's clock.
    pub issued_at: SystemTime,
    /// When it stops being accepted, on the server's clock.
    pub expires_at: SystemTime,
    /// Whether its session was logged out (as of this snapshot).
    pub revoked: bool,
}

/// What kind of email the server "sent".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxKind {
    /// A password reset link (`POST /auth/password/reset/request`).
    PasswordReset,
    /// An invitation to complete a registration (seeded, or
    /// [`MockServer::invite`](crate::MockServer::invite)).
    Invitation,
}

/// An email the server would have sent, with the one-time token it carries.
#[derive(Clone, Debug)]
pub struct OutboxMessage {
    /// Reset link or invitation.
    pub kind: OutboxKind,
    /// The recipient's email address.
    pub to: String,
    /// The recipient's username.
    pub username: String,
    /// The one-time token for `POST /auth/password/reset` or `POST /auth/register/complete`.
    pub token: Secret,
    /// When it was sent, on the server's clock.
    pub sent_at: SystemTime,
}
