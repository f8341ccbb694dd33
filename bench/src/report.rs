//! The run's figures as a readable text table and as markdown for BENCHMARKS.md.

use std::fmt::Write as _;
use std::time::Duration;

use crate::clients::ClientKind;
use crate::figures::{ClientFigures, WorkloadFigures};
use crate::machine::{Busy, Machine};
use crate::regen_timing::RegenTiming;
use crate::stats::Spread;
use crate::targets::{control_noise, verdicts};

/// Everything one run found.
#[derive(Clone, Debug, PartialEq)]
pub struct RunReport {
    /// `full` or `quick`.
    pub plan: &'static str,
    /// What it ran on.
    pub machine: Machine,
    /// Cores of the server and of the client, when pinned.
    pub pinning: Option<(usize, usize)>,
    /// Other builds competing for the cores: `rustc` processes and the 1-minute load
    /// average, sampled before and after every workload.
    pub busy: Vec<Busy>,
    /// One entry per workload.
    pub workloads: Vec<WorkloadFigures>,
    /// The generation step, unless skipped.
    pub regen: Option<RegenTiming>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

impl RunReport {
    /// Whether every target of every workload holds.
    pub fn all_targets_hold(&self) -> bool {
        self.workloads
            .iter()
            .flat_map(verdicts)
            .all(|verdict| verdict.holds)
    }
}

fn ratio(spread: &Spread, is_base: bool) -> String {
    if is_base {
        "1.000".to_owned()
    } else {
        format!("{:.3} ({:.3}–{:.3})", spread.median, spread.min, spread.max)
    }
}

/// The columns of the per-client table.
const COLUMNS: [&str; 8] = [
    "client",
    "req/s",
    "throughput / raw",
    "CPU µs/req",
    "CPU / raw",
    "p50 µs",
    "p99 µs",
    "peak RSS MiB",
];

/// One client's row, column by column.
fn cells(client: &ClientFigures) -> [String; 8] {
    let is_raw = client.kind == ClientKind::Raw;
    [
        client.kind.name().to_owned(),
        format!("{:.0}", client.throughput.median),
        ratio(&client.throughput_ratio, is_raw),
        format!("{:.2}", client.cpu_micros.median),
        ratio(&client.cpu_ratio, is_raw),
        format!("{:.1}", client.p50_micros),
        format!("{:.1}", client.p99_micros),
        peak_mib(client),
    ]
}

fn peak_mib(figures: &ClientFigures) -> String {
    figures
        .memory
        .as_ref()
        .and_then(|memory| memory.checkpoints.first())
        .map_or_else(
            || "–".to_owned(),
            |checkpoint| format!("{:.1}", checkpoint.memory.peak_kib as f64 / 1024.0),
        )
}

fn context_lines(report: &RunReport) -> Vec<String> {
    let machine = &report.machine;
    let mut lines = vec![
        format!(
            "machine: {} cores, {}, Linux {}",
            machine.cores, machine.cpu_model, machine.kernel
        ),
        match report.pinning {
            Some((server, client)) => {
                format!("pinning: server child on core {server}, client runtime on core {client}")
            }
            None => "pinning: none (fewer than 2 cores)".to_owned(),
        },
        busy_line(&report.busy),
        format!(
            "plan: {}, run took {:.0} s",
            report.plan,
            report.elapsed.as_secs_f64()
        ),
    ];
    if let Some(regen) = &report.regen {
        lines.push(regen_line(regen));
    }
    lines
}

fn busy_line(samples: &[Busy]) -> String {
    let compilers = samples.iter().map(|b| b.compilers).max().unwrap_or(0);
    let loads: Vec<f64> = samples.iter().filter_map(|b| b.load).collect();
    let load = Spread::of(&loads).map_or("?".to_owned(), |l| {
        format!("{:.2} (min {:.2}, max {:.2})", l.median, l.min, l.max)
    });
    format!(
        "other work: at most {compilers} rustc running over {} samples; 1-min load average {load} (the benchmark itself adds about 2)",
        samples.len()
    )
}

fn regen_line(regen: &RegenTiming) -> String {
    format!(
        "generation step: `xtask regen` {:.0} ms (median; {:.0}–{:.0}), `cargo xtask regen` {:.0} ms; it said: {}",
        regen.xtask_regen.median * 1e3,
        regen.xtask_regen.min * 1e3,
        regen.xtask_regen.max * 1e3,
        regen.cargo_xtask_regen.as_secs_f64() * 1e3,
        regen.said.lines().last().unwrap_or("nothing"),
    )
}

/// The readable table for stdout.
pub fn text(report: &RunReport) -> String {
    let mut out = String::new();
    for line in context_lines(report) {
        let _ = writeln!(out, "{line}");
    }
    for figures in &report.workloads {
        let _ = writeln!(
            out,
            "\n== {} — {} rounds × {} requests per client ==",
            figures.workload.name(),
            figures.rounds,
            figures.requests_per_round
        );
        let header = COLUMNS.map(str::to_owned);
        for cells in std::iter::once(header).chain(figures.clients.iter().map(cells)) {
            let _ = writeln!(
                out,
                "{:<12} {:>8} {:>24} {:>10} {:>24} {:>8} {:>8} {:>12}",
                cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7]
            );
        }
        if let Some(versus) = figures.sdk_vs_naive {
            let _ = writeln!(
                out,
                "sdk/naive: throughput {}, CPU {}",
                ratio(&versus.throughput, false),
                ratio(&versus.cpu, false)
            );
        }
        if let Some(versus) = figures.sdk_vs_generated {
            let _ = writeln!(
                out,
                "sdk/generated (what destiny-api adds to the generated code): throughput {}, CPU {}",
                ratio(&versus.throughput, false),
                ratio(&versus.cpu, false)
            );
        }
        if let Some((throughput, cpu)) = control_noise(figures) {
            let _ = writeln!(
                out,
                "control noise (|1 − median raw-control/raw|, ≥ 0.01): throughput ±{throughput:.3}, CPU ±{cpu:.3}"
            );
        }
        if let Some(growth) = memory_line(figures) {
            let _ = writeln!(out, "{growth}");
        }
        for verdict in verdicts(figures) {
            let _ = writeln!(
                out,
                "  [{}] {}: {}",
                if verdict.holds { "holds" } else { "MISS " },
                verdict.target,
                verdict.figure
            );
        }
    }
    out
}

