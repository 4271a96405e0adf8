//! `nixvm build` and `nixvm run` on a project made by `nixvm init`, with the
//! real nix against the stub nixpkgs, whose VM run script prints the
//! environment and arguments it was given.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn nixvm() -> Command {
    let mut c = Command::cargo_bin("nixvm").unwrap();
    c.env("NO_COLOR", "1").env_remove("QEMU_OPTS").env_remove("QEMU_NET_OPTS").env_remove("QEMU_KERNEL_PARAMS");
    c.env_remove("NIX_DISK_IMAGE");
    c
}

/// A project with the machines `relay` (single config) in a temp dir.
fn project(tmp: &Path) -> PathBuf {
    common::init_project(&tmp.join("proj"), "--from", "init/server/configuration.nix")
}

fn env_line<'a>(out: &'a str, name: &str) -> Option<&'a str> {
    out.lines().find_map(|l| l.strip_prefix(&format!("env: {name}=")))
}

#[test]
fn run_gives_the_script_its_environment_and_arguments() {
    if common::nix("run_gives_the_script_its_environment_and_arguments").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    let out = nixvm()
        .args(["run", "relay", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .args(["--", "-S", "two words"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let proj = std::fs::canonicalize(&proj).unwrap();
    let state = proj.join(".nixvm/relay");
    assert!(out.contains("stub VM relay"), "{out}");
    assert!(out.contains("arg: -S\narg: two words\n"), "{out}");
    assert_eq!(env_line(&out, "NIX_DISK_IMAGE"), Some(state.join("relay.qcow2").to_str().unwrap()), "{out}");
    assert_eq!(env_line(&out, "TMPDIR"), Some(state.join("tmp").to_str().unwrap()));
    assert_eq!(env_line(&out, "USE_TMPDIR"), Some("1"));
    let port: u16 = std::fs::read_to_string(state.join("ssh-port")).unwrap().trim().parse().unwrap();
    assert_eq!(env_line(&out, "QEMU_NET_OPTS"), Some(format!("hostfwd=tcp:127.0.0.1:{port}-:22").as_str()));
    let qemu_opts = env_line(&out, "QEMU_OPTS").unwrap();
    assert!(qemu_opts.starts_with("-device virtio-net-pci,netdev=nixvm0,"), "on the segment: {qemu_opts}");
    assert!(!qemu_opts.contains("-nographic"), "no console unless asked");
    assert_eq!(env_line(&out, "QEMU_KERNEL_PARAMS"), None);
    // The VM it boots is a GC root while the machine has state.
    assert!(common::is_gc_root(&state.join("vm")), "no GC root at {}", state.join("vm").display());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(proj.join(".nixvm")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, ".nixvm is private");
}

#[test]
fn run_extends_the_users_variables_and_passes_the_exit_code() {
    if common::nix("run_extends_the_users_variables_and_passes_the_exit_code").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    let out = nixvm()
        .env("QEMU_NET_OPTS", "hostfwd=tcp:127.0.0.1:8080-:80")
        .env("QEMU_OPTS", "-m 2048")
        .env("NIX_DISK_IMAGE", "/elsewhere/disk.qcow2")
        .env("NIXVM_STUB_EXIT", "7")
        .args(["run", "relay", "--console", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .assert()
        .code(7)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let net = env_line(&out, "QEMU_NET_OPTS").unwrap();
    assert!(net.starts_with("hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:"), "{net}");
    let qemu_opts = env_line(&out, "QEMU_OPTS").unwrap();
    assert!(qemu_opts.starts_with("-m 2048 -device ") && qemu_opts.ends_with(" -nographic"), "{qemu_opts}");
    assert_eq!(env_line(&out, "QEMU_KERNEL_PARAMS"), Some("console=ttyS0"));
    assert_eq!(env_line(&out, "NIX_DISK_IMAGE"), Some("/elsewhere/disk.qcow2"), "the user's disk image is kept");
    // The console is on the terminal and in console.log, for `nixvm logs`.
    let said = "stub guest: console on the terminal and in the log";
    assert!(out.contains(said), "{out}");
    let state = std::fs::canonicalize(&proj).unwrap().join(".nixvm/relay");
    let chardev =
        format!("arg: stdio,id=nixvm-console,mux=on,signal=off,logfile={}", state.join("console.log").display());
    assert!(out.lines().any(|l| l == chardev), "{out}");
    let logs = nixvm().args(["logs", "relay", "--dir"]).arg(&proj).assert().code(0).get_output().stdout.clone();
    assert_eq!(String::from_utf8_lossy(&logs), format!("{said}\n"));
}

#[test]
fn build_prints_every_machines_vm() {
    if common::nix("build_prints_every_machines_vm").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("net"), "--network", "init/networks/build-vms.nix");
    let out = nixvm()
        .args(["build", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("client\t/nix/store/") && lines[0].ends_with("-nixos-vm-client"), "{out}");
    assert!(lines[1].starts_with("server\t/nix/store/"), "{out}");
}

#[test]
fn unknown_machines_and_non_projects_are_clear_errors() {
    if common::nix("unknown_machines_and_non_projects_are_clear_errors").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    let err = nixvm()
        .args(["run", "nosuch", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&err);
    assert!(err.contains("no machine `nosuch` in this project (machines: relay)"), "{err}");
    let err = nixvm().args(["run", "../x", "--dir"]).arg(&proj).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&err).contains("`../x` is not a machine name"));
    let err = nixvm().args(["build", "--dir"]).arg(tmp.path()).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&err).contains("run `nixvm init` first"));
}

#[test]
fn the_project_key_is_private_and_only_in_the_vm_variant() {
    let Some(nix) = common::nix("the_project_key_is_private_and_only_in_the_vm_variant") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    nixvm().args(["build", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(proj.join(".nixvm/ssh-key")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the private key is its owner's only");
    let public = std::fs::read_to_string(proj.join("nixvm/ssh-key.pub")).unwrap();
    assert!(public.starts_with("ssh-ed25519 "), "{public}");
    let repo = git2::Repository::open(&proj).unwrap();
    assert!(repo.index().unwrap().get_path(Path::new("nixvm/ssh-key.pub"), 0).is_some(), "the flake sees it");

    let keys = |attr: &str| {
        let (ok, out, err) = common::nix_flake(
            &nix,
            &proj,
            &[
                "eval",
                "--json",
                &format!(".#nixosConfigurations.relay.config.{attr}"),
                "--apply",
                "ks: map builtins.readFile ks",
            ],
        );
        assert!(ok, "{err}");
        serde_json::from_str::<Vec<String>>(&out).unwrap()
    };
    let in_vm = keys("virtualisation.vmVariant.users.users.root.openssh.authorizedKeys.keyFiles");
    assert_eq!(in_vm, vec![public.clone()], "the VM lets the project key in");
    let (ok, out, _) = common::nix_flake(
        &nix,
        &proj,
        &[
            "eval",
            "--json",
            ".#nixosConfigurations.relay.config",
            "--apply",
            "c: builtins.toJSON (removeAttrs c [ \"virtualisation\" \"system\" ])",
        ],
    );
    assert!(ok);
    let key_body = public.split_whitespace().nth(1).unwrap();
    assert!(
        !out.contains(key_body) && !out.contains("ssh-key.pub"),
        "the hardware configuration has no trace of the key: {out}"
    );

    // A second build keeps the key.
    nixvm().args(["build", "--dir"]).arg(&proj).args(common::stub_flags()).assert().code(0);
    assert_eq!(std::fs::read_to_string(proj.join("nixvm/ssh-key.pub")).unwrap(), public);
}

/// Progress on a non-terminal stderr is one plain line per step; `-L` adds
/// the builders' lines as `name> line`; a failed build's error is Nix's own.
#[test]
fn build_reports_progress_as_lines_and_streams_logs_with_l() {
    if common::nix("build_reports_progress_as_lines_and_streams_logs_with_l").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    // A host name of its own, so that nix really builds (nothing cached).
    let unique = format!("p{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
    let config = proj.join("machines/relay/configuration.nix");
    let text = std::fs::read_to_string(&config).unwrap();
    let changed = changed_text(&text, &unique);
    assert_ne!(changed, text);
    std::fs::write(&config, changed).unwrap();
    let build = |extra: &[&str]| {
        let out = nixvm().args(["build", "--dir"]).arg(&proj).args(common::stub_flags()).args(extra).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = build(&["-L"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("relay\t/nix/store/"), "{stdout}");
    let lines: Vec<&str> = stderr.lines().collect();
    let at = |needle: &str| {
        lines.iter().position(|l| l.starts_with(needle)).unwrap_or_else(|| panic!("no `{needle}` in:\n{stderr}"))
    };
    let evaluating = at("nixvm: evaluating the machines");
    let system = at(&format!("nixvm: building nixos-system-{unique} (0/2 built)"));
    let log = at(&format!("nixos-system-{unique}> assembling the stub system of {unique}"));
    let vm = at(&format!("nixvm: building nixos-vm-{unique} (1/2 built)"));
    assert!(evaluating < system && system < log && log < vm, "{stderr}");
    assert!(!stderr.contains("@nix"), "{stderr}");

    // Built already: nothing to build, so no build is named.
    let (code, _, stderr) = build(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("nixvm: building nixos-"), "{stderr}");

    // Without -L no builder lines; a builder that fails shows its last
    // lines and where the full log is (Nix's JSON errors leave them out).
    let failing = changed_text(&text, &format!("{unique}f"))
        .replace("system.stateVersion", "system.stubBuildFailure = \"disk on fire\";\n  system.stateVersion");
    std::fs::write(&config, failing).unwrap();
    let (code, _, stderr) = build(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(!stderr.contains(&format!("nixos-system-{unique}f> ")), "{stderr}");
    assert!(stderr.contains("builder for '/nix/store/"), "{stderr}");
    assert!(stderr.contains("> disk on fire\nFor full logs, run 'nix log /nix/store/"), "{stderr}");
    assert!(!stderr.contains("@nix") && !stderr.contains("\u{1b}["), "{stderr}");
}

fn changed_text(text: &str, host: &str) -> String {
    text.replace("networking.hostName = \"relay\";", &format!("networking.hostName = \"{host}\";"))
}

/// `nixvm run relay ARGS` in `proj` against the stub, which must exit
/// with `code`: (stdout, stderr).
fn run_relay(proj: &Path, args: &[&str], code: i32) -> (String, String) {
    let out =
        nixvm().args(["run", "relay"]).args(args).arg("--dir").arg(proj).args(common::stub_flags()).assert().code(code);
    let o = out.get_output();
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// A port free on 127.0.0.1 now.
fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port()
}

/// `--forward` adds QEMU forwards on 127.0.0.1 (or, with `--expose`, on an
/// address it names), each checked free first; `status` lists them.
#[test]
fn run_forwards_ports_on_loopback() {
    if common::nix("run_forwards_ports_on_loopback").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    let (web, dns) = (free_port(), free_port());
    let (out, _) =
        run_relay(&proj, &["--forward", &format!("{web}:80"), "--forward", &format!("127.0.0.1:{dns}:53/udp")], 0);
    let state = std::fs::canonicalize(&proj).unwrap().join(".nixvm/relay");
    let port: u16 = std::fs::read_to_string(state.join("ssh-port")).unwrap().trim().parse().unwrap();
    assert_eq!(
        env_line(&out, "QEMU_NET_OPTS"),
        Some(
            format!("hostfwd=tcp:127.0.0.1:{port}-:22,hostfwd=tcp:127.0.0.1:{web}-:80,hostfwd=udp:127.0.0.1:{dns}-:53")
                .as_str()
        ),
        "{out}"
    );

    // Another address only when meant, and said.
    let exposed = format!("0.0.0.0:{}:80", free_port());
    let (_, err) = run_relay(&proj, &["--forward", &exposed], 2);
    assert!(err.contains("pass --expose to mean it"), "{err}");
    let (out, err) = run_relay(&proj, &["--expose", "--forward", &exposed], 0);
    assert!(err.contains("reaches the VM's port 80 from other machines"), "{err}");
    let host = exposed.trim_end_matches(":80");
    assert!(env_line(&out, "QEMU_NET_OPTS").unwrap().contains(&format!("hostfwd=tcp:{host}-:80")), "{out}");

    // A host port in use is refused before QEMU would stumble on it.
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let busy = taken.local_addr().unwrap().port();
    let (_, err) = run_relay(&proj, &["--forward", &format!("{busy}:80")], 2);
    assert!(err.contains(&format!("127.0.0.1:{busy} is taken")), "{err}");
    run_relay(&proj, &["--forward", "80"], 2);
    let twice = format!("{}:80", free_port());
    let (_, err) = run_relay(&proj, &["--forward", &twice, "--forward", &twice.replace(":80", ":81")], 2);
    assert!(err.contains("is forwarded twice"), "{err}");
}
