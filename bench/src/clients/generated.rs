//! The generator's floor: the progenitor client of `destiny-gen`, without any hooks.
//!
//! Every generated operation formats its URL (`format!("{}/tests/ping", baseurl)`), lets
//! reqwest parse it again, and merges a one-entry header map (`api-version`) into the
//! request; that is the generated code's cost, whatever the wrapper does. This client pays
//! exactly that and nothing of `destiny-api`, so `sdk / generated` is what the SDK adds on
//! top of the code it wraps.

use anyhow::{Context, Result};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

/// `destiny_gen::Client` with no hooks and a fixed `Authorization` header (a reqwest
/// default header); rotated tokens are ignored, like `raw`.
#[derive(Debug)]
pub struct GeneratedClient {
    client: destiny_gen::Client,
}

impl GeneratedClient {
    /// A client for the server at `origin`, always sending `token`.
    pub fn new(origin: &str, token: &str) -> Result<GeneratedClient> {
        let mut authorization = HeaderValue::try_from(format!("bearer {token}"))
            .context("the token is not a valid header value")?;
        authorization.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .build()?;
        let client = destiny_gen::Client::new_with_client(
            &format!("{origin}/api/v1"),
            http,
            destiny_gen::hooks::Inner::none(),
        );
        Ok(GeneratedClient { client })
    }

    /// One ping; returns the answer's message.
    pub async fn ping(&self) -> Result<String> {
        let pong = self
            .client
            .ping()
            .send()
            .await
            .map_err(|error| anyhow::anyhow!("the generated ping failed: {error}"))?;
        Ok(pong.into_inner().data.message)
    }
}
