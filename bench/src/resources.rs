//! What the client process consumes: CPU time (getrusage) and resident memory (/proc).

use std::io;
use std::time::Duration;

/// User plus system CPU time consumed so far by the whole calling process (`RUSAGE_SELF`).
///
/// The benchmark's server is another process, so this is the client side only.
pub fn process_cpu_time() -> io::Result<Duration> {
    // SAFETY: `rusage` is plain old data; `getrusage` fills the struct it is pointed to.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Err(io::Error::last_os_error());
        }
        usage
    };
    Ok(timeval(usage.ru_utime) + timeval(usage.ru_stime))
}

fn timeval(tv: libc::timeval) -> Duration {
    Duration::from_secs(u64::try_from(tv.tv_sec).unwrap_or(0))
        + Duration::from_micros(u64::try_from(tv.tv_usec).unwrap_or(0))
}

/// Resident memory of the calling process, in KiB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Memory {
    /// Resident now (`VmRSS`).
    pub rss_kib: u64,
    /// The most ever resident (`VmHWM`).
    pub peak_kib: u64,
}

/// Reads [`Memory`] from `/proc/self/status`.
pub fn memory() -> io::Result<Memory> {
    parse_status(&std::fs::read_to_string("/proc/self/status")?)
}

fn parse_status(status: &str) -> io::Result<Memory> {
    let field = |name: &str| -> io::Result<u64> {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("/proc/self/status has no readable {name} line"),
                )
            })
    };
    Ok(Memory {
        rss_kib: field("VmRSS:")?,
        peak_kib: field("VmHWM:")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_give_rss_and_peak() {
        let status = "Name:\tx\nVmHWM:\t   5120 kB\nVmRSS:\t    4096 kB\n";
        assert_eq!(
            parse_status(status).unwrap(),
            Memory {
                rss_kib: 4096,
                peak_kib: 5120
            }
        );
    }

    #[test]
    fn status_without_rss_is_an_error() {
        assert!(parse_status("Name:\tx\n").is_err());
    }

    #[test]
    fn this_process_has_resident_memory_and_grows_cpu_time() {
        let memory = memory().unwrap();
        assert!(memory.rss_kib > 0 && memory.peak_kib >= memory.rss_kib);
        let before = process_cpu_time().unwrap();
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = std::hint::black_box(x.wrapping_add(i * i));
        }
        assert!(process_cpu_time().unwrap() > before, "{x}");
    }
}
