//! Runs the clients against the server in alternating chunks and records what each costs.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures::StreamExt as _;

use crate::clients::{BenchClient, ClientKind};
use crate::plan::{Plan, Workload, turn_order};
use crate::resources::process_cpu_time;

/// What one client cost in one round.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RoundSample {
    /// Requests made.
    pub requests: usize,
    /// Wall-clock time spent in the client's chunks.
    pub wall: Duration,
    /// CPU time of the client process during those chunks.
    pub cpu: Duration,
}

impl RoundSample {
    /// Requests per second of wall time.
    pub fn throughput(&self) -> f64 {
        self.requests as f64 / self.wall.as_secs_f64()
    }

    /// CPU time per request, in microseconds.
    pub fn cpu_micros_per_request(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.requests as f64
    }

    fn add(&mut self, other: RoundSample) {
        self.requests += other.requests;
        self.wall += other.wall;
        self.cpu += other.cpu;
    }
}

/// Everything recorded for one client in one workload.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientRun {
    /// Which client.
    pub kind: ClientKind,
    /// One sample per round.
    pub rounds: Vec<RoundSample>,
    /// Every request's latency, in nanoseconds, over all rounds.
    pub latencies_nanos: Vec<u64>,
}

/// Runs `workload` with every client of `clients`: warm-up chunks first, then `plan.rounds`
/// rounds of `plan.chunks_per_round` chunks per client, the clients taking turns.
pub async fn run_workload(
    clients: &[(ClientKind, BenchClient)],
    workload: Workload,
    plan: &Plan,
) -> Result<Vec<ClientRun>> {
    let chunk = plan.chunk_size(workload);
    let mut scratch = Vec::with_capacity(chunk);
    for _ in 0..plan.warmup_chunks {
        for (kind, client) in clients {
            run_chunk(client, chunk, workload.concurrency, &mut scratch)
                .await
                .with_context(|| format!("{kind} failed while warming up"))?;
            scratch.clear();
        }
    }
    let mut runs: Vec<ClientRun> = clients
        .iter()
        .map(|(kind, _)| ClientRun {
            kind: *kind,
            rounds: Vec::with_capacity(plan.rounds),
            latencies_nanos: Vec::with_capacity(plan.rounds * plan.requests_per_round(workload)),
        })
        .collect();
    for round in 0..plan.rounds {
        let mut samples = vec![RoundSample::default(); clients.len()];
        for chunk_index in 0..plan.chunks_per_round {
            for i in turn_order(clients.len(), round, chunk_index) {
                let (kind, client) = &clients[i];
                let sample = run_chunk(
                    client,
                    chunk,
                    workload.concurrency,
                    &mut runs[i].latencies_nanos,
                )
                .await
                .with_context(|| format!("{kind} failed in round {round}"))?;
                samples[i].add(sample);
            }
        }
        for (run, sample) in runs.iter_mut().zip(samples) {
            run.rounds.push(sample);
        }
    }
    Ok(runs)
}

/// Makes `requests` pings with at most `concurrency` in flight, pushing each one's latency.
pub async fn run_chunk(
    client: &BenchClient,
    requests: usize,
    concurrency: usize,
    latencies_nanos: &mut Vec<u64>,
) -> Result<RoundSample> {
    let cpu_before = process_cpu_time()?;
    let started = Instant::now();
    if concurrency <= 1 {
        for _ in 0..requests {
            let sent = Instant::now();
            client.ping().await?;
            latencies_nanos.push(nanos(sent.elapsed()));
        }
    } else {
        let mut in_flight = futures::stream::iter(0..requests)
            .map(|_| async {
                let sent = Instant::now();
                client.ping().await.map(|()| sent.elapsed())
            })
            .buffer_unordered(concurrency);
        while let Some(latency) = in_flight.next().await {
            latencies_nanos.push(nanos(latency?));
        }
    }
    let wall = started.elapsed();
    let cpu = process_cpu_time()?.saturating_sub(cpu_before);
    Ok(RoundSample {
        requests,
        wall,
        cpu,
    })
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
