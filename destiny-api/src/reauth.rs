//! Logging in again after a 401, once for any number of requests that failed together.
//!
//! When credentials are configured and a request is answered 401, the request's task asks
//! [`Reauthenticator::refresh`] for a fresh token. The first task to get there logs in; the
//! others wait for the same gate and then see that the token has changed since their
//! request was sent, so they replay without logging in again. N concurrent 401s therefore
//! cost exactly one login. When that login fails, the others do not try again: a 401 to a
//! request sent before the latest login started goes to the caller, so wrong credentials
//! cost one failed login per burst, not one per request.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use destiny_gen::Secret;

use crate::token::{BearerToken, TokenCell};

/// A username and password kept to log in again. `Debug` shows the username; the password
/// is a [`Secret`], printed `[redacted]`.
#[derive(Clone, Debug)]
pub(crate) struct Credentials {
    pub(crate) username: String,
    pub(crate) password: Secret,
}

/// Single-flight re-login.
#[derive(Debug)]
pub(crate) struct Reauthenticator {
    credentials: Credentials,
    gate: tokio::sync::Mutex<()>,
    /// How many logins were started; read when a request is sent.
    logins: AtomicU64,
}

impl Reauthenticator {
    pub(crate) fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            gate: tokio::sync::Mutex::new(()),
            logins: AtomicU64::new(0),
        }
    }

    /// How many logins were started so far. Read it when a request is sent and hand it to
    /// [`refresh`](Self::refresh) if the request is answered 401.
    pub(crate) fn logins_started(&self) -> u64 {
        self.logins.load(Ordering::Acquire)
    }

    /// Makes sure the cell holds a newer token than `sent` (the token the failed request
    /// carried), logging in with `login` only if nobody else has replaced it meanwhile and
    /// no login started since the request was sent (`logins_before`, from
    /// [`logins_started`](Self::logins_started)). Returns whether the request should be
    /// replayed.
    pub(crate) async fn refresh<F, Fut>(
        &self,
        cell: &TokenCell,
        sent: Option<&Arc<BearerToken>>,
        logins_before: u64,
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
        if self.logins.load(Ordering::Acquire) != logins_before {
            tracing::debug!(
                "a login started after this request was sent gave no new token; the 401 goes to the caller"
            );
            return false;
        }
        self.logins.fetch_add(1, Ordering::AcqRel);
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
