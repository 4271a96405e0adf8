//! Where machines come from. Every lifecycle command asks a `Source`:
//! which flake to evaluate and in which directory, the installable of a
//! machine's VM and of its VM system, where its state lives, which files
//! are the user's. Commands never ask which kind of source it is.
//!
//! Kinds:
//! - a nixvm project (`flake.nix` beside `nixvm/vm.nix`, made by `init`),
//!   whose flake exposes `vm-M` and `vmSystem-M`;
//! - flake mode: any other flake's `nixosConfigurations` (or colmena
//!   hive), used as they are. A small wrapper flake in `.nixvm/.flake/`
//!   takes the user's flake as its input `user` and adds nixvm's VM module
//!   to each machine with `extendModules`, so a VM is one `nix build` of
//!   one installable, nothing is written in the user's tree but `.nixvm/`
//!   (which ignores itself), the user's `flake.lock` pins nixpkgs, and
//!   `nixosConfigurations.M` stays the hardware.

pub use super::known::check_name;
use super::state::{self, MachineState};
use super::wrapper::{self, Output};
use crate::check::Variant;
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};

/// The kinds of source.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// A nixvm project made by `init`.
    Project,
    /// A flake's own machines; `reference` as nix is given it in the root
    /// directory (`.` for the flake there).
    Flake { reference: String, output: Output },
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
    /// The source for a command run in `start` (default: the current
    /// directory): `flake` when given (a directory, or any flake reference
    /// nix accepts), else the nearest directory, `start` or above, holding
    /// `flake.nix`: a nixvm project when `nixvm/vm.nix` is beside it, else
    /// that flake's machines.
    pub fn find(start: Option<&Path>, flake: Option<&str>) -> anyhow::Result<Source> {
        let here = match start {
            Some(d) => d.to_path_buf(),
            None => std::env::current_dir().context("cannot read the current directory")?,
        };
        let here = std::fs::canonicalize(&here).with_context(|| format!("cannot open {}", here.display()))?;
        let root = match flake {
            // Another flake than a directory's: state stays here.
            Some(reference) if !Path::new(reference).is_dir() => {
                let kind = Kind::Flake { reference: reference.to_string(), output: Output::Configurations };
                return Ok(Source { kind, root: here, warnings: vec![] });
            }
            Some(dir) => {
                let dir = std::fs::canonicalize(dir).with_context(|| format!("cannot open {dir}"))?;
                if !dir.join("flake.nix").is_file() {
                    bail!("{} has no flake.nix", dir.display());
                }
                dir
            }
            None => match crate::files::enclosing_flake(&here) {
                Some(root) => root,
                None => bail!(
                    "{} is in no flake (no flake.nix here or above) and no nixvm project; run `nixvm init` first, or pass --flake",
                    here.display()
                ),
            },
        };
        let kind = if is_project(&root) {
            Kind::Project
        } else if !crate::files::in_git_work_tree(&root) {
            // Nix copies a flake outside git whole, `.nixvm/` (the key, the
            // disks) included, into the world-readable store.
            bail!(
                "{} is a flake outside any git repository: nix would copy nixvm's state (.nixvm/, with the private key) into the Nix store; run `git init` there (and `git add -N .`), or pass --flake with another flake reference",
                root.display()
            );
        } else {
            let flake_nix = std::fs::read_to_string(root.join("flake.nix")).unwrap_or_default();
            Kind::Flake { reference: ".".into(), output: Output::of(&flake_nix) }
        };
        let mut warnings = vec![];
        if root.to_string_lossy().contains(|c: char| c.is_whitespace() || "%#?".contains(c)) {
            warnings.push(format!(
                "{} has whitespace, `%`, `#` or `?` in its path, which Nix 2.8 cannot use for a flake (\"is not a valid URL\"); move the project if nix fails",
                root.display()
            ));
        }
        Ok(Source { kind, root, warnings })
    }

    /// Where its machines are, for people: "in this project", "in this
    /// flake".
    pub fn place(&self) -> &'static str {
        match self.kind {
            Kind::Project => "in this project",
            Kind::Flake { .. } => "in this flake",
        }
    }

    /// What kind of source this is, for people.
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Project => format!("nixvm project {}", self.root.display()),
            Kind::Flake { reference, output } => {
                let flake = if reference == "." { self.root.display().to_string() } else { reference.clone() };
                format!("{} of the flake {flake}", output.attribute())
            }
        }
    }

    /// The directory nix runs in; installables are relative to it.
    pub fn dir(&self) -> &Path {
        &self.root
    }

    /// The flags nix gets for this source: in flake mode the user's flake
    /// is the wrapper's input `user` (a directory as its path, so Nix reads
    /// it as `nix build` there would: its git tree, dirty files included),
    /// the user's `--override-input NAME REF` becomes `user/NAME`, and the
    /// wrapper's lock is never written.
    pub fn nix_flags(&self, mut flags: crate::nix::Flags) -> crate::nix::Flags {
        if let Kind::Flake { reference, .. } = &self.kind {
            let user = match reference.as_str() {
                "." => self.root.display().to_string(),
                other => other.to_string(),
            };
            let theirs = std::mem::take(&mut flags.override_inputs);
            let input = wrapper::WRAPPER_INPUT;
            flags.override_inputs = std::iter::once((input.to_string(), user))
                .chain(theirs.into_iter().map(|(name, r)| (format!("{input}/{name}"), r)))
                .collect();
            flags.no_write_lock_file = true;
        }
        flags
    }

    /// The installables of the machines: the one step that writes (in
    /// flake mode, the wrapper flake with nixvm's VM module, when it
    /// changed); asking the result for one writes nothing.
    pub fn installables(&self, nix: &crate::nix::Nix) -> anyhow::Result<Installables> {
        match &self.kind {
            Kind::Project => Ok(Installables { wrapper: None }),
            Kind::Flake { reference, output } => {
                let root = if reference == "." { self.root.clone() } else { PathBuf::from(self.store_source(nix)?) };
                let dir = wrapper::dir(&self.state_dir());
                let module = wrapper::vm_module(&root, &dir, *output)?;
                self.create_state_dir()?;
                Ok(Installables { wrapper: Some(wrapper::write(&dir, &self.public_key(), *output, Some(module))?) })
            }
        }
    }

    /// The store path of the user's flake's source, as nix evaluates it:
    /// where Nix's messages say the user's files are.
    pub fn store_source(&self, nix: &crate::nix::Nix) -> anyhow::Result<String> {
        match &self.kind {
            Kind::Project => Ok(nix.flake_source(&self.root, ".")?),
            Kind::Flake { output, .. } => {
                // The wrapper as it is, or without its module when new: its
                // `source` does not need it.
                let dir = wrapper::dir(&self.state_dir());
                self.create_state_dir()?;
                let wrapper = wrapper::write(&dir, &self.public_key(), *output, None)?;
                let v =
                    nix.eval_json(&self.root, &format!("{wrapper}#nixvm.source"), None).map_err(|e| self.explain(e))?;
                v.as_str().map(str::to_string).context("nix gave no source path of the flake")
            }
        }
    }

    /// In flake mode, the conflicts with qemu-vm.nix that nixvm's VM module
    /// resolves (forcing qemu-vm.nix's value): the machines' own VM
    /// (`nixos-rebuild build-vm`, `system.build.vm`) would fail on each.
    /// None for a project, whose machines' VM is nixvm's.
    pub fn resolved_conflicts(&self, nix: &crate::nix::Nix) -> anyhow::Result<Vec<crate::render::Override>> {
        match &self.kind {
            Kind::Project => Ok(vec![]),
            Kind::Flake { reference, output } => {
                let root = if reference == "." { self.root.clone() } else { PathBuf::from(self.store_source(nix)?) };
                Ok(wrapper::flake_vm_context(&root, &wrapper::own_files(&root), *output)?.overrides)
            }
        }
    }

    /// When nix failed because of a file of the user's (one git does not
    /// track, where nix says only that it does not exist; one that does
    /// not exist, imported by one of theirs), say so and what to do.
    pub fn explain(&self, error: impl Into<anyhow::Error>) -> anyhow::Error {
        let error = error.into();
        match self.explanation(&format!("{error:#}")) {
            Some(e) => error.context(e.to_string()),
            None => error,
        }
    }

    /// What `explain` says of Nix's error `text`.
    pub fn explanation(&self, text: &str) -> Option<super::explain::Explanation> {
        // Only the flake's own files can be found among: not another
        // flake's (`--flake REF`), which nixvm does not read.
        let files = match &self.kind {
            Kind::Flake { reference, .. } if reference != "." => vec![],
            _ => wrapper::own_files(&self.root),
        };
        super::explain::explain(&self.root, &files, text)
    }

    /// The machines' private ssh key (`key::ensure_key` makes it).
    pub fn private_key(&self) -> PathBuf {
        self.state_dir().join("ssh-key")
    }

    /// Its public half, beside it.
    pub fn public_key(&self) -> PathBuf {
        self.state_dir().join("ssh-key.pub")
    }

    /// Create `.nixvm/` (owner only) with a `.gitignore` that ignores it
    /// whole, so the user's `git status` stays clean; its path.
    pub fn create_state_dir(&self) -> anyhow::Result<PathBuf> {
        use std::os::unix::fs::DirBuilderExt;
        let dir = self.state_dir();
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            crate::files::write_atomically(
                &ignore,
                "# nixvm's state: machines' disks, the project key. Never committed.\n*\n",
            )?;
        }
        Ok(dir)
    }

    /// `.nixvm/` at the root: machines' state, the key, known_hosts.
    pub fn state_dir(&self) -> PathBuf {
        state::nixvm_dir(&self.root)
    }

    /// One machine's state.
    pub fn state(&self, machine: &str) -> MachineState {
        MachineState::of(&self.root, machine)
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
            // The key reaches the VM through `vm_ready`.
            Kind::Flake { .. } => None,
        }
    }
}

