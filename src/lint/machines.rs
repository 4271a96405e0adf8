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
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One file as the machine pass sees it.
struct Module {
    /// Whether it has an import nixvm cannot follow (a computed path, an
    /// absolute one, a file not given to lint).
    opaque: bool,
    /// Those imports, as written.
    unfollowed: Vec<String>,
    definitions: Vec<Definition>,
    /// Its modules, in order: the machine each belongs to (a network's),
    /// what it imports, and its share of `definitions`.
    parts: Vec<Part>,
    /// For a network file, the positions in `parts` of the modules that
    /// are each machine's, and those shared by all (naming none), found
    /// once: a network may have thousands of machines.
    own: std::collections::HashMap<String, Vec<usize>>,
    shared: Vec<usize>,
}

struct Part {
    machine: Option<String>,
    /// The files it imports (by `Files` index), each with whether only
    /// under a condition.
    imports: Vec<(usize, bool)>,
    definitions: std::ops::Range<usize>,
}

impl Module {
    /// The files it imports (all its modules'), each with whether only
    /// under a condition.
    fn imports(&self) -> impl Iterator<Item = &(usize, bool)> {
        self.parts.iter().flat_map(|p| &p.imports)
    }

    /// The machines a network file's modules name.
    fn machine_names(&self) -> BTreeSet<&String> {
        self.own.keys().collect()
    }

    /// The modules of `machine` (a network's): its own and those that name
    /// none, in file order.
    fn parts_of<'a>(&'a self, machine: &str) -> impl Iterator<Item = &'a Part> + 'a {
        let own = self.own.get(machine).map_or(&[][..], Vec::as_slice);
        let mut at: Vec<usize> = self.shared.iter().chain(own).copied().collect();
        at.sort_unstable();
        at.into_iter().map(move |i| &self.parts[i])
    }

    /// Its definitions for `machine` (a network's: that machine's modules
    /// and those that name none), or all of them.
    fn definitions_for<'a>(&'a self, machine: Option<&'a String>) -> Box<dyn Iterator<Item = &'a Definition> + 'a> {
        match machine {
            None => Box::new(self.definitions.iter()),
            Some(m) => Box::new(self.parts_of(m).flat_map(|p| &self.definitions[p.definitions.clone()])),
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
    /// What it imports, each with whether only under a condition, and as
    /// written.
    imports: Vec<(ImportTarget, bool, String)>,
    definitions: Vec<Definition>,
}

impl Facts {
    /// The facts of an analysed file.
    pub fn of(file: &syntax::FileAnalysis) -> Facts {
        Facts {
            parts: file
                .modules
                .iter()
                .map(|m| PartFacts {
                    machine: m.machine.clone(),
                    imports: m.imports.iter().map(|i| (i.target.clone(), i.conditional, written(&i.target))).collect(),
                    definitions: m.definitions.iter().filter(|d| asked(d)).cloned().collect(),
                })
                .collect(),
        }
    }

    /// The facts of a file's text (parsed here).
    pub fn read(text: &str) -> Facts {
        Facts::of(&syntax::analyze(&syntax::parse(text)))
    }
}

/// An import as written, for saying what could not be followed.
fn written(target: &ImportTarget) -> String {
    match target {
        ImportTarget::Path(p) | ImportTarget::Str(p) | ImportTarget::Other(p) => p.clone(),
        ImportTarget::ModulesPath(p) => format!("modulesPath + {p:?}"),
        ImportTarget::OptionChange { option, .. } => option.join("."),
    }
}

/// Whether the pass asks anything of `d`: what a machine-level lint's
/// findings ask (`Lint::machine_level`), or whether it names a machine.
fn asked(d: &Definition) -> bool {
    names_a_machine(d) || super::all().iter().filter_map(|l| l.machine_level()).any(|m| (m.answered_by)(d))
}