fn memory_line(figures: &WorkloadFigures) -> Option<String> {
    let sdk = figures.client(ClientKind::Sdk)?;
    let memory = sdk.memory.as_ref()?;
    let (first, last) = (memory.checkpoints.first()?, memory.checkpoints.last()?);
    Some(format!(
        "sdk RSS: {:.2} MiB after {} requests, {:.2} MiB after {} ({:+} KiB)",
        first.memory.rss_kib as f64 / 1024.0,
        first.requests,
        last.memory.rss_kib as f64 / 1024.0,
        last.requests,
        memory.growth_kib()?,
    ))
}

/// The markdown section to paste into BENCHMARKS.md.
pub fn markdown(report: &RunReport) -> String {
    let mut out = String::new();
    for line in context_lines(report) {
        let _ = writeln!(out, "- {line}");
    }
    let _ = writeln!(out, "\n| workload | {} |", COLUMNS.join(" | "));
    let _ = writeln!(out, "|---|---|--:|--:|--:|--:|--:|--:|--:|");
    for figures in &report.workloads {
        for client in &figures.clients {
            let _ = writeln!(
                out,
                "| {} | {} |",
                figures.workload.name(),
                cells(client).join(" | ")
            );
        }
    }
    let _ = writeln!(
        out,
        "\n| workload | sdk/naive throughput | sdk/naive CPU | sdk/generated throughput | sdk/generated CPU | control noise (throughput, CPU) | sdk RSS growth | targets |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|---|");
    for figures in &report.workloads {
        let (versus_throughput, versus_cpu) = figures.sdk_vs_naive.map_or_else(
            || ("–".to_owned(), "–".to_owned()),
            |versus| (ratio(&versus.throughput, false), ratio(&versus.cpu, false)),
        );
        let (generated_throughput, generated_cpu) = figures.sdk_vs_generated.map_or_else(
            || ("–".to_owned(), "–".to_owned()),
            |versus| (ratio(&versus.throughput, false), ratio(&versus.cpu, false)),
        );
        let noise = control_noise(figures).map_or("–".to_owned(), |(throughput, cpu)| {
            format!("±{throughput:.3}, ±{cpu:.3}")
        });
        let growth = figures
            .client(ClientKind::Sdk)
            .and_then(|sdk| sdk.memory.as_ref())
            .and_then(|memory| {
                let (first, last) = (memory.checkpoints.first()?, memory.checkpoints.last()?);
                Some(format!(
                    "{:+} KiB ({}→{} req)",
                    memory.growth_kib()?,
                    first.requests,
                    last.requests
                ))
            })
            .unwrap_or_else(|| "–".to_owned());
        let targets: Vec<String> = verdicts(figures)
            .into_iter()
            .map(|verdict| {
                format!(
                    "{} {} ({})",
                    if verdict.holds { "✅" } else { "❌" },
                    verdict.target,
                    verdict.figure
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            figures.workload.name(),
            versus_throughput,
            versus_cpu,
            generated_throughput,
            generated_cpu,
            noise,
            growth,
            targets.join("<br>")
        );
    }
    out
}
