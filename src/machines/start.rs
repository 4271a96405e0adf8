//! Starting VMs: in the foreground (`run`: the run script replaces nixvm,
//! as with `nix run`) or in the background (`up`: each VM its own process
//! session, its console in `.nixvm/M/console.log`, its pid in
//! `.nixvm/M/pid`), with the ssh port chosen and recorded first.

use super::build::{self, BuiltVm, MachineInfo};
use super::source::Source;
use super::state::{MachineState, VmLock};
use super::Progress;
use crate::nix::Nix;
use crate::runtime::forward::{Forward, Protocol};
use anyhow::{bail, Context as _};
use std::path::PathBuf;
use std::time::Duration;

/// A free TCP port on 127.0.0.1, not one of `taken`: `preferred` when it
/// is free (a machine keeps its ssh port from run to run), else any.
pub fn free_port(preferred: Option<u16>, taken: &[u16]) -> anyhow::Result<u16> {
    if let Some(port) = preferred.filter(|p| *p != 0 && !taken.contains(p)) {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    // Held while the next is asked for, so that one is never given twice.
    let mut held = vec![];
    loop {
        let l = std::net::TcpListener::bind(("127.0.0.1", 0)).context("cannot find a free port on 127.0.0.1")?;
        let port = l.local_addr()?.port();
        if !taken.contains(&port) {
            return Ok(port);
        }
        held.push(l);
    }
}

/// Each forward's host address and port can be bound now (QEMU would stop
/// at once, saying less, when one cannot).
fn check_forwards(forwards: &[Forward]) -> anyhow::Result<()> {
    for (i, f) in forwards.iter().enumerate() {
        // Every address (0.0.0.0) takes the port on each of them too.
        let overlaps = |g: &Forward| {
            (g.host_port, g.protocol) == (f.host_port, f.protocol)
                && (g.address == f.address || g.address.is_unspecified() || f.address.is_unspecified())
        };
        if forwards[..i].iter().any(overlaps) {
            bail!("{}:{} is forwarded twice", f.address, f.host_port);
        }
        let free = match f.protocol {
            Protocol::Tcp => std::net::TcpListener::bind((f.address, f.host_port)).is_ok(),
            Protocol::Udp => std::net::UdpSocket::bind((f.address, f.host_port)).is_ok(),
        };
        if !free {
            bail!(
                "cannot forward {f}: {}:{} is taken on this host (or not an address of it); pick another host port",
                f.address,
                f.host_port
            );
        }
    }
    Ok(())
}

/// A machine's console log in its state directory (`nixvm logs`).
pub const CONSOLE_LOG: &str = "console.log";
/// The name of a VM's QEMU monitor socket (`MachineState::socket`).
pub const MONITOR: &str = "monitor";

/// A VM ready to start: its run script, state, ssh port, environment,
/// and the machine's lock, which the VM takes over.
pub struct Prepared {
    pub machine: String,
    pub script: PathBuf,
    pub state: MachineState,
    pub port: u16,
    env: Vec<(String, String)>,
    /// QEMU arguments nixvm adds before the user's (the run script passes
    /// its arguments to QEMU).
    args: Vec<String>,
    lock: VmLock,
}

/// The machine has a VM already: its lock is held.
#[derive(Debug, thiserror::Error)]
#[error("{machine} is running{}: log in with `nixvm ssh {machine}`, stop it with `nixvm down {machine}`", running_where(*pid, *ssh_port))]
pub struct AlreadyRunning {
    pub machine: String,
    pub pid: Option<i32>,
    pub ssh_port: Option<u16>,
}

fn running_where(pid: Option<i32>, port: Option<u16>) -> String {
    match (pid, port) {
        (Some(pid), Some(port)) => format!(" (pid {pid}, ssh on 127.0.0.1:{port})"),
        (Some(pid), None) => format!(" (pid {pid})"),
        _ => String::new(),
    }
}

/// Claim `machine` for a new VM: its state directory made, its lock taken
/// (else `AlreadyRunning`, and nothing of the running VM's state is
/// touched), its `forwards` checked free. Done once per start, before
/// anything is written.
fn claim(source: &Source, machine: &str, forwards: &[Forward]) -> anyhow::Result<(MachineState, VmLock)> {
    source.create_state_dir()?;
    let state = source.state(machine);
    state.create()?;
    let Some(lock) = state.lock()? else {
        return Err(AlreadyRunning {
            machine: state.machine.clone(),
            pid: state.running_pid(),
            ssh_port: state.ssh_port(),
        }
        .into());
    };
    check_forwards(forwards)?;
    Ok((state, lock))
}

/// What starting a machine's VM needs to know of its configuration.
struct VmFacts {
    /// The port the VM's sshd listens on.
    guest_ssh_port: u16,
    /// The configuration's own forwards (virtualisation.forwardPorts).
    forwards: Vec<Forward>,
    /// The VM mounts the project's age identity.
    identity_share: bool,
}

impl VmFacts {
    /// From the machine's evaluation (`up`).
    fn of(info: &MachineInfo) -> VmFacts {
        VmFacts { guest_ssh_port: info.ssh_port, forwards: info.forwards(), identity_share: info.identity_share }
    }

    /// From what its one nix call built (`run`, which evaluates nothing
    /// else): the run script QEMU is given and the system's sshd_config.
    fn of_built(built: &BuiltVm, script: &std::path::Path) -> VmFacts {
        let script_text = std::fs::read_to_string(script).unwrap_or_default();
        let sshd_config = std::fs::read_to_string(built.system.join("etc/ssh/sshd_config")).unwrap_or_default();
        VmFacts {
            guest_ssh_port: crate::runtime::sshd_port(&sshd_config),
            forwards: Forward::in_run_script(&script_text),
            identity_share: super::age_key::shared_by(&script_text),
        }
    }
}

/// Everything the start of a claimed machine (`claim`) needs: the port
/// chosen and recorded, the environment for its run script.
fn prepare(
    source: &Source,
    (state, lock): (MachineState, VmLock),
    built: &BuiltVm,
    facts: Option<&MachineInfo>,
    console: bool,
    forwards: &[Forward],
    ports: &Ports,
) -> anyhow::Result<Prepared> {
    let machine = state.machine.as_str();
    let script = build::run_script(&built.vm)?;
    let facts = facts.map_or_else(|| VmFacts::of_built(built, &script), VmFacts::of);
    // The configuration's own forwards, checked and listed as nixvm's are.
    let own = &facts.forwards;
    let all: Vec<Forward> = own.iter().chain(forwards).copied().collect();
    if !own.is_empty() {
        check_forwards(&all).context("the VM's own forwards (virtualisation.forwardPorts) with --forward's")?;
    }
    let taken: Vec<u16> = all.iter().filter(|f| f.protocol == Protocol::Tcp).map(|f| f.host_port).collect();
    let port = ports.take(state.ssh_port(), &taken)?;
    let monitor = state.socket(MONITOR)?;
    let settings = crate::runtime::RunSettings {
        state: &state.dir,
        machine,
        ssh_port: port,
        guest_ssh_port: facts.guest_ssh_port,
        console,
        segment: Some(crate::runtime::Segment::for_project(source.dir().as_os_str().as_encoded_bytes())),
        forwards,
        monitor: Some(&monitor),
    };
    let current = |n: &str| std::env::var(n).ok();
    state.prepare_start(port, &crate::runtime::disk_image_in_use(&settings, current), &built.system)?;
    state.record_forwards(&all)?;
    let mut env = crate::runtime::run_environment(&settings, current);
    let listed: Vec<String> = all.iter().map(ToString::to_string).collect();
    env.push((crate::runtime::FORWARDS_VARIABLE.to_string(), listed.join(" ")));
    // A VM whose secrets decrypt with the project's age identity (the VM
    // module asks for a share when the machine has sops-nix or agenix):
    // made on first use, handed over as the machine's own copy.
    if facts.identity_share {
        let identity = crate::render::IDENTITY.variable;
        let key = super::age_key::ensure(source)?.identity;
        let dir = super::age_key::machine_copy(&key, &state.dir)?;
        env.push((identity.to_string(), dir.display().to_string()));
    }
    // A console in the terminal is also kept in console.log, as `up`'s is.
    let args = if console { crate::runtime::console_log_args(&state.dir.join(CONSOLE_LOG)) } else { vec![] };
    Ok(Prepared { machine: machine.to_string(), script, state, port, env, args, lock })
}

/// Build `machine` (one nix call) and prepare its start in the foreground.
pub fn prepare_run(
    nix: &Nix,
    source: &Source,
    machine: &str,
    console: bool,
    forwards: &[Forward],
    progress: &dyn Progress,
) -> anyhow::Result<Prepared> {
    // Claimed before the build (a running machine or a taken port is said
    // before a long build); the lock is held through it and handed to the VM.
    let new = !source.state(machine).dir.exists();
    let claimed = claim(source, machine, forwards)?;
    let watching = AnnounceOnStart { progress, root: source.dir(), machine, started: Default::default() };
    let built = match build::build_machine(nix, source, machine, &watching) {
        Err(e) if new && e.is::<super::known::UnknownMachine>() => {
            // Nothing is kept for a name that is no machine.
            let _ = std::fs::remove_dir_all(&claimed.0.dir);
            return Err(e);
        }
        b => b?,
    };
    progress.finish();
    prepare(source, claimed, &built, None, console, forwards, &Ports::default())
}

/// `run`'s progress, which also starts the watcher that says on the
/// terminal when the VM answers ssh, once nix has started: its start then
/// runs beside nix's work, rather than beside nix's own start or in the
/// way of the VM's. A watcher that cannot start takes nothing from the VM.
struct AnnounceOnStart<'a> {
    progress: &'a dyn Progress,
    root: &'a std::path::Path,
    machine: &'a str,
    started: std::sync::atomic::AtomicBool,
}

