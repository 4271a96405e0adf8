//! `nixvm lint`: find what breaks in a VM, optionally fix it.

use super::output::{Format, Status};
use super::report::{self, Totals};
use crate::lint::{LintOptions, Release, Severity};
use crate::rewrite::Mode;
use anyhow::Context as _;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

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
    #[arg(long, value_enum, default_value_t = Threshold::Note, value_name = "SEVERITY")]
    min_severity: Threshold,
    /// Leave the notes out: --min-severity warning.
    #[arg(long, conflicts_with = "min_severity")]
    quiet_notes: bool,
    /// Show every note in full (by default, notes that ask nothing of you
    /// are summed up in one line per machine; the JSON report has them all).
    #[arg(long, conflicts_with = "quiet_notes")]
    notes: bool,
}

/// The least severity shown.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Threshold {
    /// Everything (`info` is read as `note`).
    #[value(alias = "info")]
    Note,
    Warning,
    Error,
}

impl Threshold {
    fn severity(self) -> Severity {
        match self {
            Threshold::Note => Severity::Note,
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
    let mode = match (args.dry_run, args.fix) {
        (true, _) => Mode::DryRun,
        (false, true) => Mode::Fix,
        (false, false) => Mode::Report,
    };
    let crate::linter::Outcome { mut reports, fixes, errors, machines } =
        crate::linter::run(&args.paths, &options, mode, true);
    let least = if args.quiet_notes { Severity::Warning } else { args.min_severity.severity() };
    let before = Totals::of(&reports);
    for r in &mut reports {
        r.diagnostics.retain(|d| d.severity >= least);
    }
    let totals = Totals::of(&reports);
    let hidden = (before.errors + before.warnings + before.notes) - (totals.errors + totals.warnings + totals.notes);
    let stdout = std::io::stdout();
    match args.format {
        Format::Json => {
            let mut lock = stdout.lock();
            writeln!(lock, "{}", report::json(&reports, fixes, &machines, &errors))
                .context("cannot write to stdout")?;
        }
        Format::Human => {
            let color = if stdout.is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
            let mut out = StandardStream::stdout(color);
            report::human_summed(&mut out, &mut reports, args.notes).context("cannot write to stdout")?;
            if args.dry_run {
                let mut lock = stdout.lock();
                for f in fixes.iter().filter_map(|f| f.diff.as_ref()) {
                    write!(lock, "{f}").context("cannot write to stdout")?;
                }
            }
            if mode != Mode::Report {
                for r in
                    reports.iter().filter(|r| r.diagnostics.iter().any(|d| d.code == crate::lint::codes::SYNTAX_ERROR))
                {
                    eprintln!("not fixed: {} does not parse (its error is above); nothing in it was changed", r.name);
                }
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
