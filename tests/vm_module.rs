//! What nixvm's VM module does to a machine's boot, against the stub's
//! models of NixOS's own modules (scripted networking, `system.name`,
//! qemu-vm.nix's forwarded ports): every way of starting a VM boots without
//! waiting for a NIC it does not have, the plain-Nix outputs name the run
//! script as qemu-vm.nix does, and no forward listens beyond loopback
//! unless asked to.

mod common;

use assert_cmd::Command;
use std::path::Path;

fn project(tmp: &Path) -> std::path::PathBuf {
    common::init_project(&tmp.join("proj"), "--network", "init/networks/interfaces.nix")
}

/// `nixvm run M` in `proj`: (success, stdout).
fn nixvm_run(proj: &Path, machine: &str) -> (bool, String) {
    let out = Command::cargo_bin("nixvm")
        .unwrap()
        .args(["run", machine, "--dir"])
        .arg(proj)
        .args(common::stub_flags())
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Lines the stub guest said while "booting" (not the environment dump).
fn guest_lines(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.starts_with("stub guest:")).collect()
}

/// `nix run .#vm-M` starts the VM without the segment's NIC, and the
/// machines' own NICs (enp3s0) exist in no VM: none of them may hold up
/// the boot. Under nixvm the segment's NIC is there and gets its address.
#[test]
fn every_way_of_starting_a_vm_boots_without_waiting_for_absent_nics() {
    let Some(nix) = common::nix("every_way_of_starting_a_vm_boots_without_waiting_for_absent_nics") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    for machine in ["gateway", "store", "anon"] {
        let (ok, out, err) = common::nix_flake(&nix, &proj, &["run", &format!(".#vm-{machine}")]);
        assert!(ok, "nix run .#vm-{machine}: {err}\n{out}");
        assert_eq!(guest_lines(&out), Vec::<&str>::new(), "{machine}: {out}");
    }
    // Places on the segment follow the sorted names: anon, gateway, store.
    let (ok, out) = nixvm_run(&proj, "gateway");
    assert!(ok, "{out}");
    assert_eq!(guest_lines(&out), ["stub guest: eth1 up with 192.168.1.2/24"], "{out}");
    // With networkd, NixOS makes no address services: nixvm adds none
    // (one with nothing to run is a unit systemd refuses).
    let (ok, out) = nixvm_run(&proj, "store");
    assert!(ok, "{out}");
    assert_eq!(guest_lines(&out), Vec::<&str>::new(), "{out}");
}

/// A machine whose host name is empty (set by DHCP) is `unnamed` to
/// NixOS, and so is its run script: the flake's app runs it.
#[test]
fn the_app_runs_the_script_qemu_vm_names() {
    let Some(nix) = common::nix("the_app_runs_the_script_qemu_vm_names") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    let (ok, out, err) = common::nix_flake(&nix, &proj, &["run", ".#vm-anon", "--", "an argument"]);
    assert!(ok, "{err}");
    assert!(out.contains("arg: an argument"), "{out}");
    let program = format!(".#apps.{}.vm-anon.program", nixvm::lint::host_system());
    let (ok, out, err) = common::nix_flake(&nix, &proj, &["eval", "--raw", &program]);
    assert!(ok, "{err}");
    assert!(out.ends_with("/bin/run-unnamed-vm"), "{out}");
}

