//! The one place that runs `nix`. Arguments are passed as argv, never
//! through a shell; experimental features are enabled per call so Nix 2.8
//! (Debian's) works without configuration.

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum NixError {
    #[error("nix is not installed (not found on PATH)")]
    NotFound,
    #[error("cannot run nix: {0}")]
    Spawn(std::io::Error),
    /// Nix ran and failed; its last error line.
    #[error("{0}")]
    Failed(String),
}

/// How to call nix.
#[derive(Debug, Clone)]
pub struct Nix {
    program: PathBuf,
}

impl Nix {
    /// `nix` from PATH.
    pub fn find() -> Result<Nix, NixError> {
        let path = std::env::var_os("PATH").ok_or(NixError::NotFound)?;
        std::env::split_paths(&path)
            .map(|d| d.join("nix"))
            .find(|c| c.is_file())
            .map(|program| Nix { program })
            .ok_or(NixError::NotFound)
    }

    fn command(&self, dir: &Path) -> Command {
        let mut c = Command::new(&self.program);
        c.current_dir(dir).args(["--extra-experimental-features", "nix-command flakes"]);
        c
    }

    /// `nix flake lock` in `dir`: writes `flake.lock`.
    pub fn flake_lock(&self, dir: &Path) -> Result<(), NixError> {
        let out = self.command(dir).args(["flake", "lock"]).output().map_err(NixError::Spawn)?;
        if out.status.success() {
            Ok(())
        } else {
            Err(NixError::Failed(last_error(&String::from_utf8_lossy(&out.stderr))))
        }
    }
}

/// The line of Nix's output that says what went wrong.
fn last_error(stderr: &str) -> String {
    stderr
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"))
        .or_else(|| stderr.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("nix failed without a message")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_error_line_is_found() {
        let stderr = "warning: Git tree is dirty\nerror: unable to download 'x': Couldn't resolve host name (6)\n(use '--show-trace' to show detailed location information)\n";
        assert_eq!(super::last_error(stderr), "error: unable to download 'x': Couldn't resolve host name (6)");
    }
}
