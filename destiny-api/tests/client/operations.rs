//! Every operation of the spec is reachable through the wrapper with typed input and output.

use destiny_api::types::RegistrationCompletion;
use destiny_api::{Error, FieldWarning, Scope};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

#[tokio::test]
async fn can_sends_the_scope_as_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api("/auth/permission/clients/action/view")))
        .and(query_param("partner_id", "1"))
        .and(query_param("client_id", "42"))
        .and(query_param_is_missing("agency_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"allowed": true}})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api("/auth/permission/units/action/create")))
        .and(query_param_is_missing("partner_id"))
        .and(query_param_is_missing("client_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"allowed": false}})))
        .mount(&server)
        .await;
    let client = client_for(&server);

    assert!(
        client
            .can("clients", "view", Scope::partner(1).with_client(42))
            .await
            .unwrap()
    );
    assert!(!client.can("units", "create", Scope::any()).await.unwrap());
}

#[tokio::test]
async fn current_token_reads_the_token_from_the_body() {
    let server = MockServer::start().await;
    let token = jwt(BASE_IAT);
    Mock::given(method("GET"))
        .and(path(api("/auth/token")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": {"token": bearer(&token)}})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);

    assert_eq!(client.current_token().await.unwrap().expose(), token);
}

#[tokio::test]
async fn password_reset_operations_send_the_documented_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api("/auth/password/reset/request")))
        .and(body_json(json!({"email": "demo@mail.com"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"notices": ["Email sent"]})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(api("/auth/password/reset/request")))
        .and(body_json(json!({"email": "nobody@mail.com"})))
        .respond_with(
            ResponseTemplate::new(425).set_body_json(json!({"warnings": ["Unknown account"]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(api("/auth/password/reset")))
        .and(body_json(json!({
            "token": "reset-token", "password": "n3w-pass", "password_confirmation": "n3w-pass"
        })))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_json(json!({"warn_fields": [{"token": "has already been used"}]})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);

    let sent = client
        .request_password_reset("demo@mail.com")
        .await
        .unwrap();
    assert_eq!(sent.notices.unwrap().0, ["Email sent"]);
    let unknown = client
        .request_password_reset("nobody@mail.com")
        .await
        .unwrap_err();
    assert!(
        matches!(&unknown, Error::TooEarly { warnings, .. } if warnings == &["Unknown account"])
    );
    let used = client
        .reset_password("reset-token", "n3w-pass")
        .await
        .unwrap_err();
    match used {
        Error::Validation { warn_fields, .. } => assert_eq!(
            warn_fields,
            [FieldWarning {
                field: "token".into(),
                message: "has already been used".into()
            }]
        ),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn registration_and_websentinel_return_typed_records() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api("/auth/register/complete")))
        .and(body_json(json!({
            "token": "invite", "password": "pw", "password_confirmation": "pw", "first_name": "Ada"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_body()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(api("/auth/websentinel/user")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": {"authenticated": true, "user_id": 8415, "username": "demo"}}),
        ))
        .mount(&server)
        .await;
    let client = client_for(&server);

    let user = client
        .complete_registration(RegistrationCompletion {
            token: "invite".into(),
            password: "pw".into(),
            password_confirmation: "pw".into(),
            first_name: Some("Ada".into()),
            last_name: None,
        })
        .await
        .unwrap();
    assert_eq!(user.email.as_deref(), Some("demo@mail.com"));
    let identity = client.websentinel_user().await.unwrap();
    assert_eq!((identity.authenticated, identity.user_id), (true, 8415));
}

#[tokio::test]
async fn a_wrong_password_is_unauthorized_with_the_servers_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api("/auth/login")))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"warnings": ["Invalid credentials"]})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);

    let err = client.login("demo", "wrong").await.unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { warnings } if warnings == &["Invalid credentials"])
    );
    assert!(client.token().is_none());
}

#[tokio::test]
async fn an_undocumented_status_is_reported_with_its_warnings() {
    let server = MockServer::start().await;
    mount_get(
        &server,
        "/tests/ping",
        ResponseTemplate::new(404).set_body_json(json!({"warnings": ["No route"]})),
    )
    .await;
    let client = client_for(&server);

    let err = client.ping().await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedStatus { status, warnings } if status.as_u16() == 404 && warnings == &["No route"]),
        "{err:?}"
    );
}
