//! The conflict table of one nixpkgs source tree, read from its
//! `qemu-vm.nix` (and the modules it imports) with the syntax layer:
//! plain-priority definitions are conflict candidates, definitions under
//! `mkVMOverride`/`mkForce` replace the user's value, lists and multi-line
//! text merge. Pure: files come through a reader.

use super::{ConflictTable, Gone, Merged, Overridden, PlainDefinition, Release};
use crate::syntax::{self, Definition, ImportTarget, OptionChange, Value};
use crate::text::LineIndex;
use std::collections::{BTreeSet, VecDeque};

/// The module that makes a configuration a QEMU VM, from the tree's root.
pub const QEMU_VM: &str = "nixos/modules/virtualisation/qemu-vm.nix";
/// What the NixOS test framework (and so `nixos-build-vms`) adds.
pub const TEST_INSTRUMENTATION: &str = "nixos/modules/testing/test-instrumentation.nix";

/// Reads a file of the tree by its path from the root (`nixos/...`); `None`
/// when it cannot be read.
pub type Reader<'a> = &'a dyn Fn(&str) -> Option<String>;

/// How far imports are followed from qemu-vm.nix (it imports profiles that
/// import little).
const IMPORT_DEPTH: usize = 2;

/// The priority of a definition without a wrapper.
const PLAIN: u32 = 100;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DeriveError {
    #[error("{0} is missing: this is not a nixpkgs source tree")]
    Missing(String),
    #[error("{file}:{line}:{column}: {message}")]
    Syntax { file: String, line: usize, column: usize, message: String },
}

/// The table of the tree `read` reads, described as `source`; with
/// `test_framework`, the test framework's definitions too.
pub fn derive(source: &str, read: Reader, test_framework: bool) -> Result<ConflictTable, DeriveError> {
    let release = read(".version").and_then(|v| v.trim().get(..5).and_then(|r| r.parse::<Release>().ok()));
    let mut table = ConflictTable {
        source: format!("{QEMU_VM} of {source}"),
        release,
        plain: vec![],
        overridden: vec![],
        merged: vec![],
        gone: vec![],
        warnings: vec![],
    };
    let mut roots = vec![QEMU_VM];
    if test_framework {
        roots.push(TEST_INSTRUMENTATION);
        table.source.push_str(" (with the test framework)");
    }
    let mut queue: VecDeque<(String, usize)> = roots.iter().map(|r| (r.to_string(), 0)).collect();
    let mut seen: BTreeSet<String> = queue.iter().map(|(f, _)| f.clone()).collect();
    while let Some((file, depth)) = queue.pop_front() {
        let Some(text) = read(&file) else {
            if depth == 0 {
                return Err(DeriveError::Missing(file));
            }
            table.warnings.push(format!("{file} (imported) could not be read"));
            continue;
        };
        let parsed = syntax::parse(&text);
        if let Some(e) = parsed.errors.first() {
            let p = LineIndex::new(&text).position(&text, e.span.start);
            let error =
                DeriveError::Syntax { file: file.clone(), line: p.line, column: p.column, message: e.message.clone() };
            if depth == 0 {
                return Err(error);
            }
            table.warnings.push(format!("{error} (imported module skipped)"));
            continue;
        }
        let analysis = syntax::analyze(&parsed);
        let lines = LineIndex::new(&text);
        for module in &analysis.modules {
            for def in &module.definitions {
                let origin = format!("{file}:{}", lines.position(&text, def.key_span().start).line);
                classify(&mut table, def, &text[def.value_span.start..def.value_span.end], origin);
            }
            for import in &module.imports {
                let ImportTarget::OptionChange { option, change } = &import.target else { continue };
                let (renamed_to, why) = match change {
                    OptionChange::Removed(why) => (None, why.clone()),
                    OptionChange::Renamed(to) => (Some(to.clone()), String::new()),
                };
                let origin = format!("{file}:{}", lines.position(&text, import.span.start).line);
                // Whether something took its place only nixpkgs' words say.
                table.gone.push(Gone {
                    option: option.clone(),
                    renamed_to,
                    why,
                    origin: Some(origin),
                    droppable: false,
                });
            }
            if depth >= IMPORT_DEPTH {
                continue;
            }
            for import in &module.imports {
                let ImportTarget::Path(target) = &import.target else { continue };
                let Some(next) = relative(&file, target) else { continue };
                if seen.insert(next.clone()) {
                    queue.push_back((next, depth + 1));
                }
            }
        }
    }
    Ok(table)
}

