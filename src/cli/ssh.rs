//! `nixvm ssh` and `nixvm deploy`: log into a running machine with the
//! project's key; update it in place.

use super::flags::{At, NixFlags};
use super::output::Status;
use crate::machines::ssh;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct SshArgs {
    /// The machine to log into (as root).
    machine: String,
    #[command(flatten)]
    at: At,
    /// A command to run instead of a login shell, after `--`.
    #[arg(last = true)]
    command: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    /// The running machine to update.
    machine: String,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

pub fn ssh(args: SshArgs) -> anyhow::Result<ExitCode> {
    let source = args.at.source()?;
    Err(ssh::ssh(&source, &args.machine, &args.command))
}

pub fn deploy(args: DeployArgs) -> anyhow::Result<Status> {
    let source = args.at.source()?;
    let nix = args.nix.nix(&source)?;
    let reporter = args.nix.reporter(false);
    let machine = &args.machine;
    let d = ssh::deploy(&nix, &source, machine, &reporter, &mut |line| println!("{line}"))?;
    let system = d.system.display();
    match d.previous {
        Some(p) if p == d.system => println!("{machine}: already ran {system}; switched again"),
        Some(p) => println!("{machine}: switched from {} to {system}", p.display()),
        None => println!("{machine}: switched to {system}"),
    }
    Ok(Status::Clean)
}
