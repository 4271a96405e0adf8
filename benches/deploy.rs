//! `cargo bench --bench deploy`: what `nixvm deploy` sends to a running VM
//! by each path, against a real sshd on 127.0.0.1 standing in for the VM
//! (tests/common/sshd.rs) and the stub nixpkgs. By registration (the VM
//! reads the host's store, qemu-vm.nix's default) it must copy 0 bytes of
//! the closure; by copying (`--copy-closure`, to a VM whose store lacks the
//! closure) it sends the closure's NAR size. Prints both, with each path's
//! median wall time.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

/// One deploy: its wall time and its report line on how the closure went.
fn deploy(nixvm: &str, proj: &Path, copy: bool) -> (Duration, String) {
    let start = Instant::now();
    let mut c = Command::new(nixvm);
    c.args(["deploy", "relay", "--dir"]).arg(proj).args(common::stub_flags());
    if copy {
        c.arg("--copy-closure");
    }
    let out = c.output().unwrap();
    let took = start.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("relay: registered ") || l.starts_with("relay: copied "))
        .unwrap_or_else(|| panic!("no transfer line: {stdout}"))
        .to_string();
    (took, line)
}

fn main() {
    if !common::sshd::can_run("bench deploy") {
        return;
    }
    let nixvm = env!("CARGO_BIN_EXE_nixvm");
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--from", "init/server/configuration.nix");
    let up = Command::new(nixvm)
        .env("NIXVM_STUB_SLEEP", "600")
        .args(["up", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .output()
        .unwrap();
    assert!(up.status.success(), "{}", String::from_utf8_lossy(&up.stderr));
    let proj = std::fs::canonicalize(&proj).unwrap();
    let sshd = common::sshd::start_sshd(&tmp.path().join("sshd"), &common::sshd::read(&proj.join("nixvm/ssh-key.pub")));
    std::fs::write(proj.join(".nixvm/relay/ssh-port"), format!("{}\n", sshd.port)).unwrap();
    // The first deploy builds; the runs after it measure the transfer.
    deploy(nixvm, &proj, false);
    for (name, copy) in [("registration", false), ("copy (a VM without the closure)", true)] {
        if copy {
            std::fs::write(sshd.dir.join("store-empty"), "").unwrap();
        }
        let mut times = vec![];
        let mut line = String::new();
        for _ in 0..RUNS {
            let (took, said) = deploy(nixvm, &proj, copy);
            times.push(took);
            line = said;
        }
        times.sort();
        println!("{name}:");
        println!("  {line}");
        println!("  median {:.1} ms of {RUNS}", times[RUNS / 2].as_secs_f64() * 1e3);
        if !copy {
            let met = line.contains("copied nothing");
            println!("  target: 0 bytes of the closure copied: {}", if met { "MET" } else { "MISSED" });
        }
    }
    let _ = Command::new(nixvm).args(["down", "--timeout", "2", "--dir"]).arg(&proj).output();
}
