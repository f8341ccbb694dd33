//! [`FileTokenStore`]: keeps the token in a file, so a restarted process reuses it.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{StoreError, TokenStore};
use crate::token::BearerToken;

/// The version written in the file's `version` field.
const FORMAT_VERSION: u32 = 1;

/// A token file larger than this is not one this SDK wrote.
const MAX_FILE_LEN: u64 = 64 * 1024;

/// Keeps the token in a JSON file: `{"version": 1, "token": "<token>", "saved_at": <unix secs>}`.
///
/// - **Atomic writes**: the token is written to a temporary file in the same directory,
///   flushed to disk (`fsync`), then renamed over the target, and the directory is flushed
///   too; a crash leaves the old file or the new one, never a half-written one.
/// - **Private**: on Unix the file is created with permissions 0600 (owner read and write
///   only) from the start, so the token is never readable by others, not even briefly.
///   Missing parent directories are created with permissions 0700. On other systems the
///   file gets the directory's default access rules.
/// - **Loading**: a missing file means no token (`Ok(None)`). A file that cannot be read or
///   does not hold a valid token is an error ([`StoreError::Io`] or [`StoreError::Corrupt`])
///   naming the file and saying what to do; the client's `build()` fails with it rather than
///   silently logging in again on every start.
///
/// ```
/// use destiny_api::store::{FileTokenStore, TokenStore};
/// use destiny_api::token::BearerToken;
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("destiny").join("token.json");
///
/// let store = FileTokenStore::new(&path);
/// assert!(store.load()?.is_none());
/// store.save(&BearerToken::new("abc")?)?;
///
/// // A restarted process finds the token again.
/// let restarted = FileTokenStore::new(&path);
/// assert_eq!(restarted.load()?.unwrap().expose(), "abc");
///
/// restarted.clear()?;
/// assert!(!path.exists());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct FileTokenStore {
    path: PathBuf,
}

#[derive(Serialize)]
struct SavedToken<'a> {
    version: u32,
    token: &'a str,
    saved_at: u64,
}

#[derive(Deserialize)]
struct LoadedToken<'a> {
    #[serde(default = "first_version")]
    version: u32,
    #[serde(borrow)]
    token: Cow<'a, str>,
}

fn first_version() -> u32 {
    FORMAT_VERSION
}

impl FileTokenStore {
    /// A store that keeps the token in the file at `path`. Nothing is read or written until
    /// the first call.
    pub fn new(path: impl Into<PathBuf>) -> FileTokenStore {
        FileTokenStore { path: path.into() }
    }

