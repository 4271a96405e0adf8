//! Creating a nixvm project (`init`): read the user's configuration or
//! network file and what it refers to (`project::gather`), plan the project
//! (`project::plan`), write it whole or not at all into a git repository,
//! and pin nixpkgs with `nix flake lock` when nix can.

use crate::lint::LintOptions;
use crate::project::{self, Entry, InitOptions};
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};

/// What to create, from `init`'s arguments.
pub struct Create {
    /// The configuration or network file.
    pub entry: PathBuf,
    /// `entry` is a network file.
    pub network: bool,
    pub dir: PathBuf,
    /// `--nixpkgs`: a branch, flake reference, revision, or local clone.
    pub nixpkgs: Option<String>,
    pub name: Option<String>,
    pub rewrite: bool,
    pub keep_hardware: bool,
    pub force: bool,
    pub system: Option<String>,
    pub lock: bool,
    /// The command line, for the generated files' header.
    pub command: String,
    /// Arguments for a network written as a function.
    pub network_args: Vec<(String, project::NetworkArg)>,
}

/// How the project went into git.
pub enum Git {
    /// In a new repository, committed (by `who`).
    Committed { who: String },
    /// Added to the index of the repository the directory was in.
    Staged,
}

/// The project made.
pub struct Created {
    pub machines: Vec<String>,
    /// The nixpkgs the flake pins.
    pub nixpkgs_url: String,
    /// `flake.lock` was written.
    pub locked: bool,
    pub git: Git,
}

/// The lint options for planning: a local nixpkgs clone's own qemu-vm.nix
/// when one is pinned, else the built-in table of the release pinned (the
/// newest stable one when the pin names none).
fn lint_options(nixpkgs: Option<&str>, test_framework: bool, say: &dyn Fn(String)) -> LintOptions {
    let Some(clone) = nixpkgs.map(Path::new).filter(|p| p.is_dir()) else {
        let release = project::release_of_nixpkgs(nixpkgs).unwrap_or(crate::lint::Release::NEWEST);
        return LintOptions::new(release, test_framework);
    };
    match crate::pinned::choose(Some(clone), None, test_framework, clone) {
        Ok(chosen) => {
            let release = chosen.table.release.unwrap_or(crate::lint::Release::NEWEST);
            LintOptions { release, host_system: crate::lint::host_system(), table: chosen.table }
        }
        Err(e) => {
            say(format!("warning: {e:#}; using the built-in conflict table"));
            LintOptions::new(crate::lint::Release::NEWEST, test_framework)
        }
    }
}

/// Create the project; warnings and notes go to `say` as they arise.
pub fn create(c: &Create, say: &dyn Fn(String)) -> anyhow::Result<Created> {
    let entry_abs = std::fs::canonicalize(&c.entry).with_context(|| format!("cannot open {}", c.entry.display()))?;
    let gathered = project::gather(&entry_abs, c.keep_hardware)?;
    for w in &gathered.warnings {
        say(format!("warning: {w}"));
    }
    let entry_rel = gathered.relative(&entry_abs);
    let entry = if c.network { Entry::Network(entry_rel) } else { Entry::Config(entry_rel) };
    let evaluated = if c.network { evaluate_if_computed(&entry_abs, &c.network_args)? } else { None };

    let nixpkgs_url = match c.nixpkgs.as_deref() {
        Some(p) if Path::new(p).is_dir() => {
            let repo = git2::Repository::open(p).with_context(|| format!("{p} is not a git clone of nixpkgs"))?;
            let head =
                repo.head().and_then(|h| h.peel_to_commit()).with_context(|| format!("{p} has no HEAD commit"))?;
            format!("github:NixOS/nixpkgs/{}", head.id())
        }
        spec => project::nixpkgs_url(spec).map_err(anyhow::Error::msg)?,
    };
    let options = InitOptions {
        name: c.name.clone(),
        nixpkgs_url,
        system: c.system.clone().unwrap_or_else(crate::lint::host_system),
        rewrite: c.rewrite,
        keep_hardware: c.keep_hardware,
        command: c.command.clone(),
        lint: lint_options(c.nixpkgs.as_deref(), false, say),
        test_lint: lint_options(c.nixpkgs.as_deref(), true, &|_| {}),
        network_args: c.network_args.clone(),
        evaluated,
    };
    let plan = project::plan(&entry, &gathered.sources, &options).map_err(|e| match e {
        project::PlanError::Located(l) => {
            let file = gathered.root.join(&l.file);
            anyhow::anyhow!("{}:{}:{}: {}", file.display(), l.line, l.column, l.message)
        }
        other => anyhow::Error::new(other),
    })?;
    let new_repository = crate::files::write_tree(&c.dir, &plan.files, c.force)?;
    let locked = c.lock && lock(&c.dir, say)?;
    // The project's ssh key, now: its public half goes into the flake (and
    // the first commit) rather than making the tree dirty at the first run.
    let source = super::source::Source::find(Some(&c.dir), None)?;
    let key = super::key::ensure_key(&source)?;
    if key.made {
        say(format!("made the project's ssh key: {}", key.private.display()));
    }
    for n in &plan.notes {
        say(format!("note: {n}"));
    }
    // A repository of its own starts with the project committed, so that
    // nothing warns of a dirty tree; in the user's repository the files
    // are staged, for them to commit.
    let git = if new_repository {
        let who = crate::files::commit_first(&c.dir, &format!("A nixvm project\n\nMade by `{}`.\n", c.command))?;
        Git::Committed { who }
    } else {
        Git::Staged
    };
    Ok(Created { machines: plan.machines, nixpkgs_url: options.nixpkgs_url, locked, git })
}

