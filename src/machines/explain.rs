//! Nix's errors about the user's own files, explained with what to do.
//! Nix evaluates a flake from a copy of its git-tracked files in the store
//! and says only "No such file or directory" of a file it lacks there:
//! - a file git does not track: `git add -N` it;
//! - a file that does not exist: the module that imports it, at its
//!   `file:line:column`; for `hardware-configuration.nix` (made on each
//!   machine, often kept out of git) that a VM does not need it, and the
//!   two ways forward.

use std::path::{Path, PathBuf};

/// What nixvm can say of a Nix error about the user's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// Where the user's files refer to the missing file (relative to the
    /// flake's root), when nixvm found it.
    pub at: Option<Located>,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The import's bytes in the file.
    pub span: crate::text::Span,
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(at) = &self.at {
            write!(f, "{}:{}:{}: ", at.file.display(), at.line, at.column)?;
        }
        write!(f, "{}; {}", self.message, self.help)
    }
}

/// The files in the store copy of a flake that `text` (Nix's error) says
/// are missing, relative to the copy (`/nix/store/HASH-source/REL` ->
/// `REL`): as Nix 2.8 says it (`getting status of 'PATH': No such file or
/// directory`) and as newer Nix does (`path 'PATH' does not exist`).
fn store_files(text: &str) -> Vec<String> {
    let mut out = vec![];
    for (i, _) in text.match_indices("'/nix/store/") {
        let rest = &text[i + 1..];
        let Some(end) = rest.find('\'') else { continue };
        let after = &rest[end + 1..];
        if !(after.starts_with(": No such file or directory") || after.starts_with(" does not exist")) {
            continue;
        }
        let path = &rest["/nix/store/".len()..end];
        if let Some((_, rel)) = path.split_once('/').filter(|(_, rel)| !rel.is_empty()) {
            out.push(rel.to_string());
        }
    }
    out
}

/// Explain Nix's error `text` about the flake at `root` (whose own `.nix`
/// files are `files`), when it is about one of its files.
pub fn explain(root: &Path, files: &[PathBuf], text: &str) -> Option<Explanation> {
    // Newer Nix colours the paths in its messages.
    let rels = store_files(&crate::nix::message::strip_ansi(text));
    if rels.is_empty() {
        return None;
    }
    if let Some((repo, untracked)) = crate::files::untracked(root, &rels) {
        return Some(Explanation {
            at: None,
            message: format!("git does not track {} and a flake sees only tracked files", untracked.join(", ")),
            help: format!(
                "run `git add -N {}` in {}",
                untracked.join(" "),
                repo.display().to_string().trim_end_matches('/')
            ),
        });
    }
    let rel = rels.into_iter().find(|rel| !root.join(rel).exists())?;
    let at = importer(root, files, &rel);
    let written = at.as_ref().map(|(_, w)| w.clone()).unwrap_or_else(|| rel.clone());
    let at = at.map(|(l, _)| l);
    let name = Path::new(&rel).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name == "hardware-configuration.nix" {
        let importer = at.as_ref().map(|a| a.file.display().to_string()).unwrap_or_else(|| "the configuration".into());
        let dir = Path::new(&rel).parent().map(|d| d.display().to_string()).unwrap_or_default();
        let here = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        return Some(Explanation {
            at,
            message: format!(
                "`{written}` is not in the repository: nixos-generate-config makes it on each machine, and it is often kept out of git"
            ),
            help: format!(
                "a VM does not need it: `nixvm init --from {importer}` makes a project whose copy leaves it out; or generate it (`nixos-generate-config --show-hardware-config > {here}hardware-configuration.nix`) and `git add -N {here}hardware-configuration.nix`"
            ),
        });
    }
    Some(Explanation {
        at,
        message: format!("`{written}` does not exist"),
        help: format!("create {rel}, or take its import out"),
    })
}

/// The file of `files` that refers to `root/rel` by a relative path, where,
/// and the path as written.
fn importer(root: &Path, files: &[PathBuf], rel: &str) -> Option<(Located, String)> {
    let wanted = crate::text::normalize_path(&root.join(rel));
    for file in files {
        let Some(text) = crate::files::read_text(file) else { continue };
        let dir = file.parent().unwrap_or(root);
        let analysis = crate::syntax::analyze(&crate::syntax::parse(&text));
        for path in analysis.paths.iter().filter(|p| p.kind == crate::syntax::PathKind::Relative) {
            let written = &text[path.span.start..path.span.end];
            let target = crate::text::normalize_path(&dir.join(written));
            if target == wanted || target.join("default.nix") == wanted {
                let p = crate::text::LineIndex::new(&text).position(&text, path.span.start);
                let file = file.strip_prefix(root).unwrap_or(file).to_path_buf();
                let located = Located { file, line: p.line, column: p.column, span: path.span };
                return Some((located, written.to_string()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_paths_name_the_flakes_files() {
        let text = "error: getting status of '/nix/store/abc-source/hosts/web/hardware-configuration.nix': No such file or directory";
        assert_eq!(store_files(text), ["hosts/web/hardware-configuration.nix"]);
        let newer = "error: path '/nix/store/abc-source/hosts/web/x.nix' does not exist";
        assert_eq!(store_files(newer), ["hosts/web/x.nix"]);
        // An option that does not exist is no missing file.
        let option = "error: The option `services.webcache' does not exist. Definition values:\n- In `/nix/store/abc-source/network/network.nix'";
        assert!(store_files(option).is_empty());
    }

    #[test]
    fn a_missing_hardware_configuration_is_explained_at_its_import() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("hosts/web")).unwrap();
        let config = root.join("hosts/web/configuration.nix");
        std::fs::write(&config, "{ ... }:\n{\n  imports = [ ./hardware-configuration.nix ];\n}\n").unwrap();
        let text = "error: getting status of '/nix/store/abc-source/hosts/web/hardware-configuration.nix': No such file or directory";
        let e = explain(root, std::slice::from_ref(&config), text).unwrap();
        let at = e.at.clone().unwrap();
        assert_eq!((at.file.to_str(), at.line, at.column), (Some("hosts/web/configuration.nix"), 3, 15));
        assert!(e.message.contains("`./hardware-configuration.nix` is not in the repository"), "{e}");
        assert!(e.help.contains("nixvm init --from hosts/web/configuration.nix"), "{e}");
        assert!(e.help.contains("git add -N hosts/web/hardware-configuration.nix"), "{e}");
        // Any other file: where it is imported.
        let other = "error: getting status of '/nix/store/abc-source/hosts/web/gone.nix': No such file or directory";
        std::fs::write(&config, "{ ... }:\n{\n  imports = [\n    ./gone.nix\n  ];\n}\n").unwrap();
        let e = explain(root, std::slice::from_ref(&config), other).unwrap();
        assert_eq!(e.to_string(), "hosts/web/configuration.nix:4:5: `./gone.nix` does not exist; create hosts/web/gone.nix, or take its import out");
        assert_eq!(explain(root, &[config], "error: undefined variable 'x'"), None);
    }
}
