//! The quick start's flow against the real Destiny service: log in, ping, check a
//! permission, watch for a token rotation, log out.
//!
//! ```text
//! DESTINY_USERNAME=your-username DESTINY_PASSWORD=your-password \
//!     cargo run -p destiny-api --example real_service
//! ```
//!
//! | variable | meaning |
//! |---|---|
//! | `DESTINY_BASE_URL` | the API (default `https://www.acmdestiny.net/api/v1`) |
//! | `DESTINY_USERNAME`, `DESTINY_PASSWORD` | your account (required) |
//!
//! The client is built with [`Client::from_env`], so the credentials also let it log in
//! again by itself after a 401. Tokens are shown as short fingerprints, never in full. The
//! real service rotates its token every few minutes, so a short run may see no rotation;
//! `quickstart.rs` shows one against the embedded mock server.

use std::error::Error;
use std::process::ExitCode;

use destiny_api::{
    BASE_URL_VAR, Client, DEFAULT_BASE_URL, PASSWORD_VAR, Scope, Secret, USERNAME_VAR,
};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();

    let (Some(username), Some(password)) = (variable(USERNAME_VAR), variable(PASSWORD_VAR)) else {
        eprintln!(
            "This example talks to the real Destiny service and needs an account:\n\
             \n    {USERNAME_VAR}=your-username {PASSWORD_VAR}=your-password \\\n        \
             cargo run -p destiny-api --example real_service\n\
             \n{BASE_URL_VAR} chooses the API (default {DEFAULT_BASE_URL}).\n\
             To try the SDK without an account or network access, run\n\
             \n    cargo run -p destiny-api --example quickstart"
        );
        return ExitCode::from(2);
    };
    match run(&username, Secret::from(password)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(username: &str, password: Secret) -> Result<(), Box<dyn Error>> {
    let client = Client::from_env()?;
    println!("1. Talking to {}", client.base_url());

    let user = client.login(username, password).await?;
    let first = fingerprint(&client);
    println!(
        "2. Logged in as {} (id {}); token {first}",
        user.username, user.id
    );

    let pong = client.ping().await?;
    println!("3. Ping answered \"{}\"", pong.message);
    if let Some(limit) = client.rate_limit() {
        println!("   rate limit: {limit}");
    }

    let may_view = client.can("clients", "view", Scope::any()).await?;
    println!(
        "4. May {} view clients? {}",
        user.username,
        if may_view { "yes" } else { "no" }
    );

    let now = fingerprint(&client);
    if now == first {
        println!(
            "5. No rotation yet (the service rotates every few minutes); the client would \
             adopt a new token from any response"
        );
    } else {
        println!("5. The service rotated the token: {first} -> {now}");
    }

    let outcome = client.logout().await?;
    println!("6. {outcome}");
    Ok(())
}

/// An environment variable, `None` when unset or empty.
fn variable(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The fingerprint of the token the client will send next.
fn fingerprint(client: &Client) -> String {
    client
        .token()
        .map_or_else(|| "none".to_owned(), |token| token.fingerprint())
}
