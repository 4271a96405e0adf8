//! `nixvm ssh` and `nixvm deploy`: log into a running machine with the
//! project's key; update it in place.

use super::flags::{At, NixFlags};
use super::output::Status;
use crate::machines::{deploy, ssh};
use crate::runtime::Activation;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct SshArgs {
    /// The machine to log into (as root).
    machine: String,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
    /// A command to run instead of a login shell, after `--`.
    #[arg(last = true)]
    command: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    /// The running machines to update (default: every running one).
    machines: Vec<String>,
    /// Build and copy, then say what the switch would change (switch-to-configuration dry-activate); change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Copy the closure over ssh even when the VM reads the host's store (then nixvm only registers it).
    #[arg(long)]
    copy_closure: bool,
    #[command(flatten)]
    eval: super::flags::EvalFlags,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

pub fn ssh(args: SshArgs) -> anyhow::Result<ExitCode> {
    let source = args.at.source()?;
    let nix = args.nix.nix_or_why(&source);
    Err(ssh::ssh(&source, &args.machine, &args.command, nix.as_ref().map_err(Clone::clone)))
}

pub fn deploy(args: DeployArgs) -> anyhow::Result<Status> {
    let source = args.at.source()?;
    let nix = args.nix.nix(&source)?;
    let reporter = args.nix.reporter(false);
    let activation = if args.dry_run { Activation::DryActivate } else { Activation::Test };
    let [machine] = args.machines.as_slice() else {
        return deploy_many(&args, &nix, &source, activation, &reporter);
    };
    let d =
        deploy::deploy(&nix, &source, machine, activation, args.copy_closure, &reporter, &mut |line| outln!("{line}"))?;
    match d.transfer {
        deploy::Transfer::Registered { paths, bytes } => outln!(
            "{machine}: registered {paths} store paths in the VM's Nix database, copied nothing (it reads the host's store; sent their registration, {bytes} bytes)"
        ),
        deploy::Transfer::CopiedUncounted => outln!("{machine}: copied the closure over ssh"),
        deploy::Transfer::Copied { paths: 0, .. } => {
            outln!("{machine}: copied nothing over ssh (the VM has the whole closure)")
        }
        deploy::Transfer::Copied { paths, bytes } => {
            outln!("{machine}: copied {paths} store paths over ssh, {} ({bytes} bytes)", super::output::size(bytes))
        }
    }
    let system = d.system.display();
    let verb = if args.dry_run { "would switch" } else { "switched" };
    match d.previous {
        Some(p) if p == d.system => outln!("{machine}: already ran {system}; {verb} again"),
        Some(p) => outln!("{machine}: {verb} from {} to {system}", p.display()),
        None => outln!("{machine}: {verb} to {system}"),
    }
    if d.units.is_empty() {
        outln!("{machine}: no unit {}", if args.dry_run { "would change" } else { "changed" });
    }
    for line in d.units.lines() {
        outln!("{machine}: {}{line}", if args.dry_run { "would be " } else { "" });
    }
    Ok(if d.units.failed.is_empty() { Status::Clean } else { Status::Findings })
}

/// `deploy` of every running machine, or of several: the activations'
/// lines as they come, each with its machine, then one table.
fn deploy_many(
    args: &DeployArgs,
    nix: &crate::nix::Nix,
    source: &crate::machines::Source,
    activation: Activation,
    reporter: &super::progress::Reporter,
) -> anyhow::Result<Status> {
    let lines = |machine: &str, line: &str| outln!("{machine}: {line}");
    let outcomes = deploy::deploy_many(
        nix,
        source,
        &args.machines,
        activation,
        args.copy_closure,
        args.eval.jobs(),
        reporter,
        &lines,
    )?;
    reporter.finish();
    let rows: Vec<[String; 4]> = outcomes.iter().map(|o| table_row(o, args.dry_run)).collect();
    let header = ["machine", "store paths", "units", "time"].map(String::from);
    let widths: Vec<usize> =
        (0..3).map(|i| rows.iter().chain([&header]).map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    outln!();
    for row in std::iter::once(&header).chain(&rows) {
        outln!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
    }
    let mut failed = false;
    for o in &outcomes {
        match &o.result {
            Err(e) => eprintln!("nixvm: {}: {e:#}", o.machine),
            Ok(d) if !d.units.failed.is_empty() => {
                eprintln!("nixvm: {}: switched, and these units failed: {}", o.machine, d.units.failed.join(", "))
            }
            Ok(_) => continue,
        }
        failed = true;
    }
    Ok(if failed { Status::Findings } else { Status::Clean })
}

/// One machine's line of the deploy table: what it copied or registered,
/// what the switch did to the units, and how long its part took.
fn table_row(o: &deploy::Outcome, dry: bool) -> [String; 4] {
    let d = match &o.result {
        Ok(d) => d,
        Err(_) => return [o.machine.clone(), "FAILED (below)".into(), "unchanged".into(), String::new()],
    };
    let paths = match d.transfer {
        deploy::Transfer::Registered { paths, .. } => format!("{paths} registered"),
        deploy::Transfer::Copied { paths, bytes } => format!("{paths} copied ({})", super::output::size(bytes)),
        deploy::Transfer::CopiedUncounted => "copied".into(),
    };
    let u = &d.units;
    let mut said = vec![];
    for (what, units) in
        [("restarted", &u.restarted), ("started", &u.started), ("stopped", &u.stopped), ("FAILED", &u.failed)]
    {
        if !units.is_empty() {
            said.push(format!("{}{what} {}", if dry && what != "FAILED" { "would be " } else { "" }, units.join(" ")));
        }
    }
    let units = if said.is_empty() { "none changed".to_string() } else { said.join("; ") };
    [o.machine.clone(), paths, units, format!("{:.1} s", o.took.as_secs_f64())]
}
