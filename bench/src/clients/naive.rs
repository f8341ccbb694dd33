//! The peer to beat: the token wrapper a user writes by hand.

use std::sync::Mutex;

use anyhow::{Context, Result, anyhow};
use reqwest::Url;
use reqwest::header::AUTHORIZATION;

use super::pong_of;
use crate::server::PING_PATH;

/// reqwest and a `Mutex<String>` token: the header is formatted from it on every request, and
/// any token a response carries replaces it.
#[derive(Debug)]
pub struct NaiveClient {
    http: reqwest::Client,
    url: Url,
    token: Mutex<String>,
}

impl NaiveClient {
    /// A client for the server at `origin`, starting with `token`.
    pub fn new(origin: &str, token: &str) -> Result<NaiveClient> {
        let url = Url::parse(&format!("{origin}{PING_PATH}"))
            .with_context(|| format!("{origin} does not make a valid URL"))?;
        Ok(NaiveClient {
            http: reqwest::Client::builder().build()?,
            url,
            token: Mutex::new(token.to_owned()),
        })
    }

    /// One ping; stores any new token; returns the answer's message.
    pub async fn ping(&self) -> Result<String> {
        let authorization = format!("bearer {}", self.token.lock().map_err(poisoned)?);
        let response = self
            .http
            .get(self.url.clone())
            .header(AUTHORIZATION, authorization)
            .send()
            .await?;
        if let Some(fresh) = response
            .headers()
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("bearer "))
        {
            *self.token.lock().map_err(poisoned)? = fresh.to_owned();
        }
        pong_of(response).await
    }

    /// The token the next request will send.
    pub fn current_token(&self) -> Result<String> {
        Ok(self.token.lock().map_err(poisoned)?.clone())
    }
}

fn poisoned<T>(_: T) -> anyhow::Error {
    anyhow!("the token lock was poisoned by a panic")
}
