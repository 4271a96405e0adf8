//! Where machines come from. Every lifecycle command asks a `Source`:
//! which flake to evaluate and in which directory, the installable of a
//! machine's VM and of its VM system, where its state lives, which files
//! are the user's. Commands never ask which kind of source it is.
//!
//! Kinds:
//! - a nixvm project (`flake.nix` beside `nixvm/vm.nix`, made by `init`),
//!   whose flake exposes `vm-M` and `vmSystem-M`;
//! - flake mode: any other flake's `nixosConfigurations`, used as they
//!   are. nixvm's VM module is added to each with `extendModules` inside
//!   the evaluation (an `--apply` expression), so nothing is written in the
//!   user's tree but `.nixvm/` (which ignores itself), the user's
//!   `flake.lock` pins nixpkgs, and `nixosConfigurations.M` stays the
//!   hardware.

use super::state::{self, MachineState};
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

/// Which of a flake's outputs holds its machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    /// `nixosConfigurations` (deploy-rs flakes point their nodes at them).
    Configurations,
    /// `colmenaHive`, from colmena's `lib.makeHive`: its `nodes`.
    Hive,
    /// A raw `colmena` hive, evaluated here as colmena evaluates it.
    RawHive,
}

impl Output {
    fn attribute(self) -> &'static str {
        match self {
            Output::Configurations => "nixosConfigurations",
            Output::Hive => "colmenaHive",
            Output::RawHive => "colmena",
        }
    }

    /// The output a flake's `flake.nix` writes, read without evaluating it:
    /// `nixosConfigurations` when it is there (or the outputs are computed),
    /// else a hive.
    fn of(flake_nix: &str) -> Output {
        let keys: std::collections::BTreeSet<String> =
            crate::syntax::flake_outputs(&crate::syntax::parse(flake_nix)).into_iter().map(|(n, _)| n).collect();
        if keys.contains("nixosConfigurations") {
            Output::Configurations
        } else if keys.contains("colmenaHive") {
            Output::Hive
        } else if keys.contains("colmena") {
            Output::RawHive
        } else {
            Output::Configurations
        }
    }

    /// A Nix function from the output to its machines' NixOS evaluations
    /// (each with `config` and `extendModules`).
    fn to_configurations(self) -> &'static str {
        match self {
            Output::Configurations => "cs: cs",
            Output::Hive => "hive: hive.nodes",
            Output::RawHive => RAW_HIVE,
        }
    }
}

