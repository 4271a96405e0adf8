//! `nixvm check` with the real nix against a stub nixpkgs whose qemu-vm
//! stand-in defines an option the built-in conflict table does not know:
//! each error Nix reports lands on the right file and line.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn nixvm() -> Command {
    let mut c = Command::cargo_bin("nixvm").unwrap();
    c.env("NO_COLOR", "1");
    c
}

/// The stub nixpkgs, with one more plain definition in its qemu-vm.nix.
fn stub_with_extra_vm_option(tmp: &Path) -> PathBuf {
    let stub = tmp.join("stub");
    common::copy_tree(&common::stub_nixpkgs(), &stub);
    let module = stub.join("nixos/modules/virtualisation/qemu-vm.nix");
    let text = std::fs::read_to_string(&module).unwrap();
    let patched = text.replacen(
        "services.qemuGuest.enable = true;",
        "services.qemuGuest.enable = true;\n    documentation.man.enable = false;",
        1,
    );
    assert_ne!(patched, text);
    std::fs::write(&module, patched).unwrap();
    stub
}

/// The check fixture's network, as a project made by `nixvm init`.
fn network_project(tmp: &Path) -> PathBuf {
    common::init_project(&tmp.join("proj"), "--network", "check/network.nix")
}

fn check(proj: &Path, stub: &Path, machines: &[&str]) -> (i32, serde_json::Value, String) {
    let out = nixvm()
        .arg("check")
        .args(machines)
        .args(["--format", "json", "--offline", "--override-input", "nixpkgs"])
        .arg(format!("path:{}", stub.display()))
        .arg("--dir")
        .arg(proj)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), json, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn check_maps_nix_errors_to_the_users_lines() {
    if common::nix("check_maps_nix_errors_to_the_users_lines").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let stub = stub_with_extra_vm_option(tmp.path());
    let proj = network_project(tmp.path());

    let (code, json, err) = check(&proj, &stub, &[]);
    assert_eq!(code, 1, "{err}\n{json}");
    // JSON output: no progress on stderr either.
    assert!(!err.contains("nixvm: evaluating"), "{err}");
    let diags = json["diagnostics"].as_array().unwrap_or_else(|| panic!("{err}"));
    let find = |machine: &str| {
        let found: Vec<&serde_json::Value> =
            diags.iter().filter(|d| d["machines"] == serde_json::json!([machine])).collect();
        assert_eq!(found.len(), 1, "{machine}: {json:#}");
        found[0].clone()
    };
    let network = std::fs::read_to_string(proj.join("network/network.nix")).unwrap();
    let line_of = |needle: &str| network.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;

    let d = find("manpages");
    assert_eq!(d["code"], "qemu-conflict");
    assert_eq!(d["file"], "network/network.nix");
    assert_eq!(d["option"], "documentation.man.enable");
    assert_eq!(d["range"]["start"]["line"].as_u64(), Some(line_of("documentation.man.enable = true")));
    assert!(d["message"].as_str().unwrap().contains("in the VM: true here, false in "), "{d}");

    let d = find("typo");
    assert_eq!(d["code"], "undeclared-option");
    // NixOS names the first undeclared level; the finding is on the key.
    assert_eq!(d["option"], "services.webcache");
    assert_eq!(d["range"]["start"]["line"].as_u64(), Some(line_of("services.webcache.enable")));

    let d = find("asserted");
    assert_eq!(d["code"], "failed-assertion");
    assert!(d["message"].as_str().unwrap().contains("asserted needs a database"), "{d}");

    let d = find("broken");
    assert_eq!(d["code"], "eval-error");
    assert_eq!(d["file"], "network/broken.nix");
    assert_eq!((d["range"]["start"]["line"].as_u64(), d["range"]["start"]["column"].as_u64()), (Some(3), Some(27)));
    assert!(d["message"].as_str().unwrap().starts_with("undefined variable `enableNginx`"), "{d}");

    assert!(diags.iter().all(|d| d["machines"] != serde_json::json!(["good"])), "{json:#}");
    let (code, json, err) = check(&proj, &stub, &["good"]);
    assert_eq!((code, json["diagnostics"].as_array().map(Vec::len)), (0, Some(0)), "{err}");

    let (code, _, err) = check(&proj, &stub, &["nosuch"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no machine `nosuch` in this project (machines: asserted, broken, good, manpages, typo)"),
        "{err}"
    );

    // In human form, a line per finished evaluation (no terminal here).
    let out = nixvm()
        .args(["check", "good", "--offline", "--override-input", "nixpkgs"])
        .arg(format!("path:{}", stub.display()))
        .arg("--dir")
        .arg(&proj)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    for n in 0..=1 {
        assert!(err.contains(&format!("nixvm: evaluating 1 machine, on hardware and as a VM ({n}/1 done)")), "{err}");
    }

    // The same project against the plain stub: manpages is fine there.
    let (_, json, _) = check(&proj, &common::stub_nixpkgs(), &["manpages"]);
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(0), "{json}");
}

