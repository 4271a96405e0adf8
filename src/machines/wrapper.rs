//! Flake mode's wrapper flake in `.nixvm/.flake/`: it takes the user's
//! flake as its input `user`, finds the machines in the output that holds
//! them (`nixosConfigurations`, a colmena hive) and adds nixvm's VM module
//! to each with `extendModules`. The module is made from the flake's own
//! files (qemu-vm.nix's values forced where they set conflicting ones) and
//! made again only when they change. Written only by `Source::installables`.

use anyhow::Context as _;
use std::path::{Path, PathBuf};

/// Which of a flake's outputs holds its machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Output {
    /// `nixosConfigurations` (deploy-rs flakes point their nodes at them).
    Configurations,
    /// `colmenaHive`, from colmena's `lib.makeHive`: its `nodes`.
    Hive,
    /// A raw `colmena` hive, evaluated here as colmena evaluates it.
    RawHive,
}

impl Output {
    pub(super) fn attribute(self) -> &'static str {
        match self {
            Output::Configurations => "nixosConfigurations",
            Output::Hive => "colmenaHive",
            Output::RawHive => "colmena",
        }
    }

    /// The output a flake's `flake.nix` writes, read without evaluating it:
    /// `nixosConfigurations` when it is there (or the outputs are computed),
    /// else a hive.
    pub(super) fn of(flake_nix: &str) -> Output {
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
pub(super) const WRAPPER_INPUT: &str = "user";

/// `.nixvm/.flake/` (in `state_dir`): flake mode's wrapper flake (a name
/// no machine can have, beside the machines' directories).
pub(super) fn dir(state_dir: &Path) -> PathBuf {
    state_dir.join(".flake")
}

/// Write the wrapper flake that takes the user's flake as its input
/// `user` (see templates/flake-wrapper.nix.tera) into `dir` (the state
/// directory made), with nixvm's VM module when given and the project's
/// `public_key`; files already as they should be are left alone. Its
/// flake reference.
pub(super) fn write(dir: &Path, public_key: &Path, output: Output, module: Option<Made>) -> anyhow::Result<String> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let key = std::fs::read_to_string(public_key).map(|k| k.trim().to_string()).unwrap_or_default();
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

/// Flake mode's VM module (templates/flake-vm.nix.tera), made from the
/// flake's files under `root` (here, or another flake's source in the
/// store), for the wrapper in `dir`. Linting them all is most of
/// nixvm's own time in a `run`, so the module is made again only when
/// what it is made from changed (see `made_from`).
pub(super) fn vm_module(root: &Path, dir: &Path, output: Output) -> anyhow::Result<Made> {
    let files = own_files(root);
    let made_from = made_from(root, &files);
    if let (Some(now), Ok(before), Ok(module)) =
        (&made_from, std::fs::read_to_string(dir.join(MADE_FROM)), std::fs::read_to_string(dir.join("vm.nix")))
    {
        if *now == before {
            return Ok(Made { module, made_from, reused: true });
        }
    }
    let module = crate::render::render("flake-vm.nix", &flake_vm_context(root, &files, output)?)?;
    Ok(Made { module, made_from, reused: false })
}

/// Flake mode's VM module and what it was made from (none: made from
/// files too new to tell a later edit by their times, so never reused).
pub(super) struct Made {
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
pub(super) fn own_files(root: &Path) -> Vec<PathBuf> {
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
pub(super) fn flake_vm_context(
    root: &Path,
    files: &[PathBuf],
    output: Output,
) -> anyhow::Result<crate::render::FlakeVmContext> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_holding_the_machines_is_read_from_flake_nix() {
        let of = |outputs: &str| Output::of(&format!("{{ outputs = {{ self, ... }}: {outputs}; }}"));
        assert_eq!(of("{ nixosConfigurations.a = 1; colmena = { }; }"), Output::Configurations);
        assert_eq!(of("{ colmenaHive = 1; }"), Output::Hive);
        assert_eq!(of("{ colmena = { }; }"), Output::RawHive);
        // Computed outputs: the common case, nixosConfigurations.
        assert_eq!(Output::of("{ outputs = inputs: import ./outputs.nix inputs; }"), Output::Configurations);
    }

    #[test]
    fn a_hive_alone_keeps_its_lines() {
        let flake =
            "{\n  inputs.x.url = \"y\";\n  outputs = { self }: {\n    colmena = {\n      web = { };\n    };\n  };\n}\n";
        let alone = hive_alone(flake).unwrap();
        assert_eq!(alone.lines().count(), flake.lines().count());
        assert_eq!(alone.len(), flake.len());
        assert!(alone.contains("{\n      web = { };\n    }") && !alone.contains("inputs"), "{alone}");
    }

    #[test]
    fn own_files_leave_out_other_flakes_hidden_and_linked_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for f in ["flake.nix", "hosts/web.nix", "vendor/nixpkgs/flake.nix", "vendor/nixpkgs/x.nix", ".direnv/a.nix"] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), "{ }").unwrap();
        }
        std::os::unix::fs::symlink(root.join("hosts/web.nix"), root.join("result.nix")).unwrap();
        let found: Vec<String> =
            own_files(root).iter().map(|p| p.strip_prefix(root).unwrap().display().to_string()).collect();
        assert_eq!(found, ["flake.nix", "hosts/web.nix"]);
    }
}
