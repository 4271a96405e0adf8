//! Secrets in the VMs: machines that keep theirs with sops-nix or agenix
//! (stub modules under tests/fixtures/stub-sops-nix and stub-agenix, taken
//! as the user's flake's inputs or imported by a network file) decrypt in
//! their VMs with the project's age identity, which the VM gets through a
//! read-only shared directory at boot; the hardware configuration keeps its
//! host-key identities; the key never reaches the store or git; `nixvm
//! secrets` says which secrets the VMs cannot open yet and how to let them.

mod common;

use assert_cmd::Command;
use nixvm::machines::age_key::Identity;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The flags that stand the stubs in for nixpkgs, sops-nix and agenix.
fn stub_inputs() -> Vec<String> {
    [common::stub_flags(), common::stub_inputs(&["sops-nix", "agenix"])].concat()
}

/// `nixvm ARGS` in `dir`: (exit code, stdout, stderr).
fn nixvm(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("nixvm")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .args(stub_inputs())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn guest_lines(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.starts_with("stub guest:") && !l.contains(" up with ")).collect()
}

fn key_file(root: &Path) -> PathBuf {
    root.join(".nixvm/identity/age-key")
}

fn eval(nix: &Path, dir: &Path, attr: &str) -> serde_json::Value {
    let mut args = vec!["eval", "--json"];
    let installable = format!(".#nixosConfigurations.{attr}");
    args.push(&installable);
    let flags = stub_inputs();
    args.extend(flags.iter().map(String::as_str));
    let (ok, out, err) = common::nix_flake_raw(nix, dir, &args);
    assert!(ok, "nix eval {attr}: {err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn flake_machines_decrypt_their_secrets_in_the_vm_only() {
    let test = "flake_machines_decrypt_their_secrets_in_the_vm_only";
    let Some(nix) = common::nix(test) else { return };
    let tmp = tempfile::tempdir().unwrap();
    let infra = common::fixture_repo(tmp.path(), "secrets");
    let _down = common::Down(infra.clone());

    // The hardware configuration keeps its identities; the VM's is the
    // project's key, shared read-only.
    let hardware = eval(&nix, &infra, "vault.config.sops.age");
    assert_eq!(hardware["keyFile"], serde_json::Value::Null);
    assert_eq!(hardware["sshKeyPaths"], serde_json::json!(["/etc/ssh/ssh_host_ed25519_key"]));
    assert_eq!(eval(&nix, &infra, "relay.config.age.identityPaths").as_array().map(Vec::len), Some(2));

    // A machine with no secrets gets no share and makes no key.
    let (code, out, err) = nixvm(&infra, &["run", "plain"]);
    assert_eq!(code, 0, "{err}\n{out}");
    assert_eq!(guest_lines(&out), Vec::<&str>::new(), "{out}");
    assert!(!key_file(&infra).exists());

    // sops-nix and agenix decrypt with the key nixvm hands over.
    for (machine, manager) in [("vault", "sops-nix"), ("relay", "agenix")] {
        let (code, out, err) = nixvm(&infra, &["run", machine]);
        assert_eq!(code, 0, "{err}\n{out}");
        assert_eq!(
            guest_lines(&out),
            [
                "stub guest: mounted nixvm-identity at /var/lib/nixvm (ro)".to_string(),
                format!("stub guest: {manager} decrypts with /var/lib/nixvm/age-key")
            ],
            "{out}"
        );
    }
    let key = key_file(&infra);
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(key.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    // Each VM is given its own copy: a guest that writes to its share
    // cannot change the project's key.
    for machine in ["vault", "relay"] {
        let copy = infra.join(".nixvm").join(machine).join("identity/age-key");
        assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&key).unwrap());
        assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(copy.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    }
    let identity = Identity::parse(&std::fs::read_to_string(&key).unwrap()).unwrap();

    // Without nixvm, the user's own VM has only the host keys a new VM
    // lacks.
    let flags = stub_inputs();
    let args = [
        &["run", ".#nixosConfigurations.vault.config.system.build.vm"][..],
        &flags.iter().map(String::as_str).collect::<Vec<_>>(),
    ]
    .concat();
    let (ok, out, err) = common::nix_flake_raw(&nix, &infra, &args);
    assert!(ok, "{err}");
    assert_eq!(
        guest_lines(&out),
        ["stub guest: sops-nix cannot decrypt: no identity among: /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_rsa_key"],
        "{out}"
    );

    // `nixvm secrets` names what the VMs cannot open, and the lines to add.
    let (code, out, err) = nixvm(&infra, &["secrets"]);
    assert_eq!(code, 1, "{err}\n{out}");
    assert!(out.contains(&format!("Its recipient: {}", identity.recipient)), "{out}");
    assert!(out.contains("sops-nix db-password (secrets/vault.yaml): not encrypted to the VMs' recipient"), "{out}");
    assert!(
        out.contains("agenix relay-password (secrets/relay-password.age): the VMs are not in secrets/secrets.nix"),
        "{out}"
    );
    assert!(out.contains(&format!("- &nixvm_vms {}", identity.recipient)), "{out}");
    assert!(out.contains("sops updatekeys secrets/vault.yaml"), "{out}");
    assert!(out.contains(&format!("let nixvm_vms = \"{}\"; in", identity.recipient)), "{out}");
    assert!(!out.contains("plain"), "a machine without secrets is not listed: {out}");

    // Once the user has added the recipient (as `sops updatekeys` and an
    // edit of secrets.nix do), all is well.
    let vault = infra.join("secrets/vault.yaml");
    let text = std::fs::read_to_string(&vault).unwrap().replace(
        "    lastmodified:",
        &format!("        - recipient: {}\n          enc: |\n            x\n    lastmodified:", identity.recipient),
    );
    std::fs::write(&vault, text).unwrap();
    let rules = infra.join("secrets/secrets.nix");
    let text = std::fs::read_to_string(&rules)
        .unwrap()
        .replace("in\n", &format!("  vms = \"{}\";\nin\n", identity.recipient))
        .replace("[ relay ]", "[ relay vms ]");
    std::fs::write(&rules, text).unwrap();
    common::git(&infra, &["commit", "-qam", "the VMs may decrypt"]);
    let (code, out, err) = nixvm(&infra, &["secrets", "--format", "json"]);
    assert_eq!(code, 0, "{err}\n{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The key `run` made is the one reported, not made again.
    assert_eq!(report["made"], false, "{report}");
    assert_eq!(report["key"], key.display().to_string(), "{report}");
    let states: Vec<(String, String)> = report["machines"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["secrets"].as_array().unwrap().clone())
        .map(|s| (s["name"].as_str().unwrap().to_string(), s["access"]["state"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        states,
        [("relay-password", "in-rules"), ("db-password", "encrypted"), ("users/root", "encrypted")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );

    // Nothing in the user's tree changed but what the user edited, and the
    // key is nowhere in the store: not in the VMs nixvm built.
    assert_eq!(common::git_status(&infra), "");
    let secret = std::fs::read_to_string(&key).unwrap();
    let secret_line = secret.lines().last().unwrap().to_string();
    let (code, out, err) = nixvm(&infra, &["build", "vault", "relay"]);
    assert_eq!(code, 0, "{err}");
    let built: Vec<&str> = out.split_whitespace().filter(|w| w.starts_with("/nix/store/")).collect();
    assert_eq!(built.len(), 2, "{out}");
    for path in built {
        let (ok, closure, err) = common::nix_flake_raw(&nix, &infra, &["path-info", "-r", path]);
        assert!(ok, "{err}");
        for p in closure.lines() {
            let found = std::process::Command::new("grep").args(["-rqF", &secret_line, p]).status().unwrap();
            assert!(!found.success(), "the age key is in {p}");
        }
    }
}

#[test]
fn a_network_machine_gets_the_identity_only_from_nixvm() {
    let test = "a_network_machine_gets_the_identity_only_from_nixvm";
    let Some(nix) = common::nix(test) else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--network", "init/secrets/network.nix");
    let _down = common::Down(proj.clone());
    // Under plain `nix run`, the share is the empty xchg directory.
    let (ok, out, err) = common::nix_flake(&nix, &proj, &["run", ".#vm-vault"]);
    assert!(ok, "{err}");
    assert_eq!(
        guest_lines(&out),
        [
            "stub guest: mounted nixvm-identity at /var/lib/nixvm (ro)",
            "stub guest: sops-nix cannot decrypt: no identity among: /var/lib/nixvm/age-key"
        ],
        "{out}"
    );
    let (code, out, err) = nixvm(&proj, &["run", "vault"]);
    assert_eq!(code, 0, "{err}\n{out}");
    assert!(guest_lines(&out).contains(&"stub guest: sops-nix decrypts with /var/lib/nixvm/age-key"), "{out}");
    // `up` hands it over as `run` does.
    let (code, out, err) = nixvm(&proj, &["up", "relay", "--wait", "--timeout", "1"]);
    let log = std::fs::read_to_string(proj.join(".nixvm/relay/console.log")).unwrap_or_default();
    assert!(log.contains("stub guest: agenix decrypts with /var/lib/nixvm/age-key"), "{code} {out} {err}\n{log}");
    assert!(proj.join(".nixvm/relay/identity/age-key").is_file());
    // The key is state, which git ignores.
    let tracked = std::process::Command::new("git").current_dir(&proj).args(["ls-files"]).output().unwrap();
    let tracked = String::from_utf8_lossy(&tracked.stdout);
    assert!(key_file(&proj).exists());
    assert!(!tracked.contains(".nixvm"), "{tracked}");
    assert!(!common::git_status(&proj).contains(".nixvm"));
}
