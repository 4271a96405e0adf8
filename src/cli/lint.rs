//! `nixvm lint`: find what breaks in a VM, optionally fix it.

use super::output::{Format, Status};
use super::report::{self, FileReport, Totals};
use crate::files::{self, Contents};
use crate::lint::{LintOptions, Release, Severity};
use crate::rewrite::{self, Linted, Mode};
use anyhow::Context as _;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Files or directories (walked for *.nix, respecting .gitignore).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Apply the safe fixes in place (atomically; files that would not parse are left alone).
    #[arg(long)]
    fix: bool,
    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Output: findings for people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Check against the built-in table of this NixOS release (YY.MM or
    /// `unstable`) instead of the pinned nixpkgs' qemu-vm.nix.
    #[arg(long)]
    release: Option<Release>,
    /// Read the conflicts from this nixpkgs source tree's qemu-vm.nix
    /// (default: the nixpkgs flake.lock pins, when it is in the Nix store).
    #[arg(long, value_name = "PATH", conflicts_with = "release")]
    nixpkgs: Option<PathBuf>,
    /// Also check what the NixOS test framework (nixos-build-vms) defines.
    #[arg(long)]
    test_framework: bool,
    /// The system VMs run on (default: this machine's).
    #[arg(long)]
    system: Option<String>,
    /// Show findings of this severity and above only (the exit code is
    /// decided by errors either way).
    #[arg(long, value_enum, default_value_t = Threshold::Info, value_name = "SEVERITY")]
    min_severity: Threshold,
    /// Leave the notes out: --min-severity warning.
    #[arg(long, conflicts_with = "min_severity")]
    quiet_notes: bool,
}

/// The least severity shown.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Threshold {
    Info,
    Warning,
    Error,
}

impl Threshold {
    fn severity(self) -> Severity {
        match self {
            Threshold::Info => Severity::Info,
            Threshold::Warning => Severity::Warning,
            Threshold::Error => Severity::Error,
        }
    }
}

pub fn run(args: LintArgs) -> anyhow::Result<Status> {
    let start = args.paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let chosen = crate::pinned::choose(args.nixpkgs.as_deref(), args.release, args.test_framework, &start)?;
    let release = chosen.table.release.or(args.release).unwrap_or(Release::NEWEST);
    let mut options = LintOptions { release, host_system: crate::lint::host_system(), table: chosen.table };
    if let Some(system) = &args.system {
        options.host_system = system.clone();
    }
    if args.format == Format::Human {
        if let Some(note) = &chosen.note {
            eprintln!("note: {note}");
        } else if options.table.origin_known() {
            eprintln!("conflicts from {}", options.table.source);
        }
    }
    let (paths, mut errors) = files::collect(&args.paths);
    let mode = match (args.dry_run, args.fix) {
        (true, _) => Mode::DryRun,
        (false, true) => Mode::Fix,
        (false, false) => Mode::Report,
    };
    let outcomes: Vec<Result<Linted, String>> = paths.par_iter().map(|p| lint_path(p, &options, mode)).collect();

    let mut reported: Vec<PathBuf> = vec![];
    let mut reports = vec![];
    let mut facts = vec![];
    let mut fixes = vec![];
    for (path, o) in paths.iter().zip(outcomes) {
        let o = match o {
            Ok(o) => o,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if let Some(text) = &o.write {
            if let Err(e) = files::write_atomically(path, text) {
                errors.push(format!("{e:#}"));
            }
        }
        fixes.extend(o.fixes);
        reports.push(o.report);
        facts.push(o.facts);
        reported.push(path.clone());
    }

    // Machine-level findings are decided over each machine's modules; a
    // flake's findings name their machines.
    let absolute: Vec<Option<PathBuf>> = reported.iter().map(|p| crate::files::absolute(p)).collect();
    let flake = crate::files::enclosing_flake(&start)
        .and_then(|dir| Some((crate::files::read_text(&dir.join("flake.nix"))?, dir)));
    let flake = flake.as_ref().map(|(text, dir)| (dir.as_path(), text.as_str()));
    crate::lint::machines::settle(&absolute, &mut reports, &facts, flake, &|p| p.exists());
    let least = if args.quiet_notes { Severity::Warning } else { args.min_severity.severity() };
    let before = Totals::of(&reports);
    for r in &mut reports {
        r.diagnostics.retain(|d| d.severity >= least);
    }
    let totals = Totals::of(&reports);
    let hidden = (before.errors + before.warnings + before.infos) - (totals.errors + totals.warnings + totals.infos);
    let stdout = std::io::stdout();
    match args.format {
        Format::Json => {
            let mut lock = stdout.lock();
            writeln!(lock, "{}", report::json(&reports, fixes)).context("cannot write to stdout")?;
        }
        Format::Human => {
            if args.dry_run {
                let mut lock = stdout.lock();
                for f in fixes.iter().filter_map(|f| f.diff.as_ref()) {
                    write!(lock, "{f}").context("cannot write to stdout")?;
                }
            } else {
                let color = if stdout.is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
                let mut out = StandardStream::stdout(color);
                report::human(&mut out, &reports).context("cannot write to stdout")?;
            }
            for f in &fixes {
                if !f.applied.is_empty() {
                    let verb = if args.dry_run { "would fix" } else { "fixed" };
                    eprintln!("{verb} {} in {}", f.applied.len(), f.file);
                }
                for r in &f.refused {
                    eprintln!("not fixed in {} (the result would not parse): {r}", f.file);
                }
            }
            let shown = report::summary(totals, reports.len());
            match hidden {
                0 => eprintln!("{shown}"),
                n => eprintln!("{shown} ({n} below {least} not shown)"),
            }
        }
    }
    for e in &errors {
        eprintln!("nixvm: {e}");
    }
    Ok(if !errors.is_empty() {
        Status::Failure
    } else if totals.errors > 0 {
        Status::Findings
    } else {
        Status::Clean
    })
}

/// One file as `lint` leaves it: linted (and fixed), or unreadable.
fn lint_path(path: &Path, options: &LintOptions, mode: Mode) -> Result<Linted, String> {
    let name = path.to_string_lossy().into_owned();
    match files::read(path) {
        Ok(Contents::Text(text)) => Ok(rewrite::lint_file(name, text, options, mode)),
        Ok(Contents::Binary { lossy, bad_offset }) => {
            let message = format!("not UTF-8 text (invalid byte at offset {bad_offset}); Nix files must be UTF-8");
            let diagnostics = vec![crate::lint::not_text(lossy.len(), message)];
            Ok(Linted { report: FileReport { name, text: lossy, diagnostics }, fixes: None, write: None, facts: None })
        }
        Err(e) => Err(format!("{e:#}")),
    }
}
