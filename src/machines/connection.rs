//! ssh's one home: a connection to a running machine as root with the
//! project key, through the configuration nixvm writes for it
//! (`.nixvm/M/ssh_config`: the forwarded port, the key, the project's
//! known_hosts). Every use goes through it: `ssh`, `deploy`, `up --wait`,
//! `test`. Exit code 255 is ssh's own failure (the guest could not be
//! reached or would not let us in) everywhere, never a command's.
//! A connection can open a `ControlMaster` (`master`): then each later
//! command rides the one authenticated connection instead of a new one.

use super::state::{self, MachineState};
use anyhow::{bail, Context as _};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Child, Output};

/// The destination every connection uses; the configuration says the rest.
pub const DESTINATION: &str = "root@127.0.0.1";

/// What went wrong in the guest or on the way to it.
#[derive(Debug, thiserror::Error)]
pub enum SshError {
    #[error("cannot run ssh (install OpenSSH's client): {0}")]
    Spawn(std::io::Error),
    /// ssh itself failed (exit 255): its last message.
    #[error("ssh to {machine} failed: {message}")]
    Unreachable { machine: String, message: String },
    /// The command ran and failed.
    #[error("`{command}` failed in {machine} (exit {code}){}", stderr_tail(.stderr))]
    Failed { machine: String, command: String, code: i32, stderr: String },
    #[error("ssh to {0} was killed by a signal")]
    Killed(String),
}

fn stderr_tail(stderr: &str) -> String {
    match stderr.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(l) => format!(": {}", l.trim()),
        None => String::new(),
    }
}

/// A running machine's ssh.
pub struct Connection {
    pub machine: String,
    /// The host port forwarded to the guest's sshd.
    pub port: u16,
    config: PathBuf,
    /// The master's socket and process, once `master` opened one.
    master: Option<(PathBuf, Child)>,
}

impl Connection {
    /// The connection to `machine`, running, of the source whose state is
    /// under `root`; its configuration written.
    pub fn to(root: &Path, machine: &str) -> anyhow::Result<Connection> {
        super::known::check_name(machine)?;
        let state = MachineState::of(root, machine);
        let port = state.running_ssh_port()?;
        let config = write_config(root, &state, port)?;
        Ok(Connection { machine: machine.to_string(), port, config, master: None })
    }

    /// ssh's arguments for `command` (given to the guest's shell as one
    /// line, as ssh does), non-interactive unless `interactive`.
    pub fn args(&self, interactive: bool, command: &[&OsStr]) -> Vec<OsString> {
        let mut a: Vec<OsString> = vec!["-F".into(), self.config.clone().into()];
        if !interactive {
            a.extend(["-o", "BatchMode=yes"].map(OsString::from));
        }
        if let Some((socket, _)) = &self.master {
            a.extend(["-o".into(), format!("ControlPath={}", socket.display()).into()]);
            a.extend(["-o", "ControlMaster=no"].map(OsString::from));
        }
        a.extend(["--", DESTINATION].map(OsString::from));
        a.extend(command.iter().map(|c| c.to_os_string()));
        a
    }

    /// The options nix-copy-closure gives ssh (`NIX_SSHOPTS`).
    pub fn ssh_options(&self) -> Vec<String> {
        vec!["-F".into(), self.config.display().to_string(), "-o".into(), "BatchMode=yes".into()]
    }

    /// The configuration file.
    pub fn config(&self) -> &Path {
        &self.config
    }

    /// Whether the guest lets us in: a real login with the project key,
    /// not only an open port (QEMU's forward accepts connections long
    /// before the guest's sshd runs).
    pub fn answers(&self) -> bool {
        let mut args = vec![OsString::from("-o"), OsString::from("ConnectTimeout=3")];
        args.extend(self.args(false, &[OsStr::new("true")]));
        super::process::output("ssh", &args).is_ok_and(|o| o.status.success())
    }

    /// Run `command` in the guest with `input` on its stdin; its output,
    /// whatever its exit code (ssh's own failure is an error).
    pub fn output(&self, command: &str, input: &[u8]) -> Result<Output, SshError> {
        let args = self.args(false, &[OsStr::new(command)]);
        let out = super::process::output_with_input("ssh", &args, input).map_err(SshError::Spawn)?;
        self.ssh_failure(&out.status, &out.stderr)?;
        Ok(out)
    }

