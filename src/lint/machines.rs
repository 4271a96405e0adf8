//! Machine-level findings decided over a machine's modules, not one file:
//! the files lint was given form machines (each file no other one imports,
//! with everything it reaches through static relative imports), and a
//! finding such as `zfs-host-id` or `no-login` stands only when a machine
//! whose modules include its file lacks what it asks for anywhere in them.
//! Pure: the texts come in, keyed by absolute path.

use super::diagnostic::FileReport;
use crate::syntax::{self, Definition, ImportTarget};
use crate::text::normalize_path;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One file as the machine pass sees it.
struct Module {
    /// The files of `texts` it imports.
    imports: Vec<PathBuf>,
    /// Whether it has an import nixvm cannot follow (a computed path, an
    /// absolute one, a file not given to lint).
    opaque: bool,
    definitions: Vec<Definition>,
}

/// The file of `texts` a module path names: itself, or a directory's
/// default.nix.
pub(super) fn file_of(texts: &BTreeMap<PathBuf, String>, path: PathBuf) -> Option<PathBuf> {
    if texts.contains_key(&path) {
        Some(path)
    } else {
        Some(path.join("default.nix")).filter(|d| texts.contains_key(d))
    }
}

/// The files of `texts` that the module at `path` imports with static
/// relative paths, and whether it also imports what cannot be followed
/// (a computed path, an absolute one, a file not among `texts`). Imports
/// inside nixpkgs (`modulesPath`, `<nixpkgs/...>`) are NixOS's own.
pub(super) fn static_imports(
    texts: &BTreeMap<PathBuf, String>,
    path: &Path,
    analysis: &syntax::FileAnalysis,
) -> (Vec<PathBuf>, bool) {
    let dir = path.parent().unwrap_or(Path::new("/"));
    let (mut imports, mut opaque) = (vec![], false);
    for import in analysis.modules.iter().flat_map(|m| &m.imports) {
        match &import.target {
            ImportTarget::Path(p) if p.starts_with("./") || p.starts_with("../") => {
                match file_of(texts, normalize_path(&dir.join(p))) {
                    Some(file) => imports.push(file),
                    None => opaque = true,
                }
            }
            ImportTarget::ModulesPath(_) => {}
            ImportTarget::Path(p) if p.starts_with('<') => {}
            _ => opaque = true,
        }
    }
    (imports, opaque)
}

fn read(texts: &BTreeMap<PathBuf, String>) -> BTreeMap<PathBuf, Module> {
    use rayon::prelude::*;
    texts
        .par_iter()
        .map(|(path, text)| {
            let analysis = syntax::analyze(&syntax::parse(text));
            let (imports, opaque) = static_imports(texts, path, &analysis);
            let definitions = analysis.modules.into_iter().flat_map(|m| m.definitions).collect();
            (path.clone(), Module { imports, opaque, definitions })
        })
        .collect()
}

/// The machines among `modules`: each file no other file imports, with
/// every file it reaches.
fn machines(modules: &BTreeMap<PathBuf, Module>) -> Vec<(PathBuf, BTreeSet<PathBuf>)> {
    let imported: BTreeSet<&PathBuf> = modules.values().flat_map(|m| &m.imports).collect();
    modules
        .keys()
        .filter(|p| !imported.contains(p))
        .map(|entry| {
            let mut set = BTreeSet::new();
            let mut queue = vec![entry.clone()];
            while let Some(file) = queue.pop() {
                if set.insert(file.clone()) {
                    queue.extend(modules[&file].imports.iter().cloned());
                }
            }
            (entry.clone(), set)
        })
        .collect()
}

/// What a machine-level finding asks of the machine: a definition that
/// answers it, found in any of its modules.
fn answered_by(d: &super::Diagnostic) -> Option<fn(&Definition) -> bool> {
    match d.code {
        "zfs-host-id" => Some(super::rules::zfs_host_id::sets_host_id),
        "no-login" => Some(super::rules::no_login::gives_a_login),
        // SSH turned off in one module and on in another (a `mkForce`).
        "no-ssh" if d.option.as_deref().is_some_and(|o| o.ends_with(".enable")) => {
            Some(super::rules::no_ssh::enables_ssh)
        }
        _ => None,
    }
}

/// How a machine answers a finding.
#[derive(PartialEq)]
enum Answer {
    Yes,
    /// Only under a computed name (`users.users.${cfg.user}.password`),
    /// which may or may not be what the finding asks for.
    Computed,
    No,
}

fn answer(modules: &BTreeMap<PathBuf, Module>, set: &BTreeSet<PathBuf>, answered: fn(&Definition) -> bool) -> Answer {
    let mut computed = false;
    for def in set.iter().flat_map(|f| &modules[f].definitions).filter(|d| answered(d)) {
        if !def.dynamic {
            return Answer::Yes;
        }
        computed = true;
    }
    if computed {
        Answer::Computed
    } else {
        Answer::No
    }
}

/// Decide each machine-level finding over the machines its file belongs
/// to: drop it when every one of them answers it in some module; else keep
/// it, naming the machines that do not, at note level when one of those
/// has an import nixvm cannot follow. `paths[i]` is the absolute path of
/// `reports[i]`'s file. Findings of a network file's machines (already
/// named) are left as they are.
pub fn settle(paths: &[Option<PathBuf>], reports: &mut [FileReport]) {
    let machine_level = |r: &FileReport| r.diagnostics.iter().any(|d| d.machine.is_none() && answered_by(d).is_some());
    if !reports.iter().any(machine_level) {
        return;
    }
    let texts: BTreeMap<PathBuf, String> =
        paths.iter().zip(reports.iter()).filter_map(|(p, r)| Some((p.clone()?, r.text.clone()))).collect();
    if texts.len() < 2 {
        return;
    }
    let modules = read(&texts);
    let machines = machines(&modules);
    let root = crate::text::common_dir(texts.keys());
    let name = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    for (path, report) in paths.iter().zip(reports.iter_mut()) {
        let Some(path) = path else { continue };
        report.diagnostics.retain_mut(|d| {
            let Some(answered) = answered_by(d).filter(|_| d.machine.is_none()) else { return true };
            let answers: Vec<(&(PathBuf, BTreeSet<PathBuf>), Answer)> = machines
                .iter()
                .filter(|(_, set)| set.contains(path))
                .map(|m| (m, answer(&modules, &m.1, answered)))
                .filter(|(_, a)| *a != Answer::Yes)
                .collect();
            let computed = answers.iter().any(|(_, a)| *a == Answer::Computed);
            let lacking: Vec<&(PathBuf, BTreeSet<PathBuf>)> = answers.into_iter().map(|(m, _)| m).collect();
            if lacking.is_empty() {
                return false;
            }
            let entries: Vec<String> = lacking.iter().map(|(entry, _)| name(entry)).collect();
            let is_alone = lacking.len() == 1 && lacking[0].0 == *path && lacking[0].1.len() == 1;
            if !is_alone {
                d.message = d.message.replace(" in this file", " in any module of this machine");
                d.message.push_str(&format!(" (the machine of {})", entries.join(", ")));
            }
            if lacking.iter().any(|(_, set)| set.iter().any(|f| modules[f].opaque)) {
                d.severity = super::Severity::Info;
                d.message.push_str("; it imports what nixvm cannot follow, where it may be set");
            }
            if computed && !d.message.ends_with(super::rules::no_login::COMPUTED) {
                d.severity = super::Severity::Info;
                d.message.push_str(super::rules::no_login::COMPUTED);
            }
            true
        });
    }
}
