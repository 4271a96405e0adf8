//! Machines in the background: `up`, `down`, `status`, `clean`. Each
//! running VM is its own process session, its console in
//! `.nixvm/M/console.log`, its pid in `.nixvm/M/pid`. A pid is only ever
//! signalled after checking that it still runs that machine's run script.

use super::vm::{self, NixFlags};
use super::Status;
use crate::nix::Nix;
use anyhow::{bail, Context as _};
use serde::Serialize;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Memory a VM gets when its configuration does not say (qemu-vm.nix's
/// `virtualisation.memorySize` default), in MiB.
const DEFAULT_MEMORY_MIB: u64 = 1024;

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

/// What `.nixvm/M/` says about a machine.
struct State {
    dir: PathBuf,
}

impl State {
    fn of(project: &Path, machine: &str) -> State {
        State { dir: project.join(".nixvm").join(machine) }
    }

    fn read(&self, file: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.join(file)).ok().map(|s| s.trim().to_string())
    }

    fn disk_image(&self, machine: &str) -> PathBuf {
        self.dir.join(format!("{machine}.qcow2"))
    }

    /// The pid of the machine's VM when it is running; a stale pid file (the
    /// process is gone, or is another program now) counts as not running.
    fn running_pid(&self) -> Option<i32> {
        let pid: i32 = self.read("pid")?.parse().ok()?;
        let script = self.read("script")?;
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let runs_script = cmdline.split(|b| *b == 0).any(|arg| arg == script.as_bytes());
        runs_script.then_some(pid)
    }
}

fn machines_or_all(nix: &Nix, project: &Path, named: &[String]) -> anyhow::Result<Vec<String>> {
    if named.is_empty() {
        return vm::list_machines(nix, project);
    }
    named.iter().try_for_each(|m| vm::check_name(m))?;
    Ok(named.to_vec())
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
    let machines = machines_or_all(&nix, &project, &args.machines)?;
    let to_start: Vec<String> =
        machines.iter().filter(|m| State::of(&project, m).running_pid().is_none()).cloned().collect();
    if to_start.is_empty() {
        eprintln!("already running: {}", machines.join(", "));
        return Ok(Status::Clean);
    }
    // One evaluation for every machine's memory.
    let names = serde_json::to_string(&to_start)?;
    let sizes = nix.eval_json(
        &project,
        ".#nixosConfigurations",
        Some(&format!(
            "cs: map (n: cs.${{n}}.config.virtualisation.vmVariant.virtualisation.memorySize or {DEFAULT_MEMORY_MIB}) (builtins.fromJSON {})",
            crate::nixstr::string_literal(&names)
        )),
    )?;
    let needed: u64 = sizes.as_array().map(|a| a.iter().filter_map(|v| v.as_u64()).sum()).unwrap_or(0);
    if let Some(available) = available_memory_mib() {
        if needed > available && !args.force {
            bail!(
                "{} need {needed} MiB of memory and this host has {available} MiB available; stop something, lower virtualisation.memorySize, or pass --force",
                to_start.join(", ")
            );
        }
    }
    let built = vm::build_vms(&nix, &project, &to_start)?;
    for (machine, b) in to_start.iter().zip(&built) {
        let script = vm::run_script(&b.vm)?;
        let state = vm::state_dir(&project, machine)?;
        vm::note_disk_system(&state, machine, &b.system)?;
        let port = vm::free_port()?;
        let log = std::fs::File::create(state.join("console.log")).context("cannot create the console log")?;
        let mut cmd = Command::new(&script);
        cmd.envs(vm::run_environment(&state, machine, port, true))
            .current_dir(&state)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
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
        std::fs::write(state.join("script"), format!("{}\n", script.display()))?;
        std::fs::write(state.join("ssh-port"), format!("{port}\n"))?;
        std::fs::write(state.join("pid"), format!("{}\n", child.id()))?;
        println!("{machine}: started (pid {}, ssh 127.0.0.1:{port}, console .nixvm/{machine}/console.log)", child.id());
    }
    Ok(Status::Clean)
}

pub fn down(args: DownArgs) -> anyhow::Result<Status> {
    let project = vm::find_project(args.dir.as_deref())?;
    for machine in machines_with_state(&project, &args.machines)? {
        let state = State::of(&project, &machine);
        let Some(pid) = state.running_pid() else {
            let _ = std::fs::remove_file(state.dir.join("pid"));
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
        let _ = std::fs::remove_file(state.dir.join("pid"));
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
    let system = crate::lint::host_system();
    // The system each machine would boot now, by one evaluation.
    let now =
        nix.eval_json(&project, &format!(".#packages.{system}"), Some("ps: builtins.mapAttrs (n: p: p.outPath) (ps)"))?;
    let mut machines = vec![];
    for name in machines_or_all(&nix, &project, &[])? {
        let state = State::of(&project, &name);
        let pid = state.running_pid();
        let disk = state.disk_image(&name);
        let booted_for = state.read("disk-system");
        let current = now.get(format!("vmSystem-{name}")).and_then(|v| v.as_str());
        machines.push(MachineStatus {
            running: pid.is_some(),
            pid,
            ssh_port: state.read("ssh-port").and_then(|p| p.parse().ok()),
            disk_stale: disk.exists() && booted_for.is_some() && booted_for.as_deref() != current,
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
    let running: Vec<&String> = machines.iter().filter(|m| State::of(&project, m).running_pid().is_some()).collect();
    if !running.is_empty() && !args.machines.is_empty() {
        bail!(
            "{} running; stop it first (nixvm down)",
            running.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    for machine in machines.iter().filter(|m| !running.contains(m)) {
        let state = State::of(&project, machine);
        if state.dir.exists() {
            std::fs::remove_dir_all(&state.dir).with_context(|| format!("cannot remove {}", state.dir.display()))?;
            println!("{machine}: removed its disk image and state");
        }
    }
    for m in running {
        eprintln!("{m}: running, left alone");
    }
    Ok(Status::Clean)
}
