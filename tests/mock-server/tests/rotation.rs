//! Rotation policies, rotated tokens on error answers, and the 7-day validity on a mock clock.

mod common;

use std::time::Duration;

use common::{Api, authorization, body, first_warning};
use destiny_mock::{IssueReason, MockClock, MockServer, RotationPolicy};
use reqwest::StatusCode;

const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);

/// Pings `count` times with the newest token, returning whether each answer rotated it.
async fn ping_following_rotations(api: &Api, token: &mut String, count: usize) -> Vec<bool> {
    let mut rotated = Vec::new();
    for _ in 0..count {
        let response = api.get("/auth/token", Some(token)).await;
        assert_eq!(response.status(), 200);
        match authorization(&response) {
            Some(newer) => {
                assert_ne!(&newer, token);
                *token = newer;
                rotated.push(true);
            }
            None => rotated.push(false),
        }
    }
    rotated
}

#[tokio::test]
async fn the_never_policy_keeps_the_login_token() {
    let api = Api::with(MockServer::builder().rotation_policy(RotationPolicy::Never)).await;
    let mut token = api.login_header("demo", "secret").await;
    assert_eq!(
        ping_following_rotations(&api, &mut token, 5).await,
        [false; 5]
    );
}

#[tokio::test]
async fn the_every_response_policy_rotates_each_authenticated_answer() {
    let api = Api::with(MockServer::builder().rotation_policy(RotationPolicy::EveryResponse)).await;
    let login = api.login_header("demo", "secret").await;
    let mut token = login.clone();
    assert_eq!(
        ping_following_rotations(&api, &mut token, 4).await,
        [true; 4]
    );
    let reasons: Vec<IssueReason> = api
        .server
        .issued_tokens()
        .iter()
        .map(|t| t.reason)
        .collect();
    assert_eq!(reasons[0], IssueReason::Login);
    assert!(reasons[1..].iter().all(|r| *r == IssueReason::Rotation));
    // The superseded login token is still accepted.
    assert_eq!(api.get("/auth/token", Some(&login)).await.status(), 200);
}

#[tokio::test]
async fn the_every_n_requests_policy_rotates_on_every_nth_request() {
    let api =
        Api::with(MockServer::builder().rotation_policy(RotationPolicy::EveryRequests(3))).await;
    let mut token = api.login_header("demo", "secret").await;
    assert_eq!(
        ping_following_rotations(&api, &mut token, 6).await,
        [false, false, true, false, false, true]
    );
}

#[tokio::test]
async fn the_default_policy_rotates_once_five_minutes_have_passed_on_the_clock() {
    let clock = MockClock::new();
    let api = Api::with(MockServer::builder().clock(clock.clone())).await;
    let mut token = api.login_header("demo", "secret").await;
    clock.advance(Duration::from_secs(299));
    assert_eq!(
        ping_following_rotations(&api, &mut token, 2).await,
        [false, false]
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        ping_following_rotations(&api, &mut token, 2).await,
        [true, false]
    );
    clock.advance(Duration::from_secs(300));
    assert_eq!(ping_following_rotations(&api, &mut token, 1).await, [true]);
}

#[tokio::test]
async fn a_policy_changed_at_run_time_applies_to_the_next_request() {
    let api = Api::with(MockServer::builder().rotation_policy(RotationPolicy::Never)).await;
    let mut token = api.login_header("demo", "secret").await;
    assert_eq!(ping_following_rotations(&api, &mut token, 1).await, [false]);
    api.server
        .set_rotation_policy(RotationPolicy::EveryResponse);
    assert_eq!(ping_following_rotations(&api, &mut token, 1).await, [true]);
}

#[tokio::test]
async fn a_rotated_token_comes_back_on_error_answers_too() {
    let api = Api::with(MockServer::builder().rotation_policy(RotationPolicy::EveryResponse)).await;
    let login = api.login_header("demo", "secret").await;

    let unknown_resource = api.permission(&login, "rockets", "launch", "").await;
    let after_422 = authorization(&unknown_resource).expect("a token on the 422 answer");
    assert_eq!(unknown_resource.status(), StatusCode::UNPROCESSABLE_ENTITY);

    api.server
        .fail_next_requests(1, StatusCode::SERVICE_UNAVAILABLE);
    let unavailable = api.get("/auth/token", Some(&after_422)).await;
    let after_503 = authorization(&unavailable).expect("a token on the injected 503 answer");
    assert_eq!(unavailable.status(), StatusCode::SERVICE_UNAVAILABLE);

    let tokens = [&login, &after_422, &after_503];
    assert_eq!(api.server.issued_tokens().len(), 3);
    for token in tokens {
        assert_eq!(api.get("/auth/token", Some(token)).await.status(), 200);
    }
}

#[tokio::test]
async fn ping_with_a_valid_token_rotates_it_like_any_other_request() {
    let api = Api::with(MockServer::builder().rotation_policy(RotationPolicy::EveryResponse)).await;
    let login = api.login_header("demo", "secret").await;
    let response = api.get("/tests/ping", Some(&login)).await;
    assert!(authorization(&response).is_some_and(|t| t != login));
    let anonymous = api.get("/tests/ping", None).await;
    assert!(authorization(&anonymous).is_none());
}

#[tokio::test]
async fn superseded_tokens_stay_valid_for_seven_days_and_then_expire() {
    let clock = MockClock::new();
    let api = Api::with(
        MockServer::builder()
            .clock(clock.clone())
            .rotation_policy(RotationPolicy::EveryResponse),
    )
    .await;
    let old = api.login_header("demo", "secret").await;
    let newer = authorization(&api.get("/tests/ping", Some(&old)).await).unwrap();

    clock.advance(WEEK - Duration::from_secs(1));
    let still_valid = api.get("/auth/token", Some(&old)).await;
    assert_eq!(
        still_valid.status(),
        200,
        "a superseded token works for 7 days"
    );

    clock.advance(Duration::from_secs(1));
    let expired = body(api.get("/auth/token", Some(&old)).await, 401).await;
    assert!(first_warning(&expired).contains("expired"), "{expired}");
    let also_expired = api.get("/auth/token", Some(&newer)).await;
    assert_eq!(
        also_expired.status(),
        401,
        "issued at the same instant, so expired too"
    );
}

#[tokio::test]
async fn with_the_never_policy_a_session_ends_when_its_only_token_expires() {
    let clock = MockClock::new();
    let api = Api::with(
        MockServer::builder()
            .clock(clock.clone())
            .rotation_policy(RotationPolicy::Never)
            .token_validity(Duration::from_secs(60)),
    )
    .await;
    let token = api.login_header("demo", "secret").await;
    clock.advance(Duration::from_secs(59));
    assert_eq!(api.get("/auth/token", Some(&token)).await.status(), 200);
    clock.advance(Duration::from_secs(1));
    assert_eq!(api.get("/auth/token", Some(&token)).await.status(), 401);
    let fresh = api.login_header("demo", "secret").await;
    assert_eq!(api.get("/auth/token", Some(&fresh)).await.status(), 200);
}
