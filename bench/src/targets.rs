//! Issue 5's targets, checked against the figures.
//!
//! - `sdk` at least as fast as `naive` in every workload: the median of sdk/naive throughput
//!   ≥ 1.00 and of sdk/naive CPU per request ≤ 1.00, each within the control's noise: how far
//!   the median of raw-control/raw (two identical clients) lies from 1.00, at least 0.01.
//!   A difference between two medians smaller than that cannot be told from chance.
//! - rotation none and realistic: sdk within 3% of raw (throughput ≥ 0.97, CPU ≤ 1.03).
//! - rotation storm: sdk CPU ≤ 1.06 × raw.
//! - memory flat: the sdk's RSS grows by less than 1 MiB between the two checkpoints.

use crate::clients::ClientKind;
use crate::figures::WorkloadFigures;
use crate::rotation::Rotation;

/// Largest allowed RSS growth of the sdk between the memory checkpoints.
pub const MAX_GROWTH_KIB: i64 = 1024;

/// One target and whether it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// What is required, with its bound, e.g. `sdk/raw CPU ≤ 1.03`.
    pub target: String,
    /// The measured median, formatted.
    pub figure: String,
    /// Whether the figure meets the bound.
    pub holds: bool,
}

/// The smallest noise assumed, even when the control's median lands exactly on 1.00.
pub const MIN_NOISE: f64 = 0.01;

/// The control's noise in `figures`, for throughput and CPU: how far the median of
/// raw-control/raw lies from 1.00 (at least [`MIN_NOISE`]).
pub fn control_noise(figures: &WorkloadFigures) -> Option<(f64, f64)> {
    let control = figures.client(ClientKind::RawControl)?;
    let noise = |ratio: &crate::stats::Spread| (ratio.median - 1.0).abs().max(MIN_NOISE);
    Some((noise(&control.throughput_ratio), noise(&control.cpu_ratio)))
}

/// Every target that applies to `figures`, checked.
pub fn verdicts(figures: &WorkloadFigures) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    let (throughput_noise, cpu_noise) = control_noise(figures).unwrap_or((0.0, 0.0));
    if let Some(versus) = figures.sdk_vs_naive {
        verdicts.push(at_least(
            format!("sdk/naive throughput ≥ 1.00 − noise {throughput_noise:.3}"),
            versus.throughput.median,
            1.0 - throughput_noise,
        ));
        verdicts.push(at_most(
            format!("sdk/naive CPU ≤ 1.00 + noise {cpu_noise:.3}"),
            versus.cpu.median,
            1.0 + cpu_noise,
        ));
    }
    if let Some(sdk) = figures.client(ClientKind::Sdk) {
        match figures.workload.rotation {
            Rotation::None | Rotation::Realistic => {
                verdicts.push(at_least(
                    "sdk/raw throughput ≥ 0.97".to_owned(),
                    sdk.throughput_ratio.median,
                    0.97,
                ));
                verdicts.push(at_most(
                    "sdk/raw CPU ≤ 1.03".to_owned(),
                    sdk.cpu_ratio.median,
                    1.03,
                ));
            }
            Rotation::Storm => verdicts.push(at_most(
                "sdk/raw CPU ≤ 1.06".to_owned(),
                sdk.cpu_ratio.median,
                1.06,
            )),
        }
        if let Some(growth) = sdk.memory.as_ref().and_then(|m| m.growth_kib()) {
            verdicts.push(Verdict {
                target: "sdk RSS growth < 1 MiB".to_owned(),
                figure: format!("{growth} KiB"),
                holds: growth < MAX_GROWTH_KIB,
            });
        }
    }
    verdicts
}

fn at_least(target: String, figure: f64, bound: f64) -> Verdict {
    Verdict {
        target,
        figure: format!("{figure:.3}"),
        holds: figure >= bound,
    }
}

