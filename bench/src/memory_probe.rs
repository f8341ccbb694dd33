//! Memory of one client alone: a child process that makes N requests and reads its RSS.
//!
//! Measured in a fresh process per client, so the harness's own buffers and the other
//! clients' connections do not blur the figure.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::clients::{BenchClient, ClientKind};
use crate::harness::run_chunk;
use crate::resources::{Memory, memory};
use crate::token::initial_token;

/// RSS of the probe after a given number of requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// Requests made so far.
    pub requests: usize,
    /// Memory then.
    pub memory: Memory,
}

/// What one probe saw, checkpoint by checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProbeReport {
    /// In the order the requests reached them.
    pub checkpoints: Vec<Checkpoint>,
}

impl ProbeReport {
    /// RSS growth from the first checkpoint to the last, in KiB (negative when it shrank).
    pub fn growth_kib(&self) -> Option<i64> {
        let first = self.checkpoints.first()?.memory.rss_kib;
        let last = self.checkpoints.last()?.memory.rss_kib;
        Some(last as i64 - first as i64)
    }
}

/// The child's side: `kind` pings `origin` at `concurrency` until each checkpoint, reading
/// memory at each; the report is printed on stdout as one JSON line.
pub fn run_probe_child(
    kind: ClientKind,
    origin: &str,
    concurrency: usize,
    checkpoints: &[usize],
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the probe's runtime")?;
    let report = runtime.block_on(async {
        let client = BenchClient::new(kind, origin, &initial_token())?;
        let chunk = 1000.max(concurrency);
        let mut latencies = Vec::with_capacity(chunk);
        let mut done = 0;
        let mut seen = Vec::with_capacity(checkpoints.len());
        for &checkpoint in checkpoints {
            while done < checkpoint {
                let requests = chunk.min(checkpoint - done);
                run_chunk(&client, requests, concurrency, &mut latencies).await?;
                latencies.clear();
                done += requests;
            }
            seen.push(Checkpoint {
                requests: done,
                memory: memory()?,
            });
        }
        anyhow::Ok(ProbeReport { checkpoints: seen })
    })?;
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

/// The harness's side: runs a probe child (this very executable, with `probe-memory`) and
/// returns its report.
pub fn probe(
    kind: ClientKind,
    origin: &str,
    concurrency: usize,
    checkpoints: &[usize],
) -> Result<ProbeReport> {
    let exe = std::env::current_exe().context("cannot find the benchmark's own executable")?;
    probe_from(&exe, kind, origin, concurrency, checkpoints)
}

/// Runs `destiny_bench` (the path of the `destiny-bench` executable) as the probe child.
pub fn probe_from(
    destiny_bench: &Path,
    kind: ClientKind,
    origin: &str,
    concurrency: usize,
    checkpoints: &[usize],
) -> Result<ProbeReport> {
    let checkpoints: Vec<String> = checkpoints.iter().map(usize::to_string).collect();
    let output = Command::new(destiny_bench)
        .args(["probe-memory", "--client", kind.name(), "--origin", origin])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--checkpoints", &checkpoints.join(",")])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .context("cannot start the memory probe")?;
    if !output.status.success() {
        bail!("the memory probe for {kind} failed ({})", output.status);
    }
    serde_json::from_slice(&output.stdout).with_context(|| {
        format!(
            "the memory probe for {kind} printed {:?}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}
