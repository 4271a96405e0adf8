//! `nixvm kb`: the qemu-vm.nix conflict table nixvm uses, and how `lint`
//! and `kb` choose it: `--nixpkgs PATH`, else the nixpkgs the project's
//! `flake.lock` pins when its source is in the Nix store, else the built-in
//! table for `--release`.

use super::lint::Format;
use super::Status;
use crate::lint::kb::{self, ConflictTable};
use crate::lint::Release;
use anyhow::Context as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct KbArgs {
    /// A nixpkgs source tree to read qemu-vm.nix from.
    #[arg(long, value_name = "PATH", conflicts_with = "release")]
    pub nixpkgs: Option<PathBuf>,
    /// Use the built-in table for this release (YY.MM or `unstable`) instead
    /// of the pinned nixpkgs.
    #[arg(long)]
    pub release: Option<Release>,
    /// Also what the NixOS test framework (nixos-build-vms) defines.
    #[arg(long)]
    pub test_framework: bool,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Where to look for flake.lock (default: the current directory and up).
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Where the table came from, beyond its own `source`, for the user.
pub struct Chosen {
    pub table: ConflictTable,
    /// Why the pinned nixpkgs was not used, when a lock pins one.
    pub note: Option<String>,
}

/// The table for a command run from `start` (a directory, or a file in one).
pub fn choose(
    nixpkgs: Option<&Path>,
    release: Option<Release>,
    test_framework: bool,
    start: &Path,
) -> anyhow::Result<Chosen> {
    if let Some(root) = nixpkgs {
        let table = from_tree(root, &root.display().to_string(), test_framework)?;
        return Ok(Chosen { table, note: None });
    }
    let builtin = |note| Chosen { table: kb::builtin(release.unwrap_or(Release::NEWEST), test_framework), note };
    if release.is_some() {
        return Ok(builtin(None));
    }
    let Some(lock) = find_lock(start) else { return Ok(builtin(None)) };
    let store_dir = std::env::var("NIX_STORE_DIR").unwrap_or_else(|_| "/nix/store".into());
    let text = std::fs::read_to_string(&lock).with_context(|| format!("cannot read {}", lock.display()))?;
    let input = match crate::nix::lock::locked_input(&text, "nixpkgs", &store_dir) {
        Ok(input) => input,
        // A flake without a nixpkgs input: nothing pinned to read.
        Err(crate::nix::lock::LockError::NoInput(_)) => return Ok(builtin(None)),
        Err(e) => {
            let release = release.unwrap_or(Release::NEWEST);
            return Ok(builtin(Some(format!("{}: {e}; using the built-in table for NixOS {release}", lock.display()))));
        }
    };
    if !input.store_path.join(kb::QEMU_VM).is_file() {
        return Ok(builtin(Some(format!(
            "{} pins nixpkgs {}, which is not in the Nix store yet (`nix flake archive` fetches it); using the built-in table for NixOS {}",
            lock.display(),
            input.reference,
            release.unwrap_or(Release::NEWEST)
        ))));
    }
    let source = format!("nixpkgs {} ({})", input.reference, lock.display());
    match from_tree(&input.store_path, &source, test_framework) {
        Ok(table) => Ok(Chosen { table, note: None }),
        Err(e) => Ok(builtin(Some(format!(
            "{e:#}; using the built-in table for NixOS {}",
            release.unwrap_or(Release::NEWEST)
        )))),
    }
}

fn from_tree(root: &Path, source: &str, test_framework: bool) -> anyhow::Result<ConflictTable> {
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).ok();
    kb::derive(source, &read, test_framework)
        .with_context(|| format!("cannot read the conflict table of {}", root.display()))
}

/// The flake.lock of the flake around `start`.
fn find_lock(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let dir = if start.is_dir() { start } else { start.parent()?.to_path_buf() };
    let flake = dir.ancestors().find(|d| d.join("flake.nix").is_file())?;
    Some(flake.join("flake.lock")).filter(|l| l.is_file())
}

pub fn run(args: KbArgs) -> anyhow::Result<Status> {
    let start = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let chosen = choose(args.nixpkgs.as_deref(), args.release, args.test_framework, &start)?;
    if let Some(note) = &chosen.note {
        eprintln!("note: {note}");
    }
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&chosen.table).context("cannot render the table")?),
        Format::Human => print!("{}", human(&chosen.table)),
    }
    Ok(Status::Clean)
}

/// The table for people: one line per option, with its value, condition
/// and origin.
pub fn human(t: &ConflictTable) -> String {
    let mut rows: Vec<(String, String, String)> = vec![];
    let mut sections: Vec<(&str, std::ops::Range<usize>)> = vec![];
    let when = kb::when;
    let start = rows.len();
    for p in &t.plain {
        rows.push((
            crate::syntax::dotted(&p.option),
            format!("= {}{}", p.describe(), when(&p.conditions)),
            p.origin.clone().unwrap_or_default(),
        ));
    }
    sections
        .push(("Set at normal priority: yours conflicts when it differs (lint code qemu-conflict)", start..rows.len()));
    let start = rows.len();
    for o in &t.overridden {
        rows.push((
            crate::syntax::dotted(&o.option),
            format!("{}{}", o.via, when(&o.conditions)),
            o.origin.clone().unwrap_or_default(),
        ));
    }
    sections.push(("Replaced in the VM: yours is ignored there (vm-override-ignored)", start..rows.len()));
    let start = rows.len();
    for m in &t.merged {
        rows.push((crate::syntax::dotted(&m.option), m.reason.clone(), m.origin.clone().unwrap_or_default()));
    }
    sections.push(("Merged with yours, never a conflict", start..rows.len()));

    let w0 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let release = t.release.map(|r| format!(" (NixOS {r})")).unwrap_or_default();
    let mut out = format!("Conflict table: {}{release}\n", t.source);
    for (title, range) in sections {
        if range.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}:\n"));
        for (a, b, c) in &rows[range] {
            let line = format!("  {a:<w0$}  {b:<w1$}  {c}");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    for w in &t.warnings {
        out.push_str(&format!("\nwarning: {w}\n"));
    }
    out
}
