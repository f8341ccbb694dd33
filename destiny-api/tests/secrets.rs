//! No password or token in any formatted output: `Debug`, `Display`, errors, or logs.
//!
//! A test binary of its own: it installs a `tracing` subscriber, and `tracing` caches per
//! call site whether anyone listens, which tests running on other threads of the same
//! process would disturb.

#[allow(
    dead_code,
    reason = "shared with the `client` test binary, which uses all of it"
)]
#[path = "client/common.rs"]
mod common;

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use destiny_api::types::{LoginRequest, PasswordReset, RegistrationCompletion};
use destiny_api::{Client, Error, FileTokenStore, TokenStore};
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const PASSWORD: &str = "hunter2-p4ssw0rd";
const RESET_TOKEN: &str = "one-time-r3set";

/// Every secret of the scenario below: the tokens it hands out and the passwords.
fn secrets() -> Vec<String> {
    let mut all: Vec<String> = (0..4).map(|i| jwt(BASE_IAT + i)).collect();
    // A token is long; any recognisable part of one would be a leak too.
    all.extend(
        all.clone()
            .iter()
            .map(|t| t.rsplit('.').next().unwrap().to_owned()),
    );
    all.extend([
        PASSWORD.to_owned(),
        RESET_TOKEN.to_owned(),
        "s3cr3t-in-a-bad-header".to_owned(),
    ]);
    all
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(&secret), "{what} leaks a secret:\n{text}");
    }
}

/// Collects everything the `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

#[tokio::test]
async fn no_secret_appears_in_formatted_output_or_logs() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    let (t0, t1, t2, t3) = (
        jwt(BASE_IAT),
        jwt(BASE_IAT + 1),
        jwt(BASE_IAT + 2),
        jwt(BASE_IAT + 3),
    );
    mount_login(&server, &t1).await;
    // Rotation, a malformed header with a secret in it, an error response with a token.
    Mock::given(method("GET"))
        .and(path(api("/tests/ping")))
        .respond_with(pong().insert_header("authorization", bearer(&t2).as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_get(
        &server,
        "/tests/ping",
        pong().insert_header("authorization", "bearer s3cr3t-in-a-bad-header extra"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(api("/auth/token")))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("authorization", bearer(&t3).as_str())
                .set_body_json(json!({"warnings": ["gone"]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(api("/auth/password/reset")))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_json(json!({"warn_fields": [{"password": "too weak"}]})),
        )
        .mount(&server)
        .await;
    mount_post(&server, "/auth/logout", ResponseTemplate::new(500)).await;
    // A 401 that makes the client log in again with the configured password.
    Mock::given(method("POST"))
        .and(path(api("/auth/websentinel/user")))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_post(
        &server,
        "/auth/websentinel/user",
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": {"authenticated": true, "user_id": 1}})),
    )
    .await;

    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path().join("token.json"));
    let builder = builder_for(&server)
        .token(t0.as_str())
        .credentials("demo", PASSWORD)
        .token_store(store.clone());
    let mut printed = vec![format!("{builder:?}"), format!("{builder:#?}")];
    let client = builder.build().unwrap();

    client.login("demo", PASSWORD).await.unwrap();
    let rotated = client.generated().ping().send().await.unwrap();
    client.ping().await.unwrap();
    let undocumented = client.generated().current_token().send().await.unwrap_err();
    let weak = client
        .reset_password(RESET_TOKEN, PASSWORD)
        .await
        .unwrap_err();
    client.websentinel_user().await.unwrap();
    client.save_token().await.unwrap();
    // A token file holding something that is not a token (here: a token and a word).
    let corrupt_file = dir.path().join("corrupt.json");
    std::fs::write(
        &corrupt_file,
        json!({"version": 1, "token": format!("{t3} {PASSWORD}")}).to_string(),
    )
    .unwrap();
    let corrupt = builder_for(&server)
        .token_store(FileTokenStore::new(&corrupt_file))
        .build()
        .unwrap_err();
    let transport = Client::builder()
        .base_url("http://127.0.0.1:1/api/v1")
        .token(t0.as_str())
        .max_retries(0)
        .build()
        .unwrap()
        .ping()
        .await
        .unwrap_err();
    assert!(matches!(transport, Error::Transport(_)));

    printed.extend([
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.token()),
        format!("{:?}", client.subscribe_token()),
        format!("{rotated:?}"),
        format!("{undocumented:?} {undocumented}"),
        format!("{weak:?} {weak}"),
        format!("{transport:?} {transport}"),
        format!("{corrupt:?} {corrupt}"),
        format!("{store:?} {:?}", store.load()),
        format!(
            "{:?}",
            LoginRequest {
                username: "demo".try_into().unwrap(),
                password: PASSWORD.into()
            }
        ),
        format!(
            "{:?}",
            PasswordReset {
                token: RESET_TOKEN.into(),
                password: PASSWORD.into(),
                password_confirmation: PASSWORD.into()
            }
        ),
        format!(
            "{:?}",
            RegistrationCompletion {
                token: RESET_TOKEN.into(),
                password: PASSWORD.into(),
                password_confirmation: PASSWORD.into(),
                first_name: None,
                last_name: None
            }
        ),
    ]);
    let outcome = client.logout().await.unwrap();
    printed.push(format!("{outcome:?} {outcome}"));

    // The scenario did what it claims: the rotated token and the bad header were seen.
    assert_eq!(rotated.data.message, "pong");
    let logged = logs.text();
    assert!(
        logged.contains("ignored a malformed Authorization response header"),
        "{logged}"
    );
    assert!(logged.contains("destiny.request"), "{logged}");
    assert!(logged.contains("logging in again"), "{logged}");
    assert!(matches!(corrupt, Error::TokenStore(_)), "{corrupt:?}");

    for (i, text) in printed.iter().enumerate() {
        assert_no_secret(&format!("formatted value #{i}"), text);
    }
    assert_no_secret("the logs", &logged);
}
