//! Planning a nixvm project (`nixvm init`): from the user's configuration
//! or network file and the files it refers to, decide the machines, where
//! each file goes, what the generated VM module overrides, and render every
//! generated file. Pure: the files come in as data (`gather` reads them),
//! the plan goes out as data (`files::write_tree` writes it).

mod gather;

pub use gather::{gather, Gathered, Sources};

use crate::lint::{self, codes, LintOptions, Severity};
use crate::render::{self, DefaultNixContext, FlakeContext, MachineEntry, MachinesContext, Override, VmModuleContext};
use crate::syntax::{self, NetworkFlavor};
use crate::text::{LineIndex, Span};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The newest stable branch, the default pin.
pub const DEFAULT_BRANCH: &str = "nixos-26.05";

/// What the user pointed `init` at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// One machine's configuration, at this path among the sources.
    Config(PathBuf),
    /// A network file, at this path among the sources.
    Network(PathBuf),
}

#[derive(Debug, Clone)]
pub struct InitOptions {
    pub name: Option<String>,
    pub nixpkgs_url: String,
    pub system: String,
    pub rewrite: bool,
    pub keep_hardware: bool,
    /// The command line, for the generated files' headers.
    pub command: String,
    pub lint: LintOptions,
    /// The same with the NixOS test framework's definitions too: for the
    /// machines as nodes of the flake's tests (nixvm/test-node.nix).
    pub test_lint: LintOptions,
    /// Arguments for a network written as a function (`--arg`, `--argstr`).
    pub network_args: Vec<(String, NetworkArg)>,
    /// For a network that computes its machines (`a // b`, `import`s):
    /// what evaluating it said.
    pub evaluated: Option<EvaluatedNetwork>,
}

/// A computed network as nix evaluated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluatedNetwork {
    pub machines: Vec<String>,
    /// The file is a function (called with `--arg`/`--argstr` and defaults).
    pub function: bool,
}

/// A value for a network function's argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkArg {
    /// `--arg NAME EXPR`: a Nix expression.
    Expr(String),
    /// `--argstr NAME VALUE`: a string.
    Str(String),
}

/// A located problem in one of the user's files.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct Located {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Located(Located),
    #[error(transparent)]
    Render(#[from] render::RenderError),
    #[error("{0}")]
    Other(String),
}

/// The files of the project to write, by path relative to its root.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    pub machines: Vec<String>,
    /// Things the user should know (what was changed or overridden).
    pub notes: Vec<String>,
}

/// Whether `name` can be a machine: a Nix identifier that is also a plain
/// file name and flake output name.
/// `is_machine_name` as a regular expression for `builtins.match` (Nix's
/// keywords aside, which no machine is called).
pub const MACHINE_NAME_PATTERN: &str = "[A-Za-z_][A-Za-z0-9_-]*";

pub fn is_machine_name(name: &str) -> bool {
    crate::nixstr::is_identifier(name) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The flake reference for `--nixpkgs` (a local clone is resolved to its
/// HEAD revision by the caller before this).
pub fn nixpkgs_url(spec: Option<&str>) -> Result<String, String> {
    let spec = spec.unwrap_or(DEFAULT_BRANCH).trim();
    let is_rev = spec.len() == 40 && spec.chars().all(|c| c.is_ascii_hexdigit());
    if spec.contains(':') {
        Ok(spec.to_string())
    } else if is_rev {
        Ok(format!("github:NixOS/nixpkgs/{spec}"))
    } else if let Some(branch) = branch_name(spec) {
        Ok(format!("github:NixOS/nixpkgs/{branch}"))
    } else {
        Err(format!(
            "`{spec}` is not a nixpkgs branch (nixos-24.11), flake reference (github:NixOS/nixpkgs/REV), revision, or local nixpkgs clone"
        ))
    }
}

/// The nixpkgs branch a short name means: `24.11` is `nixos-24.11`,
/// `unstable` is `nixos-unstable`, and a branch `Release::of_branch` knows
/// is itself.
fn branch_name(spec: &str) -> Option<String> {
    if spec.len() == 5 && spec.parse::<lint::Release>().is_ok() {
        Some(format!("nixos-{spec}"))
    } else if spec == "unstable" {
        Some("nixos-unstable".into())
    } else {
        lint::Release::of_branch(spec).map(|_| spec.to_string())
    }
}

/// The NixOS release `--nixpkgs` pins when it names one by its branch or
/// number (`nixos-24.11`, `24.11`, `nixos-unstable`, or a flake reference
/// ending in such a branch); `None` for a revision or anything else.
pub fn release_of_nixpkgs(spec: Option<&str>) -> Option<lint::Release> {
    let spec = spec.unwrap_or(DEFAULT_BRANCH).trim();
    // `github:NixOS/nixpkgs/nixos-24.11`, `git+https://...?ref=nixos-24.11`
    let last = match spec.split_once("ref=") {
        Some((_, rest)) => rest.split('&').next().unwrap_or(rest),
        None => spec.split('?').next().unwrap_or(spec).rsplit('/').next().unwrap_or(spec),
    };
    lint::Release::of_branch(&branch_name(last)?)
}

fn located(file: &Path, text: &str, span: Span, message: impl Into<String>) -> PlanError {
    let p = LineIndex::new(text).position(text, span.start);
    PlanError::Located(Located {
        file: file.display().to_string(),
        line: p.line,
        column: p.column,
        message: message.into(),
    })
}

fn text_of<'a>(sources: &'a Sources, path: &Path) -> Result<&'a str, PlanError> {
    let bytes = sources.files.get(path).ok_or_else(|| PlanError::Other(format!("{} was not read", path.display())))?;
    std::str::from_utf8(bytes).map_err(|_| PlanError::Other(format!("{} is not UTF-8 text", path.display())))
}

