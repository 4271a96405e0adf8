//! Starting and watching the programs of a VM's life other than nix: run
//! scripts (QEMU), `ssh`, `ssh-keygen`. Arguments go as argv, never
//! through a shell. With `nix`, the only module that starts programs.

use std::io::BufRead as _;
use std::os::fd::RawFd;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};

/// Replace this process with `program` (as `nix run` does), which keeps
/// the descriptor `keep` open when there is one: returns only when that
/// fails.
pub fn exec(
    program: &Path,
    args: &[impl AsRef<std::ffi::OsStr>],
    env: &[(String, String)],
    dir: &Path,
    keep: Option<RawFd>,
) -> std::io::Error {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(program);
    cmd.args(args).envs(env.iter().cloned()).current_dir(dir);
    if let Some(fd) = keep {
        // SAFETY: fcntl(2) on a descriptor, async-signal-safe.
        unsafe { cmd.pre_exec(move || inherit(fd)) };
    }
    cmd.exec()
}

/// Let the descriptor `fd` stay open across exec (Rust opens every file
/// close-on-exec). Called between fork and exec.
fn inherit(fd: RawFd) -> std::io::Result<()> {
    // SAFETY: fcntl(2) has no memory effects.
    if unsafe { libc::fcntl(fd, libc::F_SETFD, 0) } == -1 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Start `program` in the background in its own session (a terminal's ^C
/// does not reach it, and its process group can be signalled whole), its
/// output into `log`, the descriptor `keep` open in it.
pub fn spawn_session(
    program: &Path,
    env: &[(String, String)],
    dir: &Path,
    log: std::fs::File,
    keep: RawFd,
) -> std::io::Result<Child> {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(program);
    cmd.envs(env.iter().cloned()).current_dir(dir).stdin(Stdio::null()).stdout(log.try_clone()?).stderr(log);
    // SAFETY: setsid(2) and fcntl(2) are async-signal-safe; nothing else
    // runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setsid() == -1 {
                return Err(std::io::Error::last_os_error());
            }
            inherit(keep)
        });
    }
    cmd.spawn()
}

/// Start `program ARGS` detached (its parent leaves at once, so init reaps
/// it), with no input and our stdout and stderr.
pub fn spawn_detached(program: &Path, args: &[&std::ffi::OsStr]) -> std::io::Result<()> {
    let mut c = Command::new(program);
    c.args(args).stdin(Stdio::null());
    crate::nix::detach(&mut c);
    c.spawn()?.wait().map(|_| ())
}

/// Run `program ARGS` to completion with `input` on its stdin; its output.
pub fn output_with_input(program: &str, args: &[&std::ffi::OsStr], input: &[u8]) -> std::io::Result<Output> {
    use std::io::Write;
    let mut child =
        Command::new(program).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let mut stdin = child.stdin.take();
    let input = input.to_vec();
    // Written aside, so a program that answers before it has read all
    // cannot block on a full pipe.
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&input);
        }
    });
    let out = child.wait_with_output();
    let _ = writer.join();
    out
}

/// Run `program ARGS` to completion with no input; its output.
pub fn output(program: &str, args: &[&std::ffi::OsStr]) -> std::io::Result<Output> {
    Command::new(program).args(args).stdin(Stdio::null()).output()
}

/// Run `program ARGS` with no input, each line of its stdout to `line` as
/// it comes; its exit status and its whole stderr (read aside, so a
/// chatty program cannot fill the pipe).
pub fn stream_lines(
    program: &str,
    args: &[&std::ffi::OsStr],
    mut line: impl FnMut(&str),
) -> std::io::Result<(ExitStatus, String)> {
    let mut child =
        Command::new(program).args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut e) = stderr {
            let _ = std::io::Read::read_to_string(&mut e, &mut text);
        }
        text
    });
    if let Some(out) = child.stdout.take() {
        for l in std::io::BufReader::new(out).lines() {
            line(&l?);
        }
    }
    let status = child.wait()?;
    Ok((status, errors.join().unwrap_or_default()))
}

/// Whether process `pid` was started with `entry` (`NAME=VALUE`) in its
/// environment: how a VM is recognised after its run script `exec`s QEMU
/// (the command line changes, the environment stays).
pub fn has_environment(pid: i32, entry: &str) -> bool {
    environment_has(pid, |e| e == entry.as_bytes()).unwrap_or(false)
}

/// Whether process `pid` was started with the variable `name` set; `None`
/// when its environment cannot be read.
pub fn has_variable(pid: i32, name: &str) -> Option<bool> {
    let prefix = format!("{name}=");
    environment_has(pid, |e| e.starts_with(prefix.as_bytes()))
}

/// Whether an entry of process `pid`'s environment is one `wanted` says;
/// `None` when it cannot be read.
fn environment_has(pid: i32, wanted: impl Fn(&[u8]) -> bool) -> Option<bool> {
    let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
    Some(environ.split(|b| *b == 0).any(wanted))
}

/// Whether process `pid` exists and has not ended: a process that exited
/// and that its parent has not reaped yet (a zombie) has ended.
pub fn alive(pid: i32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    // The state follows the parenthesised name, which may hold anything.
    !matches!(stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next()), Some('Z' | 'X') | None)
}

/// Send `signal` to the process group `pid` leads, or to `pid` alone when
/// it leads none (a `run` started without job control, from a script,
/// shares its caller's group, which must not be signalled).
pub fn signal_group(pid: i32, signal: i32) {
    // SAFETY: getpgid(2) and kill(2) have no memory effects; callers check
    // first that `pid` is still the VM they mean.
    unsafe {
        if libc::getpgid(pid) == pid {
            libc::kill(-pid, signal);
        } else {
            libc::kill(pid, signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreaped_child_has_ended() {
        assert!(alive(std::process::id() as i32));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i32;
        // Not reaped yet: a zombie, until `wait`.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while alive(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(std::path::Path::new(&format!("/proc/{pid}")).exists(), "still in /proc, unreaped");
        assert!(!alive(pid));
        child.wait().unwrap();
        assert!(!alive(pid));
    }
}
