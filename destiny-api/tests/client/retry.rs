//! Retries: transient failures of GET requests are retried with backoff; POSTs never.

use std::time::{Duration, Instant};

use destiny_api::Error;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

async fn mount_ping_failing_first(server: &MockServer, failure: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(failure)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(pong())
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_get_answered_503_is_retried_and_succeeds() {
    let server = MockServer::start().await;
    mount_ping_failing_first(&server, ResponseTemplate::new(503), 1).await;
    let client = client_for(&server);

    assert_eq!(client.ping().await.unwrap().message, "pong");
    assert_eq!(hits(&server, &api("/tests/ping")).await, 2);
}

#[tokio::test]
async fn bad_gateway_and_gateway_timeout_are_retried_too() {
    let server = MockServer::start().await;
    mount_ping_failing_first(&server, ResponseTemplate::new(502), 1).await;
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(ResponseTemplate::new(504))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let client = client_for(&server);

    client.ping().await.unwrap();
    assert_eq!(hits(&server, &api("/tests/ping")).await, 3);
}

#[tokio::test]
async fn a_post_is_never_retried() {
    let server = MockServer::start().await;
    mount_post(
        &server,
        "/auth/websentinel/user",
        ResponseTemplate::new(503),
    )
    .await;
    let client = client_for(&server);

    let err = client.websentinel_user().await.unwrap_err();

    assert!(matches!(err, Error::Server { status, .. } if status.as_u16() == 503));
    assert_eq!(hits(&server, &api("/auth/websentinel/user")).await, 1);
}

#[tokio::test]
async fn retries_stop_after_the_configured_number() {
    let server = MockServer::start().await;
    mount_ping_failing_first(&server, ResponseTemplate::new(503), 100).await;
    let client = builder_for(&server).max_retries(2).build().unwrap();

    assert!(matches!(client.ping().await, Err(Error::Server { .. })));
    assert_eq!(hits(&server, &api("/tests/ping")).await, 3);
}

#[tokio::test]
async fn zero_retries_disables_retrying() {
    let server = MockServer::start().await;
    mount_ping_failing_first(&server, ResponseTemplate::new(503), 1).await;
    let client = builder_for(&server).max_retries(0).build().unwrap();

    assert!(matches!(client.ping().await, Err(Error::Server { .. })));
    assert_eq!(hits(&server, &api("/tests/ping")).await, 1);
}

#[tokio::test]
async fn a_429_waits_for_retry_after_then_retries() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "1");
    mount_ping_failing_first(&server, limited, 1).await;
    // A base delay far above one second would show if Retry-After were ignored.
    let client = builder_for(&server)
        .retry_base_delay(Duration::from_secs(20))
        .build()
        .unwrap();

    let started = Instant::now();
    client.ping().await.unwrap();
    let waited = started.elapsed();

    assert!(waited >= Duration::from_secs(1), "waited {waited:?}");
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
    assert_eq!(hits(&server, &api("/tests/ping")).await, 2);
}

#[tokio::test]
async fn a_429_asking_for_longer_than_the_cap_reaches_the_caller_with_the_wait() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "120")
        .set_body_json(serde_json::json!({"warnings": ["Slow down"]}));
    mount_ping_failing_first(&server, limited, 1).await;
    let client = builder_for(&server)
        .max_retry_delay(Duration::from_secs(2))
        .build()
        .unwrap();

    let err = client.ping().await.unwrap_err();

    assert!(
        matches!(&err, Error::RateLimited { retry_after: Some(wait), .. } if *wait == Duration::from_secs(120)),
        "{err:?}"
    );
    assert_eq!(hits(&server, &api("/tests/ping")).await, 1);
}

#[tokio::test]
async fn a_dropped_connection_on_a_get_is_retried() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        // First connection: read the request, then hang up without answering.
        let (mut first, _) = listener.accept().await.unwrap();
        read_request_head(&mut first).await;
        drop(first);
        // Second connection: answer properly.
        let (mut second, _) = listener.accept().await.unwrap();
        read_request_head(&mut second).await;
        let body = r#"{"data":{"message":"pong"}}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        second.write_all(answer.as_bytes()).await.unwrap();
        second.shutdown().await.unwrap();
    });
    let client = destiny_api::Client::builder()
        .base_url(format!("http://{address}/api/v1"))
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap();

    assert_eq!(client.ping().await.unwrap().message, "pong");
    server.await.unwrap();
}

/// Reads until the end of the request head (bounded).
async fn read_request_head(stream: &mut tokio::net::TcpStream) {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 1024];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") && seen.len() < 64 * 1024 {
        let read = stream.read(&mut buffer).await.unwrap();
        if read == 0 {
            break;
        }
        seen.extend_from_slice(&buffer[..read]);
    }
}
