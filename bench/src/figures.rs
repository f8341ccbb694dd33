//! From raw samples to the figures the report shows: medians and ranges over rounds, ratios
//! to `raw` taken round by round, latency percentiles.

use anyhow::{Context, Result};

use crate::clients::ClientKind;
use crate::harness::{ClientRun, RoundSample};
use crate::memory_probe::ProbeReport;
use crate::plan::Workload;
use crate::stats::{Spread, percentile};

/// One client's figures in one workload.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientFigures {
    /// Which client.
    pub kind: ClientKind,
    /// Requests per second, over rounds.
    pub throughput: Spread,
    /// Throughput divided by `raw`'s in the same round (higher is better).
    pub throughput_ratio: Spread,
    /// CPU microseconds per request, over rounds.
    pub cpu_micros: Spread,
    /// CPU per request divided by `raw`'s in the same round (lower is better).
    pub cpu_ratio: Spread,
    /// Median latency, in microseconds, over every request.
    pub p50_micros: f64,
    /// 99th-percentile latency, in microseconds, over every request.
    pub p99_micros: f64,
    /// The client alone in a fresh process: RSS at each checkpoint.
    pub memory: Option<ProbeReport>,
}

/// `sdk` against another client (`naive`, `generated`), round by round.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SdkVersus {
    /// sdk throughput / the other's throughput (≥ 1: sdk is at least as fast).
    pub throughput: Spread,
    /// sdk CPU per request / the other's CPU per request (≤ 1: sdk costs no more).
    pub cpu: Spread,
}

/// `sdk` against `naive`: the peer to beat.
pub type SdkVsNaive = SdkVersus;

/// Everything the report says about one workload.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadFigures {
    /// Which workload.
    pub workload: Workload,
    /// Rounds measured.
    pub rounds: usize,
    /// Requests per client and round.
    pub requests_per_round: usize,
    /// One entry per client, in the order they were given.
    pub clients: Vec<ClientFigures>,
    /// Present when both `sdk` and `naive` ran.
    pub sdk_vs_naive: Option<SdkVsNaive>,
    /// Present when both `sdk` and `generated` ran: what destiny-api adds to the generated
    /// code it wraps.
    pub sdk_vs_generated: Option<SdkVersus>,
}

impl WorkloadFigures {
    /// The figures of `kind`, if it ran.
    pub fn client(&self, kind: ClientKind) -> Option<&ClientFigures> {
        self.clients.iter().find(|figures| figures.kind == kind)
    }
}

/// Computes the figures of `workload` from its runs (which must include `raw`) and the
/// memory probes made for it.
pub fn workload_figures(
    workload: Workload,
    runs: &[ClientRun],
    mut memory: Vec<(ClientKind, ProbeReport)>,
) -> Result<WorkloadFigures> {
    let find = |kind| runs.iter().find(|run| run.kind == kind);
    let raw = find(ClientKind::Raw).context("the raw client did not run")?;
    let mut clients = Vec::with_capacity(runs.len());
    for run in runs {
        let mut sorted = run.latencies_nanos.clone();
        sorted.sort_unstable();
        let micros = |p| percentile(&sorted, p).map_or(f64::NAN, |nanos| nanos as f64 / 1e3);
        let memory = memory
            .iter()
            .position(|(kind, _)| *kind == run.kind)
            .map(|i| memory.swap_remove(i).1);
        clients.push(ClientFigures {
            kind: run.kind,
            throughput: over_rounds(run, RoundSample::throughput)?,
            throughput_ratio: ratio(run, raw, RoundSample::throughput)?,
            cpu_micros: over_rounds(run, RoundSample::cpu_micros_per_request)?,
            cpu_ratio: ratio(run, raw, RoundSample::cpu_micros_per_request)?,
            p50_micros: micros(50.0),
            p99_micros: micros(99.0),
            memory,
        });
    }
    let versus = |other| -> Result<Option<SdkVersus>> {
        match (find(ClientKind::Sdk), find(other)) {
            (Some(sdk), Some(other)) => Ok(Some(SdkVersus {
                throughput: ratio(sdk, other, RoundSample::throughput)?,
                cpu: ratio(sdk, other, RoundSample::cpu_micros_per_request)?,
            })),
            _ => Ok(None),
        }
    };
    let sdk_vs_naive = versus(ClientKind::Naive)?;
    let sdk_vs_generated = versus(ClientKind::Generated)?;
    Ok(WorkloadFigures {
        workload,
        rounds: raw.rounds.len(),
        requests_per_round: raw.rounds.first().map_or(0, |round| round.requests),
        clients,
        sdk_vs_naive,
        sdk_vs_generated,
    })
}

