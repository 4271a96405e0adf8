//! `nixvm init` through the binary, and the generated flake through the
//! real `nix` CLI against the stub nixpkgs (tests/fixtures/stub-nixpkgs).

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn nixvm() -> Command {
    let mut c = Command::cargo_bin("nixvm").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn fixture(rel: &str) -> PathBuf {
    common::fixtures().join("init").join(rel)
}

/// Run `nixvm init ARGS --dir <tmp>/proj`; returns the project dir.
fn init(tmp: &Path, args: &[&str]) -> PathBuf {
    let proj = tmp.join("proj");
    nixvm().arg("init").arg("--no-lock").args(args).arg("--dir").arg(&proj).assert().code(0);
    proj
}

fn outputs(nix: &Path, proj: &Path) -> serde_json::Value {
    let (ok, out, err) = common::nix_flake(nix, proj, &["flake", "show", "--json"]);
    assert!(ok, "nix flake show failed: {err}");
    serde_json::from_str(&out).unwrap()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> =
        walk(dir).into_iter().map(|p| p.strip_prefix(dir).unwrap().display().to_string()).collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().is_some_and(|n| n == ".git") {
            continue;
        }
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn single_configuration_becomes_a_working_flake() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = init(tmp.path(), &["--from", fixture("server/configuration.nix").to_str().unwrap()]);
    assert_eq!(
        files_under(&proj),
        [
            ".gitignore",
            ".nixvm/.gitignore",
            ".nixvm/ssh-key",
            ".nixvm/ssh-key.pub",
            "default.nix",
            "flake.nix",
            "machines.nix",
            "machines/relay/configuration.nix",
            "machines/relay/motd.txt",
            "machines/relay/services/relay.nix",
            "nixvm/ssh-key.pub",
            "nixvm/test-node.nix",
            "nixvm/vm.nix",
        ]
    );
    // The copy is the original minus the hardware import; helpers byte-identical.
    let copy = std::fs::read_to_string(proj.join("machines/relay/configuration.nix")).unwrap();
    let original = std::fs::read_to_string(fixture("server/configuration.nix")).unwrap();
    assert_eq!(copy, original.replace("    ./hardware-configuration.nix\n", ""));
    assert_eq!(
        std::fs::read(proj.join("machines/relay/services/relay.nix")).unwrap(),
        std::fs::read(fixture("server/services/relay.nix")).unwrap()
    );
    // Everything is tracked, so the flake sees it.
    let repo = git2::Repository::open(&proj).unwrap();
    let index = repo.index().unwrap();
    assert_eq!(index.len(), 10);
    // Its own repository: committed, by the identity it says, nothing left dirty.
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.tree().unwrap().iter().count(), 6, "top-level entries of the first commit");
    assert_eq!(common::git_status(&proj), "", "nothing left uncommitted");

    let Some(nix) = common::nix("single_configuration_becomes_a_working_flake") else { return };
    let o = outputs(&nix, &proj);
    let system = nixvm::lint::host_system();
    for out in ["vm-relay", "vmSystem-relay", "run-vms"] {
        assert_eq!(o["packages"][&system][out]["type"], "derivation", "{out}: {o}");
    }
    assert_eq!(o["apps"][&system]["vm-relay"]["type"], "app");
    assert_eq!(o["nixosConfigurations"]["relay"]["type"], "nixos-configuration");
    assert_eq!(o["checks"][&system]["vm-relay"]["type"], "derivation");

    let (ok, out, err) = common::nix_flake(&nix, &proj, &["run", ".#vm-relay", "--", "-nographic", "two words"]);
    assert!(ok, "nix run failed: {err}");
    assert!(out.contains("stub VM relay"), "{out}");
    assert!(out.contains("arg: -nographic\narg: two words\n"), "{out}");

    let (ok, _, err) = common::nix_flake(
        &nix,
        &proj,
        &[
            "build",
            "--no-link",
            "--json",
            ".#vmSystem-relay",
            ".#nixosConfigurations.relay.config.system.build.toplevel",
        ],
    );
    assert!(ok, "nix build failed: {err}");

    // The override in nixvm/vm.nix is what makes the VM evaluate: without it
    // qemu-vm.nix's timesyncd definition conflicts with the user's.
    let vm = std::fs::read_to_string(proj.join("nixvm/vm.nix")).unwrap();
    assert!(vm.contains("services.timesyncd.enable = lib.mkForce false;"), "{vm}");
    std::fs::write(proj.join("nixvm/vm.nix"), "{ ... }: { }\n").unwrap();
    let (ok, _, err) = common::nix_flake(&nix, &proj, &["build", "--no-link", ".#vmSystem-relay"]);
    assert!(!ok && err.contains("conflicting definition values"), "{err}");
    std::fs::write(proj.join("nixvm/vm.nix"), vm).unwrap();

    // A machine added to machines.nix shows up without re-running init.
    let machines = std::fs::read_to_string(proj.join("machines.nix")).unwrap();
    std::fs::write(proj.join("machines.nix"), machines.replacen("{\n", "{\n  extra = { ... }: { };\n", 1)).unwrap();
    let o = outputs(&nix, &proj);
    assert_eq!(o["packages"][&system]["vm-extra"]["type"], "derivation", "{o}");
}

