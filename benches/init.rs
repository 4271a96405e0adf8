//! `cargo bench --bench init`: `nixvm init --network` on generated
//! networks of 1,000 and 10,000 machines (release binary, --no-lock), best
//! of a few runs. Targets (issue: init): 1,000 machines under 1 s, and 10x
//! the machines at most 12x the time.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

#[path = "common/network.rs"]
mod common_network;
use common_network::network;

fn time_init(nixvm: &str, file: &Path, out: &Path) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let _ = std::fs::remove_dir_all(out);
        let start = Instant::now();
        let status = Command::new(nixvm)
            .args(["init", "--no-lock", "--network"])
            .arg(file)
            .arg("--dir")
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "init failed");
        best = best.min(start.elapsed());
    }
    best
}

fn main() {
    let nixvm = env!("CARGO_BIN_EXE_nixvm");
    // Outside this repository: init adds what it writes to the index of the
    // repository around the project.
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("init-bench");
    let mut times = vec![];
    for machines in [1_000, 10_000] {
        let dir = base.join(format!("src-{machines}"));
        let _ = std::fs::remove_dir_all(&dir);
        let file = network(&dir, machines);
        let t = time_init(nixvm, &file, &base.join(format!("out-{machines}")));
        println!("init --network with {machines:>6} machines: {:>8.1} ms", t.as_secs_f64() * 1e3);
        times.push(t);
    }
    let ratio = times[1].as_secs_f64() / times[0].as_secs_f64();
    println!(
        "1,000 machines under 1 s: {}; 10x machines cost {ratio:.1}x the time (target <= 12x: {})",
        if times[0] < Duration::from_secs(1) { "met" } else { "MISSED" },
        if ratio <= 12.0 { "met" } else { "MISSED" }
    );
}