/// The installables of a source's machines (`Source::installables`): a
/// project's own flake, or flake mode's wrapper flake.
pub struct Installables {
    /// The wrapper's flake reference, in flake mode.
    wrapper: Option<String>,
}

impl Installables {
    /// The machines' NixOS evaluations (an attribute set by name): as on
    /// hardware, or with nixvm's VM module (a project's flake has it
    /// already; in flake mode the wrapper adds it).
    pub fn configurations(&self, variant: Variant) -> String {
        match (&self.wrapper, variant) {
            (None, _) => ".#nixosConfigurations".into(),
            (Some(w), Variant::Hardware) => format!("{w}#nixvm.hardware"),
            (Some(w), Variant::Vm) => format!("{w}#nixvm.vms"),
        }
    }

    /// One installable holding both variants' configurations, and the
    /// attribute paths from it to each, so that one evaluation can yield
    /// both (`check`).
    pub fn both(&self) -> Both {
        match &self.wrapper {
            None => Both { installable: ".#nixosConfigurations".into(), hardware: String::new(), vm: String::new() },
            Some(w) => Both { installable: format!("{w}#nixvm"), hardware: ".hardware".into(), vm: ".vms".into() },
        }
    }

    /// `machine`'s VM (a checked machine name).
    pub fn vm(&self, machine: &str) -> String {
        match &self.wrapper {
            None => format!(".#vm-{machine}"),
            Some(_) => format!("{}.{machine}.config.system.build.vm", self.configurations(Variant::Vm)),
        }
    }

