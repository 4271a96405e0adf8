//! `nixvm lint`: find what breaks in a VM, optionally fix it.

use super::report::{self, FileFixes, FileReport, Totals};
use super::{Format, Status};
use crate::files::{self, Contents};
use crate::lint::{LintOptions, Release};
use crate::rewrite;
use anyhow::Context as _;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use rayon::prelude::*;
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
}

/// One file after linting (and fixing).
struct Outcome {
    /// The file as given (not its display name, which may be lossy).
    path: PathBuf,
    report: FileReport,
    fixes: Option<FileFixes>,
    /// The fixed text, to write.
    write: Option<String>,
    error: Option<String>,
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
    let fixing = args.fix || args.dry_run;
    let outcomes: Vec<Outcome> = paths.par_iter().map(|p| lint_file(p, &options, fixing, args.dry_run)).collect();

    let mut reports = vec![];
    let mut fixes = vec![];
    for o in outcomes {
        if let Some(e) = o.error {
            errors.push(e);
            continue;
        }
        if let Some(text) = &o.write {
            if let Err(e) = files::write_atomically(&o.path, text) {
                errors.push(format!("{e:#}"));
            }
        }
        fixes.extend(o.fixes);
        reports.push(o.report);
    }

    let totals = Totals::of(&reports);
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
            eprintln!("{}", report::summary(totals, reports.len()));
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

fn lint_file(path: &std::path::Path, options: &LintOptions, fixing: bool, dry_run: bool) -> Outcome {
    let name = path.to_string_lossy().into_owned();
    let text = match files::read(path) {
        Ok(Contents::Text(text)) => text,
        Ok(Contents::Binary { lossy, bad_offset }) => {
            let at = lossy.len();
            let message = format!("not UTF-8 text (invalid byte at offset {bad_offset}); Nix files must be UTF-8");
            let d = crate::lint::not_text(at, message);
            return Outcome {
                path: path.to_path_buf(),
                report: FileReport { name, text: lossy, diagnostics: vec![d] },
                fixes: None,
                write: None,
                error: None,
            };
        }
        Err(e) => {
            return Outcome {
                path: path.to_path_buf(),
                report: FileReport { name, text: String::new(), diagnostics: vec![] },
                fixes: None,
                write: None,
                error: Some(format!("{e:#}")),
            }
        }
    };
    if !fixing {
        let diagnostics = crate::lint::lint_text(&text, options);
        return Outcome {
            path: path.to_path_buf(),
            report: FileReport { name, text, diagnostics },
            fixes: None,
            write: None,
            error: None,
        };
    }
    let outcome = rewrite::fix_text(&text, options);
    let changed = outcome.changed(&text);
    let fixes = FileFixes {
        file: name.clone(),
        applied: outcome.applied,
        refused: outcome.refused,
        diff: (dry_run && changed).then(|| report::unified_diff(&name, &text, &outcome.text)),
    };
    // A dry run reports on the file as it is; a fix on the file as written.
    let report = if dry_run {
        FileReport { name, text, diagnostics: outcome.found }
    } else {
        FileReport { name, text: outcome.text.clone(), diagnostics: outcome.remaining }
    };
    Outcome {
        path: path.to_path_buf(),
        report,
        fixes: Some(fixes),
        write: (changed && !dry_run).then_some(outcome.text),
        error: None,
    }
}
