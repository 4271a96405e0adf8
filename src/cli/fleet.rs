//! Machines in the background: `up`, `down`, `status`, `clean`. Each
//! running VM is its own process session, its console in
//! `.nixvm/M/console.log`, its pid in `.nixvm/M/pid`. A pid is only ever
//! signalled after checking that it is still that machine's VM.

use super::state::MachineState;
use super::vm::{self, NixFlags};
use super::Status;
use anyhow::{bail, Context as _};
use serde::Serialize;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct UpArgs {
    /// Machines to start (default: all).
    machines: Vec<String>,
    /// Start even when the VMs' memory does not fit in the host's available memory.
    #[arg(long)]
    force: bool,
    #[arg(long)]
    dir: Option<PathBuf>,
    #[command(flatten)]
    nix: NixFlags,
}

#[derive(clap::Args, Debug)]
pub struct DownArgs {
    /// Machines to stop (default: all running).
    machines: Vec<String>,
    /// Seconds to wait after SIGTERM before SIGKILL.
    #[arg(long, default_value_t = 20)]
    timeout: u64,
    #[arg(long)]
    dir: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    #[arg(long)]
    json: bool,
    #[arg(long)]
    dir: Option<PathBuf>,
    #[command(flatten)]
    nix: NixFlags,
}