impl Progress for AnnounceOnStart<'_> {
    fn status(&self, text: &str) {
        self.progress.status(text);
    }
    fn event(&self, event: crate::nix::Event) {
        // Once, also when nix is started a second time (a retry).
        if event == crate::nix::Event::Started && !self.started.swap(true, std::sync::atomic::Ordering::Relaxed) {
            let _ = super::ssh::announce_when_ready(self.root, self.machine);
        }
        self.progress.event(event);
    }
    fn line(&self, text: &str) {
        self.progress.line(text);
    }
    fn finish(&self) {
        self.progress.finish();
    }
}

/// Replace nixvm with the VM's run script: no process in between, its exit
/// code is ours. Its pid is ours too, recorded so that `ssh`, `deploy` and
/// `status` see it (the pid file goes stale when it exits, which they
/// recognise). Returns only when the script cannot be started.
pub fn exec(prepared: Prepared, qemu_args: &[String]) -> anyhow::Error {
    if let Err(e) = prepared.state.record_running(std::process::id()) {
        return e;
    }
    let args: Vec<String> = prepared.args.iter().chain(qemu_args).cloned().collect();
    let err =
        super::process::exec(&prepared.script, &args, &prepared.env, &prepared.state.dir, Some(prepared.lock.fd()));
    prepared.state.forget_pid();
    anyhow::Error::new(err).context(format!("cannot start {}", prepared.script.display()))
}

