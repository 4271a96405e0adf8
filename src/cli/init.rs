//! `nixvm init`: read the user's configuration or network file and every
//! file it refers to, plan the project (`project::plan`), and write it
//! transactionally into a git repository.

use super::Status;
use crate::lint::LintOptions;
use crate::project::{self, Entry, InitOptions, Sources};
use crate::syntax::{self, ImportTarget, PathKind};
use anyhow::{bail, Context as _};
use std::collections::{BTreeMap, VecDeque};
use std::path::{Component, Path, PathBuf};

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["from", "network"])))]
pub struct InitArgs {
    /// One machine's configuration.nix.
    #[arg(long, value_name = "CONFIG.nix")]
    from: Option<PathBuf>,
    /// A nixos-build-vms, NixOps or colmena network file.
    #[arg(long, value_name = "NETWORK.nix")]
    network: Option<PathBuf>,
    /// Where to create the project.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// nixpkgs to pin: a branch (nixos-24.11), a flake reference, a revision, or a local nixpkgs clone.
    #[arg(long)]
    nixpkgs: Option<String>,
    /// The machine's name with --from (default: its networking.hostName, else `nixos`).
    #[arg(long)]
    name: Option<String>,
    /// Fix conflicts in the copied files with lib.mkDefault (as lint --fix) instead of overriding them in the VM module.
    #[arg(long)]
    rewrite: bool,
    /// Keep imports of hardware-configuration.nix (and copy it).
    #[arg(long)]
    keep_hardware: bool,
    /// Overwrite the files of an existing project.
    #[arg(long)]
    force: bool,
    /// The system the VMs run on (default: this machine's).
    #[arg(long)]
    system: Option<String>,
    /// Do not run `nix flake lock` (the first nix command will lock).
    #[arg(long)]
    no_lock: bool,
}

/// The lint options for planning: a local nixpkgs clone's own qemu-vm.nix
/// when one is pinned, else the built-in table.
fn lint_options(nixpkgs: Option<&str>) -> LintOptions {
    let Some(clone) = nixpkgs.map(Path::new).filter(|p| p.is_dir()) else { return LintOptions::default() };
    match super::kb::choose(Some(clone), None, false, clone) {
        Ok(chosen) => {
            let release = chosen.table.release.unwrap_or(crate::lint::Release::NEWEST);
            LintOptions { release, host_system: crate::lint::host_system(), table: chosen.table }
        }
        Err(e) => {
            eprintln!("warning: {e:#}; using the built-in conflict table");
            LintOptions::default()
        }
    }
}