/// Whether `d` says its file is a whole machine's configuration, not a
/// part of one: what only a machine's own configuration sets.
fn names_a_machine(d: &Definition) -> bool {
    d.starts_with(&["system", "stateVersion"])
        || d.starts_with(&["networking", "hostName"])
        || d.starts_with(&["boot", "loader"])
        || d.starts_with(&["fileSystems"])
}

/// The files the pass reads, each known by its index: their absolute
/// paths in path order (so that sets of indices list files as sets of
/// paths would), and how findings name them (relative to the directory
/// they share). Paths are compared once, here, not at every step.
struct Files {
    paths: Vec<PathBuf>,
    names: Vec<String>,
    index: std::collections::HashMap<PathBuf, usize>,
}

impl Files {
    fn new(paths: Vec<PathBuf>) -> Files {
        let root = crate::text::common_dir(paths.iter());
        let names = paths.iter().map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string()).collect();
        let index = paths.iter().enumerate().map(|(i, p)| (p.clone(), i)).collect();
        Files { paths, names, index }
    }

    /// The file a module path names among the files: itself, or a
    /// directory's default.nix.
    fn file_of(&self, path: PathBuf) -> Option<usize> {
        match self.index.get(&path) {
            Some(&i) => Some(i),
            None => self.index.get(&path.join("default.nix")).copied(),
        }
    }
}

/// The files among those `known` says exist that `targets`, imports
/// written in the file at `path`, name with static relative paths (each
/// with whether only under a condition); and those that cannot be
/// followed, as written (a computed path, an absolute one, a file not
/// given to lint). Imports inside nixpkgs (`modulesPath`, `<nixpkgs/...>`)
/// are NixOS's own.
fn module_imports<'a>(
    files: &Files,
    path: &Path,
    targets: impl Iterator<Item = &'a (ImportTarget, bool, String)>,
) -> (Vec<(usize, bool)>, Vec<String>) {
    let dir = path.parent().unwrap_or(Path::new("/"));
    let (mut imports, mut unfollowed) = (vec![], vec![]);
    for (target, conditional, written) in targets {
        match target {
            ImportTarget::Path(p) if p.starts_with("./") || p.starts_with("../") => {
                match files.file_of(normalize_path(&dir.join(p))) {
                    Some(file) => imports.push((file, *conditional)),
                    None => unfollowed.push(written.clone()),
                }
            }
            t if t.is_nixpkgs_own() => {}
            _ => unfollowed.push(written.clone()),
        }
    }
    (imports, unfollowed)
}

