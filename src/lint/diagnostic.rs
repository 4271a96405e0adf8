//! Diagnostics: what a lint reports, where, and the fix it offers.

use crate::text::{Edit, Span};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A finding's code: the constant its lint (or `check`'s code) declares
/// (`declare_lint!`), compared as such and never as a string literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Code(&'static str);

impl Code {
    /// Only `declare_lint!` names codes.
    #[doc(hidden)]
    pub const fn declared(code: &'static str) -> Code {
        Code(code)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.0)
    }
}

/// A set of edits that resolves one diagnostic; applied whole or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub span: Span,
    /// What is wrong, as the lint found it in the file.
    pub message: String,
    /// What makes the finding uncertain, each said once (the machine pass
    /// adds them: a module it cannot read, a condition): shown after the
    /// message, and the finding is then a note.
    pub caveats: Vec<String>,
    pub help: Option<String>,
    /// The dotted option path, for option-related codes.
    pub option: Option<String>,
    /// The machines it is about: a network file's machine whose module
    /// this is, or the machines the machine pass found lacking (a flake's
    /// names, or the entry file of a machine no file names).
    pub machines: Vec<String>,
    pub fix: Option<Fix>,
    /// A fix for nixvm's own copies of the file (`init`), never applied to
    /// the user's file in place: it would change what the real machine
    /// gets (dropping `hardware-configuration.nix` drops its file systems).
    pub copy_fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(meta: &super::Meta, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code: meta.code,
            severity: meta.severity,
            span,
            message: message.into(),
            help: None,
            option: None,
            caveats: vec![],
            machines: vec![],
            fix: None,
            copy_fix: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn option(mut self, option: impl Into<String>) -> Self {
        self.option = Some(option.into());
        self
    }

    /// About this machine of a network file (none: about the file's).
    pub fn machine(mut self, machine: Option<&String>) -> Self {
        self.machines = machine.cloned().into_iter().collect();
        self
    }

    /// Add what makes the finding uncertain (once), which makes it a note.
    pub fn add_caveat(&mut self, caveat: impl Into<String>) {
        let caveat = caveat.into();
        self.severity = self.severity.min(Severity::Note);
        if !self.caveats.contains(&caveat) {
            self.caveats.push(caveat);
        }
    }

    /// The message with its caveats, as shown.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        if self.caveats.is_empty() {
            std::borrow::Cow::Borrowed(&self.message)
        } else {
            std::borrow::Cow::Owned(format!("{}; {}", self.message, self.caveats.join("; ")))
        }
    }

    pub fn fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    pub fn copy_fix(mut self, fix: Option<Fix>) -> Self {
        self.copy_fix = fix;
        self
    }
}

/// One file's findings, with what is needed to locate them (its name as
/// shown, and its text for line numbers and snippets).
#[derive(Debug, Clone)]
pub struct FileReport {
    pub name: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The machines whose modules include the file, as the machine pass
    /// found them (none before it, or outside every machine).
    pub machines: Vec<String>,
}

impl FileReport {
    pub fn new(name: String, text: String, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport { name, text, diagnostics, machines: vec![] }
    }
}

/// Counts by severity, for the summary and the exit code.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub fixable: usize,
}

impl Totals {
    pub fn of(reports: &[FileReport]) -> Totals {
        let mut t = Totals::default();
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Note => t.notes += 1,
            }
            t.fixable += usize::from(d.fix.is_some());
        }
        t
    }
}
