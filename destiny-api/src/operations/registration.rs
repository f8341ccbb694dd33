//! `POST /auth/register/complete`.

use destiny_gen::types::{RegistrationCompletion, User};

use super::body_of;
use crate::{Client, Error};

impl Client {
    /// Activates an invited account with the registration token from the invitation and
    /// the chosen password; answers with the new user.
    ///
    /// A used or unknown token answers [`Error::Validation`].
    ///
    /// ```no_run
    /// use destiny_api::types::RegistrationCompletion;
    /// # async fn run(client: destiny_api::Client) -> Result<(), destiny_api::Error> {
    /// let user = client
    ///     .complete_registration(RegistrationCompletion {
    ///         token: "token-from-the-invitation".into(),
    ///         password: "a passphrase".into(),
    ///         password_confirmation: "a passphrase".into(),
    ///         first_name: Some("Ada".into()),
    ///         last_name: None,
    ///     })
    ///     .await?;
    /// println!("welcome, {}", user.username);
    /// # Ok(()) }
    /// ```
    pub async fn complete_registration(
        &self,
        registration: RegistrationCompletion,
    ) -> Result<User, Error> {
        let call = self.generated().complete_registration().body(registration);
        Ok(body_of(call.send()).await?.data)
    }
}
