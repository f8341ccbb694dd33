//! The whole Destiny flow, offline: starts the bundled mock Destiny server on a free
//! loopback port, logs in as the seeded `demo` user, pings, checks a permission, shows the
//! server rotating the token, and logs out.
//!
//! ```text
//! cargo run -p destiny-api --example quickstart
//! ```
//!
//! No network and no credentials are needed. Tokens are shown as short fingerprints
//! (`tok:3f9a1c2e`), never in full. Set `RUST_LOG=destiny_api=debug` to see each request's
//! span and every token adoption. `real_service.rs` runs the same flow against the real API.

use std::error::Error;
use std::time::Duration;

use destiny_api::token::BearerToken;
use destiny_api::{Client, Scope};
use destiny_mock::seed::DEMO_USER;
use destiny_mock::{MockClock, MockServer, RotationPolicy};
use tracing_subscriber::EnvFilter;

/// How often the real service (and the mock, by default) hands out a new token.
const ROTATION_PERIOD: Duration = Duration::from_secs(5 * 60);

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();

    // The mock runs on its own clock so the example can move time forward instead of
    // waiting five minutes for a rotation.
    let clock = MockClock::new();
    let server = MockServer::builder()
        .rotation_policy(RotationPolicy::Every(ROTATION_PERIOD))
        .clock(clock.clone())
        .start()
        .await;
    println!("1. Mock Destiny server listening at {}", server.base_url());

    let client = Client::builder().base_url(server.base_url()).build()?;

    let user = client.login(DEMO_USER.username, DEMO_USER.password).await?;
    let first = fingerprint(&client)?;
    let account = user
        .account_type
        .as_ref()
        .map_or("no account type", |t| t.name.as_str());
    println!(
        "2. Logged in as {} (id {}, {account}); the token came in the response's \
         Authorization header: {first}",
        user.username, user.id
    );

    let pong = client.ping().await?;
    println!("3. Ping answered \"{}\"", pong.message);
    if let Some(limit) = client.rate_limit() {
        println!("   rate limit: {limit}");
    }

    let own = client.can("clients", "view", Scope::client(100)).await?;
    let foreign = client.can("clients", "view", Scope::client(200)).await?;
    println!("4. May demo view client 100 (its own)? {}", yes_no(own));
    println!(
        "   May demo view client 200 (another partner's)? {}",
        yes_no(foreign)
    );

    clock.advance(ROTATION_PERIOD);
    client.ping().await?;
    let second = fingerprint(&client)?;
    if second == first {
        return Err("the server should have rotated the token after five minutes".into());
    }
    println!(
        "5. Five minutes later (on the mock's clock) a response carried a new token: \
         {first} -> {second}"
    );
    client.can("units", "create", Scope::client(100)).await?;
    let sent = server
        .requests()
        .last()
        .and_then(|request| request.bearer.clone())
        .map(|token| BearerToken::new(token.expose()).map(|t| t.fingerprint()))
        .transpose()?
        .unwrap_or_else(|| "no token".to_owned());
    if sent != second {
        return Err(format!("the next request carried {sent}, not the new {second}").into());
    }
    println!("   the next request carried the new token: {sent}");

    let outcome = client.logout().await?;
    println!("6. {outcome}");
    let token_now = client
        .token()
        .map_or_else(|| "none".to_owned(), |t| t.fingerprint());
    println!("   token held by the client now: {token_now}");
    match client.can("clients", "view", Scope::client(100)).await {
        Err(destiny_api::Error::Unauthorized { .. }) => {
            println!("   a permission check now answers 401 Unauthorized: the session is over");
        }
        other => return Err(format!("expected a 401 after logout, got {other:?}").into()),
    }

    server.shutdown().await;
    println!("Done: the mock server has stopped.");
    Ok(())
}

/// The fingerprint of the token the client will send next.
fn fingerprint(client: &Client) -> Result<String, Box<dyn Error>> {
    client
        .token()
        .map(|token| token.fingerprint())
        .ok_or_else(|| "the client holds no token".into())
}

fn yes_no(answer: bool) -> &'static str {
    if answer { "yes" } else { "no" }
}
