//! The calls of a test script, carried out with the NixOS test driver's
//! semantics: commands in a persistent root shell per machine, the waits
//! (`retry`: about once a second until the timeout, then a last try), the
//! unit checks as the driver decides them, files copied over ssh, and the
//! VM itself through nixvm's own lifecycle (starting as `up` does, the
//! QEMU monitor under `.nixvm/M/`, signals to its process).

use super::log::Log;
use super::shell::{Shell, ShellError};
use crate::machines::connection::Connection;
use crate::machines::source::Source;
use crate::machines::Progress;
use crate::nix::Nix;
use crate::runtime::test::{self as t, Call, Raise, Raised, Request, Seconds};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long past a command's own timeout nixvm waits for the guest's
/// answer before it gives up on the shell.
const GRACE: Duration = Duration::from_secs(30);

/// How much of a console a machine that failed shows.
const CONSOLE_LINES: usize = 15;

/// The script's end of the conversation.
pub struct Channel {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Channel {
    pub fn new(stream: UnixStream) -> std::io::Result<Channel> {
        Ok(Channel { reader: BufReader::new(stream.try_clone()?), writer: stream })
    }

    /// The script's next line; None when it ended (also when it went
    /// away mid-line: its exit says how it ended).
    pub fn next(&mut self) -> anyhow::Result<Option<String>> {
        match super::read_line(&mut self.reader) {
            Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe) => {
                Ok(None)
            }
            r => Ok(r?),
        }
    }

    fn send(&mut self, line: &str) -> std::io::Result<()> {
        self.writer.write_all(line.as_bytes())?;
        self.writer.write_all(b"\n")
    }

    /// Answer the call being carried out.
    pub fn answer(&mut self, result: Result<Value, Raised>) -> anyhow::Result<()> {
        // A script that ended meanwhile (Ctrl-C) hears nothing.
        let _ = self.send(&t::answer(result));
        Ok(())
    }
}

/// A machine's connection for the run.
struct Live {
    ssh: Connection,
    shell: Shell,
}

pub struct Runner<'a> {
    nix: &'a Nix,
    source: &'a Source,
    progress: &'a dyn Progress,
    pub log: Log,
    machines: Vec<String>,
    live: BTreeMap<String, Live>,
    /// How far each machine's console log has been read by
    /// `wait_for_console_text`.
    console: BTreeMap<String, u64>,
    /// The script has polling conditions active.
    polling: bool,
    out: PathBuf,
    /// Machines this run started.
    pub started: BTreeSet<String>,
    boot_timeout: Duration,
}

type Answer = Result<Value, Raised>;

fn machine_error(e: impl std::fmt::Display) -> Raised {
    Raised::machine(e.to_string())
}

