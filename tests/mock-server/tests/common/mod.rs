//! Helpers shared by the integration tests: a reqwest client bound to one mock server.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use destiny_mock::{MockServer, MockServerBuilder};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

/// A started mock server and an HTTP client for it.
pub struct Api {
    pub server: MockServer,
    pub http: reqwest::Client,
}

impl Api {
    pub async fn start() -> Self {
        Self::with(MockServer::builder()).await
    }

    pub async fn with(builder: MockServerBuilder) -> Self {
        Self {
            server: builder.start().await,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    pub async fn get(&self, path: &str, authorization: Option<&str>) -> Response {
        let mut request = self.http.get(self.url(path));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        request.send().await.unwrap()
    }

    pub async fn post(&self, path: &str, authorization: Option<&str>, body: Value) -> Response {
        let mut request = self.http.post(self.url(path)).json(&body);
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        request.send().await.unwrap()
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/auth/login",
            None,
            json!({"username": username, "password": password}),
        )
        .await
    }

    /// Logs in and returns the `Authorization` header value (`bearer <token>`).
    pub async fn login_header(&self, username: &str, password: &str) -> String {
        let response = self.login(username, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login as {username}");
        authorization(&response).expect("login answers with an Authorization header")
    }

    /// Asks the permission question with `query` (e.g. `client_id=100`).
    pub async fn permission(
        &self,
        authorization: &str,
        resource: &str,
        action: &str,
        query: &str,
    ) -> Response {
        let path = format!("/auth/permission/{resource}/action/{action}?{query}");
        self.get(&path, Some(authorization)).await
    }
}

/// The `Authorization` response header, if any.
pub fn authorization(response: &Response) -> Option<String> {
    response
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
}

/// The claims of `bearer <jwt>` (or a bare JWT), decoded without checking the signature.
pub fn claims(token: &str) -> Value {
    let jwt = token.strip_prefix("bearer ").unwrap_or(token);
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The JSON body of `response`, asserting the status first.
pub async fn body(response: Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    response.json().await.unwrap()
}

/// The first warning of an error envelope.
pub fn first_warning(envelope: &Value) -> &str {
    envelope["warnings"][0].as_str().unwrap_or_default()
}
