//! Lint's machine-level findings over a repository of several hosts
//! (tests/fixtures/lint/machines, see its README): decided over each
//! machine's modules, not the one file they are found in.

use std::collections::BTreeSet;
use std::path::Path;

type Finding = (String, String, String);

/// The `zfs-host-id` findings of a lint report: (file, severity, machine).
fn host_id_findings(json: &serde_json::Value) -> BTreeSet<Finding> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "zfs-host-id")
        .map(|d| {
            let file = d["file"].as_str().unwrap().trim_start_matches("./").to_string();
            (
                file,
                d["severity"].as_str().unwrap().to_string(),
                d["machines"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect::<Vec<_>>().join(", "),
            )
        })
        .collect()
}

fn owned(findings: &[(&str, &str, &str)]) -> BTreeSet<Finding> {
    findings.iter().map(|(f, s, m)| (f.to_string(), s.to_string(), m.to_string())).collect()
}

/// `nixvm lint --format json .` in the fixture directory `dir`.
fn lint_json(dir: &str) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint").join(dir);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .current_dir(&root)
        .args(["lint", "--format", "json", "."])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn machine_level_findings_are_decided_over_each_machines_modules() {
    let json = lint_json("machines");
    let found: BTreeSet<(String, String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "zfs-host-id" || d["code"] == "no-login" || d["code"] == "no-ssh")
        .map(|d| {
            let file = d["file"].as_str().unwrap().trim_start_matches("./").to_string();
            (d["code"].as_str().unwrap().to_string(), file, d["severity"].as_str().unwrap().to_string())
        })
        .collect();
    let expected: BTreeSet<(String, String, String)> = [
        ("zfs-host-id", "hosts/nohost/hardware-configuration.nix", "warning"),
        ("no-login", "hosts/nologin/default.nix", "warning"),
        ("zfs-host-id", "hosts/opaque/default.nix", "note"),
        ("no-ssh", "modules/hardened.nix", "note"),
        ("no-login", "hosts/appliance/default.nix", "note"),
    ]
    .iter()
    .map(|(c, f, s)| (c.to_string(), f.to_string(), s.to_string()))
    .collect();
    assert_eq!(found, expected, "{json:#}");
    // The finding on a module names the machine it concerns.
    let nohost = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "zfs-host-id" && d["severity"] == "warning")
        .unwrap();
    assert_eq!(nohost["machines"], serde_json::json!(["hosts/nohost/default.nix"]), "{nohost}");
    assert!(nohost["message"].as_str().unwrap().contains("not set in any module of this machine"), "{nohost}");
    // A shared module's finding names the machines it stands for: not the
    // bastion, which turns sshd back on.
    let no_ssh = json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "no-ssh").unwrap();
    assert_eq!(no_ssh["machines"], serde_json::json!(["hosts/kiosk/default.nix"]), "{no_ssh}");
    let appliance = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "no-login" && d["severity"] == "note")
        .unwrap();
    assert!(appliance["message"].as_str().unwrap().contains("computed name"), "{appliance}");
    assert_eq!(appliance["caveats"].as_array().map(Vec::len), Some(1), "{appliance}");
}

/// In a flake that writes its machines' module lists (tests/fixtures/lint/
/// machines-flake), those lists are the machines: a module only the flake
/// lists answers for its machine, findings name the flake's machines, and
/// a machine with a module from an input gets a note.
#[test]
fn a_flakes_module_lists_are_its_machines() {
    let json = lint_json("machines-flake");
    let found = host_id_findings(&json);
    let expected =
        owned(&[("hosts/db/configuration.nix", "warning", "db"), ("hosts/edge/configuration.nix", "note", "edge")]);
    assert_eq!(found, expected, "{json:#}");
}

