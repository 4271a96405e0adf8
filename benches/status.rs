//! `cargo bench --bench status`: `nixvm status` of a project whose 20
//! machines have state under `.nixvm/` (ports, pids of VMs long gone, disk
//! images, a lock file each) when no nix is on PATH, so nixvm lists them
//! from their state alone. Median of repeated runs. Target: under 20 ms.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 31;
const MACHINES: usize = 20;

fn main() {
    let nixvm = env!("CARGO_BIN_EXE_nixvm");
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("fleet");
    // What makes a directory a nixvm project; without nix, nothing in it
    // is evaluated.
    std::fs::create_dir_all(proj.join("nixvm")).unwrap();
    std::fs::write(proj.join("flake.nix"), "{ outputs = _: { }; }\n").unwrap();
    std::fs::write(proj.join("nixvm/vm.nix"), "{ ... }: { }\n").unwrap();
    for i in 0..MACHINES {
        let state = proj.join(format!(".nixvm/m{i}"));
        std::fs::create_dir_all(state.join("tmp")).unwrap();
        std::fs::write(state.join("ssh-port"), format!("{}\n", 20000 + i)).unwrap();
        std::fs::write(state.join("pid"), "999999\n").unwrap();
        std::fs::write(state.join("lock"), "").unwrap();
        std::fs::write(state.join(format!("m{i}.qcow2")), "").unwrap();
        std::fs::write(state.join("disk-system"), format!("/nix/store/aaaa-nixos-system-m{i}\n")).unwrap();
    }
    let run = || {
        let start = Instant::now();
        let out = Command::new(nixvm)
            .env("PATH", "/nonexistent")
            .args(["status", "--json", "--dir"])
            .arg(&proj)
            .stderr(Stdio::null())
            .output()
            .unwrap();
        let took = start.elapsed();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["machines"].as_array().map(Vec::len), Some(MACHINES), "{doc}");
        took
    };
    run();
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    times.sort();
    let median = times[RUNS / 2];
    let ms = median.as_secs_f64() * 1e3;
    println!("status, {MACHINES} machines with state, no nix:");
    println!("  {ms:.1} ms (median of {RUNS}; target: under 20 ms) {}", if ms < 20.0 { "MET" } else { "MISSED" });
}
