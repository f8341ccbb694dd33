//! Clients pointed at a mock server, and readers of the mock's request log.

use std::time::Duration;

use destiny_api::{Client, ClientBuilder};
use destiny_mock::seed::SeededUser;
use destiny_mock::{MockServer, RecordedRequest};

use crate::spec_coverage::Exchange;

/// A builder for a client of `server`, with short retry waits so that retried requests do
/// not slow the suite down (a server's `Retry-After` is still honoured).
pub fn client_builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .retry_base_delay(Duration::from_millis(5))
        .timeout(Duration::from_secs(10))
}

/// A client of `server` (see [`client_builder`]).
pub fn client(server: &MockServer) -> Result<Client, destiny_api::Error> {
    client_builder(server).build()
}

/// A client of `server` logged in as `user`.
pub async fn logged_in(
    server: &MockServer,
    user: &SeededUser,
) -> Result<Client, destiny_api::Error> {
    build_and_log_in(client_builder(server), user).await
}

/// Builds the client configured by `builder` and logs it in as `user`.
pub async fn build_and_log_in(
    builder: ClientBuilder,
    user: &SeededUser,
) -> Result<Client, destiny_api::Error> {
    let client = builder.build()?;
    client.login(user.username, user.password).await?;
    Ok(client)
}

/// A client of `server` that starts with `token` (as if restored from an earlier session).
pub fn client_with_token(server: &MockServer, token: &str) -> Result<Client, destiny_api::Error> {
    client_builder(server).token(token).build()
}

/// The mock's request log as [`Exchange`]s, for the spec coverage check.
pub fn exchanges(server: &MockServer) -> Vec<Exchange> {
    server
        .requests()
        .iter()
        .map(|r| Exchange::new(r.method.as_str(), &r.path, r.status.map(|s| s.as_u16())))
        .collect()
}

/// The last request the mock received.
pub fn last_request(server: &MockServer) -> Option<RecordedRequest> {
    server.requests().pop()
}

/// The bearer token a recorded request carried.
pub fn sent_token(request: &RecordedRequest) -> Option<&str> {
    request.bearer.as_ref().map(|token| token.expose())
}

/// The newest token the mock has issued (by login or rotation).
pub fn newest_issued(server: &MockServer) -> Option<String> {
    server
        .issued_tokens()
        .last()
        .map(|issued| issued.token.expose().to_owned())
}

/// The token `client` will send next.
pub fn current_token(client: &Client) -> Option<String> {
    client.token().map(|token| token.expose().to_owned())
}

/// Makes one call that needs a valid token (`GET /auth/token`, open to every user) and
/// returns the token the request carried, as the mock received it.
pub async fn authenticated_call(
    server: &MockServer,
    client: &Client,
) -> Result<Option<String>, destiny_api::Error> {
    client.current_token().await?;
    Ok(last_request(server).and_then(|request| sent_token(&request).map(str::to_owned)))
}
