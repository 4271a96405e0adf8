//! `cargo bench --bench eval`: `nixvm build` of a network of 8 machines
//! whose evaluation each burns about a second of CPU (a module folds over
//! a long list into `virtualisation.memorySize`: real work for the
//! evaluator, no sleeping), against the stub nixpkgs: the machines
//! evaluated one at a time (`--eval-jobs 1`) and as many at once as the
//! host allows (the default), side by side in one run. The VMs are built
//! first, so both measure the evaluations.
//!
//! Targets (issue: networks of many machines): at most 0.6x the serial
//! wall time on a 2-core machine; with 8 cores or more, at most 1.5x the
//! time of the slowest single machine.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MACHINES: usize = 8;
const RUNS: usize = 3;

/// A network of `MACHINES` machines, each burning about a second of CPU
/// when evaluated (a different sum each: nothing is shared between them).
fn network(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let mut text = String::from("# Machines slow to evaluate, for the eval benchmark.\n{\n");
    for i in 0..MACHINES {
        text.push_str(&format!(
            "  m{i} = {{ ... }}: {{\n    virtualisation.vmVariant.virtualisation.memorySize = 1024 + 0 * builtins.foldl' (a: i: a + builtins.foldl' (b: j: b + i * j + {i}) 0 (builtins.genList (x: x) 1000)) 0 (builtins.genList (x: x) 2000);\n  }};\n"
        ));
    }
    text.push_str("}\n");
    let file = dir.join("network.nix");
    std::fs::write(&file, text).unwrap();
    file
}

fn build(nixvm: &str, proj: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(nixvm)
        .arg("build")
        .args(args)
        .arg("--dir")
        .arg(proj)
        .args(common::stub_flags())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "nixvm build {args:?} failed");
    start.elapsed()
}

fn main() {
    if Command::new("nix").arg("--version").output().is_err() {
        println!("nix not found: nothing to measure (install nix-bin)");
        return;
    }
    let nixvm = env!("CARGO_BIN_EXE_nixvm");
    let tmp = tempfile::tempdir().unwrap();
    let file = network(&tmp.path().join("src"));
    let proj = tmp.path().join("proj");
    common::init_project(&proj, "--network", &file);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let jobs = cores.min(MACHINES);
    // Built once: the runs below evaluate, and find the VMs built.
    build(nixvm, &proj, &[]);
    let one = build(nixvm, &proj, &["m0"]);
    let (mut serial, mut parallel) = (Duration::MAX, Duration::MAX);
    for _ in 0..RUNS {
        serial = serial.min(build(nixvm, &proj, &["--eval-jobs", "1"]));
        parallel = parallel.min(build(nixvm, &proj, &[]));
    }
    let ratio = parallel.as_secs_f64() / serial.as_secs_f64();
    println!("cores: {cores}; evaluations at once: {jobs} (1 + {MACHINES} nix processes)");
    println!("one machine:              {:>8.0} ms", one.as_secs_f64() * 1e3);
    println!("{MACHINES} machines, one at a time: {:>8.0} ms", serial.as_secs_f64() * 1e3);
    println!("{MACHINES} machines, {jobs} at once:    {:>8.0} ms", parallel.as_secs_f64() * 1e3);
    if cores >= 8 {
        let r = parallel.as_secs_f64() / one.as_secs_f64();
        println!(
            "{r:.2}x one machine's time (target <= 1.5 with 8 cores or more: {})",
            if r <= 1.5 { "met" } else { "MISSED" }
        );
    } else {
        println!(
            "{ratio:.2}x the serial time (target <= 0.60 on 2 cores: {})",
            if ratio <= 0.6 { "met" } else { "MISSED" }
        );
    }
}