impl<'a> Runner<'a> {
    pub fn new(
        nix: &'a Nix,
        source: &'a Source,
        progress: &'a dyn Progress,
        out: PathBuf,
        boot_timeout: Duration,
    ) -> Runner<'a> {
        Runner {
            nix,
            source,
            progress,
            log: Log::new(),
            machines: vec![],
            live: BTreeMap::new(),
            console: BTreeMap::new(),
            polling: false,
            out,
            started: BTreeSet::new(),
            boot_timeout,
        }
    }

    /// A script begins, seeing `machines`: it starts afresh as the driver
    /// does (the console read from the VMs' start, serial lines shown, no
    /// polling condition).
    pub fn begin_script(&mut self, machines: &[String]) {
        self.machines = machines.to_vec();
        self.console.clear();
        self.polling = false;
        self.log.serial.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Close every connection.
    pub fn close(&mut self) {
        self.live.clear();
    }

    /// Carry out one call.
    pub fn dispatch(&mut self, ch: &mut Channel, request: Request) -> Answer {
        let machine = match &request.machine {
            Some(m) if !self.machines.contains(m) => {
                return Err(Raised { kind: Raise::Type, message: format!("no machine `{m}` in this test") })
            }
            m => m.clone(),
        };
        let m = || {
            machine
                .clone()
                .ok_or_else(|| Raised { kind: Raise::Type, message: "a machine's call without its machine".into() })
        };
        Ok(match request.call {
            Call::Execute { command, check_return, check_output, timeout } => {
                let (rc, out) = self.execute(ch, &m()?, &command, check_return, check_output, timeout)?;
                json!([rc, out])
            }
            Call::Succeed { commands, timeout } => json!(self.must(ch, &m()?, &commands, timeout, true)?),
            Call::Fail { commands, timeout } => json!(self.must(ch, &m()?, &commands, timeout, false)?),
            Call::WaitUntilSucceeds { command, timeout } => {
                json!(self.wait_until(ch, &m()?, &command, timeout, true)?)
            }
            Call::WaitUntilFails { command, timeout } => json!(self.wait_until(ch, &m()?, &command, timeout, false)?),
            Call::Sleep { seconds } => {
                let command = format!("sleep {}", t::seconds_word(seconds));
                json!(self.must(ch, &m()?, &[command], None, true)?)
            }
            Call::Systemctl { q, user } => {
                let (rc, out) = self.systemctl(ch, &m()?, &q, user.as_deref())?;
                json!([rc, out])
            }
            Call::GetUnitInfo { unit, user } => json!(self.unit_info(ch, &m()?, &unit, user.as_deref())?),
            Call::GetUnitProperty { unit, property, user } => {
                json!(self.unit_property(ch, &m()?, &unit, &property, user.as_deref())?)
            }
            Call::RequireUnitState { unit, require_state } => {
                let m = m()?;
                let message = format!("checking if unit '{unit}' has reached state '{require_state}'");
                self.step(Some(&m), &message, |r| {
                    let state = r.unit_info(ch, &m, &unit, None)?.get("ActiveState").cloned().unwrap_or_default();
                    if state != require_state {
                        return Err(Raised::assertion(format!(
                            "Expected unit '{unit}' to be in state '{require_state}' but it is in state '{state}'"
                        )));
                    }
                    Ok(Value::Null)
                })?
            }
            Call::StartJob { unit, user } => {
                let (rc, out) = self.systemctl(ch, &m()?, &format!("start {unit}"), user.as_deref())?;
                json!([rc, out])
            }
            Call::StopJob { unit, user } => {
                let (rc, out) = self.systemctl(ch, &m()?, &format!("stop {unit}"), user.as_deref())?;
                json!([rc, out])
            }
            Call::WaitForUnit { unit, user, timeout } => {
                self.wait_for_unit(ch, &m()?, &unit, user.as_deref(), timeout)?;
                Value::Null
            }
            Call::WaitForFile { filename, timeout } => {
                let m = m()?;
                let probe = format!("test -e {filename}");
                self.wait_for(ch, &m, &format!("waiting for file '{filename}'"), &probe, timeout, true)?;
                Value::Null
            }
            Call::WaitForOpenPort { port, addr, timeout } => {
                let m = m()?;
                let what = format!("waiting for TCP port {port} on {addr}");
                self.wait_for(ch, &m, &what, &t::port_probe(&addr, port), timeout, true)?;
                Value::Null
            }
            Call::WaitForClosedPort { port, addr, timeout } => {
                let m = m()?;
                let what = format!("waiting for TCP port {port} on {addr} to be closed");
                self.wait_for(ch, &m, &what, &t::port_probe(&addr, port), timeout, false)?;
                Value::Null
            }
            Call::WaitForOpenUnixSocket { addr, is_datagram, timeout } => {
                let m = m()?;
                let kind = if is_datagram { "datagram" } else { "stream" };
                let what = format!("waiting for UNIX-domain {kind} on '{addr}'");
                self.wait_for(ch, &m, &what, &t::unix_socket_probe(&addr, is_datagram), timeout, true)?;
                Value::Null
            }
            Call::CopyFromHost { source, target } => {
                self.copy_from_host(ch, &m()?, Path::new(&source), &target)?;
                Value::Null
            }
            Call::CopyFromHostViaShell { source, target } => {
                use base64::Engine as _;
                let bytes = std::fs::read(&source).map_err(|e| machine_error(format!("cannot read {source}: {e}")))?;
                let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
                let commands =
                    [format!("mkdir -p $(dirname {target})"), format!("echo -n {encoded} | base64 -d > {target}")];
                self.must(ch, &m()?, &commands, None, true)?;
                Value::Null
            }
            Call::CopyFromMachine { source, target_dir } => {
                self.copy_from_machine(ch, &m()?, &source, &target_dir)?;
                Value::Null
            }
            Call::Start { allow_reboot: _ } => {
                let m = m()?;
                if !self.running(&m) {
                    self.log.line(Some(&m), "starting vm");
                    self.start_machines(std::slice::from_ref(&m))?;
                }
                Value::Null
            }
            Call::Shutdown => {
                self.shutdown(&m()?)?;
                Value::Null
            }
            Call::Reboot => {
                self.reboot(&m()?)?;
                Value::Null
            }
            Call::Crash => {
                let m = m()?;
                if let Some(pid) = self.source.state(&m).running_pid() {
                    self.log.line(Some(&m), "forced crash");
                    crate::machines::process::signal_group(pid, libc::SIGKILL);
                    self.wait_for_shutdown(&m)?;
                }
                Value::Null
            }
            Call::WaitForShutdown => {
                self.wait_for_shutdown(&m()?)?;
                Value::Null
            }
            Call::IsUp => {
                let m = m()?;
                json!(self.running(&m) && self.live.contains_key(&m))
            }
            Call::WaitForConsoleText { regex, timeout } => {
                self.wait_for_console_text(&m()?, &regex, timeout)?;
                Value::Null
            }
            Call::GetConsoleLog => {
                let m = m()?;
                let log = self.console_log(&m)?;
                let text = String::from_utf8_lossy(&log);
                json!(text.lines().map(|l| l.trim_end_matches('\r')).collect::<Vec<_>>().join("\n"))
            }
            Call::Block => {
                self.monitor(ch, &m()?, &format!("set_link {} off", crate::runtime::SEGMENT_NETDEV))?;
                Value::Null
            }
            Call::Unblock => {
                self.monitor(ch, &m()?, &format!("set_link {} on", crate::runtime::SEGMENT_NETDEV))?;
                Value::Null
            }
            Call::SendMonitorCommand { command } => json!(self.monitor(ch, &m()?, &command)?),
            Call::ForwardPort { host_port, guest_port } => {
                // On the loopback address only, as every forward of nixvm's.
                let command = format!("hostfwd_add user.0 tcp:127.0.0.1:{host_port}-:{guest_port}");
                self.monitor(ch, &m()?, &command)?;
                Value::Null
            }
            Call::Screenshot { filename } => {
                self.screenshot(ch, &m()?, &filename)?;
                Value::Null
            }
            Call::Unsupported { method } => return Err(Raised::machine(unsupported(&method))),
            Call::StartAll => self.step(None, "start all VMs", |r| {
                let stopped: Vec<String> = r.machines.iter().filter(|m| !r.running(m)).cloned().collect();
                if !stopped.is_empty() {
                    r.start_machines(&stopped)?;
                }
                Ok(Value::Null)
            })?,
            Call::JoinAll => self.step(None, "wait for all VMs to finish", |r| {
                for m in r.machines.clone() {
                    r.wait_for_shutdown(&m)?;
                }
                Ok(Value::Null)
            })?,
            Call::Polling { active } => {
                self.polling = active;
                Value::Null
            }
            Call::Log { message } => {
                self.log.line(machine.as_deref(), &message);
                Value::Null
            }
            Call::TestError { message } => {
                self.log.error(&message);
                Value::Null
            }
            Call::NestedStart { message } => {
                self.log.start(None, &message);
                Value::Null
            }
            Call::NestedEnd { failed } => {
                self.log.end(!failed);
                Value::Null
            }
            Call::SubtestStart { name } => {
                self.log.subtest_start(&name);
                Value::Null
            }
            Call::SubtestEnd { error } => {
                self.log.subtest_end(error.as_deref());
                Value::Null
            }
            Call::SerialStdout { on } => {
                self.log.serial.store(on, std::sync::atomic::Ordering::Relaxed);
                Value::Null
            }
        })
    }

    /// `f` as a nested step of the log.
    fn step<T>(
        &mut self,
        machine: Option<&str>,
        message: &str,
        f: impl FnOnce(&mut Self) -> Result<T, Raised>,
    ) -> Result<T, Raised> {
        self.log.start(machine, message);
        let r = f(self);
        self.log.end(r.is_ok());
        r
    }

    /// While the script has polling conditions, ask it to check them
    /// (calls it makes meanwhile are carried out); their failure is the
    /// call's.
    fn poll(&mut self, ch: &mut Channel) -> Result<(), Raised> {
        if !self.polling {
            return Ok(());
        }
        ch.send(t::POLL).map_err(machine_error)?;
        loop {
            let line = ch.next().map_err(machine_error)?.ok_or_else(|| Raised::machine("the script ended"))?;
            let value: Value = match serde_json::from_str(&line) {
                Ok(v) => v,
                // A call nixvm cannot read, made while the conditions are
                // checked: answered as such, the check goes on.
                Err(e) => {
                    let why = Raised { kind: Raise::Type, message: format!("nixvm cannot read the call: {e}") };
                    ch.answer(Err(why)).map_err(machine_error)?;
                    continue;
                }
            };
            if let Some(polled) = value.get("polled") {
                return match polled.as_str() {
                    None => Ok(()),
                    Some(why) => Err(Raised { kind: Raise::Polling, message: why.to_string() }),
                };
            }
            let answer = match serde_json::from_value::<Request>(value) {
                Ok(request) => self.dispatch(ch, request),
                Err(e) => Err(Raised { kind: Raise::Type, message: format!("nixvm cannot read the call: {e}") }),
            };
            ch.answer(answer).map_err(machine_error)?;
        }
    }

    fn running(&self, machine: &str) -> bool {
        self.source.state(machine).running_pid().is_some()
    }

    /// Start `machines` (not running) as `up` does, without waiting.
    fn start_machines(&mut self, machines: &[String]) -> Result<(), Raised> {
        let up = crate::machines::start::up(self.nix, self.source, machines, false, &[], None, self.progress)
            .map_err(|e| machine_error(format!("{e:#}")));
        self.progress.finish();
        let up = up?;
        if let Some(failed) = up.failed.first() {
            return Err(machine_error(failed.to_string()));
        }
        for s in &up.started {
            self.started.insert(s.machine.clone());
            // A new VM, a new console log, read from its start.
            self.console.remove(&s.machine);
            self.log.line(Some(&s.machine), &format!("QEMU running (pid {})", s.pid));
        }
        if let Some(early) = up.stopped_at_once.first() {
            let tail = self.console_tail(&early.machine);
            return Err(Raised::machine(format!(
                "{} stopped as soon as it started ({}); the end of its console:\n{tail}",
                early.machine, early.status
            )));
        }
        Ok(())
    }

    /// Start what of `machines` is not running and wait until each answers
    /// ssh, as `up --wait` does.
    pub fn start_and_wait(&mut self, machines: &[String]) -> Result<(), Raised> {
        let stopped: Vec<String> = machines.iter().filter(|m| !self.running(m)).cloned().collect();
        if !stopped.is_empty() {
            self.step(None, &format!("starting {}", stopped.join(", ")), |r| r.start_machines(&stopped))?;
        }
        self.wait_for_ssh(machines)
    }

    /// Wait until each of `machines` answers ssh (the boot timeout).
    fn wait_for_ssh(&mut self, machines: &[String]) -> Result<(), Raised> {
        let pending: Vec<String> = machines.iter().filter(|m| !self.live.contains_key(*m)).cloned().collect();
        if pending.is_empty() {
            return Ok(());
        }
        let mut failed = vec![];
        crate::machines::ssh::wait_for_ssh(self.source.dir(), &pending, self.boot_timeout, &mut |m, r| {
            if !matches!(r, crate::machines::ssh::Readiness::Answers(_)) {
                failed.push((m.to_string(), r));
            }
        });
        if let Some((m, r)) = failed.first() {
            let why = match r {
                crate::machines::ssh::Readiness::Interrupted => return Err(Raised::machine("interrupted (Ctrl-C)")),
                crate::machines::ssh::Readiness::Stopped => "stopped before it answered ssh".to_string(),
                _ => format!("did not answer ssh in {} s", self.boot_timeout.as_secs()),
            };
            let tail = self.console_tail(m);
            return Err(Raised::machine(format!("{m} {why}; the end of its console (nixvm logs {m}):\n{tail}")));
        }
        Ok(())
    }

    /// The machine's shell, started and connected first when it is not.
    fn connect(&mut self, machine: &str) -> Result<(), Raised> {
        if self.live.contains_key(machine) {
            return Ok(());
        }
        if !self.running(machine) {
            self.log.line(Some(machine), "starting vm");
            self.start_machines(&[machine.to_string()])?;
        }
        let started = Instant::now();
        self.wait_for_ssh(&[machine.to_string()])?;
        let state = self.source.state(machine);
        let open = || -> anyhow::Result<Live> {
            let mut ssh = Connection::to(self.source.dir(), machine)?;
            ssh.master(state.socket("ssh-control")?)?;
            let shell = Shell::open(&ssh, self.log.serial.clone())?;
            Ok(Live { ssh, shell })
        };
        let live = open().map_err(|e| machine_error(format!("cannot open a root shell on {machine}: {e:#}")))?;
        self.live.insert(machine.to_string(), live);
        let took = started.elapsed().as_secs_f64();
        self.log.line(Some(machine), &format!("connected to the guest's root shell over ssh (in {took:.2} seconds)"));
        Ok(())
    }

    /// The connection went away: say why, with the end of the console
    /// when the VM stopped.
    fn lost(&mut self, machine: &str, e: ShellError, timeout: Seconds) -> Raised {
        self.live.remove(machine);
        if matches!(e, ShellError::Interrupted) {
            return Raised::machine("interrupted (Ctrl-C)");
        }
        // A VM that dies takes its connections with it: its process may
        // still be on its way out.
        let settle = Instant::now() + Duration::from_secs(2);
        while self.running(machine) && Instant::now() < settle && !matches!(e, ShellError::TimedOut) {
            std::thread::sleep(Duration::from_millis(50));
        }
        if !self.running(machine) {
            let tail = self.console_tail(machine);
            return Raised::machine(format!("{machine} stopped during the test; the end of its console:\n{tail}"));
        }
        match e {
            ShellError::TimedOut => Raised::machine(format!(
                "{machine} did not answer within {} s of the command's timeout ({} s); its shell is closed and opened again for the next command",
                GRACE.as_secs(),
                timeout.map(t::seconds_word).unwrap_or_default()
            )),
            e => Raised::machine(format!("the root shell on {machine} ended ({e}); it is opened again for the next command")),
        }
    }

    /// The driver's `execute`.
    fn execute(
        &mut self,
        ch: &mut Channel,
        machine: &str,
        command: &str,
        check_return: bool,
        check_output: bool,
        timeout: Seconds,
    ) -> Result<(i32, String), Raised> {
        self.poll(ch)?;
        self.connect(machine)?;
        let deadline = timeout.and_then(|s| Instant::now().checked_add(duration(s)?.checked_add(GRACE)?));
        let live = self.live.get_mut(machine).expect("connected");
        let r = if !check_output {
            live.shell.start(command, timeout).map(|()| (-2, String::new()))
        } else {
            // Without check_return the status is not the script's.
            live.shell.execute(command, timeout, deadline).map(|(rc, out)| (if check_return { rc } else { -1 }, out))
        };
        r.map_err(|e| self.lost(machine, e, timeout))
    }

    /// `succeed` (each command must succeed) or `fail` (each must fail):
    /// their outputs, one after the other.
    fn must(
        &mut self,
        ch: &mut Channel,
        machine: &str,
        commands: &[String],
        timeout: Seconds,
        succeed: bool,
    ) -> Result<String, Raised> {
        let mut all = String::new();
        for command in commands {
            let what = if succeed { "must succeed" } else { "must fail" };
            let out = self.step(Some(machine), &format!("{what}: {command}"), |r| {
                let (rc, out) = r.execute(ch, machine, command, true, true, timeout)?;
                match (succeed, rc == 0) {
                    (true, false) => {
                        r.log.line(Some(machine), &format!("output: {out}"));
                        Err(Raised::assertion(format!("command `{command}` failed (exit code {rc})")))
                    }
                    (false, true) => Err(Raised::assertion(format!("command `{command}` unexpectedly succeeded"))),
                    _ => Ok(out),
                }
            })?;
            all.push_str(&out);
        }
        Ok(all)
    }

    /// `wait_until_succeeds` (`success`) or `wait_until_fails`: the last
    /// attempt's output.
    fn wait_until(
        &mut self,
        ch: &mut Channel,
        machine: &str,
        command: &str,
        timeout: Seconds,
        success: bool,
    ) -> Result<String, Raised> {
        let what = if success { "success" } else { "failure" };
        self.step(Some(machine), &format!("waiting for {what}: {command}"), |r| {
            let mut output = String::new();
            r.retry(timeout, |r, _| {
                let (rc, out) = r.execute(ch, machine, command, true, true, timeout)?;
                output = out;
                Ok((rc == 0) == success)
            })?;
            Ok(output)
        })
    }

    /// A guest probe, retried until it succeeds (`ok`) or fails.
    fn wait_for(
        &mut self,
        ch: &mut Channel,
        machine: &str,
        what: &str,
        probe: &str,
        timeout: Seconds,
        ok: bool,
    ) -> Result<(), Raised> {
        self.step(Some(machine), what, |r| {
            r.retry(timeout, |r, _| {
                let (rc, _) = r.execute(ch, machine, probe, true, true, Some(t::DEFAULT_TIMEOUT))?;
                Ok((rc == 0) == ok)
            })
        })
    }

    /// The driver's `retry`: `check` about once a second until it holds or
    /// `timeout` passes, then once more (its last try); an error ends it
    /// at once.
    fn retry(
        &mut self,
        timeout: Seconds,
        mut check: impl FnMut(&mut Self, bool) -> Result<bool, Raised>,
    ) -> Result<(), Raised> {
        let start = Instant::now();
        // As the driver: no timeout means its default.
        let limit = duration(timeout.unwrap_or(t::DEFAULT_TIMEOUT));
        while limit.is_none_or(|l| start.elapsed() < l) {
            if check(self, false)? {
                return Ok(());
            }
            if crate::machines::process::interrupted() {
                return Err(Raised::machine("interrupted (Ctrl-C)"));
            }
            std::thread::sleep(Duration::from_secs(1));
        }
        let elapsed = start.elapsed().as_secs_f64();
        if check(self, true)? {
            return Ok(());
        }
        Err(Raised::assertion(format!(
            "action timed out after {elapsed:.2} seconds (timeout={:.1})",
            timeout.unwrap_or(t::DEFAULT_TIMEOUT)
        )))
    }

    fn systemctl(
        &mut self,
        ch: &mut Channel,
        machine: &str,
        q: &str,
        user: Option<&str>,
    ) -> Result<(i32, String), Raised> {
        self.execute(ch, machine, &t::systemctl_command(q, user), true, true, Some(t::DEFAULT_TIMEOUT))
    }

    fn unit_info(
        &mut self,
        ch: &mut Channel,
        machine: &str,
        unit: &str,
        user: Option<&str>,
    ) -> Result<BTreeMap<String, String>, Raised> {
        let (rc, out) = self.systemctl(ch, machine, &format!("--no-pager show \"{unit}\""), user)?;
        if rc != 0 {
            let under = user.map(|u| format!(" under user \"{u}\"")).unwrap_or_default();
            return Err(Raised::assertion(format!(
                "retrieving systemctl info for unit \"{unit}\"{under} failed with exit code {rc}"
            )));
        }
        Ok(t::unit_info(&out))
    }

    fn unit_property(
        &mut self,
        ch: &mut Channel,
        machine: &str,
        unit: &str,
        property: &str,
        user: Option<&str>,
    ) -> Result<String, Raised> {
        let q = format!("--no-pager show \"{unit}\" --property=\"{property}\"");
        let (rc, out) = self.systemctl(ch, machine, &q, user)?;
        if rc != 0 {
            let under = user.map(|u| format!(" under user \"{u}\"")).unwrap_or_default();
            return Err(Raised::assertion(format!(
                "retrieving systemctl property \"{property}\" for unit \"{unit}\"{under} failed with exit code {rc}"
            )));
        }
        let first = out.split('\n').next().unwrap_or("");
        match first.split_once('=') {
            Some((key, value)) if key == property => Ok(value.to_string()),
            _ => Err(Raised::assertion(format!(
                "systemctl show --property \"{property}\" \"{unit}\" produced invalid output: {out}"
            ))),
        }
    }

    /// The driver's `wait_for_unit`: a failed unit fails at once, and so
    /// does an inactive one when no job is pending.
    fn wait_for_unit(
        &mut self,
        ch: &mut Channel,
        machine: &str,
        unit: &str,
        user: Option<&str>,
        timeout: Seconds,
    ) -> Result<(), Raised> {
        let with = user.map(|u| format!(" with user {u}")).unwrap_or_default();
        self.step(Some(machine), &format!("waiting for unit {unit}{with}"), |r| {
            r.retry(timeout, |r, _| {
                let state = r.unit_property(ch, machine, unit, "ActiveState", user)?;
                if state == "failed" {
                    return Err(Raised::assertion(format!("unit \"{unit}\" reached state \"failed\"")));
                }
                if state == "inactive" {
                    let (_, jobs) = r.systemctl(ch, machine, "list-jobs --full 2>&1", user)?;
                    if jobs.contains("No jobs") {
                        let now = r.unit_info(ch, machine, unit, user)?.get("ActiveState").cloned().unwrap_or_default();
                        if now == "inactive" {
                            return Err(Raised::assertion(format!(
                                "unit \"{unit}\" is inactive and there are no pending jobs"
                            )));
                        }
                    }
                }
                Ok(state == "active")
            })
        })
    }

    fn copy_from_host(&mut self, ch: &mut Channel, machine: &str, source: &Path, target: &str) -> Result<(), Raised> {
        self.poll(ch)?;
        self.connect(machine)?;
        let (Some(dir), Some(name)) = (source.parent(), source.file_name()) else {
            return Err(Raised { kind: Raise::Type, message: format!("cannot copy {}", source.display()) });
        };
        if !source.exists() {
            return Err(machine_error(format!("cannot copy {}: it does not exist", source.display())));
        }
        let name = name.to_string_lossy().into_owned();
        self.step(Some(machine), &format!("copying {} to {target}", source.display()), |r| {
            let tar = crate::machines::process::output(
                "tar",
                &[std::ffi::OsStr::new("-C"), dir.as_os_str(), "-cf".as_ref(), "-".as_ref(), "--".as_ref(), name.as_ref()],
            )
            .map_err(|e| machine_error(format!("cannot run tar: {e}")))?;
            if !tar.status.success() {
                return Err(machine_error(format!("tar could not read {}: {}", source.display(), String::from_utf8_lossy(&tar.stderr).trim())));
            }
            // As the driver: the parent made, then `cp -r` (into a
            // directory that exists, as `cp` does).
            let command = format!(
                "set -e; d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT; tar -C \"$d\" -xf -; mkdir -p \"$(dirname {t})\"; cp -r \"$d\"/{n} {t}",
                t = t::quote(target),
                n = t::quote(&name)
            );
            let live = r.live.get(machine).expect("connected");
            live.ssh.succeed(&command, &tar.stdout).map_err(machine_error)?;
            Ok(())
        })
    }

    fn copy_from_machine(
        &mut self,
        ch: &mut Channel,
        machine: &str,
        source: &str,
        target_dir: &str,
    ) -> Result<(), Raised> {
        self.poll(ch)?;
        self.connect(machine)?;
        let dest = self.out.join(target_dir);
        self.step(Some(machine), &format!("copying {source} to {}", dest.display()), |r| {
            let command =
                format!("set -e; s={}; tar -C \"$(dirname \"$s\")\" -cf - -- \"$(basename \"$s\")\"", t::quote(source));
            let live = r.live.get(machine).expect("connected");
            let tar = live.ssh.succeed(&command, &[]).map_err(|e| match e {
                crate::machines::connection::SshError::Failed { stderr, .. } => {
                    Raised::assertion(format!("cannot copy {source} from {machine}: {}", stderr.trim()))
                }
                e => machine_error(e),
            })?;
            // The guest made the archive: only files, directories and
            // links come out of it, owned by whoever runs nixvm, with no
            // set-id bits (no device node or setuid program of the guest's
            // lands on the host).
            let listed = crate::machines::process::output_with_input("tar", &["-tvf", "-"], &tar)
                .map_err(|e| machine_error(format!("cannot run tar: {e}")))?;
            let listing = String::from_utf8_lossy(&listed.stdout);
            if let Some(odd) = listing.lines().find(|l| !matches!(l.chars().next(), Some('-' | 'd' | 'l' | 'h'))) {
                return Err(Raised::machine(format!(
                    "{machine} sent something other than files and directories for {source}: `{odd}`; nothing was copied"
                )));
            }
            std::fs::create_dir_all(&dest)
                .map_err(|e| machine_error(format!("cannot create {}: {e}", dest.display())))?;
            let out = crate::machines::process::output_with_input(
                "tar",
                &[
                    std::ffi::OsStr::new("-C"),
                    dest.as_os_str(),
                    "--no-same-owner".as_ref(),
                    "--no-same-permissions".as_ref(),
                    "-xf".as_ref(),
                    "-".as_ref(),
                ],
                &tar,
            )
            .map_err(|e| machine_error(format!("cannot run tar: {e}")))?;
            if !out.status.success() {
                return Err(machine_error(format!(
                    "tar could not write into {}: {}",
                    dest.display(),
                    String::from_utf8_lossy(&out.stderr).trim()
                )));
            }
            Ok(())
        })
    }

    /// Run `command` (`poweroff`, `reboot`) in the guest, connected first
    /// (it may still be booting), where its session may end with the
    /// guest: only ssh failing to reach it at all is an error.
    fn going_down(&mut self, machine: &str, command: &str) -> Result<(), Raised> {
        self.connect(machine)?;
        let live = self.live.remove(machine).expect("connected");
        match live.ssh.output(command, &[]) {
            Ok(out) if out.status.success() => Ok(()),
            // The guest went down under the session.
            Err(crate::machines::connection::SshError::Unreachable { .. }) => Ok(()),
            Ok(out) => Err(Raised::machine(format!(
                "`{command}` failed in {machine} ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ))),
            Err(e) => Err(machine_error(e)),
        }
    }

    fn shutdown(&mut self, machine: &str) -> Result<(), Raised> {
        if !self.running(machine) {
            return Ok(());
        }
        self.going_down(machine, "poweroff")?;
        self.wait_for_shutdown(machine)
    }

    fn reboot(&mut self, machine: &str) -> Result<(), Raised> {
        if !self.running(machine) {
            return Err(Raised::machine(format!("{machine} is not running")));
        }
        self.log.line(Some(machine), "rebooting");
        self.going_down(machine, "reboot")?;
        let ssh = Connection::to(self.source.dir(), machine).map_err(|e| machine_error(format!("{e:#}")))?;
        // Until the guest goes down, its old sshd still answers: the next
        // command must not reach it.
        let deadline = Instant::now() + Duration::from_secs(60);
        while ssh.answers()
            && Instant::now() < deadline
            && self.running(machine)
            && !crate::machines::process::interrupted()
        {
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    fn wait_for_shutdown(&mut self, machine: &str) -> Result<(), Raised> {
        if !self.running(machine) {
            self.live.remove(machine);
            return Ok(());
        }
        self.step(Some(machine), "waiting for the VM to power off", |r| {
            while r.running(machine) {
                if crate::machines::process::interrupted() {
                    return Err(Raised::machine("interrupted (Ctrl-C)"));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            r.live.remove(machine);
            r.console.remove(machine);
            Ok(())
        })
    }

    /// The machine's console log, as `up` (or `run --console`) keeps it.
    fn console_log(&self, machine: &str) -> Result<Vec<u8>, Raised> {
        let path = self.source.state(machine).dir.join(crate::machines::start::CONSOLE_LOG);
        std::fs::read(&path).map_err(|_| {
            Raised::machine(format!(
                "{machine} has no console log: nixvm keeps one for machines started by `nixvm up` or `nixvm run --console`"
            ))
        })
    }

    fn console_tail(&self, machine: &str) -> String {
        let mut text = vec![];
        let _ = crate::machines::logs::console(self.source, machine, Some(CONSOLE_LINES), false, &mut |b| {
            text.extend_from_slice(b);
            Ok(())
        });
        String::from_utf8_lossy(&text).trim_end().to_string()
    }

    /// The driver's `wait_for_console_text`: the lines the console gets
    /// (from the VM's start, each read once by these waits), run together
    /// without line breaks, searched for `regex`.
    fn wait_for_console_text(&mut self, machine: &str, regex: &str, timeout: Seconds) -> Result<(), Raised> {
        let pattern = regex::Regex::new(regex).map_err(|e| Raised {
            kind: Raise::Type,
            message: format!("nixvm cannot use the regular expression {regex:?}: {e}"),
        })?;
        self.step(Some(machine), &format!("waiting for {regex} to appear on console"), |r| {
            let start = Instant::now();
            let mut seen = String::new();
            loop {
                let log = r.console_log(machine)?;
                let offset = r.console.entry(machine.to_string()).or_insert(0);
                let from = (*offset as usize).min(log.len());
                let new = &log[from..];
                let complete = new.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                // Read up to the line that matches, no further: the next
                // wait sees the lines after it.
                let mut read = 0;
                for line in new[..complete].split_inclusive(|b| *b == b'\n') {
                    read += line.len();
                    seen.push_str(String::from_utf8_lossy(line).replace('\r', "").trim_end());
                    if pattern.is_match(&seen) {
                        *offset += read as u64;
                        return Ok(());
                    }
                }
                *offset += complete as u64;
                if !r.running(machine) {
                    return Err(Raised::machine(format!("{machine} stopped before {regex} appeared on its console")));
                }
                if timeout.is_some_and(|t| start.elapsed().as_secs_f64() > t) {
                    return Err(Raised::assertion(format!(
                        "action timed out after {:.2} seconds (timeout={:.1})",
                        start.elapsed().as_secs_f64(),
                        timeout.unwrap_or_default()
                    )));
                }
                if crate::machines::process::interrupted() {
                    return Err(Raised::machine("interrupted (Ctrl-C)"));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    }

    /// One command to the VM's QEMU monitor; its answer (with the echo and
    /// the prompt, as the driver gives it).
    fn monitor(&mut self, ch: &mut Channel, machine: &str, command: &str) -> Result<String, Raised> {
        self.poll(ch)?;
        if !self.running(machine) {
            return Err(Raised::machine(format!("{machine} is not running (its monitor is QEMU's)")));
        }
        let path = self.source.state(machine).socket(crate::machines::start::MONITOR).map_err(machine_error)?;
        let stream = UnixStream::connect(&path).map_err(|e| {
            Raised::machine(format!(
                "cannot reach the QEMU monitor of {machine} at {} ({e}); a VM started by an older nixvm has none: restart it",
                path.display()
            ))
        })?;
        let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
        let mut reader = BufReader::new(stream.try_clone().map_err(machine_error)?);
        let mut writer = stream;
        let mut until_prompt = || -> Result<String, Raised> {
            let mut seen = vec![];
            let mut byte = [0u8];
            while !seen.ends_with(b"(qemu) ") {
                match reader.read(&mut byte) {
                    Ok(1) => seen.push(byte[0]),
                    Ok(_) => break,
                    Err(e) => {
                        return Err(Raised::machine(format!("the QEMU monitor of {machine} did not answer: {e}")))
                    }
                }
            }
            Ok(String::from_utf8_lossy(&seen).into_owned())
        };
        until_prompt()?;
        writer.write_all(format!("{command}\n").as_bytes()).map_err(machine_error)?;
        until_prompt()
    }

    fn screenshot(&mut self, ch: &mut Channel, machine: &str, filename: &str) -> Result<(), Raised> {
        let mut name = filename.to_string();
        if !name.contains('.') {
            name.push_str(".png");
        }
        let file = if name.contains('/') { PathBuf::from(&name) } else { self.out.join(&name) };
        let image = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.step(Some(machine), &format!("making screenshot {image}"), |r| {
            let dir = tempfile::tempdir().map_err(machine_error)?;
            let ppm = dir.path().join("screen.ppm");
            r.monitor(ch, machine, &format!("screendump {}", ppm.display()))?;
            let bytes = std::fs::read(&ppm).map_err(|_| {
                Raised::machine(format!(
                    "QEMU made no screenshot of {machine}: a VM that nixvm starts in the background has no display"
                ))
            })?;
            let (w, h, pixels) = t::read_ppm(&bytes)
                .ok_or_else(|| Raised::machine("QEMU's screendump is not an image nixvm can read"))?;
            std::fs::write(&file, t::png(w, h, pixels))
                .map_err(|e| machine_error(format!("cannot write {}: {e}", file.display())))
        })
    }
}

/// Seconds as a duration; None past what a `Duration` holds (as good as
/// no limit).
fn duration(seconds: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(seconds.max(0.0)).ok()
}

/// Why a driver method is not there in nixvm.
fn unsupported(method: &str) -> String {
    let why = match method {
        "send_key" | "send_chars" | "send_console" => {
            "nixvm reaches its VMs over ssh, not through a keyboard or the serial line"
        }
        "get_screen_text"
        | "get_screen_text_variants"
        | "wait_for_text"
        | "wait_for_window"
        | "get_window_names"
        | "wait_for_x" => "it reads the screen (OCR, X11 windows), and nixvm's VMs run without a display",
        "get_tty_text" | "wait_until_tty_matches" | "dump_tty_contents" => {
            "it reads a virtual terminal's screen, and nixvm's VMs run without a display"
        }
        "wait_for_qmp_event" => "nixvm gives its VMs a human monitor (send_monitor_command), not QMP",
        "switch_root" => "it needs the test framework's backdoor in the initrd, and nixvm adds nothing to its VMs",
        _ => "it needs the test framework's backdoor or a display, and nixvm adds nothing to its VMs",
    };
    format!("{method}() is not available in nixvm test: {why}")
}
