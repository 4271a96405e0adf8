//! Machine-level findings decided over a machine's modules, not one file:
//! the files lint was given form machines (a flake's written `modules`
//! lists; each machine of a network file; each other file no other one
//! imports; with everything they reach through static relative imports),
//! and a finding such as `zfs-host-id` or `no-login` stands only when a
//! machine whose modules include its file lacks what it asks for anywhere
//! in them. In a flake, findings name the flake's machines. Pure: what
//! lint gathered of each file (`Facts`) comes in, keyed by absolute path.

use super::diagnostic::FileReport;
use crate::syntax::{self, Definition, ImportTarget};
use crate::text::normalize_path;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One file as the machine pass sees it.
struct Module {
    /// Whether it has an import nixvm cannot follow (a computed path, an
    /// absolute one, a file not given to lint).
    opaque: bool,
    definitions: Vec<Definition>,
    /// Its modules, in order: the machine each belongs to (a network's),
    /// what it imports, and its share of `definitions`.
    parts: Vec<Part>,
}

struct Part {
    machine: Option<String>,
    imports: Vec<PathBuf>,
    definitions: std::ops::Range<usize>,
}

impl Module {
    /// The files it imports (all its modules').
    fn imports(&self) -> impl Iterator<Item = &PathBuf> {
        self.parts.iter().flat_map(|p| &p.imports)
    }

    /// The machines a network file's modules name.
    fn machine_names(&self) -> BTreeSet<&String> {
        self.parts.iter().filter_map(|p| p.machine.as_ref()).collect()
    }

    /// Its definitions for `machine` (a network's: that machine's modules
    /// and those that name none), or all of them.
    fn definitions_for<'a>(&'a self, machine: Option<&'a String>) -> Box<dyn Iterator<Item = &'a Definition> + 'a> {
        match machine {
            None => Box::new(self.definitions.iter()),
            Some(m) => Box::new(
                self.parts
                    .iter()
                    .filter(move |p| p.machine.is_none() || p.machine.as_ref() == Some(m))
                    .flat_map(|p| &self.definitions[p.definitions.clone()]),
            ),
        }
    }
}

/// What the machine pass needs of a file, gathered while lint reads it so
/// that the pass parses nothing again: each module's machine (a network
/// file's), its imports, and the definitions machine-level findings ask
/// about.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    parts: Vec<PartFacts>,
}

#[derive(Debug, Clone)]
struct PartFacts {
    machine: Option<String>,
    imports: Vec<ImportTarget>,
    definitions: Vec<Definition>,
}

impl Facts {
    /// The facts of an analysed file.
    pub fn of(file: &syntax::FileAnalysis) -> Facts {
        let asked = |d: &&Definition| ASKED.iter().any(|is| is(d));
        Facts {
            parts: file
                .modules
                .iter()
                .map(|m| PartFacts {
                    machine: m.machine.clone(),
                    imports: m.imports.iter().map(|i| i.target.clone()).collect(),
                    definitions: m.definitions.iter().filter(asked).cloned().collect(),
                })
                .collect(),
        }
    }

    /// The facts of a file's text (parsed here).
    pub fn read(text: &str) -> Facts {
        Facts::of(&syntax::analyze(&syntax::parse(text)))
    }
}

/// Every question the pass asks of a definition (see `answered_by`).
const ASKED: &[fn(&Definition) -> bool] = &[
    super::rules::zfs_host_id::sets_host_id,
    super::rules::no_login::gives_a_login,
    super::rules::no_ssh::enables_ssh,
];

/// The file a module path names among those `known` says exist: itself,
/// or a directory's default.nix.
fn file_of(known: impl Fn(&Path) -> bool, path: PathBuf) -> Option<PathBuf> {
    if known(&path) {
        Some(path)
    } else {
        Some(path.join("default.nix")).filter(|d| known(d))
    }
}

