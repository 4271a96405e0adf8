//! `deploy`: update a running machine in place. Build its VM system, put
//! the closure where the VM's Nix knows it (registered when the VM reads
//! the host's store, else copied over ssh), set the system profile and
//! `switch-to-configuration test`.

use super::connection::Connection;
use super::source::Source;
use super::state::MachineState;
use super::Progress;
use crate::nix::Nix;
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};

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
/// build), build its VM system (one nix call), then `switch`. The
/// activation's output lines go to `output`.
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
    let ssh = login(source, machine)?;
    // A failed build stops here: the VM is untouched.
    let system = super::build::build_machine_system(nix, source, machine, progress)?;
    progress.finish();
    switch(nix, source, &ssh, system, activation, copy, progress, output)
}

/// One machine's part in a deploy to many.
pub struct Outcome {
    pub machine: String,
    /// What it did, or why it failed (its VM then runs what it ran).
    pub result: anyhow::Result<Deployed>,
    /// Its own part: the copy or registration and the switch.
    pub took: std::time::Duration,
}

/// Update several running machines in place (`named`, or every running
/// one when empty): their logins checked, their systems evaluated one nix
/// process each, several at once (`jobs`), built by one `nix build`, then
/// each machine's copy or registration and switch at the same time. A
/// machine that fails (its login, evaluation, or switch) is said in its
/// outcome; the others go on. The activations' lines go to `output`, with
/// their machine.
#[allow(clippy::too_many_arguments)]
pub fn deploy_many(
    nix: &Nix,
    source: &Source,
    named: &[String],
    activation: crate::runtime::Activation,
    copy: bool,
    jobs: Option<usize>,
    progress: &dyn Progress,
    output: &(dyn Fn(&str, &str) + Sync),
) -> anyhow::Result<Vec<Outcome>> {
    let targets: Vec<String> = if named.is_empty() {
        let running = source.machines_with_state(&[])?;
        running.into_iter().filter(|m| source.state(m).running_pid().is_some()).collect()
    } else {
        source.check_known_or_kept(named, Ok(nix))?;
        named.to_vec()
    };
    if targets.is_empty() {
        bail!("no machine runs: nothing to deploy (start them with `nixvm up`)");
    }
    let failed = |machine: &str, error: anyhow::Error| Outcome {
        machine: machine.to_string(),
        result: Err(error),
        took: std::time::Duration::ZERO,
    };
    let mut outcomes = vec![];
    // Logins first: a machine that cannot be reached is not built for.
    let logins: Vec<(String, anyhow::Result<Connection>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = targets.iter().map(|m| (m, scope.spawn(move || login(source, m)))).collect();
        handles
            .into_iter()
            .map(|(m, h)| (m.clone(), h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("its login check panicked")))))
            .collect()
    });
    let mut reached = vec![];
    for (m, login) in logins {
        match login {
            Ok(ssh) => reached.push(ssh),
            Err(e) => outcomes.push(failed(&m, e)),
        }
    }
    if let [ssh] = reached.as_slice() {
        // One machine: one nix call evaluates and builds, as `deploy M`.
        let started = std::time::Instant::now();
        let machine = ssh.machine.clone();
        let result = super::build::build_machine_system(nix, source, &machine, progress).and_then(|system| {
            progress.finish();
            let mut lines = |l: &str| output(&machine, l);
            switch(nix, source, ssh, system, activation, copy, progress, &mut lines)
        });
        outcomes.push(Outcome { machine, result, took: started.elapsed() });
    } else if !reached.is_empty() {
        let names: Vec<String> = reached.iter().map(|s| s.machine.clone()).collect();
        let installable = source.installables(nix)?.configurations(crate::check::Variant::Vm);
        let jobs = super::eval::jobs_here(jobs, names.len(), super::eval::MEMORY_PER_MACHINE);
        let system = |m: &str| {
            format!("cs.{}.config.virtualisation.vmVariant.system.build.toplevel.drvPath", crate::nixstr::attr_name(m))
        };
        let (drvs, unevaluated) =
            super::eval::each::<String>(nix, source, &installable, &names, jobs, progress, system)?;
        outcomes.extend(unevaluated.into_iter().map(|f| failed(&f.machine, f.error)));
        let paths: Vec<String> = drvs.iter().map(|(_, d)| d.clone()).collect();
        progress.status(&format!(
            "building the systems of {}",
            drvs.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>().join(", ")
        ));
        let built = if paths.is_empty() {
            Ok(Default::default())
        } else {
            nix.build_derivations(source.dir(), &paths, Some(&|e| progress.event(e)))
        };
        progress.finish();
        let ready: Vec<(&Connection, PathBuf)> = match built {
            Ok(built) => drvs
                .iter()
                .filter_map(|(m, drv)| {
                    let ssh = reached.iter().find(|s| &s.machine == m)?;
                    match built.get(drv) {
                        Some(system) => Some((ssh, system.clone())),
                        None => {
                            outcomes.push(failed(m, anyhow::anyhow!("nix build reported no output for {drv}")));
                            None
                        }
                    }
                })
                .collect(),
            Err(e) => {
                // One build for all: its failure is every machine's.
                let why = format!("{:#}", source.explain(e));
                for (m, _) in &drvs {
                    outcomes.push(failed(m, anyhow::anyhow!("{why}")));
                }
                vec![]
            }
        };
        let switched: Vec<Outcome> = std::thread::scope(|scope| {
            let handles: Vec<_> = ready
                .iter()
                .map(|&(ssh, ref system)| {
                    scope.spawn(move || {
                        let started = std::time::Instant::now();
                        let root = source.state(&ssh.machine).dir.join("built-system");
                        if let Err(e) = nix.add_root(system, &root) {
                            progress.line(&format!("warning: {}: no GC root for its built system ({e})", ssh.machine));
                        }
                        let mut lines = |l: &str| output(&ssh.machine, l);
                        let result = switch(nix, source, ssh, system.clone(), activation, copy, progress, &mut lines);
                        Outcome { machine: ssh.machine.clone(), result, took: started.elapsed() }
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        outcomes.extend(switched);
    }
    // In the order asked (or listed).
    outcomes.sort_by_key(|o| targets.iter().position(|m| *m == o.machine));
    Ok(outcomes)
}

/// A connection to `machine` whose root login works.
fn login(source: &Source, machine: &str) -> anyhow::Result<Connection> {
    let ssh = Connection::to(source.dir(), machine)?;
    ssh.succeed("true", &[]).with_context(|| {
        format!(
            "cannot log into {machine} as root on 127.0.0.1:{}; if it was started before the project had its key, restart it (nixvm down {machine}; nixvm up {machine})",
            ssh.port
        )
    })?;
    Ok(ssh)
}

/// Put a built `system` where the running VM's Nix knows it (registered
/// when the VM reads the host's store, else copied over ssh), set the
/// system profile and `switch-to-configuration`.
#[allow(clippy::too_many_arguments)]
fn switch(
    nix: &Nix,
    source: &Source,
    ssh: &Connection,
    system: PathBuf,
    activation: crate::runtime::Activation,
    copy: bool,
    progress: &dyn Progress,
    output: &mut dyn FnMut(&str),
) -> anyhow::Result<Deployed> {
    let machine = ssh.machine.as_str();
    let state = source.state(machine);
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
    let visible = !copy && ssh.succeed(&crate::runtime::visible_command(&system.display().to_string())?, &[]).is_ok();
    let closure = nix.closure(&system)?;
    let transfer = if visible {
        let registration = nix.registration(&closure)?;
        progress.line(&format!(
            "{machine}: registering {} paths of {} in the VM's Nix database (it reads the host's store)",
            closure.len(),
            system.display()
        ));
        ssh.succeed("nix-store --load-db", &registration).with_context(|| {
            format!("cannot register the system in {machine}'s Nix database; the VM still runs its old system")
        })?;
        Transfer::Registered { paths: closure.len(), bytes: registration.len() as u64 }
    } else {
        // What the VM lacks is what nix-copy-closure sends; not knowing it
        // only leaves the report without its size.
        let counted = missing_in_vm(ssh, &closure)
            .and_then(|missing| Ok((missing.len(), nix.sizes(&missing)?.iter().sum())))
            .map_err(|e| progress.line(&format!("{machine}: cannot tell what the copy sends ({e:#})")))
            .ok();
        copy_closure(nix, ssh, &system, progress)?;
        match counted {
            Some((paths, bytes)) => Transfer::Copied { paths, bytes },
            None => Transfer::CopiedUncounted,
        }
    };
    let command = crate::runtime::deploy_command(&system.display().to_string(), activation)?;
    let mut previous = None;
    let mut units = crate::runtime::switch::SwitchReport::default();
    let streamed = ssh.stream(&command, &mut |l| match l.strip_prefix("nixvm-previous: ") {
        Some(p) => previous = Some(p.trim().to_string()),
        None => {
            units.read_line(l);
            output(l)
        }
    });
    let errors = match streamed {
        Ok(errors) => errors,
        // The switch happened and units of the new system failed (NixOS
        // exits 4 then): the machine runs the new system; its failed units
        // are in the report.
        Err(super::connection::SshError::Failed { stderr, .. }) if !units.failed.is_empty() => stderr,
        Err(e) => return Err(e).with_context(|| format!("switching {machine} to {} failed", system.display())),
    };
    for l in errors.lines().filter(|l| !l.trim().is_empty()) {
        progress.line(l);
    }
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
fn copy_closure(nix: &Nix, ssh: &Connection, system: &Path, progress: &dyn Progress) -> anyhow::Result<()> {
    let machine = &ssh.machine;
    // NIX_SSHOPTS is split on whitespace (Nix 2.8) or as a shell would
    // (newer Nix): the configuration must be on a path both read alike.
    let aside;
    let mut options = ssh.ssh_options();
    if !crate::nix::ssh_option_reads_the_same(&ssh.config().to_string_lossy()) {
        aside = tempfile::Builder::new().prefix("nixvm-ssh-").tempdir_in("/tmp")?;
        let copy = aside.path().join("ssh_config");
        std::fs::copy(ssh.config(), &copy)?;
        options[1] = copy.display().to_string();
    }
    progress.line(&format!("{machine}: copying {} over ssh", system.display()));
    nix.copy_closure_to(super::connection::DESTINATION, system, &options)
        .with_context(|| format!("cannot copy the system to {machine}; the VM still runs its old system"))
}

/// Of `paths`, those the VM's Nix does not have. They go on stdin: a
/// system's closure is longer than one command line may be.
fn missing_in_vm(ssh: &Connection, paths: &[String]) -> anyhow::Result<Vec<String>> {
    let input = paths.join("\n") + "\n";
    let out = ssh.succeed("xargs nix-store --check-validity --print-invalid", input.as_bytes())?;
    let closure: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
    let missing = String::from_utf8_lossy(&out);
    Ok(missing.lines().filter(|l| closure.contains(l)).map(str::to_string).collect())
}
