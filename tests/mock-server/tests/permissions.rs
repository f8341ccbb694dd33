//! `GET /auth/permission/{resource}/action/{action}`: the table and the scoping rule for a
//! user at each level of the partner → agency → client hierarchy.

mod common;

use common::{Api, body, first_warning};
use destiny_mock::seed::{AGENCY_USER, DEMO_USER, PARTNER_USER, SeededUser};
use serde_json::json;

/// (resource, action, query, expected answer)
type Case = (&'static str, &'static str, &'static str, bool);

async fn assert_answers(api: &Api, user: SeededUser, cases: &[Case]) {
    let token = api.login_header(user.username, user.password).await;
    for &(resource, action, query, expected) in cases {
        let response = api.permission(&token, resource, action, query).await;
        let envelope = body(response, 200).await;
        assert_eq!(
            envelope,
            json!({"data": {"allowed": expected}}),
            "{} asking {resource}/{action}?{query}",
            user.username
        );
    }
}

#[tokio::test]
async fn a_partner_user_acts_within_its_agencies_and_their_clients_only() {
    let api = Api::start().await;
    assert_answers(
        &api,
        PARTNER_USER,
        &[
            ("clients", "view", "", true),
            ("partners", "view", "partner_id=1", true),
            ("partners", "view", "partner_id=2", false),
            ("agencies", "create", "partner_id=1", true),
            ("agencies", "update", "agency_id=11", true),
            ("agencies", "update", "agency_id=20", false),
            ("clients", "create", "agency_id=10", true),
            ("clients", "update", "client_id=110", true),
            (
                "clients",
                "update",
                "partner_id=1&agency_id=11&client_id=110",
                true,
            ),
            ("clients", "view", "client_id=200", false),
            ("units", "delete", "client_id=101", true),
            ("users", "create", "agency_id=11", true),
        ],
    )
    .await;
}

#[tokio::test]
async fn an_agency_user_acts_within_its_agency_and_its_clients_only() {
    let api = Api::start().await;
    assert_answers(
        &api,
        AGENCY_USER,
        &[
            ("clients", "view", "", true),
            ("partners", "view", "", false),
            ("partners", "view", "partner_id=1", false),
            ("agencies", "view", "agency_id=10", true),
            ("agencies", "view", "agency_id=11", false),
            ("agencies", "create", "partner_id=1", false),
            ("clients", "create", "agency_id=10", true),
            ("clients", "update", "client_id=101", true),
            ("clients", "update", "client_id=110", false),
            ("units", "delete", "client_id=100", true),
            ("users", "view", "agency_id=10", true),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_client_user_acts_only_for_its_own_client() {
    let api = Api::start().await;
    assert_answers(
        &api,
        DEMO_USER,
        &[
            ("clients", "view", "", true),
            ("clients", "view", "client_id=100", true),
            ("clients", "view", "client_id=101", false),
            ("clients", "view", "agency_id=10", false),
            ("clients", "create", "client_id=100", false),
            ("clients", "update", "", false),
            ("units", "view", "client_id=100", true),
            ("units", "create", "client_id=100", true),
            ("units", "create", "client_id=110", false),
            ("units", "delete", "client_id=100", false),
            ("users", "view", "", false),
            ("agencies", "view", "", false),
        ],
    )
    .await;
}

#[tokio::test]
async fn unknown_or_inconsistent_scopes_and_unlisted_actions_are_field_errors() {
    let api = Api::start().await;
    let token = api.login_header("partner", "partner-secret").await;
    let cases = [
        ("rockets", "view", "", "resource"),
        ("clients", "explode", "", "action"),
        ("clients", "view", "client_id=999", "client_id"),
        ("clients", "view", "agency_id=-1", "agency_id"),
        ("clients", "view", "partner_id=7", "partner_id"),
        ("clients", "view", "agency_id=11&client_id=100", "agency_id"),
        ("clients", "view", "partner_id=2&agency_id=10", "partner_id"),
    ];
    for (resource, action, query, field) in cases {
        let response = api.permission(&token, resource, action, query).await;
        let envelope = body(response, 422).await;
        let message = &envelope["warn_fields"][0][field];
        assert!(
            message.is_string(),
            "{resource}/{action}?{query}: {envelope}"
        );
    }
}

#[tokio::test]
async fn a_non_numeric_scope_id_is_a_bad_request_in_the_envelope() {
    let api = Api::start().await;
    let token = api.login_header("demo", "secret").await;
    let response = api
        .permission(&token, "clients", "view", "client_id=abc")
        .await;
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "not axum's plain-text rejection"
    );
    let envelope = body(response, 400).await;
    assert!(first_warning(&envelope).contains("client_id"), "{envelope}");
}
