//! Commands on a nixvm project's machines: `build` and `run`, and what
//! every lifecycle command shares: finding the project, the nix flags,
//! evaluating and building machines with as few nix calls as possible,
//! and preparing a VM's start.

use super::progress::Reporter;
use super::state::MachineState;
use super::Status;
use crate::nix::{Flags, Nix};
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The flags every command that calls nix passes through.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct NixFlags {
    /// Show nix's evaluation trace on errors.
    #[arg(long)]
    show_trace: bool,
    /// Print full build logs.
    #[arg(short = 'L', long)]
    print_build_logs: bool,
    /// Allow impure evaluation.
    #[arg(long)]
    impure: bool,
    /// Do not use the network.
    #[arg(long)]
    offline: bool,
    /// Remote builders, as for nix --builders.
    #[arg(long, value_name = "SPEC")]
    builders: Option<String>,
    /// A nix option (repeatable).
    #[arg(long = "option", num_args = 2, value_names = ["NAME", "VALUE"], action = clap::ArgAction::Append)]
    options: Vec<String>,
    /// Override a flake input (repeatable).
    #[arg(long = "override-input", num_args = 2, value_names = ["INPUT", "REF"], action = clap::ArgAction::Append)]
    override_inputs: Vec<String>,
}

impl NixFlags {
    /// How to show progress: `quiet` when the command's output is JSON.
    pub fn reporter(&self, quiet: bool) -> Reporter {
        Reporter::new(quiet, self.print_build_logs)
    }