#[test]
fn networks_of_every_flavour() {
    let Some(nix) = common::nix("networks_of_every_flavour") else { return };
    let system = nixvm::lint::host_system();
    for (file, machines) in [
        ("build-vms.nix", &["client", "server"][..]),
        ("nixops.nix", &["db", "web"]),
        ("colmena.nix", &["alpha", "beta"]),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let proj = init(tmp.path(), &["--network", fixture(&format!("networks/{file}")).to_str().unwrap()]);
        let o = outputs(&nix, &proj);
        let mut found: Vec<String> = o["nixosConfigurations"].as_object().unwrap().keys().cloned().collect();
        found.sort();
        assert_eq!(found, machines, "{file}");
        let targets: Vec<String> = machines.iter().map(|m| format!(".#vmSystem-{m}")).collect();
        let mut args = vec!["build", "--no-link"];
        args.extend(targets.iter().map(String::as_str));
        let (ok, _, err) = common::nix_flake(&nix, &proj, &args);
        assert!(ok, "{file}: {err}");
        assert_eq!(o["packages"][&system]["run-vms"]["type"], "derivation");
    }
}

#[test]
fn nixops_projects_declare_deployment_and_keep_it() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = init(tmp.path(), &["--network", fixture("networks/nixops.nix").to_str().unwrap()]);
    let vm = std::fs::read_to_string(proj.join("nixvm/vm.nix")).unwrap();
    assert!(vm.contains("options.deployment = lib.mkOption"), "{vm}");
    let net = std::fs::read_to_string(proj.join("network/nixops.nix")).unwrap();
    assert!(net.contains("deployment.targetHost = \"198.51.100.4\""));
    assert!(proj.join("network/shared/web-common.nix").is_file(), "imports of machines are copied");
}

