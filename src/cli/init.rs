//! `nixvm init`: read the user's configuration or network file and every
//! file it refers to, plan the project (`project::plan`), and write it
//! transactionally into a git repository.

use super::Status;
use crate::lint::LintOptions;
use crate::project::{self, Entry, InitOptions};
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};

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
    match crate::pinned::choose(Some(clone), None, false, clone) {
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
    let gathered = project::gather(&entry_abs, args.keep_hardware)?;
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
    crate::files::write_tree(&args.dir, &plan.files, args.force)?;
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
            crate::files::track(dir, [PathBuf::from("flake.lock")].iter())?;
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
