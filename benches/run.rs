//! `cargo bench --bench run`: what `nixvm run M` adds over plain `nix run`
//! (the stub nixpkgs from tests/fixtures, offline). Target: at most 5% more
//! wall time over the equivalent plain `nix run` of the same VM.
//!
//! - In a project: `nix run .#vm-M`, one nix call for nixvm too.
//! - In flake mode, on tests/fixtures/flakes/hosts: the same VM is the one
//!   `nixvm run -v` shows the build of (nixvm's wrapper flake over the
//!   user's, `nix run path:.nixvm/.flake#nixvm.vms.db...`), so what is left
//!   is nixvm's own time. Also measured against the machine's own VM variant
//!   (`nix run .#nixosConfigurations.db.config.system.build.vm`, without
//!   nixvm's module: another VM, and one that fails to build for a machine
//!   with a qemu-vm.nix conflict), which adds the wrapper's evaluation.
//!
//! Runs come in interleaved pairs, which of the two goes first alternating;
//! the overhead is the median of the pairs' differences over the median
//! `nix run` (a pair shares the machine's load of its moment, which moves
//! the medians of the two series by more than the target on 2 cores; both
//! medians are printed too).

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 61;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn timed(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let status = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap();
    assert!(status.success(), "{cmd:?} failed");
    start.elapsed()
}

/// Median wall times of `plain` and `ours`, interleaved after a warm-up.
fn compare(name: &str, plain: &mut Command, ours: &mut Command) {
    // Warm up: the first runs build, make the key, fill nix's caches.
    timed(ours);
    timed(plain);
    let (mut a, mut b) = (vec![], vec![]);
    for i in 0..RUNS {
        if i % 2 == 0 {
            a.push(timed(plain));
            b.push(timed(ours));
        } else {
            b.push(timed(ours));
            a.push(timed(plain));
        }
    }
    let mut differences: Vec<f64> = a.iter().zip(&b).map(|(a, b)| b.as_secs_f64() - a.as_secs_f64()).collect();
    differences.sort_by(f64::total_cmp);
    let difference = differences[RUNS / 2];
    let (quartile1, quartile3) = (differences[RUNS / 4], differences[3 * RUNS / 4]);
    let (a, b) = (median(a), median(b));
    let overhead = difference / a.as_secs_f64() * 100.0;
    println!("{name}:");
    println!("  nix run:   {:>7.1} ms (median of {RUNS})", a.as_secs_f64() * 1e3);
    println!(
        "  nixvm run: {:>7.1} ms (median of {RUNS}; {:+.1}% by the two medians)",
        b.as_secs_f64() * 1e3,
        (b.as_secs_f64() / a.as_secs_f64() - 1.0) * 100.0
    );
    println!(
        "  each pair: nixvm {:+.1} ms (median; quartiles {:+.1} and {:+.1} ms)",
        difference * 1e3,
        quartile1 * 1e3,
        quartile3 * 1e3
    );
    println!("  overhead: {overhead:+.1}% (target: at most +5%) {}", if overhead <= 5.0 { "MET" } else { "MISSED" });
}

fn nix() -> Command {
    let mut c = Command::new("nix");
    c.args(["--extra-experimental-features", "nix-command flakes"]);
    c
}

fn main() {
    let nixvm = env!("CARGO_BIN_EXE_nixvm");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stub = format!("path:{}", root.join("tests/fixtures/stub-nixpkgs").display());
    // Outside this repository: init adds what it writes to the index of the
    // repository around the project (and nix would list this one's files).
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("run-bench");
    let status = Command::new(nixvm)
        .args(["init", "--no-lock", "--from"])
        .arg(root.join("tests/fixtures/init/server/configuration.nix"))
        .arg("--dir")
        .arg(&proj)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let flags = ["--offline", "--override-input", "nixpkgs", stub.as_str()];
    let mut nix_run = nix();
    nix_run.current_dir(&proj).arg("run").args(flags).arg(".#vm-relay");
    let mut nixvm_run = Command::new(nixvm);
    nixvm_run.current_dir(&proj).args(["run", "relay"]).args(flags);
    compare("a nixvm project (relay)", &mut nix_run, &mut nixvm_run);

    // Flake mode: the fixture flake as a user's repository, its files a
    // few seconds old as in a tree not edited this instant (nixvm lints
    // files modified in the last two seconds again on every command).
    let flake = common::fixture_repo(tmp.path(), "hosts");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let mut nixvm_run = Command::new(nixvm);
    nixvm_run.current_dir(&flake).args(["run", "db"]).args(flags);
    // The first run writes the wrapper flake the same VM is built from.
    timed(&mut nixvm_run);
    let wrapper = format!("path:{}#nixvm.vms.db.config.system.build.vm", flake.join(".nixvm/.flake").display());
    let user = flake.display().to_string();
    let mut same_vm = nix();
    same_vm
        .current_dir(&flake)
        .args(["run", "--offline", "--no-write-lock-file", "--override-input", "user", &user])
        .args(["--override-input", "user/nixpkgs", &stub, &wrapper]);
    compare("flake mode, the same VM (db of tests/fixtures/flakes/hosts)", &mut same_vm, &mut nixvm_run);
    let mut own_variant = nix();
    own_variant.current_dir(&flake).arg("run").args(flags).arg(".#nixosConfigurations.db.config.system.build.vm");
    compare("flake mode, against the machine's own VM variant (another VM)", &mut own_variant, &mut nixvm_run);
}
