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
    /// The running machine to update.
    machine: String,
    /// Build and copy, then say what the switch would change (switch-to-configuration dry-activate); change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Copy the closure over ssh even when the VM reads the host's store (then nixvm only registers it).
    #[arg(long)]
    copy_closure: bool,
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
    let machine = &args.machine;
    let activation = if args.dry_run { Activation::DryActivate } else { Activation::Test };
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
