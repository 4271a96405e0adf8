//! Lints: what will break or conflict when a NixOS configuration runs as a
//! QEMU VM. Pure: text in, diagnostics (with fixes) out.
//!
//! Each lint lives in its own file under `rules/`, declared with
//! `declare_lint!`, whose doc comment is what `nixvm explain CODE` prints.

pub mod diagnostic;
pub mod kb;
pub mod machines;
mod rules;
pub mod summary;

pub use diagnostic::{Code, Diagnostic, Fix, Severity};
pub use kb::{ConflictTable, Release};
pub use rules::toplevel_virtualisation::QEMU_VM_OPTIONS;

use crate::syntax::{self, Definition, FileAnalysis, ModuleInfo};

/// Declares a lint: a unit struct, its code, severity, and its doc comment
/// kept as text for `nixvm explain`.
macro_rules! declare_lint {
    ($(#[doc = $doc:literal])* $name:ident, $code:literal, $severity:ident) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const CODE: $crate::lint::Code = $crate::lint::Code::declared($code);
            pub const META: $crate::lint::Meta = $crate::lint::Meta {
                code: Self::CODE,
                severity: $crate::lint::Severity::$severity,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_lint;

/// A lint's identity and documentation.
#[derive(Debug)]
pub struct Meta {
    pub code: Code,
    pub severity: Severity,
    /// The lint's doc comment, one source line per line.
    pub doc: &'static str,
}

impl Meta {
    /// What the lint finds, in one sentence: the first of its "What:"
    /// paragraph, up to its first full stop or colon outside code.
    pub fn summary(&self) -> String {
        let explanation = self.explanation();
        let paragraph = explanation.split("\n\n").next().unwrap_or_default();
        let words: Vec<&str> = paragraph.split_whitespace().collect();
        let text = words.join(" ");
        let text = text.strip_prefix("What: ").unwrap_or(&text);
        let mut in_code = false;
        for (i, c) in text.char_indices() {
            match c {
                '`' => in_code = !in_code,
                '.' | ':' if !in_code && text[i + 1..].starts_with(' ') => return text[..i].to_string(),
                _ => {}
            }
        }
        text.trim_end_matches('.').to_string()
    }

    /// The documentation as plain text: the doc comments' leading space
    /// removed, code fences dropped and their contents indented.
    pub fn explanation(&self) -> String {
        let mut out = vec![];
        let mut in_code = false;
        for line in self.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)) {
            if line.starts_with("```") {
                in_code = !in_code;
            } else if in_code {
                out.push(format!("    {line}"));
            } else {
                out.push(line.to_string());
            }
        }
        out.join("\n")
    }
}

pub trait Lint: Sync {
    fn meta(&self) -> &'static Meta;
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>);
    /// For a machine-level lint, what its findings ask of a machine's
    /// modules (`lint::machines` decides them over each machine).
    fn machine_level(&self) -> Option<&'static MachineLevel> {
        None
    }
    /// For a lint whose notes ask nothing of the user: how a one-line
    /// summary of them begins, before what each is about ("the VM
    /// replaces" fileSystems, swapDevices). See `summary`.
    fn gist(&self) -> Option<&'static str> {
        None
    }
}

/// What a machine-level lint's findings ask of every module of a machine:
/// a finding stands only where a machine its file belongs to lacks it in
/// all of them.
pub struct MachineLevel {
    /// Whether a definition answers the finding.
    pub answered_by: fn(&Definition) -> bool,
    /// Whether a finding of the lint is decided over the machine (some may
    /// be about the file alone).
    pub applies: fn(&Diagnostic) -> bool,
    /// The finding's message when it is about the machine's modules, not
    /// one file's.
    pub over_machine: fn(&Diagnostic) -> String,
}

/// Settings that change what the lints report.
#[derive(Debug, Clone)]
pub struct LintOptions {
    pub release: Release,
    /// The system VMs run on (`x86_64-linux`).
    pub host_system: String,
    pub table: ConflictTable,
}

impl LintOptions {
    pub fn new(release: Release, test_framework: bool) -> Self {
        LintOptions { release, host_system: host_system(), table: kb::builtin(release, test_framework) }
    }
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions::new(Release::NEWEST, false)
    }
}

/// The Nix system name of this machine.
pub fn host_system() -> String {
    format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS)
}

/// What a lint sees of one file.
pub struct Context<'a> {
    pub text: &'a str,
    pub file: &'a FileAnalysis,
    pub options: &'a LintOptions,
    /// The file's machines and their modules, found once (a network file
    /// of thousands of machines is asked about each of them).
    index: std::cell::OnceCell<MachineIndex<'a>>,
}

/// A network file's machines, in order, and the modules of each.
struct MachineIndex<'a> {
    machines: Vec<Option<&'a String>>,
    /// The modules that name no machine (shared by all), by position.
    shared: Vec<usize>,
    /// Each machine's own modules, by position.
    own: std::collections::HashMap<&'a str, Vec<usize>>,
}

impl<'a> Context<'a> {
    pub fn new(text: &'a str, file: &'a FileAnalysis, options: &'a LintOptions) -> Self {
        Context { text, file, options, index: std::cell::OnceCell::new() }
    }

