//! The token's life cycle end to end: login, rotation across many requests (the client
//! always sends the newest token), superseded tokens still accepted for 7 days, logout and
//! 401, re-login after revocation, and a token persisted across a restart.

use std::time::Duration;

use destiny_api::{Client, Error, FileTokenStore, Scope};
use destiny_e2e::support::{self, current_token, last_request, newest_issued, sent_token};
use destiny_mock::seed::{AGENCY_USER, DEMO_USER};
use destiny_mock::{IssueReason, MockClock, MockServer, RotationPolicy};

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// Makes one authenticated call of a kind chosen by `step`, so rotation is seen on every
/// operation the client repeats in practice.
async fn some_call(client: &Client, step: usize) {
    match step % 4 {
        0 => assert_eq!(client.ping().await.unwrap().message, "pong"),
        1 => assert!(
            client
                .can("units", "view", Scope::client(100))
                .await
                .unwrap()
        ),
        2 => drop(client.current_token().await.unwrap()),
        _ => assert!(client.websentinel_user().await.unwrap().authenticated),
    }
}

/// Makes `calls` calls and checks, for each, that the request carried the newest token the
/// server had issued and that the client adopted the token the response brought.
async fn assert_newest_token_sent_on_each_of(server: &MockServer, client: &Client, calls: usize) {
    for step in 0..calls {
        let newest_before = newest_issued(server);
        some_call(client, step).await;
        let request = last_request(server).unwrap();
        assert_eq!(
            sent_token(&request),
            newest_before.as_deref(),
            "call {step} did not send the newest token"
        );
        assert_eq!(
            current_token(client),
            newest_issued(server),
            "call {step}: the client did not adopt the token of the response"
        );
    }
}

#[tokio::test]
async fn the_client_sends_the_newest_token_whatever_the_rotation_policy() {
    for (policy, calls, expected_rotations) in [
        (RotationPolicy::EveryResponse, 24, 24),
        (RotationPolicy::EveryRequests(4), 24, 6),
        (RotationPolicy::Never, 8, 0),
    ] {
        let server = MockServer::builder().rotation_policy(policy).start().await;
        let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
        assert_eq!(current_token(&client), newest_issued(&server));

        assert_newest_token_sent_on_each_of(&server, &client, calls).await;

        let rotations = server
            .issued_tokens()
            .iter()
            .filter(|t| t.reason == IssueReason::Rotation)
            .count();
        assert_eq!(rotations, expected_rotations, "{policy}");
        assert_eq!(server.login_count(), 1, "{policy}");
    }
}

#[tokio::test]
async fn login_rotation_superseded_token_logout_and_401_form_one_life_cycle() {
    let server = MockServer::builder()
        .rotation_policy(RotationPolicy::EveryRequests(3))
        .start()
        .await;
    let client = support::client(&server).unwrap();

    // Login: the token comes from the response header, and is the one the server issued.
    client
        .login(DEMO_USER.username, DEMO_USER.password)
        .await
        .unwrap();
    let login_token = current_token(&client).unwrap();
    assert_eq!(Some(&login_token), newest_issued(&server).as_ref());

    // Rotation across many requests; every request carries the newest token.
    assert_newest_token_sent_on_each_of(&server, &client, 30).await;
    let last_token = current_token(&client).unwrap();
    assert_ne!(
        last_token, login_token,
        "30 requests at every 3rd must rotate"
    );
    assert_eq!(server.issued_tokens().len(), 1 + 10);

    // The superseded login token is still accepted by the server.
    let old_session = support::client_with_token(&server, &login_token).unwrap();
    assert!(
        old_session
            .can("clients", "view", Scope::client(100))
            .await
            .unwrap()
    );
    let request = last_request(&server).unwrap();
    assert_eq!(sent_token(&request), Some(login_token.as_str()));
    assert_eq!(request.status.map(|s| s.as_u16()), Some(200));

    // Logout: confirmed, token gone from the client.
    let outcome = client.logout().await.unwrap();
    assert!(outcome.server_confirmed(), "{outcome}");
    assert!(client.token().is_none());

    // Every token of the session now gets 401, the newest and the oldest.
    for token in [&last_token, &login_token] {
        let replayed = support::client_with_token(&server, token).unwrap();
        let err = replayed
            .can("clients", "view", Scope::client(100))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Unauthorized { .. }), "{err}");
        let request = last_request(&server).unwrap();
        assert_eq!(sent_token(&request), Some(token.as_str()));
        assert_eq!(request.status.map(|s| s.as_u16()), Some(401));
    }
    assert!(server.issued_tokens().iter().all(|t| t.revoked));

    // The logged-out client itself has no token to send.
    let err = client
        .can("clients", "view", Scope::client(100))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err}");
    assert_eq!(sent_token(&last_request(&server).unwrap()), None);
}

