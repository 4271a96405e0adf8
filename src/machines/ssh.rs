//! Logging into running VMs: an interactive `ssh`, and waiting until
//! machines answer ssh (`up --wait`, `run`'s announcement, `test`). The
//! connection itself is `connection::Connection`.

use super::connection::Connection;
use super::source::Source;
use super::state::MachineState;
use crate::nix::Nix;
use anyhow::Context as _;
use std::ffi::OsStr;
use std::path::Path;

/// Whether the running VM of `machine` (of the source whose state is under
/// `root`) answers ssh: a real login as root with the project key.
pub fn answers(root: &Path, machine: &str) -> bool {
    Connection::to(root, machine).is_ok_and(|c| c.answers())
}

/// How a wait for ssh ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// It answered, this long after the wait began.
    Answers(std::time::Duration),
    /// Its VM stopped first.
    Stopped,
    /// The time was up.
    TimedOut,
    /// Ctrl-C (or SIGTERM) came first (see `process::catch_interrupts`).
    Interrupted,
}

/// Wait until each of `machines` answers ssh (trying each about once a
/// second), its VM stops, or `timeout` passes; `said` hears of each as it
/// is decided.
pub fn wait_for_ssh(
    root: &Path,
    machines: &[String],
    timeout: std::time::Duration,
    said: &mut dyn FnMut(&str, Readiness),
) -> Vec<(String, Readiness)> {
    let start = std::time::Instant::now();
    let mut pending: Vec<String> = machines.to_vec();
    let mut done = vec![];
    while !pending.is_empty() {
        let round = std::time::Instant::now();
        pending.retain(|m| {
            let outcome = if super::process::interrupted() {
                Some(Readiness::Interrupted)
            } else if answers(root, m) {
                Some(Readiness::Answers(start.elapsed()))
            } else if MachineState::of(root, m).running_pid().is_none() {
                Some(Readiness::Stopped)
            } else if start.elapsed() >= timeout {
                Some(Readiness::TimedOut)
            } else {
                None
            };
            match outcome {
                Some(r) => {
                    said(m, r);
                    done.push((m.clone(), r));
                    false
                }
                None => true,
            }
        });
        if let Some(rest) = std::time::Duration::from_secs(1).checked_sub(round.elapsed()) {
            if !pending.is_empty() {
                std::thread::sleep(rest);
            }
        }
    }
    done
}

/// Start, in the background, `nixvm await-ssh` for `machine`, which this
/// process is about to become the VM of (it execs the run script): the
/// watcher waits for that, says on our stderr when the VM answers ssh, and
/// ends then, when the VM stops, or when this process ends without
/// becoming the VM (a failed build). Detached: it does not become the VM's
/// child.
pub fn announce_when_ready(root: &Path, machine: &str) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find nixvm's own program")?;
    let pid = std::process::id().to_string();
    let args = [
        OsStr::new("await-ssh"),
        OsStr::new(machine),
        OsStr::new("--root"),
        root.as_os_str(),
        OsStr::new("--vm-pid"),
        OsStr::new(&pid),
    ];
    super::process::spawn_detached(&exe, &args).context("cannot start nixvm await-ssh")
}

/// Wait until process `pid` is `machine`'s running VM (true), or is gone
/// without having become it (false).
pub fn await_vm(root: &Path, machine: &str, pid: i32) -> bool {
    let state = MachineState::of(root, machine);
    loop {
        if state.running_pid() == Some(pid) {
            return true;
        }
        // Its parent may not have reaped it yet (`nixvm run` from a program
        // that waits for our output first): ended is ended.
        if !super::process::alive(pid) {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Replace nixvm with `ssh` into `machine` as root (a login shell, or
/// `command`); returns only when ssh cannot be started, with why. The
/// machine must be one (`nix` lists them, when it has no state).
pub fn ssh(source: &Source, machine: &str, command: &[String], nix: Result<&Nix, String>) -> anyhow::Error {
    if let Err(e) = source.check_known_or_kept(std::slice::from_ref(&machine.to_string()), nix) {
        return e;
    }
    match Connection::to(source.dir(), machine) {
        Ok(c) => c.exec(command, source.dir()),
        Err(e) => e,
    }
}