    fn index(&self) -> &MachineIndex<'a> {
        self.index.get_or_init(|| {
            let file: &'a FileAnalysis = self.file;
            let mut index = MachineIndex { machines: vec![], shared: vec![], own: Default::default() };
            for (i, m) in file.modules.iter().enumerate() {
                match &m.machine {
                    None => index.shared.push(i),
                    Some(name) => {
                        let own = index.own.entry(name.as_str()).or_default();
                        if own.is_empty() {
                            index.machines.push(Some(name));
                        }
                        own.push(i);
                    }
                }
            }
            if index.machines.is_empty() {
                index.machines.push(None);
            }
            index
        })
    }

    /// Every definition of every module in the file, with its module.
    pub fn definitions(&self) -> impl Iterator<Item = (&'a ModuleInfo, &'a Definition)> + 'a {
        self.file.modules.iter().flat_map(|m| m.definitions.iter().map(move |d| (m, d)))
    }

    /// The definitions that make up `machine` in this file: its own
    /// modules' (a network file's machine), and those of modules that
    /// name no machine (a configuration file, a hive's `defaults`).
    pub fn definitions_of(
        &self,
        machine: Option<&String>,
    ) -> impl Iterator<Item = (&'a ModuleInfo, &'a Definition)> + use<'a> {
        let index = self.index();
        // The shared modules and the machine's own, in file order.
        let own: &[usize] = machine.and_then(|m| index.own.get(m.as_str())).map_or(&[], Vec::as_slice);
        let mut modules: Vec<usize> = index.shared.iter().chain(own).copied().collect();
        modules.sort_unstable();
        let file: &'a FileAnalysis = self.file;
        modules.into_iter().flat_map(move |i| {
            let m = &file.modules[i];
            m.definitions.iter().map(move |d| (m, d))
        })
    }

    /// Add `d` to `out`, about `machine`; a finding already there at the
    /// same place (a network's `defaults`, shared by several machines)
    /// names this machine too instead.
    pub fn push_for(out: &mut Vec<Diagnostic>, d: Diagnostic, machine: Option<&String>) {
        match out.iter_mut().find(|o| o.code == d.code && o.span == d.span) {
            Some(o) => {
                if let Some(m) = machine.filter(|_| !o.machines.is_empty()) {
                    o.machines.push(m.clone());
                }
            }
            None => out.push(d.machine(machine)),
        }
    }

    /// The machines the file's modules name, each once, in order; or, in
    /// a file that names none (a configuration), `None` alone.
    pub fn machines(&self) -> Vec<Option<&'a String>> {
        self.index().machines.clone()
    }
}

/// The codes other layers ask about, each its lint's own constant.
pub mod codes {
    use super::rules::*;
    use super::Code;
    pub const SYNTAX_ERROR: Code = syntax_error::SyntaxError::CODE;
    pub const QEMU_CONFLICT: Code = qemu_conflict::QemuConflict::CODE;
    pub const HARDWARE_IMPORT: Code = hardware_import::HardwareImport::CODE;
    pub const DEPLOYMENT_ATTRS: Code = deployment_attrs::DeploymentAttrs::CODE;
    pub const VM_OPTION_REMOVED: Code = vm_option_removed::VmOptionRemoved::CODE;
}

/// Every lint, in the order their codes are documented.
pub fn all() -> &'static [&'static dyn Lint] {
    rules::ALL
}

/// The lint with this code (as a user writes it).
pub fn find(code: &str) -> Option<&'static dyn Lint> {
    all().iter().copied().find(|l| l.meta().code.as_str() == code)
}

/// The `syntax-error` finding for a file that is not UTF-8 text, at the
/// first offset that is not.
pub fn not_text(at: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(&rules::syntax_error::SyntaxError::META, crate::text::Span::empty(at), message)
}

/// Lint one file's text: syntax errors when it does not parse, otherwise
/// every lint's findings, in source order.
pub fn lint_text(text: &str, options: &LintOptions) -> Vec<Diagnostic> {
    lint_text_with_facts(text, options).0
}

/// `lint_text`, with what the machine pass needs of the file (nothing, for
/// a file that does not parse).
pub fn lint_text_with_facts(text: &str, options: &LintOptions) -> (Vec<Diagnostic>, Option<machines::Facts>) {
    let parsed = syntax::parse(text);
    if !parsed.is_ok() {
        return (rules::syntax_error::diagnostics(&parsed.errors), Some(machines::Facts::default()));
    }
    let file = syntax::analyze(&parsed);
    let facts = machines::Facts::of(&file);
    let cx = Context::new(text, &file, options);
    let mut out = vec![];
    for lint in all() {
        lint.check(&cx, &mut out);
    }
    out.sort_by_key(|a| (a.span.start, a.span.end, a.code));
    // One binding read as two definitions (`(if c then mkForce else
    // mkDefault) v`) says the same thing once.
    out.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    (out, Some(facts))
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::*;

    /// Lint `text` with the default options and keep `code`'s findings.
    pub fn findings(code: &str, text: &str) -> Vec<Diagnostic> {
        findings_with(code, text, &LintOptions::default())
    }

    pub fn findings_with(code: &str, text: &str, options: &LintOptions) -> Vec<Diagnostic> {
        lint_text(text, options).into_iter().filter(|d| d.code.as_str() == code).collect()
    }

    /// The source text each finding points at.
    pub fn spans<'t>(text: &'t str, ds: &[Diagnostic]) -> Vec<&'t str> {
        ds.iter().map(|d| &text[d.span.start..d.span.end]).collect()
    }

    /// Apply every fix once.
    pub fn fixed(text: &str, ds: &[Diagnostic]) -> String {
        let edits: Vec<_> = ds.iter().filter_map(|d| d.fix.as_ref()).flat_map(|f| f.edits.clone()).collect();
        crate::text::apply_edits(text, &edits).expect("fixes apply")
    }
}
