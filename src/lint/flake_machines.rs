//! Which machines of a flake a file belongs to, read without evaluating:
//! the `modules` lists `flake.nix` writes for each of its
//! `nixosConfigurations`, followed through the static `imports` of the
//! files at hand. Lets lint name the machine a finding is about. Pure: the
//! texts come in, keyed by absolute path.

use super::diagnostic::FileReport;
use super::machines::{file_of, static_imports};
use crate::syntax;
use crate::text::normalize_path;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// For each file of `texts` some machine of the flake in `flake_dir` uses,
/// those machines' names, sorted.
pub fn machines_of_files(
    flake_dir: &Path,
    flake_nix: &str,
    texts: &BTreeMap<PathBuf, String>,
) -> BTreeMap<PathBuf, BTreeSet<String>> {
    let mut owners: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    for syntax::FlakeMachine { name: machine, modules, .. } in syntax::flake_machine_modules(&syntax::parse(flake_nix))
    {
        let mut queue: Vec<PathBuf> = modules
            .iter()
            .filter_map(|m| file_of(|f| texts.contains_key(f), normalize_path(&flake_dir.join(m))))
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(file) = queue.pop() {
            if !seen.insert(file.clone()) {
                continue;
            }
            owners.entry(file.clone()).or_default().insert(machine.clone());
            let analysis = syntax::analyze(&syntax::parse(&texts[&file]));
            queue.extend(static_imports(texts, &file, &analysis).0);
        }
    }
    owners
}

/// Name, on each report's findings that name no machine, the machines its
/// file belongs to; `paths[i]` is the absolute path of `reports[i]`'s file.
pub fn name_machines(flake_dir: &Path, flake_nix: &str, paths: &[Option<PathBuf>], reports: &mut [FileReport]) {
    let texts = paths.iter().zip(reports.iter()).filter_map(|(p, r)| Some((p.clone()?, r.text.clone()))).collect();
    let owners = machines_of_files(flake_dir, flake_nix, &texts);
    for (path, report) in paths.iter().zip(reports.iter_mut()) {
        let Some(machines) = path.as_ref().and_then(|p| owners.get(p)) else { continue };
        let names = machines.iter().cloned().collect::<Vec<_>>().join(", ");
        for d in report.diagnostics.iter_mut().filter(|d| d.machine.is_none()) {
            d.machine = Some(names.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_belong_to_the_machines_that_reach_them() {
        let flake = "{ outputs = { nixpkgs, ... }: { nixosConfigurations.web = nixpkgs.lib.nixosSystem { modules = [ ./hosts/web ./common.nix ]; }; nixosConfigurations.db = nixpkgs.lib.nixosSystem { modules = [ ./hosts/db.nix ./common.nix ]; }; }; }";
        let texts: BTreeMap<PathBuf, String> = [
            ("/f/hosts/web/default.nix", "{ imports = [ ./hardware.nix ../../shared/ssh.nix ]; }"),
            ("/f/hosts/web/hardware.nix", "{ }"),
            ("/f/hosts/db.nix", "{ }"),
            ("/f/shared/ssh.nix", "{ }"),
            ("/f/common.nix", "{ }"),
            ("/f/unused.nix", "{ }"),
        ]
        .into_iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect();
        let owners = machines_of_files(Path::new("/f"), flake, &texts);
        let of = |p: &str| owners.get(Path::new(p)).map(|s| s.iter().cloned().collect::<Vec<_>>().join(","));
        assert_eq!(of("/f/hosts/web/hardware.nix").as_deref(), Some("web"));
        assert_eq!(of("/f/shared/ssh.nix").as_deref(), Some("web"));
        assert_eq!(of("/f/common.nix").as_deref(), Some("db,web"));
        assert_eq!(of("/f/hosts/db.nix").as_deref(), Some("db"));
        assert_eq!(of("/f/unused.nix"), None);
    }
}