/// The files among those `known` says exist that `targets`, imports
/// written in the file at `path`, name with static relative paths; and
/// whether one cannot be followed (a computed path, an absolute one, a file
/// not given to lint). Imports inside nixpkgs (`modulesPath`,
/// `<nixpkgs/...>`) are NixOS's own.
fn module_imports<'a>(
    known: impl Fn(&Path) -> bool,
    path: &Path,
    targets: impl Iterator<Item = &'a ImportTarget>,
) -> (Vec<PathBuf>, bool) {
    let dir = path.parent().unwrap_or(Path::new("/"));
    let (mut imports, mut opaque) = (vec![], false);
    for target in targets {
        match target {
            ImportTarget::Path(p) if p.starts_with("./") || p.starts_with("../") => {
                match file_of(&known, normalize_path(&dir.join(p))) {
                    Some(file) => imports.push(file),
                    None => opaque = true,
                }
            }
            t if t.is_nixpkgs_own() => {}
            _ => opaque = true,
        }
    }
    (imports, opaque)
}

/// The files as the pass sees them, from their facts.
fn read(facts: &BTreeMap<PathBuf, Facts>) -> BTreeMap<PathBuf, Module> {
    let known = |f: &Path| facts.contains_key(f);
    facts
        .iter()
        .map(|(path, file)| {
            let (mut opaque, mut definitions, mut parts) = (false, vec![], vec![]);
            for part in &file.parts {
                let (part_imports, unread) = module_imports(known, path, part.imports.iter());
                opaque |= unread;
                let start = definitions.len();
                definitions.extend(part.definitions.iter().cloned());
                parts.push(Part {
                    machine: part.machine.clone(),
                    imports: part_imports,
                    definitions: start..definitions.len(),
                });
            }
            (path.clone(), Module { opaque, definitions, parts })
        })
        .collect()
}

/// A machine: its modules, and how findings name it.
struct Machine {
    /// `web` (a flake's), or the path of its entry file.
    label: String,
    /// A flake's machine (named), not an entry file.
    named: bool,
    /// A network's machine: the network file, and the machine's name there
    /// (of that file, only its modules and those that name none count).
    network: Option<(PathBuf, String)>,
    files: BTreeSet<PathBuf>,
    /// It has modules nixvm cannot read (an inline or an input's module in
    /// the flake's list, a listed file not given to lint).
    opaque: bool,
}

/// Every file `from` reaches through static imports, with them.
fn reach(modules: &BTreeMap<PathBuf, Module>, from: impl IntoIterator<Item = PathBuf>) -> BTreeSet<PathBuf> {
    let mut set = BTreeSet::new();
    let mut queue: Vec<PathBuf> = from.into_iter().collect();
    while let Some(file) = queue.pop() {
        if set.insert(file.clone()) {
            queue.extend(modules[&file].imports().cloned());
        }
    }
    set
}

