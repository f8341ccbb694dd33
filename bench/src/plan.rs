//! How many requests the benchmark makes, and in which order.

use crate::rotation::Rotation;

/// One workload: how many requests are in flight at once, and how often the token rotates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workload {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Which responses carry a new token.
    pub rotation: Rotation,
}

impl Workload {
    /// The workload's name in reports, e.g. `c64 storm`.
    pub fn name(&self) -> String {
        format!("c{} {}", self.concurrency, self.rotation)
    }
}

/// The shape of a run: rounds of alternating chunks.
///
/// Within a round, every client runs `chunks_per_round` chunks, the clients taking turns chunk
/// by chunk, so slow drifts of the machine (other processes, frequency, caches) hit all clients
/// alike. Each round gives one sample per client; the report takes medians and ranges over
/// rounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Concurrency levels; each runs with every rotation.
    pub concurrencies: Vec<usize>,
    /// Samples per client and workload.
    pub rounds: usize,
    /// Chunks per client in one round.
    pub chunks_per_round: usize,
    /// Requests in one chunk at concurrency 1.
    pub chunk_at_concurrency_1: usize,
    /// Requests in one chunk at any higher concurrency.
    pub chunk_when_concurrent: usize,
    /// Untimed chunks per client before the first round (connections, caches, allocator).
    pub warmup_chunks: usize,
    /// Requests after which the memory probe reads RSS first, then again.
    pub memory_checkpoints: (usize, usize),
}

impl Plan {
    /// The full run: 20 rounds, about three minutes on a 2-core machine.
    pub fn full() -> Plan {
        Plan {
            concurrencies: vec![1, 64],
            rounds: 20,
            chunks_per_round: 5,
            chunk_at_concurrency_1: 200,
            chunk_when_concurrent: 800,
            warmup_chunks: 2,
            memory_checkpoints: (10_000, 100_000),
        }
    }

    /// A smoke run of a few seconds: the same steps, too few samples to conclude anything.
    pub fn quick() -> Plan {
        Plan {
            concurrencies: vec![1, 64],
            rounds: 3,
            chunks_per_round: 1,
            chunk_at_concurrency_1: 100,
            chunk_when_concurrent: 400,
            warmup_chunks: 1,
            memory_checkpoints: (1_000, 3_000),
        }
    }

    /// Every workload, rotation by rotation (the server is restarted per rotation).
    pub fn workloads(&self, rotation: Rotation) -> Vec<Workload> {
        self.concurrencies
            .iter()
            .map(|&concurrency| Workload {
                concurrency,
                rotation,
            })
            .collect()
    }

    /// Requests in one chunk of `workload`.
    pub fn chunk_size(&self, workload: Workload) -> usize {
        if workload.concurrency <= 1 {
            self.chunk_at_concurrency_1
        } else {
            self.chunk_when_concurrent
        }
    }

    /// Requests per client in one round of `workload`.
    pub fn requests_per_round(&self, workload: Workload) -> usize {
        self.chunk_size(workload) * self.chunks_per_round
    }
}

/// The order in which `clients` clients take their turns in chunk `chunk` of round `round`:
/// rotated each time, so no client always follows the same one.
///
/// ```
/// use destiny_bench::plan::turn_order;
/// assert_eq!(turn_order(4, 0, 0), vec![0, 1, 2, 3]);
/// assert_eq!(turn_order(4, 1, 2), vec![3, 0, 1, 2]);
/// ```
pub fn turn_order(clients: usize, round: usize, chunk: usize) -> Vec<usize> {
    let start = (round + chunk) % clients.max(1);
    (0..clients).map(|i| (start + i) % clients).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_starts_a_chunk_equally_often() {
        let mut starts = [0usize; 4];
        for round in 0..20 {
            for chunk in 0..5 {
                starts[turn_order(4, round, chunk)[0]] += 1;
            }
        }
        assert_eq!(starts, [25; 4]);
    }

    #[test]
    fn full_plan_has_at_least_ten_rounds_and_both_concurrencies() {
        let plan = Plan::full();
        assert!(plan.rounds >= 10);
        assert_eq!(plan.concurrencies, vec![1, 64]);
        assert_eq!(plan.workloads(Rotation::Storm).len(), 2);
    }
}