fn over_rounds(run: &ClientRun, metric: fn(&RoundSample) -> f64) -> Result<Spread> {
    let samples: Vec<f64> = run.rounds.iter().map(metric).collect();
    Spread::of(&samples).with_context(|| format!("{} has no usable rounds", run.kind))
}

/// `metric` of `run` divided by `metric` of `base`, round by round.
fn ratio(run: &ClientRun, base: &ClientRun, metric: fn(&RoundSample) -> f64) -> Result<Spread> {
    let samples: Vec<f64> = run
        .rounds
        .iter()
        .zip(&base.rounds)
        .map(|(a, b)| metric(a) / metric(b))
        .collect();
    Spread::of(&samples).with_context(|| format!("{} has no usable rounds", run.kind))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::rotation::Rotation;

    fn run(kind: ClientKind, walls_ms: &[u64], cpus_ms: &[u64]) -> ClientRun {
        ClientRun {
            kind,
            rounds: walls_ms
                .iter()
                .zip(cpus_ms)
                .map(|(&wall, &cpu)| RoundSample {
                    requests: 1000,
                    wall: Duration::from_millis(wall),
                    cpu: Duration::from_millis(cpu),
                })
                .collect(),
            latencies_nanos: (1..=100).map(|i| i * 1000).collect(),
        }
    }

    #[test]
    fn ratios_are_taken_round_by_round_against_raw() {
        let workload = Workload {
            concurrency: 1,
            rotation: Rotation::None,
        };
        let runs = [
            run(ClientKind::Raw, &[100, 200, 100], &[50, 100, 50]),
            run(ClientKind::Naive, &[110, 220, 100], &[55, 100, 60]),
            run(ClientKind::Generated, &[100, 100, 100], &[40, 50, 50]),
            run(ClientKind::Sdk, &[100, 200, 100], &[50, 100, 50]),
        ];
        let figures = workload_figures(workload, &runs, Vec::new()).unwrap();
        let naive = figures.client(ClientKind::Naive).unwrap();
        // Round 2 is twice as slow for everyone: the per-round ratio does not see it.
        assert!((naive.throughput_ratio.median - 100.0 / 110.0).abs() < 1e-9);
        assert!((naive.cpu_ratio.max - 1.2).abs() < 1e-9);
        assert!((naive.cpu_ratio.min - 1.0).abs() < 1e-9);
        let versus = figures.sdk_vs_naive.unwrap();
        assert!((versus.throughput.max - 1.1).abs() < 1e-9);
        let generated = figures.sdk_vs_generated.unwrap();
        // CPU sdk/generated per round: 50/40, 100/50, 50/50.
        assert!((generated.cpu.median - 1.25).abs() < 1e-9);
        assert!((generated.cpu.max - 2.0).abs() < 1e-9);
        assert!((generated.cpu.min - 1.0).abs() < 1e-9);
        assert!((figures.client(ClientKind::Raw).unwrap().p50_micros - 50.0).abs() < 1e-9);
        assert!((figures.client(ClientKind::Raw).unwrap().p99_micros - 99.0).abs() < 1e-9);
    }

    #[test]
    fn figures_without_raw_are_refused() {
        let workload = Workload {
            concurrency: 1,
            rotation: Rotation::None,
        };
        let runs = [run(ClientKind::Naive, &[100], &[50])];
        assert!(workload_figures(workload, &runs, Vec::new()).is_err());
    }
}