    fn flags(&self) -> Flags {
        let pairs = |v: &[String]| v.chunks(2).map(|c| (c[0].clone(), c.get(1).cloned().unwrap_or_default())).collect();
        Flags {
            show_trace: self.show_trace,
            print_build_logs: self.print_build_logs,
            impure: self.impure,
            offline: self.offline,
            builders: self.builders.clone(),
            options: pairs(&self.options),
            override_inputs: pairs(&self.override_inputs),
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Machines to build (default: all).
    machines: Vec<String>,
    /// The project directory (default: the one containing the current directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    #[command(flatten)]
    nix: NixFlags,
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The machine to boot.
    machine: String,
    /// Serial console in this terminal instead of a window (-nographic, console=ttyS0).
    #[arg(long)]
    console: bool,
    /// The project directory (default: the one containing the current directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    #[command(flatten)]
    nix: NixFlags,
    /// Extra arguments for QEMU, after `--`.
    #[arg(last = true)]
    qemu_args: Vec<String>,
}

/// The nixvm project containing `start`: a directory with flake.nix and
/// nixvm/vm.nix.
pub fn find_project(start: Option<&Path>) -> anyhow::Result<PathBuf> {
    let start = match start {
        Some(d) => d.to_path_buf(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let start = std::fs::canonicalize(&start).with_context(|| format!("cannot open {}", start.display()))?;
    let project = start
        .ancestors()
        .find(|d| d.join("flake.nix").is_file() && d.join("nixvm/vm.nix").is_file())
        .map(Path::to_path_buf)
        .with_context(|| {
            format!(
                "{} is not in a nixvm project (no flake.nix with nixvm/vm.nix); run `nixvm init` first",
                start.display()
            )
        })?;
    if project.to_string_lossy().contains(|c: char| c.is_whitespace() || "%#?".contains(c)) {
        eprintln!(
            "warning: {} has whitespace, `%`, `#` or `?` in its path, which Nix 2.8 cannot use for a flake (\"is not a valid URL\"); move the project if nix fails",
            project.display()
        );
    }
    Ok(project)
}

pub fn check_name(machine: &str) -> anyhow::Result<()> {
    if !crate::project::is_machine_name(machine) {
        bail!("`{machine}` is not a machine name");
    }
    Ok(())
}

pub fn nix(flags: &NixFlags) -> anyhow::Result<Nix> {
    Ok(Nix::find()?.with_flags(flags.flags()))
}

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

/// The project's machines (all of them) and what one evaluation says about
/// those in `named` (all when empty). An unknown name is said so.
pub struct Machines {
    pub all: Vec<String>,
    pub selected: Vec<MachineInfo>,
}

/// One `nix eval` for the machine list, each selected machine's memory and
/// its derivations (instantiated, so building them needs no evaluation).
pub fn eval_machines(nix: &Nix, project: &Path, named: &[String]) -> anyhow::Result<Machines> {
    for m in named {
        check_name(m)?;
    }
    let names = serde_json::to_string(named)?;
    let apply = format!(
        "cs: let named = builtins.fromJSON {names}; all = builtins.attrNames cs; \
         info = n: let c = cs.${{n}}.config; in {{ name = n; vm = c.system.build.vm.drvPath; \
         memory = c.virtualisation.vmVariant.virtualisation.memorySize or {DEFAULT_MEMORY_MIB}; }}; \
         in {{ inherit all; nix = builtins.nixVersion; selected = map info (builtins.filter (n: cs ? ${{n}}) (if named == [ ] then all else named)); }}",
        names = crate::nixstr::string_literal(&names),
    );
    let v = nix.eval_json(project, ".#nixosConfigurations", Some(&apply))?;
    // Building the derivations depends on the version; asked here, it
    // costs no `nix --version`.
    nix.learn_version(v["nix"].as_str().unwrap_or_default());
    let all: Vec<String> =
        serde_json::from_value(v["all"].clone()).context("nix listed the machines in an unexpected form")?;
    check_known(named, &all)?;
    let selected =
        serde_json::from_value(v["selected"].clone()).context("nix described the machines in an unexpected form")?;
    Ok(Machines { all, selected })
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
    project: &Path,
    machines: &[MachineInfo],
    reporter: &Reporter,
) -> anyhow::Result<Vec<BuiltVm>> {
    let drvs: Vec<String> = machines.iter().map(|m| m.vm.clone()).collect();
    let names: Vec<&str> = machines.iter().map(|m| m.name.as_str()).collect();
    reporter.status(&format!("building the VMs of {}", names.join(", ")));
    let built = nix.build_derivations(project, &drvs, Some(&|e| reporter.event(e)))?;
    machines
        .iter()
        .map(|m| {
            let vm = built.get(&m.vm).context("nix build reported no output")?.clone();
            Ok(BuiltVm { system: vm_system(&vm)?, vm })
        })
        .collect()
}

/// The system a built VM boots: qemu-vm.nix links it as `system`.
fn vm_system(vm: &Path) -> anyhow::Result<PathBuf> {
    std::fs::read_link(vm.join("system")).with_context(|| format!("{} has no `system` link", vm.display()))
}

/// The project's machines, by one evaluation of their names only.
pub fn list_machines(nix: &Nix, project: &Path) -> anyhow::Result<Vec<String>> {
    let names = nix.eval_json(project, ".#nixosConfigurations", Some("builtins.attrNames"))?;
    serde_json::from_value(names).context("nix listed the machines in an unexpected form")
}

/// `named` checked against the project's machines (`all`): names, then
/// existence.
pub fn check_known(named: &[String], all: &[String]) -> anyhow::Result<()> {
    for m in named {
        check_name(m)?;
        if !all.contains(m) {
            bail!("no machine `{m}` in this project (machines: {})", all.join(", "));
        }
    }
    Ok(())
}

/// Nix failed to build `.#PREFIX-MACHINE`: when the machine does not
/// exist, say that (the one case worth a second, cheap evaluation).
fn unknown_or(nix: &Nix, project: &Path, machine: &str, err: crate::nix::NixError) -> anyhow::Error {
    match list_machines(nix, project).map(|all| check_known(&[machine.to_string()], &all)) {
        Ok(Err(unknown)) => unknown,
        _ => anyhow::Error::new(err),
    }
}

/// Build one machine's VM with a single nix call (`nix build .#vm-M`).
pub fn build_machine(nix: &Nix, project: &Path, machine: &str, reporter: &Reporter) -> anyhow::Result<BuiltVm> {
    check_name(machine)?;
    reporter.status(&format!("evaluating and building .#vm-{machine}"));
    let vm = nix
        .build_one(project, &format!(".#vm-{machine}"), Some(&|e| reporter.event(e)))
        .map_err(|e| unknown_or(nix, project, machine, e))?;
    Ok(BuiltVm { system: vm_system(&vm)?, vm })
}

/// Build the system a running VM of `machine` switches to (`vmSystem-M`).
pub fn build_machine_system(nix: &Nix, project: &Path, machine: &str, reporter: &Reporter) -> anyhow::Result<PathBuf> {
    check_name(machine)?;
    reporter.status(&format!("evaluating and building .#vmSystem-{machine}"));
    nix.build_one(project, &format!(".#vmSystem-{machine}"), Some(&|e| reporter.event(e)))
        .map_err(|e| unknown_or(nix, project, machine, e))
}

pub fn build(args: BuildArgs) -> anyhow::Result<Status> {
    let project = find_project(args.dir.as_deref())?;
    let nix = nix(&args.nix)?;
    super::ssh::ensure_key(&project)?;
    let reporter = args.nix.reporter(false);
    reporter.status("evaluating the machines");
    let machines = eval_machines(&nix, &project, &args.machines)?.selected;
    let built = build_machines(&nix, &project, &machines, &reporter)?;
    reporter.finish();
    for (m, b) in machines.iter().zip(built) {
        println!("{}\t{}", m.name, b.vm.display());
    }
    Ok(Status::Clean)
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> anyhow::Result<u16> {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0)).context("cannot find a free port on 127.0.0.1")?;
    Ok(l.local_addr()?.port())
}

/// A VM about to start: its state, its ssh port, its run script's environment.
pub struct Start {
    pub state: MachineState,
    pub port: u16,
    pub env: Vec<(String, String)>,
}

/// Everything a VM's start needs: the state directory made, the port
/// chosen and recorded, the environment for its run script.
pub fn prepare_start(project: &Path, machine: &str, built: &BuiltVm, console: bool) -> anyhow::Result<Start> {
    let state = MachineState::of(project, machine);
    state.create()?;
    let port = free_port()?;
    let settings = crate::runtime::RunSettings {
        state: &state.dir,
        machine,
        ssh_port: port,
        console,
        segment: Some(crate::runtime::Segment::for_project(project.as_os_str().as_encoded_bytes())),
    };
    let current = |n: &str| std::env::var(n).ok();
    state.prepare_start(port, &crate::runtime::disk_image_in_use(&settings, current), &built.system)?;
    let env = crate::runtime::run_environment(&settings, current);
    Ok(Start { state, port, env })
}

/// The `run-*-vm` script of a built VM.
pub fn run_script(vm: &Path) -> anyhow::Result<PathBuf> {
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

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let project = find_project(args.dir.as_deref())?;
    let nix = nix(&args.nix)?;
    super::ssh::ensure_key(&project)?;
    let reporter = args.nix.reporter(false);
    let built = build_machine(&nix, &project, &args.machine, &reporter)?;
    reporter.finish();
    let script = run_script(&built.vm)?;
    let Start { state, port, env } = prepare_start(&project, &args.machine, &built, args.console)?;
    eprintln!("{}: ssh on 127.0.0.1:{port} (nixvm ssh {})", args.machine, args.machine);
    // The run script replaces nixvm, as with `nix run`: no process in
    // between, its exit code is ours. Its pid is ours too, recorded so that
    // `ssh`, `deploy` and `status` see it (the pid file goes stale when it
    // exits, which they recognise).
    state.record_running(std::process::id())?;
    use std::os::unix::process::CommandExt;
    let err = Command::new(&script).args(&args.qemu_args).envs(env).current_dir(&state.dir).exec();
    state.forget_pid();
    Err(anyhow::Error::new(err).context(format!("cannot start {}", script.display())))
}