/// A raw colmena hive evaluated the way colmena does (see the file).
const RAW_HIVE: &str = include_str!("hive.nix");

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

    /// The installable nix evaluates for the machines: an attribute set of
    /// their configurations once `hardware()` is applied.
    pub fn configurations(&self) -> String {
        match &self.kind {
            Kind::Project => ".#nixosConfigurations".into(),
            Kind::Flake { reference, output } => format!("{reference}#{}", output.attribute()),
        }
    }

    /// A Nix function from `configurations()` to the machines' NixOS
    /// evaluations as they run on hardware.
    pub fn hardware(&self) -> String {
        match &self.kind {
            Kind::Project => "cs: cs".into(),
            Kind::Flake { output, .. } => output.to_configurations().into(),
        }
    }

    /// A Nix function from `configurations()` to the evaluations whose VM
    /// variant nixvm builds: as they are for a project (its flake has
    /// nixvm's module already), each extended with nixvm's module in flake
    /// mode (the key, the segment, the qemu-vm.nix overrides).
    pub fn vm_ready(&self, nix: &crate::nix::Nix) -> anyhow::Result<String> {
        match &self.kind {
            Kind::Project => Ok("cs: cs".into()),
            Kind::Flake { reference, .. } => {
                // The flake's files: here, or (another flake) its source in the store.
                let files = match reference.as_str() {
                    "." => self.root.clone(),
                    r => PathBuf::from(nix.flake_source(&self.root, r).map_err(|e| self.explain(e))?),
                };
                let module = crate::render::render("flake-vm.nix", &self.flake_vm_context(&files)?)?;
                let key = std::fs::read_to_string(self.public_key()).map(|k| k.trim().to_string()).unwrap_or_default();
                Ok(format!(
                    "out: let module = {module}; cs = ({hardware}) out; machines = builtins.attrNames cs; in builtins.mapAttrs (name: c: c.extendModules {{ modules = [ (module {{ inherit name machines; sshKey = {key}; }}) ]; }}) cs",
                    hardware = self.hardware(),
                    key = crate::nixstr::string_literal(&key)
                ))
            }
        }
    }

    /// Flake mode's module settings: qemu-vm.nix's values forced where the
    /// flake's own `.nix` files set conflicting ones, by the conflict table
    /// of the nixpkgs the flake pins (as `init` does for a project).
    fn flake_vm_context(&self, root: &Path) -> anyhow::Result<crate::render::FlakeVmContext> {
        let table = crate::pinned::choose(None, None, false, root)?.table;
        let options = crate::lint::LintOptions { table, ..crate::lint::LintOptions::default() };
        // The flake's own files: not those of another flake inside it (a
        // vendored nixpkgs, a subflake), whose modules it does not evaluate
        // as its own.
        let (files, _) = crate::files::collect(&[root.to_path_buf()]);
        let files = files.into_iter().filter(|f| crate::files::enclosing_flake(f).is_some_and(|d| d == root));
        let mut overrides: std::collections::BTreeMap<Vec<String>, crate::render::Override> = Default::default();
        let hive_in_flake_nix = matches!(self.kind, Kind::Flake { output: Output::Hive | Output::RawHive, .. });
        for file in files {
            let Some(mut text) = crate::files::read_text(&file) else { continue };
            let rel = file.strip_prefix(root).unwrap_or(&file);
            if hive_in_flake_nix && rel == Path::new("flake.nix") {
                text = hive_alone(&text).unwrap_or(text);
            }
            let findings = crate::lint::lint_text(&text, &options);
            for o in crate::project::vm_overrides(rel, &text, &findings, &options.table).0 {
                overrides.entry(o.option.clone()).or_insert(o);
            }
        }
        Ok(crate::render::FlakeVmContext { overrides: overrides.into_values().collect() })
    }

    /// The installable of `machine`'s VM, when the flake has one (a
    /// project's `vm-M`); else its derivation comes from evaluating
    /// `vm_ready`.
    pub fn vm(&self, machine: &str) -> Option<String> {
        match self.kind {
            Kind::Project => Some(format!(".#vm-{machine}")),
            Kind::Flake { .. } => None,
        }
    }

    /// The installable of the system a running VM of `machine` switches
    /// to, when the flake has one (a project's `vmSystem-M`).
    pub fn vm_system(&self, machine: &str) -> Option<String> {
        match self.kind {
            Kind::Project => Some(format!(".#vmSystem-{machine}")),
            Kind::Flake { .. } => None,
        }
    }

    /// When nix failed because a file of the user's is not tracked by git
    /// (a flake sees only tracked files, and nix says only "No such file
    /// or directory"), say so and how to fix it.
    pub fn explain(&self, error: impl Into<anyhow::Error>) -> anyhow::Error {
        let error = error.into();
        let text = format!("{error:#}");
        // Store paths Nix names: /nix/store/HASH-source/REL.
        let rels: Vec<String> = text
            .split("/nix/store/")
            .skip(1)
            .filter_map(|rest| {
                let path = rest.split(['\'', '"', '`', ' ', '\n', ':']).next()?;
                let (_, rel) = path.split_once('/')?;
                (!rel.is_empty()).then(|| rel.to_string())
            })
            .collect();
        if let Kind::Flake { output, .. } = &self.kind {
            let attribute = output.attribute();
            if text.contains("does not provide attribute") && text.contains(&format!("'{attribute}'")) {
                return error.context(format!(
                    "the flake has no `{attribute}` output{}, so nixvm finds no machines in it; inside a nixvm project, or with `nixvm init`, it would",
                    if *output == Output::Configurations { " and its flake.nix names no colmena hive (colmenaHive or colmena)" } else { "" }
                ));
            }
        }
        match crate::files::untracked(&self.root, &rels) {
            Some((repo, files)) => error.context(format!(
                "git does not track {} and a flake sees only tracked files; run `git add -N {}` in {}",
                files.join(", "),
                files.join(" "),
                repo.display().to_string().trim_end_matches('/')
            )),
            None => error,
        }
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

    /// The flake reference nix is given, in `dir()`.
    pub fn reference(&self) -> &str {
        match &self.kind {
            Kind::Project => ".",
            Kind::Flake { reference, .. } => reference,
        }
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

    /// `named` checked against the machines there are (`all`): names,
    /// then existence.
    pub fn check_known(&self, named: &[String], all: &[String]) -> anyhow::Result<()> {
        let here = match self.kind {
            Kind::Project => "in this project",
            Kind::Flake { .. } => "in this flake",
        };
        for m in named {
            check_name(m)?;
            if !all.contains(m) {
                bail!("no machine `{m}` {here} (machines: {})", all.join(", "));
            }
        }
        Ok(())
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

/// A `flake.nix` with only its `colmena` hive left where it stands (the
/// rest blanked, line breaks kept), so lint reads the hive as the network
/// it is and its findings keep their lines.
fn hive_alone(flake_nix: &str) -> Option<String> {
    let outputs = crate::syntax::flake_outputs(&crate::syntax::parse(flake_nix));
    let span = outputs.into_iter().find_map(|(name, value)| (name == "colmena").then_some(value).flatten())?;
    let blank = |s: &str| s.chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect::<String>();
    Some(format!(
        "{}{}{}",
        blank(&flake_nix[..span.start]),
        &flake_nix[span.start..span.end],
        blank(&flake_nix[span.end..])
    ))
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