/// Plan the project for `entry` over `sources`.
pub fn plan(entry: &Entry, sources: &Sources, options: &InitOptions) -> Result<Plan, PlanError> {
    let mut plan = Plan::default();
    // How the flake calls a network written as a function.
    let mut network_call = None;
    // Machines, and the directory the user's files are copied under.
    let (machines, copy_root, flavor) = match entry {
        Entry::Config(path) => {
            if !options.network_args.is_empty() {
                return Err(PlanError::Other("--arg and --argstr are for a network file written as a function".into()));
            }
            let text = text_of(sources, path)?;
            let parsed = syntax::parse(text);
            if let Some(e) = parsed.errors.first() {
                return Err(located(path, text, e.span, e.message.clone()));
            }
            let name = match &options.name {
                Some(n) => n.clone(),
                None => host_name(&syntax::analyze(&parsed)).unwrap_or_else(|| "nixos".into()),
            };
            if !is_machine_name(&name) {
                return Err(PlanError::Other(format!(
                    "machine name `{name}` is not usable: it must be a Nix identifier made of letters, digits, `_` and `-` (use --name)"
                )));
            }
            (vec![name.clone()], PathBuf::from("machines").join(&name), None)
        }
        Entry::Network(path) => {
            let text = text_of(sources, path)?;
            let parsed = syntax::parse(text);
            if let Some(e) = parsed.errors.first() {
                return Err(located(path, text, e.span, e.message.clone()));
            }
            if let (true, Some(evaluated)) = (syntax::network_is_computed(&parsed), &options.evaluated) {
                if let Some(bad) = evaluated.machines.iter().find(|m| !is_machine_name(m)) {
                    return Err(PlanError::Other(format!(
                        "{}: machine name `{bad}` is not usable: it must be a Nix identifier made of letters, digits, `_` and `-`",
                        path.display()
                    )));
                }
                if evaluated.machines.is_empty() {
                    return Err(PlanError::Other(format!("{}: the network defines no machine", path.display())));
                }
                network_call = if evaluated.function { Some(argument_set(&options.network_args)?) } else { None };
                // NixOps and colmena networks set deployment.*: declare it.
                (evaluated.machines.clone(), PathBuf::from("network"), Some(NetworkFlavor::NixOps))
            } else {
                let analysis = syntax::read_network(&parsed).map_err(|e| located(path, text, e.span, e.message))?;
                let info = analysis.network.clone().ok_or_else(|| PlanError::Other("not a network file".into()))?;
                network_call = network_call_of(path, text, info.function.as_ref(), &options.network_args)?;
                let mut seen = BTreeSet::new();
                for m in &info.machines {
                    if !is_machine_name(&m.name) {
                        return Err(located(
                        path,
                        text,
                        m.name_span,
                        format!("machine name `{}` is not usable: it must be a Nix identifier made of letters, digits, `_` and `-`", m.name),
                    ));
                    }
                    if !seen.insert(m.name.clone()) {
                        return Err(located(path, text, m.name_span, format!("machine `{}` is defined twice", m.name)));
                    }
                }
                (info.machines.iter().map(|m| m.name.clone()).collect(), PathBuf::from("network"), Some(info.flavor))
            }
        }
    };

    // Copies of the user's files, adjusted as asked.
    let mut overrides: BTreeMap<Vec<String>, Override> = BTreeMap::new();
    let mut test_overrides: BTreeMap<Vec<String>, Override> = BTreeMap::new();
    let mut deployment = matches!(flavor, Some(NetworkFlavor::NixOps | NetworkFlavor::Colmena));
    for (rel, bytes) in &sources.files {
        let dest = copy_root.join(rel);
        let is_nix = rel.extension().is_some_and(|e| e == "nix");
        let text = match (is_nix, std::str::from_utf8(bytes)) {
            (true, Ok(t)) => t,
            _ => {
                plan.files.insert(dest, bytes.clone());
                continue;
            }
        };
        let adjusted = adjust(rel, text, options)?;
        plan.notes.extend(
            adjusted
                .applied
                .iter()
                .map(|a| format!("{}: done in the project's copy (yours is unchanged): {a}", rel.display())),
        );
        let text = adjusted.text;
        let (found, notes) = vm_overrides(rel, &text, &adjusted.remaining, &options.lint.table, Forced::InTheVm);
        for o in found {
            overrides.entry(o.option.clone()).or_insert(o);
        }
        plan.notes.extend(notes);
        // As test nodes, the test framework's definitions count too.
        let as_node = lint::lint_text(&text, &options.test_lint);
        for o in vm_overrides(rel, &text, &as_node, &options.test_lint.table, Forced::InATestNode).0 {
            test_overrides.entry(o.option.clone()).or_insert(o);
        }
        // A removed option cannot be taken back from the VM module: only
        // the user's file can drop it.
        for d in
            adjusted.remaining.iter().filter(|d| d.code == codes::VM_OPTION_REMOVED && d.severity == Severity::Error)
        {
            let p = LineIndex::new(&text).position(&text, d.span.start);
            let help = d.help.as_deref().unwrap_or("remove the definition");
            plan.notes.push(format!("{}:{}:{}: {}; {help}", rel.display(), p.line, p.column, d.message));
        }
        // `deployment.*` anywhere (lint says nothing of it in a network
        // file, its place): the VMs must declare it.
        deployment |= adjusted.remaining.iter().any(|d| d.code == codes::DEPLOYMENT_ATTRS)
            || syntax::analyze(&syntax::parse(&text))
                .modules
                .iter()
                .flat_map(|m| &m.definitions)
                .any(|d| d.names(&["deployment"]));
        plan.files.insert(dest, text.into_bytes());
    }

    // Generated files.
    let command = options.command.clone();
    let network_file = match entry {
        Entry::Config(path) => {
            let ctx = MachinesContext {
                command: command.clone(),
                machines: vec![MachineEntry { name: machines[0].clone(), path: slash(&copy_root.join(path)) }],
            };
            plan.files.insert("machines.nix".into(), render::render("machines.nix", &ctx)?.into_bytes());
            "/machines.nix".to_string()
        }
        Entry::Network(path) => slash(&copy_root.join(path)),
    };
    let flake = FlakeContext {
        command: command.clone(),
        description: format!("VMs of {}, made by nixvm", machines.join(", ")),
        nixpkgs_url: options.nixpkgs_url.clone(),
        network_file,
        network_call,
        system: options.system.clone(),
    };
    plan.files.insert("flake.nix".into(), render::render("flake.nix", &flake)?.into_bytes());
    let vm = VmModuleContext {
        command: command.clone(),
        deployment_options: deployment,
        overrides: overrides.into_values().collect(),
    };
    for o in &vm.overrides {
        plan.notes.push(format!(
            "the VMs force `{}` to qemu-vm.nix's `{}` (nixvm/vm.nix)",
            o.option.join("."),
            o.value
        ));
    }
    plan.files.insert("nixvm/vm.nix".into(), render::render("vm.nix", &vm)?.into_bytes());
    for (name, bytes) in &sources.tests {
        plan.files.insert(PathBuf::from("tests").join(name), bytes.clone());
        plan.notes.push(format!(
            "tests/{name}: a NixOS test of the machines: `nixvm test tests/{name}` runs it against the running VMs, `nix flake check` in new ones"
        ));
    }
    let node = VmModuleContext { overrides: test_overrides.into_values().collect(), ..vm };
    plan.files.insert("nixvm/test-node.nix".into(), render::render("test-node.nix", &node)?.into_bytes());
    let default =
        DefaultNixContext { command: command.clone(), system: options.system.clone(), example: machines[0].clone() };
    plan.files.insert("default.nix".into(), render::render("default.nix", &default)?.into_bytes());
    plan.files
        .insert(".gitignore".into(), render::render("gitignore", &render::CommandContext { command })?.into_bytes());
    plan.machines = machines;
    Ok(plan)
}

