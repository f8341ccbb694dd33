//! What `destiny-api` costs per request, against raw reqwest and a naive token wrapper.
//!
//! The `destiny-bench` binary runs a minimal hyper server as a child process pinned to one
//! core, and five clients ([`clients`]) in one tokio worker pinned to the other; the clients
//! take turns in short chunks over many rounds ([`plan`], [`harness`]), and the report
//! ([`report`]) gives medians and ranges over rounds of each client's throughput and CPU per
//! request, as ratios to `raw`, with `raw-control` (the same code again) showing the noise.
//! See BENCHMARKS.md at the workspace root for the method and the latest figures.

pub mod clients;
pub mod figures;
pub mod harness;
pub mod machine;
pub mod memory_probe;
pub mod pinning;
pub mod plan;
pub mod regen_timing;
pub mod report;
pub mod resources;
pub mod rotation;
pub mod server;
pub mod server_process;
pub mod stats;
pub mod targets;
pub mod token;
