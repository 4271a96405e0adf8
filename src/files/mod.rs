//! The file system, the way nixvm touches it: finding `.nix` files, reading
//! them, writing a file atomically or a whole tree of files at once, adding
//! files to git's index (a flake sees only tracked files), and finding the
//! flake around a directory. No process is started here.

use anyhow::{bail, Context as _};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A path the walk could not read, and why.
pub type Problem = (PathBuf, String);

/// The files to lint under `paths`: files as given, directories walked for
/// `*.nix` (respecting `.gitignore`), sorted. Problems are returned beside
/// the files found, each with the path it concerns.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let (files, errors) = walk(paths, |_, _| {});
    (files.into_iter().map(|(_, p)| p).collect(), errors)
}

/// `collect`, handing each file to `found` as soon as the walk meets it,
/// with how many files it met before (so that work on the files can start
/// before the walk ends). The files come back in `collect`'s order, each
/// with that number.
pub fn walk(paths: &[PathBuf], mut found: impl FnMut(usize, &Path)) -> (Vec<(usize, PathBuf)>, Vec<Problem>) {
    let mut files = vec![];
    let mut errors = vec![];
    let mut met = 0;
    let mut meet = |path: PathBuf, into: &mut Vec<(usize, PathBuf)>| {
        found(met, &path);
        into.push((met, path));
        met += 1;
    };
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => errors.push((path.clone(), e.to_string())),
            Ok(m) if m.is_file() => meet(path.clone(), &mut files),
            Ok(m) if m.is_dir() => {
                let mut under = vec![];
                for entry in ignore::WalkBuilder::new(path).hidden(true).parents(true).follow_links(false).build() {
                    match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                            if e.path().extension().is_some_and(|x| x == "nix") {
                                meet(e.into_path(), &mut under);
                            }
                        }
                        Ok(_) => {}
                        Err(e) => errors.push((path.clone(), e.to_string())),
                    }
                }
                under.sort_by(|a, b| a.1.cmp(&b.1));
                files.extend(under);
            }
            Ok(_) => errors.push((path.clone(), "not a file or directory".to_string())),
        }
    }
    (files, errors)
}

/// A file's text, or where it stops being UTF-8.
pub enum Contents {
    Text(String),
    /// Not UTF-8: the text up to the first invalid byte (lossy), and that
    /// byte's offset.
    Binary {
        lossy: String,
        bad_offset: usize,
    },
}

pub fn read(path: &Path) -> anyhow::Result<Contents> {
    // Into room for most files, without asking their size first.
    let read = |path| -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(16 << 10);
        std::io::Read::read_to_end(&mut std::fs::File::open(path)?, &mut bytes)?;
        bytes.shrink_to_fit();
        Ok(bytes)
    };
    let bytes = read(path).with_context(|| format!("cannot read {}", path.display()))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Contents::Text(text)),
        Err(e) => {
            let bad_offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            Ok(Contents::Binary { lossy: String::from_utf8_lossy(&bytes[..bad_offset]).into_owned(), bad_offset })
        }
    }
}

