//! Logging in again after a 401: one login for many concurrent failures, one replay each.

use std::time::Duration;

use destiny_api::Error;
use serde_json::json;
use tokio::task::JoinSet;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

/// Accepts only `valid`; anything else is answered 401.
struct AcceptOnly {
    valid: String,
    ok: ResponseTemplate,
}

impl Respond for AcceptOnly {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let sent = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if sent == Some(self.valid.as_str()) {
            self.ok.clone()
        } else {
            ResponseTemplate::new(401).set_body_json(json!({"warnings": ["Token expired"]}))
        }
    }
}

async fn mount_slow_login(server: &MockServer, token: &str) {
    Mock::given(method("POST"))
        .and(path(api("/auth/login")))
        .and(body_json(json!({"username": "demo", "password": "secret"})))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("authorization", bearer(token).as_str())
                .set_body_json(user_body())
                .set_delay(Duration::from_millis(100)),
        )
        .mount(server)
        .await;
}

async fn mount_ping_accepting(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(AcceptOnly {
            valid: bearer(token),
            ok: pong(),
        })
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_401s_trigger_exactly_one_login_and_all_succeed_after_replay() {
    let server = MockServer::start().await;
    let (expired, fresh) = (jwt(BASE_IAT), jwt(BASE_IAT + 1));
    mount_slow_login(&server, &fresh).await;
    mount_ping_accepting(&server, &fresh).await;
    let client = builder_for(&server)
        .token(expired.as_str())
        .credentials("demo", "secret")
        .build()
        .unwrap();

    let mut calls = JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        calls.spawn(async move { client.ping().await });
    }
    while let Some(result) = calls.join_next().await {
        assert_eq!(result.unwrap().unwrap().message, "pong");
    }

    assert_eq!(
        hits(&server, &api("/auth/login")).await,
        1,
        "exactly one login"
    );
    let pings = authorizations_sent(&server, &api("/tests/ping")).await;
    let with = |token: &str| {
        pings
            .iter()
            .filter(|s| s.as_deref() == Some(bearer(token).as_str()))
            .count()
    };
    assert_eq!(
        (with(&expired), with(&fresh)),
        (50, 50),
        "each call replayed once"
    );
    assert_eq!(client.token().unwrap().expose(), fresh);
}

#[tokio::test]
async fn without_credentials_a_401_reaches_the_caller() {
    let server = MockServer::start().await;
    mount_ping_accepting(&server, &jwt(BASE_IAT + 1)).await;
    let client = builder_for(&server).token(jwt(BASE_IAT)).build().unwrap();

    let err = client.ping().await.unwrap_err();

    assert!(matches!(&err, Error::Unauthorized { warnings } if warnings == &["Token expired"]));
    assert_eq!(hits(&server, &api("/tests/ping")).await, 1, "no replay");
    assert_eq!(hits(&server, &api("/auth/login")).await, 0);
}

#[tokio::test]
async fn a_failed_re_login_hands_the_original_401_to_the_caller() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api("/auth/login")))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"warnings": ["Wrong password"]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_ping_accepting(&server, &jwt(BASE_IAT + 1)).await;
    let client = builder_for(&server)
        .token(jwt(BASE_IAT))
        .credentials("demo", "secret")
        .build()
        .unwrap();

    let err = client.ping().await.unwrap_err();

    assert!(matches!(&err, Error::Unauthorized { warnings } if warnings == &["Token expired"]));
    assert_eq!(hits(&server, &api("/tests/ping")).await, 1);
}

#[tokio::test]
async fn a_post_is_replayed_once_after_re_login() {
    let server = MockServer::start().await;
    let fresh = jwt(BASE_IAT + 1);
    mount_slow_login(&server, &fresh).await;
    Mock::given(method("POST"))
        .and(path(api("/auth/websentinel/user")))
        .respond_with(AcceptOnly {
            valid: bearer(&fresh),
            ok: ResponseTemplate::new(200)
                .set_body_json(json!({"data": {"authenticated": true, "user_id": 8415}})),
        })
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .token(jwt(BASE_IAT))
        .credentials("demo", "secret")
        .build()
        .unwrap();

    assert!(client.websentinel_user().await.unwrap().authenticated);
    assert_eq!(hits(&server, &api("/auth/websentinel/user")).await, 2);
    assert_eq!(hits(&server, &api("/auth/login")).await, 1);
}

#[tokio::test]
async fn a_request_that_still_gets_401_after_the_replay_is_not_replayed_again() {
    let server = MockServer::start().await;
    mount_slow_login(&server, &jwt(BASE_IAT + 1)).await;
    mount_ping_accepting(&server, "bearer never-valid").await;
    let client = builder_for(&server)
        .token(jwt(BASE_IAT))
        .credentials("demo", "secret")
        .build()
        .unwrap();

    assert!(matches!(
        client.ping().await,
        Err(Error::Unauthorized { .. })
    ));
    assert_eq!(hits(&server, &api("/tests/ping")).await, 2);
    assert_eq!(hits(&server, &api("/auth/login")).await, 1);
}

#[tokio::test]
async fn with_credentials_and_no_token_a_401_logs_in_and_replays() {
    let server = MockServer::start().await;
    let fresh = jwt(BASE_IAT + 1);
    mount_slow_login(&server, &fresh).await;
    mount_ping_accepting(&server, &fresh).await;
    let client = builder_for(&server)
        .credentials("demo", "secret")
        .build()
        .unwrap();

    client.ping().await.unwrap();

    assert_eq!(
        authorizations_sent(&server, &api("/tests/ping")).await,
        [None, Some(bearer(&fresh))]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_401s_with_wrong_credentials_cost_one_failed_login() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api("/auth/login")))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"warnings": ["Wrong password"]})),
        )
        .mount(&server)
        .await;
    // Every ping is refused, late enough that all fifty were sent before the first login.
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"warnings": ["Token expired"]}))
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .token(jwt(BASE_IAT))
        .credentials("demo", "wrong")
        .build()
        .unwrap();

    let mut calls = JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        calls.spawn(async move { client.ping().await });
    }
    while let Some(result) = calls.join_next().await {
        let err = result.unwrap().unwrap_err();
        assert!(
            matches!(&err, Error::Unauthorized { warnings } if warnings == &["Token expired"]),
            "{err:?}"
        );
    }

    assert_eq!(
        hits(&server, &api("/auth/login")).await,
        1,
        "one failed login"
    );
    assert_eq!(hits(&server, &api("/tests/ping")).await, 50, "no replay");
}
