//! The repository's own Nix files and CI contract.

mod common;

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn own_nix_files_parse_with_nixvm_and_with_nix() {
    // The files `nixvm lint` would read there.
    let (files, problems) = nixvm::files::collect(&[root().join("flake.nix"), root().join("examples")]);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(files.len() >= 5, "{files:?}");
    let nix = common::nix_instantiate("own_nix_files_parse_with_nixvm_and_with_nix");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(nixvm::syntax::parse(&text).is_ok(), "{f:?}");
        if let Some(nix) = &nix {
            common::nix_parses(nix, &text).unwrap_or_else(|e| panic!("{f:?}: {e}"));
        }
    }
}

#[test]
fn ci_runs_the_readme_test_command() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(readme.contains("cargo test\n"), "README names the test command");
    // Once with each Nix first on PATH: the machine's and .ci/trixie-nix's.
    let runs = ci.lines().filter(|l| l.trim().starts_with("cargo test") && !l.contains("--no-run")).count();
    assert_eq!(runs, 2, ".ci/run runs it twice");
    assert!(ci.lines().all(|l| !l.trim().starts_with("cargo test")
        || l.trim().starts_with("cargo test ||")
        || l.contains("--no-run")));
    assert!(ci.contains("$(.ci/trixie-nix)"), ".ci/run installs the second Nix");
    assert!(readme.contains("cargo run --release -- lint --dry-run examples/server"));
}

#[test]
fn the_example_server_shows_each_fix() {
    let text = std::fs::read_to_string(root().join("examples/server/configuration.nix")).unwrap();
    let out = nixvm::rewrite::fix_text(&text, &nixvm::lint::LintOptions::default());
    assert_eq!(out.applied.len(), 2, "{:?}", out.applied);
    assert!(out.text.contains("services.timesyncd.enable = lib.mkDefault true;"));
    // The real server's disks: an in-place fix never drops them.
    assert!(out.text.contains("./hardware-configuration.nix"));
    assert!(out.text.contains("virtualisation.vmVariant.virtualisation.memorySize = 2048;"));
}