/// A project path as the generated Nix appends it to `./.`: `/a/b.nix`.
/// The argument set a network file is called with when nix evaluates it
/// (a computed one), checked first as `init` checks one it reads: every
/// argument without a default given, none it does not take. `None` for a
/// network that is no function.
pub fn computed_network_call(
    path: &Path,
    text: &str,
    args: &[(String, NetworkArg)],
) -> Result<Option<String>, PlanError> {
    let function = syntax::network_function(&syntax::parse(text));
    network_call_of(path, text, function.as_ref(), args)
}

/// The argument set a network function is called with: every argument it
/// needs given (`--arg`/`--argstr`) or defaulted, none it does not take.
/// `None` for a network that is a set.
fn network_call_of(
    path: &Path,
    text: &str,
    function: Option<&syntax::NetworkFunction>,
    args: &[(String, NetworkArg)],
) -> Result<Option<String>, PlanError> {
    let Some(function) = function else {
        return match args.first() {
            Some((name, _)) => Err(PlanError::Other(format!(
                "--arg/--argstr {name}: {} is an attribute set of machines, not a function that takes arguments",
                path.display()
            ))),
            None => Ok(None),
        };
    };
    let given = |n: &str| args.iter().any(|(a, _)| a == n);
    if let Some(a) = function.arguments.iter().find(|a| !a.has_default && !given(&a.name)) {
        return Err(located(
            path,
            text,
            a.span,
            format!(
                "the network is a function and its argument `{0}` has no default: pass --arg {0} EXPR or --argstr {0} VALUE",
                a.name
            ),
        ));
    }
    for (name, _) in args {
        if !function.open && !function.arguments.iter().any(|a| &a.name == name) {
            let takes: Vec<&str> = function.arguments.iter().map(|a| a.name.as_str()).collect();
            return Err(PlanError::Other(format!(
                "the network function in {} takes no argument `{name}` (it takes: {})",
                path.display(),
                takes.join(", ")
            )));
        }
    }
    argument_set(args).map(Some)
}

