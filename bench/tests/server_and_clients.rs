//! The benchmark's server and clients against each other on 127.0.0.1, untimed.

use std::time::Duration;

use destiny_bench::clients::{BenchClient, ClientKind, NaiveClient};
use destiny_bench::harness::run_workload;
use destiny_bench::plan::{Plan, Workload};
use destiny_bench::rotation::Rotation;
use destiny_bench::server::{PING_PATH, serve};
use destiny_bench::server_process::ServerProcess;
use destiny_bench::token::{INITIAL_IAT, initial_token, jwt_shaped};
use tokio::net::TcpListener;

async fn start_server(rotation: Rotation) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener, rotation));
    origin
}

fn tiny_plan() -> Plan {
    Plan {
        concurrencies: vec![1, 8],
        rounds: 2,
        chunks_per_round: 2,
        chunk_at_concurrency_1: 5,
        chunk_when_concurrent: 20,
        warmup_chunks: 1,
        memory_checkpoints: (10, 20),
    }
}

#[tokio::test]
async fn naive_client_adopts_the_token_of_every_storm_response() {
    let origin = start_server(Rotation::Storm).await;
    let client = NaiveClient::new(&origin, &initial_token()).unwrap();
    for _ in 0..3 {
        assert_eq!(client.ping().await.unwrap(), "pong");
    }
    // Responses are numbered from 0 and minted with iat INITIAL_IAT + 1 + number.
    assert_eq!(client.current_token().unwrap(), jwt_shaped(INITIAL_IAT + 3));
}

#[tokio::test]
async fn naive_client_keeps_its_token_when_the_server_never_rotates() {
    let origin = start_server(Rotation::None).await;
    let client = NaiveClient::new(&origin, &initial_token()).unwrap();
    client.ping().await.unwrap();
    assert_eq!(client.current_token().unwrap(), initial_token());
}

#[tokio::test]
async fn realistic_server_sends_a_token_with_every_hundredth_response() {
    let origin = start_server(Rotation::Realistic).await;
    let http = reqwest::Client::new();
    let mut rotated = Vec::new();
    for n in 0..200 {
        let response = http
            .get(format!("{origin}{PING_PATH}"))
            .header("authorization", "bearer x")
            .send()
            .await
            .unwrap();
        if let Some(value) = response.headers().get("authorization") {
            rotated.push((n, value.to_str().unwrap().to_owned()));
        }
        assert_eq!(
            response.bytes().await.unwrap(),
            br#"{"data":{"message":"pong"}}"#[..]
        );
    }
    assert_eq!(
        rotated,
        vec![
            (99, format!("bearer {}", jwt_shaped(INITIAL_IAT + 100))),
            (199, format!("bearer {}", jwt_shaped(INITIAL_IAT + 200))),
        ]
    );
}

#[tokio::test]
async fn server_refuses_a_ping_without_bearer_and_unknown_paths() {
    let origin = start_server(Rotation::None).await;
    let http = reqwest::Client::new();
    let unauthenticated = http
        .get(format!("{origin}{PING_PATH}"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);
    let unknown = http
        .get(format!("{origin}/api/v1/elsewhere"))
        .header("authorization", "bearer x")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn harness_records_one_sample_per_round_and_every_latency() {
    let origin = start_server(Rotation::Storm).await;
    let plan = tiny_plan();
    let clients: Vec<(ClientKind, BenchClient)> = [ClientKind::Raw, ClientKind::Naive]
        .into_iter()
        .map(|kind| {
            (
                kind,
                BenchClient::new(kind, &origin, &initial_token()).unwrap(),
            )
        })
        .collect();
    for concurrency in [1, 8] {
        let workload = Workload {
            concurrency,
            rotation: Rotation::Storm,
        };
        let runs = run_workload(&clients, workload, &plan).await.unwrap();
        assert_eq!(runs.len(), 2);
        for run in &runs {
            assert_eq!(run.rounds.len(), 2);
            let per_round = plan.requests_per_round(workload);
            assert!(run.rounds.iter().all(|round| round.requests == per_round));
            assert!(run.rounds.iter().all(|round| round.wall > Duration::ZERO));
            assert_eq!(run.latencies_nanos.len(), 2 * per_round);
        }
    }
}

#[test]
fn server_child_prints_its_port_serves_and_dies_with_its_handle() {
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_destiny-bench"));
    let server = ServerProcess::start_from(exe, Rotation::Storm, None).unwrap();
    let origin = server.origin();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = NaiveClient::new(&origin, &initial_token()).unwrap();
    runtime.block_on(async {
        assert_eq!(client.ping().await.unwrap(), "pong");
    });
    assert_eq!(client.current_token().unwrap(), jwt_shaped(INITIAL_IAT + 1));
    drop(server);
    let refused = runtime.block_on(async {
        reqwest::Client::new()
            .get(format!("{origin}{PING_PATH}"))
            .header("authorization", "bearer x")
            .send()
            .await
    });
    assert!(refused.is_err());
}

#[test]
fn memory_probe_reports_rss_at_each_checkpoint() {
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_destiny-bench"));
    let server = ServerProcess::start_from(exe, Rotation::Realistic, None).unwrap();
    let report = destiny_bench::memory_probe::probe_from(
        exe,
        ClientKind::Naive,
        &server.origin(),
        4,
        &[50, 120],
    )
    .unwrap();
    let requests: Vec<usize> = report.checkpoints.iter().map(|c| c.requests).collect();
    assert_eq!(requests, vec![50, 120]);
    assert!(report.checkpoints.iter().all(|c| c.memory.rss_kib > 0));
    assert!(report.growth_kib().is_some());
}

#[tokio::test]
async fn every_client_gets_pong_from_every_rotation() {
    for rotation in Rotation::ALL {
        let origin = start_server(rotation).await;
        for kind in ClientKind::ALL {
            let client = BenchClient::new(kind, &origin, &initial_token()).unwrap();
            for _ in 0..3 {
                client.ping().await.unwrap();
            }
        }
    }
}
