//! A stand-in for a running VM's sshd: a real `sshd` on 127.0.0.1 with a
//! temporary host key, letting a project's key in as root. Its sessions get
//! a PATH whose `nix-env` runs the real one with the system profile moved
//! into the sshd's directory, whose `nix-store` records what it does (and
//! with a file `store-empty` claims no closure path is valid), and whose
//! `systemd-run` records its arguments and runs the command; with a file
//! `store-hidden`, its shell sees no store path.

use super::write_script;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";

/// What these tests need: nix, ssh, sshd, and root (nixvm logs in as root).
pub fn can_run(test: &str) -> bool {
    if super::nix(test).is_none() || super::required_tool("ssh", test).is_none() {
        return false;
    }
    let missing = if !Path::new(SSHD).is_file() {
        Some(format!("{SSHD} not found (install openssh-server)"))
    } else if unsafe { libc::geteuid() } != 0 {
        Some("not root (nixvm logs in as root, so sshd must run as root)".to_string())
    } else {
        None
    };
    match missing {
        None => true,
        Some(why) if super::in_ci() => panic!("{test}: {why}; required in CI"),
        Some(why) => {
            eprintln!("SKIPPED {test}: {why}");
            false
        }
    }
}

pub struct Sshd {
    child: std::process::Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new ed25519 key pair at `path` (and `path`.pub).
pub fn keygen(path: &Path) {
    let ok = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

/// sshd's configuration in `dir` (no port: the caller gives it) letting
/// `authorized` in as root, with `nix-env` and `systemd-run` stand-ins.
pub fn sshd_config(dir: &Path, authorized: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::create_dir_all("/run/sshd").unwrap(); // privilege separation
    let key = dir.join("host-key");
    keygen(&key);
    std::fs::write(dir.join("authorized_keys"), authorized).unwrap();
    let profile = dir.join("profiles/system");
    std::fs::create_dir_all(profile.parent().unwrap()).unwrap();
    write_script(
        &dir.join("bin/nix-env"),
        &format!(
            "#!/bin/sh\necho \"nix-env $*\" >> '{log}'\nn=$#\nfor a in \"$@\"; do\n  [ \"$a\" = /nix/var/nix/profiles/system ] && a='{profile}'\n  set -- \"$@\" \"$a\"\ndone\nshift $n\nexec /usr/bin/nix-env \"$@\"\n",
            log = dir.join("commands.log").display(),
            profile = profile.display()
        ),
    );
    // Records what nix-store does in the "VM"; keeps what --load-db reads.
    // With a file `store-empty`, the "VM" has no path of any closure.
    write_script(
        &dir.join("bin/nix-store"),
        &format!(
            "#!/bin/sh\necho \"nix-store $*\" >> '{log}'\nif [ \"$1\" = --load-db ]; then cat > '{reg}'; exit 0; fi\n\
             if [ \"$1 $2\" = '--check-validity --print-invalid' ] && [ -e '{empty}' ]; then shift 2; printf '%s\\n' \"$@\"; exit 0; fi\n\
             exec /usr/bin/nix-store \"$@\"\n",
            log = dir.join("commands.log").display(),
            reg = dir.join("registration").display(),
            empty = dir.join("store-empty").display()
        ),
    );
    write_script(
        &dir.join("bin/systemd-run"),
        &format!(
            "#!/bin/sh\necho \"systemd-run $*\" >> '{log}'\nwhile [ \"$1\" != -- ]; do shift; done\nshift\nexec \"$@\"\n",
            log = dir.join("commands.log").display()
        ),
    );
    // With a file `store-hidden`, the "VM" does not see the host's store
    // (as a VM without qemu-vm.nix's shared store): `test` finds no store
    // path there. Each command runs in a bash that reads BASH_ENV.
    std::fs::write(
        dir.join("bash_env"),
        format!(
            "if [ -e '{hidden}' ]; then test() {{ case \"$2\" in /nix/store/*) return 1 ;; esac; builtin test \"$@\"; }}; fi\n",
            hidden = dir.join("store-hidden").display()
        ),
    )
    .unwrap();
    write_script(
        &dir.join("session"),
        // (A bash that sees SSH_CLIENT at shell level 1 reads ~/.bashrc, not BASH_ENV.)
        &format!(
            "#!/bin/sh\n[ -n \"$STUB_GUEST_DIR\" ] && [ -e \"$STUB_GUEST_DIR/banner\" ] && cat \"$STUB_GUEST_DIR/banner\"\nexec env -u SSH_CLIENT -u SSH2_CLIENT BASH_ENV='{}' bash -c \"$SSH_ORIGINAL_COMMAND\"\n",
            dir.join("bash_env").display()
        ),
    );
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "HostKey {key}\nPidFile {dir}/sshd.pid\nAuthorizedKeysFile {dir}/authorized_keys\n\
             StrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             SetEnv PATH={dir}/bin:/usr/bin:/bin NIXVM_STUB_LOG={dir}/switch.log\nForceCommand {dir}/session\n",
            key = key.display(),
            dir = dir.display()
        ),
    )
    .unwrap();
    config
}

/// sshd on 127.0.0.1 letting `authorized` in as root.
pub fn start_sshd(dir: &Path, authorized: &str) -> Sshd {
    let dir = dir.to_path_buf();
    let config = sshd_config(&dir, authorized);
    let port = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new(SSHD)
        .arg("-D")
        .arg("-e")
        .arg("-f")
        .arg(&config)
        .args(["-o", &format!("Port={port}"), "-o", "ListenAddress=127.0.0.1"])
        .stderr(std::fs::File::create(dir.join("sshd.log")).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sshd did not start: {}", read(&dir.join("sshd.log")));
        std::thread::sleep(Duration::from_millis(50));
    }
    Sshd { child, port, dir }
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}
