//! Logging into running VMs: the ssh configuration nixvm writes for a
//! machine, an interactive `ssh`, and `deploy` (build the VM system, copy
//! its closure, set the system profile, `switch-to-configuration test`).

use super::source::{check_name, Source};
use super::state::{self, MachineState};
use super::Progress;
use crate::nix::Nix;
use anyhow::{bail, Context as _};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The destination every connection uses; the configuration says the rest.
const DESTINATION: &str = "root@127.0.0.1";

/// Write the ssh configuration for a running machine of the source at
/// `root` into its state directory; returns its path.
fn write_ssh_config(root: &Path, state: &MachineState, port: u16) -> anyhow::Result<PathBuf> {
    let key = state::nixvm_dir(root).join("ssh-key");
    if !key.exists() {
        bail!("the project has no ssh key yet; restart {} with nixvm so that it gets one", state.machine);
    }
    let text = crate::runtime::ssh_config(&state.machine, port, &key, &state::known_hosts(root))?;
    let path = state.dir.join("ssh_config");
    crate::files::write_state(&path, &text, 0o600)?;
    Ok(path)
}

/// The ssh configuration of a running machine.
fn running(source: &Source, machine: &str) -> anyhow::Result<(MachineState, u16, PathBuf)> {
    running_at(source.dir(), machine)
}

/// The same, for the source whose state is under `root`.
fn running_at(root: &Path, machine: &str) -> anyhow::Result<(MachineState, u16, PathBuf)> {
    check_name(machine)?;
    let state = MachineState::of(root, machine);
    let port = state.running_ssh_port()?;
    let config = write_ssh_config(root, &state, port)?;
    Ok((state, port, config))
}

/// Whether the running VM of `machine` (of the source whose state is under
/// `root`) answers ssh: a real login as root with the project key, not
/// only an open port (QEMU's forward accepts connections long before the
/// guest's sshd runs).
pub fn answers(root: &Path, machine: &str) -> bool {
    let Ok((_, _, config)) = running_at(root, machine) else { return false };
    let args = [OsStr::new("-F"), config.as_os_str()]
        .into_iter()
        .chain(["-o", "BatchMode=yes", "-o", "ConnectTimeout=3", "--", DESTINATION, "true"].map(OsStr::new))
        .collect::<Vec<_>>();
    super::process::output("ssh", &args).is_ok_and(|o| o.status.success())
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
            let outcome = if answers(root, m) {
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
    let config = match running(source, machine) {
        Ok((_, _, config)) => config,
        Err(e) => return e,
    };
    let mut args: Vec<&OsStr> = vec![OsStr::new("-F"), config.as_os_str(), OsStr::new("--"), OsStr::new(DESTINATION)];
    args.extend(command.iter().map(OsStr::new));
    let err = super::process::exec(Path::new("ssh"), &args, &[], source.dir(), None);
    anyhow::Error::new(err).context("cannot run ssh (install OpenSSH's client)")
}

/// Run `command` in the VM non-interactively with `config`; its stdout
/// lines go to `output`, its stderr lines to `progress`.
fn ssh_batch(
    config: &Path,
    command: &str,
    progress: &dyn Progress,
    output: &mut dyn FnMut(&str),
) -> anyhow::Result<()> {
    let args = [OsStr::new("-F"), config.as_os_str()]
        .into_iter()
        .chain(["-o", "BatchMode=yes", "--", DESTINATION, command].map(OsStr::new))
        .collect::<Vec<_>>();
    let (status, errors) =
        super::process::stream_lines("ssh", &args, output).context("cannot run ssh (install OpenSSH's client)")?;
    for l in errors.lines().filter(|l| !l.trim().is_empty()) {
        progress.line(l);
    }
    match status.code() {
        Some(0) => Ok(()),
        Some(255) => bail!("ssh failed: {}", errors.lines().last().unwrap_or("no message").trim()),
        Some(code) => bail!("the command in the VM failed (exit {code})"),
        None => bail!("ssh was killed by a signal"),
    }
}

/// How `deploy` put the system's closure where the VM's Nix knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// The VM reads the host's store (qemu-vm.nix's default): the closure's
    /// `paths` were registered in its Nix database, nothing of them copied;
    /// the registration sent was `bytes` long.
    Registered { paths: usize, bytes: u64 },
    /// Copied over ssh (`nix-copy-closure`): the `paths` of the closure the
    /// VM lacked, `bytes` of them (their NAR sizes).
    Copied { paths: usize, bytes: u64 },
    /// Copied over ssh, what it sent unknown (the VM's Nix could not say
    /// which paths it lacked).
    CopiedUncounted,
}