/// The attribute set of `--arg` and `--argstr` values, as Nix text: names
/// escaped, strings quoted, expressions checked to parse.
pub fn argument_set(args: &[(String, NetworkArg)]) -> Result<String, PlanError> {
    let mut call = String::from("{");
    for (i, (name, value)) in args.iter().enumerate() {
        if args[..i].iter().any(|(n, _)| n == name) {
            return Err(PlanError::Other(format!("--arg/--argstr {name} is given twice")));
        }
        let value = match value {
            NetworkArg::Str(s) => crate::nixstr::string_literal(s),
            NetworkArg::Expr(e) => {
                if let Some(err) = syntax::parse(e).errors.first() {
                    return Err(PlanError::Other(format!("--arg {name}: not a Nix expression: {}", err.message)));
                }
                format!("({e}\n)")
            }
        };
        call.push_str(&format!(" {} = {value};", crate::nixstr::attr_name(name)));
    }
    call.push_str(" }");
    Ok(call)
}

/// Where overrides force qemu-vm.nix's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forced {
    /// In the VM variant (nixvm/vm.nix, flake mode's module).
    InTheVm,
    /// In a node of the flake's NixOS tests (nixvm/test-node.nix), where
    /// the test framework's definitions count too.
    InATestNode,
}

/// What the VM variant must force so that qemu-vm.nix's values win over the
/// file `rel`'s conflicting ones (its `qemu-conflict` findings), and notes
/// on those it cannot force: a value qemu-vm.nix sets only under a
/// condition of its own, or one whose value the table does not know.
pub fn vm_overrides(
    rel: &Path,
    text: &str,
    findings: &[lint::Diagnostic],
    table: &lint::ConflictTable,
    forced: Forced,
) -> (Vec<Override>, Vec<String>) {
    let mut overrides = vec![];
    let mut notes = vec![];
    for d in findings.iter().filter(|d| d.code == codes::QEMU_CONFLICT) {
        let Some(option) = d.option.as_deref() else { continue };
        let path = lint::kb::split_option(option);
        let Some(theirs) = table.plain.iter().find(|p| p.option == path) else { continue };
        match &theirs.value {
            Some(_) if !theirs.conditions.is_empty() => notes.push(format!(
                "{}: `{option}` may conflict with qemu-vm.nix, which sets it{}; nixvm does not override it (wrap yours in lib.mkDefault if the VM fails to evaluate)",
                rel.display(),
                lint::kb::when(&theirs.conditions)
            )),
            Some(v) => {
                let p = LineIndex::new(text).position(text, d.span.start);
                overrides.push(Override {
                    option: path,
                    value: v.to_string(),
                    reason: match forced {
                        Forced::InTheVm => {
                            format!("{}:{} sets it too; qemu-vm.nix's value must win in the VM", rel.display(), p.line)
                        }
                        Forced::InATestNode => format!(
                            "{}:{} sets it too; the value of qemu-vm.nix or of the test framework must win in a test node",
                            rel.display(),
                            p.line
                        ),
                    },
                    at: Some((rel.display().to_string(), d.span)),
                });
            }
            None => notes.push(format!(
                "{}: `{option}` conflicts with qemu-vm.nix and nixvm cannot override it; wrap it in lib.mkDefault (nixvm lint --fix)",
                rel.display()
            )),
        }
    }
    (overrides, notes)
}

