//! `nixvm lint`'s whole run over the user's files: walking the paths,
//! reading each file, linting it (in parallel) and fixing it as asked,
//! writing the fixes atomically, then the machine-level pass over every
//! file with the enclosing flake's machines. What is printed, and how the
//! command exits, is the `cli`'s.

use crate::files::{self, Contents};
use crate::lint::diagnostic::FileReport;
use crate::lint::LintOptions;
use crate::rewrite::{self, FileFixes, Linted, Mode};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// A file linted (or not), with its absolute path.
type Done = (Result<Linted, String>, Option<PathBuf>);

/// What a lint run found and did.
pub struct Outcome {
    /// One report per file read (in the order walked).
    pub reports: Vec<FileReport>,
    /// What `--fix`/`--dry-run` did, per file changed or refused.
    pub fixes: Vec<FileFixes>,
    /// Paths that could not be read or written, said as they failed.
    pub errors: Vec<PathError>,
    /// The machines the machine pass saw (with `machine_pass`).
    pub machines: Vec<crate::lint::machines::MachineSummary>,
}

/// A path lint could not read (or write), and what went wrong (a message
/// that names the path).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PathError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl PathError {
    fn new(path: &Path, message: impl Into<String>) -> PathError {
        PathError { path: path.display().to_string(), message: message.into() }
    }
}

/// Lint `paths` (files, or directories walked for `*.nix`): fixed and
/// written as `mode` says; `machine_pass` decides the machine-level
/// findings over each machine's modules (the flake around the first path
/// names its machines).
pub fn run(paths: &[PathBuf], options: &LintOptions, mode: Mode, machine_pass: bool) -> Outcome {
    let start = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    // Each file is linted as soon as the walk meets it, in parallel, with
    // its absolute path (for the machine pass); the outcomes are then taken
    // in the walk's sorted order.
    let resolver = machine_pass.then(|| files::Resolver::new(paths));
    let done: Mutex<Vec<Option<Done>>> = Mutex::new(vec![]);
    let (files, unreadable) = rayon::scope(|scope| {
        files::walk(paths, |met, path| {
            let (path, done, resolver) = (path.to_path_buf(), &done, &resolver);
            scope.spawn(move |_| {
                let outcome = (lint_path(&path, options, mode), resolver.as_ref().and_then(|r| r.absolute(&path)));
                let mut done = done.lock().unwrap_or_else(PoisonError::into_inner);
                if done.len() <= met {
                    done.resize_with(met + 1, || None);
                }
                done[met] = Some(outcome);
            });
        })
    });
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    let mut errors: Vec<PathError> =
        unreadable.iter().map(|(p, m)| PathError::new(p, format!("{}: {m}", p.display()))).collect();
    let mut absolute: Vec<Option<PathBuf>> = vec![];
    let mut reports = vec![];
    let mut facts = vec![];
    let mut fixes = vec![];
    let outcomes = files.into_iter().filter_map(|(met, path)| Some((path, done.get_mut(met)?.take()?)));
    for (path, (o, abs)) in outcomes {
        let o = match o {
            Ok(o) => o,
            Err(e) => {
                errors.push(PathError::new(&path, e));
                continue;
            }
        };
        if let Some(text) = &o.write {
            if let Err(e) = files::write_atomically(&path, text) {
                errors.push(PathError::new(&path, format!("{e:#}")));
            }
        }
        fixes.extend(o.fixes);
        reports.push(o.report);
        facts.push(o.facts);
        absolute.push(abs);
    }
    let mut machines = vec![];
    if machine_pass {
        // Machine-level findings are decided over each machine's modules;
        // a flake's findings name their machines.
        let flake =
            files::enclosing_flake(&start).and_then(|dir| Some((files::read_text(&dir.join("flake.nix"))?, dir)));
        let flake = flake.as_ref().map(|(text, dir)| (dir.as_path(), text.as_str()));
        machines = crate::lint::machines::settle(&absolute, &mut reports, facts, flake, &|p| p.exists());
    }
    Outcome { reports, fixes, errors, machines }
}

/// One file as `lint` leaves it: linted (and fixed), or unreadable.
fn lint_path(path: &Path, options: &LintOptions, mode: Mode) -> Result<Linted, String> {
    let name = path.to_string_lossy().into_owned();
    match files::read(path) {
        Ok(Contents::Text(text)) => Ok(rewrite::lint_file(name, text, options, mode)),
        Ok(Contents::Binary { lossy, bad_offset }) => {
            let message = format!("not UTF-8 text (invalid byte at offset {bad_offset}); Nix files must be UTF-8");
            let diagnostics = vec![crate::lint::not_text(lossy.len(), message)];
            Ok(Linted { report: FileReport::new(name, lossy, diagnostics), fixes: None, write: None, facts: None })
        }
        Err(e) => Err(format!("{e:#}")),
    }
}