/// What `deploy` did.
pub struct Deployed {
    pub system: PathBuf,
    pub transfer: Transfer,
    /// The system the VM ran before, as its profile said.
    pub previous: Option<PathBuf>,
    /// What the switch did to the units (or would do, dry).
    pub units: crate::runtime::switch::SwitchReport,
}

/// Update a running machine in place: check the login (before a long
/// build), build its VM system, copy the closure over ssh, set the system
/// profile and `switch-to-configuration test`. The activation's output
/// lines go to `output`.
pub fn deploy(
    nix: &Nix,
    source: &Source,
    machine: &str,
    activation: crate::runtime::Activation,
    copy: bool,
    progress: &dyn Progress,
    output: &mut dyn FnMut(&str),
) -> anyhow::Result<Deployed> {
    source.check_known_or_kept(std::slice::from_ref(&machine.to_string()), Ok(nix))?;
    let (state, port, config) = running(source, machine)?;
    ssh_batch(&config, "true", progress, &mut |_| {}).with_context(|| {
        format!(
            "cannot log into {machine} as root on 127.0.0.1:{port}; if it was started before the project had its key, restart it (nixvm down {machine}; nixvm up {machine})"
        )
    })?;
    // A failed build stops here: the VM is untouched.
    let system = super::build::build_machine_system(nix, source, machine, progress)?;
    progress.finish();
    if super::age_key::mounted_by(&system) && started_without_identity(&state) {
        let why = format!(
            "{machine} was started before its configuration had sops-nix or agenix, so its VM was not handed nixvm's age identity: its secrets would not decrypt, and mounting {} would fail in the switch",
            crate::render::IDENTITY.guest_dir
        );
        let restart = format!("restart it to hand the identity over (nixvm down {machine}; nixvm up {machine})");
        match activation {
            crate::runtime::Activation::DryActivate => progress.line(&format!("warning: {why}; {restart}")),
            crate::runtime::Activation::Test => bail!("{why}.\n{restart}; the VM still runs its old system"),
        }
    }
    // When the VM reads the host's store, the new paths are there already:
    // its Nix database needs only to know them.
    let visible = !copy
        && ssh_batch(&config, &crate::runtime::visible_command(&system.display().to_string())?, progress, &mut |_| {})
            .is_ok();
    let closure = nix.closure(&system)?;
    let transfer = if visible {
        let registration = nix.registration(&closure)?;
        progress.line(&format!(
            "{machine}: registering {} paths of {} in the VM's Nix database (it reads the host's store)",
            closure.len(),
            system.display()
        ));
        ssh_input(&config, "nix-store --load-db", &registration).with_context(|| {
            format!("cannot register the system in {machine}'s Nix database; the VM still runs its old system")
        })?;
        Transfer::Registered { paths: closure.len(), bytes: registration.len() as u64 }
    } else {
        // What the VM lacks is what nix-copy-closure sends; not knowing it
        // only leaves the report without its size.
        let counted = missing_in_vm(&config, &closure)
            .and_then(|missing| Ok((missing.len(), nix.sizes(&missing)?.iter().sum())))
            .map_err(|e| progress.line(&format!("{machine}: cannot tell what the copy sends ({e:#})")))
            .ok();
        copy_closure(nix, machine, &system, &config, progress)?;
        match counted {
            Some((paths, bytes)) => Transfer::Copied { paths, bytes },
            None => Transfer::CopiedUncounted,
        }
    };
    let command = crate::runtime::deploy_command(&system.display().to_string(), activation)?;
    let mut previous = None;
    let mut units = crate::runtime::switch::SwitchReport::default();
    ssh_batch(&config, &command, progress, &mut |l| match l.strip_prefix("nixvm-previous: ") {
        Some(p) => previous = Some(p.trim().to_string()),
        None => {
            units.read_line(l);
            output(l)
        }
    })
    .with_context(|| format!("switching {machine} to {} failed", system.display()))?;
    // What the VM runs now stays in the host's store, which it reads.
    if activation == crate::runtime::Activation::Test {
        let root = source.state(machine).dir.join("deployed-system");
        if let Err(e) = nix.add_root(&system, &root) {
            progress.line(&format!("warning: {machine}: no GC root for the system it runs ({e})"));
        }
    }
    Ok(Deployed { system, transfer, previous: previous.filter(|p| !p.is_empty()).map(PathBuf::from), units })
}