fn slash(p: &Path) -> String {
    p.components().map(|c| format!("/{}", c.as_os_str().to_string_lossy())).collect()
}

/// The statically known `networking.hostName` of a module.
fn host_name(analysis: &syntax::FileAnalysis) -> Option<String> {
    analysis
        .modules
        .iter()
        .flat_map(|m| &m.definitions)
        .find(|d| d.path == ["networking", "hostName"] && d.conditions.is_empty())
        .and_then(|d| d.value.as_str().map(String::from))
}

/// A copied file as it goes into the project: hardware-configuration
/// imports removed (unless kept), and with `--rewrite` every other fix
/// applied too, the way `nixvm lint --fix` would. The outcome carries the
/// findings left in the result.
fn adjust(rel: &Path, text: &str, options: &InitOptions) -> Result<crate::rewrite::FixOutcome, PlanError> {
    // The hardware configuration's import is left out of the copies only:
    // `lint --fix` never drops it from the user's own file.
    let out = crate::rewrite::fix_matching(text, &options.lint, |d| {
        if d.code == codes::HARDWARE_IMPORT {
            d.copy_fix.as_ref().filter(|_| !options.keep_hardware)
        } else {
            d.fix.as_ref().filter(|_| options.rewrite)
        }
    });
    if let Some(e) = out.found.iter().find(|d| d.code == codes::SYNTAX_ERROR) {
        return Err(located(rel, text, e.span, e.message.clone()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nixpkgs_references() {
        assert_eq!(nixpkgs_url(None).unwrap(), "github:NixOS/nixpkgs/nixos-26.05");
        assert_eq!(nixpkgs_url(Some("nixos-24.11")).unwrap(), "github:NixOS/nixpkgs/nixos-24.11");
        assert_eq!(nixpkgs_url(Some("nixos-unstable")).unwrap(), "github:NixOS/nixpkgs/nixos-unstable");
        assert_eq!(nixpkgs_url(Some("24.05")).unwrap(), "github:NixOS/nixpkgs/nixos-24.05");
        let rev = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(nixpkgs_url(Some(rev)).unwrap(), format!("github:NixOS/nixpkgs/{rev}"));
        assert_eq!(nixpkgs_url(Some("github:me/nixpkgs/x")).unwrap(), "github:me/nixpkgs/x");
        assert!(nixpkgs_url(Some("banana")).is_err());
        for branch in ["nixos-24.11-small", "master", "release-24.05", "nixpkgs-unstable"] {
            assert_eq!(nixpkgs_url(Some(branch)).unwrap(), format!("github:NixOS/nixpkgs/{branch}"));
        }
        assert_eq!(nixpkgs_url(Some("unstable")).unwrap(), "github:NixOS/nixpkgs/nixos-unstable");
        assert!(nixpkgs_url(Some("newest")).is_err(), "no such branch");
    }

    #[test]
    fn the_release_a_pin_names() {
        use lint::Release;
        let cases = [
            (None, Some(Release::NEWEST)),
            (Some("nixos-22.11"), Some(Release::new(22, 11))),
            (Some("24.05"), Some(Release::new(24, 5))),
            (Some("unstable"), Some(Release::UNSTABLE)),
            (Some("github:NixOS/nixpkgs/nixos-unstable"), Some(Release::UNSTABLE)),
            (Some("git+https://github.com/NixOS/nixpkgs?ref=nixos-23.11&shallow=1"), Some(Release::new(23, 11))),
            (Some("0123456789abcdef0123456789abcdef01234567"), None),
            (Some("github:me/nixpkgs/feature"), None),
        ];
        for (spec, release) in cases {
            assert_eq!(release_of_nixpkgs(spec), release, "{spec:?}");
        }
    }

    #[test]
    fn machine_names() {
        for ok in ["web", "db-1", "a_b"] {
            assert!(is_machine_name(ok), "{ok}");
        }
        for bad in ["../evil", "a b", "", "1a", "x'", "in", "é"] {
            assert!(!is_machine_name(bad), "{bad}");
        }
    }
}
