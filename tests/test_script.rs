//! `nixvm test` end to end: NixOS test scripts against the project's
//! machines, the stub's "VMs" answering ssh with a real `sshd` whose
//! sessions have the stub guest's tools (tests/fixtures/stub-nixpkgs/guest:
//! a systemctl over unit files, poweroff, reboot, a QEMU monitor). The
//! driver's semantics are asserted: failed units, failing commands at the
//! script's line, timeouts, copies, the monitor.

mod common;

use common::sshd::{can_run, read, sshd_config};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A two-machine project (`client`, `server`) with its key, and the sshd
/// configuration its stub VMs answer ssh with.
fn project(tmp: &Path) -> (PathBuf, PathBuf) {
    let proj = common::init_project(&tmp.join("proj"), "--network", "init/networks/build-vms.nix");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .args(["build", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let config = sshd_config(&tmp.join("sshd"), &read(&proj.join("nixvm/ssh-key.pub")));
    (proj, config)
}

/// `nixvm test ARGS` in the project, with the stub VMs answering ssh.
fn nixvm_test(proj: &Path, config: &Path, args: &[&str]) -> Output {
    common::nixvm_test(proj, args).env("NIXVM_STUB_SSHD_CONFIG", config).output().unwrap()
}

fn script(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A unit of `machine`'s stub guest, as systemctl will show it.
fn unit(proj: &Path, machine: &str, name: &str, properties: &str) {
    let dir = proj.join(format!(".nixvm/{machine}/guest/units"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), properties).unwrap();
}

#[test]
fn a_script_runs_against_the_machines_with_the_drivers_semantics() {
    if !can_run("a_script_runs_against_the_machines_with_the_drivers_semantics") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = project(tmp.path());
    let _down = common::Down(proj.clone());
    let host_file = script(tmp.path(), "greeting.txt", "hello from the host\n");
    let passing = script(
        tmp.path(),
        "pass.py",
        &format!(
            r#"
start_all()
with subtest("commands"):
    assert server.succeed("echo hi; echo there") == "hi\nthere\n"
    out = server.fail("echo partial; false")
    assert out == "partial\n", out
    rc, out = server.execute("exit 3")
    assert rc == 3, rc
    # bash, set -euo pipefail, as the driver runs it
    server.fail("false | true")
    server.fail("echo $UNSET_VARIABLE")
    assert server.succeed("id -un").strip() == "root"
    rc, _ = server.execute("sleep 5", timeout=1)
    assert rc == 124, rc
with subtest("units"):
    server.wait_for_unit("nginx.service")
    server.require_unit_state("nginx.service", "active")
    assert server.get_unit_property("nginx.service", "ActiveState") == "active"
    assert server.get_unit_info("nginx.service")["SubState"] == "running"
    # Activating now, active in three seconds: the wait waits.
    client.succeed('echo "StubBecomes=$(( $(date +%s) + 3 )) active" >> "$STUB_GUEST_DIR/units/slow.service"')
    import time
    began = time.monotonic()
    client.wait_for_unit("slow.service", timeout=20)
    assert time.monotonic() - began >= 1.5, "it waited for the unit"
    rc, _ = server.start_job("db.service")
    assert rc == 0
    server.wait_for_unit("db.service")
with subtest("files and ports"):
    server.copy_from_host("{host}", "/tmp/nixvm-test-copy/greeting.txt")
    assert server.succeed("cat /tmp/nixvm-test-copy/greeting.txt") == "hello from the host\n"
    server.succeed("mkdir -p /tmp/nixvm-test-out && echo made in the guest > /tmp/nixvm-test-out/report.txt")
    server.copy_from_machine("/tmp/nixvm-test-out/report.txt", "reports")
    server.wait_for_file("/tmp/nixvm-test-out/report.txt")
    server.wait_for_closed_port(1)
    t.assertEqual(machines, [client, server])
with subtest("the VM"):
    server.block()
    assert "VM status: running" in server.send_monitor_command("info status")
    server.unblock()
    assert server.is_up()
log.info("all done")
"#,
            host = host_file.display()
        ),
    );
    // The guests' units, before they start.
    unit(&proj, "server", "nginx.service", "ActiveState=active\nSubState=running\n");
    unit(&proj, "server", "db.service", "ActiveState=inactive\n");
    unit(&proj, "client", "slow.service", "ActiveState=activating\n");
    let junit = tmp.path().join("report.xml");
    let out = nixvm_test(&proj, &config, &[passing.to_str().unwrap(), "--junit-xml", junit.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    // The driver's log lines.
    assert!(all.contains("server: must succeed: echo hi; echo there"), "{all}");
    assert!(all.contains("(finished: server: waiting for unit nginx.service, in "), "{all}");
    assert!(all.contains("subtest: units"), "{all}");
    assert!(all.contains("all done"), "{all}");
    assert!(all.contains("pass.py: passed"), "{all}");
    // Copied out, into the output directory.
    assert_eq!(read(&proj.join(".nixvm/test-out/reports/report.txt")), "made in the guest\n");
    // The monitor heard the segment's link go down and up.
    let monitor = read(&proj.join(".nixvm/server/guest/monitor.log"));
    assert!(monitor.contains("set_link nixvm0 off\n") && monitor.contains("set_link nixvm0 on\n"), "{monitor}");
    assert_eq!(read(&proj.join(".nixvm/server/guest/link")), "up\n");
    // One case per subtest.
    let xml = read(&junit);
    for case in ["commands", "units", "files and ports", "the VM"] {
        assert!(xml.contains(&format!("<testcase name=\"{case}\"")), "{xml}");
    }
    assert!(!xml.contains("<failure"), "{xml}");
    // What the test started stays running, with its state.
    assert!(all.contains("started for the test and left running: client server"), "{all}");
    assert!(proj.join(".nixvm/server/pid").exists());
}

/// A failing command fails the script at its line, with the command, its
/// exit code and its output; a failed unit fails `wait_for_unit` at once.
#[test]
fn failures_point_at_the_scripts_line() {
    if !can_run("failures_point_at_the_scripts_line") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = project(tmp.path());
    let _down = common::Down(proj.clone());
    unit(&proj, "server", "broken.service", "ActiveState=failed\n");
    unit(&proj, "server", "idle.service", "ActiveState=inactive\n");
    let failing = script(
        tmp.path(),
        "fail.py",
        "server.succeed('true')\n\nwith subtest('the command'):\n    server.succeed('echo the output; exit 7')\n",
    );
    let junit = tmp.path().join("report.xml");
    let out = nixvm_test(&proj, &config, &[failing.to_str().unwrap(), "--junit-xml", junit.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains(&format!("File \"{}\", line 4, in <module>", failing.display())), "{all}");
    assert!(all.contains("RequestedAssertionFailed: command `echo the output; exit 7` failed (exit code 7)"), "{all}");
    assert!(all.contains("server: output: the output"), "{all}");
    assert!(all.contains("fail.py: FAILED"), "{all}");
    let xml = read(&junit);
    assert!(
        xml.contains("<testcase name=\"the command\"") && xml.contains("<failure message=\"test case failed\""),
        "{xml}"
    );

    // Started earlier by the first run: reused, not started again.
    let units = script(tmp.path(), "units.py", "server.wait_for_unit('broken.service', timeout=60)\n");
    let started = std::time::Instant::now();
    let out = nixvm_test(&proj, &config, &[units.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("unit \"broken.service\" reached state \"failed\""), "{all}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "a failed unit fails at once");
    let idle = script(tmp.path(), "idle.py", "server.wait_for_unit('idle.service')\n");
    let out = nixvm_test(&proj, &config, &[idle.to_str().unwrap()]);
    assert!(text(&out).contains("unit \"idle.service\" is inactive and there are no pending jobs"), "{}", text(&out));

    // A timeout is honoured, with the driver's message.
    let waits = script(tmp.path(), "waits.py", "server.wait_until_succeeds('false', timeout=2)\n");
    let out = nixvm_test(&proj, &config, &[waits.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("RequestedAssertionFailed: action timed out after "), "{all}");

    // What nixvm cannot do says so.
    let keys = script(tmp.path(), "keys.py", "server.send_key('ctrl-alt-delete')\n");
    let out = nixvm_test(&proj, &config, &[keys.to_str().unwrap()]);
    assert!(text(&out).contains("MachineError: send_key() is not available in nixvm test"), "{}", text(&out));
}

/// Bad scripts and bad names fail before anything starts.
#[test]
fn bad_scripts_and_names_start_nothing() {
    if !can_run("bad_scripts_and_names_start_nothing") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = project(tmp.path());
    let _down = common::Down(proj.clone());
    let broken = script(tmp.path(), "broken.py", "start_all()\nserver.succeed('true'\n");
    let out = nixvm_test(&proj, &config, &[broken.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains(&format!("{}:2:", broken.display())), "{all}");
    assert!(!proj.join(".nixvm/server/pid").exists(), "nothing started: {all}");
    let ok = script(tmp.path(), "ok.py", "server.succeed('true')\n");
    let out = nixvm_test(&proj, &config, &[ok.to_str().unwrap(), "--machines", "server,nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("no machine `nosuch` in this project (machines: client, server)"), "{}", text(&out));
}

/// The VM itself through nixvm's lifecycle: the console, a screenshot
/// through the monitor, polling conditions, reboot, shutdown, crash and
/// start again.
#[test]
fn the_vm_itself_goes_through_nixvms_lifecycle() {
    if !can_run("the_vm_itself_goes_through_nixvms_lifecycle") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = project(tmp.path());
    let _down = common::Down(proj.clone());
    let lifecycle = script(
        tmp.path(),
        "lifecycle.py",
        r#"
import datetime
server.succeed('echo "ready for the test" > "$STUB_CONSOLE"')
server.wait_for_console_text("ready for .* test", timeout=datetime.timedelta(seconds=20))
assert "ready for the test" in server.get_console_log()
server.screenshot("screen")

checks = []
@polling_condition(seconds_interval=0)
def server_is_fine():
    "the server answers"
    checks.append(1)
    server.succeed("true")

with server_is_fine:
    server.succeed("true")
    server.succeed("true")
assert len(checks) >= 2, checks

server.reboot()
server.succeed("true")
assert server.is_up()

client.shutdown()
assert not client.is_up()
client.start()
client.succeed("true")
client.crash()
client.wait_for_shutdown()
"#,
    );
    let out = nixvm_test(&proj, &config, &[lifecycle.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("server: waiting for ready for .* test to appear on console"), "{all}");
    assert!(all.contains("Checking polling condition 'the server answers'"), "{all}");
    assert!(all.contains("client: forced crash"), "{all}");
    let png = std::fs::read(proj.join(".nixvm/test-out/screen.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG from the monitor's screendump");
    assert!(read(&proj.join(".nixvm/server/console.log")).contains("stub guest: rebooting"));
    assert!(!proj.join(".nixvm/client/pid").exists() || !all.contains("left running: client"), "{all}");
}

/// `--fresh` resets the disks, starts, runs and stops; a second test on
/// the same machines while one runs is refused; a machine that stops
/// during the test fails it with the end of its console.
#[test]
fn fresh_runs_own_their_machines() {
    if !can_run("fresh_runs_own_their_machines") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = project(tmp.path());
    let _down = common::Down(proj.clone());
    let leftover = proj.join(".nixvm/server/server.qcow2");
    std::fs::create_dir_all(leftover.parent().unwrap()).unwrap();
    std::fs::write(&leftover, "an old disk").unwrap();
    let go = tmp.path().join("go-on");
    let slow = script(
        tmp.path(),
        "slow.py",
        &format!("server.wait_until_succeeds('test -e {}', timeout=120)\n", go.display()),
    );
    let mut first = common::nixvm_test(&proj, [OsStr::new("--fresh"), slow.as_os_str()])
        .env("NIXVM_STUB_SSHD_CONFIG", &config)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // While it runs, another test of the server is refused.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !read(&proj.join(".nixvm/server/test-owner")).contains("slow.py") || leftover.exists() {
        assert!(std::time::Instant::now() < deadline, "the first test never took the server, or kept its old disk");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let other = script(tmp.path(), "other.py", "server.succeed('true')\n");
    let out = nixvm_test(&proj, &config, &[other.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("server is being tested already (pid ") && all.contains("slow.py"), "{all}");
    std::fs::write(&go, "").unwrap();
    let status = first.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(first.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{err}");
    assert!(err.contains("stopped what the test started: server"), "{err}");
    assert!(!proj.join(".nixvm/server/pid").exists() || read(&proj.join(".nixvm/server/pid")).is_empty());

    // The VM dies under the script.
    let dies =
        script(tmp.path(), "dies.py", "server.succeed('true')\nserver.succeed('stub-crash')\nserver.succeed('true')\n");
    let out = nixvm_test(&proj, &config, &["--fresh", dies.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("server stopped during the test; the end of its console:"), "{all}");
    assert!(all.contains(&format!("File \"{}\", line 2, in <module>", dies.display())), "{all}");
    assert!(all.contains("stub guest: sshd on 127.0.0.1:"), "{all}");
    let running = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .args(["status", "--json", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&running.stdout).unwrap();
    assert!(status["machines"].as_array().unwrap().iter().all(|m| m["running"] == false), "{status}");
}

/// In flake mode, `--check NAME` runs the script of the flake's NixOS test
/// (runNixOSTest) against the machines named as its nodes.
#[test]
fn a_flakes_check_runs_against_its_machines() {
    if !can_run("a_flakes_check_runs_against_its_machines") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::fixture_repo(tmp.path(), "hosts");
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .args(["build", "web", "--dir"])
        .arg(&dir)
        .args(common::stub_flags())
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let config = sshd_config(&tmp.path().join("sshd"), &read(&dir.join(".nixvm/ssh-key.pub")));
    let _down = common::Down(dir.clone());
    let out = nixvm_test(&dir, &config, &["--check", "web-answers"]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("web: must succeed: echo the web host answers"), "{all}");
    assert!(all.contains("web-answers.py: passed"), "{all}");
    assert!(!dir.join(".nixvm/db/pid").exists(), "only the test's nodes start");
    assert_eq!(common::git_status(&dir), "", "the user's tree is untouched");

    let out = nixvm_test(&dir, &config, &["--check", "elsewhere"]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(
        all.contains("has a node `mail` that is no machine in this flake (its nodes: mail; machines: db, web)"),
        "{all}"
    );
}

/// Without a python3 of 3.9 or newer on PATH, the scripts run with the
/// python3 of the pinned nixpkgs (the stub's: the host's), built with nix.
#[test]
fn without_a_python_the_pinned_nixpkgs_gives_one() {
    if !can_run("without_a_python_the_pinned_nixpkgs_gives_one") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = project(tmp.path());
    let _down = common::Down(proj.clone());
    // A python3 too old to run the shim comes first on PATH.
    let old = tmp.path().join("old-python");
    std::fs::create_dir_all(&old).unwrap();
    common::write_script(&old.join("python3"), "#!/bin/sh\necho 'Python 3.6.15' >&2\nexit 1\n");
    let path = format!("{}:{}", old.display(), std::env::var("PATH").unwrap());
    let script = script(tmp.path(), "py.py", "import sys\nassert sys.version_info >= (3, 9)\nserver.succeed('true')\n");
    let out = common::nixvm_test(&proj, [script.as_os_str()])
        .env("PATH", path)
        .env("NIXVM_STUB_SSHD_CONFIG", &config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let python = std::fs::read_link(proj.join(".nixvm/python")).unwrap();
    assert!(python.starts_with("/nix/store/") && python.to_string_lossy().ends_with("-python3"), "{python:?}");
    assert!(common::is_gc_root(&proj.join(".nixvm/python")));
}

/// Ctrl-C stops the test, not the machines.
#[test]
fn ctrl_c_stops_the_test_not_the_machines() {
    use std::os::unix::process::CommandExt;
    if !can_run("ctrl_c_stops_the_test_not_the_machines") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = project(tmp.path());
    let _down = common::Down(proj.clone());
    let marker = tmp.path().join("long-command-runs");
    let long = script(
        tmp.path(),
        "long.py",
        &format!(
            "with subtest('long'):\n    with log.nested('the long command'):\n        server.succeed('touch {} && sleep 60')\n",
            marker.display()
        ),
    );
    let mut child = common::nixvm_test(&proj, [long.as_os_str()])
        .env("NIXVM_STUB_SSHD_CONFIG", &config)
        .stderr(std::process::Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    // Once the long command runs, Ctrl-C, as a terminal sends it: to the
    // whole foreground process group.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !marker.exists() {
        assert!(std::time::Instant::now() < deadline, "the long command never ran");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let started = std::time::Instant::now();
    unsafe { libc::kill(-(child.id() as i32), libc::SIGINT) };
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "the test stops at once: {err}");
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    // Quietly: no traceback of a call cut short, in or out of the with blocks.
    assert!(!err.contains("Traceback") && !err.contains("MachineError"), "{err}");
    let pid: i32 = read(&proj.join(".nixvm/server/pid")).trim().parse().unwrap();
    assert!(std::path::Path::new(&format!("/proc/{pid}")).exists(), "the machine still runs: {err}");
}

/// A machine that does not answer ssh in time fails the test with the end
/// of its console, before the script runs.
#[test]
fn a_machine_that_never_answers_fails_with_its_console() {
    if !can_run("a_machine_that_never_answers_fails_with_its_console") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, _) = project(tmp.path());
    let _down = common::Down(proj.clone());
    let quiet = script(tmp.path(), "quiet.py", "server.succeed('true')\n");
    // No sshd in the stub VM: it runs, and never answers.
    let out = common::nixvm_test(&proj, [OsStr::new("--boot-timeout"), OsStr::new("3"), quiet.as_os_str()])
        .env("NIXVM_STUB_SLEEP", "60")
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("server did not answer ssh in 3 s; the end of its console (nixvm logs server):"), "{all}");
    assert!(all.contains("stub VM server") || all.contains("stub guest:"), "the console's end: {all}");
    assert!(all.contains("quiet.py: FAILED"), "{all}");
}

/// What the driver allows that is easy to get wrong: calls from threads,
/// console waits one after another, commands not waited for, failing
/// polling conditions, `sys.exit`, a guest whose session prints a banner.
#[test]
fn the_drivers_corners() {
    if !can_run("the_drivers_corners") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, config) = project(tmp.path());
    let _down = common::Down(proj.clone());
    // The guest's startup files print something on every session.
    for m in ["client", "server"] {
        let guest = proj.join(format!(".nixvm/{m}/guest"));
        std::fs::create_dir_all(&guest).unwrap();
        std::fs::write(guest.join("banner"), "Welcome to the guest\n").unwrap();
    }
    let corners = script(
        tmp.path(),
        "corners.py",
        r#"
import threading
start_all()
# Threads, each on its machine, never read each other's answers.
def talk(m):
    for i in range(15):
        assert m.succeed(f"echo {m.name}-{i}") == f"{m.name}-{i}\n"
threads = [threading.Thread(target=talk, args=(m,)) for m in machines]
for th in threads: th.start()
for th in threads: th.join()

# Two lines at once, waited for one after the other.
server.succeed('printf "first line\nsecond line\n" > "$STUB_CONSOLE"')
server.wait_for_console_text("first line", timeout=10)
server.wait_for_console_text("second line", timeout=10)

# Not waited for, and not checked.
rc, out = server.execute("sleep 1; echo later", check_output=False)
assert (rc, out) == (-2, ""), (rc, out)
rc, out = server.execute("echo unchecked; exit 4", check_return=False)
assert (rc, out) == (-1, "unchecked\n"), (rc, out)
assert server.succeed("echo next") == "next\n"

# A polling condition that fails stops the command it guards.
@polling_condition(seconds_interval=0)
def never():
    "the impossible holds"
    return False
try:
    with never:
        server.succeed("true")
    raise AssertionError("the condition did not fail the command")
except PollingConditionError as e:
    assert "the impossible holds" in str(e), e

try:
    driver.machines
except MachineError as e:
    assert "driver is not available in nixvm test" in str(e)
else:
    raise AssertionError("driver is nixvm's")
import sys
sys.exit()
"#,
    );
    let out = nixvm_test(&proj, &config, &[corners.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("server # Welcome to the guest"), "the banner shows, as the guest's: {all}");

    // sys.exit with a message fails the script, in its report too.
    let exits = script(tmp.path(), "exits.py", "import sys\nserver.succeed('true')\nsys.exit('not today')\n");
    let junit = tmp.path().join("exits.xml");
    let out = nixvm_test(&proj, &config, &[exits.to_str().unwrap(), "--junit-xml", junit.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("not today"), "{all}");
    let xml = read(&junit);
    assert!(xml.contains("failures=\"1\""), "{xml}");
}

/// A machine that never boots fails the report too, not only the exit code.
#[test]
fn a_boot_failure_is_a_failed_report() {
    if !can_run("a_boot_failure_is_a_failed_report") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (proj, _) = project(tmp.path());
    let _down = common::Down(proj.clone());
    let quiet = script(tmp.path(), "quiet.py", "server.succeed('true')\n");
    let junit = tmp.path().join("report.xml");
    let out = common::nixvm_test(
        &proj,
        [
            OsStr::new("--boot-timeout"),
            OsStr::new("2"),
            OsStr::new("--junit-xml"),
            junit.as_os_str(),
            quiet.as_os_str(),
        ],
    )
    .env("NIXVM_STUB_SLEEP", "60")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let xml = read(&junit);
    assert!(xml.contains("<testcase name=\"start the machines\"") && xml.contains("failures=\"1\""), "{xml}");
    assert!(xml.contains("did not answer ssh in 2 s"), "{xml}");
}