pub fn run(args: InitArgs, command: String) -> anyhow::Result<Status> {
    let (entry_path, declared_network) = match (&args.from, &args.network) {
        (Some(p), None) => (p.clone(), false),
        (None, Some(p)) => (p.clone(), true),
        _ => bail!("give one of --from or --network"),
    };
    let entry_abs =
        std::fs::canonicalize(&entry_path).with_context(|| format!("cannot open {}", entry_path.display()))?;
    let gathered = gather(&entry_abs, args.keep_hardware)?;
    for w in &gathered.warnings {
        eprintln!("warning: {w}");
    }
    let entry_rel = gathered.relative(&entry_abs);
    let entry = if declared_network { Entry::Network(entry_rel) } else { Entry::Config(entry_rel) };

    let nixpkgs_url = match args.nixpkgs.as_deref() {
        Some(p) if Path::new(p).is_dir() => {
            let repo = git2::Repository::open(p).with_context(|| format!("{p} is not a git clone of nixpkgs"))?;
            let head =
                repo.head().and_then(|h| h.peel_to_commit()).with_context(|| format!("{p} has no HEAD commit"))?;
            format!("github:NixOS/nixpkgs/{}", head.id())
        }
        spec => project::nixpkgs_url(spec).map_err(anyhow::Error::msg)?,
    };
    let options = InitOptions {
        name: args.name.clone(),
        nixpkgs_url,
        system: args.system.clone().unwrap_or_else(crate::lint::host_system),
        rewrite: args.rewrite,
        keep_hardware: args.keep_hardware,
        command,
        lint: lint_options(args.nixpkgs.as_deref()),
    };
    let plan = project::plan(&entry, &gathered.sources, &options).map_err(|e| match e {
        project::PlanError::Located(l) => {
            let file = gathered.root.join(&l.file);
            anyhow::anyhow!("{}:{}:{}: {}", file.display(), l.line, l.column, l.message)
        }
        other => anyhow::Error::new(other),
    })?;
    write_project(&args.dir, &plan.files, args.force)?;
    let locked = !args.no_lock && lock(&args.dir)?;

    for n in &plan.notes {
        eprintln!("note: {n}");
    }
    let dir = args.dir.display();
    println!("Created a nixvm project in {dir} for {}.", plan.machines.join(", "));
    println!("Next:");
    if args.dir != Path::new(".") {
        println!("  cd {}", shell_word(&dir.to_string()));
    }
    // Every Nix up to 2.31 and Lix ship flakes off; nixvm turns them on per
    // call, a plain `nix` command needs the flag unless nix.conf has them.
    let features = crate::nix::config::features();
    let nix = if features.has_needed() { "nix" } else { "nix --extra-experimental-features 'nix-command flakes'" };
    if !locked {
        println!("  {nix} flake lock        # pins {}", options.nixpkgs_url);
    }
    for m in &plan.machines {
        println!("  {nix} run .#vm-{m}        # or: nixvm run {m}");
    }
    if !features.has_needed() {
        println!(
            "(Your nix.conf does not enable {}; with `experimental-features = nix-command flakes` in ~/.config/nix/nix.conf, plain `nix run` works.)",
            crate::nix::config::NEEDED.iter().filter(|f| !features.enabled(f)).map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" and ")
        );
    }
    Ok(Status::Clean)
}

/// Pin nixpkgs now when nix can (and track flake.lock); otherwise say why
/// and leave it to the first nix command.
fn lock(dir: &Path) -> anyhow::Result<bool> {
    let result = crate::nix::Nix::find().and_then(|nix| nix.flake_lock(dir));
    match result {
        Ok(()) => {
            super::files::track(dir, [PathBuf::from("flake.lock")].iter())?;
            Ok(true)
        }
        Err(e) => {
            eprintln!("note: nixpkgs is not locked yet ({e}); the first nix command will lock it");
            Ok(false)
        }
    }
}

