//! `POST /auth/password/reset/request` and `POST /auth/password/reset`.

use destiny_gen::Secret;
use destiny_gen::types::{NoticeEnvelope, PasswordReset};

use super::body_of;
use crate::{Client, Error};

impl Client {
    /// Asks the server to email a password reset link to `email` (the account's address).
    ///
    /// An unknown account answers [`Error::TooEarly`]. Not retried (it is a `POST`).
    ///
    /// ```no_run
    /// # async fn run(client: destiny_api::Client) -> Result<(), destiny_api::Error> {
    /// let answer = client.request_password_reset("demo@mail.com").await?;
    /// for notice in answer.notices.iter().flat_map(|n| n.iter()) {
    ///     println!("{notice}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn request_password_reset(&self, email: &str) -> Result<NoticeEnvelope, Error> {
        let call = self
            .generated()
            .request_password_reset()
            .body_map(|body| body.email(email));
        body_of(call.send()).await
    }

    /// Sets a new password with the one-time `token` from the reset email.
    ///
    /// A used token or a password that breaks a rule answers [`Error::Validation`] with the
    /// fields concerned.
    ///
    /// ```no_run
    /// # async fn run(client: destiny_api::Client) -> Result<(), destiny_api::Error> {
    /// client.reset_password("token-from-the-email", "a new passphrase").await?;
    /// # Ok(()) }
    /// ```
    pub async fn reset_password(
        &self,
        token: impl Into<Secret>,
        new_password: impl Into<Secret>,
    ) -> Result<NoticeEnvelope, Error> {
        let password = new_password.into();
        let body = PasswordReset {
            password_confirmation: password.clone(),
            password,
            token: token.into(),
        };
        body_of(self.generated().reset_password().body(body).send()).await
    }
}
