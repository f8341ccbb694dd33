//! The five clients that make the same ping calls against the benchmark server.
//!
//! - [`ClientKind::Raw`]: reqwest with a fixed `Authorization` header, the body parsed with
//!   serde: the floor, what the HTTP stack itself costs.
//! - [`ClientKind::RawControl`]: the same code again, a second instance. Raw against raw shows
//!   how far two identical clients drift apart: the noise floor of the method.
//! - [`ClientKind::Naive`]: what a user writes by hand: a `Mutex<String>` token, the header
//!   formatted from it on every request, any new token from a response stored.
//! - [`ClientKind::Generated`]: the generated client of `destiny-gen` alone (no hooks, a fixed
//!   header): what the generated code costs, the floor of anything built on it.
//! - [`ClientKind::Sdk`]: `destiny-api`'s client calling ping.

mod generated;
mod naive;
mod raw;
mod sdk;

use std::fmt;

use anyhow::{Result, ensure};

pub use generated::GeneratedClient;
pub use naive::NaiveClient;
pub use raw::RawClient;
pub use sdk::SdkClient;

/// Which of the five clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    /// reqwest, fixed header.
    Raw,
    /// reqwest, fixed header, a second instance: the A/A control.
    RawControl,
    /// reqwest and a `Mutex<String>` token.
    Naive,
    /// `destiny-gen`'s generated client, no hooks, fixed header.
    Generated,
    /// `destiny-api`.
    Sdk,
}

impl ClientKind {
    /// Every client, in report order.
    pub const ALL: [ClientKind; 5] = [
        ClientKind::Raw,
        ClientKind::RawControl,
        ClientKind::Naive,
        ClientKind::Generated,
        ClientKind::Sdk,
    ];

    /// The client's name in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ClientKind::Raw => "raw",
            ClientKind::RawControl => "raw-control",
            ClientKind::Naive => "naive",
            ClientKind::Generated => "generated",
            ClientKind::Sdk => "sdk",
        }
    }

    /// The kind called `name`, if any.
    pub fn from_name(name: &str) -> Option<ClientKind> {
        ClientKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for ClientKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The body of a successful ping, as the raw and naive clients parse it.
#[derive(Debug, serde::Deserialize)]
pub struct PingEnvelope {
    /// The answer.
    pub data: Ping,
}

/// The ping answer.
#[derive(Debug, serde::Deserialize)]
pub struct Ping {
    /// `pong`.
    pub message: String,
}

/// Checks the status of a ping response and parses its body with serde: the part every
/// hand-written client (raw, raw-control, naive) shares, so they differ only in the token.
pub async fn pong_of(response: reqwest::Response) -> Result<String> {
    ensure!(
        response.status().is_success(),
        "ping answered {}",
        response.status()
    );
    let body: PingEnvelope = response.json().await?;
    Ok(body.data.message)
}

/// One client, ready to ping. An enum rather than a trait object, so that every client is
/// called the same static way and none pays for a box the others do not.
#[derive(Debug)]
pub enum BenchClient {
    /// [`ClientKind::Raw`] or [`ClientKind::RawControl`].
    Raw(RawClient),
    /// [`ClientKind::Naive`].
    Naive(NaiveClient),
    /// [`ClientKind::Generated`].
    Generated(GeneratedClient),
    /// [`ClientKind::Sdk`].
    Sdk(SdkClient),
}

impl BenchClient {
    /// Builds a client of `kind` for the server at `origin` (`http://127.0.0.1:<port>`), starting
    /// with `token` (raw, without the `bearer ` scheme).
    pub fn new(kind: ClientKind, origin: &str, token: &str) -> Result<BenchClient> {
        Ok(match kind {
            ClientKind::Raw | ClientKind::RawControl => {
                BenchClient::Raw(RawClient::new(origin, token)?)
            }
            ClientKind::Naive => BenchClient::Naive(NaiveClient::new(origin, token)?),
            ClientKind::Generated => BenchClient::Generated(GeneratedClient::new(origin, token)?),
            ClientKind::Sdk => BenchClient::Sdk(SdkClient::new(origin, token)?),
        })
    }

    /// One ping; fails unless the answer is `pong`.
    pub async fn ping(&self) -> Result<()> {
        let message = match self {
            BenchClient::Raw(client) => client.ping().await?,
            BenchClient::Naive(client) => client.ping().await?,
            BenchClient::Generated(client) => client.ping().await?,
            BenchClient::Sdk(client) => client.ping().await?,
        };
        ensure!(
            message == "pong",
            "the server answered {message:?}, not pong"
        );
        Ok(())
    }
}