fn at_most(target: String, figure: f64, bound: f64) -> Verdict {
    Verdict {
        target,
        figure: format!("{figure:.3}"),
        holds: figure <= bound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{ClientFigures, SdkVsNaive};
    use crate::memory_probe::{Checkpoint, ProbeReport};
    use crate::plan::Workload;
    use crate::resources::Memory;
    use crate::stats::Spread;

    fn spread(median: f64) -> Spread {
        Spread {
            median,
            min: median - 0.05,
            max: median + 0.05,
        }
    }

    fn client(kind: ClientKind, throughput: f64, cpu: f64) -> ClientFigures {
        ClientFigures {
            kind,
            throughput: spread(1000.0),
            throughput_ratio: spread(throughput),
            cpu_micros: spread(20.0),
            cpu_ratio: spread(cpu),
            p50_micros: 100.0,
            p99_micros: 200.0,
            memory: None,
        }
    }

    fn figures(
        rotation: Rotation,
        control: f64,
        sdk: (f64, f64),
        versus: (f64, f64),
    ) -> WorkloadFigures {
        WorkloadFigures {
            workload: Workload {
                concurrency: 64,
                rotation,
            },
            rounds: 12,
            requests_per_round: 4800,
            clients: vec![
                client(ClientKind::Raw, 1.0, 1.0),
                client(ClientKind::RawControl, control, control),
                client(ClientKind::Naive, 1.0, 1.0),
                client(ClientKind::Sdk, sdk.0, sdk.1),
            ],
            sdk_vs_naive: Some(SdkVsNaive {
                throughput: spread(versus.0),
                cpu: spread(versus.1),
            }),
            sdk_vs_generated: None,
        }
    }

    fn holds(verdicts: &[Verdict], target: &str) -> bool {
        verdicts
            .iter()
            .find(|verdict| verdict.target.starts_with(target))
            .unwrap_or_else(|| panic!("no target {target}"))
            .holds
    }

    #[test]
    fn sdk_slower_than_naive_within_the_controls_noise_still_holds() {
        let verdicts = verdicts(&figures(Rotation::None, 0.98, (0.99, 1.01), (0.985, 1.015)));
        assert!(holds(&verdicts, "sdk/naive throughput"));
        assert!(holds(&verdicts, "sdk/naive CPU"));
    }

    #[test]
    fn sdk_slower_than_naive_beyond_the_controls_noise_misses() {
        let verdicts = verdicts(&figures(Rotation::None, 0.995, (0.9, 1.2), (0.9, 1.2)));
        assert!(!holds(&verdicts, "sdk/naive throughput"));
        assert!(!holds(&verdicts, "sdk/naive CPU"));
        assert!(!holds(&verdicts, "sdk/raw throughput ≥ 0.97"));
        assert!(!holds(&verdicts, "sdk/raw CPU ≤ 1.03"));
    }

    #[test]
    fn storm_is_held_to_six_percent_cpu_and_not_to_raw_throughput() {
        let verdicts = verdicts(&figures(Rotation::Storm, 1.0, (0.9, 1.05), (1.0, 1.0)));
        assert!(holds(&verdicts, "sdk/raw CPU ≤ 1.06"));
        assert!(
            !verdicts
                .iter()
                .any(|v| v.target.starts_with("sdk/raw throughput"))
        );
        let verdicts = verdicts_of_storm_cpu(1.07);
        assert!(!holds(&verdicts, "sdk/raw CPU ≤ 1.06"));
    }

    fn verdicts_of_storm_cpu(cpu: f64) -> Vec<Verdict> {
        verdicts(&figures(Rotation::Storm, 1.0, (1.0, cpu), (1.0, 1.0)))
    }

    #[test]
    fn rss_growth_of_a_mebibyte_or_more_misses() {
        let mut figures = figures(Rotation::Realistic, 1.0, (1.0, 1.0), (1.0, 1.0));
        let at = |requests, rss_kib| Checkpoint {
            requests,
            memory: Memory {
                rss_kib,
                peak_kib: rss_kib,
            },
        };
        figures.clients[3].memory = Some(ProbeReport {
            checkpoints: vec![at(10_000, 8000), at(100_000, 9024)],
        });
        assert!(!holds(&verdicts(&figures), "sdk RSS growth"));
        figures.clients[3].memory = Some(ProbeReport {
            checkpoints: vec![at(10_000, 8000), at(100_000, 9000)],
        });
        assert!(holds(&verdicts(&figures), "sdk RSS growth"));
    }
}