/// The ports a configuration forwards itself (virtualisation.forwardPorts)
/// listen on 127.0.0.1, as nixvm's own do, unless they name an address.
#[test]
fn the_configurations_own_forwards_listen_on_loopback() {
    if common::nix("the_configurations_own_forwards_listen_on_loopback").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    let (ok, out) = nixvm_run(&proj, "portal");
    assert!(ok, "{out}");
    let netdev = out.lines().find_map(|l| l.strip_prefix("netdev: ")).unwrap_or_else(|| panic!("{out}"));
    assert!(
        netdev.starts_with(
            "user,id=user.0,hostfwd=tcp:127.0.0.1:18080-:80,hostfwd=tcp:0.0.0.0:18443-:443,hostfwd=tcp:127.0.0.1:"
        ),
        "{netdev}"
    );
    // status lists them with nixvm's own while the VM runs.
    let nixvm = |args: &[&str]| {
        let mut c = Command::cargo_bin("nixvm").unwrap();
        c.env("NIXVM_STUB_SLEEP", "30").args(args).arg("--dir").arg(&proj).args(common::stub_flags());
        c.output().unwrap()
    };
    assert!(nixvm(&["up", "portal"]).status.success());
    let _down = common::Down(proj.clone());
    let status: serde_json::Value = serde_json::from_slice(&nixvm(&["status", "--json"]).stdout).unwrap();
    let down = Command::cargo_bin("nixvm").unwrap().args(["down", "portal", "--dir"]).arg(&proj).output().unwrap();
    assert!(down.status.success(), "{}", String::from_utf8_lossy(&down.stderr));
    let portal = status["machines"].as_array().unwrap().iter().find(|m| m["name"] == "portal").unwrap().clone();
    assert_eq!(portal["forwards"], serde_json::json!(["127.0.0.1:18080:80", "0.0.0.0:18443:443"]), "{status}");
    // A port of theirs that is taken stops the start before QEMU would.
    let _held = std::net::TcpListener::bind(("127.0.0.1", 18080)).unwrap();
    let out = Command::cargo_bin("nixvm")
        .unwrap()
        .args(["run", "portal", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("127.0.0.1:18080 is taken on this host"), "{err}");
}

/// A host whose sshd keeps root out (PermitRootLogin, AllowUsers,
/// AuthenticationMethods) and listens on one address on port 2222: in the
/// VM only, OpenSSH itself (`sshd -T` on the VM's sshd_config) lets root in
/// with a key and keeps the policy for everyone else, nixvm forwards to the
/// port the VM's sshd uses (its own, 2200), and the VM's firewall opens it.
#[test]
fn root_logs_in_with_the_key_whatever_the_sshd_policy() {
    let test = "root_logs_in_with_the_key_whatever_the_sshd_policy";
    let Some(nix) = common::nix(test) else { return };
    let Some(sshd) = common::required_tool("sshd", test)
        .or_else(|| Some(std::path::PathBuf::from("/usr/sbin/sshd")).filter(|p| p.is_file()))
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--network", "init/networks/locked-ssh.nix");
    let (ok, out, err) = common::nix_flake(&nix, &proj, &["build", "--json", "--no-link", ".#vmSystem-bastion"]);
    assert!(ok, "{err}");
    let built: serde_json::Value = serde_json::from_str(&out).unwrap();
    let system = built[0]["outputs"]["out"].as_str().unwrap().to_string();
    let config = std::fs::read_to_string(Path::new(&system).join("etc/ssh/sshd_config")).unwrap();
    // The test's host key first, then the VM's configuration as it is.
    let key = tmp.path().join("host-key");
    let keygen =
        std::process::Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(&key).status();
    assert!(keygen.unwrap().success());
    let file = tmp.path().join("sshd_config");
    std::fs::write(&file, format!("HostKey {}\n{config}", key.display())).unwrap();
    let effective = |user: &str| {
        let out = std::process::Command::new(&sshd)
            .arg("-T")
            .arg("-f")
            .arg(&file)
            .arg("-C")
            .arg(format!("user={user},host=client,addr=127.0.0.1"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{config}\n{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect::<Vec<String>>()
    };
    let root = effective("root");
    for line in ["port 2200", "permitrootlogin without-password", "authenticationmethods publickey", "allowusers root"]
    {
        assert!(root.iter().any(|l| l == line), "{line}: {root:?}\n{config}");
    }
    assert!(!root.iter().any(|l| l.starts_with("listenaddress 10.0.0.1")), "{root:?}");
    let alice = effective("alice");
    for line in ["permitrootlogin no", "authenticationmethods publickey,password", "allowusers alice"] {
        assert!(alice.iter().any(|l| l == line), "{line}: {alice:?}");
    }
    // The firewall opens the port, though the configuration does not.
    let ports = ".#nixosConfigurations.bastion.config.virtualisation.vmVariant.networking.firewall.allowedTCPPorts";
    let (ok, out, err) = common::nix_flake(&nix, &proj, &["eval", "--json", ports]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "[2200]", "the VM's own port");
    // nixvm forwards its ssh port to the VM sshd's port.
    let (ok, out) = nixvm_run(&proj, "bastion");
    assert!(ok, "{out}");
    let net = out.lines().find_map(|l| l.strip_prefix("env: QEMU_NET_OPTS=")).unwrap_or_else(|| panic!("{out}"));
    assert!(net.starts_with("hostfwd=tcp:127.0.0.1:") && net.ends_with("-:2200"), "{net}");
}

/// A server whose root is on LUKS with a key file for the initrd and whose
/// data is a ZFS pool (tests/fixtures/flakes/disks): its plain VM does not
/// evaluate (a VM without a boot loader takes only store paths as initrd
/// secrets) and would wait for its pool at every boot; nixvm's boots at
/// once, and the hardware configuration keeps both.
#[test]
fn initrd_secrets_and_zfs_pools_stay_out_of_the_vm() {
    let test = "initrd_secrets_and_zfs_pools_stay_out_of_the_vm";
    let Some(nix) = common::nix(test) else { return };
    let tmp = tempfile::tempdir().unwrap();
    let infra = common::fixture_repo(tmp.path(), "disks");
    let _down = common::Down(infra.clone());
    let (ok, _, err) =
        common::nix_flake(&nix, &infra, &["build", "--no-link", ".#nixosConfigurations.vault.config.system.build.vm"]);
    assert!(!ok && err.contains("boot.initrd.secrets values must be unquoted paths"), "{err}");
    let (ok, out) = nixvm_run(&infra, "vault");
    assert!(ok, "{out}");
    assert_eq!(guest_lines(&out), ["stub guest: eth1 up with 192.168.1.1/24"], "{out}");
    let (ok, out, err) =
        common::nix_flake(&nix, &infra, &["eval", "--json", ".#nixosConfigurations.vault.config.boot.zfs.extraPools"]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), r#"["tank"]"#);
    assert_eq!(common::git_status(&infra), "");
}

/// A machine laid out with disko and impermanence (tests/fixtures/flakes/
/// layouts, with the stubs of both as its inputs): on hardware a tmpfs root,
/// an encrypted partition for /persist; in nixvm's VM no passphrase is
/// asked, and what impermanence keeps lives on the VM's own disk.
#[test]
fn a_disko_and_impermanence_machine_keeps_its_state_on_the_vms_disk() {
    let test = "a_disko_and_impermanence_machine_keeps_its_state_on_the_vms_disk";
    let Some(nix) = common::nix(test) else { return };
    let tmp = tempfile::tempdir().unwrap();
    let infra = common::fixture_repo(tmp.path(), "layouts");
    let _down = common::Down(infra.clone());
    let inputs = common::stub_inputs(&["disko", "impermanence"]);
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let eval = |attr: &str| {
        let args = [&["eval", "--json", attr][..], &inputs].concat();
        let (ok, out, err) = common::nix_flake(&nix, &infra, &args);
        assert!(ok, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    // The hardware keeps its layout.
    let fs = eval(".#nixosConfigurations.db.config.fileSystems");
    assert_eq!(fs["/"]["fsType"], "tmpfs", "{fs}");
    assert_eq!(fs["/persist"]["device"], "/dev/mapper/state", "{fs}");
    assert!(eval(".#nixosConfigurations.db.config.boot.initrd.luks.devices").get("state").is_some());
    let out = Command::cargo_bin("nixvm")
        .unwrap()
        .current_dir(&infra)
        .args(["run", "db"])
        .args(common::stub_flags())
        .args(&inputs)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        guest_lines(&stdout),
        [
            "stub guest: eth1 up with 192.168.1.1/24",
            "stub guest: impermanence keeps /var/lib/postgresql /var/log in /persist, on / (ext4 on /dev/disk/by-label/nixos)"
        ],
        "{stdout}"
    );
    assert_eq!(common::git_status(&infra), "");
}

/// A VM variant with EFI boot keeps its EFI variables in the machine's
/// state directory, from run to run, until `clean`; nothing lands in the
/// user's tree (the run script's default is NAME-efi-vars.fd where it runs).
#[test]
fn efi_variables_live_per_machine_until_clean() {
    let test = "efi_variables_live_per_machine_until_clean";
    if common::nix(test).is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let infra = std::fs::canonicalize(common::fixture_repo(tmp.path(), "efi")).unwrap();
    let _down = common::Down(infra.clone());
    let nixvm = |args: &[&str]| {
        let out = Command::cargo_bin("nixvm")
            .unwrap()
            .current_dir(&infra)
            .args(args)
            .args(common::stub_flags())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{args:?}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
        stdout
    };
    let vars = infra.join(".nixvm/desk/efi-vars.fd");
    let stdout = nixvm(&["run", "desk"]);
    assert!(
        guest_lines(&stdout).contains(&format!("stub guest: EFI variables in {}", vars.display()).as_str()),
        "{stdout}"
    );
    // What the guest wrote stays for the next boot.
    std::fs::write(&vars, "BootOrder=0001\n").unwrap();
    nixvm(&["run", "desk"]);
    assert_eq!(std::fs::read_to_string(&vars).unwrap(), "BootOrder=0001\n");
    assert_eq!(common::git_status(&infra), "", "no desk-efi-vars.fd in the tree");
    Command::cargo_bin("nixvm").unwrap().current_dir(&infra).args(["clean", "desk"]).assert().code(0);
    assert!(!vars.exists(), "clean resets the EFI variables");
}
