//! The benchmark server as a child process, pinned to its own core.
//!
//! The harness starts its own executable again with the hidden `serve` subcommand; the child
//! pins itself, binds an ephemeral port on 127.0.0.1, prints the port on stdout and serves
//! until its stdin closes (so it dies with the harness, however the harness ends).

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};

use anyhow::{Context, Result, bail};
use tokio::net::TcpListener;

use crate::pinning::pin_current_thread;
use crate::rotation::Rotation;
use crate::server::serve;

/// A running server child; killed when dropped.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    /// Held only so that the child sees its stdin close when the harness goes away.
    _stdin: Option<ChildStdin>,
    port: u16,
}

impl ServerProcess {
    /// Starts the server with `rotation`, pinned to core `cpu` when given, and waits for its
    /// port. The server is this very executable, run with `serve`.
    pub fn start(rotation: Rotation, cpu: Option<usize>) -> Result<ServerProcess> {
        let exe = std::env::current_exe().context("cannot find the benchmark's own executable")?;
        ServerProcess::start_from(&exe, rotation, cpu)
    }

    /// Starts `destiny_bench` (the path of the `destiny-bench` executable) as the server.
    pub fn start_from(
        destiny_bench: &Path,
        rotation: Rotation,
        cpu: Option<usize>,
    ) -> Result<ServerProcess> {
        let mut command = Command::new(destiny_bench);
        command.args(["serve", "--rotation", rotation.name()]);
        if let Some(cpu) = cpu {
            command.args(["--cpu", &cpu.to_string()]);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start the benchmark server")?;
        let stdin = child.stdin.take();
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            BufReader::new(stdout)
                .read_line(&mut line)
                .context("cannot read the server's port")?;
        }
        let port = match line.trim().parse::<u16>() {
            Ok(port) => port,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!("the benchmark server printed {line:?} instead of its port");
            }
        };
        Ok(ServerProcess {
            child,
            _stdin: stdin,
            port,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The child's side: pins itself to `cpu`, serves on one thread, prints the port, and exits
/// when stdin reaches its end.
pub fn run_server_child(rotation: Rotation, cpu: Option<usize>) -> Result<()> {
    if let Some(cpu) = cpu {
        pin_current_thread(cpu).with_context(|| format!("cannot pin the server to core {cpu}"))?;
    }
    std::thread::spawn(|| {
        let mut sink = [0u8; 64];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("cannot bind 127.0.0.1")?;
        println!("{}", listener.local_addr()?.port());
        serve(listener, rotation)
            .await
            .context("the server stopped accepting")
    })
}
