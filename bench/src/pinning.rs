//! Pinning a thread to one CPU core, so that the server and the client never share one.
//!
//! On a 2-core machine the scheduler otherwise moves both between cores, and the noise that
//! adds is larger than the differences the benchmark is after.

use std::io;

/// Pins the calling thread, and every thread it starts afterwards, to core `cpu`.
///
/// Fails when `cpu` does not exist or the kernel refuses.
pub fn pin_current_thread(cpu: usize) -> io::Result<()> {
    let limit = 8 * std::mem::size_of::<libc::cpu_set_t>();
    if cpu >= limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("core {cpu} is beyond the {limit} cores a cpu set can name"),
        ));
    }
    // SAFETY: `cpu_set_t` is plain old data for which all-zero is the empty set; `CPU_SET`
    // writes one bit inside it (bounds checked above), and `sched_setaffinity` only reads the
    // set whose exact size it is given. Pid 0 means the calling thread.
    let result = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The cores the calling thread may currently run on.
pub fn allowed_cpus() -> io::Result<Vec<usize>> {
    // SAFETY: as above; `sched_getaffinity` fills the set whose exact size it is given, and
    // `CPU_ISSET` reads bits inside it only.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Err(io::Error::last_os_error());
        }
        let limit = 8 * std::mem::size_of::<libc::cpu_set_t>();
        Ok((0..limit)
            .filter(|&cpu| libc::CPU_ISSET(cpu, &set))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_thread_runs_on_that_core_only() {
        let first = allowed_cpus().unwrap()[0];
        std::thread::spawn(move || {
            pin_current_thread(first).unwrap();
            assert_eq!(allowed_cpus().unwrap(), vec![first]);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_core_beyond_the_set_is_refused() {
        assert!(pin_current_thread(1 << 20).is_err());
    }
}
