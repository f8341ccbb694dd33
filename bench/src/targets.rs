//! Issue 5's targets, checked against the figures.
//!
//! - `sdk` at least as fast as `naive` in every workload: the median of sdk/naive throughput
//!   ≥ 1.00 and of sdk/naive CPU per request ≤ 1.00, each within the control's noise (half
//!   the range of raw-control/raw over the rounds: how far two identical clients drift apart).
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

/// The control's noise in `figures`: half the range of raw-control/raw, for throughput and CPU.
pub fn control_noise(figures: &WorkloadFigures) -> Option<(f64, f64)> {
    let control = figures.client(ClientKind::RawControl)?;
    Some((
        control.throughput_ratio.half_range(),
        control.cpu_ratio.half_range(),
    ))
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
