//! How long the generation step takes: `xtask regen`, with xtask already built.
//!
//! xtask is built first (`cargo build -p xtask`, untimed); then its binary runs `regen` a few
//! times (the median is reported), and `cargo xtask regen` once, which adds cargo's own
//! up-to-date check. When the generated code is current, `regen` writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::stats::Spread;

/// The generation step's timings.
#[derive(Clone, Debug, PartialEq)]
pub struct RegenTiming {
    /// `target/debug/xtask regen`, over several runs.
    pub xtask_regen: Spread,
    /// `cargo xtask regen`, one run.
    pub cargo_xtask_regen: Duration,
    /// What the last `regen` said (e.g. that the file is unchanged).
    pub said: String,
}

/// Builds xtask, then times `regen` `runs` times directly and once through cargo.
pub fn time_regen(runs: usize) -> Result<RegenTiming> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = workspace_root(&cargo)?;
    let xtask = build_xtask(&cargo, &root)?;
    let mut seconds = Vec::with_capacity(runs);
    let mut said = String::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let output = checked(
            Command::new(&xtask).arg("regen").current_dir(&root),
            "xtask regen",
        )?;
        seconds.push(started.elapsed().as_secs_f64());
        said = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    }
    let started = Instant::now();
    checked(
        Command::new(&cargo)
            .args(["xtask", "regen"])
            .current_dir(&root),
        "cargo xtask regen",
    )?;
    let cargo_xtask_regen = started.elapsed();
    if !said.contains(&*root.to_string_lossy()) {
        // A target directory shared with another checkout may hold that checkout's xtask
        // (cargo does not copy a fresh binary out again): the timing stands, the path not.
        said.push_str(
            " (this xtask binary was built from another checkout sharing the target directory)",
        );
    }
    let xtask_regen = Spread::of(&seconds).context("no regen run was timed")?;
    Ok(RegenTiming {
        xtask_regen,
        cargo_xtask_regen,
        said,
    })
}

fn workspace_root(cargo: &std::ffi::OsStr) -> Result<PathBuf> {
    let output = checked(
        Command::new(cargo).args(["locate-project", "--workspace", "--message-format", "plain"]),
        "cargo locate-project",
    )?;
    let manifest = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    manifest
        .parent()
        .map(Path::to_path_buf)
        .context("cargo locate-project named no directory")
}

fn build_xtask(cargo: &std::ffi::OsStr, root: &Path) -> Result<PathBuf> {
    let output = checked(
        Command::new(cargo)
            .args(["build", "-p", "xtask", "--bin", "xtask"])
            .args(["--message-format", "json-render-diagnostics"])
            .current_dir(root),
        "cargo build -p xtask",
    )?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .context("cargo build -p xtask reported no executable")
}

fn checked(command: &mut Command, what: &str) -> Result<Output> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output)
}
