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

    /// The wrapper flake's expression for the machines' NixOS evaluations
    /// (each with `config` and `extendModules`), from the user's flake
    /// `user`.
    fn machines(self) -> &'static str {
        match self {
            Output::Configurations => "user.nixosConfigurations",
            Output::Hive => "user.colmenaHive.nodes",
            Output::RawHive => "import ./hive.nix user.colmena",
        }
    }
}

/// A raw colmena hive evaluated the way colmena does (see the file); the
/// wrapper flake's `hive.nix`.
const RAW_HIVE: &str = include_str!("hive.nix");

/// The wrapper flake's name for the user's flake.
const WRAPPER_INPUT: &str = "user";

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
            flags.override_inputs = std::iter::once((WRAPPER_INPUT.to_string(), user))
                .chain(theirs.into_iter().map(|(name, r)| (format!("{WRAPPER_INPUT}/{name}"), r)))
                .collect();
            flags.no_write_lock_file = true;
        }
        flags
    }

    /// The installable of the machines' NixOS evaluations (an attribute
    /// set by name): as on hardware, or with nixvm's VM module (a project's
    /// flake has it already; in flake mode the wrapper adds it).
    pub fn configurations(&self, nix: &crate::nix::Nix, variant: Variant) -> anyhow::Result<String> {
        match &self.kind {
            Kind::Project => Ok(".#nixosConfigurations".into()),
            Kind::Flake { output, .. } => {
                let module = match variant {
                    Variant::Hardware => None,
                    Variant::Vm => Some(self.vm_module(nix, *output)?),
                };
                let wrapper = self.write_wrapper(*output, module)?;
                let attribute = match variant {
                    Variant::Hardware => "hardware",
                    Variant::Vm => "vms",
                };
                Ok(format!("{wrapper}#nixvm.{attribute}"))
            }
        }
    }

    /// One installable holding both variants' configurations, and the
    /// attribute paths from it to the hardware set and to the VM set, so
    /// that one evaluation can yield both (`check`).
    pub fn both_configurations(&self, nix: &crate::nix::Nix) -> anyhow::Result<Both> {
        match &self.kind {
            Kind::Project => {
                Ok(Both { installable: ".#nixosConfigurations".into(), hardware: String::new(), vm: String::new() })
            }
            Kind::Flake { output, .. } => {
                let module = self.vm_module(nix, *output)?;
                let wrapper = self.write_wrapper(*output, Some(module))?;
                Ok(Both { installable: format!("{wrapper}#nixvm"), hardware: ".hardware".into(), vm: ".vms".into() })
            }
        }
    }

    /// The installable of `machine`'s VM (a checked machine name).
    pub fn vm(&self, nix: &crate::nix::Nix, machine: &str) -> anyhow::Result<String> {
        match self.kind {
            Kind::Project => Ok(format!(".#vm-{machine}")),
            Kind::Flake { .. } => {
                Ok(format!("{}.{machine}.config.system.build.vm", self.configurations(nix, Variant::Vm)?))
            }
        }
    }

    /// The installable of the system a running VM of `machine` switches
    /// to: its VM variant's `system.build.toplevel`.
    pub fn vm_system(&self, nix: &crate::nix::Nix, machine: &str) -> anyhow::Result<String> {
        match self.kind {
            Kind::Project => Ok(format!(".#vmSystem-{machine}")),
            Kind::Flake { .. } => Ok(format!(
                "{}.{machine}.config.virtualisation.vmVariant.system.build.toplevel",
                self.configurations(nix, Variant::Vm)?
            )),
        }
    }

    /// The installable of the python3 of `machine`'s nixpkgs (its `pkgs`,
    /// as the flake pins it, overlays and all).
    pub fn python(&self, nix: &crate::nix::Nix, machine: &str) -> anyhow::Result<String> {
        let configurations = self.configurations(nix, Variant::Hardware)?;
        Ok(format!("{configurations}.{}.pkgs.python3", crate::nixstr::attr_name(machine)))
    }

    /// The installable of the flake's check `name` for `system`.
    pub fn check(&self, system: &str, name: &str) -> anyhow::Result<String> {
        let path = format!("checks.{}.{}", crate::nixstr::attr_name(system), crate::nixstr::attr_name(name));
        match &self.kind {
            Kind::Project => Ok(format!(".#{path}")),
            Kind::Flake { output, .. } => Ok(format!("{}#nixvm.{path}", self.write_wrapper(*output, None)?)),
        }
    }

    /// The store path of the user's flake's source, as nix evaluates it:
    /// where Nix's messages say the user's files are.
    pub fn store_source(&self, nix: &crate::nix::Nix) -> anyhow::Result<String> {
        match &self.kind {
            Kind::Project => Ok(nix.flake_source(&self.root, ".")?),
            Kind::Flake { output, .. } => {
                let wrapper = self.write_wrapper(*output, None)?;
                let v =
                    nix.eval_json(&self.root, &format!("{wrapper}#nixvm.source"), None).map_err(|e| self.explain(e))?;
                v.as_str().map(str::to_string).context("nix gave no source path of the flake")
            }
        }
    }

    /// `.nixvm/.flake/`: flake mode's wrapper flake (a name no machine can
    /// have, beside the machines' directories).
    fn wrapper_dir(&self) -> PathBuf {
        self.state_dir().join(".flake")
    }

    /// Write the wrapper flake that takes the user's flake as its input
    /// `user` (see templates/flake-wrapper.nix.tera), with nixvm's VM
    /// module when given; files already as they should be are left alone.
    /// Its flake reference.
    fn write_wrapper(&self, output: Output, module: Option<Made>) -> anyhow::Result<String> {
        self.create_state_dir()?;
        let dir = self.wrapper_dir();
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let key = std::fs::read_to_string(self.public_key()).map(|k| k.trim().to_string()).unwrap_or_default();
        let attribute = output.attribute();
        // Rendered again only when what it is made from changed.
        let made_from = nixvm_identity().map(|nixvm| format!("{nixvm}\n{attribute}\n{key}\n"));
        let mut files = vec![];
        let stamp = std::fs::read_to_string(dir.join(FLAKE_MADE_FROM)).ok();
        if made_from.is_none() || stamp != made_from || !dir.join("flake.nix").is_file() {
            let missing = format!(
                "nixvm: the flake has no `{attribute}` output{}, so nixvm finds no machines in it; inside a nixvm project, or with `nixvm init`, it would",
                if output == Output::Configurations { " and its flake.nix names no colmena hive (colmenaHive or colmena)" } else { "" }
            );
            let context = crate::render::FlakeWrapperContext {
                output: attribute.into(),
                machines: output.machines().into(),
                missing,
                ssh_key: key,
            };
            files.push(("flake.nix", crate::render::render("flake-wrapper.nix", &context)?));
            if output == Output::RawHive {
                files.push(("hive.nix", RAW_HIVE.to_string()));
            }
            files.push((FLAKE_MADE_FROM, made_from.unwrap_or_default()));
        }
        if let Some(Made { module, made_from, reused: false }) = module {
            // The module first: a record never names a module not written.
            files.push(("vm.nix", module));
            files.push((MADE_FROM, made_from.unwrap_or_default()));
        }
        for (name, text) in files {
            crate::files::write_state(&dir.join(name), &text, 0o644)?;
        }
        Ok(format!("path:{}", dir.display()))
    }

    /// Flake mode's VM module (templates/flake-vm.nix.tera), made from
    /// the flake's files: here, or (another flake) its source in the store.
    /// Linting them all is most of nixvm's own time in a `run`, so the
    /// module is made again only when what it is made from changed (see
    /// `made_from`).
    fn vm_module(&self, nix: &crate::nix::Nix, output: Output) -> anyhow::Result<Made> {
        let root = match &self.kind {
            Kind::Flake { reference, .. } if reference != "." => PathBuf::from(self.store_source(nix)?),
            _ => self.root.clone(),
        };
        let files = own_files(&root);
        let made_from = made_from(&root, &files);
        let dir = self.wrapper_dir();
        if let (Some(now), Ok(before), Ok(module)) =
            (&made_from, std::fs::read_to_string(dir.join(MADE_FROM)), std::fs::read_to_string(dir.join("vm.nix")))
        {
            if *now == before {
                return Ok(Made { module, made_from, reused: true });
            }
        }
        let module = crate::render::render("flake-vm.nix", &flake_vm_context(&root, &files, output)?)?;
        Ok(Made { module, made_from, reused: false })
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
                Ok(flake_vm_context(&root, &own_files(&root), *output)?.overrides)
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
            _ => own_files(&self.root),
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

/// See `Source::both_configurations`: the hardware configurations are at
/// `<root><hardware>`, the VM ones at `<root><vm>` (each empty or `.name`).
pub struct Both {
    pub installable: String,
    pub hardware: String,
    pub vm: String,
}

/// Flake mode's VM module and what it was made from (none: made from
/// files too new to tell a later edit by their times, so never reused).
struct Made {
    module: String,
    made_from: Option<String>,
    /// Read back from the wrapper, where it is already written.
    reused: bool,
}

/// The wrapper's records of what its `vm.nix` and `flake.nix` were made
/// from.
const MADE_FROM: &str = "vm.nix.made-from";
const FLAKE_MADE_FROM: &str = "flake.nix.made-from";

/// This nixvm (its templates and rules), as text: its version and its
/// binary's size and modification time.
fn nixvm_identity() -> Option<String> {
    let exe = std::env::current_exe().ok().and_then(|e| std::fs::metadata(e).ok())?;
    Some(format!("nixvm {} {} {:?}", env!("CARGO_PKG_VERSION"), exe.len(), exe.modified().ok()?))
}

/// The flake's own `.nix` files under `root`, sorted: not those of
/// another flake inside it (a vendored nixpkgs, a subflake), whose modules
/// it does not evaluate as its own, nor hidden ones (`.git`, `.nixvm`,
/// `.direnv`) or symlinked ones (`result`). A plain walk: this runs on
/// every command.
fn own_files(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, top: bool, out: &mut Vec<PathBuf>) {
        if !top && dir.join("flake.nix").exists() {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Ok(kind) = entry.file_type() else { continue };
            if name.as_encoded_bytes().starts_with(b".") || kind.is_symlink() {
                continue;
            }
            let path = entry.path();
            if kind.is_dir() {
                walk(&path, false, out);
            } else if kind.is_file() && path.extension().is_some_and(|x| x == "nix") {
                out.push(path);
            }
        }
    }
    let mut out = vec![];
    walk(root, true, &mut out);
    out.sort();
    out
}

