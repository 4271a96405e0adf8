//! Where machines come from. Every lifecycle command asks a `Source`:
//! which flake to evaluate and in which directory, the installable of a
//! machine's VM and of its VM system, where its state lives, which files
//! are the user's. Commands never ask which kind of source it is.
//!
//! Kinds: a nixvm project (`flake.nix` beside `nixvm/vm.nix`, made by
//! `init`), whose flake exposes `vm-M` and `vmSystem-M`.

use super::state::{self, MachineState};
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};

/// The kinds of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A nixvm project made by `init`.
    Project,
}

/// Where a command's machines come from.
#[derive(Debug, Clone)]
pub struct Source {
    kind: Kind,
    root: PathBuf,
    /// What the user should know about it (said once, by `cli`).
    pub warnings: Vec<String>,
}

impl Source {
    /// The source around `start` (default: the current directory): the
    /// nearest nixvm project.
    pub fn find(start: Option<&Path>) -> anyhow::Result<Source> {
        let start = match start {
            Some(d) => d.to_path_buf(),
            None => std::env::current_dir().context("cannot read the current directory")?,
        };
        let start = std::fs::canonicalize(&start).with_context(|| format!("cannot open {}", start.display()))?;
        let Some(root) = start.ancestors().find(|d| is_project(d)).map(Path::to_path_buf) else {
            bail!(
                "{} is not in a nixvm project (no flake.nix with nixvm/vm.nix); run `nixvm init` first",
                start.display()
            );
        };
        let mut warnings = vec![];
        if root.to_string_lossy().contains(|c: char| c.is_whitespace() || "%#?".contains(c)) {
            warnings.push(format!(
                "{} has whitespace, `%`, `#` or `?` in its path, which Nix 2.8 cannot use for a flake (\"is not a valid URL\"); move the project if nix fails",
                root.display()
            ));
        }
        Ok(Source { kind: Kind::Project, root, warnings })
    }

    /// What kind of source this is, for people.
    pub fn describe(&self) -> String {
        match self.kind {
            Kind::Project => format!("nixvm project {}", self.root.display()),
        }
    }

    /// The directory nix runs in; installables are relative to it.
    pub fn dir(&self) -> &Path {
        &self.root
    }

    /// The attribute set of the machines' configurations.
    pub fn configurations(&self) -> String {
        ".#nixosConfigurations".into()
    }

    /// The installable of `machine`'s VM (`config.system.build.vm` of its
    /// VM variant).
    pub fn vm(&self, machine: &str) -> String {
        match self.kind {
            Kind::Project => format!(".#vm-{machine}"),
        }
    }

    /// The installable of the system a running VM of `machine` switches to.
    pub fn vm_system(&self, machine: &str) -> String {
        match self.kind {
            Kind::Project => format!(".#vmSystem-{machine}"),
        }
    }

    /// `.nixvm/` at the root: machines' state, the key, known_hosts.
    pub fn state_dir(&self) -> PathBuf {
        state::nixvm_dir(&self.root)
    }

    /// One machine's state.
    pub fn state(&self, machine: &str) -> MachineState {
        MachineState::of(&self.root, machine)
    }

    /// The user's file at `rel` (a path relative to the root, as Nix's
    /// messages name them inside the flake's source).
    pub fn user_file(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Where the flake reads the project's public key from, and its path
    /// relative to the root (git must track it): a project's own
    /// `nixvm/ssh-key.pub`.
    pub fn public_key_in_flake(&self) -> Option<(PathBuf, PathBuf)> {
        match self.kind {
            Kind::Project => {
                let rel = PathBuf::from("nixvm/ssh-key.pub");
                Some((self.root.join(&rel), rel))
            }
        }
    }

    /// The machines with state here (for commands that need no nix):
    /// `named` when given, else every machine directory under `.nixvm/`.
    pub fn machines_with_state(&self, named: &[String]) -> anyhow::Result<Vec<String>> {
        if !named.is_empty() {
            named.iter().try_for_each(|m| check_name(m))?;
            return Ok(named.to_vec());
        }
        let mut out = vec![];
        if let Ok(entries) = std::fs::read_dir(self.state_dir()) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if e.path().is_dir() && crate::project::is_machine_name(&name) {
                    out.push(name);
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

/// A nixvm project's root: `flake.nix` and `nixvm/vm.nix`.
fn is_project(dir: &Path) -> bool {
    dir.join("flake.nix").is_file() && dir.join("nixvm/vm.nix").is_file()
}

/// A machine name from the user: a Nix identifier and a safe file name.
pub fn check_name(machine: &str) -> anyhow::Result<()> {
    if !crate::project::is_machine_name(machine) {
        bail!("`{machine}` is not a machine name");
    }
    Ok(())
}

/// `named` checked against the machines there are (`all`): names, then
/// existence.
pub fn check_known(named: &[String], all: &[String]) -> anyhow::Result<()> {
    for m in named {
        check_name(m)?;
        if !all.contains(m) {
            bail!("no machine `{m}` in this project (machines: {})", all.join(", "));
        }
    }
    Ok(())
}
