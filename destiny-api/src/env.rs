//! [`ClientBuilder::from_env`]: configuration from environment variables.

use std::env::VarError;

use crate::builder::ClientBuilder;
use crate::error::Error;

/// The base URL; defaults to the production API.
pub const BASE_URL_VAR: &str = "DESTINY_BASE_URL";
/// A token to start with (with or without `bearer `).
pub const TOKEN_VAR: &str = "DESTINY_TOKEN";
/// The username for logging in again after a 401; needs [`PASSWORD_VAR`].
pub const USERNAME_VAR: &str = "DESTINY_USERNAME";
/// The password for logging in again after a 401; needs [`USERNAME_VAR`].
pub const PASSWORD_VAR: &str = "DESTINY_PASSWORD";

impl ClientBuilder {
    /// A builder configured from the environment, to adjust further before `build`:
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `DESTINY_BASE_URL` | base URL (default `https://www.acmdestiny.net/api/v1`) |
    /// | `DESTINY_TOKEN` | initial token, with or without `bearer ` |
    /// | `DESTINY_USERNAME`, `DESTINY_PASSWORD` | credentials for logging in again after a 401 (set both or neither) |
    ///
    /// Empty variables count as unset.
    ///
    /// ```no_run
    /// let client = destiny_api::ClientBuilder::from_env()?
    ///     .token_store(destiny_api::FileTokenStore::new("/var/lib/app/destiny-token"))
    ///     .build()?;
    /// # Ok::<(), destiny_api::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] when a variable is not valid Unicode, or only one of username and
    /// password is set.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name))
    }

    /// [`from_env`](Self::from_env) with the variables read through `lookup`.
    pub(crate) fn from_lookup(
        lookup: impl Fn(&str) -> Result<String, VarError>,
    ) -> Result<Self, Error> {
        let read = |name: &str| match lookup(name) {
            Ok(value) if value.is_empty() => Ok(None),
            Ok(value) => Ok(Some(value)),
            Err(VarError::NotPresent) => Ok(None),
            // The value itself is never echoed: it may be a password.
            Err(VarError::NotUnicode(_)) => Err(Error::Config(format!(
                "the environment variable {name} is not valid Unicode"
            ))),
        };
        let mut builder = Self::new();
        if let Some(url) = read(BASE_URL_VAR)? {
            builder = builder.base_url(url);
        }
        if let Some(token) = read(TOKEN_VAR)? {
            builder = builder.token(token);
        }
        match (read(USERNAME_VAR)?, read(PASSWORD_VAR)?) {
            (Some(username), Some(password)) => builder = builder.credentials(username, password),
            (None, None) => {}
            (Some(_), None) => {
                return Err(Error::Config(format!(
                    "{USERNAME_VAR} is set but {PASSWORD_VAR} is not; set both or neither"
                )));
            }
            (None, Some(_)) => {
                return Err(Error::Config(format!(
                    "{PASSWORD_VAR} is set but {USERNAME_VAR} is not; set both or neither"
                )));
            }
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Result<String, VarError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.get(name).cloned().ok_or(VarError::NotPresent)
    }

    #[test]
    fn reads_base_url_token_and_credentials() {
        let builder = ClientBuilder::from_lookup(lookup(&[
            (BASE_URL_VAR, "http://127.0.0.1:9/api/v1"),
            (TOKEN_VAR, "bearer abc.def.ghi"),
            (USERNAME_VAR, "demo"),
            (PASSWORD_VAR, "hunter2"),
        ]))
        .unwrap();
        let debug = format!("{builder:?}");
        assert!(debug.contains("http://127.0.0.1:9/api/v1"));
        assert!(debug.contains("demo"));
        assert!(
            !debug.contains("hunter2") && !debug.contains("abc.def.ghi"),
            "{debug}"
        );
        let client = builder.build().unwrap();
        assert_eq!(client.token().unwrap().expose(), "abc.def.ghi");
    }

    #[test]
    fn nothing_set_gives_the_defaults() {
        let client = ClientBuilder::from_lookup(lookup(&[]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.base_url(), crate::builder::DEFAULT_BASE_URL);
        assert!(client.token().is_none());
    }

    #[test]
    fn a_username_without_password_is_refused_without_echoing_values() {
        let err = ClientBuilder::from_lookup(lookup(&[(USERNAME_VAR, "demo")])).unwrap_err();
        assert!(matches!(err, Error::Config(_)));
        assert!(err.to_string().contains(PASSWORD_VAR));
        let err = ClientBuilder::from_lookup(lookup(&[(PASSWORD_VAR, "hunter2")])).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn a_non_unicode_value_is_named_but_not_echoed() {
        let err = ClientBuilder::from_lookup(|name| {
            if name == PASSWORD_VAR {
                Err(VarError::NotUnicode("s3cr\u{e9}t".into()))
            } else {
                Err(VarError::NotPresent)
            }
        })
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(PASSWORD_VAR) && !text.contains("s3cr"),
            "{text}"
        );
    }
}