#[test]
fn bad_inputs_are_located_errors_and_write_nothing() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--network", "networks/function.nix"],
            "function.nix:1:3: the network is a function and its argument `inputs` has no default: pass --arg inputs EXPR or --argstr inputs VALUE",
        ),
        (&["--network", "networks/function-args.nix", "--argstr", "domain", "x", "--arg", "zone", "1"], "takes no argument `zone` (it takes: region, domain)"),
        (
            &["--network", "networks/computed-function.nix"],
            "computed-function.nix:4:3: the network is a function and its argument `inputs` has no default: pass --arg inputs EXPR or --argstr inputs VALUE",
        ),
        (&["--network", "networks/function-args.nix", "--arg", "domain", "\"x"], "--arg domain: not a Nix expression"),
        (
            &["--network", "networks/function-args.nix", "--argstr", "domain", "x", "--arg", "domain", "\"y\""],
            "--arg/--argstr domain is given twice",
        ),
        (&["--from", "server/configuration.nix", "--argstr", "domain", "x"], "--arg and --argstr are for a network file written as a function"),
        (&["--network", "networks/bad-name.nix"], "bad-name.nix:3:3: machine name `a b` is not usable"),
        (
            &["--network", "networks/merged.nix"],
            "merged.nix:1:28: machine `a` is defined on both sides of `//`, where the right one silently wins: define it once",
        ),
        (&["--network", "networks/missing-import.nix"], "missing-import.nix:2:32: `./not-there.nix` does not exist"),
        (&["--from", "server/configuration.nix", "--name", "../evil"], "machine name `../evil` is not usable"),
        (&["--from", "server/configuration.nix", "--nixpkgs", "banana"], "`banana` is not a nixpkgs branch"),
        (
            &["--network", "server/configuration.nix"],
            "configuration.nix:2:1: this is a NixOS module (a function of config/pkgs), not a network file: use --from",
        ),
    ];
    for (args, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let proj = tmp.path().join("proj");
        let args: Vec<String> = args
            .iter()
            .map(|a| if a.ends_with(".nix") { fixture(a).display().to_string() } else { a.to_string() })
            .collect();
        let out = nixvm()
            .args(["init", "--no-lock"])
            .args(&args)
            .arg("--dir")
            .arg(&proj)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8_lossy(&out);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!proj.exists() || files_under(&proj).is_empty(), "{args:?} wrote {:?}", files_under(&proj));
    }
}

#[test]
fn an_existing_project_is_kept_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let config = fixture("server/configuration.nix");
    let proj = init(tmp.path(), &["--from", config.to_str().unwrap()]);
    std::fs::write(proj.join("flake.nix"), "# mine\n{ outputs = _: { }; }\n").unwrap();
    let out = nixvm()
        .args(["init", "--from"])
        .arg(&config)
        .arg("--dir")
        .arg(&proj)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("--force"));
    assert_eq!(std::fs::read_to_string(proj.join("flake.nix")).unwrap(), "# mine\n{ outputs = _: { }; }\n");
    nixvm().args(["init", "--no-lock", "--force", "--from"]).arg(&config).arg("--dir").arg(&proj).assert().code(0);
    assert!(std::fs::read_to_string(proj.join("flake.nix")).unwrap().starts_with("# Generated by `nixvm init"));
    assert!(!walk(&proj).iter().any(|p| p.to_string_lossy().contains(".nixvm-init-")), "staging left behind");
}

#[test]
fn rewrite_fixes_the_copies_instead_of_overriding() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = init(tmp.path(), &["--rewrite", "--from", fixture("server/configuration.nix").to_str().unwrap()]);
    let copy = std::fs::read_to_string(proj.join("machines/relay/configuration.nix")).unwrap();
    assert!(copy.contains("services.timesyncd.enable = lib.mkDefault true;"), "{copy}");
    assert!(
        copy.starts_with("# A mail relay as it runs on its rented machine.\n{ config, pkgs, lib, ... }:"),
        "{copy}"
    );
    let vm = std::fs::read_to_string(proj.join("nixvm/vm.nix")).unwrap();
    assert!(!vm.contains("timesyncd"), "the copy is fixed, nothing to override: {vm}");
}

#[test]
fn keep_hardware_copies_it() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = init(tmp.path(), &["--keep-hardware", "--from", fixture("server/configuration.nix").to_str().unwrap()]);
    assert!(proj.join("machines/relay/hardware-configuration.nix").is_file());
    assert_eq!(
        std::fs::read(proj.join("machines/relay/configuration.nix")).unwrap(),
        std::fs::read(fixture("server/configuration.nix")).unwrap()
    );
}

