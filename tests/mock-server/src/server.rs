//! [`MockServer`]: a running mock Destiny server and the handle tests use to inspect it and
//! inject faults.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use destiny_gen::Secret;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::accounts::InviteError;
use crate::app::App;
use crate::builder::MockServerBuilder;
use crate::config::{RateLimit, RotationPolicy};
use crate::inspection::{IssuedToken, OutboxMessage, RecordedRequest};
use crate::routes::{API_PREFIX, paths};
use crate::seed::Scope;

/// A mock Destiny server on a loopback port. Dropping it shuts it down.
///
/// ```
/// use destiny_mock::MockServer;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), reqwest::Error> {
/// let server = MockServer::start().await;
/// let pong: serde_json::Value = reqwest::get(format!("{}/tests/ping", server.base_url()))
///     .await?
///     .json()
///     .await?;
/// assert_eq!(pong["data"]["message"], "pong");
/// assert_eq!(server.requests().len(), 1);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct MockServer {
    base_url: String,
    address: SocketAddr,
    app: Arc<App>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    pub(crate) fn new(
        base_url: String,
        address: SocketAddr,
        app: Arc<App>,
        shutdown: oneshot::Sender<()>,
        task: JoinHandle<()>,
    ) -> Self {
        Self {
            base_url,
            address,
            app,
            shutdown: Some(shutdown),
            task: Some(task),
        }
    }

    /// Starts a server with the default options on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// Never for a free port in practice; see [`MockServerBuilder::start`].
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// Options: port, rotation policy, rate limit, token validity, clock.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT/api/v1`, to give to a client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The socket address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Stops accepting connections, lets in-flight answers finish (for up to two seconds)
    /// and waits until the server has stopped. Dropping the server does the same without
    /// waiting.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may already have stopped; then there is nobody to tell.
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take()
            && let Err(err) = task.await
        {
            tracing::warn!(%err, "the mock server task ended abnormally");
        }
    }

    // ----- inspection -----

    /// Every request received so far (up to the last 100 000), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.app.journal().iter().cloned().collect()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.app.journal().clear();
    }

    /// How many `POST /auth/login` requests arrived, whatever their outcome.
    pub fn login_count(&self) -> usize {
        let login = format!("{API_PREFIX}{}", paths::LOGIN);
        self.app
            .journal()
            .iter()
            .filter(|r| r.method == Method::POST && r.path == login)
            .count()
    }

    /// Every token issued so far (logins and rotations), oldest first.
    pub fn issued_tokens(&self) -> Vec<IssuedToken> {
        self.app.sessions().issued()
    }

    /// The emails "sent" so far (reset links and invitations), oldest first.
    pub fn outbox(&self) -> Vec<OutboxMessage> {
        self.app.accounts().outbox()
    }

    /// Invites a new user; returns the one-time registration token (also in the
    /// [`outbox`](Self::outbox)) for `POST /auth/register/complete`.
    ///
    /// ```
    /// use destiny_mock::{MockServer, Scope};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let server = MockServer::start().await;
    /// let token = server.invite("ada", "ada@mail.com", Scope::Agency(10)).unwrap();
    /// assert!(token.expose().starts_with("reg-"));
    /// assert!(server.invite("ada", "other@mail.com", Scope::Agency(10)).is_err());
    /// # }
    /// ```
    pub fn invite(&self, username: &str, email: &str, scope: Scope) -> Result<Secret, InviteError> {
        let now = self.app.clock.now();
        self.app.accounts().invite(username, email, scope, now)
    }

    // ----- behaviour while running -----

    /// Changes the rotation policy from the next request on.
    pub fn set_rotation_policy(&self, policy: RotationPolicy) {
        self.app.set_rotation(policy);
    }

    /// Changes the rate limit and starts a fresh window.
    pub fn set_rate_limit(&self, limit: RateLimit) {
        self.app.rate().set_limit(limit);
    }

    // ----- fault injection -----

    /// Delays every answer by `latency` (`Duration::ZERO` to stop).
    pub fn set_latency(&self, latency: Duration) {
        self.app.faults().latency = latency;
    }

    /// Answers the next `count` requests with `status` and an error envelope instead of
    /// handling them (after authentication, so a rotated token still comes back).
    pub fn fail_next_requests(&self, count: u32, status: StatusCode) {
        self.app.faults().fail_next(count, status);
    }

    /// Closes the connection of each of the next `count` requests without answering.
    pub fn drop_next_requests(&self, count: u32) {
        self.app.faults().drop_next(count);
    }

    /// Sends `Authorization: bearer not-a-jwt` on the next `count` responses (replacing any
    /// real token they would carry).
    pub fn malform_next_authorization_headers(&self, count: u32) {
        self.app.faults().malform_next(count);
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        let mut faults = self.app.faults();
        faults.latency = Duration::ZERO;
        faults.fail_next(0, StatusCode::INTERNAL_SERVER_ERROR);
        faults.drop_next(0);
        faults.malform_next(0);
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
