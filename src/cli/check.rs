//! `nixvm check`: evaluate each machine as on hardware and as a VM with
//! the real `nix`, and report what Nix says on the user's own files.

use super::report::{self, FileReport};
use super::vm::{self, NixFlags};
use super::{Format, Status};
use crate::check::{self, Context, Finding, Variant};
use crate::nix::message::parse_stderr;
use crate::nix::NixError;
use anyhow::Context as _;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Machines to check (default: all).
    machines: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[arg(long)]
    dir: Option<PathBuf>,
    #[command(flatten)]
    nix: NixFlags,
}

/// What to evaluate for a machine's variant.
fn installable(machine: &str, variant: Variant) -> String {
    match variant {
        Variant::Hardware => format!(".#nixosConfigurations.{machine}.config.system.build.toplevel.drvPath"),
        Variant::Vm => {
            format!(".#nixosConfigurations.{machine}.config.virtualisation.vmVariant.system.build.toplevel.drvPath")
        }
    }
}

/// Findings with the same place and code are one (the hardware and VM
/// evaluations often fail on the same line).
fn same(a: &Finding, b: &Finding) -> bool {
    a.file == b.file
        && a.diagnostic.span == b.diagnostic.span
        && a.diagnostic.code == b.diagnostic.code
        && a.diagnostic.machine == b.diagnostic.machine
        && (a.file.is_some()
            || a.diagnostic.message.replace(" in the VM", "") == b.diagnostic.message.replace(" in the VM", ""))
}

pub fn run(args: CheckArgs) -> anyhow::Result<Status> {
    let project = vm::find_project(args.dir.as_deref())?;
    let nix = vm::nix(&args.nix)?;
    let all = vm::list_machines(&nix, &project)?;
    vm::check_known(&args.machines, &all)?;
    let machines = if args.machines.is_empty() { all } else { args.machines.clone() };
    let source = nix.flake_source(&project)?;
    let jobs: Vec<(String, Variant)> =
        machines.iter().flat_map(|m| [(m.clone(), Variant::Hardware), (m.clone(), Variant::Vm)]).collect();
    let reporter = args.nix.reporter(args.format == Format::Json);
    let total = jobs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let say = |n: usize| {
        let count = match machines.len() {
            1 => "1 machine".to_string(),
            n => format!("{n} machines"),
        };
        reporter.status(&format!("evaluating {count}, on hardware and as a VM ({n}/{total} done)"))
    };
    say(0);
    let results: Vec<(String, Variant, Result<(), NixError>)> = jobs
        .into_par_iter()
        .map(|(m, v)| {
            let r = nix.eval_logged(&project, &installable(&m, v)).map(|_| ());
            say(done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1);
            (m, v, r)
        })
        .collect();
    reporter.finish();

    // Each project file is read once, however many findings it has.
    let cache = std::cell::RefCell::new(BTreeMap::<String, Option<String>>::new());
    let read = |rel: &str| {
        cache
            .borrow_mut()
            .entry(rel.to_string())
            .or_insert_with(|| std::fs::read_to_string(project.join(rel)).ok())
            .clone()
    };
    let mut findings: Vec<Finding> = vec![];
    let mut failed: Vec<&str> = vec![];
    for (machine, variant, result) in &results {
        let stderr = match result {
            Ok(()) => continue,
            Err(NixError::Rejected(stderr)) => stderr,
            Err(e) => return Err(anyhow::anyhow!("{e}")).context(format!("cannot evaluate {machine}")),
        };
        if !failed.contains(&machine.as_str()) {
            failed.push(machine);
        }
        let cx = Context { machine, variant: *variant, source: &source, read: &read };
        let mut messages = parse_stderr(stderr);
        if messages.is_empty() {
            messages.push(crate::nix::message::parse_message(stderr));
        }
        for m in &messages {
            for f in check::diagnose(&cx, m) {
                if !findings.iter().any(|g| same(g, &f)) {
                    findings.push(f);
                }
            }
        }
    }

    // One report per file; findings Nix placed in no project file go under
    // the machine's name.
    let mut by_file: BTreeMap<String, (String, Vec<crate::lint::Diagnostic>)> = BTreeMap::new();
    for f in findings {
        let (name, text) = match &f.file {
            Some(rel) => (rel.clone(), read(rel).unwrap_or_default()),
            None => (format!("(machine {})", f.diagnostic.machine.as_deref().unwrap_or("?")), String::new()),
        };
        by_file.entry(name).or_insert_with(|| (text, vec![])).1.push(f.diagnostic);
    }
    let reports: Vec<FileReport> =
        by_file.into_iter().map(|(name, (text, diagnostics))| FileReport { name, text, diagnostics }).collect();
    match args.format {
        Format::Json => println!("{}", report::json(&reports, vec![])),
        Format::Human => {
            let color = if std::io::stdout().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
            report::human(&mut StandardStream::stdout(color), &reports).context("cannot write to stdout")?;
            eprintln!("checked {} machine(s) as on hardware and as VMs: {}", machines.len(), summary(&failed));
        }
    }
    Ok(if failed.is_empty() { Status::Clean } else { Status::Findings })
}

fn summary(failed: &[&str]) -> String {
    if failed.is_empty() {
        "all evaluate".into()
    } else {
        format!("{} failed", failed.join(", "))
    }
}