/// The files as the pass sees them, from their facts (`facts[i]` is of
/// `files.paths[i]`).
fn read(files: &Files, facts: Vec<Facts>) -> Vec<Module> {
    files
        .paths
        .par_iter()
        .zip(facts)
        .map(|(path, file)| {
            let (mut unfollowed, mut definitions, mut parts) = (vec![], vec![], vec![]);
            for part in file.parts {
                let (part_imports, unread) = module_imports(files, path, part.imports.iter());
                unfollowed.extend(unread);
                let start = definitions.len();
                definitions.extend(part.definitions);
                parts.push(Part {
                    machine: part.machine.clone(),
                    imports: part_imports,
                    definitions: start..definitions.len(),
                });
            }
            let (mut own, mut shared) = (std::collections::HashMap::<String, Vec<usize>>::new(), vec![]);
            for (i, part) in parts.iter().enumerate() {
                match &part.machine {
                    Some(m) => own.entry(m.clone()).or_default().push(i),
                    None => shared.push(i),
                }
            }
            let opaque = !unfollowed.is_empty();
            Module { opaque, unfollowed, definitions, parts, own, shared }
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
    network: Option<(usize, String)>,
    /// Its files, by `Files` index.
    files: BTreeSet<usize>,
    /// Of `files`, those imported only under a condition (possibly there).
    conditional: BTreeSet<usize>,
    /// The evidence that this is a whole machine: a flake or network file
    /// names it, or one of its modules sets what only a machine's own
    /// configuration sets (`names_a_machine`).
    whole: bool,
    /// It has modules nixvm cannot read (an inline or an input's module in
    /// the flake's list, a listed file not given to lint).
    opaque: bool,
}

impl Machine {
    /// Whether it is a machine to name: a flake's own flake.nix (an entry
    /// no file imports) is none.
    fn is_machine(&self, in_flake: bool) -> bool {
        self.named || !(in_flake && self.label.ends_with("flake.nix"))
    }
}

/// Every file `from` reaches through static imports (each start with
/// whether only under a condition), with them; and those reached only
/// through a conditional import.
fn reach(modules: &[Module], from: impl IntoIterator<Item = (usize, bool)>) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let from: Vec<(usize, bool)> = from.into_iter().collect();
    let walk = |starts: Vec<usize>, all_edges: bool| {
        let mut set = BTreeSet::new();
        let mut queue = starts;
        while let Some(file) = queue.pop() {
            if set.insert(file) {
                queue.extend(modules[file].imports().filter(|(_, c)| all_edges || !c).map(|(f, _)| *f));
            }
        }
        set
    };
    let surely = walk(from.iter().filter(|(_, c)| !c).map(|(f, _)| *f).collect(), false);
    let all = walk(from.into_iter().map(|(f, _)| f).collect(), true);
    let conditional = all.difference(&surely).copied().collect();
    (all, conditional)
}

/// The machines among `modules`: those a flake's `nixosConfigurations`
/// list (`flake`: its directory and `flake.nix`), then each other file no
/// file imports and no flake machine reaches, with every file it reaches.
fn machines(known: &Files, modules: &[Module], flake: Option<(&Path, &str)>) -> Vec<Machine> {
    let mut out: Vec<Machine> = vec![];
    if let Some((dir, flake_nix)) = flake {
        for m in syntax::flake_machine_modules(&syntax::parse(flake_nix)) {
            let listed: Vec<usize> =
                m.modules.iter().filter_map(|rel| known.file_of(normalize_path(&dir.join(rel)))).collect();
            if listed.is_empty() {
                continue;
            }
            let opaque = !m.complete || listed.len() < m.modules.len();
            let (files, conditional) = reach(modules, listed.into_iter().map(|f| (f, false)));
            out.push(Machine { label: m.name, named: true, network: None, files, conditional, whole: true, opaque });
        }
    }
    // Files some file imports, or a flake's machine reaches: not entries.
    let mut inside = vec![false; modules.len()];
    for &(f, _) in modules.iter().flat_map(Module::imports) {
        inside[f] = true;
    }
    for &f in out.iter().flat_map(|m| &m.files) {
        inside[f] = true;
    }
    for entry in (0..modules.len()).filter(|&f| !inside[f]) {
        let module = &modules[entry];
        let names = module.machine_names();
        if names.is_empty() {
            let (files, conditional) = reach(modules, [(entry, false)]);
            let whole = files.iter().any(|&f| modules[f].definitions.iter().any(names_a_machine));
            out.push(Machine {
                label: known.names[entry].clone(),
                named: false,
                network: None,
                files,
                conditional,
                whole,
                opaque: false,
            });
            continue;
        }
        // A network file: a machine per machine it names, with what that
        // machine's modules (and those that name none) import.
        for machine in names {
            let imports = module.parts_of(machine).flat_map(|p| p.imports.iter().cloned());
            let (mut files, conditional) = reach(modules, imports);
            files.insert(entry);
            out.push(Machine {
                label: machine.clone(),
                named: true,
                network: Some((entry, machine.clone())),
                files,
                conditional,
                whole: true,
                opaque: false,
            });
        }
    }
    out
}

/// What a machine-level finding asks of the machine (its lint's
/// `machine_level`, when it applies to the finding).
fn machine_level(d: &super::Diagnostic) -> Option<&'static super::MachineLevel> {
    let lint = super::all().iter().find(|l| l.meta().code == d.code)?;
    lint.machine_level().filter(|m| (m.applies)(d))
}