#[test]
fn init_locks_nixpkgs_when_nix_can() {
    let Some(nix) = common::nix("init_locks_nixpkgs_when_nix_can") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj");
    let stub = format!("path:{}", common::stub_nixpkgs().display());
    let out = nixvm()
        .args(["init", "--from"])
        .arg(fixture("server/configuration.nix"))
        .args(["--nixpkgs", &stub, "--dir"])
        .arg(&proj)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&out).contains("nix flake lock"), "no lock hint once locked");
    let lock: serde_json::Value = serde_json::from_slice(&std::fs::read(proj.join("flake.lock")).unwrap()).unwrap();
    assert_eq!(lock["nodes"]["nixpkgs"]["locked"]["type"], "path");
    let repo = git2::Repository::open(&proj).unwrap();
    assert!(repo.index().unwrap().get_path(Path::new("flake.lock"), 0).is_some(), "flake.lock is tracked");
    // The locked project evaluates with no override at all.
    let o = std::process::Command::new(&nix)
        .current_dir(&proj)
        .args(["--extra-experimental-features", "nix-command flakes", "eval", "--offline", "--raw"])
        .arg(".#nixosConfigurations.relay.config.networking.hostName")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "relay", "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn default_nix_builds_without_flakes() {
    let Some(_) = common::nix("default_nix_builds_without_flakes") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = init(tmp.path(), &["--from", fixture("server/configuration.nix").to_str().unwrap()]);
    let out = std::process::Command::new("nix-build")
        .current_dir(&proj)
        .args(["--no-out-link", "-A", "relay.vm", "--arg", "nixpkgs"])
        .arg(common::stub_nixpkgs())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(Path::new(&path).join("bin/run-relay-vm").is_file(), "{path}");
}

