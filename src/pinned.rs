//! Which qemu-vm.nix conflict table applies (for `lint`, `kb` and `init`):
//! the one read from `--nixpkgs PATH`, else from the nixpkgs the enclosing
//! flake's `flake.lock` pins when its source is in the Nix store (its store
//! path computed from the lock, no nix call), else the built-in table for
//! `--release`. Reads files; starts no process.

use crate::lint::kb::{self, ConflictTable};
use crate::lint::Release;
use anyhow::Context as _;
use std::path::{Path, PathBuf};

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
        if !root.exists() {
            anyhow::bail!("--nixpkgs {}: no such file or directory", root.display());
        }
        if !root.is_dir() {
            anyhow::bail!("--nixpkgs {}: not a directory (give a nixpkgs source tree)", root.display());
        }
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
            let newest = Release::NEWEST;
            return Ok(builtin(Some(format!("{}: {e}; using the built-in table for NixOS {newest}", lock.display()))));
        }
    };
    // Without the source, the branch the lock follows says the release.
    let fallback = input.branch.as_deref().and_then(Release::of_branch).unwrap_or(Release::NEWEST);
    let builtin = |note| Chosen { table: kb::builtin(fallback, test_framework), note };
    if !input.store_path.join(kb::QEMU_VM).is_file() {
        return Ok(builtin(Some(format!(
            "{} pins nixpkgs {}, which is not in the Nix store yet (`nix flake archive` fetches it); using the built-in table for NixOS {fallback}",
            lock.display(),
            input.reference,
        ))));
    }
    let source = format!("nixpkgs {} ({})", input.reference, lock.display());
    match from_tree(&input.store_path, &source, test_framework) {
        Ok(table) => Ok(Chosen { table, note: None }),
        Err(e) => Ok(builtin(Some(format!("{e:#}; using the built-in table for NixOS {fallback}")))),
    }
}

/// What `choose` with neither a path nor a release reads besides `start`
/// itself, as text that changes when the table could: the lock's path,
/// size and modification time, and whether the nixpkgs it pins is in the
/// Nix store yet (it arrives with the first build).
pub fn fingerprint(start: &Path) -> String {
    let Some(lock) = find_lock(start) else { return "no lock".into() };
    let meta = std::fs::metadata(&lock).ok();
    let store_dir = std::env::var("NIX_STORE_DIR").unwrap_or_else(|_| "/nix/store".into());
    let present = std::fs::read_to_string(&lock)
        .ok()
        .and_then(|text| crate::nix::lock::locked_input(&text, "nixpkgs", &store_dir).ok())
        .is_some_and(|input| input.store_path.join(kb::QEMU_VM).is_file());
    format!(
        "{} {} {:?} {present}",
        lock.display(),
        meta.as_ref().map_or(0, |m| m.len()),
        meta.and_then(|m| m.modified().ok())
    )
}

fn from_tree(root: &Path, source: &str, test_framework: bool) -> anyhow::Result<ConflictTable> {
    let read = |rel: &str| crate::files::read_text(&root.join(rel));
    kb::derive(source, &read, test_framework)
        .with_context(|| format!("cannot read the conflict table of {}", root.display()))
}

/// The flake.lock of the flake around `start`.
fn find_lock(start: &Path) -> Option<PathBuf> {
    Some(crate::files::enclosing_flake(start)?.join("flake.lock")).filter(|l| l.is_file())
}
