//! The conflict table read from a qemu-vm-shaped nixpkgs tree written for
//! these tests (tests/fixtures/kb/nixpkgs), and `lint --nixpkgs` using it.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn tree() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb/nixpkgs")
}

fn derive(test_framework: bool) -> nixvm::lint::ConflictTable {
    let root = tree();
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).ok();
    nixvm::lint::kb::derive("the fixture tree", &read, test_framework).unwrap()
}

#[test]
fn table_of_the_fixture_tree() {
    insta::assert_json_snapshot!("fixture-table", derive(false));
}

#[test]
fn table_with_the_test_framework() {
    let table = derive(true);
    let plain: Vec<String> = table.plain.iter().map(|p| nixvm::syntax::dotted(&p.option)).collect();
    for option in ["boot.consoleLogLevel", "boot.kernel.sysctl.\"kernel.hung_task_timeout_secs\""] {
        assert!(plain.contains(&option.to_string()), "{option} in {plain:?}");
    }
    assert!(table.merged.iter().any(|m| m.option == ["services", "journald", "extraConfig"]));
    // Defined by both files: listed once, where qemu-vm.nix defines it.
    let usable = table.plain.iter().filter(|p| p.option == ["networking", "usePredictableInterfaceNames"]);
    assert_eq!(usable.count(), 1);
    assert!(!derive(false).plain.iter().any(|p| p.option == ["boot", "consoleLogLevel"]));
}

#[test]
fn a_tree_without_qemu_vm_is_an_error() {
    let read = |_: &str| None;
    let err = nixvm::lint::kb::derive("nowhere", &read, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "nixos/modules/virtualisation/qemu-vm.nix is missing: this is not a nixpkgs source tree"
    );
    let read = |rel: &str| (rel == nixvm::lint::kb::QEMU_VM).then(|| "{ config = { a = 1; }".to_string());
    let err = nixvm::lint::kb::derive("broken", &read, false).unwrap_err();
    assert!(err.to_string().starts_with("nixos/modules/virtualisation/qemu-vm.nix:1:"), "{err}");
}

fn nixvm() -> Command {
    let mut c = Command::cargo_bin("nixvm").unwrap();
    c.env("NO_COLOR", "1");
    c
}

const CONFIG: &str = "{ lib, ... }: {
  documentation.man.enable = true;
  security.pki.installCACerts = true;
  networking.dhcpcd.extraConfig = \"timeout 10\";
  boot.initrd.luks.devices.root.device = \"/dev/sda2\";
  swapDevices = [ { device = \"/swapfile\"; } ];
  services.qemuGuest.enable = true;
  services.connman.enable = lib.mkOverride 20 true;
  networking.wireless.enable = lib.mkForce true;
  virtualisation.vmVariant.virtualisation.packetSize = 8192;
}
";

#[test]
fn lint_uses_the_table_of_the_tree_it_is_given() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("configuration.nix");
    std::fs::write(&config, CONFIG).unwrap();
    let run = |extra: &[&str]| {
        let out = nixvm().args(["lint", "--format", "json"]).args(extra).arg(&config).output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let found: Vec<(String, String, u64)> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["option"].as_str().unwrap_or("").to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        (out.status.code(), found)
    };
    let tree = tree();
    let (code, found) = run(&["--nixpkgs", tree.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    let expected = [
        ("qemu-conflict", "documentation.man.enable", 2),
        ("qemu-conflict", "security.pki.installCACerts", 3),
        ("vm-override-ignored", "boot.initrd.luks.devices", 5),
        ("vm-override-ignored", "swapDevices", 6),
        ("vm-override-ignored", "networking.wireless.enable", 9),
        // The tree's own mkRemovedOptionModule.
        ("vm-option-removed", "virtualisation.vmVariant.virtualisation.packetSize", 10),
    ];
    let expected: Vec<(String, String, u64)> =
        expected.iter().map(|(c, o, l)| (c.to_string(), o.to_string(), *l)).collect();
    assert_eq!(found, expected);

    // qemuGuest: qemu-vm.nix's expression defaults to true, as the user's.
    // connman: the user's mkOverride 20 beats qemu-vm.nix's mkForce.
    // The built-in table knows neither of the first two; the extraConfig
    // line merges under both.
    let (_, builtin) = run(&[]);
    assert!(builtin.iter().all(|(c, _, _)| c != "qemu-conflict" && c != "vm-option-removed"), "{builtin:?}");

    let out = nixvm().args(["lint", "--nixpkgs"]).arg(tmp.path()).arg(&config).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let both = nixvm().args(["lint", "--release", "24.11", "--nixpkgs"]).arg(&tree).arg(&config).output().unwrap();
    assert_eq!(both.status.code(), Some(2), "--nixpkgs and --release exclude each other");
    assert!(String::from_utf8_lossy(&out.stderr).contains("is missing: this is not a nixpkgs source tree"));
}

#[test]
fn kb_prints_the_table() {
    let out = nixvm().args(["kb", "--nixpkgs"]).arg(tree()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(needle))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    assert_eq!(
        line("security.pki.installCACerts").as_deref(),
        Some(
            "security.pki.installCACerts = `false` when `cfg.useHostCerts` nixos/modules/virtualisation/qemu-vm.nix:39"
        )
    );
    assert_eq!(
        line("swapDevices").as_deref(),
        Some("swapDevices mkVMOverride when `cfg.useDefaultFilesystems` nixos/modules/virtualisation/qemu-vm.nix:46")
    );
    assert!(text.contains("(NixOS 24.11)"), "{text}");
    assert!(
        text.contains("warning: nixos/modules/profiles/missing-profile.nix (imported) could not be read"),
        "{text}"
    );
    let json = nixvm().args(["kb", "--format", "json", "--release", "18.03"]).output().unwrap();
    let table: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(table["release"], "18.03");
    assert_eq!(table["plain"][0]["option"], "services.timesyncd.enable");
}

/// A flake.lock that pins a nixpkgs branch whose source is not in the store
/// yet: lint uses the built-in table of the release that branch follows
/// (nixos-unstable has no `virtualisation.msize`; 25.11 still does).
#[test]
fn the_branch_a_lock_follows_picks_the_builtin_table() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("flake.nix"), "{ outputs = { self, nixpkgs }: { }; }\n").unwrap();
    let config = tmp.path().join("configuration.nix");
    std::fs::write(&config, "{\n  virtualisation.vmVariant.virtualisation.msize = 262144;\n}\n").unwrap();
    for (branch, release, removed) in [("nixos-unstable", "26.11", true), ("nixos-25.11", "25.11", false)] {
        // A NAR hash whose source no store holds.
        let lock = format!(
            r#"{{"nodes":{{"nixpkgs":{{"locked":{{"lastModified":1,"narHash":"sha256-{zeros}=","owner":"NixOS","repo":"nixpkgs","rev":"{rev}","type":"github"}},"original":{{"owner":"NixOS","ref":"{branch}","repo":"nixpkgs","type":"github"}}}},"root":{{"inputs":{{"nixpkgs":"nixpkgs"}}}}}},"root":"root","version":7}}"#,
            zeros = "A".repeat(43),
            rev = "0".repeat(40),
        );
        std::fs::write(tmp.path().join("flake.lock"), lock).unwrap();
        let out = nixvm().arg("lint").arg(&config).output().unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(stderr.contains(&format!("using the built-in table for NixOS {release}")), "{branch}: {stderr}");
        assert_eq!(stdout.contains("error[vm-option-removed]"), removed, "{branch}: {stdout}");
        assert_eq!(out.status.code(), Some(if removed { 1 } else { 0 }), "{branch}");
    }
}
