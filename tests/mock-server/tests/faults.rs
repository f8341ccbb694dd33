//! Fault injection, request inspection, and shutting the server down.

mod common;

use std::time::{Duration, Instant};

use common::{Api, authorization, body, first_warning};
use destiny_mock::{MALFORMED_AUTHORIZATION, MockServer, RotationPolicy};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn added_latency_delays_every_answer_until_cleared() {
    let api = Api::start().await;
    api.server.set_latency(Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(api.get("/tests/ping", None).await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    api.server.clear_faults();
    let started = Instant::now();
    api.get("/tests/ping", None).await;
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn a_chosen_status_answers_exactly_the_next_n_requests() {
    let api = Api::start().await;
    api.server
        .fail_next_requests(2, StatusCode::INTERNAL_SERVER_ERROR);
    for _ in 0..2 {
        let response = api.get("/tests/ping", None).await;
        let envelope = body(response, 500).await;
        assert!(first_warning(&envelope).contains("Injected"));
    }
    assert_eq!(api.get("/tests/ping", None).await.status(), 200);
}

#[tokio::test]
async fn a_dropped_connection_gives_the_client_an_error_and_no_answer() {
    let api = Api::start().await;
    api.server.drop_next_requests(1);
    let failed = api.http.get(api.url("/tests/ping")).send().await;
    let err = failed.expect_err("the connection closes without an answer");
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");

    assert_eq!(api.get("/tests/ping", None).await.status(), 200);
    let statuses: Vec<Option<StatusCode>> =
        api.server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [None, Some(StatusCode::OK)]);
}

#[tokio::test]
async fn a_malformed_authorization_header_is_sent_on_the_next_n_answers() {
    let api = Api::with(MockServer::builder().rotation_policy(RotationPolicy::EveryResponse)).await;
    let token = api.login_header("demo", "secret").await;
    api.server.malform_next_authorization_headers(2);
    for _ in 0..2 {
        let response = api.get("/auth/token", Some(&token)).await;
        assert_eq!(
            authorization(&response).as_deref(),
            Some(MALFORMED_AUTHORIZATION)
        );
    }
    let response = api.get("/auth/token", Some(&token)).await;
    assert!(authorization(&response).is_some_and(|t| t.split('.').count() == 3));
}

#[tokio::test]
async fn requests_are_recorded_with_method_path_token_and_status() {
    let api = Api::start().await;
    let token = api.login_header("demo", "secret").await;
    api.get(
        "/auth/permission/clients/action/view?client_id=100",
        Some(&token),
    )
    .await;
    api.post("/auth/logout", Some(&token), json!({})).await;

    let requests = api.server.requests();
    let summary: Vec<(Method, &str, Option<u16>)> = requests
        .iter()
        .map(|r| {
            (
                r.method.clone(),
                r.path.as_str(),
                r.status.map(|s| s.as_u16()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (Method::POST, "/api/v1/auth/login", Some(200)),
            (
                Method::GET,
                "/api/v1/auth/permission/clients/action/view",
                Some(200)
            ),
            (Method::POST, "/api/v1/auth/logout", Some(200)),
        ]
    );
    assert!(requests[0].bearer.is_none());
    let jwt = token.strip_prefix("bearer ").unwrap();
    assert_eq!(requests[1].bearer.as_ref().unwrap().expose(), jwt);
    assert_eq!(requests[1].authorization.as_ref().unwrap().expose(), token);
    assert_eq!(requests[1].query.as_deref(), Some("client_id=100"));
    assert!(
        !format!("{requests:?}").contains(jwt),
        "tokens are redacted in Debug"
    );

    api.server.clear_requests();
    assert!(api.server.requests().is_empty());
    assert_eq!(api.server.login_count(), 0);
}

#[tokio::test]
async fn dropping_the_server_closes_its_port() {
    let server = MockServer::start().await;
    let address = server.address();
    assert!(tokio::net::TcpStream::connect(address).await.is_ok());
    drop(server);
    let mut refused = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(address).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "the port still accepts connections after drop");
}

#[tokio::test]
async fn shutdown_waits_for_the_server_even_with_an_idle_keep_alive_connection() {
    let api = Api::start().await;
    assert_eq!(api.get("/tests/ping", None).await.status(), 200);
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), api.server.shutdown())
        .await
        .expect("shutdown finishes");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "idle connections close at once"
    );
}