/// Quote `s` for the next-steps hint, which people paste into a shell.
fn shell_word(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

struct Gathered {
    root: PathBuf,
    sources: Sources,
    warnings: Vec<String>,
}

impl Gathered {
    fn relative(&self, abs: &Path) -> PathBuf {
        abs.strip_prefix(&self.root).map(Path::to_path_buf).unwrap_or_else(|_| abs.to_path_buf())
    }
}

/// Read `entry` and every file it refers to by a relative path (imports,
/// `./x` values, directories), following `.nix` files transitively.
fn gather(entry: &Path, keep_hardware: bool) -> anyhow::Result<Gathered> {
    let mut files: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    let mut warnings = vec![];
    let mut queue = VecDeque::from([entry.to_path_buf()]);
    while let Some(file) = queue.pop_front() {
        if files.contains_key(&file) {
            continue;
        }
        let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
        if file.extension().is_some_and(|e| e == "nix") {
            let text = String::from_utf8(bytes.clone())
                .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", file.display()))?;
            let parsed = syntax::parse(&text);
            if let Some(e) = parsed.errors.first() {
                let p = crate::text::LineIndex::new(&text).position(&text, e.span.start);
                bail!("{}:{}:{}: {}", file.display(), p.line, p.column, e.message);
            }
            let analysis = syntax::analyze(&parsed);
            let hardware: Vec<_> = analysis
                .modules
                .iter()
                .flat_map(|m| &m.imports)
                .filter(|i| i.target.file_name() == Some("hardware-configuration.nix"))
                .map(|i| i.span)
                .collect();
            for import in analysis.modules.iter().flat_map(|m| &m.imports) {
                match &import.target {
                    ImportTarget::Path(p) if p.starts_with("./") || p.starts_with("../") => {}
                    ImportTarget::ModulesPath(_) => {}
                    other => warnings.push(format!(
                        "{}: the import `{}` cannot be followed statically; it is not copied",
                        file.display(),
                        match other {
                            ImportTarget::Path(p) | ImportTarget::Str(p) | ImportTarget::Other(p) => p,
                            ImportTarget::ModulesPath(p) => p,
                        }
                    )),
                }
            }
            for path in analysis.paths.iter().filter(|p| p.kind == PathKind::Relative) {
                if !keep_hardware && hardware.iter().any(|h| h.contains(path.span)) {
                    continue;
                }
                if path.text.contains("${") {
                    warnings.push(format!("{}: `{}` is computed; it is not copied", file.display(), path.text));
                    continue;
                }
                let target = normalize(&dir.join(&path.text));
                let meta = std::fs::metadata(&target);
                match meta {
                    Ok(m) if m.is_dir() => {
                        for f in walk_dir(&target)? {
                            queue.push_back(f);
                        }
                    }
                    Ok(_) => queue.push_back(target),
                    Err(_) => {
                        let is_import =
                            analysis.modules.iter().flat_map(|m| &m.imports).any(|i| i.span.contains(path.span));
                        let p = crate::text::LineIndex::new(&text).position(&text, path.span.start);
                        let msg = format!("{}:{}:{}: `{}` does not exist", file.display(), p.line, p.column, path.text);
                        if is_import {
                            bail!("{msg}");
                        }
                        warnings.push(msg);
                    }
                }
            }
        }
        files.insert(file, bytes);
    }
    let root = common_dir(files.keys());
    let sources = Sources {
        files: files.into_iter().map(|(p, b)| (p.strip_prefix(&root).map(Path::to_path_buf).unwrap_or(p), b)).collect(),
    };
    Ok(Gathered { root, sources, warnings })
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn walk_dir(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = vec![];
    for entry in ignore::WalkBuilder::new(dir).hidden(true).build() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if entry.file_type().is_some_and(|t| t.is_file()) {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// The deepest directory containing every path.
fn common_dir<'a>(paths: impl Iterator<Item = &'a PathBuf>) -> PathBuf {
    let mut common: Option<PathBuf> = None;
    for p in paths {
        let dir = p.parent().unwrap_or(Path::new("/")).to_path_buf();
        common = Some(match common {
            None => dir,
            Some(c) => c.ancestors().find(|a| dir.starts_with(a)).map(Path::to_path_buf).unwrap_or_default(),
        });
    }
    common.unwrap_or_default()
}

/// Write `files` into `dir` as a whole or not at all: everything is written
/// to a temporary directory beside the targets first, existing files are
/// refused without `force`, then the files are moved into place and added
/// to git's index (a new repository when `dir` is in none).
fn write_project(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>, force: bool) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let existing: Vec<String> = files
        .keys()
        .filter(|rel| rel.as_path() != Path::new(".gitignore") && dir.join(rel).exists())
        .map(|r| r.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        bail!(
            "{} already has {}; nothing was written (--force overwrites them)",
            dir.display(),
            existing.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        );
    }
    let staging = tempfile::Builder::new()
        .prefix(".nixvm-init-")
        .tempdir_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    for (rel, bytes) in files {
        let path = staging.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut bytes = bytes.clone();
        if rel.as_path() == Path::new(".gitignore") {
            bytes = merged_gitignore(&dir.join(rel), &bytes);
        }
        std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    // Everything is on disk: move it into place.
    for rel in files.keys() {
        let target = dir.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::rename(staging.path().join(rel), &target)
            .with_context(|| format!("cannot move {} into place", target.display()))?;
    }
    drop(staging);
    super::files::track(dir, files.keys())
}

/// An existing .gitignore keeps its lines; the generated ones are appended
/// when missing.
fn merged_gitignore(existing: &Path, generated: &[u8]) -> Vec<u8> {
    let Ok(old) = std::fs::read_to_string(existing) else { return generated.to_vec() };
    let mut out = old.clone();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    for line in String::from_utf8_lossy(generated).lines() {
        if !line.starts_with('#') && !old.lines().any(|l| l.trim() == line) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.into_bytes()
}
