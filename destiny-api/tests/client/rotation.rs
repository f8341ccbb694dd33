//! Token in, token out: login, rotation on any status, newest wins under an out-of-order
//! storm, malformed headers ignored, and tokens only from the base URL's origin.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use destiny_api::{Error, RateLimit};
use rand::Rng;
use reqwest::header::HeaderValue;
use serde_json::json;
use tokio::task::JoinSet;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

#[tokio::test]
async fn login_stores_the_header_token_and_the_next_request_sends_it() {
    let server = MockServer::start().await;
    let token = jwt(BASE_IAT);
    mount_login(&server, &token).await;
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .and(header("authorization", bearer(&token).as_str()))
        .respond_with(pong())
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);

    let user = client.login("demo", "secret").await.unwrap();
    assert_eq!(user.username, "demo");
    assert_eq!(user.id, 8415);
    assert_eq!(client.token().unwrap().expose(), token);
    assert_eq!(client.ping().await.unwrap().message, "pong");

    assert_eq!(
        authorizations_sent(&server, &api("/auth/login")).await,
        [None],
        "login is sent without a token"
    );
    assert_eq!(
        client.rate_limit(),
        Some(RateLimit {
            limit: Some(60),
            remaining: Some(59),
            reset: Some(Duration::from_secs(60)),
        }),
        "the ping carried no rate-limit headers, so the login's stay the last seen"
    );
}

#[tokio::test]
async fn a_token_on_a_200_401_422_or_500_response_is_adopted() {
    for status in [200u16, 401, 422, 500] {
        let server = MockServer::start().await;
        let old = jwt(BASE_IAT);
        let new = jwt(BASE_IAT + 1);
        let body = if status == 200 {
            json!({"data": {"authenticated": true, "user_id": 8415}})
        } else {
            json!({"warnings": ["something is off"]})
        };
        Mock::given(method("POST"))
            .and(path(api("/auth/websentinel/user")))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("authorization", bearer(&new).as_str())
                    .set_body_json(body),
            )
            .mount(&server)
            .await;
        mount_get(&server, "/tests/ping", pong()).await;
        let client = builder_for(&server).token(old.as_str()).build().unwrap();

        let result = client.websentinel_user().await;
        match status {
            200 => assert!(result.unwrap().authenticated),
            401 => assert!(
                matches!(result, Err(Error::Unauthorized { .. })),
                "{result:?}"
            ),
            422 => assert!(
                matches!(result, Err(Error::Validation { .. })),
                "{result:?}"
            ),
            _ => assert!(matches!(result, Err(Error::Server { .. })), "{result:?}"),
        }
        assert_eq!(
            client.token().unwrap().expose(),
            new,
            "status {status}: the rotated token is current"
        );
        client.ping().await.unwrap();
        assert_eq!(
            authorizations_sent(&server, &api("/tests/ping")).await,
            [Some(bearer(&new))],
            "status {status}: the next request sends the rotated token"
        );
    }
}

/// Answers every request after a random pause with a new token, issued in arrival order.
struct Storm {
    next_iat: AtomicI64,
}

