//! `nixvm ssh` and `nixvm deploy` end to end against a real `sshd` started
//! on 127.0.0.1 (a temporary host key, the project key authorized for
//! root), with the real `nix-copy-closure` and `nix-env`. The "VM" is the
//! stub's run script kept alive by `nixvm up`; its recorded ssh port is
//! pointed at the test's sshd (`common::sshd`, whose sessions' `nix-env`,
//! `nix-store` and `systemd-run` record what they are asked).

mod common;

use assert_cmd::Command;
use common::sshd::{can_run, keygen, read, sshd_config, start_sshd, Sshd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn nixvm() -> Command {
    let mut c = Command::cargo_bin("nixvm").unwrap();
    c.env("NO_COLOR", "1");
    c
}

/// A project whose machine `relay` "runs" (the stub's script, alive) with
/// its ssh port pointing at a fresh sshd.
fn running_project(tmp: &Path) -> (PathBuf, Sshd) {
    // (Nix 2.8 cannot use a flake whose path has spaces or `%`, so the
    // quoting of such paths in the ssh configuration is a unit test.)
    // A quote in the path: newer Nix reads NIX_SSHOPTS as a shell would.
    let proj = common::init_project(&tmp.join("it's-project"), "--from", "init/server/configuration.nix");
    nixvm().env("NIXVM_STUB_SLEEP", "120").args(["up", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    let proj = std::fs::canonicalize(&proj).unwrap();
    let sshd = start_sshd(&tmp.join("sshd"), &read(&proj.join("nixvm/ssh-key.pub")));
    std::fs::write(proj.join(".nixvm/relay/ssh-port"), format!("{}\n", sshd.port)).unwrap();
    (proj, sshd)
}

fn stderr_of(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn ssh_and_deploy_through_a_real_sshd() {
    if !can_run("ssh_and_deploy_through_a_real_sshd") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, sshd) = running_project(tmp.path());
    let _down = common::Down(proj.clone());

    // ssh: root, the project key, the command's exit code.
    let out = nixvm().args(["ssh", "relay", "--dir"]).arg(&proj).args(["--", "id", "-un"]).assert().code(0);
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout).trim(), "root");
    nixvm().args(["ssh", "relay", "--dir"]).arg(&proj).args(["--", "exit", "3"]).assert().code(3);
    let known = read(&proj.join(".nixvm/known_hosts"));
    assert!(known.starts_with("nixvm-relay ssh-ed25519 "), "host key recorded under the machine's name: {known}");

    // deploy: build, copy, set the profile, switch.
    let out = nixvm().args(["deploy", "relay", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let system = stdout
        .lines()
        .find_map(|l| l.strip_prefix("relay: switched to "))
        .unwrap_or_else(|| panic!("{stdout}\n{}", stderr_of(out)))
        .to_string();
    assert!(system.starts_with("/nix/store/") && system.ends_with("-nixos-system-relay"), "{system}");
    let commands = read(&sshd.dir.join("commands.log"));
    assert!(commands.contains(&format!("nix-env -p /nix/var/nix/profiles/system --set {system}\n")), "{commands}");
    assert_eq!(
        std::fs::read_link(sshd.dir.join("profiles/system"))
            .ok()
            .map(|l| sshd.dir.join("profiles").join(l))
            .and_then(|l| std::fs::canonicalize(l).ok()),
        Some(PathBuf::from(&system)),
        "the real nix-env set the profile"
    );
    let switched = read(&sshd.dir.join("switch.log"));
    assert_eq!(switched, format!("switch-to-configuration test {system}/bin/switch-to-configuration\n"));
    let root = proj.join(".nixvm/relay/deployed-system");
    assert!(common::is_gc_root(&root), "the deployed system is a GC root");
    assert_eq!(std::fs::read_link(&root).unwrap(), PathBuf::from(&system));
    let through_systemd = Path::new("/run/systemd/system").is_dir();
    assert_eq!(commands.contains("systemd-run "), through_systemd, "systemd-run only where systemd runs: {commands}");
    // The "VM" sees the host's store: the closure is registered in its Nix
    // database, not copied.
    assert!(commands.contains("nix-store --load-db"), "{commands}");
    assert!(!commands.contains("nix-store --serve"), "nothing copied: {commands}");
    assert!(read(&sshd.dir.join("registration")).contains(&format!("{system}\n")), "the registration names the system");
    let sent = std::fs::metadata(sshd.dir.join("registration")).unwrap().len();
    assert!(
        stdout.contains("relay: registered ")
            && stdout.contains(&format!(
                " store paths in the VM's Nix database, copied nothing (it reads the host's store; sent their registration, {sent} bytes)"
            )),
        "{stdout}"
    );
    // What the switch did to the units, as it said.
    assert!(stdout.contains("relay: restarted: sshd.service\nrelay: started: stub-app.service\n"), "{stdout}");

    // A VM that does not see the host's store gets the closure copied.
    std::fs::write(sshd.dir.join("store-hidden"), "").unwrap();
    std::fs::write(sshd.dir.join("commands.log"), "").unwrap();
    let out = nixvm().args(["deploy", "relay", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("relay: copied nothing over ssh (the VM has the whole closure)"), "{stdout}");
    let commands = read(&sshd.dir.join("commands.log"));
    assert!(commands.contains("nix-store --serve") && !commands.contains("--load-db"), "{commands}");
    std::fs::remove_file(sshd.dir.join("store-hidden")).unwrap();
    std::fs::write(
        sshd.dir.join("switch.log"),
        format!("switch-to-configuration test {system}/bin/switch-to-configuration\n"),
    )
    .unwrap();

    // --dry-run: what a new system would change, and nothing changed.
    let config = proj.join("machines/relay/configuration.nix");
    let good = read(&config);
    std::fs::write(&config, good.replacen("\n{\n", "\n{\n  environment.etc.motd.text = \"new\";\n", 1)).unwrap();
    let out =
        nixvm().args(["deploy", "relay", "--dry-run", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    let dry = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let new_system = dry
        .lines()
        .find_map(|l| l.strip_prefix("relay: would switch to "))
        .unwrap_or_else(|| panic!("{dry}"))
        .to_string();
    assert_ne!(new_system, system, "the edit makes a new system");
    assert!(
        dry.contains("relay: would be restarted: sshd.service\nrelay: would be started: stub-app.service\n"),
        "{dry}"
    );
    assert_eq!(
        read(&sshd.dir.join("switch.log")),
        format!("{switched}switch-to-configuration dry-activate {new_system}/bin/switch-to-configuration\n")
    );
    assert_eq!(
        std::fs::read_link(sshd.dir.join("profiles/system"))
            .ok()
            .map(|l| sshd.dir.join("profiles").join(l))
            .and_then(|l| std::fs::canonicalize(l).ok()),
        Some(PathBuf::from(&system)),
        "a dry run leaves the profile"
    );
    assert_eq!(std::fs::read_link(&root).unwrap(), PathBuf::from(&system), "and the root of what the VM runs");
    std::fs::write(&config, &good).unwrap();
    let switched = read(&sshd.dir.join("switch.log"));

    // A build failure leaves the VM alone.
    std::fs::write(&config, good.replacen('{', "{ broken = ;", 1)).unwrap();
    let err =
        stderr_of(nixvm().args(["deploy", "relay", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(2));
    assert!(err.contains("nix build .#vmSystem-relay failed"), "{err}");
    assert_eq!(read(&sshd.dir.join("switch.log")), switched, "no switch after a failed build");
    std::fs::write(&config, good).unwrap();

    // ssh refused: nothing listens on the recorded port.
    let closed = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port();
    std::fs::write(proj.join(".nixvm/relay/ssh-port"), format!("{closed}\n")).unwrap();
    let err =
        stderr_of(nixvm().args(["deploy", "relay", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(2));
    assert!(err.contains(&format!("cannot log into relay as root on 127.0.0.1:{closed}")), "{err}");

    // Not running.
    nixvm().args(["down", "--timeout", "5", "--dir"]).arg(&proj).assert().code(0);
    for cmd in [vec!["deploy", "relay"], vec!["ssh", "relay"]] {
        let err = stderr_of(
            nixvm()
                .args(&cmd)
                .arg("--dir")
                .arg(&proj)
                .args(common::stub_flags().iter().filter(|_| cmd[0] == "deploy"))
                .assert()
                .code(2),
        );
        assert!(err.contains("relay is not running (start it with `nixvm up relay`"), "{err}");
    }
    let err =
        stderr_of(nixvm().args(["deploy", "nosuch", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(2));
    assert!(err.contains("no machine `nosuch` in this project (machines: "), "{err}");

    // clean forgets the machine's host key with its disk.
    nixvm().args(["clean", "relay", "--dir"]).arg(&proj).assert().code(0);
    assert!(!read(&proj.join(".nixvm/known_hosts")).contains("nixvm-relay"));
    assert!(proj.join(".nixvm/ssh-key").exists(), "the project key stays");
}

/// Flake mode: a machine of the user's own flake (no init) is updated in
/// place the same way, and the user's tree stays as it was.
#[test]
fn deploy_a_flakes_machine_through_a_real_sshd() {
    if !can_run("deploy_a_flakes_machine_through_a_real_sshd") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::fixture_repo(tmp.path(), "hosts");
    let dir = std::fs::canonicalize(&dir).unwrap();
    nixvm()
        .env("NIXVM_STUB_SLEEP", "120")
        .args(["up", "web", "--dir"])
        .arg(&dir)
        .args(common::stub_flags())
        .assert()
        .code(0);
    let _down = common::Down(dir.clone());
    let sshd = start_sshd(&tmp.path().join("sshd"), &read(&dir.join(".nixvm/ssh-key.pub")));
    std::fs::write(dir.join(".nixvm/web/ssh-port"), format!("{}\n", sshd.port)).unwrap();

    // Copied over ssh when asked, though the VM could read it.
    let copy = || {
        nixvm().args(["deploy", "web", "--copy-closure", "--dir"]).arg(&dir).args(common::stub_flags()).assert().code(0)
    };
    let out = copy();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("web: copied nothing over ssh (the VM has the whole closure)"), "{stdout}");
    let commands = read(&sshd.dir.join("commands.log"));
    assert!(commands.contains("nix-store --serve") && !commands.contains("--load-db"), "{commands}");
    let system = stdout
        .lines()
        .find_map(|l| l.strip_prefix("web: switched to "))
        .unwrap_or_else(|| panic!("{stdout}\n{}", stderr_of(out)))
        .to_string();
    assert!(system.ends_with("-nixos-system-web"), "{system}");
    assert_eq!(
        read(&sshd.dir.join("switch.log")),
        format!("switch-to-configuration test {system}/bin/switch-to-configuration\n")
    );
    // A VM without the closure: what it lacks is counted, as nix's
    // closure size of the system says.
    std::fs::write(sshd.dir.join("store-empty"), "").unwrap();
    let out = copy();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let (paths, bytes) = closure_of(&system);
    assert!(
        stdout.contains(&format!("web: copied {paths} store paths over ssh, "))
            && stdout.contains(&format!(" ({bytes} bytes)\n")),
        "{paths} paths, {bytes} bytes: {stdout}"
    );
    assert_eq!(common::git_status(&dir), "", "nothing new for git");
}

/// How many store paths `path`'s closure has and its size in bytes, as
/// `nix path-info --closure-size` says (its JSON is a list on Nix 2.8, an
/// object by path on newer Nix).
fn closure_of(path: &str) -> (usize, u64) {
    let out = std::process::Command::new("nix")
        .args([
            "--extra-experimental-features",
            "nix-command",
            "path-info",
            "--json",
            "--closure-size",
            "--recursive",
            path,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let infos: Vec<serde_json::Value> = match json {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => o
            .into_iter()
            .map(|(p, mut v)| {
                v["path"] = p.into();
                v
            })
            .collect(),
        other => panic!("{other}"),
    };
    let size = infos.iter().find(|i| i["path"] == path).and_then(|i| i["closureSize"].as_u64()).unwrap();
    (infos.len(), size)
}

/// A project (from `tmp`) whose machine `relay` has its key already, and
/// an sshd configuration for the stub "VM" to answer ssh with, letting in
/// the project key (or, with `other_key`, another key only).
fn answering_project(tmp: &Path, other_key: bool) -> (PathBuf, PathBuf) {
    let proj = common::init_project(&tmp.join("proj"), "--from", "init/server/configuration.nix");
    nixvm().args(["build", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    let authorized = if other_key {
        let other = tmp.join("other-key");
        keygen(&other);
        read(&other.with_extension("pub"))
    } else {
        read(&proj.join("nixvm/ssh-key.pub"))
    };
    let config = sshd_config(&tmp.join("guest"), &authorized);
    (proj, config)
}

/// `up --wait` returns once the VM lets the project key in over ssh, not
/// when the port opens; a guest that refuses the key fails the wait, with
/// the end of its console.
#[test]
fn up_waits_for_a_real_ssh_login() {
    if !can_run("up_waits_for_a_real_ssh_login") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = answering_project(tmp.path(), false);
    let _down = common::Down(proj.clone());
    let out = nixvm()
        .env("NIXVM_STUB_SSHD_CONFIG", &config)
        .env("NIXVM_STUB_SSHD_DELAY", "2")
        .args(["up", "--wait", "--timeout", "60", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .assert()
        .code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("relay: answers ssh (after "), "{stdout}\n{}", stderr_of(out));
    // It answers: a login works now.
    let out = nixvm().args(["ssh", "relay", "--dir"]).arg(&proj).args(["--", "id", "-un"]).assert().code(0);
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout).trim(), "root");

    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = answering_project(tmp.path(), true);
    let _down = common::Down(proj.clone());
    let out = nixvm()
        .env("NIXVM_STUB_SSHD_CONFIG", &config)
        .args(["up", "--wait", "--timeout", "4", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .assert()
        .code(1);
    let err = stderr_of(out);
    assert!(err.contains("relay: did not answer ssh in 4 s; the end of its console (nixvm logs relay):"), "{err}");
    assert!(err.contains("stub guest: sshd on 127.0.0.1:"), "the console's end: {err}");
    assert!(err.contains("left running: relay (") && err.contains("`nixvm down relay`"), "{err}");
}

/// `run` says on its terminal when the VM answers ssh.
#[test]
fn run_says_when_the_vm_answers_ssh() {
    if !can_run("run_says_when_the_vm_answers_ssh") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = answering_project(tmp.path(), false);
    let _down = common::Down(proj.clone());
    let mut run = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .env("NIXVM_STUB_SSHD_CONFIG", &config)
        .env("NIXVM_STUB_SSHD_DELAY", "1")
        .args(["run", "relay", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let err = run.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = vec![];
    let said = loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if line.contains("relay answers ssh on 127.0.0.1:") => break line,
            Ok(line) => seen.push(line),
            Err(_) if Instant::now() > deadline => panic!("no word of ssh: {seen:?}"),
            Err(_) => {}
        }
    };
    assert!(said.ends_with("(nixvm ssh relay)"), "{said}");
    nixvm().args(["down", "relay", "--dir"]).arg(&proj).assert().code(0);
    let _ = run.wait();
}

/// A VM started before its machine had sops-nix is not handed the age
/// identity, and a deploy cannot hand it over: `deploy` says to restart it
/// and leaves the VM alone; `--dry-run` says so and goes on.
#[test]
fn a_vm_started_before_its_secrets_is_told_to_restart() {
    if !can_run("a_vm_started_before_its_secrets_is_told_to_restart") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::fs::canonicalize(common::fixture_repo(tmp.path(), "secrets")).unwrap();
    let inputs = [common::stub_flags(), common::stub_inputs(&["sops-nix", "agenix"])].concat();
    nixvm().env("NIXVM_STUB_SLEEP", "120").args(["up", "plain", "--dir"]).arg(&dir).args(&inputs).assert().code(0);
    let _down = common::Down(dir.clone());
    let sshd = start_sshd(&tmp.path().join("sshd"), &read(&dir.join(".nixvm/ssh-key.pub")));
    std::fs::write(dir.join(".nixvm/plain/ssh-port"), format!("{}\n", sshd.port)).unwrap();
    let deploy =
        |extra: &[&str]| nixvm().args(["deploy", "plain", "--dir"]).arg(&dir).args(extra).args(&inputs).assert();

    // Without secrets, nothing to say.
    let err = stderr_of(deploy(&[]).code(0));
    assert!(!err.contains("sops-nix or agenix"), "{err}");
    let switched = read(&sshd.dir.join("switch.log"));
    assert_eq!(switched.lines().count(), 1, "{switched}");

    // The machine takes up sops-nix while its VM runs.
    let flake = dir.join("flake.nix");
    let text = read(&flake);
    let with_sops = text
        .replace("plain = host [ ./hosts/plain.nix ]", "plain = host [ sops-nix.nixosModules.sops ./hosts/plain.nix ]");
    assert_ne!(with_sops, text);
    std::fs::write(&flake, with_sops).unwrap();
    let err = stderr_of(deploy(&[]).code(2));
    assert!(
        err.contains("plain was started before its configuration had sops-nix or agenix")
            && err.contains("(nixvm down plain; nixvm up plain)")
            && err.contains("the VM still runs its old system"),
        "{err}"
    );
    assert_eq!(read(&sshd.dir.join("switch.log")), switched, "no switch");
    let err = stderr_of(deploy(&["--dry-run"]).code(0));
    assert!(err.contains("warning: plain was started before its configuration had sops-nix or agenix"), "{err}");

    // Restarted, it has the identity, and deploys go through again.
    nixvm().args(["down", "plain", "--timeout", "5", "--dir"]).arg(&dir).assert().code(0);
    nixvm().env("NIXVM_STUB_SLEEP", "120").args(["up", "plain", "--dir"]).arg(&dir).args(&inputs).assert().code(0);
    std::fs::write(dir.join(".nixvm/plain/ssh-port"), format!("{}\n", sshd.port)).unwrap();
    let before = read(&sshd.dir.join("switch.log")).lines().count();
    let err = stderr_of(deploy(&[]).code(0));
    assert!(!err.contains("sops-nix or agenix"), "{err}");
    let switched = read(&sshd.dir.join("switch.log"));
    assert_eq!(switched.lines().count(), before + 1, "{switched}");
    assert!(switched.lines().last().unwrap_or("").starts_with("switch-to-configuration test "), "{switched}");
}

/// `deploy` of every running machine: one build of their systems, their
/// switches at the same time, one table; one whose switch fails (a unit of
/// its new system does not start: `c` of networks/three.nix) is said, the
/// others are switched, and the exit is 1. `--dry-run` for all as for one.
#[test]
fn deploy_to_three_machines_one_of_which_fails() {
    if !can_run("deploy_to_three_machines_one_of_which_fails") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--network", "init/networks/three.nix");
    nixvm().env("NIXVM_STUB_SLEEP", "120").args(["up", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    let _down = common::Down(proj.clone());
    let proj = std::fs::canonicalize(&proj).unwrap();
    // Each "VM" its own sshd (its own system profile).
    let sshds: Vec<Sshd> = ["a", "b", "c"]
        .iter()
        .map(|m| {
            let sshd = start_sshd(&tmp.path().join(format!("sshd-{m}")), &read(&proj.join("nixvm/ssh-key.pub")));
            std::fs::write(proj.join(format!(".nixvm/{m}/ssh-port")), format!("{}\n", sshd.port)).unwrap();
            sshd
        })
        .collect();

    let out = nixvm().args(["deploy", "-v", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = stderr_of(out);
    // One nix build for the three systems.
    assert_eq!(stderr.lines().filter(|l| l.starts_with("+ ") && l.contains(" build ")).count(), 1, "{stderr}");
    // a and b switched, c's switch said why it failed.
    for (m, sshd) in ["a", "b"].iter().zip(&sshds) {
        let switched = read(&sshd.dir.join("switch.log"));
        assert!(switched.starts_with("switch-to-configuration test "), "{m}: {switched}");
        let row = stdout.lines().find(|l| l.starts_with(&format!("{m} "))).unwrap_or_else(|| panic!("{stdout}"));
        assert!(row.contains(" registered") && row.contains("restarted sshd.service"), "{row}");
    }
    let row_c = stdout.lines().find(|l| l.starts_with("c ")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(row_c.contains("FAILED stub-app.service"), "{row_c}");
    assert!(stderr.contains("nixvm: c: switched, and these units failed: stub-app.service"), "{stderr}");
    assert!(stdout.contains("c: warning: the following units failed: stub-app.service"), "{stdout}");
    let header = stdout.lines().find(|l| l.starts_with("machine ")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(header.contains("store paths") && header.contains("units") && header.contains("time"), "{header}");

    // --dry-run for many: nothing switched, what would change said.
    for sshd in &sshds {
        std::fs::write(sshd.dir.join("switch.log"), "").unwrap();
    }
    let out = nixvm().args(["deploy", "--dry-run", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for (m, sshd) in ["a", "b", "c"].iter().zip(&sshds) {
        assert!(read(&sshd.dir.join("switch.log")).starts_with("switch-to-configuration dry-activate "), "{m}");
        let row = stdout.lines().find(|l| l.starts_with(&format!("{m} "))).unwrap_or_else(|| panic!("{stdout}"));
        assert!(row.contains("would be restarted sshd.service"), "{row}");
    }
}
