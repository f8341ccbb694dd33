//! `cargo xtask regen [--check]`: regenerate `destiny-gen` from `spec/destiny.yaml`.
//! `cargo xtask bench [ARGS]`: run the benchmark (`destiny-bench`) in release mode.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str = "usage: cargo xtask regen [--check]

  regen          regenerate destiny-gen/src/generated.rs from spec/destiny.yaml
  regen --check  exit 1 with a diff when the committed code is stale
  bench [ARGS]   run the benchmark in release mode (see BENCHMARKS.md; `bench --quick`
                 for a smoke run, `bench --help` for its options)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["regen"] => regen(false),
        ["regen", "--check"] => regen(true),
        ["bench", rest @ ..] => bench(rest),
        ["help" | "--help" | "-h"] | [] => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("unknown arguments {args:?}\n\n{USAGE}"),
    }
}

/// `cargo run --release -p destiny-bench -- ARGS`, passing its exit status on.
fn bench(args: &[&str]) -> Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["run", "--release", "--quiet", "-p", "destiny-bench", "--"])
        .args(args)
        .status()
        .context("cannot run cargo")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn regen(check: bool) -> Result<ExitCode> {
    let spec = xtask::spec_path();
    let target = xtask::generated_path();
    let generated = xtask::generate(&spec)?;
    let committed = std::fs::read_to_string(&target).unwrap_or_default();
    if check {
        if committed == generated {
            println!("{} is up to date with {}", target.display(), spec.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprint!("{}", xtask::unified_diff(&committed, &generated, &target));
        eprintln!(
            "error: {} is stale: {} changed. Run `cargo xtask regen`, then `cargo insta review`, and commit.",
            target.display(),
            spec.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    if committed == generated {
        println!("{} unchanged", target.display());
    } else {
        std::fs::write(&target, &generated)
            .with_context(|| format!("cannot write {}", target.display()))?;
        println!("wrote {} from {}", target.display(), spec.display());
    }
    Ok(ExitCode::SUCCESS)
}