#[derive(clap::Args, Debug)]
pub struct CleanArgs {
    /// Machines whose disk image and state to remove (default: all stopped).
    machines: Vec<String>,
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Machines that have state in the project, when nix is not needed.
fn machines_with_state(project: &Path, named: &[String]) -> anyhow::Result<Vec<String>> {
    if !named.is_empty() {
        named.iter().try_for_each(|m| vm::check_name(m))?;
        return Ok(named.to_vec());
    }
    let mut out = vec![];
    if let Ok(entries) = std::fs::read_dir(project.join(".nixvm")) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() && crate::project::is_machine_name(&name) {
                out.push(name);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// MemAvailable from /proc/meminfo, in MiB.
fn available_memory_mib() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

pub fn up(args: UpArgs) -> anyhow::Result<Status> {
    let project = vm::find_project(args.dir.as_deref())?;
    let nix = vm::nix(&args.nix)?;
    super::ssh::ensure_key(&project)?;
    let reporter = args.nix.reporter(false);
    // One evaluation: the machines, their memory, their derivations.
    reporter.status("evaluating the machines");
    let machines = vm::eval_machines(&nix, &project, &args.machines)?;
    let (running, to_start): (Vec<_>, Vec<_>) =
        machines.selected.into_iter().partition(|m| MachineState::of(&project, &m.name).running_pid().is_some());
    let names = |ms: &[vm::MachineInfo]| ms.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ");
    if !running.is_empty() {
        reporter.line(&format!("already running: {}", names(&running)));
    }
    if to_start.is_empty() {
        return Ok(Status::Clean);
    }
    let needed: u64 = to_start.iter().map(|m| m.memory).sum();
    if let Some(available) = available_memory_mib() {
        if needed > available && !args.force {
            bail!(
                "{} need {needed} MiB of memory and this host has {available} MiB available; stop something, lower virtualisation.memorySize, or pass --force",
                names(&to_start)
            );
        }
    }
    // One build for all of them.
    let built = vm::build_machines(&nix, &project, &to_start, &reporter)?;
    reporter.finish();
    let mut started = vec![];
    for (m, b) in to_start.iter().zip(&built) {
        let script = vm::run_script(&b.vm)?;
        let vm::Start { state, port, env } = vm::prepare_start(&project, &m.name, b, true)?;
        let log = std::fs::File::create(state.dir.join("console.log")).context("cannot create the console log")?;
        let mut cmd = Command::new(&script);
        cmd.envs(env).current_dir(&state.dir).stdin(Stdio::null()).stdout(log.try_clone()?).stderr(log);
        // Its own session: a terminal's ^C does not reach it, and `down`
        // signals the whole group.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().with_context(|| format!("cannot start {}", script.display()))?;
        state.record_running(child.id())?;
        let address = crate::runtime::segment_address(&machines.all, &m.name)
            .map(|a| format!(", {a} on the segment"))
            .unwrap_or_default();
        println!(
            "{}: started (pid {}, ssh 127.0.0.1:{port}{address}, console .nixvm/{}/console.log)",
            m.name,
            child.id(),
            m.name
        );
        started.push((state, child));
    }
    // QEMU refuses bad options or a taken port at once: say so rather than
    // leave a machine that looks started.
    std::thread::sleep(EARLY_EXIT_GRACE);
    let mut failed = vec![];
    for (state, mut child) in started {
        if let Ok(Some(status)) = child.try_wait() {
            state.forget_pid();
            let log = std::fs::read_to_string(state.dir.join("console.log")).unwrap_or_default();
            let last = log.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("(nothing)");
            eprintln!("{}: stopped at once ({status}); the end of its console log: {last}", state.machine);
            failed.push(state.machine);
        }
    }
    if !failed.is_empty() {
        bail!("{} did not stay up (see .nixvm/MACHINE/console.log)", failed.join(", "));
    }
    Ok(Status::Clean)
}

/// How long `up` watches new VMs for an immediate exit.
const EARLY_EXIT_GRACE: Duration = Duration::from_millis(500);

pub fn down(args: DownArgs) -> anyhow::Result<Status> {
    let project = vm::find_project(args.dir.as_deref())?;
    for machine in machines_with_state(&project, &args.machines)? {
        let state = MachineState::of(&project, &machine);
        let Some(pid) = state.running_pid() else {
            state.forget_pid();
            if !args.machines.is_empty() {
                eprintln!("{machine}: not running");
            }
            continue;
        };
        // SAFETY: kill(2) with a pid we checked runs this machine's script;
        // the negative pid is its process group (it leads its session).
        unsafe { libc::kill(-pid, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(args.timeout);
        while state.running_pid().is_some() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        if state.running_pid().is_some() {
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            eprintln!("{machine}: did not stop in {}s, killed", args.timeout);
        }
        state.forget_pid();
        println!("{machine}: stopped");
    }
    Ok(Status::Clean)
}

#[derive(Serialize)]
struct MachineStatus {
    name: String,
    running: bool,
    pid: Option<i32>,
    ssh_port: Option<u16>,
    disk_image: Option<String>,
    disk_stale: bool,
}

#[derive(Serialize)]
struct StatusDoc {
    machines: Vec<MachineStatus>,
}

pub fn status(args: StatusArgs) -> anyhow::Result<Status> {
    let project = vm::find_project(args.dir.as_deref())?;
    let nix = vm::nix(&args.nix)?;
    // Every machine and the system it would boot now, by one evaluation.
    let now = nix.eval_json(
        &project,
        ".#nixosConfigurations",
        Some("builtins.mapAttrs (n: c: c.config.virtualisation.vmVariant.system.build.toplevel.outPath)"),
    )?;
    let now: std::collections::BTreeMap<String, String> =
        serde_json::from_value(now).context("nix listed the machines in an unexpected form")?;
    let mut machines = vec![];
    for (name, current) in now {
        let state = MachineState::of(&project, &name);
        let pid = state.running_pid();
        let disk = state.disk_image();
        let booted_for = state.read("disk-system");
        machines.push(MachineStatus {
            running: pid.is_some(),
            pid,
            ssh_port: state.ssh_port(),
            disk_stale: disk.exists() && booted_for.is_some() && booted_for.as_deref() != Some(current.as_str()),
            disk_image: disk.exists().then(|| disk.display().to_string()),
            name,
        });
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&StatusDoc { machines })?);
    } else {
        for m in &machines {
            let state = if m.running { format!("running (pid {})", m.pid.unwrap_or(0)) } else { "stopped".into() };
            let disk = match (&m.disk_image, m.disk_stale) {
                (Some(_), true) => "disk image from an older configuration (nixvm clean to reset)",
                (Some(_), false) => "disk image",
                (None, _) => "no disk image",
            };
            let port = m.ssh_port.filter(|_| m.running).map(|p| format!(", ssh 127.0.0.1:{p}")).unwrap_or_default();
            println!("{:<16} {state}{port}, {disk}", m.name);
        }
    }
    Ok(Status::Clean)
}

pub fn clean(args: CleanArgs) -> anyhow::Result<Status> {
    let project = vm::find_project(args.dir.as_deref())?;
    let machines = machines_with_state(&project, &args.machines)?;
    let running: Vec<&String> =
        machines.iter().filter(|m| MachineState::of(&project, m).running_pid().is_some()).collect();
    if !running.is_empty() && !args.machines.is_empty() {
        bail!(
            "{} running; stop it first (nixvm down)",
            running.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    for machine in machines.iter().filter(|m| !running.contains(m)) {
        let state = MachineState::of(&project, machine);
        if state.dir.exists() {
            state.remove()?;
            println!("{machine}: removed its disk image and state");
        }
    }
    for m in running {
        eprintln!("{m}: running, left alone");
    }
    Ok(Status::Clean)
}