/// A VM `up` started.
pub struct Started {
    pub machine: String,
    pub pid: u32,
    pub ssh_port: u16,
    /// Its address on the project's segment.
    pub address: Option<std::net::Ipv4Addr>,
}

/// A VM that stopped as soon as it started (a bad QEMU option, a taken
/// port): its exit and the last line of its console.
pub struct EarlyExit {
    pub machine: String,
    pub status: String,
    pub last_line: String,
}

/// What `up` did.
pub struct Up {
    /// Left out: their names cannot name a VM.
    pub unusable: Vec<String>,
    pub already_running: Vec<String>,
    pub started: Vec<Started>,
    pub stopped_at_once: Vec<EarlyExit>,
    /// Machines that did not evaluate: the others started.
    pub failed: Vec<super::eval::EvalFailure>,
}

/// How long `up` watches new VMs for an immediate exit.
const EARLY_EXIT_GRACE: Duration = Duration::from_millis(500);

/// MemAvailable from /proc/meminfo, in bytes.
pub(super) fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The ports one `up` hands out, so that VMs starting at the same time
/// never get the same one.
#[derive(Default)]
struct Ports(std::sync::Mutex<Vec<u16>>);

impl Ports {
    /// A free port for a VM's ssh (`preferred` when it is free), none of
    /// `taken` nor any handed out before.
    fn take(&self, preferred: Option<u16>, taken: &[u16]) -> anyhow::Result<u16> {
        let mut given = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let all: Vec<u16> = taken.iter().chain(given.iter()).copied().collect();
        let port = free_port(preferred, &all)?;
        given.push(port);
        Ok(port)
    }
}

