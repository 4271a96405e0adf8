//! `template/` (the project flake's `templates.default`, for
//! `nix flake init -t`) is exactly what `nixvm init` generates for its
//! example machine. `NIXVM_BLESS=1 cargo test --test template` rewrites it.

mod common;

use nixvm::lint::LintOptions;
use nixvm::project::{plan, Entry, InitOptions, Sources};
use std::path::{Path, PathBuf};

#[test]
fn template_matches_what_init_generates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("template");
    let config = PathBuf::from("configuration.nix");
    let sources = Sources {
        files: [(config.clone(), std::fs::read(root.join("machines/example").join(&config)).unwrap())].into(),
        tests: Default::default(),
    };
    let options = InitOptions {
        name: Some("example".into()),
        nixpkgs_url: format!("github:NixOS/nixpkgs/{}", nixvm::project::DEFAULT_BRANCH),
        system: "x86_64-linux".into(),
        rewrite: false,
        keep_hardware: false,
        command: "nixvm init --from configuration.nix".into(),
        lint: LintOptions::default(),
        test_lint: LintOptions::new(nixvm::lint::Release::NEWEST, true),
        network_args: vec![],
        evaluated: None,
    };
    let plan = plan(&Entry::Config(config), &sources, &options).unwrap();
    let bless = std::env::var_os("NIXVM_BLESS").is_some();
    for (rel, bytes) in &plan.files {
        let path = root.join(rel);
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        } else {
            let on_disk = std::fs::read(&path).unwrap_or_else(|_| panic!("template is missing {rel:?}"));
            assert_eq!(String::from_utf8_lossy(&on_disk), String::from_utf8_lossy(bytes), "{rel:?} is stale");
        }
    }
}

#[test]
fn the_project_flake_exposes_the_template() {
    let flake = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("flake.nix")).unwrap();
    assert!(flake.contains("templates.default"), "{flake}");
    assert!(flake.contains("path = ./template;"));
}
