//! [`App`]: the state one server shares between its handlers and the test's
//! [`MockServer`](crate::MockServer) handle.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::accounts::Accounts;
use crate::clock::Clock;
use crate::config::{RateLimit, RotationPolicy};
use crate::faults::Faults;
use crate::inspection::RecordedRequest;
use crate::rate_limit::RateLimiter;
use crate::sessions::SessionStore;
use crate::tokens::TokenSigner;

/// How many requests the journal keeps; older ones are forgotten so a long-running server
/// does not grow without bound.
pub(crate) const JOURNAL_CAPACITY: usize = 100_000;

/// What a server is started with.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) rotation: RotationPolicy,
    pub(crate) rate_limit: RateLimit,
    pub(crate) token_validity: Duration,
    pub(crate) clock: Arc<dyn Clock>,
}

/// One server's state. Each part has its own lock, held only for a few statements and never
/// across an `.await`.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) signer: TokenSigner,
    rotation: Mutex<RotationPolicy>,
    accounts: Mutex<Accounts>,
    sessions: Mutex<SessionStore>,
    rate: Mutex<RateLimiter>,
    faults: Mutex<Faults>,
    journal: Mutex<VecDeque<RecordedRequest>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while a lock is held cannot leave these plain maps half-updated in a way that
    // matters to a mock, so a poisoned lock is used as it is.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl App {
    pub(crate) fn new(settings: Settings) -> Self {
        let now = settings.clock.now();
        Self {
            signer: TokenSigner::random(),
            rotation: Mutex::new(settings.rotation),
            accounts: Mutex::new(Accounts::seeded(now)),
            sessions: Mutex::new(SessionStore::new(settings.token_validity)),
            rate: Mutex::new(RateLimiter::new(settings.rate_limit)),
            faults: Mutex::new(Faults::default()),
            journal: Mutex::new(VecDeque::new()),
            clock: settings.clock,
        }
    }

    pub(crate) fn rotation(&self) -> RotationPolicy {
        *lock(&self.rotation)
    }

    pub(crate) fn set_rotation(&self, policy: RotationPolicy) {
        *lock(&self.rotation) = policy;
    }

    pub(crate) fn accounts(&self) -> MutexGuard<'_, Accounts> {
        lock(&self.accounts)
    }

    pub(crate) fn sessions(&self) -> MutexGuard<'_, SessionStore> {
        lock(&self.sessions)
    }

    pub(crate) fn rate(&self) -> MutexGuard<'_, RateLimiter> {
        lock(&self.rate)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        let mut journal = lock(&self.journal);
        if journal.len() == JOURNAL_CAPACITY {
            journal.pop_front();
        }
        journal.push_back(request);
    }

    pub(crate) fn journal(&self) -> MutexGuard<'_, VecDeque<RecordedRequest>> {
        lock(&self.journal)
    }
}
