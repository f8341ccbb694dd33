//! [`ClientBuilder`]: base URL, token, credentials, store, timeouts and retries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use destiny_gen::Secret;
use destiny_gen::hooks::Inner;
use reqwest::header::HeaderValue;

use crate::base_url::BaseUrl;
use crate::client::Client;
use crate::error::Error;
use crate::persist::Persister;
use crate::rate_limit::RateLimitTracker;
use crate::reauth::{Credentials, Reauthenticator};
use crate::retry::RetryPolicy;
use crate::rotation::Rotation;
use crate::store::{MemoryTokenStore, TokenStore};
use crate::token::{BearerToken, TokenCell, TokenRejected};

/// The production base URL, used when none is given.
pub const DEFAULT_BASE_URL: &str = "https://www.acmdestiny.net/api/v1";
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const USER_AGENT: &str = concat!("destiny-api-rust/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`]. Every setting has a default; `build` checks them all.
///
/// ```
/// use std::time::Duration;
///
/// let client = destiny_api::Client::builder()
///     .base_url("https://www.acmdestiny.net/api/v1")
///     .credentials("demo", "secret")          // log in again by itself after a 401
///     .token_store(destiny_api::MemoryTokenStore::new())
///     .timeout(Duration::from_secs(10))
///     .max_retries(2)
///     .build()?;
/// # let _ = client;
/// # Ok::<(), destiny_api::Error>(())
/// ```
///
/// `Debug` never shows the token or the password.
pub struct ClientBuilder {
    base_url: String,
    token: Option<Secret>,
    credentials: Option<Credentials>,
    store: Option<Arc<dyn TokenStore>>,
    accept_insecure_http: bool,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// The defaults: production base URL, no token, no credentials, in-memory store,
    /// no total time limit (a 10 s connect timeout), 3 retries from 200 ms.
    pub fn new() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token: None,
            credentials: None,
            store: None,
            accept_insecure_http: false,
            timeout: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }

    /// The API's base URL, e.g. `https://www.acmdestiny.net/api/v1`.
    ///
    /// It must be `https://`, or `http://` to a loopback host (`127.0.0.0/8`, `::1`,
    /// `localhost`) unless [`danger_accept_insecure_http`](Self::danger_accept_insecure_http)
    /// is set. Tokens are adopted only from responses with this URL's origin.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// A token to start with (with or without the `bearer ` prefix), e.g. from a previous
    /// session. When the store also holds one, the newer of the two is used (by the JWT
    /// `iat`, then `exp`); if they cannot be compared, this one.
    #[must_use]
    pub fn token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Credentials to log in again by itself when the server answers 401 (the request is
    /// then replayed once). Without them, a 401 reaches the caller as
    /// [`Error::Unauthorized`].
    #[must_use]
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials {
            username: username.into(),
            password: password.into(),
        });
        self
    }

    /// Where the token is kept between runs; [`MemoryTokenStore`] by default. The store is
    /// read by [`build`](Self::build) (a failure fails the build) and written after every
    /// rotation, in the background unless it [is in memory](TokenStore::is_in_memory).
    #[must_use]
    pub fn token_store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Allows `http://` to a host that is not loopback. The token then travels in clear
    /// text: only for test networks you control.
    #[must_use]
    pub fn danger_accept_insecure_http(mut self, accept: bool) -> Self {
        self.accept_insecure_http = accept;
        self
    }

    /// Time limit for a whole request (connect, send, receive the body). Set one for a
    /// deadline.
    ///
    /// By default there is none, as in reqwest and the AWS SDK: only the
    /// [connect timeout](Self::connect_timeout) (10 s) applies, and a request waits for as long
    /// as the server keeps the connection open. A total limit arms a timer for every request,
    /// which is why it is not on by default. A request that runs out of time fails with
    /// [`Error::Transport`] (and a `GET` is retried like any transport error).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = destiny_api::Client::builder()
    ///     .base_url("https://www.acmdestiny.net/api/v1")
    ///     .timeout(Duration::from_secs(30))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), destiny_api::Error>(())
    /// ```
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit to establish a connection. Default 10 s.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How many times a transient failure of an idempotent request (`GET`) is retried.
    /// Default 3; `0` disables retries. `POST` requests are never retried.
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The wait before the first retry, doubled for each further one (with jitter).
    /// Default 200 ms.
    #[must_use]
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry.base_delay = delay;
        self
    }

    /// The longest wait between retries. A server asking for longer (`Retry-After`) is not
    /// retried: the caller gets [`Error::RateLimited`] with the server's wait. Default 30 s.
    #[must_use]
    pub fn max_retry_delay(mut self, delay: Duration) -> Self {
        self.retry.max_delay = delay;
        self
    }

    /// Checks the configuration, loads the stored token and builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a refused base URL or token, or an HTTP client that cannot be
    /// built; [`Error::TokenStore`] when the store cannot be read.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = BaseUrl::parse(&self.base_url, self.accept_insecure_http)
            .map_err(|problem| Error::Config(problem.to_string()))?;
        let explicit = self.token.as_ref().map(parse_token).transpose()?;
        let store: Arc<dyn TokenStore> = match self.store {
            Some(store) => store,
            None => Arc::new(MemoryTokenStore::new()),
        };
        let stored = store.load()?;

        let cell = TokenCell::new(stored);
        let stored = cell.current();
        if let Some(explicit) = explicit {
            cell.offer(None, explicit);
        }
        let persister = Persister::new(store, cell.subscribe(), stored);

        let mut http = reqwest::Client::builder()
            .tls_backend_rustls()
            .https_only(base_url.is_https())
            .connect_timeout(self.connect_timeout)
            .user_agent(USER_AGENT);
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("the HTTP client could not be built: {e}")))?;

        let rotation = Arc::new_cyclic(|me| Rotation {
            cell,
            base_url,
            retry: self.retry,
            reauth: self.credentials.map(Reauthenticator::new),
            rate_limit: RateLimitTracker::default(),
            persister,
            me: me.clone(),
        });
        rotation.persister.ensure_running();
        rotation.persister.token_changed();
        let generated = destiny_gen::Client::new_with_client(
            rotation.base_url.as_str(),
            http,
            Inner::from_arc(Arc::clone(&rotation) as Arc<dyn destiny_gen::hooks::RequestHooks>),
        );
        Ok(Client::from_parts(generated, rotation))
    }
}

/// Parses a token given by the user, with or without the `bearer ` scheme.
fn parse_token(raw: &Secret) -> Result<BearerToken, Error> {
    token_from_text(raw.expose())
        .map_err(|rejected| Error::Config(format!("the configured token was refused: {rejected}")))
}

/// Reads a token written as `bearer <token>` or as the bare token (the form of the builder,
/// the environment and the `GET /auth/token` body).
pub(crate) fn token_from_text(text: &str) -> Result<BearerToken, TokenRejected> {
    let text = text.trim();
    if text.contains(' ') {
        let value = HeaderValue::from_str(text).map_err(|_| TokenRejected::InvalidCharacter)?;
        BearerToken::from_header_value(&value)
    } else {
        BearerToken::new(text)
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("credentials", &self.credentials)
            .field("store", &self.store)
            .field("accept_insecure_http", &self.accept_insecure_http)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_no_total_timeout_unless_one_is_set() {
        assert_eq!(ClientBuilder::new().timeout, None);
        assert_eq!(
            ClientBuilder::new().connect_timeout,
            DEFAULT_CONNECT_TIMEOUT
        );
        let limited = ClientBuilder::new().timeout(Duration::from_secs(5));
        assert_eq!(limited.timeout, Some(Duration::from_secs(5)));
    }
}
