//! Machines already started: stopping them (`down`), what runs and on which
//! port (`status`), removing stopped machines' disk images and state
//! (`clean`). A pid is only ever signalled after checking that it is still
//! that machine's VM.

use super::source::Source;
use crate::nix::Nix;
use anyhow::bail;
use std::time::{Duration, Instant};

/// A machine `down` was asked about.
pub enum Stopped {
    /// Stopped by SIGTERM.
    Stopped(String),
    /// Still running after the timeout: killed.
    Killed(String),
    /// Named, but not running.
    NotRunning(String),
}

/// Stop `named` machines (all running when empty): SIGTERM to the VM's
/// process group, SIGKILL after `timeout`. A named machine must be one
/// (`nix` lists them, when one has no state).
pub fn down(
    source: &Source,
    named: &[String],
    timeout: Duration,
    nix: Result<&Nix, String>,
) -> anyhow::Result<Vec<Stopped>> {
    source.check_known_or_kept(named, nix)?;
    let mut out = vec![];
    for machine in source.machines_with_state(named)? {
        let state = source.state(&machine);
        let Some(pid) = state.running_pid() else {
            state.forget_pid();
            if !named.is_empty() {
                out.push(Stopped::NotRunning(machine));
            }
            continue;
        };
        super::process::signal_group(pid, libc::SIGTERM);
        let deadline = Instant::now() + timeout;
        while state.running_pid().is_some() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let killed = state.running_pid().is_some();
        if killed {
            super::process::signal_group(pid, libc::SIGKILL);
        }
        state.forget_pid();
        out.push(if killed { Stopped::Killed(machine) } else { Stopped::Stopped(machine) });
    }
    Ok(out)
}

/// One machine's state, for `status`.
#[derive(serde::Serialize)]
pub struct MachineStatus {
    pub name: String,
    pub running: bool,
    pub pid: Option<i32>,
    pub ssh_port: Option<u16>,
    /// Ports forwarded to the running VM besides ssh (`ADDR:HOST:GUEST[/udp]`).
    pub forwards: Vec<String>,
    pub disk_image: Option<String>,
    /// The disk image was made for another system than the one the
    /// machine's configuration gives now.
    pub disk_stale: bool,
}

/// What `status` found.
pub struct Report {
    pub machines: Vec<MachineStatus>,
    /// Why the list may lack machines not started yet (nix is missing or
    /// its evaluation failed): what runs is listed all the same.
    pub incomplete: Option<String>,
}

/// Every machine and what runs: the machines of one evaluation (with the
/// system each would boot now, to tell a stale disk image), and every
/// machine nixvm has state for, so nothing started goes unseen when it
/// left the configuration, or when nix is missing (`nix` is the reason)
/// or fails.
pub fn status(
    nix: Result<&Nix, String>,
    source: &Source,
    jobs: Option<usize>,
    progress: &dyn super::Progress,
) -> anyhow::Result<Report> {
    // One evaluation lists the machines, then each machine's system comes
    // from a nix process of its own, several at once. A machine that does
    // not evaluate is listed all the same, with what runs; `check` says why.
    let evaluated = nix.and_then(|nix| {
        let installable =
            source.installables(nix).map_err(|e| format!("{e:#}"))?.configurations(crate::check::Variant::Vm);
        // A lone machine's system comes with the listing: one nix call, as
        // before machines were evaluated apart.
        let listing = "cs: let all = builtins.attrNames cs; \
                       system = c: c.config.virtualisation.vmVariant.system.build.toplevel.outPath; in \
                       { inherit all; one = if builtins.length all != 1 then null else \
                         let r = builtins.tryEval (system cs.${builtins.head all}); in if r.success then r.value else null; }";
        #[derive(serde::Deserialize)]
        struct Listed {
            all: Vec<String>,
            one: Option<String>,
        }
        let listed: Listed = nix
            .eval_json(source.dir(), &installable, Some(listing))
            .map_err(|e| format!("{:#}", source.explain(e)))
            .and_then(|v| {
                serde_json::from_value(v).map_err(|e| format!("nix listed the machines in an unexpected form: {e}"))
            })?;
        let all = listed.all;
        let found: Vec<(String, String)> = match all.as_slice() {
            [one] => listed.one.map(|s| (one.clone(), s)).into_iter().collect(),
            _ => {
                let jobs = super::eval::jobs_here(jobs, all.len(), super::eval::MEMORY_PER_MACHINE);
                let system = |m: &str| {
                    let attr = crate::nixstr::attr_name(m);
                    format!("cs.{attr}.config.virtualisation.vmVariant.system.build.toplevel.outPath")
                };
                let (found, _failed) =
                    super::eval::each::<String>(nix, source, &installable, &all, jobs, progress, system)
                        .map_err(|e| format!("{e:#}"))?;
                progress.finish();
                found
            }
        };
        let mut now: std::collections::BTreeMap<String, Option<String>> = all.into_iter().map(|m| (m, None)).collect();
        for (m, system) in found {
            now.insert(m, Some(system));
        }
        Ok(now)
    });
    let (mut now, incomplete) = match evaluated {
        Ok(now) => (now, None),
        Err(why) => (Default::default(), Some(why)),
    };
    for m in source.machines_with_state(&[])? {
        now.entry(m).or_insert(None);
    }
    let machines = now
        .into_iter()
        .map(|(name, current)| {
            let state = source.state(&name);
            let pid = state.running_pid();
            let disk = state.disk_image();
            let booted_for = state.read("disk-system");
            let (ssh_port, forwards) = match pid {
                Some(pid) => state.running_ports(pid),
                None => (state.ssh_port(), vec![]),
            };
            MachineStatus {
                running: pid.is_some(),
                pid,
                ssh_port,
                forwards,
                disk_stale: disk.exists()
                    && booted_for.is_some()
                    && current.is_some()
                    && booted_for.as_deref() != current.as_deref(),
                disk_image: disk.exists().then(|| disk.display().to_string()),
                name,
            }
        })
        .collect();
    Ok(Report { machines, incomplete })
}

/// What `clean` did.
pub struct Cleaned {
    pub removed: Vec<String>,
    /// Running machines, left alone.
    pub running: Vec<String>,
}

/// Remove the disk images and state of `named` machines (all stopped ones
/// when empty). A running machine named explicitly is an error, and so is
/// a name that is no machine (`nix` lists them, when one has no state).
pub fn clean(source: &Source, named: &[String], nix: Result<&Nix, String>) -> anyhow::Result<Cleaned> {
    source.check_known_or_kept(named, nix)?;
    let machines = source.machines_with_state(named)?;
    let (running, stopped): (Vec<String>, Vec<String>) =
        // A held lock is a VM starting (its build, before its pid is
        // recorded), or running: its state stays.
        machines.into_iter().partition(|m| {
            let state = source.state(m);
            state.running_pid().is_some() || state.lock_held()
        });
    if !running.is_empty() && !named.is_empty() {
        bail!("{} running; stop it first (nixvm down)", running.join(", "));
    }
    let mut removed = vec![];
    for machine in stopped {
        let state = source.state(&machine);
        if state.dir.exists() {
            state.remove()?;
            removed.push(machine);
        }
    }
    Ok(Cleaned { removed, running })
}
