//! The floor: reqwest with a fixed header.

use anyhow::{Context, Result};
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderValue};

use super::pong_of;
use crate::server::PING_PATH;

/// reqwest with a fixed `Authorization: bearer <token>` header; rotated tokens are ignored.
#[derive(Debug)]
pub struct RawClient {
    http: reqwest::Client,
    url: Url,
    authorization: HeaderValue,
}

impl RawClient {
    /// A client for the server at `origin`, always sending `token`.
    pub fn new(origin: &str, token: &str) -> Result<RawClient> {
        let url = Url::parse(&format!("{origin}{PING_PATH}"))
            .with_context(|| format!("{origin} does not make a valid URL"))?;
        let mut authorization = HeaderValue::try_from(format!("bearer {token}"))
            .context("the token is not a valid header value")?;
        authorization.set_sensitive(true);
        Ok(RawClient {
            http: reqwest::Client::builder().build()?,
            url,
            authorization,
        })
    }

    /// One ping; returns the answer's message.
    pub async fn ping(&self) -> Result<String> {
        let response = self
            .http
            .get(self.url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .send()
            .await?;
        pong_of(response).await
    }
}
