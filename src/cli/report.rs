//! Rendering diagnostics: rustc-like text with the source line and a caret,
//! or one JSON document.

pub use crate::lint::diagnostic::{FileReport, Totals};
use crate::lint::Severity;
pub use crate::rewrite::FileFixes;
use crate::text::{LineIndex, Position, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

pub fn human(out: &mut dyn WriteColor, reports: &[FileReport]) -> std::io::Result<()> {
    let config = term::Config::default();
    for r in reports {
        let file = SimpleFile::new(r.name.as_str(), r.text.as_str());
        for d in &r.diagnostics {
            let severity = match d.severity {
                Severity::Error => cs::Severity::Error,
                Severity::Warning => cs::Severity::Warning,
                Severity::Note => cs::Severity::Note,
            };
            let mut notes = vec![];
            match d.machines.as_slice() {
                [] => {}
                [one] => notes.push(format!("machine: {one}")),
                more => notes.push(format!("machines: {}", more.join(", "))),
            }
            if let Some(help) = &d.help {
                notes.push(format!("help: {help}"));
            }
            if let Some(fix) = &d.fix {
                notes.push(format!("fix: {} (nixvm lint --fix)", fix.description));
            }
            // An empty file has nothing to underline: say where it is.
            if r.text.is_empty() && !r.name.starts_with('(') {
                notes.insert(0, format!("in {}:1:1 (the file is empty)", r.name));
            }
            // No text (Nix named no file of the project): no snippet to show.
            let labels =
                if r.text.is_empty() { vec![] } else { vec![cs::Label::primary((), char_range(&r.text, d.span))] };
            let diag = cs::Diagnostic::new(severity)
                .with_code(d.code.as_str())
                .with_message(d.text())
                .with_labels(labels)
                .with_notes(notes);
            term::emit(out, &config, &file, &diag).map_err(std::io::Error::other)?;
        }
    }
    Ok(())
}

/// The human report of a lint run: every finding in full, except the notes
/// that ask nothing of the user, summed up a line per machine (unless
/// `all_notes`).
pub fn human_summed(out: &mut dyn WriteColor, reports: &mut [FileReport], all_notes: bool) -> std::io::Result<()> {
    let summed = if all_notes { vec![] } else { crate::lint::summary::fold(reports) };
    human(out, reports)?;
    summed_notes(out, &summed)
}

/// The notes summed up (`lint::summary`), a line each.
pub fn summed_notes(out: &mut dyn WriteColor, summed: &[crate::lint::summary::NoteSummary]) -> std::io::Result<()> {
    use codespan_reporting::term::termcolor::{Color, ColorSpec};
    for s in summed {
        out.set_color(ColorSpec::new().set_fg(Some(Color::Green)).set_bold(true))?;
        write!(out, "note")?;
        out.reset()?;
        writeln!(out, ": {s}")?;
    }
    if !summed.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}

/// `span` clamped to the text and widened to character boundaries, as the
/// renderer requires.
fn char_range(text: &str, span: Span) -> std::ops::Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[derive(Serialize)]
struct JsonRange {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct JsonEdit {
    range: JsonRange,
    replacement: String,
}

#[derive(Serialize)]
struct JsonFix {
    description: String,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    code: crate::lint::Code,
    severity: Severity,
    /// The message with its caveats.
    message: String,
    /// What makes the finding uncertain (in `message` too).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    caveats: &'a [String],
    help: Option<&'a str>,
    option: Option<&'a str>,
    machines: &'a [String],
    range: JsonRange,
    fix: Option<JsonFix>,
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<FileFixes>,
    /// The machines lint's machine pass saw: their files, those imported
    /// only under a condition, and the imports it could not follow.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    machines: &'a [crate::lint::machines::MachineSummary],
    /// Paths that could not be read or written: the report is not
    /// complete without them.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [crate::linter::PathError],
}

pub fn json(
    reports: &[FileReport],
    fixes: Vec<FileFixes>,
    machines: &[crate::lint::machines::MachineSummary],
    errors: &[crate::linter::PathError],
) -> String {
    let mut diagnostics = vec![];
    for r in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let index = LineIndex::new(&r.text);
        let range =
            |s: Span| JsonRange { start: index.position(&r.text, s.start), end: index.position(&r.text, s.end) };
        for d in &r.diagnostics {
            diagnostics.push(JsonDiagnostic {
                file: &r.name,
                code: d.code,
                severity: d.severity,
                message: d.text().into_owned(),
                caveats: &d.caveats,
                help: d.help.as_deref(),
                option: d.option.as_deref(),
                machines: &d.machines,
                range: range(d.span),
                fix: d.fix.as_ref().map(|f| JsonFix {
                    description: f.description.clone(),
                    edits: f
                        .edits
                        .iter()
                        .map(|e| JsonEdit { range: range(e.range), replacement: e.replacement.clone() })
                        .collect(),
                }),
            });
        }
    }
    let doc = JsonDocument { version: 2, diagnostics, fixes, machines, errors };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"version\":2,\"error\":\"{e}\"}}"))
}

pub fn summary(t: Totals, files: usize) -> String {
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let mut s = format!(
        "{}, {}, {} in {}",
        plural(t.errors, "error"),
        plural(t.warnings, "warning"),
        plural(t.notes, "note"),
        plural(files, "file")
    );
    if t.fixable > 0 {
        s.push_str(&format!("; {} (run with --fix)", plural(t.fixable, "fix").replace("fixs", "fixes")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fall_on_character_boundaries() {
        let text = "aé b";
        assert_eq!(char_range(text, Span::new(2, 3)), 1..3);
        assert_eq!(char_range(text, Span::new(9, 12)), 5..5);
        let reports = [FileReport::new("x.nix".into(), text.into(), vec![crate::lint::not_text(2, "m")])];
        let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        human(&mut out, &reports).unwrap();
    }
}
