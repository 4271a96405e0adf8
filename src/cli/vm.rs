//! Commands on a nixvm project's machines: `build` and `run`. Machines'
//! state lives under `.nixvm/MACHINE/` in the project (disk image, temporary
//! directory, the ssh port of the last run), readable by its owner only.

use super::Status;
use crate::nix::{Flags, Nix};
use anyhow::{bail, Context as _};
use std::os::unix::fs::DirBuilderExt;
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
    start
        .ancestors()
        .find(|d| d.join("flake.nix").is_file() && d.join("nixvm/vm.nix").is_file())
        .map(Path::to_path_buf)
        .with_context(|| {
            format!(
                "{} is not in a nixvm project (no flake.nix with nixvm/vm.nix); run `nixvm init` first",
                start.display()
            )
        })
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

/// The machines of the project, as the flake sees them.
pub fn list_machines(nix: &Nix, project: &Path) -> anyhow::Result<Vec<String>> {
    let names = nix.eval_json(project, ".#nixosConfigurations", Some("builtins.attrNames"))?;
    serde_json::from_value(names).context("nix listed the machines in an unexpected form")
}

/// A machine's VM and the system it boots, as built.
pub struct BuiltVm {
    pub vm: PathBuf,
    pub system: PathBuf,
}

/// Build `vm-M` and `vmSystem-M` for each machine; an unknown machine is
/// said so.
pub fn build_vms(nix: &Nix, project: &Path, machines: &[String]) -> anyhow::Result<Vec<BuiltVm>> {
    for m in machines {
        check_name(m)?;
    }
    let attrs: Vec<String> = machines.iter().flat_map(|m| [format!("vm-{m}"), format!("vmSystem-{m}")]).collect();
    let mut built = nix.build_packages(project, &crate::lint::host_system(), &attrs).map_err(|e| match e {
        crate::nix::NixError::Missing(attr) => {
            let known = list_machines(nix, project).map(|m| m.join(", ")).unwrap_or_default();
            let machine = attr.trim_start_matches("vmSystem-").trim_start_matches("vm-");
            anyhow::anyhow!("no machine `{machine}` in this project (machines: {known})")
        }
        other => anyhow::Error::new(other),
    })?;
    let mut take = |attr: String| built.remove(&attr).context("nix build reported no output");
    machines
        .iter()
        .map(|m| Ok(BuiltVm { vm: take(format!("vm-{m}"))?, system: take(format!("vmSystem-{m}"))? }))
        .collect()
}

/// Record, when a VM is about to create its disk image, which system the
/// image is made for (`status` reports images made for an older one).
pub fn note_disk_system(state: &Path, machine: &str, system: &Path) -> anyhow::Result<()> {
    let image = match std::env::var_os("NIX_DISK_IMAGE") {
        Some(p) => PathBuf::from(p),
        None => state.join(format!("{machine}.qcow2")),
    };
    if !image.exists() {
        std::fs::write(state.join("disk-system"), format!("{}\n", system.display()))
            .context("cannot record the disk's system")?;
    }
    Ok(())
}

pub fn build(args: BuildArgs) -> anyhow::Result<Status> {
    let project = find_project(args.dir.as_deref())?;
    let nix = nix(&args.nix)?;
    let names = if args.machines.is_empty() { list_machines(&nix, &project)? } else { args.machines.clone() };
    for (m, b) in names.iter().zip(build_vms(&nix, &project, &names)?) {
        println!("{m}\t{}", b.vm.display());
    }
    Ok(Status::Clean)
}

/// `.nixvm/MACHINE` in the project, created private to its owner.
pub fn state_dir(project: &Path, machine: &str) -> anyhow::Result<PathBuf> {
    let dir = project.join(".nixvm").join(machine);
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir.join("tmp"))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> anyhow::Result<u16> {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0)).context("cannot find a free port on 127.0.0.1")?;
    Ok(l.local_addr()?.port())
}

/// Append `extra` to the variable's current value (`sep` between them).
fn extended(name: &str, extra: &str, sep: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => format!("{v}{sep}{extra}"),
        _ => extra.to_string(),
    }
}

/// The environment the VM's run script is given.
pub fn run_environment(state: &Path, machine: &str, port: u16, console: bool) -> Vec<(String, String)> {
    let mut env = vec![];
    if std::env::var_os("NIX_DISK_IMAGE").is_none() {
        env.push(("NIX_DISK_IMAGE".into(), state.join(format!("{machine}.qcow2")).display().to_string()));
    }
    env.push(("TMPDIR".into(), state.join("tmp").display().to_string()));
    env.push(("USE_TMPDIR".into(), "1".into()));
    // QEMU's hostfwd listens on every interface unless told otherwise.
    env.push(("QEMU_NET_OPTS".into(), extended("QEMU_NET_OPTS", &format!("hostfwd=tcp:127.0.0.1:{port}-:22"), ",")));
    if console {
        env.push(("QEMU_OPTS".into(), extended("QEMU_OPTS", "-nographic", " ")));
        env.push(("QEMU_KERNEL_PARAMS".into(), extended("QEMU_KERNEL_PARAMS", "console=ttyS0", " ")));
    }
    env
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
    let built = build_vms(&nix, &project, std::slice::from_ref(&args.machine))?;
    let built = built.first().context("nothing was built")?;
    let script = run_script(&built.vm)?;
    let state = state_dir(&project, &args.machine)?;
    note_disk_system(&state, &args.machine, &built.system)?;
    let port = free_port()?;
    std::fs::write(state.join("ssh-port"), format!("{port}\n")).context("cannot record the ssh port")?;
    eprintln!("{}: ssh on 127.0.0.1:{port} (nixvm ssh {})", args.machine, args.machine);
    let status = Command::new(&script)
        .args(&args.qemu_args)
        .envs(run_environment(&state, &args.machine, port, args.console))
        .current_dir(&state)
        .status()
        .with_context(|| format!("cannot start {}", script.display()))?;
    use std::os::unix::process::ExitStatusExt;
    let code = status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}
