//! The client under test: `destiny-api`, configured as a user would, calling ping.

use anyhow::{Context, Result};

/// `destiny_api::Client` with a starting token, against the benchmark server's `/api/v1`.
#[derive(Debug)]
pub struct SdkClient {
    client: destiny_api::Client,
}

impl SdkClient {
    /// A client for the server at `origin`, starting with `token`.
    ///
    /// Build it inside the tokio runtime that will drive it, as an application would: the
    /// client starts its token-store writer there.
    pub fn new(origin: &str, token: &str) -> Result<SdkClient> {
        let client = destiny_api::Client::builder()
            .base_url(format!("{origin}/api/v1"))
            .token(token)
            .build()
            .context("destiny-api refused the benchmark's configuration")?;
        Ok(SdkClient { client })
    }

    /// One ping; returns the answer's message.
    pub async fn ping(&self) -> Result<String> {
        Ok(self.client.ping().await?.message)
    }
}
