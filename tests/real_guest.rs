//! The real-guest tier: what only a real kernel under real QEMU shows.
//! The stub's "QEMU" is real QEMU here (NIXVM_STUB_REAL_GUEST): a Debian
//! kernel and a busybox guest that answers ssh with dropbear
//! (tests/fixtures/real-guest, made by `.ci/real-guest`), booted with the
//! exact options nixvm gives a VM. `nixvm test` then drives two of them:
//! the console, the machines reaching each other by name on the segment,
//! and `block()`/`unblock()` through each VM's QEMU monitor.

mod common;

use std::path::{Path, PathBuf};

/// The guest `.ci/real-guest` made: `NIXVM_REAL_GUEST`, else its cache.
fn real_guest(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("NIXVM_REAL_GUEST").map(PathBuf::from).or_else(|| {
        let home = std::env::var_os("HOME")?;
        Some(Path::new(&home).join(".cache/nixvm/real-guest"))
    })?;
    if dir.join("vmlinuz").is_file() && dir.join("initrd").is_file() {
        return Some(dir);
    }
    let why = format!("no real guest at {} (run .ci/real-guest, or set NIXVM_REAL_GUEST)", dir.display());
    if common::in_ci() {
        panic!("{test}: {why}; .ci/run makes it");
    }
    eprintln!("SKIPPED {test}: {why}");
    None
}

#[test]
fn real_guests_talk_on_the_segment_and_the_monitor_blocks_them() {
    let test = "real_guests_talk_on_the_segment_and_the_monitor_blocks_them";
    if !common::sshd::can_run(test) || common::required_tool("qemu-system-x86_64", test).is_none() {
        return;
    }
    let Some(guest) = real_guest(test) else { return };
    let tmp = tempfile::tempdir().unwrap();
    let proj = common::init_project(&tmp.path().join("proj"), "--network", "init/networks/build-vms.nix");
    let _down = common::Down(proj.clone());
    let script = tmp.path().join("segment.py");
    std::fs::write(
        &script,
        r#"
start_all()
server.wait_for_console_text("nixvm real guest server ready", timeout=120)
assert client.succeed("hostname").strip() == "client"
client.succeed("ping -c 1 -W 5 server")
client.block()
client.fail("ping -c 1 -W 2 server")
client.unblock()
client.wait_until_succeeds("ping -c 1 -W 2 server", timeout=60)
"#,
    )
    .unwrap();
    let args = [std::ffi::OsStr::new("--boot-timeout"), std::ffi::OsStr::new("240"), script.as_os_str()];
    let out = common::nixvm_test(&proj, args).env("NIXVM_STUB_REAL_GUEST", &guest).output().unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("client: must fail: ping -c 1 -W 2 server"), "{all}");
    let console = std::fs::read_to_string(proj.join(".nixvm/client/console.log")).unwrap();
    assert!(console.contains("Linux version"), "a real kernel booted: {console}");
}
