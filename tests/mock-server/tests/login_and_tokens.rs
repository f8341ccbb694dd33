//! Login, the JWT-shaped tokens, token checks, `GET /auth/token`, logout, WebSentinel, ping.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Api, authorization, body, claims, first_warning};
use destiny_mock::seed::{AGENCY_USER, DEMO_USER, PARTNER_USER};
use destiny_mock::{IssueReason, MockServer, RotationPolicy};
use serde_json::json;

#[tokio::test]
async fn login_answers_the_user_record_and_a_new_bearer_token_in_the_header() {
    let api = Api::start().await;
    let response = api.login("demo", "secret").await;
    let token = authorization(&response).unwrap();
    let envelope = body(response, 200).await;

    assert!(token.starts_with("bearer eyJ0eXAiOiJKV1QiLCJh"), "{token}");
    assert_eq!(envelope["data"]["id"], 8415);
    assert_eq!(envelope["data"]["username"], "demo");
    assert_eq!(envelope["data"]["email"], "demo@mail.com");
    assert_eq!(
        envelope["data"]["account_type"]["name"],
        "Client: Demo Package"
    );
    assert_eq!(
        envelope["data"]["account_type"]["access_level"]["name"],
        "Client"
    );
    let issued = api.server.issued_tokens();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].reason, IssueReason::Login);
    assert_eq!(format!("bearer {}", issued[0].token.expose()), token);
}

#[tokio::test]
async fn every_seeded_user_logs_in_by_username_or_by_email_in_any_case() {
    let api = Api::start().await;
    for user in [PARTNER_USER, AGENCY_USER, DEMO_USER] {
        let by_name = body(api.login(user.username, user.password).await, 200).await;
        assert_eq!(by_name["data"]["id"], user.id);
        let by_email = api.login(&user.email.to_uppercase(), user.password).await;
        assert_eq!(body(by_email, 200).await["data"]["id"], user.id);
    }
    assert_eq!(api.server.login_count(), 6);
}

#[tokio::test]
async fn a_wrong_password_or_an_unknown_user_gets_401_with_warnings_and_no_token() {
    let api = Api::start().await;
    for (username, password) in [("demo", "wrong"), ("nobody", "secret"), ("demo", "SECRET")] {
        let response = api.login(username, password).await;
        assert!(authorization(&response).is_none());
        let envelope = body(response, 401).await;
        assert_eq!(first_warning(&envelope), "Invalid username or password.");
    }
    assert!(api.server.issued_tokens().is_empty());
}

#[tokio::test]
async fn tokens_are_hs256_jwts_carrying_sub_iat_exp_and_jti() {
    let api = Api::start().await;
    let token = api.login_header("demo", "secret").await;
    let jwt = token.strip_prefix("bearer ").unwrap();
    let segments: Vec<&str> = jwt.split('.').collect();
    assert_eq!(segments.len(), 3);
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segments[0]).unwrap()).unwrap();
    assert_eq!(header, json!({"typ": "JWT", "alg": "HS256"}));
    let claims = claims(&token);
    assert_eq!(claims["sub"], 8415);
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert_eq!(exp - iat, 7 * 24 * 3600);
    assert!(claims["jti"].as_str().is_some_and(|jti| jti.len() >= 16));
}

#[tokio::test]
async fn an_altered_or_invented_token_is_refused_with_401() {
    let api = Api::start().await;
    let token = api.login_header("demo", "secret").await;
    let jwt = token.strip_prefix("bearer ").unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();

    let mut claims = claims(&token);
    claims["sub"] = json!(PARTNER_USER.id);
    let forged_payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut signature = parts[2].to_owned();
    let last = if signature.ends_with('A') { "B" } else { "A" };
    signature.replace_range(signature.len() - 1.., last);
    let candidates = [
        format!("bearer {}.{forged_payload}.{}", parts[0], parts[2]),
        format!("bearer {}.{}.{signature}", parts[0], parts[1]),
        "bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOjg0MTV9.c2lnbmF0dXJl".to_owned(),
        "bearer not-a-token".to_owned(),
    ];
    for forged in &candidates {
        let response = api.get("/auth/token", Some(forged)).await;
        assert_eq!(response.status(), 401, "{forged}");
        assert!(authorization(&response).is_none());
    }
    assert_eq!(api.get("/auth/token", Some(&token)).await.status(), 200);
}

