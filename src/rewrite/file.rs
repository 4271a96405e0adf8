//! What `lint` does with one file's text: its findings, and when fixing,
//! the fixes applied and refused, the text to write back, or (a dry run)
//! the unified diff. Pure: the caller reads and writes.

use crate::lint::diagnostic::FileReport;
use crate::lint::LintOptions;
use serde::Serialize;

/// How far `lint` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Findings only.
    Report,
    /// Fix, and write the result.
    Fix,
    /// Fix, show the diff, write nothing.
    DryRun,
}

/// What `--fix`/`--dry-run` did to one file.
#[derive(Serialize, Clone, Debug)]
pub struct FileFixes {
    pub file: String,
    pub applied: Vec<String>,
    pub refused: Vec<String>,
    /// A unified diff, for `--dry-run`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// One file linted (and fixed).
pub struct Linted {
    /// The findings: in the file as it is, or (fixed) as it is written.
    pub report: FileReport,
    pub fixes: Option<FileFixes>,
    /// The fixed text, to write back.
    pub write: Option<String>,
    /// What the machine pass needs of the file, when lint gathered it.
    pub facts: Option<crate::lint::machines::Facts>,
}

/// Lint the text of the file `name`, fixing it as `mode` says.
pub fn lint_file(name: String, text: String, options: &LintOptions, mode: Mode) -> Linted {
    if mode == Mode::Report {
        let (diagnostics, facts) = crate::lint::lint_text_with_facts(&text, options);
        return Linted { report: FileReport::new(name, text, diagnostics), fixes: None, write: None, facts };
    }
    let outcome = super::engine::fix_text(&text, options);
    let changed = outcome.changed(&text);
    let dry_run = mode == Mode::DryRun;
    let fixes = FileFixes {
        file: name.clone(),
        applied: outcome.applied,
        refused: outcome.refused,
        diff: (dry_run && changed).then(|| unified_diff(&name, &text, &outcome.text)),
    };
    // A dry run reports on the file as it is; a fix on the file as written.
    let (report, write) = if dry_run {
        (FileReport::new(name, text, outcome.found), None)
    } else {
        let write = changed.then(|| outcome.text.clone());
        (FileReport::new(name, outcome.text, outcome.remaining), write)
    };
    Linted { report, fixes: Some(fixes), write, facts: None }
}

/// A unified diff of one file, with its name in the headers.
pub fn unified_diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
