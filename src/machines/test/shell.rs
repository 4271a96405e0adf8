//! One persistent root shell per machine for a test run: `bash` in the
//! guest over the machine's ssh connection (its ControlMaster), fed one
//! command line at a time. A command costs a line each way, not an ssh
//! connection. What the guest's commands say on stderr comes back as
//! lines, read aside.

use crate::machines::connection::Connection;
use crate::runtime::test::{execute_line, Seconds, EXIT_STATUS_LINE};
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
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub struct Shell {
    child: Child,
    stdin: ChildStdin,
    stdout: LineReader,
    /// Outputs of commands run without waiting (`check_output=False`),
    /// still to be read before the next answer.
    unread: usize,
}

impl Shell {
    /// Open the shell on `ssh`; what its commands say on stderr is shown
    /// as it comes, as `MACHINE # LINE`, while `serial` is on.
    pub fn open(ssh: &Connection, serial: Arc<AtomicBool>) -> anyhow::Result<Shell> {
        let mut child = ssh.spawn("bash")?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = LineReader::new(child.stdout.take().expect("piped"));
        let errors = child.stderr.take().expect("piped");
        let machine = ssh.machine.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(errors).lines() {
                let Ok(line) = line else { break };
                if serial.load(Ordering::Relaxed) {
                    eprintln!("{machine} # {line}");
                }
            }
        });
        let mut shell = Shell { child, stdin, stdout, unread: 0 };
        // As the driver's shell, it works in /tmp; an answer says it is up.
        shell.stdin.write_all(b"cd /tmp\n")?;
        let (rc, _) = shell.execute("true", Some(30.0), Some(Instant::now() + Duration::from_secs(60)))?;
        if rc != 0 {
            anyhow::bail!("the guest's shell did not start (exit {rc})");
        }
        Ok(shell)
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
        let line = format!("{}{EXIT_STATUS_LINE}", execute_line(command, timeout));
        self.stdin.write_all(line.as_bytes()).map_err(|_| ShellError::Ended)?;
        self.stdin.flush().map_err(|_| ShellError::Ended)?;
        let output = self.stdout.read_line(deadline)?;
        let status = self.stdout.read_line(deadline)?;
        let rc = status.trim().parse().unwrap_or(-1);
        Ok((rc, decode(&output)))
    }

    /// `execute` without waiting for the exit status (`check_return=False`).
    pub fn execute_output(
        &mut self,
        command: &str,
        timeout: Seconds,
        deadline: Option<Instant>,
    ) -> Result<String, ShellError> {
        self.skip_unread(deadline)?;
        self.stdin.write_all(execute_line(command, timeout).as_bytes()).map_err(|_| ShellError::Ended)?;
        self.stdin.flush().map_err(|_| ShellError::Ended)?;
        Ok(decode(&self.stdout.read_line(deadline)?))
    }

    /// Start `command` and return at once (`check_output=False`): its
    /// output is read, and dropped, before the next command's.
    pub fn start(&mut self, command: &str, timeout: Seconds) -> Result<(), ShellError> {
        self.stdin.write_all(execute_line(command, timeout).as_bytes()).map_err(|_| ShellError::Ended)?;
        self.stdin.flush().map_err(|_| ShellError::Ended)?;
        self.unread += 1;
        Ok(())
    }

    fn skip_unread(&mut self, deadline: Option<Instant>) -> Result<(), ShellError> {
        while self.unread > 0 {
            self.stdout.read_line(deadline)?;
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

/// A command's stdout, from its line of base64.
fn decode(line: &str) -> String {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(line.trim()).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Lines from a pipe, each read by a deadline.
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
            let wait = match deadline {
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(ShellError::TimedOut);
                    }
                    left.as_millis().min(i32::MAX as u128) as i32
                }
                None => -1,
            };
            let mut fds = libc::pollfd { fd: self.pipe.as_raw_fd(), events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd.
            let ready = unsafe { libc::poll(&mut fds, 1, wait) };
            if ready < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e.into());
            }
            if ready == 0 {
                return Err(ShellError::TimedOut);
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
