//! The flags every command that calls nix passes through, and where a
//! command's machines come from.

use super::progress::Reporter;
use crate::machines::Source;
use crate::nix::{Flags, Nix};
use std::path::PathBuf;

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
    /// Print each nix command before running it (to run the same without nixvm).
    #[arg(short = 'v', long)]
    verbose: bool,
    /// Override a flake input (repeatable).
    #[arg(long = "override-input", num_args = 2, value_names = ["INPUT", "REF"], action = clap::ArgAction::Append)]
    override_inputs: Vec<String>,
}

impl NixFlags {
    /// How to show progress: `quiet` when the command's output is JSON.
    pub fn reporter(&self, quiet: bool) -> Reporter {
        Reporter::new(quiet, self.print_build_logs)
    }

    /// The `nix` for a command that asks it only sometimes (which names are
    /// machines), or why there is none, said when it is needed.
    pub fn nix_or_why(&self, source: &Source) -> Result<Nix, String> {
        self.nix(source).map_err(|e| format!("{e:#}"))
    }

    /// The `nix` on PATH, called with these flags as `source` needs them.
    pub fn nix(&self, source: &Source) -> anyhow::Result<Nix> {
        let flags = Flags {
            show_trace: self.show_trace,
            print_build_logs: self.print_build_logs,
            impure: self.impure,
            offline: self.offline,
            builders: self.builders.clone(),
            options: pairs(&self.options),
            override_inputs: pairs(&self.override_inputs),
            no_write_lock_file: false,
        };
        Ok(Nix::find()?.with_flags(source.nix_flags(flags)).with_echo(self.verbose))
    }
}

// How many machines to evaluate at once. (Not a doc comment, as for
// ForwardFlags below.)
#[derive(clap::Args, Debug, Clone, Default)]
pub struct EvalFlags {
    /// Machines to evaluate at once, each in a nix process of its own (default: as many as there are
    /// cores and as fit in the memory available).
    #[arg(long, value_name = "N", alias = "jobs", value_parser = clap::value_parser!(u16).range(1..))]
    eval_jobs: Option<u16>,
}

impl EvalFlags {
    pub fn jobs(&self) -> Option<usize> {
        self.eval_jobs.map(usize::from)
    }
}

// Ports forwarded into a VM, beside ssh. (Not a doc comment: clap would
// make it the description of each command that flattens these flags, its
// commands being built lazily.)
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ForwardFlags {
    /// Forward [ADDR:]HOST_PORT:GUEST_PORT[/udp] into the VM (repeatable); ADDR defaults to 127.0.0.1.
    #[arg(long = "forward", value_name = "SPEC")]
    forwards: Vec<String>,
    /// Let --forward bind an address other people can reach (not loopback).
    #[arg(long)]
    expose: bool,
}

impl ForwardFlags {
    /// The forwards, read; one on a non-loopback address only with
    /// `--expose`, and then with a warning.
    pub fn forwards(&self) -> anyhow::Result<Vec<crate::runtime::Forward>> {
        let mut out = vec![];
        for spec in &self.forwards {
            let f = crate::runtime::Forward::parse(spec)?;
            if !f.is_loopback() {
                if !self.expose {
                    anyhow::bail!(
                        "--forward {spec} binds {}, which other machines can reach; pass --expose to mean it, or leave the address out for 127.0.0.1",
                        f.address
                    );
                }
                eprintln!(
                    "warning: port {} of {} reaches the VM's port {} from other machines",
                    f.host_port, f.address, f.guest_port
                );
            }
            out.push(f);
        }
        Ok(out)
    }
}

/// A flag given as `--flag NAME VALUE` (repeatable), as pairs.
pub fn pairs(v: &[String]) -> Vec<(String, String)> {
    v.chunks(2).map(|c| (c[0].clone(), c.get(1).cloned().unwrap_or_default())).collect()
}

// Where a command's machines are. (Not a doc comment: see ForwardFlags.)
#[derive(clap::Args, Debug, Clone, Default)]
pub struct At {
    /// Where to look for the project or flake (default: the current directory, then up).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Use this flake's machines (nixosConfigurations or a colmena hive): a directory, or any flake reference nix accepts (state then stays in --dir).
    #[arg(long, value_name = "REF")]
    flake: Option<String>,
}

impl At {
    /// The machines' source, its warnings said.
    pub fn source(&self) -> anyhow::Result<Source> {
        let source = Source::find(self.dir.as_deref(), self.flake.as_deref())?;
        for w in &source.warnings {
            eprintln!("warning: {w}");
        }
        Ok(source)
    }
}
