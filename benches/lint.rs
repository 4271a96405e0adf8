//! `cargo bench --bench lint`: lint a generated corpus of ~900 real-looking
//! NixOS modules (~1.4 MB) with the release binary, and compare with
//! `nix-instantiate --parse` over the same files. Reports wall time (best of
//! several runs) and the peak memory of the nixvm process.
//!
//! Targets (issue: lint on whole repositories): at most 0.6x
//! nix-instantiate's parse time, run side by side, peak memory under
//! 32 MiB; a network of 10x the machines in at most 12x the time (1,000
//! and 10,000 machines). And (issue: machine-level
//! findings) deciding them over each machine's modules costs at most 1.2x
//! the per-file lint of the same files, measured in-process: the files
//! linted one by one in parallel as `lint` does, then with the machine
//! pass (`lint::machines::settle`) after.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILES: usize = 900;

#[path = "common/network.rs"]
mod common_network;
use common_network::network;
const RUNS: usize = 11;
/// Runs of the side-by-side comparison with nix-instantiate: more than
/// `RUNS`, since its figure is a ratio of two noisy times.
const SIDE_BY_SIDE_RUNS: usize = 25;

/// A deterministic pseudo-random sequence, so every run lints the same corpus.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

fn module(rng: &mut Lcg, i: usize) -> String {
    let services = ["nginx", "postgresql", "redis", "openssh", "prometheus", "grafana", "fail2ban", "tailscale"];
    let mut s = format!(
        "# Module {i}: generated for the lint benchmark.\n{{ config, lib, pkgs, ... }}:\n\nlet\n  cfg = config.site.part{i};\n  port = {};\nin\n{{\n  imports = [ ./common.nix ./users-{}.nix ];\n\n  options.site.part{i}.enable = lib.mkEnableOption \"part {i}\";\n\n  config = lib.mkIf cfg.enable {{\n",
        1000 + rng.next() % 9000,
        rng.next() % 50
    );
    // Each service once: a set defines an attribute once (or the file
    // does not parse, and neither tool would read past the error).
    let mut left: Vec<&str> = services.to_vec();
    for _ in 0..(4 + rng.next() % 4) {
        let svc = left.remove(rng.next() % left.len());
        s.push_str(&format!(
            "    services.{svc} = {{\n      enable = true;\n      # tuned by hand on {}\n      settings = {{ port = port; workers = {}; logLevel = \"{}\"; }};\n    }};\n",
            rng.pick(&["monday", "tuesday", "release day"]),
            1 + rng.next() % 16,
            rng.pick(&["info", "warn", "debug"])
        ));
    }
    s.push_str("    environment.systemPackages = with pkgs; [ git htop curl jq ripgrep ];\n");
    s.push_str("    networking.firewall.allowedTCPPorts = [ port 22 80 443 ];\n");
    s.push_str(&format!(
        "    users.users.svc{i} = {{ isSystemUser = true; group = \"svc\"; home = \"/var/lib/svc{i}\"; }};\n"
    ));
    s.push_str(&format!(
        "    systemd.services.part{i} = {{\n      wantedBy = [ \"multi-user.target\" ];\n      after = [ \"network.target\" ];\n      serviceConfig = {{ ExecStart = \"${{pkgs.hello}}/bin/hello --port ${{toString port}}\"; Restart = \"always\"; DynamicUser = true; }};\n    }};\n"
    ));
    if rng.next().is_multiple_of(10) {
        s.push_str("    services.timesyncd.enable = true;\n");
    }
    if rng.next().is_multiple_of(15) {
        s.push_str("    virtualisation.memorySize = 2048;\n");
    }
    // Machine-level findings for the machine pass to decide.
    if i.is_multiple_of(9) {
        s.push_str("    boot.supportedFilesystems = [ \"zfs\" ];\n");
    }
    if i.is_multiple_of(13) {
        s.push_str("    users.mutableUsers = false;\n");
    }
    s.push_str("  };\n}\n");
    s
}

fn corpus(dir: &Path) -> (Vec<PathBuf>, usize) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Lcg(42);
    let mut files = vec![];
    let mut bytes = 0;
    for i in 0..FILES {
        let text = module(&mut rng, i);
        bytes += text.len();
        let p = dir.join(format!("m{i:04}.nix"));
        std::fs::write(&p, text).unwrap();
        files.push(p);
    }
    (files, bytes)
}

/// One run of `cmd`: its wall time and its peak RSS (KiB).
fn run_once(mut cmd: Command) -> (Duration, i64) {
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // wait4 gives this child's own peak RSS.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(r, pid, "wait4 failed");
    std::mem::forget(child);
    (elapsed, usage.ru_maxrss)
}

/// Each command's best wall time over `runs`, and its largest peak RSS
/// (KiB), run side by side (one of each in turn), so that a machine that
/// slows down for a while slows all of them alike.
fn side_by_side(commands: &[&dyn Fn() -> Command], runs: usize) -> Vec<(Duration, i64)> {
    side_by_side_all(commands, runs).into_iter().map(|(times, rss)| (times[0], rss)).collect()
}

