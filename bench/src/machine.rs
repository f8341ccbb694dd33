//! What the benchmark ran on, and whether anything else was busy.

use std::fs;

/// The machine, as the report describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Machine {
    /// Logical cores available to this process.
    pub cores: usize,
    /// The CPU's model name from /proc/cpuinfo.
    pub cpu_model: String,
    /// The kernel release.
    pub kernel: String,
}

impl Machine {
    /// Reads the machine's description; unknown parts read `unknown`.
    pub fn describe() -> Machine {
        let cpu_model = fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find(|line| line.starts_with("model name"))
                    .and_then(|line| line.split_once(':'))
                    .map(|(_, model)| model.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|release| release.trim().to_owned())
            .unwrap_or_else(|_| "unknown".to_owned());
        Machine {
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            cpu_model,
            kernel,
        }
    }
}

/// How busy the machine is with other work at one moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Busy {
    /// `rustc` processes running.
    pub compilers: usize,
    /// The 1-minute load average.
    pub load: Option<f64>,
}

impl Busy {
    /// Samples the machine now.
    pub fn now() -> Busy {
        Busy {
            compilers: running_compilers(),
            load: load_average(),
        }
    }
}

/// How many `rustc` processes are running now: other builds competing for the cores.
pub fn running_compilers() -> usize {
    let Ok(entries) = fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|entry| fs::read_to_string(entry.path().join("comm")).ok())
        .filter(|comm| comm.trim() == "rustc")
        .count()
}

/// The 1-minute load average, if readable.
pub fn load_average() -> Option<f64> {
    fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_has_at_least_one_core_and_a_kernel() {
        let machine = Machine::describe();
        assert!(machine.cores >= 1);
        assert_ne!(machine.kernel, "unknown");
    }
}