    /// Run `command`, which must succeed; its stdout.
    pub fn succeed(&self, command: &str, input: &[u8]) -> Result<Vec<u8>, SshError> {
        let out = self.output(command, input)?;
        match out.status.code() {
            Some(0) => Ok(out.stdout),
            Some(code) => Err(SshError::Failed {
                machine: self.machine.clone(),
                command: command.to_string(),
                code,
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }),
            None => Err(SshError::Killed(self.machine.clone())),
        }
    }

    /// Run `command`, which must succeed, each line of its stdout to
    /// `line` as it comes; its stderr.
    pub fn stream(&self, command: &str, line: &mut dyn FnMut(&str)) -> Result<String, SshError> {
        let args = self.args(false, &[OsStr::new(command)]);
        let (status, stderr) = super::process::stream_lines("ssh", &args, line).map_err(SshError::Spawn)?;
        self.ssh_failure(&status, stderr.as_bytes())?;
        match status.code() {
            Some(0) => Ok(stderr),
            Some(code) => {
                Err(SshError::Failed { machine: self.machine.clone(), command: command.to_string(), code, stderr })
            }
            None => Err(SshError::Killed(self.machine.clone())),
        }
    }

    /// A process running `command` in the guest, its stdin, stdout and
    /// stderr piped to us (a persistent shell), ending with nixvm.
    pub fn spawn(&self, command: &str) -> Result<Child, SshError> {
        super::process::spawn_piped("ssh", &self.args(false, &[OsStr::new(command)])).map_err(SshError::Spawn)
    }

    /// Replace nixvm with an interactive `ssh` (a login shell, or
    /// `command`) in `dir`; returns only when ssh cannot be started.
    pub fn exec(&self, command: &[String], dir: &Path) -> anyhow::Error {
        let command: Vec<&OsStr> = command.iter().map(OsStr::new).collect();
        let err = super::process::exec(Path::new("ssh"), &self.args(true, &command), &[], dir, None);
        anyhow::Error::new(err).context("cannot run ssh (install OpenSSH's client)")
    }

    /// Open a `ControlMaster` (its socket `socket`, under the machine's
    /// state): every later command of this connection rides it, with no
    /// handshake of its own. It ends with the connection.
    pub fn master(&mut self, socket: PathBuf) -> anyhow::Result<()> {
        if self.master.is_some() {
            return Ok(());
        }
        let _ = std::fs::remove_file(&socket);
        let mut args: Vec<OsString> = vec!["-F".into(), self.config.clone().into()];
        for o in [
            "BatchMode=yes".to_string(),
            "ControlMaster=yes".into(),
            "ControlPersist=no".into(),
            format!("ControlPath={}", socket.display()),
        ] {
            args.extend(["-o".into(), o.into()]);
        }
        args.extend(["-N", "--", DESTINATION].map(OsString::from));
        let mut child =
            super::process::spawn_helper("ssh", &args).context("cannot run ssh (install OpenSSH's client)")?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !socket.exists() {
            if let Some(status) = child.try_wait()? {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                bail!("ssh to {} failed ({status}): {}", self.machine, stderr_tail(&err).trim_start_matches(": "));
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                bail!("ssh to {} did not connect in 30 s", self.machine);
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        self.master = Some((socket, child));
        Ok(())
    }

    /// ssh's exit 255 (its own failure) as an error.
    fn ssh_failure(&self, status: &std::process::ExitStatus, stderr: &[u8]) -> Result<(), SshError> {
        if status.code() == Some(255) {
            let text = String::from_utf8_lossy(stderr);
            let message = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim();
            return Err(SshError::Unreachable { machine: self.machine.clone(), message: message.to_string() });
        }
        Ok(())
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some((socket, mut child)) = self.master.take() {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_file(socket);
        }
    }
}

/// Write the ssh configuration for a running machine of the source at
/// `root` into its state directory; returns its path.
fn write_config(root: &Path, state: &MachineState, port: u16) -> anyhow::Result<PathBuf> {
    let key = state::nixvm_dir(root).join("ssh-key");
    if !key.exists() {
        bail!("the project has no ssh key yet; restart {} with nixvm so that it gets one", state.machine);
    }
    let text = crate::runtime::ssh_config(&state.machine, port, &key, &state::known_hosts(root))?;
    let path = state.dir.join("ssh_config");
    crate::files::write_state(&path, &text, 0o600)?;
    Ok(path)
}