#[tokio::test]
async fn a_superseded_token_is_accepted_for_seven_days_and_refused_after() {
    let clock = MockClock::new();
    let server = MockServer::builder()
        .rotation_policy(RotationPolicy::EveryResponse)
        .clock(clock.clone())
        .start()
        .await;
    let client = support::logged_in(&server, &AGENCY_USER).await.unwrap();
    let first = current_token(&client).unwrap();

    // An hour later a request rotates the token; the client moves on to the new one.
    clock.advance(Duration::from_secs(3600));
    client.ping().await.unwrap();
    assert_ne!(current_token(&client).unwrap(), first);

    // A minute short of 7 days after it was issued, the first token still works...
    clock.advance(7 * DAY - Duration::from_secs(3600 + 60));
    let holder_of_first = support::client_with_token(&server, &first).unwrap();
    assert!(
        holder_of_first
            .can("clients", "view", Scope::agency(10))
            .await
            .unwrap()
    );

    // ...and two minutes later it has expired, while the client's newer token still works.
    clock.advance(Duration::from_secs(120));
    let late_holder = support::client_with_token(&server, &first).unwrap();
    let err = late_holder
        .can("clients", "view", Scope::agency(10))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err}");
    assert!(
        client
            .can("clients", "view", Scope::agency(10))
            .await
            .unwrap()
    );
    assert_eq!(server.login_count(), 1);
}

/// A client of `server` logged in as `demo`, holding the credentials to log in again.
async fn logged_in_with_credentials(server: &MockServer) -> Client {
    let builder =
        support::client_builder(server).credentials(DEMO_USER.username, DEMO_USER.password);
    support::build_and_log_in(builder, &DEMO_USER)
        .await
        .unwrap()
}

/// Ends the session of `token` behind its holder's back: another client holding the same
/// token logs out, so the server revokes every token of the session.
async fn end_session_elsewhere(server: &MockServer, token: &str) {
    let other = support::client_with_token(server, token).unwrap();
    assert!(other.logout().await.unwrap().server_confirmed());
}

#[tokio::test]
async fn a_client_with_credentials_logs_in_again_once_after_the_server_revoked_its_session() {
    let server = MockServer::start().await;
    let client = logged_in_with_credentials(&server).await;
    let revoked = current_token(&client).unwrap();
    end_session_elsewhere(&server, &revoked).await;
    assert_eq!(server.login_count(), 1);

    // The next call gets a 401, logs in again once, and is replayed with the new token.
    assert!(
        client
            .can("clients", "view", Scope::client(100))
            .await
            .unwrap()
    );
    assert_eq!(server.login_count(), 2);
    let fresh = current_token(&client).unwrap();
    assert_ne!(fresh, revoked);
    let tail: Vec<(String, Option<String>, Option<u16>)> = server
        .requests()
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|r| {
            (
                r.path.clone(),
                sent_token(r).map(str::to_owned),
                r.status.map(|s| s.as_u16()),
            )
        })
        .collect();
    let permission = "/api/v1/auth/permission/clients/action/view".to_owned();
    assert_eq!(
        tail,
        [
            (permission.clone(), Some(revoked), Some(401)),
            ("/api/v1/auth/login".to_owned(), None, Some(200)),
            (permission, Some(fresh), Some(200)),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_after_a_revocation_share_one_new_login() {
    let server = MockServer::start().await;
    let client = logged_in_with_credentials(&server).await;
    end_session_elsewhere(&server, &current_token(&client).unwrap()).await;

    // All spawned before any is awaited, so their 401s overlap.
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.can("clients", "view", Scope::client(100)).await })
        })
        .collect();
    for call in calls {
        assert!(call.await.unwrap().unwrap());
    }
    assert_eq!(
        server.login_count(),
        2,
        "one login, then exactly one re-login"
    );
}

#[tokio::test]
async fn without_credentials_a_revoked_session_reaches_the_caller_as_unauthorized() {
    let server = MockServer::start().await;
    let client = support::logged_in(&server, &DEMO_USER).await.unwrap();
    end_session_elsewhere(&server, &current_token(&client).unwrap()).await;

    let err = client.websentinel_user().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err}");
    assert_eq!(server.login_count(), 1);
}

#[tokio::test]
async fn a_restarted_process_reuses_the_stored_token_without_logging_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("destiny").join("token.json");
    let server = MockServer::builder()
        .rotation_policy(RotationPolicy::EveryResponse)
        .start()
        .await;

    // First process: log in, let the token rotate a few times, save before exiting.
    let builder = support::client_builder(&server).token_store(FileTokenStore::new(&path));
    let first = support::build_and_log_in(builder, &DEMO_USER)
        .await
        .unwrap();
    for _ in 0..3 {
        first.ping().await.unwrap();
    }
    first.save_token().await.unwrap();
    let saved = current_token(&first).unwrap();
    assert_eq!(Some(&saved), newest_issued(&server).as_ref());
    drop(first);

    // Second process: the token comes from the file; no login is needed.
    let restarted = support::client_builder(&server)
        .token_store(FileTokenStore::new(&path))
        .build()
        .unwrap();
    assert_eq!(current_token(&restarted).as_ref(), Some(&saved));
    let sent = support::authenticated_call(&server, &restarted)
        .await
        .unwrap();
    assert_eq!(sent.as_deref(), Some(saved.as_str()));
    assert_eq!(server.login_count(), 1);

    // Logging out clears the file too: a third process starts without a token.
    assert!(restarted.logout().await.unwrap().server_confirmed());
    let third = support::client_builder(&server)
        .token_store(FileTokenStore::new(&path))
        .build()
        .unwrap();
    assert!(third.token().is_none());
}
