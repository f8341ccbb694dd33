//! `POST /auth/login`, `GET /auth/token` and `POST /auth/logout`: the session's lifecycle.

use std::fmt;

use destiny_gen::Secret;
use destiny_gen::types::User;

use super::body_of;
use crate::builder::token_from_text;
use crate::token::BearerToken;
use crate::{Client, Error};

impl Client {
    /// Logs in with a username (or email address) and password, and returns the user.
    ///
    /// The token arrives in the response's `Authorization` header; from then on every
    /// request carries it and every newer token the server sends replaces it. A wrong
    /// username or password answers [`Error::Unauthorized`]. Login is never retried.
    ///
    /// ```no_run
    /// # async fn run(client: destiny_api::Client) -> Result<(), destiny_api::Error> {
    /// let user = client.login("demo", "secret").await?;
    /// println!("logged in as {} (id {})", user.username, user.id);
    /// assert!(client.token().is_some());
    /// # Ok(()) }
    /// ```
    pub async fn login(&self, username: &str, password: impl Into<Secret>) -> Result<User, Error> {
        let password = password.into();
        let generation_before = self.rotation().cell.generation();
        let call = self
            .generated()
            .login()
            .body_map(|body| body.username(username).password(password));
        let response = match call.send().await {
            Ok(response) => response,
            Err(error) => return Err(Error::from_generated(error).await),
        };
        // The rotation hooks have stored the header's token; make sure there was one. A
        // request sent right after the login may already have rotated it, so a new session
        // (generation) also proves that the login's token was stored.
        let handed_out = BearerToken::from_response_headers(response.headers());
        let cell = &self.rotation().cell;
        let stored = matches!(
            (handed_out, cell.current()),
            (Some(Ok(token)), Some(current))
                if token == *current || cell.generation() != generation_before
        );
        if !stored {
            return Err(Error::InvalidResponse(
                "the login succeeded but its response carried no usable token in the Authorization header"
                    .to_owned(),
            ));
        }
        let user = response.into_inner().data;
        Ok(user)
    }

    /// Asks the server for the session's current token (`GET /auth/token`).
    ///
    /// This only reads it: the token the client sends is driven by response headers, so
    /// it is normally the same. Retried on transient failures.
    pub async fn current_token(&self) -> Result<BearerToken, Error> {
        let envelope = body_of(self.generated().current_token().send()).await?;
        token_from_text(envelope.data.token.expose()).map_err(|rejected| {
            Error::InvalidResponse(format!(
                "the token in the response body was refused: {rejected}"
            ))
        })
    }

    /// Ends the session: tells the server, then forgets the token in memory and in the
    /// token store, whatever the server answered.
    ///
    /// The outcome says whether the server confirmed. The only error is a store that could
    /// not be cleared (the token is gone from memory even then).
    ///
    /// ```no_run
    /// # async fn run(client: destiny_api::Client) -> Result<(), destiny_api::Error> {
    /// let outcome = client.logout().await?;
    /// if !outcome.server_confirmed() {
    ///     eprintln!("logged out locally; the server did not confirm: {:?}", outcome.server_error());
    /// }
    /// assert!(client.token().is_none());
    /// # Ok(()) }
    /// ```
    pub async fn logout(&self) -> Result<LogoutOutcome, Error> {
        let server = match self.generated().logout().send().await {
            Ok(_) => Ok(()),
            // A 2xx the spec does not list (e.g. 204) still confirms the logout.
            Err(error) if error.status().is_some_and(|s| s.is_success()) => Ok(()),
            Err(error) => Err(Error::from_generated(error).await),
        };
        self.rotation().cell.clear();
        self.rotation().persister.sync_now().await?;
        if let Err(error) = &server {
            tracing::warn!(%error, "the server did not confirm the logout; the token was cleared locally");
        }
        Ok(LogoutOutcome { server })
    }
}

/// What [`Client::logout`] achieved: the token is always cleared locally; this says whether
/// the server confirmed too.
#[must_use = "the server may not have confirmed the logout"]
pub struct LogoutOutcome {
    server: Result<(), Error>,
}

impl LogoutOutcome {
    /// Whether the server answered the logout with success.
    pub fn server_confirmed(&self) -> bool {
        self.server.is_ok()
    }

    /// Why the server did not confirm, if it did not.
    pub fn server_error(&self) -> Option<&Error> {
        self.server.as_ref().err()
    }

    /// The server's answer as a `Result`, for `?`.
    pub fn into_server_result(self) -> Result<(), Error> {
        self.server
    }
}

impl fmt::Debug for LogoutOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogoutOutcome")
            .field("cleared_locally", &true)
            .field("server_confirmed", &self.server_confirmed())
            .field("server_error", &self.server_error())
            .finish()
    }
}

impl fmt::Display for LogoutOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.server {
            Ok(()) => f.write_str("logged out (confirmed by the server; token cleared)"),
            Err(error) => write!(
                f,
                "token cleared locally, but the server did not confirm the logout: {error}"
            ),
        }
    }
}