/// Without `--arg nixpkgs`, default.nix fetches the nixpkgs flake.lock
/// pins, whatever kind of input it is: here a local path and a local git
/// repository (the stub), as `--nixpkgs path:…` or `git+file:…` lock them.
#[test]
fn default_nix_fetches_nixpkgs_as_the_lock_says() {
    let Some(nix) = common::nix("default_nix_fetches_nixpkgs_as_the_lock_says") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = init(tmp.path(), &["--from", fixture("server/configuration.nix").to_str().unwrap()]);
    let stub = tmp.path().join("nixpkgs");
    common::copy_tree(&common::stub_nixpkgs(), &stub);
    common::git(&stub, &["init", "-q"]);
    common::git(&stub, &["add", "-A"]);
    common::git(&stub, &["commit", "-q", "-m", "stub"]);
    for (kind, reference) in
        [("path", format!("path:{}", stub.display())), ("git", format!("git+file://{}", stub.display()))]
    {
        let lock = std::process::Command::new(&nix)
            .current_dir(&proj)
            .args(["--extra-experimental-features", "nix-command flakes", "flake", "lock", "--offline"])
            .args(["--override-input", "nixpkgs", &reference])
            .output()
            .unwrap();
        assert!(lock.status.success(), "{}", String::from_utf8_lossy(&lock.stderr));
        let locked: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(proj.join("flake.lock")).unwrap()).unwrap();
        assert_eq!(locked["nodes"]["nixpkgs"]["locked"]["type"], kind, "{locked}");
        let out = std::process::Command::new("nix-build")
            .current_dir(&proj)
            .args(["--no-out-link", "-A", "relay.vm"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{kind}: {}", String::from_utf8_lossy(&out.stderr));
        let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(Path::new(&path).join("bin/run-relay-vm").is_file(), "{path}");
    }
}

#[test]
fn a_local_nixpkgs_clone_is_pinned_to_its_head() {
    let tmp = tempfile::tempdir().unwrap();
    let clone = tmp.path().join("nixpkgs");
    let repo = git2::Repository::init(&clone).unwrap();
    std::fs::write(clone.join("default.nix"), "{ }: { }\n").unwrap();
    // This clone's qemu-vm.nix also pins the state version, which the
    // built-in table knows nothing of: init must read the clone's.
    let module = "nixos/modules/virtualisation/qemu-vm.nix";
    std::fs::create_dir_all(clone.join(module).parent().unwrap()).unwrap();
    std::fs::write(
        clone.join(module),
        "{ config, lib, ... }: { config = { services.timesyncd.enable = false; system.stateVersion = \"23.05\"; security.pki.installCACerts = lib.mkIf config.virtualisation.useHostCerts false; }; }\n",
    )
    .unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("default.nix")).unwrap();
    index.add_path(Path::new(module)).unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("t", "t@example.org").unwrap();
    let head = repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &[]).unwrap();
    // The server, also keeping its CA certificates.
    let server = tmp.path().join("server");
    common::copy_tree(&fixture("server"), &server);
    let config = server.join("configuration.nix");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("{\n  imports", "{\n  security.pki.installCACerts = true;\n  imports");
    std::fs::write(&config, text).unwrap();
    let out = nixvm()
        .args(["init", "--no-lock", "--nixpkgs", clone.to_str().unwrap(), "--from"])
        .arg(&config)
        .arg("--dir")
        .arg(tmp.path().join("proj"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let proj = tmp.path().join("proj");
    // qemu-vm.nix sets it only when useHostCerts: no override, a note.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`security.pki.installCACerts` may conflict with qemu-vm.nix, which sets it when `config.virtualisation.useHostCerts`"), "{err}");
    let flake = std::fs::read_to_string(proj.join("flake.nix")).unwrap();
    assert!(flake.contains(&format!("inputs.nixpkgs.url = \"github:NixOS/nixpkgs/{head}\";")), "{flake}");
    let vm = std::fs::read_to_string(proj.join("nixvm/vm.nix")).unwrap();
    assert!(vm.contains("system.stateVersion = lib.mkForce \"23.05\";"), "{vm}");
    assert!(vm.contains("services.timesyncd.enable = lib.mkForce false;"), "{vm}");
    assert!(!vm.contains("installCACerts"), "{vm}");
}

/// The words of a printed command line (single quotes group, as a shell
/// reads them), up to its `  # comment`.
fn command_words(line: &str) -> Vec<String> {
    let line = line.split("  #").next().unwrap().trim();
    let (mut words, mut word, mut quoted) = (vec![], String::new(), false);
    for c in line.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    words.push(word);
    words
}

/// The `nix run` init prints runs as printed, with the Nix on PATH: with
/// the experimental-features flag when nix.conf leaves them off (plain
/// `nix run` fails there), plain when NIX_CONFIG turns them on.
#[test]
fn init_prints_nix_commands_that_run_as_printed() {
    let Some(nix) = common::nix("init_prints_nix_commands_that_run_as_printed") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj");
    let no_user_conf = tmp.path().join("none.conf");
    for features_on in [false, true] {
        let _ = std::fs::remove_dir_all(&proj);
        let mut cmd = nixvm();
        cmd.env("NIX_USER_CONF_FILES", &no_user_conf).env_remove("NIX_CONFIG");
        if features_on {
            cmd.env("NIX_CONFIG", "experimental-features = nix-command flakes");
        }
        let out = cmd
            .args(["init", "--no-lock", "--from"])
            .arg(fixture("server/configuration.nix"))
            .arg("--dir")
            .arg(&proj)
            .output()
            .unwrap();
        assert!(out.status.success());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout.lines().find(|l| l.contains("run .#vm-relay")).unwrap_or_else(|| panic!("{stdout}"));
        let words = command_words(line);
        assert_eq!(words[0], "nix", "{line}");
        assert_eq!(words.len() > 3, !features_on, "{line}");
        assert_eq!(stdout.contains("does not enable `nix-command` and `flakes`"), !features_on, "{stdout}");

        let run = |words: &[String]| {
            let mut c = std::process::Command::new(&nix);
            c.current_dir(&proj).env("NIX_USER_CONF_FILES", &no_user_conf).env_remove("NIX_CONFIG");
            if features_on {
                c.env("NIX_CONFIG", "experimental-features = nix-command flakes");
            }
            c.args(&words[1..]).args(common::stub_flags()).output().unwrap()
        };
        let out = run(&words);
        assert!(out.status.success(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("stub VM relay"));
        if !features_on {
            let plain: Vec<String> = ["nix", "run", ".#vm-relay"].map(String::from).to_vec();
            let out = run(&plain);
            assert!(!out.status.success(), "plain nix run worked without the features");
            assert!(String::from_utf8_lossy(&out.stderr).contains("experimental"));
        }
    }
}

/// A network written as a function: called with its defaults and the
/// arguments given on the command line, as NixOps calls it.
#[test]
fn a_network_function_is_called_with_its_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    let file = fixture("networks/function-args.nix");
    let proj = init(
        tmp.path(),
        &[
            "--network",
            file.to_str().unwrap(),
            "--argstr",
            "domain",
            "shop.example",
            "--arg",
            "region",
            "\"us-\" + \"east-1\"",
        ],
    );
    let Some(nix) = common::nix("a_network_function_is_called_with_its_arguments") else { return };
    let o = outputs(&nix, &proj);
    let machines: Vec<&String> = o["nixosConfigurations"].as_object().unwrap().keys().collect();
    assert_eq!(machines, ["db", "web"]);
    let (ok, out, err) =
        common::nix_flake(&nix, &proj, &["eval", "--raw", ".#nixosConfigurations.web.config.networking.domain"]);
    assert!(ok, "{err}");
    assert_eq!(out, "shop.example");
    // The VM builds (deployment.* declared, as for any NixOps network).
    let (ok, _, err) = common::nix_flake(&nix, &proj, &["build", "--no-link", ".#vm-web"]);
    assert!(ok, "{err}");
}

/// A network that computes its machines (`import`, `//`) is evaluated by nix
/// for their names; its imports are copied like any other.
#[test]
fn a_computed_network_is_evaluated_for_its_machines() {
    let Some(nix) = common::nix("a_computed_network_is_evaluated_for_its_machines") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let file = fixture("networks/computed/network.nix");
    let proj = init(tmp.path(), &["--network", file.to_str().unwrap()]);
    assert!(proj.join("network/shared.nix").is_file());
    let o = outputs(&nix, &proj);
    let machines: Vec<&String> = o["nixosConfigurations"].as_object().unwrap().keys().collect();
    assert_eq!(machines, ["cache", "db", "web"]);
    let (ok, _, err) = common::nix_flake(&nix, &proj, &["build", "--no-link", ".#vm-cache"]);
    assert!(ok, "{err}");
}

/// The release `--nixpkgs` pins decides which qemu-vm.nix options are gone:
/// on nixos-unstable `virtualisation.msize` is, and init says where and
/// what to do (`--rewrite` drops it from the copy); on 22.11 both options
/// still exist and nothing is said or changed.
#[test]
fn options_the_pinned_release_removed_are_said_and_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("configuration.nix");
    let text = "{ ... }:\n{\n  services.openssh.enable = true;\n  virtualisation.vmVariant.virtualisation.msize = 262144;\n  virtualisation.vmVariant.virtualisation.bootDevice = \"/dev/vda\";\n}\n";
    std::fs::write(&config, text).unwrap();
    let run = |pin: &str, extra: &[&str]| {
        let proj = tmp.path().join(format!("p-{pin}-{}", extra.len()));
        let out = nixvm()
            .args(["init", "--no-lock", "--nixpkgs", pin, "--from"])
            .arg(&config)
            .arg("--dir")
            .arg(&proj)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let copy = walk(&proj).into_iter().find(|p| p.ends_with("configuration.nix")).unwrap();
        (said, std::fs::read_to_string(copy).unwrap())
    };
    let (said, copy) = run("nixos-unstable", &[]);
    assert!(
        said.contains("configuration.nix:4:3: `virtualisation.msize` no longer exists in qemu-vm.nix of NixOS 26.11"),
        "{said}"
    );
    assert!(said.contains("configuration.nix:5:3: `virtualisation.bootDevice` no longer exists"), "{said}");
    assert_eq!(copy, text, "the copy is left as it was without --rewrite");
    let (_, copy) = run("nixos-unstable", &["--rewrite"]);
    assert!(
        !copy.contains("msize") && copy.contains("bootDevice"),
        "msize dropped, bootDevice left to the user: {copy}"
    );
    let (said, copy) = run("nixos-22.11", &[]);
    assert!(!said.contains("no longer exists"), "{said}");
    assert_eq!(copy, text);
}

