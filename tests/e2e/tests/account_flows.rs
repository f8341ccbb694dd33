//! Password reset and registration end to end: the emails the mock "sends" carry the
//! one-time tokens; the SDK completes the flows and the new passwords log in.

use destiny_api::types::RegistrationCompletion;
use destiny_api::{Error, Scope};
use destiny_e2e::support;
use destiny_mock::seed::{DEMO_USER, SEEDED_INVITATION};
use destiny_mock::{MockServer, OutboxKind, Scope as Place};

fn field_names(err: &Error) -> Vec<String> {
    match err {
        Error::Validation { warn_fields, .. } => {
            warn_fields.iter().map(|w| w.field.clone()).collect()
        }
        other => panic!("expected a validation error, got {other}"),
    }
}

fn registration(token: &str, password: &str) -> RegistrationCompletion {
    RegistrationCompletion {
        token: token.into(),
        password: password.into(),
        password_confirmation: password.into(),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_the_emailed_token_and_the_new_one_logs_in() {
    let server = MockServer::start().await;
    let client = support::client(&server).unwrap();

    let answer = client
        .request_password_reset(DEMO_USER.email)
        .await
        .unwrap();
    assert!(
        answer.notices.iter().flat_map(|n| n.iter()).count() > 0,
        "the request is acknowledged with a notice"
    );
    let email = server
        .outbox()
        .into_iter()
        .rfind(|m| m.kind == OutboxKind::PasswordReset)
        .unwrap();
    assert_eq!(
        (email.to.as_str(), email.username.as_str()),
        (DEMO_USER.email, DEMO_USER.username)
    );

    client
        .reset_password(email.token.clone(), "correct-horse-battery")
        .await
        .unwrap();

    // The new password logs in; the old one no longer does.
    let old = client
        .login(DEMO_USER.username, DEMO_USER.password)
        .await
        .unwrap_err();
    assert!(matches!(old, Error::Unauthorized { .. }), "{old}");
    let user = client
        .login(DEMO_USER.email, "correct-horse-battery")
        .await
        .unwrap();
    assert_eq!(user.id, DEMO_USER.id);

    // The token works once: reusing it is a validation error on the `token` field.
    let reused = client
        .reset_password(email.token, "another-passphrase")
        .await
        .unwrap_err();
    assert_eq!(field_names(&reused), ["token"], "{reused}");
}

#[tokio::test]
async fn a_reset_for_an_unknown_account_is_too_early() {
    let server = MockServer::start().await;
    let client = support::client(&server).unwrap();
    let err = client
        .request_password_reset("nobody@mail.com")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TooEarly { .. }), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(425));
    assert!(
        server
            .outbox()
            .iter()
            .all(|m| m.kind != OutboxKind::PasswordReset)
    );
}

#[tokio::test]
async fn a_new_password_that_breaks_the_rules_is_refused_and_the_token_stays_usable() {
    let server = MockServer::start().await;
    let client = support::client(&server).unwrap();
    client
        .request_password_reset(DEMO_USER.email)
        .await
        .unwrap();
    let token = server.outbox().pop().unwrap().token;

    let err = client
        .reset_password(token.clone(), "short")
        .await
        .unwrap_err();
    assert_eq!(field_names(&err), ["password"], "{err}");

    client
        .reset_password(token, "long-enough-now")
        .await
        .unwrap();
    client
        .login(DEMO_USER.username, "long-enough-now")
        .await
        .unwrap();
}

#[tokio::test]
async fn an_invited_user_completes_registration_logs_in_and_acts_within_its_scope() {
    let server = MockServer::start().await;
    let invitation = server
        .invite("ada", "ada@mail.com", Place::Agency(10))
        .unwrap();
    let email = server.outbox().pop().unwrap();
    assert_eq!(email.kind, OutboxKind::Invitation);
    assert_eq!(email.token, invitation);

    let client = support::client(&server).unwrap();
    let user = client
        .complete_registration(registration(invitation.expose(), "analytical-engine"))
        .await
        .unwrap();
    assert_eq!(user.username, "ada");
    assert_eq!(user.full_name.as_deref(), Some("Ada Lovelace"));

    let logged_in = client.login("ada", "analytical-engine").await.unwrap();
    assert_eq!(logged_in.id, user.id);
    assert!(
        client
            .can("clients", "view", Scope::client(101))
            .await
            .unwrap()
    );
    assert!(
        !client
            .can("clients", "view", Scope::client(110))
            .await
            .unwrap()
    );

    // The registration token works once.
    let reused = client
        .complete_registration(registration(invitation.expose(), "analytical-engine"))
        .await
        .unwrap_err();
    assert_eq!(field_names(&reused), ["token"], "{reused}");
}

#[tokio::test]
async fn the_seeded_invitation_registers_the_newcomer_who_logs_in_by_email() {
    let server = MockServer::start().await;
    let client = support::client(&server).unwrap();
    client
        .complete_registration(registration(SEEDED_INVITATION.token, "first-day-at-work"))
        .await
        .unwrap();
    let user = client
        .login(SEEDED_INVITATION.email, "first-day-at-work")
        .await
        .unwrap();
    assert_eq!(user.username, SEEDED_INVITATION.username);
}

#[tokio::test]
async fn an_unknown_registration_token_is_a_validation_error() {
    let server = MockServer::start().await;
    let client = support::client(&server).unwrap();
    let err = client
        .complete_registration(registration("reg-does-not-exist", "whatever-works"))
        .await
        .unwrap_err();
    assert_eq!(field_names(&err), ["token"], "{err}");
}