/// What flake mode's VM module is made from, as text: this nixvm (its
/// templates and rules), the flake's own files by name, size and
/// modification time, and what decides the conflict table
/// (`pinned::fingerprint`). None when a file was modified in the last two
/// seconds: another edit within the file system's time resolution could go
/// unseen (as git treats "racily clean" files).
fn made_from(root: &Path, files: &[PathBuf]) -> Option<String> {
    let mut text = format!("{}\n", nixvm_identity()?);
    text.push_str(&crate::pinned::fingerprint(root));
    text.push('\n');
    let recent = std::time::SystemTime::now() - std::time::Duration::from_secs(2);
    for f in files {
        let meta = std::fs::metadata(f).ok()?;
        let modified = meta.modified().ok()?;
        if modified > recent {
            return None;
        }
        text.push_str(&format!("{} {} {:?}\n", f.display(), meta.len(), modified));
    }
    Some(text)
}

/// Flake mode's module settings: qemu-vm.nix's values forced where the
/// flake's own `files` set conflicting ones, by the conflict table of the
/// nixpkgs the flake pins (as `init` does for a project).
fn flake_vm_context(root: &Path, files: &[PathBuf], output: Output) -> anyhow::Result<crate::render::FlakeVmContext> {
    let table = crate::pinned::choose(None, None, false, root)?.table;
    let options = crate::lint::LintOptions { table, ..crate::lint::LintOptions::default() };
    let mut overrides: std::collections::BTreeMap<Vec<String>, crate::render::Override> = Default::default();
    let hive_in_flake_nix = matches!(output, Output::Hive | Output::RawHive);
    for file in files {
        let Some(mut text) = crate::files::read_text(file) else { continue };
        let rel = file.strip_prefix(root).unwrap_or(file);
        if hive_in_flake_nix && rel == Path::new("flake.nix") {
            text = hive_alone(&text).unwrap_or(text);
        }
        let findings = crate::lint::lint_text(&text, &options);
        for o in crate::project::vm_overrides(rel, &text, &findings, &options.table, crate::project::Forced::InTheVm).0
        {
            overrides.entry(o.option.clone()).or_insert(o);
        }
    }
    Ok(crate::render::FlakeVmContext { overrides: overrides.into_values().collect() })
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
