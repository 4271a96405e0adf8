//! `cargo bench --bench up`: nixvm's own time in `nixvm up` of 1, 10 and
//! 30 machines of a generated network, against the stub nixpkgs, whose VM
//! "starts" at once (its run script sleeps). nixvm's own time is the wall
//! time less the time nix's processes ran (`NIXVM_TIMINGS`): evaluating and
//! building are nix's; claiming, ports, state files, GC roots' bookkeeping
//! and starting the VMs are nixvm's. Best of a few runs, each after a
//! `down`.
//!
//! Target (issue: networks of many machines): 30 machines at most 3x the
//! time of 10.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;

#[path = "common/network.rs"]
mod common_network;
use common_network::network;

const RUNS: usize = 3;

/// nixvm's own milliseconds in one `up` of the project, as it says them.
fn up(nixvm: &str, proj: &Path) -> f64 {
    let out = Command::new(nixvm)
        .env("NIXVM_TIMINGS", "1")
        .env("NIXVM_STUB_SLEEP", "120")
        .args(["up", "--force", "--dir"])
        .arg(proj)
        .args(common::stub_flags())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "up failed: {stderr}");
    let down = Command::new(nixvm).args(["down", "--timeout", "2", "--dir"]).arg(proj).output().unwrap();
    assert!(down.status.success(), "down failed");
    let line = stderr.lines().find(|l| l.starts_with("nixvm timings: ")).expect("no timings");
    let own = line.rsplit(", ").next().unwrap();
    own.split(' ').next().unwrap().parse().unwrap()
}

fn main() {
    if Command::new("nix").arg("--version").output().is_err() {
        println!("nix not found: nothing to measure (install nix-bin)");
        return;
    }
    let nixvm = env!("CARGO_BIN_EXE_nixvm");
    let tmp = tempfile::tempdir().unwrap();
    let mut own = vec![];
    for machines in [1, 10, 30] {
        let file = network(&tmp.path().join(format!("src-{machines}")), machines);
        let proj = tmp.path().join(format!("proj-{machines}"));
        common::init_project(&proj, "--network", &file);
        // Built once; the runs measured find the VMs built.
        up(nixvm, &proj);
        let best = (0..RUNS).map(|_| up(nixvm, &proj)).fold(f64::MAX, f64::min);
        println!("up of {machines:>2} machines: nixvm's own time {best:>7.1} ms");
        own.push(best);
    }
    let ratio = own[2] / own[1];
    println!(
        "30 machines cost {ratio:.2}x the time of 10 (target <= 3: {})",
        if ratio <= 3.0 { "met" } else { "MISSED" }
    );
}
