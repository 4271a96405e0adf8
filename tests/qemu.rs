//! The QEMU options nixvm gives a VM's run script (the ssh forward in
//! `QEMU_NET_OPTS`, the segment NIC and the console in `QEMU_OPTS`, the
//! console log among its arguments) are
//! accepted by the real `qemu-system-x86_64`: two machines are started
//! paused (`-S`, no kernel) on one segment, the way qemu-vm.nix's run
//! script passes the variables, asked for their status over QMP, and told
//! to quit. The ssh forward must listen on 127.0.0.1 only.

mod common;

use nixvm::runtime::{console_log_args, run_environment, RunSettings, Segment, SEGMENT_NETDEV};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Start QEMU as the run script does: `-netdev user,id=user.0,$QEMU_NET_OPTS`
/// and `$QEMU_OPTS` split on spaces.
fn start(qemu: &Path, env: &[(String, String)], args: &[String], qmp: &Path) -> std::process::Child {
    let var = |n: &str| env.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap_or_default();
    Command::new(qemu)
        .args(["-S", "-machine", "accel=tcg", "-m", "64", "-display", "none", "-nodefaults"])
        .args(["-net", "nic,netdev=user.0,model=virtio", "-netdev"])
        .arg(format!("user,id=user.0,{}", var("QEMU_NET_OPTS")))
        .args(var("QEMU_OPTS").split(' ').filter(|w| !w.is_empty()))
        .args(args)
        .arg("-qmp")
        .arg(format!("unix:{},server=on,wait=off", qmp.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start qemu")
}

/// Talk QMP: the machine must be paused, then quit.
fn check_paused_and_quit(child: &mut std::process::Child, qmp: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let stream = loop {
        if let Ok(s) = UnixStream::connect(qmp) {
            break s;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            panic!("qemu refused the options ({status}): {err}");
        }
        assert!(Instant::now() < deadline, "qemu did not open its QMP socket");
        std::thread::sleep(Duration::from_millis(50));
    };
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut greeting = String::new();
    reader.read_line(&mut greeting).unwrap();
    assert!(greeting.contains("QMP"), "{greeting}");
    let mut reply = |command: &str| -> String {
        writeln!(writer, "{{\"execute\":\"{command}\"}}").unwrap();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(!line.is_empty(), "qemu closed QMP");
            if line.contains("\"return\"") || line.contains("\"error\"") {
                return line;
            }
        }
    };
    reply("qmp_capabilities");
    let status = reply("query-status");
    assert!(status.contains("\"prelaunch\"") || status.contains("\"paused\""), "{status}");
    reply("quit");
    let code = child.wait().unwrap();
    assert!(code.success(), "qemu exited with {code}");
}

/// The local addresses listening on TCP `port`, from /proc/net/tcp.
fn listeners(port: u16) -> Vec<String> {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    table
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (addr, p) = f.get(1)?.split_once(':')?;
            (u16::from_str_radix(p, 16).ok()? == port && f.get(3)? == &"0A").then(|| {
                let a = u32::from_str_radix(addr, 16).unwrap_or(0).to_le_bytes();
                format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
            })
        })
        .collect()
}

#[test]
fn real_qemu_accepts_the_segment_and_the_forward() {
    let Some(qemu) = common::required_tool("qemu-system-x86_64", "real_qemu_accepts_the_segment_and_the_forward")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let segment = Segment::for_project(tmp.path().as_os_str().as_encoded_bytes());
    let mut running = vec![];
    for (i, machine) in ["db", "web"].into_iter().enumerate() {
        let port = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port();
        let settings = RunSettings {
            state: tmp.path(),
            machine,
            ssh_port: port,
            guest_ssh_port: 22,
            console: i == 1,
            segment: Some(segment),
            forwards: &[],
            monitor: None,
        };
        let monitor = tmp.path().join(format!("{machine}.monitor"));
        let settings = RunSettings { monitor: Some(&monitor), ..settings };
        let env = run_environment(&settings, |_| None);
        // The console of `run --console`, also kept in a log (its path with
        // a comma, which QEMU reads doubled).
        let log = tmp.path().join(format!("{machine}, console.log"));
        let args = if settings.console { console_log_args(&log) } else { vec![] };
        let qmp = tmp.path().join(format!("{machine}.qmp"));
        let child = start(&qemu, &env, &args, &qmp);
        running.push((child, qmp, port, monitor));
    }
    for (child, qmp, port, monitor) in &mut running {
        // Wait for the forward, then look at who listens.
        let deadline = Instant::now() + Duration::from_secs(20);
        while listeners(*port).is_empty() && Instant::now() < deadline && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(listeners(*port), vec!["127.0.0.1".to_string()], "the ssh forward listens on loopback only");
        // The monitor `nixvm test` uses: the segment's link goes down and up.
        for command in [format!("set_link {SEGMENT_NETDEV} off"), format!("set_link {SEGMENT_NETDEV} on")] {
            let answer = hmp(monitor, &command);
            assert!(!answer.to_lowercase().contains("error") && !answer.contains("not found"), "{command}: {answer}");
        }
        check_paused_and_quit(child, qmp);
    }
    assert!(tmp.path().join("web, console.log").is_file(), "QEMU opens the console log");
}

/// One command to QEMU's human monitor at `socket`; what it answered
/// (up to its next prompt).
fn hmp(socket: &Path, command: &str) -> String {
    let stream = UnixStream::connect(socket).unwrap_or_else(|e| panic!("monitor {socket:?}: {e}"));
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut until_prompt = || {
        let mut seen = vec![];
        while !seen.ends_with(b"(qemu) ") {
            let mut byte = [0u8];
            std::io::Read::read_exact(&mut reader, &mut byte).expect("the monitor answers");
            seen.push(byte[0]);
        }
        String::from_utf8_lossy(&seen).into_owned()
    };
    let banner = until_prompt();
    assert!(banner.contains("QEMU"), "{banner}");
    writeln!(writer, "{command}").unwrap();
    until_prompt()
}