/// How a machine answers a finding.
#[derive(PartialEq)]
enum Answer {
    Yes,
    /// Only under a computed name (`users.users.${cfg.user}.password`),
    /// which may or may not be what the finding asks for.
    Computed,
    /// Only in this file (a `Files` index), which the machine imports
    /// under a condition.
    Conditional(usize),
    No,
}

fn answer(modules: &[Module], machine: &Machine, answered: fn(&Definition) -> bool) -> Answer {
    let (mut computed, mut conditional) = (false, None);
    for &f in &machine.files {
        let only = machine.network.as_ref().filter(|(file, _)| *file == f).map(|(_, m)| m);
        for def in modules[f].definitions_for(only).filter(|d| answered(d)) {
            if def.dynamic {
                computed = true;
            } else if machine.conditional.contains(&f) {
                conditional.get_or_insert(f);
            } else {
                return Answer::Yes;
            }
        }
    }
    match (conditional, computed) {
        (Some(file), _) => Answer::Conditional(file),
        (None, true) => Answer::Computed,
        (None, false) => Answer::No,
    }
}

/// A machine as the pass saw it, for the JSON report: its files, those
/// imported only under a condition, and the imports it could not follow.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MachineSummary {
    pub machine: String,
    pub files: Vec<String>,
    pub conditional: Vec<String>,
    pub unfollowed: Vec<String>,
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
    mut facts: Vec<Option<Facts>>,
    flake: Option<(&Path, &str)>,
    exists: &dyn Fn(&Path) -> bool,
) -> Vec<MachineSummary> {
    missing_hardware(paths, reports, exists);
    let settling = reports.iter().any(|r| r.diagnostics.iter().any(|d| machine_level(d).is_some()));
    // Each file once, in path order (a file given twice is its last
    // report's), with its facts as lint gathered them (or read here when it
    // did not: a fixed file's are of its text before the fixes).
    let mut order: Vec<(&PathBuf, usize)> =
        paths.iter().enumerate().filter_map(|(i, p)| Some((p.as_ref()?, i))).collect();
    order.sort_by(|a, b| a.0.cmp(b.0));
    order.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 = later.1;
        }
        same
    });
    let file_facts: Vec<Facts> = order
        .iter()
        .map(|&(_, i)| facts.get_mut(i).and_then(Option::take).unwrap_or_else(|| Facts::read(&reports[i].text)))
        .collect();
    let files = Files::new(order.into_iter().map(|(p, _)| p.clone()).collect());
    let modules = read(&files, file_facts);
    let machines = machines(&files, &modules, flake);
    let names = |set: &BTreeSet<usize>| set.iter().map(|&f| files.names[f].clone()).collect();
    let summaries = machines
        .iter()
        .filter(|m| m.is_machine(flake.is_some()))
        .map(|m| MachineSummary {
            machine: m.label.clone(),
            files: names(&m.files),
            conditional: names(&m.conditional),
            unfollowed: m
                .files
                .iter()
                .flat_map(|&f| {
                    let name = &files.names[f];
                    modules[f].unfollowed.iter().map(move |u| format!("{u} (in {name})"))
                })
                .collect(),
        })
        .collect();
    // The machines each file belongs to, found once.
    let mut owners: Vec<Vec<&Machine>> = vec![vec![]; modules.len()];
    for m in &machines {
        for &f in &m.files {
            owners[f].push(m);
        }
    }
    // Each report on its own, in parallel (a network or a flake's files
    // can be thousands).
    paths.par_iter().zip(reports).for_each(|(path, report)| {
        let Some(file) = path.as_ref().and_then(|p| files.index.get(p)).copied() else { return };
        let owners = &owners[file];
        // In a flake, what names no machine names the flake's machines
        // that reach the file (after the deciding, which may name fewer).
        let flake_names: Vec<String> =
            owners.iter().filter(|m| m.named && m.network.is_none()).map(|m| m.label.clone()).collect();
        report.machines = owners.iter().filter(|m| m.is_machine(flake.is_some())).map(|m| m.label.clone()).collect();
        if !settling {
            name_unnamed(report, &flake_names);
            return;
        }
        report.diagnostics.retain_mut(|d| {
            let Some(level) = machine_level(d) else { return true };
            // The machines it is about: those a network file's finding
            // names, else every machine whose modules include the file.
            let about: Vec<&Machine> = owners
                .iter()
                .copied()
                .filter(|m| {
                    d.machines.is_empty()
                        || m.network.as_ref().is_some_and(|(f, n)| *f == file && d.machines.contains(n))
                })
                .collect();
            if about.is_empty() {
                return true;
            }
            keep_unanswered(d, &files, file, &modules, &about, level)
        });
        name_unnamed(report, &flake_names);
    });
    summaries
}