impl Respond for Storm {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let iat = self.next_iat.fetch_add(1, Ordering::SeqCst);
        let pause = rand::rng().random_range(0..=20);
        pong()
            .insert_header("authorization", bearer(&jwt(iat)).as_str())
            .set_delay(Duration::from_millis(pause))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_order_storm_keeps_the_token_with_the_highest_iat() {
    const REQUESTS: i64 = 1_000;
    const RUNS: i64 = 20;
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let store = SharedStore::default();
    // One client for all runs (its connections are reused); each run's tokens are newer
    // than every token of the runs before.
    let client = builder_for(&server)
        .token(jwt(BASE_IAT - 1))
        .token_store(store.clone())
        .build()
        .unwrap();
    for run in 0..RUNS {
        let first_iat = BASE_IAT + run * 10 * REQUESTS;
        server.reset().await;
        Mock::given(method("GET"))
            .and(path(api("/tests/ping")))
            .respond_with(Storm {
                next_iat: AtomicI64::new(first_iat),
            })
            .expect(REQUESTS as u64)
            .mount(&server)
            .await;

        let mut calls = JoinSet::new();
        for _ in 0..REQUESTS {
            let client = client.clone();
            calls.spawn(async move { client.ping().await });
        }
        while let Some(result) = calls.join_next().await {
            result.unwrap().unwrap();
        }

        let newest = first_iat + REQUESTS - 1;
        assert_eq!(iat_of(&client.token().unwrap()), newest, "run {run}");
        client.save_token().await.unwrap();
        let stored = destiny_api::TokenStore::load(&store).unwrap().unwrap();
        assert_eq!(iat_of(&stored), newest, "run {run}: the store holds it too");
        server.verify().await;
    }
}

#[tokio::test]
async fn malformed_authorization_headers_are_ignored_and_the_old_token_kept() {
    let long = format!("bearer {}", "a".repeat(8 * 1024 + 1));
    // (what the response carries, why it must be ignored)
    let cases: Vec<(Vec<HeaderValue>, &str)> = vec![
        (
            vec![HeaderValue::from_static("Basic dXNlcjpwYXNz")],
            "another scheme",
        ),
        (vec![HeaderValue::from_static("bearer")], "empty token"),
        (
            vec![HeaderValue::from_static("bearer ")],
            "empty token after the scheme",
        ),
        (
            vec![HeaderValue::from_static("eyJ0eXAi.eyJpYXQi.c2ln")],
            "no scheme",
        ),
        (
            vec![HeaderValue::from_static("bearer abc def")],
            "whitespace inside",
        ),
        (
            vec![HeaderValue::from_static("bearer abc\tdef")],
            "tab inside",
        ),
        (
            vec![HeaderValue::from_bytes(b"bearer tok\xe9n").unwrap()],
            "non-ASCII byte",
        ),
        (vec![HeaderValue::from_str(&long).unwrap()], "over 8 KiB"),
        (
            vec![
                HeaderValue::from_str(&bearer(&jwt(BASE_IAT + 5))).unwrap(),
                HeaderValue::from_str(&bearer(&jwt(BASE_IAT + 6))).unwrap(),
            ],
            "several Authorization headers",
        ),
    ];
    // Line breaks cannot cross HTTP/1.1 as header content (the `http` crate refuses to build
    // such a value); the unit tests of `token::header_check` cover them.
    let server = MockServer::start().await;
    let old = jwt(BASE_IAT);
    for (values, why) in cases {
        assert_eq!(
            ping_answered_with(&server, &old, values).await,
            old,
            "{why}"
        );
    }
    // The same path adopts a well-formed token, so the cases above prove something.
    let valid = vec![HeaderValue::from_str(&bearer(&jwt(BASE_IAT + 9))).unwrap()];
    assert_eq!(
        ping_answered_with(&server, &old, valid).await,
        jwt(BASE_IAT + 9)
    );
}

/// Pings with a client holding `old`, answered with `values` as `Authorization`, and returns
/// the token the client sends on its next request.
async fn ping_answered_with(server: &MockServer, old: &str, values: Vec<HeaderValue>) -> String {
    server.reset().await;
    let mut answer = pong();
    for value in values {
        answer = answer.append_header("authorization", value);
    }
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(answer)
        .up_to_n_times(1)
        .mount(server)
        .await;
    mount_get(server, "/tests/ping", pong()).await;
    let client = builder_for(server).token(old).build().unwrap();
    client.ping().await.unwrap();
    client.ping().await.unwrap();
    let sent = authorizations_sent(server, &api("/tests/ping")).await;
    assert_eq!(sent[0], Some(bearer(old)));
    sent[1]
        .as_deref()
        .unwrap()
        .strip_prefix("bearer ")
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_token_from_another_origin_after_a_redirect_is_not_adopted() {
    let base = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/api/v1/tests/ping", elsewhere.uri()).as_str(),
        ))
        .mount(&base)
        .await;
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(pong().insert_header("authorization", bearer(&jwt(BASE_IAT + 99)).as_str()))
        .expect(1)
        .mount(&elsewhere)
        .await;
    let old = jwt(BASE_IAT);
    let client = builder_for(&base).token(old.as_str()).build().unwrap();

    client.ping().await.unwrap();

    assert_eq!(client.token().unwrap().expose(), old);
    assert_eq!(
        authorizations_sent(&elsewhere, &api("/tests/ping")).await,
        [None],
        "the token is not sent to the other origin either"
    );
}

#[tokio::test]
async fn a_token_after_a_redirect_within_the_same_origin_is_adopted() {
    let server = MockServer::start().await;
    mount_get(
        &server,
        "/tests/ping",
        ResponseTemplate::new(307).insert_header("location", "/api/v1/tests/ping2"),
    )
    .await;
    let new = jwt(BASE_IAT + 1);
    mount_get(&server, "/tests/ping2", rotating_pong(&new)).await;
    let client = builder_for(&server).token(jwt(BASE_IAT)).build().unwrap();

    client.ping().await.unwrap();

    assert_eq!(client.token().unwrap().expose(), new);
}

