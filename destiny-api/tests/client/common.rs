//! Helpers shared by the client tests: JWT-shaped tokens, a loopback mock server, clients
//! pointed at it, and a store the test can look into.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use destiny_api::store::{MemoryTokenStore, StoreError, TokenStore};
use destiny_api::token::BearerToken;
use destiny_api::{Client, ClientBuilder};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const BASE_IAT: i64 = 1_700_000_000;

/// A token shaped like the server's (`header.payload.signature`, base64url), issued at `iat`.
pub fn jwt(iat: i64) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"HS256"}"#);
    let payload = URL_SAFE_NO_PAD.encode(format!(
        r#"{{"iat":{iat},"exp":{},"sub":8415}}"#,
        iat + 7 * 24 * 3600
    ));
    let signature = URL_SAFE_NO_PAD.encode(format!("signature-{iat}"));
    format!("{header}.{payload}.{signature}")
}

/// The `Authorization` value carrying `token`.
pub fn bearer(token: &str) -> String {
    format!("bearer {token}")
}

/// The `iat` of a token.
pub fn iat_of(token: &BearerToken) -> i64 {
    token
        .claims()
        .and_then(|c| c.iat)
        .expect("a JWT with an iat")
}

/// `path` under the API prefix the clients use.
pub fn api(path: &str) -> String {
    format!("/api/v1{path}")
}

/// A builder for a client of `server`, with retries that do not wait long.
pub fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{}/api/v1", server.uri()))
        .retry_base_delay(Duration::from_millis(1))
        .timeout(Duration::from_secs(10))
}

/// A client of `server` with default settings (and short retry waits).
pub fn client_for(server: &MockServer) -> Client {
    builder_for(server).build().unwrap()
}

/// The login body: the documented user record.
pub fn user_body() -> Value {
    json!({"data": {
        "id": 8415,
        "account_type": {"id": 13, "name": "Client: Demo Package", "description": null,
                         "access_level": {"level": 7, "name": "Client"},
                         "product_code": "PROD/DEMO",
                         "created_at": "2020-02-12T15:54:26+02:00",
                         "updated_at": "2020-10-29T13:35:12+02:00"},
        "username": "demo", "email": "demo@mail.com", "title": null,
        "first_name": "demo", "last_name": null, "full_name": "demo"}})
}

pub fn pong() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"message": "pong"}}))
}

/// Mounts a login that answers the user record and hands out `token`.
pub async fn mount_login(server: &MockServer, token: &str) {
    Mock::given(method("POST"))
        .and(path(api("/auth/login")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("authorization", bearer(token).as_str())
                .insert_header("x-ratelimit-limit", "60")
                .insert_header("x-ratelimit-remaining", "59")
                .insert_header("x-ratelimit-reset", "60")
                .set_body_json(user_body()),
        )
        .mount(server)
        .await;
}

/// The `Authorization` header each received request to `path` carried, in arrival order.
pub async fn authorizations_sent(server: &MockServer, path: &str) -> Vec<Option<String>> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == path)
        .map(|r| {
            r.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect()
}

/// How many requests `server` received for `path`.
pub async fn hits(server: &MockServer, path: &str) -> usize {
    authorizations_sent(server, path).await.len()
}

/// A memory store the test keeps a handle on.
#[derive(Clone, Debug, Default)]
pub struct SharedStore(pub Arc<MemoryTokenStore>);

impl TokenStore for SharedStore {
    fn load(&self) -> Result<Option<BearerToken>, StoreError> {
        self.0.load()
    }
    fn save(&self, token: &BearerToken) -> Result<(), StoreError> {
        self.0.save(token)
    }
    fn clear(&self) -> Result<(), StoreError> {
        self.0.clear()
    }
}

/// A store whose writes always fail, to prove failures stay off the request path.
#[derive(Debug, Default)]
pub struct BrokenStore;

impl TokenStore for BrokenStore {
    fn load(&self) -> Result<Option<BearerToken>, StoreError> {
        Ok(None)
    }
    fn save(&self, _: &BearerToken) -> Result<(), StoreError> {
        Err(StoreError::custom("disk full"))
    }
    fn clear(&self) -> Result<(), StoreError> {
        Err(StoreError::custom("disk full"))
    }
}

/// A pong that hands out `token`.
pub fn rotating_pong(token: &str) -> ResponseTemplate {
    pong().insert_header("authorization", bearer(token).as_str())
}

/// Mounts `GET <api path>` answered with `answer`.
pub async fn mount_get(server: &MockServer, api_path: &str, answer: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(api(api_path)))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// Mounts `POST <api path>` answered with `answer`.
pub async fn mount_post(server: &MockServer, api_path: &str, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(api(api_path)))
        .respond_with(answer)
        .mount(server)
        .await;
}
