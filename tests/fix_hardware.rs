//! `lint --fix` never changes what the real machine gets: every fix pair
//! of tests/fixtures/fix is evaluated as hardware (the stub nixpkgs'
//! `nixosSystem`, with `nix-instantiate --eval --strict`) before and after
//! its fixes, and the configurations must be equal. Left out of the
//! comparison: `virtualisation.vmVariant` (the VM, which fixes are for),
//! qemu-vm.nix's own options (the hardware does not have them: real NixOS
//! fails to evaluate them outside the VM variant, which is what
//! `toplevel-virtualisation` fixes) and `system.build` (derivations).
//!
//! Each fixture gets the files and values it refers to (its "context"),
//! so that its hardware evaluation succeeds and means something: the
//! hardware configuration it imports defines a root file system, which an
//! in-place fix that dropped the import would lose.

mod common;

use std::path::Path;

/// What a fixture refers to: files beside it, modules evaluated with it,
/// `specialArgs`, and whether it is a network file (one machine per
/// attribute).
struct Context {
    files: &'static [(&'static str, &'static str)],
    modules: &'static [&'static str],
    special_args: &'static str,
    network: bool,
}

const HARDWARE: (&str, &str) = (
    "hardware-configuration.nix",
    r#"{ ... }: {
  fileSystems."/" = { device = "/dev/disk/by-uuid/0d5e"; fsType = "ext4"; };
  boot.initrd.availableKernelModules = [ "ahci" "nvme" ];
  nixpkgs.hostPlatform = "x86_64-linux";
}
"#,
);
const EMPTY: &str = "{ ... }: { }\n";

fn context(name: &str) -> Context {
    let plain = Context { files: &[], modules: &[], special_args: "{ }", network: false };
    match name {
        "conflict-add-lib" => Context { modules: &["{ services.nginx.enable = true; }"], ..plain },
        "conflict-mkif-let-with" => Context {
            modules: &[r#"{ site.enable = true; site.flavour = "big"; site.legacyNames = false; }"#],
            ..plain
        },
        "crlf" => Context { files: &[HARDWARE, ("users.nix", EMPTY)], ..plain },
        "hardware-layouts" => Context { files: &[HARDWARE, ("first.nix", EMPTY), ("last.nix", EMPTY)], ..plain },
        "inherit-from-several" => Context {
            files: &[(
                "site.nix",
                r#"{ time = { enable = true; servers = [ "ntp.example.org" ]; fallbackServers = [ ]; }; }"#,
            )],
            ..plain
        },
        "inherit" => Context {
            modules: &[
                r#"{ lib, ... }: { options.site.router = lib.mkOption { default = false; }; config.site.router = false; }"#,
            ],
            ..plain
        },
        "network" => Context { files: &[HARDWARE], network: true, ..plain },
        "tabs-no-final-newline" => Context { files: &[HARDWARE, ("a.nix", EMPTY)], ..plain },
        "unfixable" => Context { special_args: "{ enable = true; }", ..plain },
        _ => plain,
    }
}

/// The expression evaluating `file` (a module, or a network) as hardware,
/// with `cx`'s modules, as JSON-ready values.
fn expression(file: &Path, cx: &Context) -> String {
    let stub = common::stub_nixpkgs();
    let qemu_only: Vec<String> = nixvm::lint::QEMU_VM_OPTIONS.iter().map(|o| format!("\"{o}\"")).collect();
    format!(
        r#"let
  lib = import {stub}/lib.nix;
  nixosSystem = import {stub}/nixos-system.nix {{ inherit lib; }};
  hardware = module:
    let c = (nixosSystem {{ modules = [ {modules} ] ++ [ module ]; specialArgs = {special}; }}).config;
    in c // {{
      system = removeAttrs c.system [ "build" ];
      virtualisation = removeAttrs (c.virtualisation or {{ }}) ([ "vmVariant" ] ++ [ {qemu_only} ]);
    }};
  file = {file};
in
if {network} then builtins.mapAttrs (_: hardware) (removeAttrs (import file) [ "network" "defaults" "resources" ])
else hardware file
"#,
        stub = stub.display(),
        modules = cx.modules.iter().map(|m| format!("({m})")).collect::<Vec<_>>().join(" "),
        special = cx.special_args,
        qemu_only = qemu_only.join(" "),
        file = file.display(),
        network = cx.network,
    )
}

/// The hardware evaluation of `text` (as a fixture file in a directory of
/// its own, with its context), as JSON.
fn evaluate(nix_instantiate: &Path, name: &str, text: &str) -> serde_json::Value {
    let cx = context(name);
    let dir = tempfile::tempdir().unwrap();
    for (file, content) in cx.files {
        std::fs::write(dir.path().join(file), content).unwrap();
    }
    let file = dir.path().join("configuration.nix");
    std::fs::write(&file, text).unwrap();
    let eval = dir.path().join("eval.nix");
    std::fs::write(&eval, expression(&file, &cx)).unwrap();
    let out =
        std::process::Command::new(nix_instantiate).args(["--eval", "--strict", "--json"]).arg(&eval).output().unwrap();
    assert!(
        out.status.success(),
        "{name}: the hardware evaluation failed:\n{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn no_fix_changes_the_hardware_evaluation() {
    let Some(nix) = common::nix_instantiate("no_fix_changes_the_hardware_evaluation") else { return };
    let options = nixvm::lint::LintOptions::new(nixvm::lint::Release::NEWEST, false);
    let dir = common::fixtures().join("fix");
    let mut compared = vec![];
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(name) = file_name.strip_suffix(".before.nix") else { continue };
        let before = std::fs::read_to_string(&path).unwrap();
        let fixed = nixvm::rewrite::fix_text(&before, &options);
        if fixed.applied.is_empty() {
            continue;
        }
        let (was, is) = (evaluate(&nix, name, &before), evaluate(&nix, name, &fixed.text));
        assert_eq!(was, is, "{name}: its fixes ({:?}) change what the real machine gets", fixed.applied);
        compared.push(name.to_string());
    }
    assert!(compared.len() >= 10, "too few fixtures were fixed and compared: {compared:?}");
}

/// The comparison sees what matters: the hardware import dropped (what
/// `lint --fix` did before) changes the machine's file systems.
#[test]
fn dropping_the_hardware_import_is_seen() {
    let Some(nix) = common::nix_instantiate("dropping_the_hardware_import_is_seen") else { return };
    let with = "{ ... }: { imports = [ ./hardware-configuration.nix ]; }";
    let without = "{ ... }: { imports = [ ]; }";
    let (a, b) = (evaluate(&nix, "crlf", with), evaluate(&nix, "crlf", without));
    assert_eq!(a["fileSystems"]["/"]["fsType"], "ext4", "{a:#}");
    assert_ne!(a, b);
}