#[tokio::test]
async fn a_token_issued_by_another_server_is_refused() {
    let other = MockServer::start().await;
    let foreign = Api {
        server: other,
        http: reqwest::Client::new(),
    }
    .login_header("demo", "secret")
    .await;
    let api = Api::start().await;
    let response = api.get("/auth/token", Some(&foreign)).await;
    let envelope = body(response, 401).await;
    assert!(first_warning(&envelope).contains("signature"), "{envelope}");
}

#[tokio::test]
async fn the_bearer_scheme_is_accepted_in_any_case() {
    let api = Api::start().await;
    let token = api.login_header("demo", "secret").await;
    let jwt = token.strip_prefix("bearer ").unwrap();
    for scheme in ["bearer", "Bearer", "BEARER"] {
        let response = api
            .get("/auth/token", Some(&format!("{scheme} {jwt}")))
            .await;
        assert_eq!(response.status(), 200, "{scheme}");
    }
    let response = api.get("/auth/token", Some(&format!("Basic {jwt}"))).await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn every_session_endpoint_answers_401_without_a_token() {
    let api = Api::start().await;
    let responses = [
        api.get("/auth/token", None).await,
        api.get("/auth/permission/clients/action/view", None).await,
        api.post("/auth/logout", None, json!({})).await,
        api.post("/auth/websentinel/user", None, json!({})).await,
    ];
    for response in responses {
        let envelope = body(response, 401).await;
        assert!(
            first_warning(&envelope).contains("Authorization"),
            "{envelope}"
        );
    }
}

#[tokio::test]
async fn iat_strictly_increases_across_all_issued_tokens() {
    let api = Api::with(MockServer::builder().rotation_policy(RotationPolicy::EveryResponse)).await;
    let token = api.login_header("demo", "secret").await;
    api.login_header("agency", "agency-secret").await;
    for _ in 0..5 {
        api.get("/tests/ping", Some(&token)).await;
    }
    let iats: Vec<i64> = api
        .server
        .issued_tokens()
        .iter()
        .map(|t| t.claims.iat)
        .collect();
    assert_eq!(iats.len(), 7);
    assert!(iats.windows(2).all(|w| w[0] < w[1]), "{iats:?}");
}

#[tokio::test]
async fn current_token_answers_the_sessions_newest_token_in_the_envelope() {
    let api = Api::with(MockServer::builder().rotation_policy(RotationPolicy::EveryResponse)).await;
    let login_token = api.login_header("demo", "secret").await;
    let response = api.get("/auth/token", Some(&login_token)).await;
    let rotated = authorization(&response).unwrap();
    let envelope = body(response, 200).await;
    assert_ne!(rotated, login_token);
    assert_eq!(envelope, json!({"data": {"token": rotated}}));
}

#[tokio::test]
async fn logout_revokes_every_token_of_the_session_and_only_that_session() {
    let api = Api::with(MockServer::builder().rotation_policy(RotationPolicy::EveryResponse)).await;
    let first = api.login_header("demo", "secret").await;
    let second = authorization(&api.get("/tests/ping", Some(&first)).await).unwrap();
    let other_session = api.login_header("demo", "secret").await;

    let response = api.post("/auth/logout", Some(&second), json!({})).await;
    assert!(
        authorization(&response).is_none(),
        "no token for a closed session"
    );
    assert_eq!(
        body(response, 200).await,
        json!({"notices": ["Logged out."]})
    );

    for token in [&first, &second] {
        let envelope = body(api.get("/auth/token", Some(token)).await, 401).await;
        assert!(first_warning(&envelope).contains("revoked"), "{envelope}");
    }
    assert_eq!(
        api.get("/auth/token", Some(&other_session)).await.status(),
        200
    );
    let revoked = api
        .server
        .issued_tokens()
        .iter()
        .filter(|t| t.revoked)
        .count();
    assert_eq!(revoked, 2);
}

#[tokio::test]
async fn websentinel_identifies_the_logged_in_user() {
    let api = Api::start().await;
    let token = api.login_header("agency", "agency-secret").await;
    let response = api
        .post("/auth/websentinel/user", Some(&token), json!({}))
        .await;
    assert_eq!(
        body(response, 200).await,
        json!({"data": {"authenticated": true, "user_id": AGENCY_USER.id, "username": "agency"}})
    );
}

#[tokio::test]
async fn ping_answers_pong_with_no_token_or_with_an_invalid_one() {
    let api = Api::start().await;
    for token in [None, Some("bearer not-a-token")] {
        let response = api.get("/tests/ping", token).await;
        assert_eq!(
            body(response, 200).await,
            json!({"data": {"message": "pong"}})
        );
    }
}