/// Put one definition where it belongs in the table.
fn classify(table: &mut ConflictTable, def: &Definition, value_text: &str, origin: String) {
    // The VM's own options and outputs are not the user's to conflict with;
    // a computed name (`"${x}"`) is no option a user could write.
    if def.starts_with(&["virtualisation"]) || def.starts_with(&["system", "build"]) || def.dynamic {
        return;
    }
    let Some(level) = def.priority.level else { return };
    if level < PLAIN {
        // A whole set replaced (`{ }` included) covers what it contains.
        if !table.overridden.iter().any(|o| def.starts_with(&o.option)) {
            table.overridden.push(Overridden {
                option: def.path.clone(),
                via: def.priority.via.unwrap_or("mkOverride").to_string(),
                level,
                conditions: def.conditions.clone(),
                origin: Some(origin),
            });
        }
        return;
    }
    // A default loses to the user's plain value; an attribute set's
    // bindings are definitions of their own.
    if level > PLAIN || def.value == Value::AttrSet {
        return;
    }
    if let Some(reason) = merges(def, value_text) {
        if !table.merged.iter().any(|m| m.option == def.path) {
            table.merged.push(Merged { option: def.path.clone(), reason: reason.into(), origin: Some(origin) });
        }
        return;
    }
    if table.plain.iter().any(|p| p.option == def.path) {
        return;
    }
    let (value, expression, note) = match &def.value {
        v if v.is_literal() => (Some(v.clone()), None, None),
        // An expression such as `cfg.qemu.guestAgent.enable`: when the
        // built-in table knows what it comes to by default, use that.
        _ => match known_value(&def.path) {
            Some(v) => {
                (Some(v), Some(one_line(value_text)), Some(format!("by default; it is `{}`", one_line(value_text))))
            }
            None => (None, Some(one_line(value_text)), None),
        },
    };
    table.plain.push(PlainDefinition {
        option: def.path.clone(),
        value,
        expression,
        note,
        conditions: def.conditions.clone(),
        origin: Some(origin),
    });
}

/// The value the built-in table gives `option` in the newest release, when
/// it is a literal.
fn known_value(option: &[String]) -> Option<Value> {
    let table = super::builtin(Release::NEWEST, true);
    table.plain.into_iter().find(|p| p.option == option).and_then(|p| p.value)
}

/// Why a plain definition merges with the user's instead of conflicting,
/// judged from its value and name (the option's type is declared elsewhere).
fn merges(def: &Definition, value_text: &str) -> Option<&'static str> {
    const LIST_FUNCTIONS: &[&str] = &[
        "optional",
        "optionals",
        "concatLists",
        "concatMap",
        "map",
        "filter",
        "flatten",
        "attrValues",
        "mapAttrsToList",
        "imap0",
        "imap1",
        "genList",
        "unique",
    ];
    if matches!(def.value, Value::List(_)) || value_text.starts_with('[') {
        return Some("a list: lists merge");
    }
    let head = value_text.trim_start_matches('(').trim_start_matches("lib.").trim_start_matches("builtins.");
    let head = head.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap_or("");
    if outside_strings(value_text).contains("++") || LIST_FUNCTIONS.contains(&head) {
        return Some("a list expression: lists merge");
    }
    if value_text.starts_with("''") {
        return Some("multi-line text: `lines` options merge");
    }
    let name = def.path.last().map(String::as_str).unwrap_or("");
    let lines_name = (name.starts_with("extra") && name.ends_with("Config"))
        || ["Commands", "Section", "Script", "script"].iter().any(|s| name.ends_with(s));
    if lines_name && matches!(def.value, Value::Str(_) | Value::Expr(_)) {
        return Some("text named like a `lines` option: merges");
    }
    None
}

/// `text` without the contents of its `"..."` strings (a `++` inside one
/// is no list concatenation).
fn outside_strings(text: &str) -> String {
    let mut out = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => in_string = !in_string,
            (false, _, c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Source text on one line, shortened for a table.
fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

/// The tree path an import of `target` from `file` names, when it stays in
/// the tree (`../profiles/qemu-guest.nix` from `nixos/modules/virtualisation/x.nix`).
fn relative(file: &str, target: &str) -> Option<String> {
    if !(target.starts_with("./") || target.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for component in target.split('/') {
        match component {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    let mut path = parts.join("/");
    if !path.ends_with(".nix") {
        path.push_str("/default.nix");
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_resolve_inside_the_tree() {
        let f = "nixos/modules/virtualisation/qemu-vm.nix";
        assert_eq!(relative(f, "../profiles/qemu-guest.nix").as_deref(), Some("nixos/modules/profiles/qemu-guest.nix"));
        assert_eq!(
            relative(f, "./disk-size-option.nix").as_deref(),
            Some("nixos/modules/virtualisation/disk-size-option.nix")
        );
        assert_eq!(relative(f, "./dir").as_deref(), Some("nixos/modules/virtualisation/dir/default.nix"));
        assert_eq!(relative(f, "../../../../../etc/x.nix"), None);
        assert_eq!(relative(f, "/etc/x.nix"), None);
    }

    #[test]
    fn a_plus_plus_inside_a_string_is_no_list() {
        assert_eq!(outside_strings(r#"a ++ "x ++ \" ++ y" ++ b"#), "a ++  ++ b");
        assert!(!outside_strings(r#""c++ code""#).contains("++"));
    }

    #[test]
    fn expressions_are_shown_on_one_short_line() {
        assert_eq!(one_line("a\n   b"), "a b");
        assert_eq!(one_line(&"x".repeat(70)).chars().count(), 61);
    }
}