/// A hardware import is a note that asks nothing, except where its file
/// is missing: then nothing evaluates, and the warning says what to do.
/// No finding offers to remove it from the user's file.
#[test]
fn a_hardware_import_is_a_note_unless_its_file_is_missing() {
    let json = lint_json("machines");
    let found: BTreeSet<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "hardware-import")
        .map(|d| {
            assert!(d["fix"].is_null(), "a fix of the user's own file: {d:#}");
            let file = d["file"].as_str().unwrap().trim_start_matches("./").to_string();
            (file, d["severity"].as_str().unwrap().to_string())
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("hosts/nohost/default.nix", "note"),
        ("hosts/zfs-box/default.nix", "note"),
        ("hosts/unscanned/default.nix", "warning"),
    ]
    .iter()
    .map(|(f, s)| (f.to_string(), s.to_string()))
    .collect();
    assert_eq!(found, expected, "{json:#}");
    let missing = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "hardware-import" && d["severity"] == "warning")
        .unwrap();
    assert!(
        missing["message"].as_str().unwrap().contains("`./hardware-configuration.nix` does not exist"),
        "{missing:#}"
    );
    assert!(missing["help"].as_str().unwrap().contains("nixvm init --from"), "{missing:#}");
}

/// A network file's machines are each decided over their own module and
/// what it imports (tests/fixtures/lint/machines-network).
#[test]
fn each_machine_of_a_network_is_decided_over_its_own_modules() {
    let json = lint_json("machines-network");
    let found = host_id_findings(&json);
    let expected = owned(&[("network.nix", "warning", "backup")]);
    assert_eq!(found, expected, "{json:#}");
}

/// A flake of ZFS hosts whose imports are written as real repositories
/// write them (tests/fixtures/lint/zfs-repo, see its README): every form
/// followed, so no false `zfs-host-id`; a host id only under a condition is
/// a note that says so; what cannot be followed is listed per machine.
#[test]
fn the_import_forms_people_write_are_followed() {
    let json = lint_json("zfs-repo");
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let of = |code: &str| diagnostics.iter().filter(|d| d["code"] == code).collect::<Vec<_>>();
    let host_id = of("zfs-host-id");
    assert_eq!(host_id.len(), 1, "{json:#}");
    assert_eq!(
        (host_id[0]["severity"].as_str(), &host_id[0]["machines"]),
        (Some("note"), &serde_json::json!(["delta"]))
    );
    assert!(host_id[0]["message"].as_str().unwrap().contains("hostid.nix, which is imported only under a condition"));
    let hardware = of("hardware-import");
    assert_eq!(hardware.len(), 2, "{json:#}");
    assert!(hardware.iter().all(|d| d["severity"] == "note"), "{json:#}");
    let machines = json["machines"].as_array().unwrap();
    let machine = |name: &str| machines.iter().find(|m| m["machine"] == name).unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(machine("delta")["conditional"], serde_json::json!(["modules/hostid.nix"]));
    assert!(machine("gamma")["files"].as_array().unwrap().iter().any(|f| f == "modules/hostid.nix"), "{json:#}");
    let unfollowed = machine("epsilon")["unfollowed"].as_array().unwrap();
    assert!(unfollowed.len() == 1 && unfollowed[0].as_str().unwrap().contains("generated-"), "{json:#}");
    assert!(machines.iter().all(|m| m["machine"] != "flake.nix"), "{json:#}");
}

/// A file given alone that sets nothing only a machine's own
/// configuration sets may be one module of a machine: a machine-level
/// finding there is a note that says so. Once it names itself a machine
/// (`system.stateVersion`), the same finding is a warning.
#[test]
fn a_part_of_a_machine_is_not_judged_as_a_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.nix");
    let lint = |text: &str| -> serde_json::Value {
        std::fs::write(&file, text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"))
            .args(["lint", "--format", "json"])
            .arg(&file)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "no-login").unwrap().clone()
    };
    let part = lint("{ ... }:\n{\n  users.mutableUsers = false;\n}\n");
    assert_eq!(part["severity"], "note", "{part:#}");
    assert!(part["message"].as_str().unwrap().contains("nothing says this file is a whole machine"), "{part:#}");
    let whole = lint("{ ... }:\n{\n  users.mutableUsers = false;\n  system.stateVersion = \"25.11\";\n}\n");
    assert_eq!(whole["severity"], "warning", "{whole:#}");
}
