//! Token stores through the client: saved in the background, reused after a restart,
//! cleared by logout whatever the server says.

use std::time::Duration;

use destiny_api::{Error, FileTokenStore, TokenStore};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

/// Waits (bounded) until `store` holds `expected` (or nothing, for `None`).
async fn wait_for_store(store: &dyn TokenStore, expected: Option<&str>) {
    for _ in 0..200 {
        let held = store.load().unwrap();
        if held.as_ref().map(|t| t.expose()) == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the store never reached the expected token");
}

#[tokio::test]
async fn a_restarted_client_reuses_the_token_from_the_file_store() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("destiny-token");
    let server = MockServer::start().await;
    let token = jwt(BASE_IAT);
    Mock::given(method("POST"))
        .and(path(api("/auth/login")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("authorization", bearer(&token).as_str())
                .set_body_json(user_body()),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .and(header("authorization", bearer(&token).as_str()))
        .respond_with(pong())
        .expect(1)
        .mount(&server)
        .await;

    let first = builder_for(&server)
        .token_store(FileTokenStore::new(&file))
        .build()
        .unwrap();
    first.login("demo", "secret").await.unwrap();
    // Saved in the background, without an explicit flush.
    wait_for_store(&FileTokenStore::new(&file), Some(&token)).await;
    drop(first);

    let restarted = builder_for(&server)
        .token_store(FileTokenStore::new(&file))
        .build()
        .unwrap();
    assert_eq!(restarted.token().unwrap().expose(), token);
    restarted.ping().await.unwrap();
}

#[tokio::test]
async fn every_rotation_reaches_the_store() {
    let server = MockServer::start().await;
    let new = jwt(BASE_IAT + 1);
    mount_get(&server, "/tests/ping", rotating_pong(&new)).await;
    let store = SharedStore::default();
    let client = builder_for(&server)
        .token(jwt(BASE_IAT))
        .token_store(store.clone())
        .build()
        .unwrap();

    client.ping().await.unwrap();

    wait_for_store(&store, Some(&new)).await;
}

#[tokio::test]
async fn logout_clears_the_token_even_when_the_server_fails() {
    let server = MockServer::start().await;
    let token = jwt(BASE_IAT);
    mount_login(&server, &token).await;
    Mock::given(method("POST"))
        .and(path(api("/auth/logout")))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"warnings": ["Database down"]})),
        )
        .mount(&server)
        .await;
    mount_get(&server, "/tests/ping", pong()).await;
    let store = SharedStore::default();
    let client = builder_for(&server)
        .token_store(store.clone())
        .build()
        .unwrap();
    client.login("demo", "secret").await.unwrap();
    client.save_token().await.unwrap();
    assert!(store.load().unwrap().is_some());

    let outcome = client.logout().await.unwrap();

    assert!(!outcome.server_confirmed());
    assert!(matches!(outcome.server_error(), Some(Error::Server { .. })));
    assert!(outcome.to_string().contains("cleared locally"), "{outcome}");
    assert!(client.token().is_none());
    assert!(store.load().unwrap().is_none(), "the store is cleared too");
    client.ping().await.unwrap();
    assert_eq!(
        authorizations_sent(&server, &api("/tests/ping")).await,
        [None],
        "later requests carry no token"
    );
    assert_eq!(
        authorizations_sent(&server, &api("/auth/logout")).await,
        [Some(bearer(&token))],
        "the logout itself carried the token"
    );
}

#[tokio::test]
async fn a_confirmed_logout_says_so() {
    let server = MockServer::start().await;
    mount_post(
        &server,
        "/auth/logout",
        ResponseTemplate::new(200).set_body_json(json!({"notices": ["Bye"]})),
    )
    .await;
    let client = builder_for(&server).token(jwt(BASE_IAT)).build().unwrap();

    let outcome = client.logout().await.unwrap();

    assert!(outcome.server_confirmed());
    assert!(client.token().is_none());
}

#[tokio::test]
async fn a_failing_store_never_fails_a_request() {
    let server = MockServer::start().await;
    mount_login(&server, &jwt(BASE_IAT)).await;
    let client = builder_for(&server)
        .token_store(BrokenStore)
        .build()
        .unwrap();

    client.login("demo", "secret").await.unwrap();

    assert!(client.token().is_some());
    assert!(matches!(
        client.save_token().await,
        Err(Error::TokenStore(_))
    ));
}

#[tokio::test]
async fn a_corrupt_token_file_fails_the_build_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("destiny-token");
    std::fs::write(&file, b"\x00\x01 this is not a token file").unwrap();

    let err = destiny_api::Client::builder()
        .base_url("http://127.0.0.1:9/api/v1")
        .token_store(FileTokenStore::new(&file))
        .build()
        .unwrap_err();

    assert!(matches!(err, Error::TokenStore(_)), "{err:?}");
    assert!(
        err.to_string().contains(&file.display().to_string()),
        "{err}"
    );
}
