//! Whether the user's Nix configuration enables the experimental features
//! that the commands nixvm prints need (`nix-command`, `flakes`), read the
//! way Nix reads it: the system `nix.conf`, the user's files, `NIX_CONFIG`.
//! Every Nix from 2.8 to 2.31 and Lix still ships both features off;
//! Determinate Nix's installer turns them on in `/etc/nix/nix.conf`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The features `nix run .#vm-M` and `nix flake lock` need.
pub const NEEDED: [&str; 2] = ["nix-command", "flakes"];

/// The experimental features a sequence of settings leaves enabled.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Features(BTreeSet<String>);

impl Features {
    pub fn enabled(&self, feature: &str) -> bool {
        self.0.contains(feature)
    }

    /// Whether every feature nixvm's printed commands need is on.
    pub fn has_needed(&self) -> bool {
        NEEDED.iter().all(|f| self.enabled(f))
    }

    /// Apply one configuration text (a `nix.conf` or `NIX_CONFIG`):
    /// `experimental-features` replaces, `extra-experimental-features`
    /// adds; `include`/`!include` lines name other files, read through
    /// `include` (relative to `dir`).
    pub fn apply(&mut self, text: &str, dir: &Path, include: &mut dyn FnMut(&Path) -> Option<String>, depth: u8) {
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if let Some(rest) = line.strip_prefix("!include ").or_else(|| line.strip_prefix("include ")) {
                let path = dir.join(rest.trim());
                if depth < 8 {
                    if let Some(text) = include(&path) {
                        let parent = path.parent().unwrap_or(dir).to_path_buf();
                        self.apply(&text, &parent, include, depth + 1);
                    }
                }
                continue;
            }
            let Some((name, value)) = line.split_once('=') else { continue };
            let words = value.split_whitespace().map(str::to_string);
            match name.trim() {
                "experimental-features" => self.0 = words.collect(),
                "extra-experimental-features" => self.0.extend(words),
                _ => {}
            }
        }
    }
}

/// The configuration files Nix reads, in the order it applies them (a
/// later one wins): `$NIX_CONF_DIR/nix.conf` (default `/etc/nix`), then the
/// user's files, which Nix lists most important first and applies last
/// first: `NIX_USER_CONF_FILES` (colon-separated) or else `nix/nix.conf` in
/// `XDG_CONFIG_HOME` (default `~/.config`) and in each of `XDG_CONFIG_DIRS`.
pub fn files(env: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from(env("NIX_CONF_DIR").unwrap_or_else(|| "/etc/nix".into())).join("nix.conf")];
    if let Some(list) = env("NIX_USER_CONF_FILES") {
        out.extend(list.split(':').filter(|s| !s.is_empty()).rev().map(PathBuf::from));
        return out;
    }
    let dirs = env("XDG_CONFIG_DIRS").unwrap_or_else(|| "/etc/xdg".into());
    out.extend(dirs.split(':').filter(|s| !s.is_empty()).rev().map(|d| Path::new(d).join("nix/nix.conf")));
    let home = env("XDG_CONFIG_HOME").or_else(|| env("HOME").map(|h| format!("{h}/.config")));
    out.extend(home.map(|h| Path::new(&h).join("nix/nix.conf")));
    out
}

/// The experimental features this user's Nix has on, from its files and
/// `NIX_CONFIG`.
pub fn features() -> Features {
    let env = |k: &str| std::env::var(k).ok();
    let mut read = |p: &Path| std::fs::read_to_string(p).ok();
    let mut f = Features::default();
    for file in files(&env) {
        if let Some(text) = read(&file) {
            let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
            f.apply(&text, &dir, &mut read, 0);
        }
    }
    if let Some(text) = env("NIX_CONFIG") {
        f.apply(&text, Path::new("/"), &mut read, 0);
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(texts: &[&str]) -> Features {
        let mut f = Features::default();
        for t in texts {
            f.apply(
                t,
                Path::new("/etc/nix"),
                &mut |p| (p == Path::new("/etc/nix/more.conf")).then(|| "extra-experimental-features = flakes".into()),
                0,
            );
        }
        f
    }

    #[test]
    fn settings_replace_or_add() {
        assert!(!apply(&["sandbox = false"]).has_needed());
        assert!(apply(&["experimental-features = nix-command flakes # on"]).has_needed());
        assert!(!apply(&["experimental-features = nix-command"]).has_needed());
        assert!(apply(&["experimental-features = nix-command", "extra-experimental-features = flakes"]).has_needed());
        // A later plain setting replaces what came before.
        assert!(!apply(&["experimental-features = nix-command flakes", "experimental-features = ca-derivations"])
            .has_needed());
        assert!(!apply(&["# experimental-features = nix-command flakes"]).has_needed());
        assert!(apply(&["experimental-features = nix-command\n!include more.conf"]).has_needed());
        assert!(!apply(&["experimental-features = nix-command\ninclude missing.conf"]).has_needed());
    }

    #[test]
    fn files_in_nix_order() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/u".to_string()),
            "XDG_CONFIG_DIRS" => Some("/a:/b".to_string()),
            _ => None,
        };
        let want: Vec<PathBuf> =
            ["/etc/nix/nix.conf", "/b/nix/nix.conf", "/a/nix/nix.conf", "/home/u/.config/nix/nix.conf"]
                .iter()
                .map(PathBuf::from)
                .collect();
        assert_eq!(files(&env), want);
        let env = |k: &str| match k {
            "NIX_CONF_DIR" => Some("/c".to_string()),
            "NIX_USER_CONF_FILES" => Some("/x.conf:/y.conf".to_string()),
            _ => None,
        };
        let want: Vec<PathBuf> = ["/c/nix.conf", "/y.conf", "/x.conf"].iter().map(PathBuf::from).collect();
        assert_eq!(files(&env), want);
    }
}
