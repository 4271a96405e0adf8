//! `check`'s evaluations: each machine as on hardware and as a VM, in
//! parallel, each nix error mapped onto the user's files (`crate::check`),
//! one report per file.

use super::build;
use super::source::Source;
use super::Progress;
use crate::check::{self, Context, Finding, Variant};
use crate::lint::diagnostic::FileReport;
use crate::nix::message::parse_stderr;
use crate::nix::{Nix, NixError};
use anyhow::Context as _;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What to evaluate for a machine's variant: a function of the source's
/// configurations of that variant.
fn evaluation(machine: &str, variant: Variant) -> String {
    let name = crate::nixstr::attr_name(machine);
    match variant {
        Variant::Hardware => format!("cs: cs.{name}.config.system.build.toplevel.drvPath"),
        Variant::Vm => format!("cs: cs.{name}.config.virtualisation.vmVariant.system.build.toplevel.drvPath"),
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

/// What `check` found.
pub struct Checked {
    /// The machines evaluated.
    pub machines: Vec<String>,
    /// Those whose evaluation failed.
    pub failed: Vec<String>,
    /// One report per file; findings Nix placed in no user file go under
    /// `(machine M)`.
    pub reports: Vec<FileReport>,
}

/// Evaluate `named` machines (all when empty) on hardware and as VMs.
pub fn check(nix: &Nix, source: &Source, named: &[String], progress: &dyn Progress) -> anyhow::Result<Checked> {
    let all = build::list_machines(nix, source)?;
    source.check_known(named, &all)?;
    let machines = if named.is_empty() { all } else { named.to_vec() };
    let store_source = source.store_source(nix)?;
    let hardware = source.configurations(nix, Variant::Hardware)?;
    let vms = source.configurations(nix, Variant::Vm)?;
    let jobs: Vec<(String, Variant)> =
        machines.iter().flat_map(|m| [(m.clone(), Variant::Hardware), (m.clone(), Variant::Vm)]).collect();
    let total = jobs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let say = |n: usize| {
        let count = match machines.len() {
            1 => "1 machine".to_string(),
            n => format!("{n} machines"),
        };
        progress.status(&format!("evaluating {count}, on hardware and as a VM ({n}/{total} done)"))
    };
    say(0);
    let results: Vec<(String, Variant, Result<(), NixError>)> = jobs
        .into_par_iter()
        .map(|(m, v)| {
            let r = nix
                .eval_logged(source.dir(), if v == Variant::Hardware { &hardware } else { &vms }, &evaluation(&m, v))
                .map(|_| ());
            say(done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1);
            (m, v, r)
        })
        .collect();
    progress.finish();

    // Each user file is read once, however many findings it has, from the
    // flake's source as nix evaluated it.
    let cache = std::cell::RefCell::new(BTreeMap::<String, Option<String>>::new());
    let read = |rel: &str| {
        let file = std::path::Path::new(&store_source).join(rel);
        cache.borrow_mut().entry(rel.to_string()).or_insert_with(|| crate::files::read_text(&file)).clone()
    };
    let mut findings: Vec<Finding> = vec![];
    let mut failed: Vec<String> = vec![];
    for (machine, variant, result) in &results {
        let stderr = match result {
            Ok(()) => continue,
            Err(NixError::Rejected(stderr)) => stderr,
            Err(e) => return Err(anyhow::anyhow!("{e}")).context(format!("cannot evaluate {machine}")),
        };
        if !failed.contains(machine) {
            failed.push(machine.clone());
        }
        let cx = Context { machine, variant: *variant, source: &store_source, read: &read };
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

    let mut by_file: BTreeMap<String, (String, Vec<crate::lint::Diagnostic>)> = BTreeMap::new();
    for f in findings {
        let (name, text) = match &f.file {
            Some(rel) => (rel.clone(), read(rel).unwrap_or_default()),
            None => (format!("(machine {})", f.diagnostic.machine.as_deref().unwrap_or("?")), String::new()),
        };
        by_file.entry(name).or_insert_with(|| (text, vec![])).1.push(f.diagnostic);
    }
    let reports =
        by_file.into_iter().map(|(name, (text, diagnostics))| FileReport { name, text, diagnostics }).collect();
    Ok(Checked { machines, failed, reports })
}
