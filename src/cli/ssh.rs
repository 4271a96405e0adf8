//! `nixvm ssh` and `nixvm deploy`: log into a running machine with the
//! project's key; update it in place.

use super::flags::{self, NixFlags};
use super::Status;
use crate::machines::ssh;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct SshArgs {
    /// The machine to log into (as root).
    machine: String,
    /// The project directory (default: the one containing the current directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// A command to run instead of a login shell, after `--`.
    #[arg(last = true)]
    command: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    /// The running machine to update.
    machine: String,
    /// The project directory (default: the one containing the current directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    #[command(flatten)]
    nix: NixFlags,
}

pub fn ssh(args: SshArgs) -> anyhow::Result<ExitCode> {
    let source = flags::source(args.dir.as_deref())?;
    Err(ssh::ssh(&source, &args.machine, &args.command))
}

pub fn deploy(args: DeployArgs) -> anyhow::Result<Status> {
    let source = flags::source(args.dir.as_deref())?;
    let nix = args.nix.nix()?;
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
