//! The `destiny-mock` binary: starts on a free port, prints its URL and users, answers
//! plain HTTP requests, and stops cleanly on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;

/// Kills the child if the test fails before stopping it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts the binary and returns it with every line it printed up to "Press Ctrl-C".
fn start(args: &[&str]) -> (Running, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_destiny-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let running = Running(child);
    let mut lines = Vec::new();
    while !lines.last().is_some_and(|l: &String| l.contains("Ctrl-C")) {
        let line = lines_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the binary prints its banner within 10 s");
        lines.push(line);
    }
    (running, lines)
}

#[tokio::test]
async fn the_binary_prints_its_url_and_users_and_answers_requests_until_interrupted() {
    let (mut running, lines) = start(&["--port", "0", "--rotation", "every-response"]);
    let base_url = lines[0].clone();
    assert!(
        base_url.starts_with("http://127.0.0.1:") && base_url.ends_with("/api/v1"),
        "{base_url}"
    );
    let banner = lines.join("\n");
    for expected in [
        "demo",
        "secret",
        "client 100",
        "partner-secret",
        "agency 10",
        "reg-7d1e",
    ] {
        assert!(
            banner.contains(expected),
            "missing {expected:?} in:\n{banner}"
        );
    }

    let http = reqwest::Client::new();
    let pong: serde_json::Value = http
        .get(format!("{base_url}/tests/ping"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pong, json!({"data": {"message": "pong"}}));
    let login = http
        .post(format!("{base_url}/auth/login"))
        .json(&json!({"username": "demo@mail.com", "password": "secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let token = login.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    let current = http
        .get(format!("{base_url}/auth/token"))
        .header("authorization", &token)
        .send()
        .await
        .unwrap();
    assert!(
        current.headers().contains_key("authorization"),
        "--rotation every-response applies"
    );

    let pid = libc::pid_t::try_from(running.0.id()).unwrap();
    // SAFETY: sending SIGINT to a child process this test started and still owns.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = running.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the binary did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_port_already_in_use_is_reported_and_exits_non_zero() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_destiny-mock"))
        .args(["--port", &port])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("could not listen on"), "{stderr}");
}
