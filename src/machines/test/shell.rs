//! One persistent root shell per machine for a test run: `bash` in the
//! guest over the machine's ssh connection (its ControlMaster), fed one
//! command line at a time. A command costs a line each way, not an ssh
//! connection. Each answer is one line starting with a token made for this
//! shell, so that whatever else the session prints (a banner, what the
//! guest's startup files echo) is told apart and shown, not taken for an
//! answer. What the commands say on stderr comes back as lines, read aside.

use crate::machines::connection::Connection;
use crate::runtime::test::{execute_line, read_answer, Seconds};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::process::{Child, ChildStdin, ChildStdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How a command's answer did not come.
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    /// The session ended (the guest went away, ssh failed).
    #[error("the shell session ended")]
    Ended,
    /// No answer by the deadline.
    #[error("no answer in time")]
    TimedOut,
    /// Ctrl-C (or SIGTERM) came while waiting.
    #[error("interrupted")]
    Interrupted,
    /// An answer that is not one (the shell is not to be trusted any more).
    #[error("{0}")]
    Garbled(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub struct Shell {
    machine: String,
    child: Child,
    stdin: ChildStdin,
    stdout: LineReader,
    token: String,
    serial: Arc<AtomicBool>,
    /// Answers of commands run without waiting (`check_output=False`),
    /// still to be read before the next answer.
    unread: usize,
}

impl Shell {
    /// Open the shell on `ssh`; what the session says besides answers, and
    /// what its commands say on stderr, is shown as it comes, as
    /// `MACHINE # LINE`, while `serial` is on.
    pub fn open(ssh: &Connection, serial: Arc<AtomicBool>) -> anyhow::Result<Shell> {
        let mut child = ssh.spawn("bash")?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = LineReader::new(child.stdout.take().expect("piped"));
        let errors = child.stderr.take().expect("piped");
        let machine = ssh.machine.clone();
        let shown = serial.clone();
        let name = machine.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(errors).lines() {
                let Ok(line) = line else { break };
                if shown.load(Ordering::Relaxed) {
                    eprintln!("{name} # {line}");
                }
            }
        });
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no random bytes for the shell's token: {e}"))?;
        let token = format!("nixvm-{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let mut shell = Shell { machine, child, stdin, stdout, token, serial, unread: 0 };
        // As the driver's shell, it works in /tmp; an answer says it is up.
        shell.stdin.write_all(b"cd /tmp\n")?;
        let (rc, _) = shell.execute("true", Some(30.0), Some(Instant::now() + Duration::from_secs(60)))?;
        if rc != 0 {
            anyhow::bail!("the guest's shell did not start (exit {rc})");
        }
        Ok(shell)
    }

    fn send(&mut self, line: &str) -> Result<(), ShellError> {
        self.stdin.write_all(line.as_bytes()).map_err(|_| ShellError::Ended)?;
        self.stdin.flush().map_err(|_| ShellError::Ended)
    }

    /// The next answer, by `deadline`; other lines are shown.
    fn answer(&mut self, deadline: Option<Instant>) -> Result<(i32, String), ShellError> {
        loop {
            let line = self.stdout.read_line(deadline)?;
            match read_answer(&line, &self.token) {
                Some(Ok(answer)) => return Ok(answer),
                Some(Err(why)) => return Err(ShellError::Garbled(why)),
                None => {
                    if self.serial.load(Ordering::Relaxed) {
                        eprintln!("{} # {line}", self.machine);
                    }
                }
            }
        }
    }

    /// Run `command` (bash, `set -euo pipefail`, under `timeout` when
    /// given) and wait until `deadline` for its exit status and stdout.
    pub fn execute(
        &mut self,
        command: &str,
        timeout: Seconds,
        deadline: Option<Instant>,
    ) -> Result<(i32, String), ShellError> {
        self.skip_unread(deadline)?;
        let line = execute_line(command, timeout, &self.token);
        self.send(&line)?;
        self.answer(deadline)
    }

    /// Start `command` and return at once (`check_output=False`): its
    /// answer is read, and dropped, before the next command's.
    pub fn start(&mut self, command: &str, timeout: Seconds) -> Result<(), ShellError> {
        let line = execute_line(command, timeout, &self.token);
        self.send(&line)?;
        self.unread += 1;
        Ok(())
    }

    fn skip_unread(&mut self, deadline: Option<Instant>) -> Result<(), ShellError> {
        while self.unread > 0 {
            self.answer(deadline)?;
            self.unread -= 1;
        }
        Ok(())
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Lines from a pipe, each read by a deadline, or until Ctrl-C.
struct LineReader {
    pipe: ChildStdout,
    buffer: Vec<u8>,
}

impl LineReader {
    fn new(pipe: ChildStdout) -> LineReader {
        LineReader { pipe, buffer: vec![] }
    }

    /// The next line (without its newline).
    fn read_line(&mut self, deadline: Option<Instant>) -> Result<String, ShellError> {
        loop {
            if let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                return Ok(String::from_utf8_lossy(&line[..end]).into_owned());
            }
            // Woken at least once a second to see whether Ctrl-C came.
            let wait = match deadline {
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(ShellError::TimedOut);
                    }
                    left.as_millis().min(1000) as i32
                }
                None => 1000,
            };
            let mut fds = libc::pollfd { fd: self.pipe.as_raw_fd(), events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd.
            let ready = unsafe { libc::poll(&mut fds, 1, wait) };
            if crate::machines::process::interrupted() {
                return Err(ShellError::Interrupted);
            }
            if ready < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e.into());
            }
            if ready == 0 {
                continue;
            }
            let mut chunk = [0u8; 65536];
            let n = std::io::Read::read(&mut self.pipe, &mut chunk)?;
            if n == 0 {
                return Err(ShellError::Ended);
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }
}