#[tokio::test]
async fn the_generated_client_rotates_the_token_too() {
    let server = MockServer::start().await;
    let new = jwt(BASE_IAT + 1);
    mount_get(&server, "/tests/ping", rotating_pong(&new)).await;
    let old = jwt(BASE_IAT);
    let client = builder_for(&server).token(old.as_str()).build().unwrap();
    let mut changes = client.subscribe_token();

    let answer = client.generated().ping().send().await.unwrap();

    assert_eq!(answer.data.message, "pong");
    assert_eq!(client.token().unwrap().expose(), new);
    assert!(
        changes.has_changed().unwrap(),
        "subscribers see the rotation"
    );
    assert_eq!(changes.borrow_and_update().as_ref().unwrap().expose(), new);
    assert_eq!(
        authorizations_sent(&server, &api("/tests/ping")).await,
        [Some(bearer(&old))]
    );
}

#[tokio::test]
async fn an_older_token_on_a_late_response_does_not_replace_a_newer_one() {
    let server = MockServer::start().await;
    // The slow request is answered with an older token than the fast one.
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(
            pong()
                .insert_header("authorization", bearer(&jwt(BASE_IAT + 1)).as_str())
                .set_delay(Duration::from_millis(300)),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api("/auth/token")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("authorization", bearer(&jwt(BASE_IAT + 2)).as_str())
                .set_body_json(json!({"data": {"token": bearer(&jwt(BASE_IAT + 2))}})),
        )
        .mount(&server)
        .await;
    let client = builder_for(&server).token(jwt(BASE_IAT)).build().unwrap();

    let slow = tokio::spawn({
        let client = client.clone();
        async move { client.ping().await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let current = client.current_token().await.unwrap();
    slow.await.unwrap().unwrap();

    assert_eq!(current.expose(), jwt(BASE_IAT + 2));
    assert_eq!(iat_of(&client.token().unwrap()), BASE_IAT + 2);
}

#[tokio::test]
async fn a_login_whose_response_carries_no_token_is_an_invalid_response() {
    let server = MockServer::start().await;
    mount_post(
        &server,
        "/auth/login",
        ResponseTemplate::new(200).set_body_json(user_body()),
    )
    .await;
    let client = client_for(&server);
    let err = client.login("demo", "secret").await.unwrap_err();
    assert!(matches!(err, Error::InvalidResponse(_)), "{err:?}");
    assert!(client.token().is_none());
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body) and returns its head.
async fn read_request(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = stream.read(&mut chunk).await.unwrap();
        assert!(read > 0, "the client closed the connection mid-request");
        received.extend_from_slice(&chunk[..read]);
        let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&received[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .map_or(0, |value| value.trim().parse().unwrap());
        if received.len() >= end + 4 + length {
            return head;
        }
    }
}

#[tokio::test]
async fn a_rotation_landing_while_the_login_body_is_read_does_not_fail_the_login() {
    use tokio::io::AsyncWriteExt;
    let (login_token, rotated) = (jwt(BASE_IAT), jwt(BASE_IAT + 1));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}/api/v1", listener.local_addr().unwrap());
    let (finish_login, login_may_finish) = tokio::sync::oneshot::channel::<()>();
    let server = {
        let (login_token, rotated) = (login_token.clone(), rotated.clone());
        tokio::spawn(async move {
            // The login: headers (with the token) now, the body only after the ping.
            let (mut login, _) = listener.accept().await.unwrap();
            assert!(
                read_request(&mut login)
                    .await
                    .starts_with("post /api/v1/auth/login")
            );
            let body = user_body().to_string();
            let (first, rest) = body.split_at(body.len() / 2);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nauthorization: {}\r\n\
                 content-length: {}\r\n\r\n{first}",
                bearer(&login_token),
                body.len()
            );
            login.write_all(head.as_bytes()).await.unwrap();
            // A ping sent with the login's token meanwhile, answered with a rotation.
            let (mut ping, _) = listener.accept().await.unwrap();
            assert!(
                read_request(&mut ping)
                    .await
                    .starts_with("get /api/v1/tests/ping")
            );
            let pong = json!({"data": {"message": "pong"}}).to_string();
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nauthorization: {}\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{pong}",
                bearer(&rotated),
                pong.len()
            );
            ping.write_all(answer.as_bytes()).await.unwrap();
            login_may_finish.await.unwrap();
            login.write_all(rest.as_bytes()).await.unwrap();
            login.flush().await.unwrap();
        })
    };
    let client = destiny_api::Client::builder()
        .base_url(base_url)
        .build()
        .unwrap();

    let login = tokio::spawn({
        let client = client.clone();
        async move { client.login("demo", "secret").await }
    });
    // The hooks store the login's token as soon as its headers arrive.
    let mut waited = 0;
    while client.token().is_none_or(|t| t.expose() != login_token) {
        assert!(waited < 500, "the login's token was never stored");
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
    }
    client.ping().await.unwrap();
    assert_eq!(client.token().unwrap().expose(), rotated);
    finish_login.send(()).unwrap();

    let user = tokio::time::timeout(Duration::from_secs(10), login)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "demo");
    assert_eq!(client.token().unwrap().expose(), rotated);
    server.await.unwrap();
}
