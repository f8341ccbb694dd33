//! Logging in again after a 401, once for any number of requests that failed together.
//!
//! When credentials are configured and a request is answered 401, the request's task asks
//! [`Reauthenticator::refresh`] for a fresh token. The first task to get there logs in; the
//! others wait for the same gate and then see that the token has changed since their
//! request was sent, so they replay without logging in again. N concurrent 401s therefore
//! cost exactly one login.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use destiny_gen::Secret;

use crate::token::{BearerToken, TokenCell};

/// A username and password kept to log in again. `Debug` shows the username only.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub(crate) username: String,
    pub(crate) password: Secret,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

/// Single-flight re-login.
#[derive(Debug)]
pub(crate) struct Reauthenticator {
    credentials: Credentials,
    gate: tokio::sync::Mutex<()>,
}

impl Reauthenticator {
    pub(crate) fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            gate: tokio::sync::Mutex::new(()),
        }
    }

    /// Makes sure the cell holds a newer token than `sent` (the token the failed request
    /// carried), logging in with `login` only if nobody else has replaced it meanwhile.
    /// Returns whether the request should be replayed.
    pub(crate) async fn refresh<F, Fut>(
        &self,
        cell: &TokenCell,
        sent: Option<&Arc<BearerToken>>,
        login: F,
    ) -> bool
    where
        F: FnOnce(Credentials) -> Fut,
        Fut: Future<Output = bool>,
    {
        let _turn = self.gate.lock().await;
        if token_changed(cell, sent) {
            tracing::debug!(
                "another request already logged in again; replaying with the new token"
            );
            return true;
        }
        tracing::info!("the server answered 401; logging in again with the configured credentials");
        login(self.credentials.clone()).await && token_changed(cell, sent)
    }
}

/// Whether the cell now holds something other than `sent`.
fn token_changed(cell: &TokenCell, sent: Option<&Arc<BearerToken>>) -> bool {
    match (cell.current(), sent) {
        (None, None) => false,
        (Some(now), Some(sent)) => !Arc::ptr_eq(&now, sent) && now.expose() != sent.expose(),
        (Some(_), None) => true,
        (None, Some(_)) => false,
    }
}