/// A network file that computes its machines (`a // b`, `import`s) is
/// evaluated by nix for their names (called with the arguments given when
/// it is a function); one written as a literal is read without nix.
fn evaluate_if_computed(
    file: &Path,
    args: &[(String, project::NetworkArg)],
) -> anyhow::Result<Option<project::EvaluatedNetwork>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    if !crate::syntax::network_is_computed(&crate::syntax::parse(&text)) {
        return Ok(None);
    }
    let call = project::computed_network_call(file, &text, args)
        .map_err(|e| match e {
            project::PlanError::Located(l) => {
                anyhow::anyhow!("{}:{}:{}: {}", file.display(), l.line, l.column, l.message)
            }
            other => anyhow::Error::new(other),
        })?
        .unwrap_or_else(|| "{ }".to_string());
    let path = crate::nixstr::string_literal(&file.display().to_string());
    let expr = format!(
        "let n = import (/. + {path}); v = if builtins.isFunction n then n {call} else n; \
         notMachines = [ \"network\" \"defaults\" \"resources\" \"require\" \"meta\" ]; \
         in {{ function = builtins.isFunction n; machines = builtins.filter (m: !(builtins.elem m notMachines)) (builtins.attrNames v); }}"
    );
    let dir = file.parent().unwrap_or(Path::new("/"));
    let v = crate::nix::Nix::find().and_then(|nix| nix.eval_expr_json(dir, &expr)).with_context(|| {
        format!("{} computes its machines, and nix could not evaluate it to list them", file.display())
    })?;
    let machines =
        serde_json::from_value(v["machines"].clone()).context("nix listed the machines in an unexpected form")?;
    Ok(Some(project::EvaluatedNetwork { machines, function: v["function"].as_bool().unwrap_or(false) }))
}

/// Pin nixpkgs now when nix can (and track flake.lock); otherwise say why
/// and leave it to the first nix command.
fn lock(dir: &Path, say: &dyn Fn(String)) -> anyhow::Result<bool> {
    match crate::nix::Nix::find().and_then(|nix| nix.flake_lock(dir)) {
        Ok(()) => {
            crate::files::track(dir, [PathBuf::from("flake.lock")].iter())?;
            Ok(true)
        }
        Err(e) => {
            say(format!("note: nixpkgs is not locked yet ({e}); the first nix command will lock it"));
            Ok(false)
        }
    }
}

/// `--from` or `--network`, exactly one.
pub fn entry_of(from: Option<&Path>, network: Option<&Path>) -> anyhow::Result<(PathBuf, bool)> {
    match (from, network) {
        (Some(p), None) => Ok((p.to_path_buf(), false)),
        (None, Some(p)) => Ok((p.to_path_buf(), true)),
        _ => bail!("give one of --from or --network"),
    }
}