/// Start one machine of `up` (built as `built`): claimed, prepared, its VM
/// rooted and spawned in its own session. `None`: it runs already.
#[allow(clippy::too_many_arguments)]
fn start_one(
    nix: &Nix,
    source: &Source,
    m: &MachineInfo,
    built: &BuiltVm,
    forwards: &[Forward],
    ports: &Ports,
    all: &[String],
    progress: &dyn Progress,
) -> anyhow::Result<Option<(Started, MachineState, std::process::Child)>> {
    let claimed = match claim(source, &m.name, forwards) {
        Err(e) if e.is::<AlreadyRunning>() => return Ok(None),
        c => c?,
    };
    let p = prepare(source, claimed, built, Some(m), true, forwards, ports)?;
    let log = std::fs::File::create(p.state.dir.join(CONSOLE_LOG)).context("cannot create the console log")?;
    // As `run` gets from its build: a GC root for what the VM boots.
    if let Err(e) = nix.add_root(&built.vm, &p.state.vm_root()) {
        progress.line(&format!(
            "warning: {}: no GC root for its VM ({e}); a garbage collection could take its system",
            m.name
        ));
    }
    let child = super::process::spawn_session(&p.script, &p.env, &p.state.dir, log, p.lock.fd())
        .with_context(|| format!("cannot start {}", p.script.display()))?;
    p.state.record_running(child.id())?;
    let started = Started {
        machine: m.name.clone(),
        pid: child.id(),
        ssh_port: p.port,
        address: crate::runtime::segment_address(all, &m.name),
    };
    Ok(Some((started, p.state, child)))
}

/// Start `named` machines (all when empty) in the background: one
/// evaluation, a memory check (unless `force`), one build, then each VM in
/// its own session; VMs that exit at once are reported.
pub fn up(
    nix: &Nix,
    source: &Source,
    named: &[String],
    force: bool,
    forwards: &[Forward],
    jobs: Option<usize>,
    progress: &dyn Progress,
) -> anyhow::Result<Up> {
    progress.status("evaluating the machines");
    let machines = build::eval_machines(nix, source, named, jobs, progress)?;
    let (running, to_start): (Vec<MachineInfo>, Vec<MachineInfo>) =
        machines.selected.into_iter().partition(|m| source.state(&m.name).running_pid().is_some());
    let mut up = Up {
        unusable: machines.unusable.clone(),
        already_running: running.into_iter().map(|m| m.name).collect(),
        started: vec![],
        stopped_at_once: vec![],
        failed: machines.failed,
    };
    if to_start.is_empty() {
        return Ok(up);
    }
    let names = to_start.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ");
    if !forwards.is_empty() && to_start.len() > 1 {
        bail!("--forward gives one machine ports, and {names} would start; name the machine (nixvm up MACHINE --forward ...)");
    }
    let needed: u64 = to_start.iter().map(|m| m.memory).sum();
    if let Some(available) = available_memory().map(|b| b >> 20) {
        if needed > available && !force {
            bail!(
                "{names} need {needed} MiB of memory and this host has {available} MiB available; stop something, lower virtualisation.memorySize, or pass --force"
            );
        }
    }
    let built = build::build_machines(nix, source, &to_start, progress)?;
    progress.finish();
    // The age identity, when a VM needs it, is made (or found unreadable)
    // before any VM starts, not between two of them.
    if to_start.iter().any(|m| m.identity_share) {
        super::age_key::ensure(source)?;
    }
    // Every VM starts at the same time, each from a thread of its own; the
    // ports handed out are shared, so that no two get the same one.
    let ports = Ports::default();
    let outcomes: Vec<anyhow::Result<Option<(Started, MachineState, std::process::Child)>>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = to_start
                .iter()
                .zip(&built)
                .map(|(m, b)| {
                    let (ports, all) = (&ports, &machines.all);
                    scope.spawn(move || start_one(nix, source, m, b, forwards, ports, all, progress))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a VM's start panicked"))))
                .collect()
        });
    let mut children = vec![];
    let mut first_error = None;
    for (m, outcome) in to_start.iter().zip(outcomes) {
        match outcome {
            // Another `up` or `run` started it meanwhile.
            Ok(None) => up.already_running.push(m.name.clone()),
            Ok(Some((started, state, child))) => {
                up.started.push(started);
                children.push((state, child));
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    // QEMU refuses bad options or a taken port at once: say so rather than
    // leave a machine that looks started.
    std::thread::sleep(EARLY_EXIT_GRACE);
    for (state, mut child) in children {
        if let Ok(Some(status)) = child.try_wait() {
            state.forget_pid();
            let log = std::fs::read_to_string(state.dir.join(CONSOLE_LOG)).unwrap_or_default();
            let last_line = log.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("(nothing)").to_string();
            up.stopped_at_once.push(EarlyExit {
                machine: state.machine.clone(),
                status: status.to_string(),
                last_line,
            });
        }
    }
    Ok(up)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_on_every_address_and_on_one_is_forwarded_twice() {
        let port = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port();
        let every = Forward::parse(&format!("0.0.0.0:{port}:80")).unwrap();
        let one = Forward::parse(&format!("{port}:443")).unwrap();
        let err = check_forwards(&[every, one]).unwrap_err().to_string();
        assert!(err.contains("is forwarded twice"), "{err}");
        assert!(check_forwards(&[one]).is_ok());
    }
}
