//! Rate-limit headers and 429s, and bad input answered in the envelope (never a 500).

mod common;

use std::time::Duration;

use common::{Api, body, first_warning};
use destiny_mock::{MockClock, MockServer, RateLimit};
use reqwest::Response;
use serde_json::json;

fn header_number(response: &Response, name: &str) -> u64 {
    response.headers()[name].to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn every_answer_carries_the_rate_limit_headers() {
    let api = Api::with(MockServer::builder().rate_limit(RateLimit::REAL_SERVICE)).await;
    let responses = [
        api.login("demo", "secret").await,
        api.login("demo", "wrong").await,
        api.get("/tests/ping", None).await,
        api.get("/auth/token", None).await,
        api.get("/no/such/path", None).await,
    ];
    for (i, response) in responses.iter().enumerate() {
        assert_eq!(header_number(response, "x-ratelimit-limit"), 60);
        assert_eq!(
            header_number(response, "x-ratelimit-remaining"),
            59 - i as u64
        );
        let reset = header_number(response, "x-ratelimit-reset");
        assert!((1..=60).contains(&reset), "{reset}");
    }
}

#[tokio::test]
async fn the_request_over_the_limit_gets_429_with_retry_after_until_the_window_restarts() {
    let clock = MockClock::new();
    let api = Api::with(
        MockServer::builder()
            .clock(clock.clone())
            .rate_limit(RateLimit::new(3, Duration::from_secs(60))),
    )
    .await;
    for _ in 0..3 {
        assert_eq!(api.get("/tests/ping", None).await.status(), 200);
    }
    clock.advance(Duration::from_secs(20));
    let refused = api.get("/tests/ping", None).await;
    assert_eq!(header_number(&refused, "retry-after"), 40);
    assert_eq!(header_number(&refused, "x-ratelimit-remaining"), 0);
    let envelope = body(refused, 429).await;
    assert!(first_warning(&envelope).contains("Too many requests"));

    clock.advance(Duration::from_secs(40));
    let again = api.get("/tests/ping", None).await;
    assert_eq!(again.status(), 200);
    assert_eq!(header_number(&again, "x-ratelimit-remaining"), 2);
}

#[tokio::test]
async fn a_rate_limit_set_at_run_time_starts_a_fresh_window() {
    let api = Api::start().await;
    api.server
        .set_rate_limit(RateLimit::new(1, Duration::from_secs(60)));
    assert_eq!(api.get("/tests/ping", None).await.status(), 200);
    assert_eq!(api.get("/tests/ping", None).await.status(), 429);
}

#[tokio::test]
async fn malformed_json_is_400_in_the_error_envelope() {
    let api = Api::start().await;
    for raw in [
        r#"{"username": "demo", "#,
        "",
        "not json",
        r#"{"username":"demo","password":"secret"} extra"#,
    ] {
        let response = api
            .http
            .post(api.url("/auth/login"))
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-type"], "application/json");
        let envelope = body(response, 400).await;
        assert!(
            first_warning(&envelope).contains("not valid JSON"),
            "{raw:?}: {envelope}"
        );
    }
}

#[tokio::test]
async fn a_body_without_the_json_content_type_is_400() {
    let api = Api::start().await;
    let response = api
        .http
        .post(api.url("/auth/login"))
        .header("content-type", "text/plain")
        .body(r#"{"username": "demo", "password": "secret"}"#)
        .send()
        .await
        .unwrap();
    let envelope = body(response, 400).await;
    assert!(
        first_warning(&envelope).contains("Content-Type"),
        "{envelope}"
    );
}

#[tokio::test]
async fn missing_or_mistyped_fields_are_422_naming_the_field() {
    let api = Api::start().await;
    let cases = [
        ("/auth/login", json!({"username": "demo"}), "password"),
        (
            "/auth/login",
            json!({"username": 8415, "password": "secret"}),
            "username",
        ),
        (
            "/auth/login",
            json!({"username": "", "password": "secret"}),
            "username",
        ),
        ("/auth/login", json!([1, 2]), "body"),
        ("/auth/password/reset/request", json!({}), "email"),
        (
            "/auth/password/reset",
            json!({"token": "t", "password": "p"}),
            "password_confirmation",
        ),
        (
            "/auth/register/complete",
            json!({"password": "p", "password_confirmation": "p"}),
            "token",
        ),
    ];
    for (path, request, field) in cases {
        let envelope = body(api.post(path, None, request.clone()).await, 422).await;
        assert!(
            envelope["warn_fields"][0][field].is_string(),
            "{path} {request}: {envelope}"
        );
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_are_answered_in_the_envelope() {
    let api = Api::start().await;
    let envelope = body(api.get("/auth/nothing-here", None).await, 404).await;
    assert!(!first_warning(&envelope).is_empty());
    let envelope = body(api.get("/auth/login", None).await, 405).await;
    assert!(!first_warning(&envelope).is_empty());
}