/// `lint` reads the conflicts from the qemu-vm.nix of the nixpkgs that
/// flake.lock pins, once it is in the store, and so reports statically what
/// `check` finds by evaluating.
#[test]
fn lint_reads_the_conflicts_of_the_pinned_nixpkgs() {
    let Some(nix) = common::nix("lint_reads_the_conflicts_of_the_pinned_nixpkgs") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let stub = stub_with_extra_vm_option(tmp.path());
    let proj = network_project(tmp.path());
    let lint = |args: &[&str]| {
        let out = nixvm().current_dir(&proj).args(["lint", "--format", "json"]).args(args).output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let man: Vec<serde_json::Value> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["option"] == "documentation.man.enable")
            .cloned()
            .collect();
        (out.status.code(), man)
    };
    // Unlocked: the built-in table, which does not know the option.
    assert_eq!(lint(&[]).1, Vec::<serde_json::Value>::new());

    let out = std::process::Command::new(&nix)
        .current_dir(&proj)
        .args(["--extra-experimental-features", "nix-command flakes", "flake", "lock", "--offline"])
        .args(["--override-input", "nixpkgs"])
        .arg(format!("path:{}", stub.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let network = std::fs::read_to_string(proj.join("network/network.nix")).unwrap();
    let line = network.lines().position(|l| l.contains("documentation.man.enable = true")).unwrap() as u64 + 1;
    let (code, man) = lint(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(man.len(), 1, "{man:?}");
    assert_eq!(man[0]["code"], "qemu-conflict");
    assert_eq!(man[0]["file"], "./network/network.nix");
    assert_eq!(man[0]["range"]["start"]["line"].as_u64(), Some(line));
    let module = std::fs::read_to_string(stub.join("nixos/modules/virtualisation/qemu-vm.nix")).unwrap();
    let their_line = module.lines().position(|l| l.contains("documentation.man.enable")).unwrap() + 1;
    let message = man[0]["message"].as_str().unwrap();
    assert!(message.contains(&format!("nixos/modules/virtualisation/qemu-vm.nix:{their_line}")), "{message}");

    // `kb` shows the same table; `--release` asks for the built-in one.
    let out = nixvm().args(["kb", "--format", "json", "--dir"]).arg(&proj).output().unwrap();
    let table: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(table["source"].as_str().unwrap().contains("flake.lock"), "{table}");
    assert!(table["plain"].as_array().unwrap().iter().any(|p| p["option"] == "documentation.man.enable"), "{table}");
    assert_eq!(lint(&["--release", "24.11"]).1, Vec::<serde_json::Value>::new());
}

/// The most nix processes that ran at once, from a log of `start`/`end`
/// lines with nanosecond times.
fn most_at_once(log: &str) -> usize {
    let mut events: Vec<(u128, i32)> = log
        .lines()
        .filter_map(|l| {
            let words: Vec<&str> = l.split(' ').collect();
            let time = words.get(2)?.parse().ok()?;
            Some((time, if words[0] == "start" { 1 } else { -1 }))
        })
        .collect();
    // At equal times an end comes first: the two did not overlap.
    events.sort();
    let (mut now, mut most) = (0, 0);
    for (_, step) in events {
        now += step;
        most = most.max(now);
    }
    most as usize
}

/// `--jobs N` bounds how many evaluations run at once (observed through a
/// wrapper around nix that logs when each starts and ends), and the
/// findings are the same however many run.
#[test]
fn check_runs_at_most_jobs_evaluations_at_once() {
    let Some(nix) = common::nix("check_runs_at_most_jobs_evaluations_at_once") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let stub = stub_with_extra_vm_option(tmp.path());
    let proj = network_project(tmp.path());
    let (bin, log) = (tmp.path().join("bin"), tmp.path().join("nix.log"));
    std::fs::create_dir_all(&bin).unwrap();
    let wrapper = format!(
        "#!/bin/sh\necho \"start $$ $(date +%s%N)\" >> '{log}'\n'{nix}' \"$@\"\nstatus=$?\necho \"end $$ $(date +%s%N)\" >> '{log}'\nexit $status\n",
        log = log.display(),
        nix = nix.display()
    );
    common::write_script(&bin.join("nix"), &wrapper);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let mut findings = vec![];
    for jobs in ["1", "2"] {
        std::fs::write(&log, "").unwrap();
        let out = nixvm()
            .env("PATH", &path)
            .args(["check", "--jobs", jobs, "--format", "json", "--offline", "--override-input", "nixpkgs"])
            .arg(format!("path:{}", stub.display()))
            .arg("--dir")
            .arg(&proj)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let log = std::fs::read_to_string(&log).unwrap();
        assert!(log.lines().count() >= 2 * 5, "a nix call per machine at least: {log}");
        assert!(most_at_once(&log) <= jobs.parse().unwrap(), "--jobs {jobs}: {log}");
        findings.push(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    assert_eq!(findings[0], findings[1]);
}
