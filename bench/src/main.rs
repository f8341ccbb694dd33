//! `destiny-bench`: the SDK's cost per request against raw reqwest and a naive wrapper.
//!
//! Run it in release mode: `cargo xtask bench` (or `cargo run --release -p destiny-bench`);
//! `--quick` for a smoke run of a few seconds. See BENCHMARKS.md.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use clap::{Args, Parser, Subcommand};

use destiny_bench::clients::{BenchClient, ClientKind};
use destiny_bench::figures::workload_figures;
use destiny_bench::harness::run_workload;
use destiny_bench::machine::{Busy, Machine};
use destiny_bench::memory_probe::{probe, run_probe_child};
use destiny_bench::pinning::{allowed_cpus, pin_current_thread};
use destiny_bench::plan::Plan;
use destiny_bench::regen_timing::time_regen;
use destiny_bench::report::{RunReport, markdown, text};
use destiny_bench::rotation::Rotation;
use destiny_bench::server_process::{ServerProcess, run_server_child};
use destiny_bench::token::initial_token;

/// The SDK's cost per request, against raw reqwest and a naive token wrapper.
#[derive(Debug, Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    role: Option<Role>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// A smoke run of a few seconds: every step, too few samples to conclude anything.
    #[arg(long)]
    quick: bool,
    /// Rounds per workload (default: 20, or 3 with --quick).
    #[arg(long)]
    rounds: Option<usize>,
    /// Chunks per client in each round (default: 5, or 1 with --quick).
    #[arg(long)]
    chunks_per_round: Option<usize>,
    /// Only these rotations, comma-separated (none, realistic, storm).
    #[arg(long, value_delimiter = ',', default_value = "none,realistic,storm")]
    rotations: Vec<Rotation>,
    /// Only these clients, comma-separated; raw is always included.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "raw,raw-control,naive,generated,sdk"
    )]
    clients: Vec<String>,
    /// Skip the memory probes.
    #[arg(long)]
    skip_memory: bool,
    /// Skip timing the generation step.
    #[arg(long)]
    skip_regen: bool,
    /// Also write the markdown table to this file.
    #[arg(long)]
    markdown: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Role {
    /// The benchmark server (started by the harness as its child).
    #[command(hide = true)]
    Serve {
        #[arg(long)]
        rotation: Rotation,
        /// Pin the server to this core.
        #[arg(long)]
        cpu: Option<usize>,
    },
    /// One client alone, reading its memory at checkpoints (started by the harness).
    #[command(hide = true)]
    ProbeMemory {
        #[arg(long)]
        client: String,
        #[arg(long)]
        origin: String,
        #[arg(long)]
        concurrency: usize,
        #[arg(long, value_delimiter = ',')]
        checkpoints: Vec<usize>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.role {
        Some(Role::Serve { rotation, cpu }) => run_server_child(rotation, cpu),
        Some(Role::ProbeMemory {
            client,
            origin,
            concurrency,
            checkpoints,
        }) => client_kind(&client)
            .and_then(|kind| run_probe_child(kind, &origin, concurrency, &checkpoints)),
        None => run(cli.run),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn client_kind(name: &str) -> Result<ClientKind> {
    ClientKind::from_name(name).with_context(|| {
        format!("unknown client {name:?}: use raw, raw-control, naive, generated or sdk")
    })
}

fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let mut plan = if args.quick {
        Plan::quick()
    } else {
        Plan::full()
    };
    plan.rounds = args.rounds.unwrap_or(plan.rounds);
    plan.chunks_per_round = args.chunks_per_round.unwrap_or(plan.chunks_per_round);
    ensure!(
        plan.rounds > 0 && plan.chunks_per_round > 0,
        "rounds and chunks must be at least 1"
    );
    let mut kinds = vec![ClientKind::Raw];
    for name in &args.clients {
        let kind = client_kind(name)?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let machine = Machine::describe();
    let mut busy = vec![Busy::now()];

    let regen = if args.skip_regen {
        None
    } else {
        eprintln!("timing the generation step (building xtask first)…");
        Some(time_regen(if args.quick { 1 } else { 5 })?)
    };

    let cores = allowed_cpus().context("cannot read this process's cores")?;
    let pinning = match cores.as_slice() {
        [server, client, ..] => {
            pin_current_thread(*client)
                .with_context(|| format!("cannot pin the client to core {client}"))?;
            Some((*server, *client))
        }
        _ => {
            eprintln!("warning: fewer than 2 cores; server and client share, figures are noisier");
            None
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the client runtime")?;

    let token = initial_token();
    let mut workloads = Vec::new();
    for &rotation in &args.rotations {
        let server = ServerProcess::start(rotation, pinning.map(|(server, _)| server))?;
        let origin = server.origin();
        // Built inside the runtime, as an application builds them.
        let entered = runtime.enter();
        let clients = kinds
            .iter()
            .map(|&kind| Ok((kind, BenchClient::new(kind, &origin, &token)?)))
            .collect::<Result<Vec<_>>>()?;
        drop(entered);
        for workload in plan.workloads(rotation) {
            eprintln!(
                "{}: {} rounds × {} requests per client…",
                workload.name(),
                plan.rounds,
                plan.requests_per_round(workload)
            );
            busy.push(Busy::now());
            let runs = runtime.block_on(run_workload(&clients, workload, &plan))?;
            busy.push(Busy::now());
            let mut memory = Vec::new();
            if !args.skip_memory {
                let (short, long) = plan.memory_checkpoints;
                for &kind in &kinds {
                    let checkpoints: &[usize] = if kind == ClientKind::Sdk {
                        &[short, long]
                    } else {
                        &[short]
                    };
                    memory.push((
                        kind,
                        probe(kind, &origin, workload.concurrency, checkpoints)?,
                    ));
                }
            }
            workloads.push(workload_figures(workload, &runs, memory)?);
        }
        drop(clients);
        drop(server);
    }

    let report = RunReport {
        plan: if args.quick { "quick" } else { "full" },
        machine,
        pinning,
        busy,
        workloads,
        regen,
        elapsed: started.elapsed(),
    };
    println!("{}", text(&report));
    let table = markdown(&report);
    println!("--- markdown for BENCHMARKS.md ---\n{table}");
    if let Some(path) = &args.markdown {
        std::fs::write(path, &table).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
