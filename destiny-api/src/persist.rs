//! Saving the token to the [`TokenStore`] off the request path.
//!
//! A background task watches the token cell ([`TokenCell::subscribe`]) and writes the newest
//! token with [`TokenStore::save`] on tokio's blocking pool. Bursts of rotations coalesce:
//! the watch channel keeps only the latest value, and each write stores whatever is newest
//! at the moment it runs. Every write (the task's and [`Persister::sync_now`]'s) holds one
//! lock and re-reads the newest value inside it, so an older token can never overwrite a
//! newer one or undo a logout.
//!
//! A store that [is in memory](TokenStore::is_in_memory) (the default [`MemoryTokenStore`])
//! needs none of this: it is written inline, right after each change, by the code that made
//! it ([`Persister::token_changed`]), and no task runs.
//!
//! [`MemoryTokenStore`]: crate::store::MemoryTokenStore
//!
//! The task starts with the first request made inside a tokio runtime (or at build time if
//! there is one), and ends when the client is dropped or its runtime shuts down; the next
//! request in a runtime starts it again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::runtime::Handle;
use tokio::sync::watch;

use crate::store::{StoreError, TokenStore};
use crate::token::BearerToken;

type Latest = watch::Receiver<Option<Arc<BearerToken>>>;

/// Keeps the store in step with the token cell.
#[derive(Clone)]
pub(crate) struct Persister {
    shared: Arc<Shared>,
}

struct Shared {
    store: Arc<dyn TokenStore>,
    latest: Latest,
    /// What the store holds as far as this client knows (`None`: unknown). The mutex also
    /// serialises writes.
    stored: Mutex<Option<Option<Arc<BearerToken>>>>,
    task_running: AtomicBool,
    /// The store is in memory: written inline, no background task.
    inline: bool,
}

impl Persister {
    /// `stored` is what the store held at build time (loaded from it).
    pub(crate) fn new(
        store: Arc<dyn TokenStore>,
        latest: Latest,
        stored: Option<Arc<BearerToken>>,
    ) -> Self {
        let inline = store.is_in_memory();
        Self {
            shared: Arc::new(Shared {
                store,
                latest,
                stored: Mutex::new(Some(stored)),
                task_running: AtomicBool::new(false),
                inline,
            }),
        }
    }

    /// To be called after the token cell changed: writes an in-memory store now. For other
    /// stores it does nothing; their background task sees the change.
    pub(crate) fn token_changed(&self) {
        if !self.shared.inline {
            return;
        }
        if let Err(error) = self.shared.sync() {
            warn_not_saved(&error);
        }
    }

    /// Starts the background task if it is not running and a tokio runtime is available
    /// (never for an in-memory store). On the request path: one or two loads when the task
    /// runs or is not needed.
    pub(crate) fn ensure_running(&self) {
        if self.shared.inline || self.shared.task_running.load(Ordering::Acquire) {
            return;
        }
        let Ok(runtime) = Handle::try_current() else {
            return;
        };
        if self.shared.task_running.swap(true, Ordering::AcqRel) {
            return;
        }
        let running = RunningFlag(Arc::clone(&self.shared));
        let mut changes = self.shared.latest.clone();
        runtime.spawn(async move {
            let shared = &running.0;
            loop {
                let store = Arc::clone(shared);
                match tokio::task::spawn_blocking(move || store.sync()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => warn_not_saved(&error),
                    Err(_) => tracing::warn!("the token store write did not complete"),
                }
                if changes.changed().await.is_err() {
                    break;
                }
            }
        });
    }

    /// Brings the store in step with the cell now and reports the outcome.
    pub(crate) async fn sync_now(&self) -> Result<(), StoreError> {
        if self.shared.inline {
            return self.shared.sync();
        }
        let shared = Arc::clone(&self.shared);
        match Handle::try_current() {
            Ok(runtime) => match runtime.spawn_blocking(move || shared.sync()).await {
                Ok(result) => result,
                // The blocking task panicked or was cancelled: write on this thread instead.
                Err(_) => self.shared.sync(),
            },
            Err(_) => shared.sync(),
        }
    }
}

impl std::fmt::Debug for Persister {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Persister")
            .field("store", &self.shared.store)
            .field(
                "task_running",
                &self.shared.task_running.load(Ordering::Relaxed),
            )
            .field("inline", &self.shared.inline)
            .finish()
    }
}

impl Shared {
    /// Writes the newest token (or clears the store) unless the store already holds it.
    fn sync(&self) -> Result<(), StoreError> {
        let mut stored = self.stored.lock().unwrap_or_else(PoisonError::into_inner);
        let newest = self.latest.borrow().clone();
        if let Some(known) = stored.as_ref()
            && same_token(known.as_deref(), newest.as_deref())
        {
            return Ok(());
        }
        // Unknown until the write succeeds.
        *stored = None;
        match newest.as_deref() {
            Some(token) => self.store.save(token)?,
            None => self.store.clear()?,
        }
        *stored = Some(newest);
        Ok(())
    }
}

/// Logs a failed write of a rotation (the caller of a rotation gets no error for it).
fn warn_not_saved(error: &StoreError) {
    tracing::warn!(
        %error,
        "could not save the bearer token to the token store; it stays in memory \
         and the next rotation will try again"
    );
}

fn same_token(a: Option<&BearerToken>, b: Option<&BearerToken>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.expose() == b.expose(),
        _ => false,
    }
}

/// Clears `task_running` when the task ends or is dropped with its runtime.
struct RunningFlag(Arc<Shared>);

impl Drop for RunningFlag {
    fn drop(&mut self) {
        self.0.task_running.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryTokenStore;
    use crate::token::TokenCell;

    #[test]
    fn an_in_memory_store_is_written_inline_without_a_runtime_or_a_task() {
        let store = Arc::new(MemoryTokenStore::new());
        let cell = TokenCell::new(None);
        let persister = Persister::new(
            Arc::clone(&store) as Arc<dyn TokenStore>,
            cell.subscribe(),
            None,
        );
        // No tokio runtime here: a background writer could not run.
        persister.ensure_running();
        assert!(!persister.shared.task_running.load(Ordering::Acquire));

        cell.replace(BearerToken::new("first").unwrap());
        persister.token_changed();
        assert_eq!(store.load().unwrap().unwrap().expose(), "first");

        cell.clear();
        persister.token_changed();
        assert!(store.load().unwrap().is_none());
    }
}
