//! `cargo bench --bench test`: what a call of a test script costs in
//! `nixvm test`. A script makes 200 `succeed("true")` calls on one machine
//! (the stub's VM, answering ssh with a real sshd on 127.0.0.1) and times
//! each from the script's side; beside it, the same command with a new
//! `ssh` each time, as a tool without a persistent session would pay.
//! Target: a median of at most 10 ms a call.

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::Command;
use std::time::{Duration, Instant};

const CALLS: usize = 200;
const FRESH: usize = 50;
const TARGET: Duration = Duration::from_millis(10);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    if !common::sshd::can_run("bench test") {
        return;
    }
    let nixvm = env!("CARGO_BIN_EXE_nixvm");
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--network", "init/networks/build-vms.nix");
    let built = Command::new(nixvm).args(["build", "--dir"]).arg(&proj).args(common::stub_flags()).output().unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let config =
        common::sshd::sshd_config(&tmp.path().join("sshd"), &common::sshd::read(&proj.join("nixvm/ssh-key.pub")));
    let times = tmp.path().join("times.json");
    let script = tmp.path().join("calls.py");
    std::fs::write(
        &script,
        format!(
            "import json, time\nserver.succeed('true')\ntimes = []\nfor _ in range({CALLS}):\n    start = time.monotonic()\n    server.succeed('true')\n    times.append(time.monotonic() - start)\nwith open({times:?}, 'w') as f:\n    json.dump(times, f)\n",
            times = times.display().to_string()
        ),
    )
    .unwrap();
    let _down = common::Down(proj.clone());
    let run = Command::new(nixvm)
        .env("NIXVM_STUB_SSHD_CONFIG", &config)
        .arg("test")
        .arg(&script)
        .arg("--dir")
        .arg(&proj)
        .args(common::stub_flags())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let calls: Vec<f64> = serde_json::from_str(&std::fs::read_to_string(&times).unwrap()).unwrap();
    let calls: Vec<Duration> = calls.into_iter().map(Duration::from_secs_f64).collect();
    let through_nixvm = median(calls);

    // The same command, a new ssh connection each time.
    let ssh_config = proj.join(".nixvm/server/ssh_config");
    let fresh: Vec<Duration> = (0..FRESH)
        .map(|_| {
            let start = Instant::now();
            let ok = Command::new("ssh")
                .args(["-F"])
                .arg(&ssh_config)
                .args(["-o", "BatchMode=yes", "root@127.0.0.1", "true"])
                .status()
                .unwrap()
                .success();
            assert!(ok);
            start.elapsed()
        })
        .collect();
    let fresh = median(fresh);
    println!("succeed(\"true\") in nixvm test: median {:.2} ms of {CALLS} calls", through_nixvm.as_secs_f64() * 1e3);
    println!("a new ssh per command:          median {:.2} ms of {FRESH}", fresh.as_secs_f64() * 1e3);
    println!(
        "target: at most {} ms a call: {}",
        TARGET.as_millis(),
        if through_nixvm <= TARGET { "MET" } else { "MISSED" }
    );
}
