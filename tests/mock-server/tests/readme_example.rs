//! The example shown in the crate documentation: a downstream test against the mock server.

use destiny_mock::MockServer;

#[tokio::test]
async fn the_demo_user_logs_in_and_pings_with_the_token() {
    let server = MockServer::start().await;
    let http = reqwest::Client::new();

    let login = http
        .post(format!("{}/auth/login", server.base_url()))
        .json(&serde_json::json!({"username": "demo", "password": "secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let token = login.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(token.starts_with("bearer "));

    let pong: serde_json::Value = http
        .get(format!("{}/tests/ping", server.base_url()))
        .header("authorization", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pong["data"]["message"], "pong");
    assert_eq!(server.login_count(), 1);
}
