//! Rate limiting, retries and injected faults end to end: what reaches the caller, what the
//! client retries on its own, and what it never replays.

use std::time::{Duration, Instant};

use destiny_api::{Error, Scope};
use destiny_e2e::support::{self, current_token, newest_issued};
use destiny_mock::seed::DEMO_USER;
use destiny_mock::{MALFORMED_AUTHORIZATION, MockServer, RateLimit, RotationPolicy};
use http::StatusCode;

/// `(path, status)` of the last `n` requests the mock received, oldest first.
fn tail(server: &MockServer, n: usize) -> Vec<(String, Option<u16>)> {
    let requests = server.requests();
    let start = requests.len().saturating_sub(n);
    requests[start..]
        .iter()
        .map(|r| (r.path.clone(), r.status.map(|s| s.as_u16())))
        .collect()
}

const PING: &str = "/api/v1/tests/ping";
const PERMISSION: &str = "/api/v1/auth/permission/clients/action/view";
const WEBSENTINEL: &str = "/api/v1/auth/websentinel/user";

#[tokio::test]
async fn a_post_over_the_rate_limit_reaches_the_caller_as_rate_limited() {
    let server = MockServer::start().await;
    let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
    server.set_rate_limit(RateLimit::new(1, Duration::from_secs(60)));

    client.ping().await.unwrap();
    let limit = client.rate_limit().unwrap();
    assert_eq!((limit.limit, limit.remaining), (Some(1), Some(0)));
    assert!(limit.is_exhausted());

    let err = client.websentinel_user().await.unwrap_err();
    let Error::RateLimited { retry_after, .. } = &err else {
        panic!("expected RateLimited, got {err}");
    };
    let wait = retry_after.unwrap();
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
    // Sent once, never replayed.
    assert_eq!(
        tail(&server, 2),
        [(PING.into(), Some(200)), (WEBSENTINEL.into(), Some(429))]
    );
}

#[tokio::test]
async fn a_get_over_the_rate_limit_is_retried_after_the_short_window_and_succeeds() {
    let server = MockServer::start().await;
    let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
    server.set_rate_limit(RateLimit::new(1, Duration::from_secs(1)));

    client.ping().await.unwrap();
    let started = Instant::now();
    assert!(
        client
            .can("clients", "view", Scope::client(100))
            .await
            .unwrap()
    );
    // The server said "Retry-After: 1"; the client waited for the window to restart.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        tail(&server, 3),
        [
            (PING.into(), Some(200)),
            (PERMISSION.into(), Some(429)),
            (PERMISSION.into(), Some(200)),
        ]
    );
}

#[tokio::test]
async fn a_get_whose_wait_is_longer_than_the_client_accepts_is_not_retried() {
    let server = MockServer::start().await;
    let builder = support::client_builder(&server).max_retry_delay(Duration::from_secs(2));
    let client = support::build_and_log_in(builder, &DEMO_USER)
        .await
        .unwrap();
    server.set_rate_limit(RateLimit::new(1, Duration::from_secs(60)));

    client.ping().await.unwrap();
    let err = client.ping().await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(wait), .. } if wait > Duration::from_secs(2)),
        "{err}"
    );
    assert_eq!(
        tail(&server, 2),
        [(PING.into(), Some(200)), (PING.into(), Some(429))]
    );
}

#[tokio::test]
async fn a_503_on_a_get_is_retried_and_succeeds() {
    let server = MockServer::start().await;
    let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
    server.fail_next_requests(2, StatusCode::SERVICE_UNAVAILABLE);

    assert!(
        client
            .can("clients", "view", Scope::client(100))
            .await
            .unwrap()
    );
    assert_eq!(
        tail(&server, 3),
        [
            (PERMISSION.into(), Some(503)),
            (PERMISSION.into(), Some(503)),
            (PERMISSION.into(), Some(200)),
        ]
    );
}

#[tokio::test]
async fn a_503_on_a_post_reaches_the_caller_and_is_not_replayed() {
    let server = MockServer::start().await;
    let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
    server.fail_next_requests(1, StatusCode::SERVICE_UNAVAILABLE);

    let err = client.websentinel_user().await.unwrap_err();
    assert!(
        matches!(&err, Error::Server { status, .. } if status.as_u16() == 503),
        "{err}"
    );
    assert_eq!(tail(&server, 1), [(WEBSENTINEL.into(), Some(503))]);
    // The fault is spent: the next call goes through.
    assert!(client.websentinel_user().await.unwrap().authenticated);
}

#[tokio::test]
async fn a_dropped_connection_on_a_get_is_retried_and_succeeds() {
    let server = MockServer::start().await;
    let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
    server.drop_next_requests(1);

    assert_eq!(client.ping().await.unwrap().message, "pong");
    assert_eq!(
        tail(&server, 2),
        [(PING.into(), None), (PING.into(), Some(200))]
    );
}

#[tokio::test]
async fn a_dropped_connection_on_a_post_is_a_transport_error_and_is_not_replayed() {
    let server = MockServer::start().await;
    let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
    server.drop_next_requests(1);

    let err = client.websentinel_user().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");
    assert_eq!(tail(&server, 1), [(WEBSENTINEL.into(), None)]);
    assert!(client.websentinel_user().await.unwrap().authenticated);
}

#[tokio::test]
async fn a_token_rotated_on_an_error_response_is_adopted() {
    let server = MockServer::builder()
        .rotation_policy(RotationPolicy::EveryResponse)
        .start()
        .await;
    let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
    let before = current_token(&client).unwrap();
    server.fail_next_requests(1, StatusCode::INTERNAL_SERVER_ERROR);

    let err = client.websentinel_user().await.unwrap_err();
    assert!(matches!(err, Error::Server { .. }), "{err}");
    let after = current_token(&client).unwrap();
    assert_ne!(after, before);
    assert_eq!(Some(&after), newest_issued(&server).as_ref());

    let sent = support::authenticated_call(&server, &client).await.unwrap();
    assert_eq!(sent.as_deref(), Some(after.as_str()));
}

#[tokio::test]
async fn a_malformed_authorization_header_is_ignored_and_the_token_kept() {
    let server = MockServer::start().await;
    let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
    let token = current_token(&client).unwrap();
    server.malform_next_authorization_headers(1);

    assert_eq!(client.ping().await.unwrap().message, "pong");
    assert_eq!(
        current_token(&client).as_deref(),
        Some(token.as_str()),
        "the client adopted `{MALFORMED_AUTHORIZATION}`"
    );

    let sent = support::authenticated_call(&server, &client).await.unwrap();
    assert_eq!(sent.as_deref(), Some(token.as_str()));
}

#[tokio::test]
async fn an_answer_slower_than_the_timeout_is_a_transport_error_and_faster_ones_pass() {
    let server = MockServer::start().await;
    let builder = support::client_builder(&server)
        .timeout(Duration::from_millis(150))
        .max_retries(0);
    let client = support::build_and_log_in(builder, &DEMO_USER)
        .await
        .unwrap();

    server.set_latency(Duration::from_millis(600));
    let err = client.ping().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");

    server.set_latency(Duration::from_millis(20));
    assert_eq!(client.ping().await.unwrap().message, "pong");
}