/// The machines among `modules`: those a flake's `nixosConfigurations`
/// list (`flake`: its directory and `flake.nix`), then each other file no
/// file imports and no flake machine reaches, with every file it reaches.
/// `name` says a path as findings do.
fn machines(
    modules: &BTreeMap<PathBuf, Module>,
    flake: Option<(&Path, &str)>,
    name: impl Fn(&Path) -> String,
) -> Vec<Machine> {
    let mut out: Vec<Machine> = vec![];
    if let Some((dir, flake_nix)) = flake {
        for m in syntax::flake_machine_modules(&syntax::parse(flake_nix)) {
            let listed: Vec<PathBuf> = m
                .modules
                .iter()
                .filter_map(|rel| file_of(|f| modules.contains_key(f), normalize_path(&dir.join(rel))))
                .collect();
            if listed.is_empty() {
                continue;
            }
            let opaque = !m.complete || listed.len() < m.modules.len();
            out.push(Machine { label: m.name, named: true, network: None, files: reach(modules, listed), opaque });
        }
    }
    let imported: BTreeSet<&PathBuf> = modules.values().flat_map(Module::imports).collect();
    let reached: BTreeSet<PathBuf> = out.iter().flat_map(|m| m.files.iter().cloned()).collect();
    for entry in modules.keys().filter(|p| !imported.contains(p) && !reached.contains(*p)) {
        let module = &modules[entry];
        let names = module.machine_names();
        if names.is_empty() {
            out.push(Machine {
                label: name(entry),
                named: false,
                network: None,
                files: reach(modules, [entry.clone()]),
                opaque: false,
            });
            continue;
        }
        // A network file: a machine per machine it names, with what that
        // machine's modules (and those that name none) import.
        for machine in names {
            let imports = module
                .parts
                .iter()
                .filter(|p| p.machine.is_none() || p.machine.as_ref() == Some(machine))
                .flat_map(|p| p.imports.iter().cloned());
            let mut files = reach(modules, imports);
            files.insert(entry.clone());
            out.push(Machine {
                label: machine.clone(),
                named: true,
                network: Some((entry.clone(), machine.clone())),
                files,
                opaque: false,
            });
        }
    }
    out
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

fn answer(modules: &BTreeMap<PathBuf, Module>, machine: &Machine, answered: fn(&Definition) -> bool) -> Answer {
    let mut computed = false;
    let definitions = machine.files.iter().flat_map(|f| {
        let only = machine.network.as_ref().filter(|(file, _)| file == f).map(|(_, m)| m);
        modules[f].definitions_for(only)
    });
    for def in definitions.filter(|d| answered(d)) {
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
/// has modules nixvm cannot read. `paths[i]` is the absolute path of
/// `reports[i]`'s file; `flake` is the enclosing flake's directory and
/// `flake.nix`, whose machines' literal module lists are machines too;
/// in a flake, the findings that name no machine then name the flake's
/// machines whose modules include their file. `exists` says which files
/// exist (hardware imports of missing files are warnings).
pub fn settle(
    paths: &[Option<PathBuf>],
    reports: &mut [FileReport],
    facts: &[Option<Facts>],
    flake: Option<(&Path, &str)>,
    exists: &dyn Fn(&Path) -> bool,
) {
    missing_hardware(paths, reports, exists);
    let machine_level = |r: &FileReport| r.diagnostics.iter().any(|d| answered_by(d).is_some());
    let settling = reports.iter().any(machine_level);
    if !settling && flake.is_none() {
        return;
    }
    // Each file's facts, as lint gathered them (or read here when it did
    // not: a fixed file's are of its text before the fixes).
    let files: BTreeMap<PathBuf, Facts> = paths
        .iter()
        .zip(reports.iter())
        .enumerate()
        .filter_map(|(i, (p, r))| {
            let facts = facts.get(i).cloned().flatten().unwrap_or_else(|| Facts::read(&r.text));
            Some((p.clone()?, facts))
        })
        .collect();
    // Alone, a file is its own machine: nothing to decide, but a flake
    // may still name it.
    let settling = settling && files.len() >= 2;
    let modules = read(&files);
    let root = crate::text::common_dir(files.keys());
    let name = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    let machines = machines(&modules, flake, name);
    // The machines each file belongs to, found once (comparing paths is
    // slow: not once per finding and machine).
    let mut owners: std::collections::HashMap<&Path, Vec<&Machine>> = std::collections::HashMap::new();
    for m in &machines {
        for f in &m.files {
            owners.entry(f.as_path()).or_default().push(m);
        }
    }
    let owners_of = |path: &Path| owners.get(path).cloned().unwrap_or_default();
    for (path, report) in paths.iter().zip(reports.iter_mut()) {
        let Some(path) = path else { continue };
        // In a flake, what names no machine names the flake's machines
        // that reach the file (after the deciding, which may name fewer).
        let flake_names: Vec<&str> =
            owners_of(path).iter().filter(|m| m.named && m.network.is_none()).map(|m| m.label.as_str()).collect();
        if !settling {
            name_unnamed(report, &flake_names);
            continue;
        }
        report.diagnostics.retain_mut(|d| {
            let Some(answered) = answered_by(d) else { return true };
            // The machines it is about: those a network file's finding
            // names, else every machine whose modules include the file.
            let named: Option<Vec<&str>> = d.machine.as_deref().map(|m| m.split(", ").collect());
            let about: Vec<&Machine> = owners_of(path)
                .into_iter()
                .filter(|m| match &named {
                    None => true,
                    Some(names) => m.network.as_ref().is_some_and(|(f, n)| f == path && names.contains(&n.as_str())),
                })
                .collect();
            if about.is_empty() {
                return true;
            }
            keep_unanswered(d, path, &modules, &about, answered)
        });
        name_unnamed(report, &flake_names);
    }
}

/// A machine-level finding about the machines `about` (all of which the
/// file at `path` belongs to): false when every one answers it in some
/// module; else true, the finding saying which machines do not, at note
/// level when one of them has modules nixvm cannot read or answers only
/// under a computed name.
fn keep_unanswered(
    d: &mut super::Diagnostic,
    path: &Path,
    modules: &BTreeMap<PathBuf, Module>,
    about: &[&Machine],
    answered: fn(&Definition) -> bool,
) -> bool {
    let answers: Vec<(&Machine, Answer)> =
        about.iter().map(|m| (*m, answer(modules, m, answered))).filter(|(_, a)| *a != Answer::Yes).collect();
    let computed = answers.iter().any(|(_, a)| *a == Answer::Computed);
    let lacking: Vec<&Machine> = answers.into_iter().map(|(m, _)| m).collect();
    if lacking.is_empty() {
        return false;
    }
    let is_alone = lacking.len() == 1 && lacking[0].files.len() == 1 && lacking[0].files.contains(path);
    if !is_alone {
        d.message = d.message.replace(" in this file", " in any module of this machine");
        let labels = |named: bool| {
            lacking.iter().filter(|m| m.named == named).map(|m| m.label.as_str()).collect::<Vec<_>>().join(", ")
        };
        let (flake_machines, files) = (labels(true), labels(false));
        let mut says = vec![];
        if !flake_machines.is_empty() {
            says.push(format!("machine {flake_machines}"));
        }
        if !files.is_empty() {
            says.push(format!("the machine of {files}"));
        }
        d.message.push_str(&format!(" ({})", says.join("; ")));
        // The finding is about these of the flake's machines only.
        if !flake_machines.is_empty() && files.is_empty() {
            d.machine = Some(flake_machines);
        }
    }
    if lacking.iter().any(|m| m.opaque || m.files.iter().any(|f| modules[f].opaque)) {
        d.severity = super::Severity::Note;
        d.message.push_str("; it has modules nixvm cannot read, where it may be set");
    }
    if computed && !d.message.contains(super::rules::no_login::COMPUTED) {
        d.severity = super::Severity::Note;
        d.message.push_str(super::rules::no_login::COMPUTED);
    }
    true
}

/// Findings of `report` that name no machine name `machines` (a flake's).
fn name_unnamed(report: &mut FileReport, machines: &[&str]) {
    if machines.is_empty() {
        return;
    }
    let names = machines.join(", ");
    for d in report.diagnostics.iter_mut().filter(|d| d.machine.is_none()) {
        d.machine = Some(names.clone());
    }
}

const HARDWARE_IMPORT: &str = "hardware-import";

/// The relative path a hardware import's finding points at, as written
/// (`./hardware-configuration.nix`, also inside `(import ...)`).
fn imported_path<'t>(d: &super::Diagnostic, text: &'t str) -> Option<&'t str> {
    let written = text.get(d.span.start..d.span.end)?;
    written.split(['(', ')', ' ', '"', '\n', '\t']).find(|w| w.starts_with("./") || w.starts_with("../"))
}

/// Hardware imports of files that do not exist (`exists` says what does;
/// a directory counts with its `default.nix`): the configuration cannot
/// evaluate, which their findings now say, with what to do.
fn missing_hardware(paths: &[Option<PathBuf>], reports: &mut [FileReport], exists: &dyn Fn(&Path) -> bool) {
    for (path, report) in paths.iter().zip(reports.iter_mut()) {
        let Some(dir) = path.as_deref().and_then(Path::parent) else { continue };
        let text = &report.text;
        for d in report.diagnostics.iter_mut().filter(|d| d.code == HARDWARE_IMPORT) {
            let Some(rel) = imported_path(d, text) else { continue };
            let target = normalize_path(&dir.join(rel));
            if !exists(&target) && !exists(&target.join("default.nix")) {
                let rel = rel.to_string();
                super::rules::hardware_import::missing(d, &rel);
            }
        }
    }
}
