//! Evaluating and building machines with as few nix calls as possible: one
//! evaluation lists the machines and instantiates the selected ones' VMs,
//! one build builds them all.

use super::source::{check_name, Source};
use super::Progress;
use crate::check::Variant;
use crate::nix::Nix;
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};

/// Memory a VM gets when its configuration does not say (qemu-vm.nix's
/// `virtualisation.memorySize` default), in MiB.
const DEFAULT_MEMORY_MIB: u64 = 1024;

/// What one evaluation says about a machine.
#[derive(Debug, serde::Deserialize)]
pub struct MachineInfo {
    pub name: String,
    /// The derivation of its VM (which links the system it boots).
    pub vm: String,
    /// `virtualisation.memorySize` of its VM, in MiB.
    pub memory: u64,
}

/// The source's machines (all of them) and what one evaluation says about
/// those in `named` (all when empty). An unknown name is said so.
pub struct Machines {
    pub all: Vec<String>,
    pub selected: Vec<MachineInfo>,
    /// Machines left out of "all of them" because their names cannot name
    /// a VM (`db.example.org`: not a Nix identifier, so no `vm-M`, no
    /// state directory nixvm would trust).
    pub unusable: Vec<String>,
}

/// One `nix eval` for the machine list, each selected machine's memory and
/// its derivations (instantiated, so building them needs no evaluation).
pub fn eval_machines(nix: &Nix, source: &Source, named: &[String]) -> anyhow::Result<Machines> {
    for m in named {
        check_name(m)?;
    }
    let names = serde_json::to_string(named)?;
    let apply = format!(
        "cs: let named = builtins.fromJSON {names}; all = builtins.attrNames cs; \
         info = n: let c = cs.${{n}}.config; in {{ name = n; vm = c.system.build.vm.drvPath; \
         memory = c.virtualisation.vmVariant.virtualisation.memorySize or {DEFAULT_MEMORY_MIB}; }}; \
         usable = builtins.filter (n: builtins.match {pattern} n != null) all; \
         in {{ inherit all; nix = builtins.nixVersion; selected = map info (builtins.filter (n: cs ? ${{n}}) (if named == [ ] then usable else named)); }}",
        names = crate::nixstr::string_literal(&names),
        pattern = crate::nixstr::string_literal(crate::project::MACHINE_NAME_PATTERN),
    );
    let installable = source.configurations(nix, Variant::Vm)?;
    let v = nix.eval_json(source.dir(), &installable, Some(&apply)).map_err(|e| source.explain(e))?;
    // Building the derivations depends on the version; asked here, it
    // costs no `nix --version`.
    nix.learn_version(v["nix"].as_str().unwrap_or_default());
    let all: Vec<String> =
        serde_json::from_value(v["all"].clone()).context("nix listed the machines in an unexpected form")?;
    source.check_known(named, &all)?;
    let mut selected: Vec<MachineInfo> =
        serde_json::from_value(v["selected"].clone()).context("nix described the machines in an unexpected form")?;
    selected.retain(|m| crate::project::is_machine_name(&m.name));
    let unusable = if named.is_empty() {
        all.iter().filter(|m| !crate::project::is_machine_name(m)).cloned().collect()
    } else {
        vec![]
    };
    Ok(Machines { all, selected, unusable })
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
    let installable = source.vm(nix, machine)?;
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
    let installable = source.vm_system(nix, machine)?;
    progress.status(&format!("evaluating and building the VM system of {machine}"));
    let root = source.state(machine).dir.join("built-system");
    nix.build_one(source.dir(), &installable, Some(&|e| progress.event(e)), &root)
        .map_err(|e| unknown_or(nix, source, machine, e))
}