/// A machine-level finding about the machines `about` (all of which the
/// file at `path` belongs to): false when every one answers it in some
/// module; else true, the finding naming the machines that do not, with a
/// caveat (and at note level) when one of them has modules nixvm cannot
/// read, answers only under a condition or a computed name, or may not be
/// a whole machine at all.
fn keep_unanswered(
    d: &mut super::Diagnostic,
    files: &Files,
    file: usize,
    modules: &[Module],
    about: &[&Machine],
    level: &super::MachineLevel,
) -> bool {
    let answers: Vec<(&Machine, Answer)> =
        about.iter().map(|m| (*m, answer(modules, m, level.answered_by))).filter(|(_, a)| *a != Answer::Yes).collect();
    let computed = answers.iter().any(|(_, a)| *a == Answer::Computed);
    let conditional = answers.iter().find_map(|(_, a)| match a {
        Answer::Conditional(f) => Some(*f),
        _ => None,
    });
    let lacking: Vec<&Machine> = answers.into_iter().map(|(m, _)| m).collect();
    if lacking.is_empty() {
        return false;
    }
    let is_alone = lacking.len() == 1 && lacking[0].files.len() == 1 && lacking[0].files.contains(&file);
    if !is_alone {
        d.message = (level.over_machine)(d);
        d.machines = lacking.iter().map(|m| m.label.clone()).collect();
    }
    // Without evidence that the file is a whole machine (lint may have been
    // given one module of a machine), a finding cannot stand as a warning.
    if lacking.iter().all(|m| !m.whole) {
        d.add_caveat("nothing says this file is a whole machine (no flake or network file names it, it sets no system.stateVersion, networking.hostName, boot loader or file systems): the rest of its machine, which lint was not given, may set it");
    } else if lacking.iter().any(|m| m.opaque || m.files.iter().any(|&f| modules[f].opaque)) {
        d.add_caveat("it has modules nixvm cannot read, where it may be set");
    }
    if let Some(conditional) = conditional {
        let (path, conditional) = (&files.paths[file], &files.paths[conditional]);
        let shown = conditional.strip_prefix(path.parent().unwrap_or(Path::new("/"))).unwrap_or(conditional);
        d.add_caveat(format!("it is set in {}, which is imported only under a condition", shown.display()));
    }
    if computed {
        d.add_caveat(super::rules::no_login::COMPUTED);
    }
    true
}

/// Findings of `report` that name no machine name `machines` (a flake's).
fn name_unnamed(report: &mut FileReport, machines: &[String]) {
    for d in report.diagnostics.iter_mut().filter(|d| d.machines.is_empty()) {
        d.machines = machines.to_vec();
    }
}

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
        for d in report.diagnostics.iter_mut().filter(|d| d.code == super::codes::HARDWARE_IMPORT) {
            let Some(rel) = imported_path(d, text) else { continue };
            let target = normalize_path(&dir.join(rel));
            if !exists(&target) && !exists(&target.join("default.nix")) {
                let rel = rel.to_string();
                super::rules::hardware_import::missing(d, &rel);
            }
        }
    }
}
