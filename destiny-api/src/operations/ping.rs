//! `GET /tests/ping`.

use destiny_gen::types::Ping;

use super::body_of;
use crate::{Client, Error};

impl Client {
    /// Checks that the API answers (`GET /tests/ping`); the answer's `message` is `pong`.
    ///
    /// Retried on transient failures. Like every response, the answer may rotate the token.
    ///
    /// ```no_run
    /// # async fn run(client: destiny_api::Client) -> Result<(), destiny_api::Error> {
    /// assert_eq!(client.ping().await?.message, "pong");
    /// # Ok(()) }
    /// ```
    pub async fn ping(&self) -> Result<Ping, Error> {
        Ok(body_of(self.generated().ping().send()).await?.data)
    }
}