/// Replace the contents of `path` with `text` atomically: write a temporary
/// file beside it, keep the original's permissions, rename over it. A
/// symlink is followed and its target replaced. Read-only files are refused.
/// A new file gets mode 0644.
pub fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let (target, permissions) = match std::fs::canonicalize(path) {
        Ok(target) => {
            let meta = std::fs::metadata(&target).with_context(|| format!("cannot stat {}", path.display()))?;
            if meta.permissions().readonly() {
                bail!("{} is read-only; not written", path.display());
            }
            (target, meta.permissions())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_err() => {
            (path.to_path_buf(), std::os::unix::fs::PermissionsExt::from_mode(0o644))
        }
        Err(e) => return Err(e).with_context(|| format!("cannot resolve {}", path.display())),
    };
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".nixvm-fix-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    std::fs::set_permissions(tmp.path(), permissions)
        .with_context(|| format!("cannot set permissions on a temporary file in {}", dir.display()))?;
    tmp.persist(&target).map_err(|e| e.error).with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Write one of nixvm's own state files (`.nixvm/`: a port, a pid, the
/// wrapper flake), whole or not at all: a temporary file renamed over it,
/// without `write_atomically`'s flush to disk (state is remade by the next
/// command; a user's file is not), with permissions `mode`. A file that
/// holds `text` already is left alone (many are rewritten on every
/// command, some every second).
pub fn write_state(path: &Path, text: &str, mode: u32) -> anyhow::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|now| now == text) {
        return Ok(());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".nixvm-state-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(mode))
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(text.as_bytes()).with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Add the files to the index of the repository `dir` is in (creating one
/// at `dir` when there is none): flakes see only tracked files. Whether it
/// made the repository.
pub fn track<'a>(dir: &Path, files: impl Iterator<Item = &'a PathBuf>) -> anyhow::Result<bool> {
    let abs = std::fs::canonicalize(dir).with_context(|| format!("cannot resolve {}", dir.display()))?;
    let (repo, made) = match git2::Repository::discover(&abs) {
        Ok(r) if r.workdir().is_some() => (r, false),
        _ => (
            git2::Repository::init(&abs)
                .with_context(|| format!("cannot create a git repository in {}", dir.display()))?,
            true,
        ),
    };
    let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or(abs.clone());
    let workdir = std::fs::canonicalize(&workdir).unwrap_or(workdir);
    let mut index = repo.index().context("cannot open the git index")?;
    for rel in files {
        let full = abs.join(rel);
        let in_repo =
            full.strip_prefix(&workdir).with_context(|| format!("{} is outside the repository", full.display()))?;
        index.add_path(in_repo).with_context(|| format!("cannot add {} to git", in_repo.display()))?;
    }
    index.write().context("cannot write the git index")?;
    Ok(made)
}

/// Commit what the index of the repository at `dir` holds, as its first
/// commit, with `message`: by the user's git identity (user.name and
/// user.email), else by `nixvm <nixvm@localhost>`. Who committed.
pub fn commit_first(dir: &Path, message: &str) -> anyhow::Result<String> {
    let repo =
        git2::Repository::open(dir).with_context(|| format!("cannot open the repository in {}", dir.display()))?;
    let signature = match repo.signature() {
        Ok(s) => s,
        Err(_) => git2::Signature::now("nixvm", "nixvm@localhost").context("cannot make a git signature")?,
    };
    let who = format!("{} <{}>", signature.name().unwrap_or("?"), signature.email().unwrap_or("?"));
    let mut index = repo.index().context("cannot open the git index")?;
    let tree = repo.find_tree(index.write_tree().context("cannot write the git tree")?)?;
    repo.commit(Some("HEAD"), &signature, &signature, message, &tree, &[])
        .with_context(|| format!("cannot commit in {}", dir.display()))?;
    Ok(who)
}

/// Write `files` into `dir` as a whole or not at all: everything is written
/// to a temporary directory beside the targets first, existing files are
/// refused without `force`, then the files are moved into place and added
/// to git's index (a new repository when `dir` is in none: whether it made
/// one).
pub fn write_tree(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>, force: bool) -> anyhow::Result<bool> {
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
    track(dir, files.keys())
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

/// Of the paths `rels` (relative to the root of the git repository `dir`
/// is in), those that exist but git does not track: a flake in that
/// repository cannot see them. The repository's root comes with them.
pub fn untracked(dir: &Path, rels: &[String]) -> Option<(PathBuf, Vec<String>)> {
    let repo = git2::Repository::discover(dir).ok()?;
    let root = repo.workdir()?.to_path_buf();
    let index = repo.index().ok()?;
    let found: Vec<String> = rels
        .iter()
        .filter(|rel| root.join(rel).is_file() && index.get_path(Path::new(rel.as_str()), 0).is_none())
        .cloned()
        .collect();
    (!found.is_empty()).then_some((root, found))
}

/// Absolute paths, with links resolved, for the files `collect` found:
/// each directory is resolved once (resolving a path asks the system about
/// each of its components), and a file itself only when it is a symbolic
/// link, which only a file given by name can be (a walk takes none).
pub struct Resolver {
    /// Each directory met, resolved (shared by the threads that ask).
    dirs: std::sync::Mutex<std::collections::HashMap<PathBuf, Option<PathBuf>>>,
    links: std::collections::HashSet<PathBuf>,
}

impl Resolver {
    /// Ready for the files found under `given`.
    pub fn new(given: &[PathBuf]) -> Resolver {
        let links = given
            .iter()
            .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()))
            .cloned()
            .collect();
        Resolver { dirs: Default::default(), links }
    }

    /// `path` (a file found under the paths given to `new`) made absolute
    /// with links resolved.
    pub fn absolute(&self, path: &Path) -> Option<PathBuf> {
        let name = path.file_name()?;
        if self.links.contains(path) {
            return std::fs::canonicalize(path).ok();
        }
        let dir = dir_of(path);
        let mut dirs = self.dirs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let resolved = dirs.entry(dir.to_path_buf()).or_insert_with(|| std::fs::canonicalize(dir).ok());
        Some(resolved.as_ref()?.join(name))
    }
}

