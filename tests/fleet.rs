//! `up`, `status`, `down`, `clean` with the real nix against the stub,
//! whose run script stays alive for $NIXVM_STUB_SLEEP seconds like a VM.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn nixvm() -> Command {
    let mut c = Command::cargo_bin("nixvm").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn stub_flags() -> Vec<String> {
    vec![
        "--offline".into(),
        "--override-input".into(),
        "nixpkgs".into(),
        format!("path:{}", common::stub_nixpkgs().display()),
    ]
}

fn network(tmp: &Path, file: &str) -> PathBuf {
    let proj = tmp.join("proj");
    nixvm()
        .args(["init", "--no-lock", "--network"])
        .arg(common::fixtures().join("init/networks").join(file))
        .arg("--dir")
        .arg(&proj)
        .assert()
        .code(0);
    proj
}

fn status(proj: &Path) -> serde_json::Value {
    let out = nixvm()
        .args(["status", "--json", "--dir"])
        .arg(proj)
        .args(stub_flags())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn alive(pid: i64) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default().contains(") Z ")
}

#[test]
fn up_status_down_clean() {
    if common::nix("up_status_down_clean").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    nixvm().env("NIXVM_STUB_SLEEP", "60").args(["up", "--dir"]).arg(&proj).args(stub_flags()).assert().code(0);

    let s = status(&proj);
    let machines = s["machines"].as_array().unwrap();
    assert_eq!(machines.len(), 2, "{s}");
    let pids: Vec<i64> = machines.iter().map(|m| m["pid"].as_i64().unwrap()).collect();
    let ports: Vec<u64> = machines.iter().map(|m| m["ssh_port"].as_u64().unwrap()).collect();
    assert!(machines.iter().all(|m| m["running"] == true), "{s}");
    assert_ne!(ports[0], ports[1], "each machine gets its own port");
    assert!(pids.iter().all(|p| alive(*p)));
    let log = std::fs::read_to_string(proj.join(".nixvm/client/console.log")).unwrap();
    assert!(log.contains("stub VM client") && log.contains("env: QEMU_OPTS=-nographic"), "{log}");

    // Already running: up again starts nothing new.
    nixvm().args(["up", "--dir"]).arg(&proj).args(stub_flags()).assert().code(0);
    assert_eq!(status(&proj)["machines"][0]["pid"].as_i64().unwrap(), pids[0]);

    // A running machine's state is not cleaned.
    nixvm().args(["clean", "client", "--dir"]).arg(&proj).assert().code(2);

    nixvm().args(["down", "--timeout", "5", "--dir"]).arg(&proj).assert().code(0);
    for pid in &pids {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while alive(*pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(!alive(*pid), "pid {pid} left behind");
    }
    let s = status(&proj);
    assert!(s["machines"].as_array().unwrap().iter().all(|m| m["running"] == false), "{s}");

    nixvm().args(["clean", "--dir"]).arg(&proj).assert().code(0);
    assert!(!proj.join(".nixvm/client").exists());
}

#[test]
fn stale_pid_files_are_never_signalled_and_stale_disks_are_reported() {
    if common::nix("stale_pid_files_are_never_signalled_and_stale_disks_are_reported").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    // A pid file naming another program (a sleep of ours).
    let mut other = std::process::Command::new("sleep").arg("30").spawn().unwrap();
    let state = proj.join(".nixvm/server");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::write(state.join("pid"), format!("{}\n", other.id())).unwrap();
    std::fs::write(state.join("script"), "/nix/store/x-nixos-vm-server/bin/run-server-vm\n").unwrap();
    // A disk image made for another system.
    std::fs::write(state.join("server.qcow2"), "").unwrap();
    std::fs::write(state.join("disk-system"), "/nix/store/old-nixos-system-server\n").unwrap();

    let s = status(&proj);
    let server = s["machines"].as_array().unwrap().iter().find(|m| m["name"] == "server").unwrap().clone();
    assert_eq!(server["running"], false, "{s}");
    assert_eq!(server["disk_stale"], true, "{s}");
    nixvm().args(["down", "server", "--timeout", "1", "--dir"]).arg(&proj).assert().code(0);
    assert!(other.try_wait().unwrap().is_none(), "down signalled a process that is not the VM");
    other.kill().unwrap();
    other.wait().unwrap();
}

#[test]
fn up_refuses_machines_that_do_not_fit_in_memory() {
    if common::nix("up_refuses_machines_that_do_not_fit_in_memory").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "big.nix");
    let err = nixvm().args(["up", "--dir"]).arg(&proj).args(stub_flags()).assert().code(2).get_output().stderr.clone();
    let err = String::from_utf8_lossy(&err);
    assert!(err.contains("need 100001024 MiB of memory") && err.contains("--force"), "{err}");
    assert!(!proj.join(".nixvm/huge/pid").exists() && !proj.join(".nixvm/small/pid").exists(), "nothing started");
}
