//! Golden tests of the files `nixvm init` generates, rendered in-process by
//! `project::plan` (fixed command line and system, so they are stable).
//! Review changes with `cargo insta review`.

mod common;

use nixvm::lint::LintOptions;
use nixvm::project::{plan, Entry, InitOptions, Sources};
use std::path::PathBuf;

fn sources(dir: &str, files: &[&str]) -> Sources {
    let root = common::fixtures().join("init").join(dir);
    Sources {
        files: files.iter().map(|f| (PathBuf::from(f), std::fs::read(root.join(f)).unwrap())).collect(),
        tests: Default::default(),
    }
}

fn options(command: &str) -> InitOptions {
    InitOptions {
        name: None,
        nixpkgs_url: "github:NixOS/nixpkgs/nixos-25.11".into(),
        system: "x86_64-linux".into(),
        rewrite: false,
        keep_hardware: false,
        command: command.into(),
        lint: LintOptions::default(),
        test_lint: LintOptions::new(nixvm::lint::Release::NEWEST, true),
        network_args: vec![],
        evaluated: None,
    }
}

/// The generated files (not the user's copies), one after the other.
fn generated(entry: Entry, sources: &Sources, command: &str) -> String {
    let plan = plan(&entry, sources, &options(command)).unwrap();
    let mut out = String::new();
    for name in [".gitignore", "flake.nix", "machines.nix", "nixvm/vm.nix", "nixvm/test-node.nix", "default.nix"] {
        if let Some(bytes) = plan.files.get(&PathBuf::from(name)) {
            out.push_str(&format!("===== {name}\n{}", String::from_utf8_lossy(bytes)));
        }
    }
    out.push_str(&format!("===== notes\n{}\n", plan.notes.join("\n")));
    out
}

#[test]
fn single_configuration() {
    let s = sources("server", &["configuration.nix", "services/relay.nix", "motd.txt"]);
    insta::assert_snapshot!(generated(
        Entry::Config("configuration.nix".into()),
        &s,
        "nixvm init --from configuration.nix"
    ));
}

#[test]
fn nixops_network() {
    let s = sources("networks", &["nixops.nix", "shared/web-common.nix"]);
    insta::assert_snapshot!(generated(Entry::Network("nixops.nix".into()), &s, "nixvm init --network nixops.nix"));
}

#[test]
fn colmena_hive() {
    let s = sources("networks", &["colmena.nix"]);
    insta::assert_snapshot!(generated(Entry::Network("colmena.nix".into()), &s, "nixvm init --network colmena.nix"));
}

#[test]
fn every_generated_nix_file_parses_with_nix() {
    let Some(nix) = common::nix_instantiate("every_generated_nix_file_parses_with_nix") else { return };
    let s = sources("server", &["configuration.nix", "services/relay.nix", "motd.txt"]);
    let hostile = "nixvm init --from 'a\nb ${x} \"q\" '' \\";
    let plan = plan(&Entry::Config("configuration.nix".into()), &s, &options(hostile)).unwrap();
    for (path, bytes) in &plan.files {
        if path.extension().is_some_and(|e| e == "nix") {
            let text = String::from_utf8(bytes.clone()).unwrap();
            common::nix_parses(&nix, &text).unwrap_or_else(|e| panic!("{path:?}: {e}\n{text}"));
        }
    }
}
