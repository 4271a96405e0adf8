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

/// The descriptor a program started by `spawn_with_channel` finds its
/// channel on.
pub const CHANNEL_FD: RawFd = 3;

/// Start `program ARGS` with `env`, our stdin, stdout and stderr, and
/// `channel` (one end of a socket pair) as its descriptor 3: how a test
/// script talks to nixvm.
pub fn spawn_with_channel(
    program: &Path,
    args: &[impl AsRef<std::ffi::OsStr>],
    env: &[(String, String)],
    channel: RawFd,
) -> std::io::Result<Child> {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(program);
    cmd.args(args).envs(env.iter().cloned());
    end_with_us(&mut cmd);
    // SAFETY: dup2(2) and fcntl(2) are async-signal-safe. The new
    // descriptor is not close-on-exec; one already in place (dup2 of a
    // descriptor onto itself does nothing) is made so.
    unsafe {
        cmd.pre_exec(move || {
            if channel == CHANNEL_FD {
                return inherit(channel);
            }
            if libc::dup2(channel, CHANNEL_FD) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn()
}

/// Make the program about to start end (SIGTERM) when nixvm does, however
/// nixvm ends: for the helpers of a run (ssh connections, the test
/// script), never for a VM. Called between fork and exec.
fn end_with_us(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl(2) is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Start `program ARGS` with its stdin, stdout and stderr piped to us,
/// ending with nixvm (a persistent shell in a guest).
pub fn spawn_piped(program: &str, args: &[impl AsRef<std::ffi::OsStr>]) -> std::io::Result<Child> {
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    end_with_us(&mut cmd);
    cmd.spawn()
}

/// Start `program ARGS` with no input and no output but its stderr, piped
/// to us, ending with nixvm (an ssh ControlMaster).
pub fn spawn_helper(program: &str, args: &[impl AsRef<std::ffi::OsStr>]) -> std::io::Result<Child> {
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    end_with_us(&mut cmd);
    cmd.spawn()
}

/// Ctrl-C seen since `catch_interrupts`.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn on_interrupt(_: libc::c_int) {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// From now on Ctrl-C (SIGINT) and SIGTERM do not end nixvm at once, only
/// what it started in the foreground (which gets a terminal's Ctrl-C too:
/// the handler is not inherited across exec); `interrupted` says whether
/// one came, and nixvm ends what it was doing.
pub fn catch_interrupts() {
    // SAFETY: the handler only stores to an atomic.
    unsafe {
        libc::signal(libc::SIGINT, on_interrupt as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_interrupt as *const () as libc::sighandler_t);
    }
}

/// Whether Ctrl-C came since `catch_interrupts`.
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
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
pub fn output_with_input(program: &str, args: &[impl AsRef<std::ffi::OsStr>], input: &[u8]) -> std::io::Result<Output> {
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
pub fn output(program: &str, args: &[impl AsRef<std::ffi::OsStr>]) -> std::io::Result<Output> {
    Command::new(program).args(args).stdin(Stdio::null()).output()
}

/// Run `program ARGS` with no input, each line of its stdout to `line` as
/// it comes; its exit status and its whole stderr (read aside, so a
/// chatty program cannot fill the pipe).
pub fn stream_lines(
    program: &str,
    args: &[impl AsRef<std::ffi::OsStr>],
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

/// The value of the variable `name` in the environment process `pid` was
/// started with.
pub fn variable(pid: i32, name: &str) -> Option<String> {
    let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
    let prefix = format!("{name}=");
    environ
        .split(|b| *b == 0)
        .find_map(|e| e.strip_prefix(prefix.as_bytes()))
        .map(|v| String::from_utf8_lossy(v).into_owned())
}

/// The process started with `entry` (`NAME=VALUE`) in its environment
/// whose parent was not (the first of a tree that inherited it: a VM,
/// not the programs it started); the oldest such when there are several.
/// Every process of this user is looked at: for when the pid file is lost.
pub fn find_by_environment(entry: &str) -> Option<i32> {
    let marked: Vec<(i32, i32, u64)> = std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter(|e| {
            use std::os::unix::fs::MetadataExt;
            // SAFETY: getuid(2) cannot fail.
            e.metadata().is_ok_and(|m| m.uid() == unsafe { libc::getuid() })
        })
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| has_environment(*pid, entry) && alive(*pid))
        .filter_map(|pid| {
            let (parent, started) = parent_and_start(pid)?;
            Some((pid, parent, started))
        })
        .collect();
    marked
        .iter()
        .filter(|(_, parent, _)| !marked.iter().any(|(pid, _, _)| pid == parent))
        .min_by_key(|(pid, _, started)| (*started, *pid))
        .map(|(pid, _, _)| *pid)
}

/// A process's parent and its start time (clock ticks after boot), from
/// `/proc/PID/stat`.
fn parent_and_start(pid: i32) -> Option<(i32, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the parenthesised name: state, ppid, ... starttime (field 22).
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split_whitespace().collect();
    Some((fields.get(1)?.parse().ok()?, fields.get(19)?.parse().ok()?))
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
    fn the_first_process_of_a_marked_tree_is_found() {
        let mark = format!("NIXVM_TEST_MARK={}", std::process::id());
        let (name, value) = mark.split_once('=').unwrap();
        // A marked process with a marked child of its own (timeout runs
        // sleep).
        let mut child =
            std::process::Command::new("timeout").args(["30", "sleep", "30"]).env(name, value).spawn().unwrap();
        let pid = child.id() as i32;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let found = loop {
            let found = find_by_environment(&mark);
            if found.is_some() || std::time::Instant::now() > deadline {
                break found;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert_eq!(found, Some(pid));
        assert_eq!(variable(pid, name).as_deref(), Some(value));
        signal_group(pid, libc::SIGKILL);
        let _ = child.kill();
        child.wait().unwrap();
        assert_eq!(find_by_environment("NIXVM_TEST_MARK=nobody"), None);
    }

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
