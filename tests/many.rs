//! Networks of many machines: each machine evaluated in a nix process of
//! its own, several at once; one that does not evaluate leaves the others'
//! results usable (tests/fixtures/init/networks/eight.nix: m5 throws).

mod common;

#[test]
fn one_machine_of_eight_that_does_not_evaluate() {
    if common::nix("one_machine_of_eight_that_does_not_evaluate").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--network", "init/networks/eight.nix");
    let out = common::nixvm_in(&proj, &["build", "-v", "--eval-jobs", "3"]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    // The seven others are built, each on a line of its own.
    let built: Vec<&str> = stdout.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(built, ["m1", "m2", "m3", "m4", "m6", "m7", "m8"], "{stdout}{stderr}");
    // The one that failed is named, with nix's reason.
    assert!(stderr.contains("nixvm: m5: ") && stderr.contains("broken on purpose"), "{stderr}");
    assert!(stderr.contains("m5 did not evaluate"), "{stderr}");
    // -v shows each nix command: one listing the machines, one per machine.
    let evals = stderr.lines().filter(|l| l.starts_with("+ ") && l.contains(" eval ")).count();
    assert_eq!(evals, 1 + 8, "{stderr}");
    let builds = stderr.lines().filter(|l| l.starts_with("+ ") && l.contains(" build ")).count();
    assert_eq!(builds, 1, "one build of all the VMs: {stderr}");

    // status lists every machine, the one that does not evaluate too.
    let out = common::nixvm_in(&proj, &["status", "-v", "--format", "json"]);
    let evals =
        String::from_utf8_lossy(&out.stderr).lines().filter(|l| l.starts_with("+ ") && l.contains(" eval ")).count();
    assert_eq!(evals, 1 + 8, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = doc["machines"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"], "{doc:#}");
    assert!(doc["incomplete"].is_null(), "{doc:#}");

    // One machine named: one evaluation, as ever.
    let out = common::nixvm_in(&proj, &["build", "-v", "m1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.lines().filter(|l| l.starts_with("+ ") && l.contains(" eval ")).count(), 1, "{stderr}");
}

/// `up` of many machines starts them at the same time, each with a port of
/// its own; the one that does not evaluate is said, and the exit is 1.
#[test]
fn up_starts_the_machines_that_evaluate_each_on_its_own_port() {
    if common::nix("up_starts_the_machines_that_evaluate_each_on_its_own_port").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--network", "init/networks/eight.nix");
    let _down = common::Down(proj.clone());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .env("NIXVM_STUB_SLEEP", "60")
        .args(["up", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("m5 did not evaluate"), "{stderr}");
    let ports: std::collections::BTreeSet<&str> = stdout
        .lines()
        .filter_map(|l| l.split("ssh 127.0.0.1:").nth(1))
        .filter_map(|r| r.split([',', ')']).next())
        .collect();
    assert_eq!(ports.len(), 7, "seven started, each on a port of its own: {stdout}");
    assert!(!stdout.contains("m5:"), "{stdout}");
}

/// One machine costs the nix calls it always did: `status` one evaluation.
#[test]
fn one_machine_costs_one_evaluation() {
    if common::nix("one_machine_costs_one_evaluation").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--from", "init/server/configuration.nix");
    let out = common::nixvm_in(&proj, &["status", "-v", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.lines().filter(|l| l.starts_with("+ ") && l.contains(" eval ")).count(), 1, "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["machines"][0]["name"], "relay", "{doc:#}");
}
