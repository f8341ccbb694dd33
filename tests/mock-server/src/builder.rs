//! [`MockServerBuilder`]: options for a [`MockServer`] before it starts.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::app::{App, Settings};
use crate::clock::{Clock, SystemClock};
use crate::config::{DEFAULT_TOKEN_VALIDITY, RateLimit, RotationPolicy};
use crate::routes::{self, API_PREFIX};
use crate::server::MockServer;

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The loopback port could not be bound.
    #[error("could not listen on {address}: {source}; choose another port, or 0 for a free one")]
    Bind {
        /// The address that was asked for.
        address: SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// Options for a [`MockServer`]; start it with [`start`](Self::start).
///
/// ```
/// use std::time::Duration;
/// use destiny_mock::{MockClock, MockServer, RateLimit, RotationPolicy};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let clock = MockClock::new();
/// let server = MockServer::builder()
///     .rotation_policy(RotationPolicy::EveryRequests(3))
///     .rate_limit(RateLimit::new(60, Duration::from_secs(60)))
///     .clock(clock.clone())
///     .start()
///     .await;
/// assert!(server.base_url().starts_with("http://127.0.0.1:"));
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct MockServerBuilder {
    port: u16,
    rotation: RotationPolicy,
    rate_limit: RateLimit,
    token_validity: Duration,
    clock: Arc<dyn Clock>,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        Self {
            port: 0,
            rotation: RotationPolicy::default(),
            rate_limit: RateLimit::default(),
            token_validity: DEFAULT_TOKEN_VALIDITY,
            clock: Arc::new(SystemClock),
        }
    }
}

impl MockServerBuilder {
    /// The port on 127.0.0.1 (default 0: a free port chosen by the system).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// When tokens rotate (default: [`RotationPolicy::REAL_SERVICE`], every five minutes).
    #[must_use]
    pub fn rotation_policy(mut self, policy: RotationPolicy) -> Self {
        self.rotation = policy;
        self
    }

    /// The rate limit (default: [`RateLimit::default`], high enough not to get in the way).
    #[must_use]
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self
    }

    /// How long a token is accepted after it was issued (default: 7 days).
    #[must_use]
    pub fn token_validity(mut self, validity: Duration) -> Self {
        self.token_validity = validity;
        self
    }

    /// The clock for token times, rotation by age and the rate-limit window (default: the
    /// system clock). Pass a [`MockClock`](crate::MockClock) to move time in tests.
    #[must_use]
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Starts the server on 127.0.0.1, or says why it could not.
    pub async fn try_start(self) -> Result<MockServer, StartError> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let bind_error = |source| StartError::Bind { address, source };
        let listener = TcpListener::bind(address).await.map_err(bind_error)?;
        let local = listener.local_addr().map_err(bind_error)?;
        let app = Arc::new(App::new(Settings {
            rotation: self.rotation,
            rate_limit: self.rate_limit,
            token_validity: self.token_validity,
            clock: self.clock,
        }));
        let (shutdown, shutdown_rx) = oneshot::channel();
        let task = tokio::spawn(crate::listener::serve(
            listener,
            routes::router(app.clone()),
            shutdown_rx,
        ));
        let base_url = format!("http://{local}{API_PREFIX}");
        tracing::debug!(%base_url, "mock Destiny server started");
        Ok(MockServer::new(base_url, local, app, shutdown, task))
    }

    /// Starts the server on 127.0.0.1.
    ///
    /// # Panics
    ///
    /// When the port cannot be bound (only possible with a fixed [`port`](Self::port)):
    /// this is a test helper. Use [`try_start`](Self::try_start) to handle the error.
    pub async fn start(self) -> MockServer {
        match self.try_start().await {
            Ok(server) => server,
            Err(err) => panic!("the mock Destiny server did not start: {err}"),
        }
    }
}
