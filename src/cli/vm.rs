//! `nixvm build` and `nixvm run`: one machine's VM, or several, built; one
//! booted in the foreground.

use super::flags::{At, EvalFlags, ForwardFlags, NixFlags};
use super::output::Status;
use crate::machines::{build, start};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Machines to build (default: all).
    machines: Vec<String>,
    #[command(flatten)]
    eval: EvalFlags,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The machine to boot.
    machine: String,
    /// Serial console in this terminal instead of a window (-nographic, console=ttyS0), also kept in
    /// .nixvm/M/console.log for `nixvm logs`.
    #[arg(long)]
    console: bool,
    #[command(flatten)]
    forward: ForwardFlags,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
    /// Extra arguments for QEMU, after `--`.
    #[arg(last = true)]
    qemu_args: Vec<String>,
}

pub fn build(args: BuildArgs) -> anyhow::Result<Status> {
    let source = args.at.source()?;
    let nix = args.nix.nix(&source)?;
    super::output::ensure_key(&source)?;
    let reporter = args.nix.reporter(false);
    reporter.status("evaluating the machines");
    let evaluated = build::eval_machines(&nix, &source, &args.machines, args.eval.jobs(), &reporter)?;
    super::output::say_unusable(&evaluated.unusable);
    let machines = evaluated.selected;
    // What evaluated is built all the same; what did not is said after.
    if !machines.is_empty() {
        let built = build::build_machines(&nix, &source, &machines, &reporter)?;
        reporter.finish();
        for (m, b) in machines.iter().zip(built) {
            outln!("{}\t{}", m.name, b.vm.display());
        }
    }
    reporter.finish();
    super::output::say_failed_evaluations(&evaluated.failed)
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let source = args.at.source()?;
    let nix = args.nix.nix(&source)?;
    super::output::ensure_key(&source)?;
    let reporter = args.nix.reporter(false);
    let forwards = args.forward.forwards()?;
    let prepared = match start::prepare_run(&nix, &source, &args.machine, args.console, &forwards, &reporter) {
        Err(e) if e.is::<start::AlreadyRunning>() => {
            reporter.finish();
            eprintln!("nixvm: {e}");
            return Ok(Status::Findings.into());
        }
        p => p?,
    };
    eprintln!("{}: ssh on 127.0.0.1:{} (nixvm ssh {})", args.machine, prepared.port, args.machine);
    Err(start::exec(prepared, &args.qemu_args))
}