    /// The token file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io_error(&self, source: io::Error) -> StoreError {
        StoreError::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn corrupt(&self, reason: impl Into<String>) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            reason: reason.into(),
        }
    }

    /// The directory that holds the file (`.` for a bare file name).
    fn directory(&self) -> &Path {
        match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        }
    }

    fn read_contents(&self) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(self.io_error(error)),
        };
        let metadata = file.metadata().map_err(|error| self.io_error(error))?;
        warn_if_shared(&self.path, &metadata);
        // Sized up front so the buffer is not reallocated, which would leave unzeroized
        // copies of the token behind.
        let capacity = usize::try_from(metadata.len().min(MAX_FILE_LEN) + 1).unwrap_or(0);
        let mut contents = Zeroizing::new(Vec::with_capacity(capacity));
        file.take(MAX_FILE_LEN + 1)
            .read_to_end(&mut contents)
            .map_err(|error| self.io_error(error))?;
        if contents.len() as u64 > MAX_FILE_LEN {
            return Err(self.corrupt(format!(
                "it is larger than {} KiB, so it was not written by this SDK",
                MAX_FILE_LEN / 1024
            )));
        }
        Ok(Some(contents))
    }

    fn create_directory(&self) -> Result<(), StoreError> {
        let directory = self.directory();
        if directory.is_dir() {
            return Ok(());
        }
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(directory)
            .map_err(|error| self.io_error(error))
    }

    fn sync_directory(&self) {
        #[cfg(unix)]
        if let Err(error) = File::open(self.directory()).and_then(|dir| dir.sync_all()) {
            tracing::warn!(
                path = %self.path.display(),
                %error,
                "could not flush the token file's directory to disk; the change may be lost if the machine crashes now"
            );
        }
    }
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> Result<Option<BearerToken>, StoreError> {
        let Some(contents) = self.read_contents()? else {
            return Ok(None);
        };
        let saved: LoadedToken<'_> =
            serde_json::from_slice(&contents).map_err(|error| self.corrupt(describe(&error)))?;
        if saved.version != FORMAT_VERSION {
            return Err(self.corrupt(format!(
                "its format version {} is not known to this version of the SDK",
                saved.version
            )));
        }
        let token = BearerToken::new(saved.token.into_owned())
            .map_err(|rejected| self.corrupt(format!("the saved token is invalid: {rejected}")))?;
        tracing::debug!(path = %self.path.display(), token = %token.fingerprint(), "loaded the saved bearer token");
        Ok(Some(token))
    }

    fn save(&self, token: &BearerToken) -> Result<(), StoreError> {
        self.create_directory()?;
        let saved_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let saved = SavedToken {
            version: FORMAT_VERSION,
            token: token.expose(),
            saved_at,
        };
        // Escaping can at most double the token; sized so the buffer is never reallocated.
        let mut contents = Zeroizing::new(Vec::with_capacity(2 * token.expose().len() + 128));
        serde_json::to_writer(&mut *contents, &saved)
            .map_err(|error| self.io_error(io::Error::other(describe(&error))))?;

        let mut temp = tempfile::Builder::new();
        temp.prefix(".destiny-token-").suffix(".tmp");
        #[cfg(unix)]
        temp.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
        let mut temp = temp
            .tempfile_in(self.directory())
            .map_err(|error| self.io_error(error))?;
        temp.write_all(&contents)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|error| self.io_error(error))?;
        temp.persist(&self.path)
            .map_err(|error| self.io_error(error.error))?;
        self.sync_directory();
        tracing::debug!(path = %self.path.display(), token = %token.fingerprint(), "saved the bearer token");
        Ok(())
    }

    fn clear(&self) -> Result<(), StoreError> {
        match fs::remove_file(&self.path) {
            Ok(()) => {
                self.sync_directory();
                tracing::debug!(path = %self.path.display(), "removed the saved bearer token");
                Ok(())
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(self.io_error(error)),
        }
    }
}

/// Describes a JSON error without quoting the file (serde's messages may quote values).
fn describe(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Io => "it could not be read",
        Category::Syntax => "it is not valid JSON",
        Category::Eof => "it ends too early",
        Category::Data => "it does not have the expected fields",
    };
    format!("{what} (line {}, column {})", error.line(), error.column())
}