/// Each command's wall times over `runs` (sorted, fastest first) and its
/// largest peak RSS (KiB), run side by side.
fn side_by_side_all(commands: &[&dyn Fn() -> Command], runs: usize) -> Vec<(Vec<Duration>, i64)> {
    let mut all = vec![(vec![], 0); commands.len()];
    for _ in 0..runs {
        for (make, (times, peak)) in commands.iter().zip(all.iter_mut()) {
            let (t, rss) = run_once(make());
            times.push(t);
            *peak = (*peak).max(rss);
        }
    }
    for (times, _) in &mut all {
        times.sort();
    }
    all
}

/// Best in-process times over `RUNS` of lint's own run (`nixvm::linter`):
/// the per-file lint of `files` alone (in parallel, as `lint` runs it),
/// and with the machine pass.
fn machine_pass(files: &[PathBuf]) -> (Duration, Duration) {
    let options = nixvm::lint::LintOptions::default();
    let mode = nixvm::rewrite::Mode::Report;
    let (mut per_file, mut with_machines) = (Duration::MAX, Duration::MAX);
    for _ in 0..RUNS {
        let start = Instant::now();
        let alone = nixvm::linter::run(files, &options, mode, false);
        per_file = per_file.min(start.elapsed());
        let start = Instant::now();
        let settled = nixvm::linter::run(files, &options, mode, true);
        with_machines = with_machines.min(start.elapsed());
        assert_eq!(alone.reports.len(), settled.reports.len());
    }
    (per_file, with_machines)
}

fn main() {
    let nixvm = env!("CARGO_BIN_EXE_nixvm");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lint-bench-corpus");
    let (files, bytes) = corpus(&dir);
    println!("corpus: {} files, {:.2} MB", files.len(), bytes as f64 / 1e6);

    let lint = || {
        let mut c = Command::new(nixvm);
        c.args(["lint", "--format", "json"]).arg(&dir);
        c
    };
    let dry_run = || {
        let mut c = Command::new(nixvm);
        c.args(["lint", "--format", "json", "--fix", "--dry-run"]).arg(&dir);
        c
    };
    let parse = || {
        let mut c = Command::new("nix-instantiate");
        c.arg("--parse").args(&files);
        c
    };
    let have_nix = Command::new("nix-instantiate").arg("--version").output().is_ok();
    if have_nix {
        // Both tools must read the whole corpus: it has to be valid Nix.
        let out = parse().output().unwrap();
        assert!(out.status.success(), "the corpus is not valid Nix: {}", String::from_utf8_lossy(&out.stderr));
    }
    let commands: Vec<&dyn Fn() -> Command> =
        if have_nix { vec![&lint, &dry_run, &parse] } else { vec![&lint, &dry_run] };
    let all = side_by_side_all(&commands, SIDE_BY_SIDE_RUNS);
    let ms = |t: Duration| t.as_secs_f64() * 1e3;
    let median = |times: &[Duration]| times[times.len() / 2];
    let ((lint_times, rss), (dry_times, _)) = (&all[0], &all[1]);
    let (t, rss) = (lint_times[0], *rss);
    println!(
        "nixvm lint:            {:>8.1} ms  (median {:.1})  peak RSS {:.1} MiB",
        ms(t),
        ms(median(lint_times)),
        rss as f64 / 1024.0
    );
    println!("nixvm lint --dry-run:  {:>8.1} ms", ms(dry_times[0]));
    match all.get(2) {
        Some((nix_times, _)) => {
            let tn = nix_times[0];
            let ratio = t.as_secs_f64() / tn.as_secs_f64();
            let median_ratio = median(lint_times).as_secs_f64() / median(nix_times).as_secs_f64();
            println!("nix-instantiate --parse: {:>6.1} ms  (median {:.1})", ms(tn), ms(median(nix_times)));
            println!(
                "ratio nixvm/nix, best of {SIDE_BY_SIDE_RUNS}: {ratio:.2} (target <= 0.60: {}; medians: {median_ratio:.2}), peak RSS target < 32 MiB: {}",
                if ratio <= 0.6 { "met" } else { "MISSED" },
                if rss < 32 * 1024 { "met" } else { "MISSED" }
            );
        }
        None => println!("nix-instantiate not found: no comparison (install nix-bin)"),
    }

    let (per_file, with_machines) = machine_pass(&files);
    let ratio = with_machines.as_secs_f64() / per_file.as_secs_f64();
    println!(
        "per-file lint: {:>8.1} ms; with the machine pass: {:>8.1} ms; ratio {ratio:.2} (target <= 1.20: {})",
        per_file.as_secs_f64() * 1e3,
        with_machines.as_secs_f64() * 1e3,
        if ratio <= 1.2 { "met" } else { "MISSED" }
    );

    // A network file's cost grows with its machines, no faster.
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lint-bench-network");
    let mut network_times = vec![];
    for machines in [1_000, 10_000] {
        let file = network(&base.join(machines.to_string()), machines);
        let lint_network = || {
            let mut c = Command::new(nixvm);
            c.args(["lint", "--format", "json"]).arg(&file);
            c
        };
        let (t, _) = side_by_side(&[&lint_network], RUNS)[0];
        println!("lint of a network of {machines:>6} machines: {:>8.1} ms", t.as_secs_f64() * 1e3);
        network_times.push(t);
    }
    let ratio = network_times[1].as_secs_f64() / network_times[0].as_secs_f64();
    println!(
        "10x the machines cost {ratio:.1}x the time (target <= 12x: {})",
        if ratio <= 12.0 { "met" } else { "MISSED" }
    );
}
