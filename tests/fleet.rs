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

fn network(tmp: &Path, file: &str) -> PathBuf {
    common::init_project(&tmp.join("proj"), "--network", format!("init/networks/{file}"))
}

fn status(proj: &Path) -> serde_json::Value {
    let out = nixvm()
        .args(["status", "--json", "--dir"])
        .arg(proj)
        .args(common::stub_flags())
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
    let up = up(&proj, &[]).code(0).get_output().stdout.clone();
    let up = String::from_utf8(up).unwrap();
    // Sorted names give the addresses: client .1, server .2.
    assert!(up.contains("client: started (pid ") && up.contains("192.168.1.1 on the segment"), "{up}");
    assert!(up.contains("192.168.1.2 on the segment"), "{up}");

    let s = status(&proj);
    let machines = s["machines"].as_array().unwrap();
    assert_eq!(machines.len(), 2, "{s}");
    let pids: Vec<i64> = machines.iter().map(|m| m["pid"].as_i64().unwrap()).collect();
    let ports: Vec<u64> = machines.iter().map(|m| m["ssh_port"].as_u64().unwrap()).collect();
    assert!(machines.iter().all(|m| m["running"] == true), "{s}");
    assert_ne!(ports[0], ports[1], "each machine gets its own port");
    assert!(pids.iter().all(|p| alive(*p)));
    for m in ["client", "server"] {
        assert!(common::is_gc_root(&proj.join(format!(".nixvm/{m}/vm"))), "{m}'s VM is a GC root");
    }
    // Both on one segment (the same multicast group on loopback), each
    // with its own MAC, console on the serial line.
    let qemu_opts = |m: &str| {
        let log = std::fs::read_to_string(proj.join(format!(".nixvm/{m}/console.log"))).unwrap();
        assert!(log.contains(&format!("stub VM {m}")), "{log}");
        log.lines().find_map(|l| l.strip_prefix("env: QEMU_OPTS=")).map(String::from).unwrap()
    };
    let (c, s) = (qemu_opts("client"), qemu_opts("server"));
    assert!(c.starts_with("-device virtio-net-pci,netdev=nixvm0,mac=52:54:00:") && c.ends_with(" -nographic"), "{c}");
    let netdev = |o: &str| o.split(' ').find(|w| w.starts_with("socket,")).unwrap().to_string();
    assert_eq!(netdev(&c), netdev(&s), "one segment");
    assert!(netdev(&c).ends_with(",localaddr=127.0.0.1"), "{c}");
    assert_ne!(c, s, "each machine has its own MAC");

    // Already running: up again starts nothing new.
    nixvm().args(["up", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
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
    let err = nixvm()
        .args(["up", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&err);
    assert!(err.contains("need 100001024 MiB of memory") && err.contains("--force"), "{err}");
    assert!(!proj.join(".nixvm/huge/pid").exists() && !proj.join(".nixvm/small/pid").exists(), "nothing started");
}

#[test]
fn machines_know_each_other_on_the_segment() {
    let Some(nix) = common::nix("machines_know_each_other_on_the_segment") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    let eval = |attr: &str| {
        let installable = format!(".#nixosConfigurations.{attr}");
        let (ok, out, err) = common::nix_flake(&nix, &proj, &["eval", "--json", &installable]);
        assert!(ok, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    for (machine, address) in [("client", "192.168.1.1"), ("server", "192.168.1.2")] {
        let vm = format!("{machine}.config.virtualisation.vmVariant.networking");
        assert_eq!(
            eval(&format!("{vm}.hosts")),
            serde_json::json!({ "192.168.1.1": ["client"], "192.168.1.2": ["server"] })
        );
        assert_eq!(
            eval(&format!("{vm}.interfaces.eth1.ipv4.addresses")),
            serde_json::json!([{ "address": address, "prefixLength": 24 }])
        );
        // The configuration for hardware has none of it.
        let (_, out, _) = common::nix_flake(
            &nix,
            &proj,
            &[
                "eval",
                "--json",
                &format!(".#nixosConfigurations.{machine}.config.networking"),
                "--apply",
                "n: n ? hosts || n ? interfaces",
            ],
        );
        assert_eq!(out.trim(), "false", "{machine}'s hardware configuration is untouched");
    }
}

#[test]
fn a_machine_that_exits_at_once_is_reported() {
    if common::nix("a_machine_that_exits_at_once_is_reported").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    // As QEMU does when its forwarded port is taken: an error, exit 1.
    let out = nixvm()
        .env("NIXVM_STUB_EXIT", "1")
        .args(["up", "server", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("server: stopped at once (exit status: 1)"), "{err}");
    assert!(err.contains("server did not stay up"), "{err}");
    let s = status(&proj);
    assert!(s["machines"].as_array().unwrap().iter().all(|m| m["running"] == false), "{s}");
    assert!(!proj.join(".nixvm/server/pid").exists());
}

/// The sessions (one per VM: `up` starts each in its own) of the processes
/// started for `machine`'s state directory, found by their environment.
fn vm_sessions(proj: &Path, machine: &str) -> std::collections::BTreeSet<i64> {
    let mark = format!("NIXVM_STATE={}", proj.join(".nixvm").join(machine).display());
    let mut sessions = std::collections::BTreeSet::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i64>() else { continue };
        let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else { continue };
        if !environ.split(|b| *b == 0).any(|v| v == mark.as_bytes()) || !alive(pid) {
            continue;
        }
        // Field 6 of /proc/PID/stat, after the parenthesised name.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if let Some(sid) = stat.rsplit_once(") ").and_then(|(_, rest)| rest.split(' ').nth(3)) {
            sessions.insert(sid.parse().unwrap());
        }
    }
    sessions
}

/// `nixvm up ARGS` on `proj` against the stub, whose VMs then stay up for
/// a minute.
fn up(proj: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    nixvm()
        .env("NIXVM_STUB_SLEEP", "60")
        .arg("up")
        .args(args)
        .arg("--dir")
        .arg(proj)
        .args(common::stub_flags())
        .assert()
}

/// Two `up`s at the same moment start each machine once; the one that
/// comes second says the machines run already.
#[test]
fn two_ups_at_once_start_each_machine_once() {
    if common::nix("two_ups_at_once_start_each_machine_once").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    let _down = common::Down(proj.clone());
    // Built first, so that both reach the start together.
    nixvm().args(["build", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    let up = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"));
        c.env("NIXVM_STUB_SLEEP", "60").args(["up", "--dir"]).arg(&proj).args(common::stub_flags());
        c.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap()
    };
    let (a, b) = (up(), up());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let said = |o: &std::process::Output| {
        format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
    };
    assert!(a.status.success() && b.status.success(), "{}\n{}", said(&a), said(&b));
    for m in ["client", "server"] {
        let started = [&a, &b].iter().filter(|o| said(o).contains(&format!("{m}: started (pid "))).count();
        assert_eq!(started, 1, "{m}:\n{}\n{}", said(&a), said(&b));
        assert_eq!(vm_sessions(&proj, m).len(), 1, "one VM for {m}");
    }
    let s = status(&proj);
    assert!(s["machines"].as_array().unwrap().iter().all(|m| m["running"] == true), "{s}");
}

/// `run` of a machine that `up` started says where it runs and exits 1,
/// leaving that VM as it was; a VM killed outright frees its machine.
#[test]
fn a_running_machine_is_not_started_twice_and_a_killed_one_is_free() {
    if common::nix("a_running_machine_is_not_started_twice_and_a_killed_one_is_free").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    let _down = common::Down(proj.clone());
    up(&proj, &["client"]).code(0);
    let before = status(&proj);
    let client = |s: &serde_json::Value| {
        s["machines"].as_array().unwrap().iter().find(|m| m["name"] == "client").unwrap().clone()
    };
    let (pid, port) = (client(&before)["pid"].as_i64().unwrap(), client(&before)["ssh_port"].as_u64().unwrap());

    let out = nixvm().args(["run", "client", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains(&format!("client is running (pid {pid}, ssh on 127.0.0.1:{port})")), "{err}");
    assert!(err.contains("nixvm down client"), "{err}");
    let after = status(&proj);
    assert_eq!(client(&after)["pid"], pid, "{after}");
    assert_eq!(vm_sessions(&proj, "client").len(), 1);

    // SIGKILL to the VM (its whole process group, as QEMU is one process):
    // the lock goes with it, and the machine can start again.
    unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while client(&status(&proj))["running"] == true && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(client(&status(&proj))["running"], false);
    up(&proj, &["client"]).code(0).stdout(predicates::str::contains("client: started (pid "));
}

/// `status` lists what runs when nix is missing or its evaluation fails,
/// and says the list may lack machines not started yet.
#[test]
fn status_shows_what_runs_without_nix() {
    if common::nix("status_shows_what_runs_without_nix").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    let _down = common::Down(proj.clone());
    up(&proj, &["client"]).code(0);
    assert_eq!(status(&proj)["incomplete"], serde_json::Value::Null);

    let running = |s: &serde_json::Value| -> Vec<(String, bool)> {
        s["machines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["name"].as_str().unwrap().to_string(), m["running"].as_bool().unwrap()))
            .collect()
    };
    // No nix on PATH.
    let out = nixvm().env("PATH", "/nonexistent").args(["status", "--json", "--dir"]).arg(&proj).assert().code(0);
    let s: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(running(&s), [("client".to_string(), true)], "{s}");
    assert!(s["incomplete"].as_str().unwrap().contains("nix"), "{s}");
    let out = nixvm().env("PATH", "/nonexistent").args(["status", "--dir"]).arg(&proj).assert().code(0);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("only the machines nixvm has state for are listed"), "{err}");

    // A network that no longer evaluates.
    std::fs::write(proj.join("network/build-vms.nix"), "{ broken").unwrap();
    let s = status(&proj);
    assert_eq!(running(&s), [("client".to_string(), true)], "{s}");
    assert!(!s["incomplete"].as_str().unwrap().is_empty(), "{s}");
}

/// `logs` shows a machine's console, its last lines, and follows it until
/// the VM stops.
#[test]
fn logs_show_and_follow_the_console() {
    if common::nix("logs_show_and_follow_the_console").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    let _down = common::Down(proj.clone());
    nixvm().args(["logs", "client", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(2).stderr(
        predicates::str::contains(
            "client has no console log: `nixvm up client` and `nixvm run client --console` write one",
        ),
    );
    nixvm()
        .env("NIXVM_STUB_SLEEP", "3")
        .args(["up", "client", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .assert()
        .code(0);
    let log = std::fs::read_to_string(proj.join(".nixvm/client/console.log")).unwrap();
    let out = nixvm().args(["logs", "client", "--dir"]).arg(&proj).assert().code(0);
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), log);
    let out = nixvm().args(["logs", "client", "-n", "2", "--dir"]).arg(&proj).assert().code(0);
    let last: Vec<&str> = log.lines().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout).lines().collect::<Vec<_>>(), last);
    // Followed: returns once the VM (3 s) has stopped, not before.
    let out = nixvm()
        .args(["logs", "client", "--follow", "--dir"])
        .arg(&proj)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(0);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("stub VM client"));
    let s = status(&proj);
    let client = s["machines"].as_array().unwrap().iter().find(|m| m["name"] == "client").unwrap().clone();
    assert_eq!(client["running"], false, "returned while the VM ran: {s}");
}

/// `up --forward` gives one machine its ports, and `status` lists them.
#[test]
fn up_forwards_ports_and_status_lists_them() {
    if common::nix("up_forwards_ports_and_status_lists_them").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    let _down = common::Down(proj.clone());
    let web = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port();
    let spec = format!("{web}:80");
    up(&proj, &["--forward", &spec]).code(2).stderr(predicates::str::contains("--forward gives one machine ports"));
    up(&proj, &["server", "--forward", &spec]).code(0);
    let s = status(&proj);
    let server = s["machines"].as_array().unwrap().iter().find(|m| m["name"] == "server").unwrap().clone();
    assert_eq!(server["forwards"], serde_json::json!([format!("127.0.0.1:{web}:80")]), "{s}");
    let log = std::fs::read_to_string(proj.join(".nixvm/server/console.log")).unwrap();
    assert!(log.contains(&format!(",hostfwd=tcp:127.0.0.1:{web}-:80")), "{log}");
    // A running machine keeps its forwards, and says so.
    let other = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port();
    up(&proj, &["server", "--forward", &format!("{other}:81")])
        .code(0)
        .stderr(predicates::str::contains("server runs with the forwards it had"));
    let s = status(&proj);
    let server = s["machines"].as_array().unwrap().iter().find(|m| m["name"] == "server").unwrap().clone();
    assert_eq!(server["forwards"], serde_json::json!([format!("127.0.0.1:{web}:80")]), "{s}");
}

/// A running machine whose state files were damaged (a crash, a full
/// disk) is still found by `status`, `up` and `down`: by the processes
/// whose environment names its state directory, the files recorded again
/// from what the VM's environment says.
#[test]
fn damaged_state_files_hide_no_vm() {
    if common::nix("damaged_state_files_hide_no_vm").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = network(tmp.path(), "build-vms.nix");
    let _down = common::Down(proj.clone());
    up(&proj, &["client", "--forward", "18080:80"]).code(0);
    let state = proj.join(".nixvm/client");
    let first = status(&proj);
    let client = |s: &serde_json::Value| s["machines"][0].clone();
    let (pid, port) = (client(&first)["pid"].as_i64().unwrap(), client(&first)["ssh_port"].as_u64().unwrap());
    assert!(alive(pid));

    for damage in ["missing", "garbage", "stale"] {
        match damage {
            "missing" => std::fs::remove_file(state.join("pid")).unwrap(),
            "garbage" => std::fs::write(state.join("pid"), "4\0\0x").unwrap(),
            // Another live process of ours, which is no VM.
            _ => std::fs::write(state.join("pid"), format!("{}\n", std::process::id())).unwrap(),
        }
        let s = status(&proj);
        assert_eq!(client(&s)["running"], true, "{damage} pid file: {s}");
        assert_eq!(client(&s)["pid"].as_i64(), Some(pid), "{damage} pid file: the VM, not one of its children: {s}");
        assert_eq!(std::fs::read_to_string(state.join("pid")).unwrap().trim(), pid.to_string(), "recorded again");
    }

    // The ports, from the VM's environment.
    std::fs::write(state.join("ssh-port"), "port?").unwrap();
    std::fs::write(state.join("forwards"), "\u{0}\u{0}").unwrap();
    let s = status(&proj);
    assert_eq!(client(&s)["ssh_port"].as_u64(), Some(port), "{s}");
    assert_eq!(client(&s)["forwards"], serde_json::json!(["127.0.0.1:18080:80"]), "{s}");
    assert_eq!(std::fs::read_to_string(state.join("ssh-port")).unwrap().trim(), port.to_string());

    // `up` sees it running and starts no second VM.
    std::fs::remove_file(state.join("pid")).unwrap();
    let again = up(&proj, &["client"]).code(0).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&again).contains("already running: client"), "{}", String::from_utf8_lossy(&again));

    // `down` stops it, whatever the pid file says.
    std::fs::remove_file(state.join("pid")).unwrap();
    nixvm().args(["down", "client", "--timeout", "5", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while alive(pid) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(!alive(pid), "the VM was left running");
    assert_eq!(client(&status(&proj))["running"], false);
}