/// Whether the VM that runs was started without the identity share: its
/// process (QEMU, which the run script became) has no identity variable
/// in its environment. Not known means no.
fn started_without_identity(state: &MachineState) -> bool {
    state
        .running_pid()
        .and_then(|pid| super::process::has_variable(pid, crate::render::IDENTITY.variable))
        .is_some_and(|has| !has)
}

/// Copy `system`'s closure into the VM over ssh.
fn copy_closure(nix: &Nix, machine: &str, system: &Path, config: &Path, progress: &dyn Progress) -> anyhow::Result<()> {
    // NIX_SSHOPTS is split on whitespace (Nix 2.8) or as a shell would
    // (newer Nix): the configuration must be on a path both read alike.
    let aside;
    let config = if !crate::nix::ssh_option_reads_the_same(&config.to_string_lossy()) {
        aside = tempfile::Builder::new().prefix("nixvm-ssh-").tempdir_in("/tmp")?;
        let copy = aside.path().join("ssh_config");
        std::fs::copy(config, &copy)?;
        copy
    } else {
        config.to_path_buf()
    };
    let options = vec!["-F".to_string(), config.display().to_string(), "-o".into(), "BatchMode=yes".into()];
    progress.line(&format!("{machine}: copying {} over ssh", system.display()));
    nix.copy_closure_to(DESTINATION, system, &options)
        .with_context(|| format!("cannot copy the system to {machine}; the VM still runs its old system"))
}

/// Of `paths`, those the VM's Nix does not have. They go on stdin: a
/// system's closure is longer than one command line may be.
fn missing_in_vm(config: &Path, paths: &[String]) -> anyhow::Result<Vec<String>> {
    let input = paths.join("\n") + "\n";
    let out = ssh_input(config, "xargs nix-store --check-validity --print-invalid", input.as_bytes())?;
    let closure: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
    let missing = String::from_utf8_lossy(&out);
    Ok(missing.lines().filter(|l| closure.contains(l)).map(str::to_string).collect())
}

/// Run `command` in the VM with `input` on its stdin; its stdout.
fn ssh_input(config: &Path, command: &str, input: &[u8]) -> anyhow::Result<Vec<u8>> {
    let args = [OsStr::new("-F"), config.as_os_str()]
        .into_iter()
        .chain(["-o", "BatchMode=yes", "--", DESTINATION, command].map(OsStr::new))
        .collect::<Vec<_>>();
    let out =
        super::process::output_with_input("ssh", &args, input).context("cannot run ssh (install OpenSSH's client)")?;
    if !out.status.success() {
        bail!(
            "`{command}` failed in the VM: {}",
            String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("no message").trim()
        );
    }
    Ok(out.stdout)
}
