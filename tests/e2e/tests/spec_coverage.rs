//! Every operation of `spec/destiny.yaml`, driven through `destiny-api` against one mock
//! server; the test fails if the mock's request log misses an operation of the spec.

use destiny_api::Scope;
use destiny_api::types::RegistrationCompletion;
use destiny_e2e::spec_coverage::{SpecOperations, destiny_spec_path};
use destiny_e2e::support;
use destiny_mock::seed::{DEMO_USER, SEEDED_INVITATION};
use destiny_mock::{MockServer, OutboxKind, RotationPolicy};

#[tokio::test]
async fn every_operation_of_the_spec_is_exercised_through_the_sdk() {
    let server = MockServer::builder()
        .rotation_policy(RotationPolicy::EveryResponse)
        .start()
        .await;
    let client = support::client(&server).unwrap();

    // ping: works without a token.
    assert_eq!(client.ping().await.unwrap().message, "pong");

    // login
    let user = client
        .login(DEMO_USER.username, DEMO_USER.password)
        .await
        .unwrap();
    assert_eq!((user.id, user.username.as_str()), (DEMO_USER.id, "demo"));

    // current_token: the body names the token the client now holds (the response that
    // carried it rotated it, and the client adopted that rotation).
    let reported = client.current_token().await.unwrap();
    assert_eq!(
        Some(reported.expose().to_owned()),
        support::current_token(&client)
    );

    // check_permission
    assert!(
        client
            .can("clients", "view", Scope::client(100))
            .await
            .unwrap()
    );

    // websentinel_user
    let identity = client.websentinel_user().await.unwrap();
    assert!(identity.authenticated);
    assert_eq!(identity.user_id, DEMO_USER.id);

    // request_password_reset, then reset_password with the emailed token
    client
        .request_password_reset(DEMO_USER.email)
        .await
        .unwrap();
    let reset = server
        .outbox()
        .into_iter()
        .rfind(|m| m.kind == OutboxKind::PasswordReset && m.to == DEMO_USER.email)
        .unwrap();
    client
        .reset_password(reset.token, "a-brand-new-passphrase")
        .await
        .unwrap();

    // complete_registration with the seeded invitation
    let newcomer = client
        .complete_registration(RegistrationCompletion {
            token: SEEDED_INVITATION.token.into(),
            password: "welcome-aboard-1".into(),
            password_confirmation: "welcome-aboard-1".into(),
            first_name: Some("New".into()),
            last_name: Some("Comer".into()),
        })
        .await
        .unwrap();
    assert_eq!(newcomer.username, SEEDED_INVITATION.username);

    // logout
    let outcome = client.logout().await.unwrap();
    assert!(outcome.server_confirmed(), "{outcome}");

    let spec = SpecOperations::from_file(&destiny_spec_path()).unwrap();
    let coverage = spec.coverage(&support::exchanges(&server));
    assert!(coverage.is_complete(), "{coverage}");
    assert_eq!(spec.operations().len(), 9);
}
