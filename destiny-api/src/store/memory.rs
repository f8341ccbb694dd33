//! [`MemoryTokenStore`]: keeps the token for the life of the process.

use std::sync::{Mutex, PoisonError};

use super::{StoreError, TokenStore};
use crate::token::BearerToken;

/// Keeps the token in memory only: the default store. Nothing survives the process.
///
/// ```
/// use destiny_api::store::{MemoryTokenStore, TokenStore};
/// use destiny_api::token::BearerToken;
///
/// let store = MemoryTokenStore::new();
/// assert!(store.load()?.is_none());
/// store.save(&BearerToken::new("abc")?)?;
/// assert_eq!(store.load()?.unwrap().expose(), "abc");
/// store.clear()?;
/// assert!(store.load()?.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    token: Mutex<Option<BearerToken>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> MemoryTokenStore {
        MemoryTokenStore::default()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<BearerToken>> {
        // The guarded value is replaced whole, so a panic elsewhere cannot leave it half
        // written: recovering from poisoning is safe.
        self.token.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<BearerToken>, StoreError> {
        Ok(self.slot().clone())
    }

    fn save(&self, token: &BearerToken) -> Result<(), StoreError> {
        *self.slot() = Some(token.clone());
        Ok(())
    }

    fn clear(&self) -> Result<(), StoreError> {
        *self.slot() = None;
        Ok(())
    }

    /// `true`: writes are a clone into a mutex, made inline rather than in the background.
    fn is_in_memory(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_token_is_loaded_until_cleared() {
        let store = MemoryTokenStore::new();
        assert!(store.load().unwrap().is_none());
        store.save(&BearerToken::new("first").unwrap()).unwrap();
        store.save(&BearerToken::new("second").unwrap()).unwrap();
        assert_eq!(store.load().unwrap().unwrap().expose(), "second");
        store.clear().unwrap();
        assert!(store.load().unwrap().is_none());
        store.clear().unwrap();
    }

    #[test]
    fn debug_never_shows_the_token() {
        let store = MemoryTokenStore::new();
        store
            .save(&BearerToken::new("s3cr3t-token").unwrap())
            .unwrap();
        let printed = format!("{store:?}");
        assert!(!printed.contains("s3cr3t"), "{printed}");
        assert!(printed.contains("tok:"), "{printed}");
    }
}
