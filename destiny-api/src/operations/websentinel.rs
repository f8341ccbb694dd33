//! `POST /auth/websentinel/user`.

use destiny_gen::types::WebSentinelUser;

use super::body_of;
use crate::{Client, Error};

impl Client {
    /// Authenticates the logged-in user with the WebSentinel service and returns the
    /// WebSentinel identity.
    ///
    /// ```no_run
    /// # async fn run(client: destiny_api::Client) -> Result<(), destiny_api::Error> {
    /// let identity = client.websentinel_user().await?;
    /// assert!(identity.authenticated);
    /// # Ok(()) }
    /// ```
    pub async fn websentinel_user(&self) -> Result<WebSentinelUser, Error> {
        Ok(body_of(self.generated().websentinel_user().send())
            .await?
            .data)
    }
}
