//! Token stores: where the current token is kept between runs of a program.
//!
//! The client saves each token it adopts and loads the saved one when it is built, so a
//! restarted process reuses its token (valid for 7 days) instead of logging in again.
//!
//! - [`MemoryTokenStore`] (the default) keeps the token for the life of the process;
//! - [`FileTokenStore`] keeps it in a file, written atomically with permissions 0600;
//! - implement [`TokenStore`] to keep it elsewhere (a keyring, a database).
//!
//! # When loading fails
//!
//! A store whose saved token cannot be read (unreadable or corrupt file) returns an error
//! rather than pretending to be empty, and the client's `build()` fails with that error: the
//! message names the file and says what to do (fix its permissions, or delete it and log in
//! again). Silently ignoring it would log in again on every start without anyone noticing.

mod file;
mod memory;

use std::path::PathBuf;

pub use file::FileTokenStore;
pub use memory::MemoryTokenStore;

use crate::token::BearerToken;

/// Keeps the current token between runs.
///
/// The methods are synchronous and may block (file I/O); the client calls
/// [`save`](TokenStore::save) and [`clear`](TokenStore::clear) off the request path (in
/// `tokio::task::spawn_blocking`), unless the store says it [is in
/// memory](TokenStore::is_in_memory), and [`load`](TokenStore::load) once, when it is built.
/// Implementations must never log or print the token.
///
/// ```
/// use std::sync::Mutex;
/// use destiny_api::store::{StoreError, TokenStore};
/// use destiny_api::token::BearerToken;
///
/// /// Remembers how many tokens were saved, and the last one.
/// #[derive(Debug, Default)]
/// struct Counting(Mutex<(usize, Option<BearerToken>)>);
///
/// impl TokenStore for Counting {
///     fn load(&self) -> Result<Option<BearerToken>, StoreError> {
///         Ok(self.0.lock().map_err(StoreError::custom)?.1.clone())
///     }
///     fn save(&self, token: &BearerToken) -> Result<(), StoreError> {
///         let mut state = self.0.lock().map_err(StoreError::custom)?;
///         *state = (state.0 + 1, Some(token.clone()));
///         Ok(())
///     }
///     fn clear(&self) -> Result<(), StoreError> {
///         self.0.lock().map_err(StoreError::custom)?.1 = None;
///         Ok(())
///     }
/// }
///
/// let store = Counting::default();
/// store.save(&BearerToken::new("abc")?)?;
/// assert_eq!(store.load()?.unwrap().expose(), "abc");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait TokenStore: std::fmt::Debug + Send + Sync + 'static {
    /// The saved token, or `None` if nothing is saved.
    fn load(&self) -> Result<Option<BearerToken>, StoreError>;

    /// Saves `token`, replacing any saved one.
    fn save(&self, token: &BearerToken) -> Result<(), StoreError>;

    /// Forgets the saved token; succeeds when nothing was saved.
    fn clear(&self) -> Result<(), StoreError>;

    /// Whether [`save`](TokenStore::save) and [`clear`](TokenStore::clear) only touch memory:
    /// no I/O, nothing that blocks for long. Then the client calls them right where the
    /// token changes, instead of handing each write to a background task on tokio's blocking
    /// pool. `false` by default; [`MemoryTokenStore`] says `true`.
    fn is_in_memory(&self) -> bool {
        false
    }
}

/// Why a token store failed. The messages name the file and say what to do; they never
/// contain the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The token file could not be read, written or removed.
    #[error(
        "the token file {} could not be read, written or removed: {source}; check that this \
         process may read and write it and its directory, or choose another path",
        path.display()
    )]
    Io {
        /// The token file.
        path: PathBuf,
        /// The error of the operating system.
        #[source]
        source: std::io::Error,
    },
    /// The token file exists but does not hold a token saved by this SDK.
    #[error(
        "the token file {} is corrupt ({reason}); delete it and log in again (the next login \
         overwrites it)",
        path.display()
    )]
    Corrupt {
        /// The token file.
        path: PathBuf,
        /// What is wrong with it (never its content).
        reason: String,
    },
    /// A custom store failed.
    #[error("the token store failed: {0}")]
    Custom(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl StoreError {
    /// Wraps the error of a custom [`TokenStore`]. Its message must not contain the token.
    pub fn custom(error: impl std::fmt::Display) -> StoreError {
        StoreError::Custom(error.to_string().into())
    }
}
