//! [`Client`]: the handle applications keep; cheap to clone, safe to share.

use std::fmt;
use std::sync::Arc;

use tokio::sync::watch;

use crate::builder::ClientBuilder;
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::rotation::Rotation;
use crate::token::BearerToken;

/// A Destiny API client that logs in, sends the bearer token on every request and adopts
/// every newer token the server hands back.
///
/// Build one with [`Client::builder`] or [`Client::from_env`]. Cloning is cheap (one
/// reference count) and all clones share the token, the connection pool and the store.
/// The operations (`login`, `ping`, `can`, ...) are documented on the methods below; every
/// other use of the API goes through [`Client::generated`], with rotation still applied.
///
/// `Debug` shows the base URL and the token's fingerprint, never the token.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) generated: destiny_gen::Client,
    pub(crate) rotation: Arc<Rotation>,
}

impl Client {
    /// Starts configuring a client.
    ///
    /// ```
    /// let client = destiny_api::Client::builder()
    ///     .base_url("http://127.0.0.1:8080/api/v1")
    ///     .build()?;
    /// assert!(client.token().is_none());
    /// # Ok::<(), destiny_api::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment; see [`ClientBuilder::from_env`] for the
    /// variables.
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn from_parts(generated: destiny_gen::Client, rotation: Arc<Rotation>) -> Self {
        Self {
            shared: Arc::new(Shared {
                generated,
                rotation,
            }),
        }
    }

    /// The generated client, for any operation or option this wrapper does not cover.
    ///
    /// It is the same hooked client the wrapper uses: requests made through it carry the
    /// token, rotate it, retry and re-login exactly like the wrapper's. Its errors are the
    /// generated ones (`destiny_gen::Error`), not [`Error`].
    ///
    /// ```no_run
    /// # async fn run(client: destiny_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let pong = client.generated().ping().send().await?;
    /// println!("{} (status {})", pong.data.message, pong.status());
    /// # Ok(()) }
    /// ```
    pub fn generated(&self) -> &destiny_gen::Client {
        &self.shared.generated
    }

    /// The token the next request will carry, if any.
    pub fn token(&self) -> Option<Arc<BearerToken>> {
        self.rotation().cell.current()
    }

    /// A receiver that sees every change of the token (rotation, login, logout), to persist
    /// or share it. The value is `None` after a logout.
    ///
    /// ```no_run
    /// # async fn run(client: destiny_api::Client) {
    /// let mut changes = client.subscribe_token();
    /// tokio::spawn(async move {
    ///     while changes.changed().await.is_ok() {
    ///         if let Some(token) = changes.borrow_and_update().as_ref() {
    ///             tracing::info!(token = %token.fingerprint(), "token rotated");
    ///         }
    ///     }
    /// });
    /// # }
    /// ```
    pub fn subscribe_token(&self) -> watch::Receiver<Option<Arc<BearerToken>>> {
        self.rotation().cell.subscribe()
    }

    /// The `X-RateLimit-*` values of the last response that carried them.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.rotation().rate_limit.last()
    }

    /// Writes the current token to the token store now.
    ///
    /// Stores are written after every rotation, in the background unless they [are in
    /// memory](crate::TokenStore::is_in_memory); call this before exiting to be sure the
    /// newest token is on disk.
    pub async fn save_token(&self) -> Result<(), Error> {
        Ok(self.rotation().persister.sync_now().await?)
    }

    /// The base URL every request goes to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        self.rotation().base_url.as_str()
    }

    pub(crate) fn rotation(&self) -> &Rotation {
        &self.shared.rotation
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.rotation().debug_as("Client", f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scope;

    fn shareable<T: Clone + Send + Sync + 'static>(_: &T) {}
    fn sendable<T: Send>(_: T) {}

    #[test]
    fn the_client_and_its_futures_can_cross_threads() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:9/api/v1")
            .build()
            .unwrap();
        shareable(&client);
        // Built, never polled: only their types are checked.
        sendable(client.login("demo", "secret"));
        sendable(client.ping());
        sendable(client.can("clients", "view", Scope::any()));
        sendable(client.current_token());
        sendable(client.logout());
        sendable(client.request_password_reset("demo@mail.com"));
        sendable(client.reset_password("token", "password"));
        sendable(client.websentinel_user());
        sendable(client.save_token());
    }
}