/// Warns when others may read or write the token file (it is rewritten 0600 on next save).
#[cfg(unix)]
fn warn_if_shared(path: &Path, metadata: &fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!(
            path = %path.display(),
            mode = format_args!("{:o}", mode & 0o777),
            "the token file is accessible to other users; restrict it with `chmod 600` (the next save does it too)"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path, _metadata: &fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJ0eXAiOiJKV1QifQ.eyJpYXQiOjE3MDAwMDAwMDB9.c2lnbmF0dXJl";

    fn token() -> BearerToken {
        BearerToken::new(TOKEN).unwrap()
    }

    #[test]
    fn saved_token_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::new(dir.path().join("token.json"));
        store.save(&token()).unwrap();
        let loaded = store.load().unwrap().unwrap();
        assert_eq!(loaded, token());
        assert_eq!(loaded.claims().unwrap().iat, Some(1_700_000_000));
    }

    #[test]
    fn file_holds_version_token_and_save_time_as_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        let before = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        FileTokenStore::new(&path).save(&token()).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(json["version"], 1);
        assert_eq!(json["token"], TOKEN);
        let saved_at = json["saved_at"].as_u64().unwrap();
        assert!(saved_at >= before && saved_at <= before + 60, "{saved_at}");
    }

    #[test]
    fn a_restarted_process_loads_the_saved_token() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        FileTokenStore::new(&path).save(&token()).unwrap();
        let restarted = FileTokenStore::new(path.clone());
        assert_eq!(restarted.load().unwrap(), Some(token()));
    }

    #[test]
    fn saving_again_replaces_the_token_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::new(dir.path().join("token.json"));
        store.save(&BearerToken::new("first").unwrap()).unwrap();
        store.save(&BearerToken::new("second").unwrap()).unwrap();
        assert_eq!(store.load().unwrap().unwrap().expose(), "second");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["token.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn token_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        // A file that someone made world-readable is replaced by a private one.
        fs::write(&path, "{}").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        FileTokenStore::new(&path).save(&token()).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[cfg(unix)]
    #[test]
    fn missing_directories_are_created_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config").join("destiny").join("token.json");
        FileTokenStore::new(&path).save(&token()).unwrap();
        let parent = path.parent().unwrap();
        assert_eq!(
            fs::metadata(parent).unwrap().permissions().mode() & 0o777,
            0o700
        );
        assert_eq!(FileTokenStore::new(&path).load().unwrap(), Some(token()));
    }

    #[test]
    fn missing_file_means_no_token() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::new(dir.path().join("absent.json"));
        assert!(store.load().unwrap().is_none());
    }

    #[test]
    fn clear_removes_the_file_and_tolerates_its_absence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        let store = FileTokenStore::new(&path);
        store.save(&token()).unwrap();
        store.clear().unwrap();
        assert!(!path.exists());
        assert!(store.load().unwrap().is_none());
        store.clear().unwrap();
    }

    #[test]
    fn corrupt_files_are_errors_that_name_the_path_and_never_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        let secret = "s3cr3tvalue";
        let contents = [
            format!("not json {secret}"),
            format!("{{\"token\": \"{secret}"),
            format!("{{\"token\": [\"{secret}\"]}}"),
            format!("{{\"version\": \"{secret}\", \"token\": \"{secret}\"}}"),
            format!("{{\"version\": 2, \"token\": \"{secret}\"}}"),
            format!("{{\"token\": \"{secret} {secret}\"}}"),
            r#"{"token": ""}"#.to_owned(),
            format!("{{\"tokn\": \"{secret}\"}}"),
            format!("[\"{secret}\"]"),
            String::new(),
            format!(
                "{{\"token\": \"{secret}\", \"pad\": \"{}\"}}",
                "x".repeat(70_000)
            ),
        ];
        for content in contents {
            fs::write(&path, &content).unwrap();
            let error = FileTokenStore::new(&path).load().unwrap_err();
            assert!(
                matches!(error, StoreError::Corrupt { .. }),
                "{error:?} for {content:.40}"
            );
            let printed = format!("{error} {error:?}");
            assert!(printed.contains(&path.display().to_string()), "{printed}");
            assert!(printed.contains("delete it and log in again"), "{printed}");
            assert!(!printed.contains(secret), "{printed}");
        }
    }

    #[test]
    fn non_ascii_garbage_is_a_corrupt_file_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        fs::write(&path, [0xff, 0xfe, 0x00, 0x7b, 0x22]).unwrap();
        assert!(matches!(
            FileTokenStore::new(&path).load(),
            Err(StoreError::Corrupt { .. })
        ));
    }

    #[test]
    fn file_without_version_is_read_as_version_1() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        fs::write(
            &path,
            format!("{{\"token\": \"{TOKEN}\", \"saved_at\": 5}}"),
        )
        .unwrap();
        assert_eq!(FileTokenStore::new(&path).load().unwrap(), Some(token()));
    }

    #[test]
    fn escaped_characters_in_the_saved_token_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::new(dir.path().join("token.json"));
        let odd = BearerToken::new(r#"a"b\c/d"#).unwrap();
        store.save(&odd).unwrap();
        assert_eq!(store.load().unwrap(), Some(odd));
    }

    #[test]
    fn unwritable_location_gives_an_io_error_naming_the_path() {
        // A regular file where a directory should be: fails even for root.
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("not-a-directory");
        fs::write(&blocker, "").unwrap();
        let path = blocker.join("token.json");
        let error = FileTokenStore::new(&path).save(&token()).unwrap_err();
        assert!(matches!(error, StoreError::Io { .. }), "{error:?}");
        let printed = error.to_string();
        assert!(printed.contains(&path.display().to_string()), "{printed}");
        assert!(!printed.contains(TOKEN), "{printed}");
    }

    #[test]
    fn unreadable_file_gives_an_io_error_naming_the_path() {
        // A directory where the file should be.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        fs::create_dir(&path).unwrap();
        let error = FileTokenStore::new(&path).load().unwrap_err();
        assert!(matches!(error, StoreError::Io { .. }), "{error:?}");
        assert!(error.to_string().contains(&path.display().to_string()));
    }

    #[test]
    fn debug_shows_the_path_only() {
        let store = FileTokenStore::new("/tmp/x/token.json");
        assert_eq!(
            format!("{store:?}"),
            "FileTokenStore { path: \"/tmp/x/token.json\" }"
        );
    }
}
