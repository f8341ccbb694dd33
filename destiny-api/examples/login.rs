//! Logs in, pings, checks a permission and logs out, showing each token rotation.
//!
//! ```text
//! DESTINY_BASE_URL=https://www.acmdestiny.net/api/v1 \
//! DESTINY_USERNAME=demo DESTINY_PASSWORD=secret \
//!     cargo run -p destiny-api --example login
//! ```
//!
//! Set `RUST_LOG=destiny_api=debug` to see the request spans and rotations. The token is
//! kept in `./destiny-token.json` (0600), so a second run reuses it without logging in.

use destiny_api::{ClientBuilder, FileTokenStore, Scope, Secret};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::from_default_env())
        .init();

    let username = std::env::var(destiny_api::USERNAME_VAR)?;
    let password = Secret::from(std::env::var(destiny_api::PASSWORD_VAR)?);
    // Credentials from the environment also let the client log in again after a 401.
    let client = ClientBuilder::from_env()?
        .token_store(FileTokenStore::new("destiny-token.json"))
        .build()?;

    // Print every rotation (by fingerprint: the token itself is never printed).
    let mut rotations = client.subscribe_token();
    tokio::spawn(async move {
        while rotations.changed().await.is_ok() {
            match rotations.borrow_and_update().as_ref() {
                Some(token) => println!("token is now {}", token.fingerprint()),
                None => println!("token cleared"),
            }
        }
    });

    if client.token().is_none() {
        let user = client.login(&username, password).await?;
        println!("logged in as {} (id {})", user.username, user.id);
    } else {
        println!("reusing the saved token");
    }

    println!("ping: {}", client.ping().await?.message);
    let allowed = client.can("clients", "view", Scope::any()).await?;
    println!("may view clients: {allowed}");
    if let Some(limit) = client.rate_limit() {
        println!("rate limit: {limit:?}");
    }

    // Keep the session for the next run; call `client.logout()` to end it instead.
    client.save_token().await?;
    Ok(())
}
