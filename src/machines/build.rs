//! Evaluating and building machines with as few nix calls as possible: one
//! evaluation lists the machines and instantiates the selected ones' VMs,
//! one build builds them all.

use super::source::{check_name, Source};
use super::Progress;
use crate::check::Variant;
use crate::nix::Nix;
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};

pub use super::eval::{EvalFailure, MachineInfo};

/// The source's machines (all of them) and what their evaluations say
/// about those in `named` (all when empty). An unknown name is said so.
pub struct Machines {
    pub all: Vec<String>,
    pub selected: Vec<MachineInfo>,
    /// Machines left out of "all of them" because their names cannot name
    /// a VM (`db.example.org`: not a Nix identifier, so no `vm-M`, no
    /// state directory nixvm would trust).
    pub unusable: Vec<String>,
    /// Selected machines whose evaluation failed, with why: the others
    /// are in `selected`.
    pub failed: Vec<EvalFailure>,
}

/// Evaluate the machines: one machine named, one `nix eval` lists the
/// machines and gives its record (as before there was more than one
/// process); otherwise one lists them and each selected machine's record
/// comes from a nix process of its own, at most `jobs` at once (see
/// `eval::parallel_evaluations`). The records hold the VMs' derivations,
/// instantiated: building them needs no evaluation.
pub fn eval_machines(
    nix: &Nix,
    source: &Source,
    named: &[String],
    jobs: Option<usize>,
    progress: &dyn Progress,
) -> anyhow::Result<Machines> {
    for m in named {
        check_name(m)?;
    }
    let installable = source.installables(nix)?.configurations(Variant::Vm);
    let listing = "all = builtins.attrNames cs; nix = builtins.nixVersion;";
    if let [one] = named {
        let apply = format!(
            "cs: {{ {listing} selected = if cs ? {attr} then [ ({record}) ] else [ ]; }}",
            attr = crate::nixstr::attr_name(one),
            record = super::eval::record("cs", one),
        );
        let v = nix.eval_json(source.dir(), &installable, Some(&apply)).map_err(|e| source.explain(e))?;
        let (all, _) = listed(nix, source, named, &v)?;
        let selected: Vec<MachineInfo> = serde_json::from_value(v["selected"].clone())
            .context("nix described the machines in an unexpected form")?;
        return Ok(Machines { all, selected, unusable: vec![], failed: vec![] });
    }
    let v = nix
        .eval_json(source.dir(), &installable, Some(&format!("cs: {{ {listing} }}")))
        .map_err(|e| source.explain(e))?;
    let (all, unusable) = listed(nix, source, named, &v)?;
    let targets: Vec<String> = if named.is_empty() {
        all.iter().filter(|m| crate::project::is_machine_name(m)).cloned().collect()
    } else {
        named.to_vec()
    };
    let jobs = super::eval::jobs_here(jobs, targets.len(), super::eval::MEMORY_PER_MACHINE);
    let (selected, failed) = super::eval::records(nix, source, &installable, &targets, jobs, progress)?;
    Ok(Machines { all, selected, unusable, failed })
}

/// The machines an evaluation listed (`all`, with the version of nix that
/// did, learnt), `named` checked against them; and those whose names
/// cannot name a VM, when none were named.
fn listed(
    nix: &Nix,
    source: &Source,
    named: &[String],
    v: &serde_json::Value,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    // Building the derivations depends on the version; asked here, it
    // costs no `nix --version`.
    nix.learn_version(v["nix"].as_str().unwrap_or_default());
    let all: Vec<String> =
        serde_json::from_value(v["all"].clone()).context("nix listed the machines in an unexpected form")?;
    source.check_known(named, &all)?;
    let unusable = if named.is_empty() {
        all.iter().filter(|m| !crate::project::is_machine_name(m)).cloned().collect()
    } else {
        vec![]
    };
    Ok((all, unusable))
}

/// A machine's VM and the system it boots, as built.
pub struct BuiltVm {
    pub vm: PathBuf,
    pub system: PathBuf,
}

/// Build evaluated machines' VMs with one `nix build` (the systems come
/// with them).
pub fn build_machines(
    nix: &Nix,
    source: &Source,
    machines: &[MachineInfo],
    progress: &dyn Progress,
) -> anyhow::Result<Vec<BuiltVm>> {
    let drvs: Vec<String> = machines.iter().map(|m| m.vm.clone()).collect();
    let names: Vec<&str> = machines.iter().map(|m| m.name.as_str()).collect();
    progress.status(&format!("building the VMs of {}", names.join(", ")));
    let built = nix.build_derivations(source.dir(), &drvs, Some(&|e| progress.event(e)))?;
    machines
        .iter()
        .map(|m| {
            let vm = built.get(&m.vm).context("nix build reported no output")?.clone();
            Ok(BuiltVm { system: vm_system(&vm)?, vm })
        })
        .collect()
}

/// The `run-*-vm` script of a built VM.
pub(super) fn run_script(vm: &Path) -> anyhow::Result<PathBuf> {
    let bin = vm.join("bin");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&bin)
        .with_context(|| format!("{} has no bin/", vm.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("run-") && n.ends_with("-vm")))
        .collect();
    match scripts.len() {
        1 => Ok(scripts.remove(0)),
        _ => bail!("{} should hold one run-*-vm script", bin.display()),
    }
}

/// The system a built VM boots: qemu-vm.nix links it as `system`.
fn vm_system(vm: &Path) -> anyhow::Result<PathBuf> {
    std::fs::read_link(vm.join("system")).with_context(|| format!("{} has no `system` link", vm.display()))
}

/// Nix failed to build one machine's installable: when the machine does
/// not exist, say that (the one case worth a second, cheap evaluation).
fn unknown_or(nix: &Nix, source: &Source, machine: &str, err: crate::nix::NixError) -> anyhow::Error {
    match super::known::list_machines(nix, source).map(|all| source.check_known(&[machine.to_string()], &all)) {
        Ok(Err(unknown)) => unknown,
        _ => source.explain(err),
    }
}

/// Build one machine's VM: one nix call, evaluation and build, with a GC
/// root at `.nixvm/M/vm` (the VM boots from the host's store: a garbage
/// collection must not take its system while it runs).
pub fn build_machine(nix: &Nix, source: &Source, machine: &str, progress: &dyn Progress) -> anyhow::Result<BuiltVm> {
    check_name(machine)?;
    let installable = source.installables(nix)?.vm(machine);
    progress.status(&format!("evaluating and building the VM of {machine}"));
    let vm = nix
        .build_one(source.dir(), &installable, Some(&|e| progress.event(e)), &source.state(machine).vm_root())
        .map_err(|e| unknown_or(nix, source, machine, e))?;
    Ok(BuiltVm { system: vm_system(&vm)?, vm })
}

/// Build the system a running VM of `machine` switches to (its VM
/// variant's `system.build.toplevel`): one nix call, with a GC root at
/// `.nixvm/M/built-system` (`deploy` roots what the VM runs once it
/// switched).
pub fn build_machine_system(
    nix: &Nix,
    source: &Source,
    machine: &str,
    progress: &dyn Progress,
) -> anyhow::Result<PathBuf> {
    check_name(machine)?;
    let installable = source.installables(nix)?.vm_system(machine);
    progress.status(&format!("evaluating and building the VM system of {machine}"));
    let root = source.state(machine).dir.join("built-system");
    nix.build_one(source.dir(), &installable, Some(&|e| progress.event(e)), &root)
        .map_err(|e| unknown_or(nix, source, machine, e))
}