/// `tests/NAME.py` becomes `checks.<system>.test-NAME`, a NixOS test of the
/// machines (`runNixOSTest`, here the stub's), whose nodes get the
/// machines' modules with what qemu-vm.nix and the test framework set at
/// normal priority forced over the configuration's own values.
#[test]
fn test_scripts_become_flake_checks() {
    let Some(nix) = common::nix("test_scripts_become_flake_checks") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("configuration.nix");
    std::fs::write(
        &config,
        "{ ... }: {\n  networking.hostName = \"web\";\n  boot.consoleLogLevel = 4;\n  services.timesyncd.enable = true;\n}\n",
    )
    .unwrap();
    let proj = init(tmp.path(), &["--from", config.to_str().unwrap()]);
    let node = std::fs::read_to_string(proj.join("nixvm/test-node.nix")).unwrap();
    assert!(node.contains("boot.consoleLogLevel = lib.mkForce 7;"), "{node}");
    assert!(node.contains("services.timesyncd.enable = lib.mkForce false;"), "{node}");
    let script = "web.wait_for_unit(\"multi-user.target\")\nweb.succeed(\"true\")\n";
    std::fs::create_dir_all(proj.join("tests")).unwrap();
    std::fs::write(proj.join("tests/smoke.py"), script).unwrap();
    common::git(&proj, &["add", "-N", "tests/smoke.py"]);
    let system = nixvm::lint::host_system();
    let check = format!(".#checks.{system}.test-smoke");
    let (ok, out, err) = common::nix_flake(&nix, &proj, &["build", "--json", "--no-link", &check]);
    assert!(ok, "{err}");
    let built: serde_json::Value = serde_json::from_str(&out).unwrap();
    let result = built[0]["outputs"]["out"].as_str().unwrap();
    assert_eq!(std::fs::read_to_string(format!("{result}/testScript")).unwrap(), script);
    assert_eq!(std::fs::read_to_string(format!("{result}/nodes")).unwrap().trim(), "web");

    // Without the forcing, the node does not evaluate: the test framework's
    // value conflicts with the configuration's.
    std::fs::write(proj.join("nixvm/test-node.nix"), node.replace("lib.mkForce 7", "lib.mkDefault 7")).unwrap();
    let (ok, _, err) = common::nix_flake(&nix, &proj, &["build", "--no-link", &check]);
    assert!(!ok);
    assert!(err.contains("boot.consoleLogLevel' has conflicting definition values"), "{err}");
}

/// In a repository of the user's, init stages the project and commits
/// nothing; in a new one it commits (see single_configuration_...).
#[test]
fn in_the_users_repository_the_project_is_staged_not_committed() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("infra");
    std::fs::create_dir_all(&repo).unwrap();
    common::git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("README"), "infrastructure\n").unwrap();
    common::git(&repo, &["add", "README"]);
    common::git(&repo, &["commit", "-q", "-m", "theirs"]);
    let out = nixvm()
        .args(["init", "--no-lock", "--from"])
        .arg(fixture("server/configuration.nix"))
        .arg("--dir")
        .arg(repo.join("vms"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("added to the git repository it is in"));
    let git = git2::Repository::open(&repo).unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.message(), Some("theirs\n"), "no commit of ours");
    let status = common::git_status(&repo);
    assert!(status.contains("A  vms/flake.nix") && status.contains("A  vms/nixvm/ssh-key.pub"), "{status}");
}
