//! `destiny-mock`: serves the mock Destiny API on 127.0.0.1 until interrupted.
//!
//! ```text
//! cargo run -p destiny-mock -- --port 8080
//! cargo run -p destiny-mock -- --port 0 --rotation requests:5 --rate-limit 60
//! ```
//!
//! The first line printed is the base URL (`http://127.0.0.1:PORT/api/v1`); then come the
//! seeded users with their passwords and scopes, and the pending invitation.

use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use destiny_mock::seed::{self, SEEDED_INVITATION, SEEDED_USERS, Scope};
use destiny_mock::{MockServer, RateLimit, RotationPolicy};

/// A spec-faithful mock of the Destiny API on 127.0.0.1 (for tests and offline work).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Port to listen on, on 127.0.0.1 only; 0 picks a free port.
    #[arg(long, default_value_t = 8080)]
    port: u16,

    /// When tokens rotate: `never`, `every-response`, `requests:N` or `seconds:N`.
    #[arg(long, default_value_t = RotationPolicy::default())]
    rotation: RotationPolicy,

    /// Requests allowed per rate-limit window before the server answers 429.
    #[arg(long, default_value_t = RateLimit::default().limit)]
    rate_limit: u32,

    /// Length of the rate-limit window, in seconds.
    #[arg(long, default_value_t = RateLimit::default().window.as_secs())]
    rate_window: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let server = MockServer::builder()
        .port(args.port)
        .rotation_policy(args.rotation)
        .rate_limit(RateLimit::new(
            args.rate_limit,
            Duration::from_secs(args.rate_window),
        ))
        .try_start()
        .await
        .context("starting the mock Destiny server")?;

    println!("{}", server.base_url());
    println!(
        "Mock Destiny API listening (rotation: {}, rate limit: {} per {} s).",
        args.rotation, args.rate_limit, args.rate_window
    );
    println!("Seeded users (log in with the username or the email address):");
    for user in SEEDED_USERS {
        println!(
            "  {:<8} password {:<15} {:<17} id {} ({})",
            user.username,
            user.password,
            user.email,
            user.id,
            describe(user.scope)
        );
    }
    println!(
        "Pending invitation: {} <{}>, registration token {} ({})",
        SEEDED_INVITATION.username,
        SEEDED_INVITATION.email,
        SEEDED_INVITATION.token,
        describe(SEEDED_INVITATION.scope)
    );
    println!("Press Ctrl-C to stop.");

    wait_for_stop_signal().await?;
    server.shutdown().await;
    Ok(())
}

/// "client 100 (Demo Client, agency 10, partner 1)".
fn describe(scope: Scope) -> String {
    let partner_name = |id| {
        seed::PARTNERS
            .iter()
            .find(|p| p.id == id)
            .map_or("?", |p| p.name)
    };
    let agency = |id| seed::AGENCIES.iter().find(|a| a.id == id);
    match scope {
        Scope::Partner(id) => format!("partner {id}, {}", partner_name(id)),
        Scope::Agency(id) => match agency(id) {
            Some(a) => format!("agency {id}, {}, partner {}", a.name, a.partner_id),
            None => scope.to_string(),
        },
        Scope::Client(id) => match seed::CLIENTS.iter().find(|c| c.id == id) {
            Some(c) => {
                let partner = agency(c.agency_id).map_or(0, |a| a.partner_id);
                format!(
                    "client {id}, {}, agency {}, partner {partner}",
                    c.name, c.agency_id
                )
            }
            None => scope.to_string(),
        },
    }
}

#[cfg(unix)]
async fn wait_for_stop_signal() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result.context("listening for Ctrl-C")?,
        _ = terminate.recv() => {}
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_stop_signal() -> anyhow::Result<()> {
    tokio::signal::ctrl_c()
        .await
        .context("listening for Ctrl-C")
}
