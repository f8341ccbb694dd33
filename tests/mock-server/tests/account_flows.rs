//! Password reset and registration: one-time tokens from the outbox.

mod common;

use common::{Api, body, first_warning};
use destiny_mock::seed::SEEDED_INVITATION;
use destiny_mock::{OutboxKind, Scope};
use serde_json::{Value, json};

fn reset_body(token: &str, password: &str, confirmation: &str) -> Value {
    json!({"token": token, "password": password, "password_confirmation": confirmation})
}

/// Requests a reset for `login` and returns the token from the outbox.
async fn reset_token(api: &Api, login: &str) -> String {
    let response = api
        .post(
            "/auth/password/reset/request",
            None,
            json!({"email": login}),
        )
        .await;
    let envelope = body(response, 200).await;
    assert!(envelope["notices"][0].as_str().is_some(), "{envelope}");
    let message = api.server.outbox().pop().unwrap();
    assert_eq!(message.kind, OutboxKind::PasswordReset);
    message.token.expose().to_owned()
}

#[tokio::test]
async fn a_reset_request_for_an_unknown_account_is_too_early_with_warnings() {
    let api = Api::start().await;
    let outbox_before = api.server.outbox().len();
    let response = api
        .post(
            "/auth/password/reset/request",
            None,
            json!({"email": "ghost@mail.com"}),
        )
        .await;
    let envelope = body(response, 425).await;
    assert!(!first_warning(&envelope).is_empty());
    assert_eq!(api.server.outbox().len(), outbox_before);
}

#[tokio::test]
async fn a_reset_request_by_email_or_username_mails_a_one_time_token() {
    let api = Api::start().await;
    reset_token(&api, "demo@mail.com").await;
    reset_token(&api, "demo").await;
    let resets: Vec<_> = api
        .server
        .outbox()
        .into_iter()
        .filter(|m| m.kind == OutboxKind::PasswordReset)
        .collect();
    assert_eq!(resets.len(), 2);
    assert!(
        resets
            .iter()
            .all(|m| m.to == "demo@mail.com" && m.username == "demo")
    );
    assert_ne!(resets[0].token, resets[1].token);
}

#[tokio::test]
async fn a_reset_token_changes_the_password_once_and_a_reuse_is_422() {
    let api = Api::start().await;
    let token = reset_token(&api, "demo").await;
    let response = api
        .post(
            "/auth/password/reset",
            None,
            reset_body(&token, "n3w-secret", "n3w-secret"),
        )
        .await;
    assert!(body(response, 200).await["notices"][0].is_string());
    assert_eq!(api.login("demo", "secret").await.status(), 401);
    assert_eq!(api.login("demo", "n3w-secret").await.status(), 200);

    let reuse = api
        .post(
            "/auth/password/reset",
            None,
            reset_body(&token, "other-secret", "other-secret"),
        )
        .await;
    let envelope = body(reuse, 422).await;
    assert!(
        envelope["warn_fields"][0]["token"]
            .as_str()
            .is_some_and(|m| m.contains("already used")),
        "{envelope}"
    );
    assert_eq!(api.login("demo", "other-secret").await.status(), 401);
}

#[tokio::test]
async fn an_unknown_token_a_short_password_or_a_mismatch_is_422_naming_the_field() {
    let api = Api::start().await;
    let token = reset_token(&api, "agency").await;
    let cases = [
        (
            reset_body("5f2b9c1e8a", "n3w-secret", "n3w-secret"),
            "token",
        ),
        (reset_body(&token, "short", "short"), "password"),
        (
            reset_body(&token, "n3w-secret", "n3w-secreT"),
            "password_confirmation",
        ),
    ];
    for (request, field) in cases {
        let response = api.post("/auth/password/reset", None, request).await;
        let envelope = body(response, 422).await;
        assert!(
            envelope["warn_fields"][0][field].is_string(),
            "{field}: {envelope}"
        );
    }
    let response = api
        .post(
            "/auth/password/reset",
            None,
            reset_body(&token, "n3w-secret", "n3w-secret"),
        )
        .await;
    assert_eq!(
        response.status(),
        200,
        "failed attempts do not use the token up"
    );
}

#[tokio::test]
async fn the_seeded_invitation_completes_once_and_the_new_user_can_log_in() {
    let api = Api::start().await;
    let invitation = api.server.outbox().into_iter().next().unwrap();
    assert_eq!(invitation.kind, OutboxKind::Invitation);
    assert_eq!(invitation.token.expose(), SEEDED_INVITATION.token);

    let request = json!({
        "token": SEEDED_INVITATION.token,
        "password": "welcome-1",
        "password_confirmation": "welcome-1",
        "first_name": "Ada",
        "last_name": "Lovelace",
    });
    let response = api
        .post("/auth/register/complete", None, request.clone())
        .await;
    let user = body(response, 200).await;
    assert_eq!(user["data"]["username"], "newcomer");
    assert_eq!(user["data"]["full_name"], "Ada Lovelace");

    let login = body(api.login("newcomer", "welcome-1").await, 200).await;
    assert_eq!(login["data"]["id"], user["data"]["id"]);

    let again = api.post("/auth/register/complete", None, request).await;
    let envelope = body(again, 422).await;
    assert!(
        envelope["warn_fields"][0]["token"].is_string(),
        "{envelope}"
    );
}

#[tokio::test]
async fn an_invited_user_gets_the_invited_scope_after_registering() {
    let api = Api::start().await;
    let token = api
        .server
        .invite("ada", "ada@mail.com", Scope::Agency(11))
        .unwrap();
    assert_eq!(api.server.outbox().last().unwrap().token, token);
    let request = json!({
        "token": token.expose(),
        "password": "analytical",
        "password_confirmation": "analytical",
    });
    let response = api.post("/auth/register/complete", None, request).await;
    assert_eq!(
        body(response, 200).await["data"]["account_type"]["access_level"]["name"],
        "Agency"
    );

    let session = api.login_header("ada@mail.com", "analytical").await;
    let own = api
        .permission(&session, "clients", "create", "client_id=110")
        .await;
    assert_eq!(body(own, 200).await["data"]["allowed"], true);
    let foreign = api
        .permission(&session, "clients", "create", "client_id=100")
        .await;
    assert_eq!(body(foreign, 200).await["data"]["allowed"], false);
}

#[tokio::test]
async fn registration_with_an_unknown_token_or_mismatched_passwords_is_422() {
    let api = Api::start().await;
    let unknown =
        json!({"token": "reg-0000", "password": "welcome-1", "password_confirmation": "welcome-1"});
    let envelope = body(
        api.post("/auth/register/complete", None, unknown).await,
        422,
    )
    .await;
    assert!(
        envelope["warn_fields"][0]["token"].is_string(),
        "{envelope}"
    );

    let mismatch = json!({
        "token": SEEDED_INVITATION.token,
        "password": "welcome-1",
        "password_confirmation": "welcome-2",
    });
    let envelope = body(
        api.post("/auth/register/complete", None, mismatch).await,
        422,
    )
    .await;
    assert!(
        envelope["warn_fields"][0]["password_confirmation"].is_string(),
        "{envelope}"
    );
    assert_eq!(api.login("newcomer", "welcome-1").await.status(), 401);
}
