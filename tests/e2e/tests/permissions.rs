//! Permission answers for a user at each level of the partner → agency → client hierarchy,
//! inside and outside its scope, through `Client::can` against the mock server.

use destiny_api::{Client, Error, Scope};
use destiny_e2e::support::{self, last_request};
use destiny_mock::MockServer;
use destiny_mock::seed::{AGENCY_USER, DEMO_USER, PARTNER_USER, SeededUser};

/// (resource, action, scope, expected answer)
type Case = (&'static str, &'static str, Scope, bool);

async fn assert_answers(client: &Client, user: &SeededUser, cases: &[Case]) {
    for &(resource, action, scope, expected) in cases {
        let answer = client.can(resource, action, scope).await.unwrap();
        assert_eq!(
            answer, expected,
            "{} may {action} {resource} in {scope:?}: expected {expected}",
            user.username
        );
    }
}

#[tokio::test]
async fn a_partner_user_acts_within_its_agencies_and_their_clients_only() {
    let server = MockServer::start().await;
    let partner = support::logged_in(&server, &PARTNER_USER).await.unwrap();
    assert_answers(
        &partner,
        &PARTNER_USER,
        &[
            ("partners", "view", Scope::any(), true),
            ("partners", "view", Scope::partner(1), true),
            ("partners", "view", Scope::partner(2), false),
            ("agencies", "create", Scope::partner(1), true),
            ("agencies", "update", Scope::agency(11), true),
            ("agencies", "update", Scope::agency(20), false),
            ("clients", "view", Scope::client(110), true),
            ("clients", "create", Scope::agency(10), true),
            ("clients", "view", Scope::client(200), false),
            (
                "units",
                "delete",
                Scope::partner(1).with_agency(10).with_client(101),
                true,
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn an_agency_user_acts_within_its_agency_and_its_clients_only() {
    let server = MockServer::start().await;
    let agency = support::logged_in(&server, &AGENCY_USER).await.unwrap();
    assert_answers(
        &agency,
        &AGENCY_USER,
        &[
            ("agencies", "view", Scope::agency(10), true),
            ("agencies", "view", Scope::agency(11), false),
            ("clients", "view", Scope::client(101), true),
            ("clients", "create", Scope::agency(10), true),
            ("clients", "view", Scope::client(110), false),
            ("clients", "view", Scope::partner(1), false),
            ("agencies", "create", Scope::partner(1), false),
            ("partners", "view", Scope::any(), false),
            ("units", "delete", Scope::client(100), true),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_client_user_acts_for_its_own_client_only() {
    let server = MockServer::start().await;
    let demo = support::logged_in(&server, &DEMO_USER).await.unwrap();
    assert_answers(
        &demo,
        &DEMO_USER,
        &[
            ("clients", "view", Scope::any(), true),
            ("clients", "view", Scope::client(100), true),
            ("units", "create", Scope::client(100), true),
            ("clients", "view", Scope::client(101), false),
            ("units", "view", Scope::agency(10), false),
            ("clients", "create", Scope::client(100), false),
            ("units", "delete", Scope::client(100), false),
            ("users", "view", Scope::any(), false),
        ],
    )
    .await;
}

#[tokio::test]
async fn the_scope_travels_as_query_parameters() {
    let server = MockServer::start().await;
    let partner = support::logged_in(&server, &PARTNER_USER).await.unwrap();
    let scope = Scope::partner(1).with_agency(10).with_client(100);
    assert!(partner.can("clients", "update", scope).await.unwrap());

    let request = last_request(&server).unwrap();
    assert_eq!(
        request.path,
        "/api/v1/auth/permission/clients/action/update"
    );
    let query = request.query.unwrap_or_default();
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort_unstable();
    assert_eq!(pairs, ["agency_id=10", "client_id=100", "partner_id=1"]);
}

#[tokio::test]
async fn questions_without_an_answer_are_validation_errors_naming_the_field() {
    let server = MockServer::start().await;
    let partner = support::logged_in(&server, &PARTNER_USER).await.unwrap();
    for (resource, action, scope, field) in [
        ("rockets", "view", Scope::any(), "resource"),
        ("clients", "explode", Scope::any(), "action"),
        ("clients", "view", Scope::client(999), "client_id"),
        (
            "clients",
            "view",
            Scope::agency(11).with_client(100),
            "agency_id",
        ),
    ] {
        let err = partner.can(resource, action, scope).await.unwrap_err();
        let Error::Validation { warn_fields, .. } = &err else {
            panic!("{resource}/{action} in {scope:?}: expected a validation error, got {err}");
        };
        assert!(
            warn_fields.iter().any(|w| w.field == field),
            "{resource}/{action} in {scope:?}: {warn_fields:?}"
        );
    }
}