/// The directory `path` is in (`.` for a bare name).
fn dir_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Whether `dir` is inside a git work tree, decided as Nix decides whether
/// a local flake is a git flake: `dir` or an ancestor holds `.git` (a
/// directory, or the file a linked work tree or submodule has). Cheaper
/// than opening the repository, which reads git's configuration files.
pub fn in_git_work_tree(dir: &Path) -> bool {
    dir.ancestors().any(|d| d.join(".git").exists())
}

/// The flake around `start` (a directory, or a file in one): the nearest
/// directory, `start`'s own or an ancestor's, that holds `flake.nix`.
pub fn enclosing_flake(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let dir = if start.is_dir() { start } else { start.parent()?.to_path_buf() };
    dir.ancestors().find(|d| d.join("flake.nix").is_file()).map(Path::to_path_buf)
}

/// A file's text, when it can be read as UTF-8: for readers that treat a
/// missing file as no file.
pub fn read_text(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk hands over every file it returns, once, numbered as met,
    /// and returns them sorted under each path as `collect` does.
    #[test]
    fn the_walk_hands_over_each_file_as_met() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.nix", "a.nix", "sub/c.nix", "sub/a.nix", "x.txt"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{ }").unwrap();
        }
        let given = [dir.path().join("sub/c.nix"), dir.path().to_path_buf()];
        let mut met = vec![];
        let (files, errors) = walk(&given, |n, p| met.push((n, p.to_path_buf())));
        assert!(errors.is_empty());
        met.sort();
        let mut numbered = files.clone();
        numbered.sort();
        assert_eq!(met, numbered);
        assert_eq!(met.iter().map(|(n, _)| *n).collect::<Vec<_>>(), (0..5).collect::<Vec<_>>());
        let paths: Vec<PathBuf> = files.into_iter().map(|(_, p)| p).collect();
        assert_eq!(paths, collect(&given).0);
        let names: Vec<String> =
            paths.iter().map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
        assert_eq!(names, ["sub/c.nix", "a.nix", "b.nix", "sub/a.nix", "sub/c.nix"]);
    }

    /// Resolving directories once gives what resolving each file gives:
    /// through a linked directory, for a linked file, for a missing one.
    #[test]
    fn the_resolver_resolves_as_canonicalize_does() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("hosts")).unwrap();
        std::fs::write(real.join("a.nix"), "{ }").unwrap();
        std::fs::write(real.join("hosts/b.nix"), "{ }").unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(real.join("hosts/b.nix"), real.join("c.nix")).unwrap();
        // A walk of `link` finds a.nix and hosts/b.nix (not the link
        // c.nix); c.nix is given by name.
        let given = [dir.path().join("link"), real.join("c.nix")];
        let (files, errors) = collect(&given);
        assert!(errors.is_empty());
        assert_eq!(files.len(), 3);
        let resolver = Resolver::new(&given);
        for p in &files {
            assert_eq!(resolver.absolute(p), std::fs::canonicalize(p).ok(), "{}", p.display());
        }
        assert_eq!(resolver.absolute(&given[1]), Some(std::fs::canonicalize(real.join("hosts/b.nix")).unwrap()));
    }

    #[test]
    fn a_git_work_tree_is_any_ancestor_with_dot_git_as_nix_decides() {
        let dir = tempfile::tempdir().unwrap();
        let flake = dir.path().join("repo/hosts");
        std::fs::create_dir_all(&flake).unwrap();
        assert!(!in_git_work_tree(&flake));
        // A linked work tree or a submodule has a `.git` file.
        std::fs::write(dir.path().join("repo/.git"), "gitdir: ../main/.git/worktrees/repo\n").unwrap();
        assert!(in_git_work_tree(&flake));
        std::fs::remove_file(dir.path().join("repo/.git")).unwrap();
        std::fs::create_dir(dir.path().join("repo/.git")).unwrap();
        assert!(in_git_work_tree(&flake));
    }

    #[test]
    fn state_files_are_written_with_their_mode_and_only_when_they_change() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ssh_config");
        write_state(&path, "a\n", 0o600).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\n");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let inode = std::fs::metadata(&path).unwrap().ino();
        write_state(&path, "a\n", 0o600).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().ino(), inode, "the same text is not written again");
        write_state(&path, "b\n", 0o600).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "b\n");
        assert_ne!(std::fs::metadata(&path).unwrap().ino(), inode);
    }

    #[test]
    fn atomic_write_keeps_permissions_and_refuses_read_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.nix");
        std::fs::write(&f, "old").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&f, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "new");
        assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o640);
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(write_atomically(&f, "newer").is_err());
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "new");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }

    #[test]
    fn symlinks_are_followed_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.nix");
        let link = dir.path().join("link.nix");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }
}
