//! `check`'s evaluations: each machine as on hardware and as a VM, in
//! parallel, each nix error mapped onto the user's files (`crate::check`),
//! one report per file.

use super::source::{Both, Source};
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
    format!("cs: {}", drv_path("cs", machine, variant))
}

/// The expression of `machine`'s system derivation in `variant`, where
/// `set` is the variant's configurations.
fn drv_path(set: &str, machine: &str, variant: Variant) -> String {
    let name = crate::nixstr::attr_name(machine);
    match variant {
        Variant::Hardware => format!("{set}.{name}.config.system.build.toplevel.drvPath"),
        Variant::Vm => format!("{set}.{name}.config.virtualisation.vmVariant.system.build.toplevel.drvPath"),
    }
}

/// Both variants of `machine` in one evaluation (see
/// `Source::both_configurations`).
fn both(machine: &str, paths: &Both) -> String {
    format!(
        "root: {{ hardware = {}; vm = {}; }}",
        drv_path(&format!("root{}", paths.hardware), machine, Variant::Hardware),
        drv_path(&format!("root{}", paths.vm), machine, Variant::Vm)
    )
}

/// A machine's variant and how its evaluation went.
type Evaluated = (String, Variant, Result<(), NixError>);

/// Memory one machine's evaluation may take: a real NixOS system takes
/// 0.5-1.5 GB, and its VM variant is a second whole evaluation of it.
pub const MEMORY_PER_EVALUATION: u64 = 3 << 30;

/// Findings with the same place and code are one (the hardware and VM
/// evaluations often fail on the same line).
fn same(a: &Finding, b: &Finding) -> bool {
    a.file == b.file
        && a.diagnostic.span == b.diagnostic.span
        && a.diagnostic.code == b.diagnostic.code
        && a.diagnostic.machines == b.diagnostic.machines
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

/// Evaluate `named` machines (all when empty) on hardware and as VMs, at
/// most `jobs` evaluations at once (see `eval::parallel_evaluations`).
pub fn check(
    nix: &Nix,
    source: &Source,
    named: &[String],
    jobs: Option<usize>,
    progress: &dyn Progress,
) -> anyhow::Result<Checked> {
    let all = super::known::list_machines(nix, source)?;
    source.check_known(named, &all)?;
    let machines = if named.is_empty() { all } else { named.to_vec() };
    let store_source = source.store_source(nix)?;
    let made = source.installables(nix)?;
    let paths = made.both();
    let (hardware, vms) = (made.configurations(Variant::Hardware), made.configurations(Variant::Vm));
    let jobs = super::eval::jobs_here(jobs, machines.len(), MEMORY_PER_EVALUATION);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().context("cannot start the evaluations")?;
    let total = machines.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let say = |n: usize| {
        let count = match total {
            1 => "1 machine".to_string(),
            n => format!("{n} machines"),
        };
        progress.status(&format!("evaluating {count}, on hardware and as a VM ({n}/{total} done)"))
    };
    say(0);
    // One evaluation per machine yields both variants; only when it fails
    // is each variant evaluated alone, for its own error (Nix stops at the
    // first one, and cannot catch an error and go on with its message).
    let results: Vec<Vec<Evaluated>> = pool.install(|| {
        machines
            .par_iter()
            .map(|m| {
                let found = match nix.eval_logged(source.dir(), &paths.installable, &both(m, &paths)) {
                    Ok(_) => vec![],
                    Err(NixError::Rejected(_)) => [(Variant::Hardware, &hardware), (Variant::Vm, &vms)]
                        .into_iter()
                        .map(|(v, set)| {
                            (m.clone(), v, nix.eval_logged(source.dir(), set, &evaluation(m, v)).map(|_| ()))
                        })
                        .collect(),
                    Err(e) => vec![(m.clone(), Variant::Hardware, Err(e))],
                };
                say(done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1);
                found
            })
            .collect()
    });
    progress.finish();
    let results: Vec<Evaluated> = results.into_iter().flatten().collect();

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
        // A file of the user's that is untracked or missing: the same
        // explanation `build` gives, at the import when it is found.
        if let Some(e) = messages.iter().find_map(|m| source.explanation(&m.text)) {
            let (file, span) = match &e.at {
                Some(at) => (Some(at.file.display().to_string()), at.span),
                None => (None, crate::text::Span::new(0, 0)),
            };
            let mut d = crate::lint::Diagnostic::new(&crate::check::EvalError::META, span, e.message).help(e.help);
            d.machines = vec![machine.clone()];
            let f = Finding { file, diagnostic: d };
            if !findings.iter().any(|g| same(g, &f)) {
                findings.push(f);
            }
            continue;
        }
        for m in &messages {
            for f in check::diagnose(&cx, m) {
                if !findings.iter().any(|g| same(g, &f)) {
                    findings.push(f);
                }
            }
        }
    }

    // In flake mode nixvm's module resolves some conflicts for its VMs;
    // the machine's own VM (`nixos-rebuild build-vm`) would still hit them:
    // said, as lint says them, so that lint, check and plain Nix agree.
    for o in source.resolved_conflicts(nix)? {
        let Some((file, span)) = o.at else { continue };
        let option = o.option.join(".");
        let mut d = crate::lint::Diagnostic::new(
            &check::EvalConflict::META,
            span,
            format!(
                "`{option}` conflicts with qemu-vm.nix's `{}`: the machine's own VM (`nixos-rebuild build-vm`, `system.build.vm`) fails to evaluate; nixvm's VMs force qemu-vm.nix's value",
                o.value
            ),
        )
        .help("`nixvm lint --fix` wraps yours in `lib.mkDefault`: the hardware keeps its value and the machine's own VM evaluates too")
        .option(option);
        d.severity = crate::lint::Severity::Note;
        let f = Finding { file: Some(file), diagnostic: d };
        if !findings.iter().any(|g| same(g, &f)) {
            findings.push(f);
        }
    }

    let mut by_file: BTreeMap<String, (String, Vec<crate::lint::Diagnostic>)> = BTreeMap::new();
    for f in findings {
        let (name, text) = match &f.file {
            Some(rel) => (rel.clone(), read(rel).unwrap_or_default()),
            None => (format!("(machine {})", f.diagnostic.machines.first().map_or("?", String::as_str)), String::new()),
        };
        by_file.entry(name).or_insert_with(|| (text, vec![])).1.push(f.diagnostic);
    }
    let reports =
        by_file.into_iter().map(|(name, (text, diagnostics))| FileReport::new(name, text, diagnostics)).collect();
    Ok(Checked { machines, failed, reports })
}
