//! `nixvm check`: evaluate each machine as on hardware and as a VM with
//! the real `nix`, and report what Nix says on the user's own files.

use super::flags::{At, NixFlags};
use super::output::{Format, Status};
use super::report;
use anyhow::Context as _;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use std::io::IsTerminal;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Machines to check (default: all).
    machines: Vec<String>,
    #[command(flatten)]
    eval: super::flags::EvalFlags,
    /// Output: findings for people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

pub fn run(args: CheckArgs) -> anyhow::Result<Status> {
    let source = args.at.source()?;
    let nix = args.nix.nix(&source)?;
    let reporter = args.nix.reporter(args.format == Format::Json);
    let checked = crate::machines::check::check(&nix, &source, &args.machines, args.eval.jobs(), &reporter)?;
    match args.format {
        Format::Json => outln!("{}", report::json(&checked.reports, vec![], &[], &[])),
        Format::Human => {
            let color = if std::io::stdout().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
            report::human(&mut StandardStream::stdout(color), &checked.reports).context("cannot write to stdout")?;
            let summary = match checked.failed.as_slice() {
                [] => "all evaluate".to_string(),
                failed => format!("{} failed", failed.join(", ")),
            };
            eprintln!("checked {} machine(s) as on hardware and as VMs: {summary}", checked.machines.len());
        }
    }
    Ok(if checked.failed.is_empty() { Status::Clean } else { Status::Findings })
}