    /// The system a running VM of `machine` switches to: its VM variant's
    /// `system.build.toplevel`.
    pub fn vm_system(&self, machine: &str) -> String {
        match &self.wrapper {
            None => format!(".#vmSystem-{machine}"),
            Some(_) => format!(
                "{}.{machine}.config.virtualisation.vmVariant.system.build.toplevel",
                self.configurations(Variant::Vm)
            ),
        }
    }

    /// The python3 of `machine`'s nixpkgs (its `pkgs`, as the flake pins
    /// it, overlays and all).
    pub fn python(&self, machine: &str) -> String {
        format!("{}.{}.pkgs.python3", self.configurations(Variant::Hardware), crate::nixstr::attr_name(machine))
    }

    /// The flake's check `name` for `system`.
    pub fn check(&self, system: &str, name: &str) -> String {
        let path = format!("checks.{}.{}", crate::nixstr::attr_name(system), crate::nixstr::attr_name(name));
        match &self.wrapper {
            None => format!(".#{path}"),
            Some(w) => format!("{w}#nixvm.{path}"),
        }
    }
}

/// See `Installables::both`: the hardware configurations are at
/// `<installable><hardware>`, the VM ones at `<installable><vm>` (each
/// empty or `.name`).
pub struct Both {
    pub installable: String,
    pub hardware: String,
    pub vm: String,
}

/// A nixvm project's root: `flake.nix` and `nixvm/vm.nix`.
fn is_project(dir: &Path) -> bool {
    dir.join("flake.nix").is_file() && dir.join("nixvm/vm.nix").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installables_name_a_projects_outputs_or_the_wrappers() {
        let project = Installables { wrapper: None };
        assert_eq!(project.configurations(Variant::Vm), ".#nixosConfigurations");
        assert_eq!(project.vm("web"), ".#vm-web");
        assert_eq!(project.vm_system("web"), ".#vmSystem-web");
        assert_eq!(project.check("x86_64-linux", "test-web"), ".#checks.x86_64-linux.test-web");
        let flake = Installables { wrapper: Some("path:/p/.nixvm/.flake".into()) };
        assert_eq!(flake.configurations(Variant::Hardware), "path:/p/.nixvm/.flake#nixvm.hardware");
        assert_eq!(flake.vm("web"), "path:/p/.nixvm/.flake#nixvm.vms.web.config.system.build.vm");
        assert_eq!(
            flake.vm_system("db"),
            "path:/p/.nixvm/.flake#nixvm.vms.db.config.virtualisation.vmVariant.system.build.toplevel"
        );
        assert_eq!(flake.python("db"), "path:/p/.nixvm/.flake#nixvm.hardware.db.pkgs.python3");
        let both = flake.both();
        assert_eq!(
            (both.installable.as_str(), both.hardware.as_str(), both.vm.as_str()),
            ("path:/p/.nixvm/.flake#nixvm", ".hardware", ".vms")
        );
    }
}
