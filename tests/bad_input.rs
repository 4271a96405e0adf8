//! Bad input through the binary, table-driven: each case exits 1 or 2
//! (never a signal) with a message naming the file and, where there is
//! one, `line:column`; and nothing partial is ever written, also when a
//! write fails (a full disk, simulated with RLIMIT_FSIZE) or the process is
//! killed in the middle of `lint --fix`.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nixvm() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nixvm"));
    c.env("NO_COLOR", "1");
    c
}

/// Every file under `dir` with its bytes, to compare before and after.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&p) else { continue };
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
            } else {
                out.push((p, vec![]));
            }
        }
    }
    out.sort();
    out
}

struct Case {
    name: &'static str,
    /// Makes the input in the directory; returns the arguments.
    setup: fn(&Path) -> Vec<OsString>,
    code: i32,
    /// Each must appear in stdout or stderr (`{dir}` is the case's directory).
    says: &'static [&'static str],
    /// The command may write nothing at all in the directory.
    writes_nothing: bool,
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn args(items: &[&str]) -> Vec<OsString> {
    items.iter().map(OsString::from).collect()
}

fn with(mut v: Vec<OsString>, p: &Path) -> Vec<OsString> {
    v.push(p.as_os_str().to_owned());
    v
}

/// `init --no-lock --KIND FILE --dir DIR/proj` for a file written with `text`.
fn init(d: &Path, kind: &str, name: &str, text: &str) -> Vec<OsString> {
    let p = write(d, name, text);
    let mut a = with(args(&["init", "--no-lock", kind]), &p);
    a.extend(with(args(&["--dir"]), &d.join("proj")));
    a
}

const FIXABLE: &str = "{ lib, ... }:\n{\n  services.timesyncd.enable = true;\n}\n";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a nixpkgs tree that does not exist",
            setup: |d| {
                let mut a = with(args(&["lint", "--nixpkgs"]), &d.join("nowhere"));
                a.extend(with(vec![], &write(d, "a.nix", FIXABLE)));
                a
            },
            code: 2,
            says: &["--nixpkgs {dir}/nowhere: no such file or directory"],
            writes_nothing: true,
        },
        Case {
            name: "syntax error",
            setup: |d| with(args(&["lint"]), &write(d, "bad.nix", "{ a = 1 }")),
            code: 1,
            says: &["bad.nix:1:8", "a `;` is missing before `}`"],
            writes_nothing: true,
        },
        Case {
            name: "binary file",
            setup: |d| {
                with(args(&["lint", "--fix"]), &write(d, "blob.nix", [0x7f, b'E', b'L', b'F', 0xff, 0xfe, 0, 1]))
            },
            code: 1,
            says: &["blob.nix", "not UTF-8"],
            writes_nothing: true,
        },
        Case {
            name: "empty file",
            setup: |d| with(args(&["lint"]), &write(d, "empty.nix", "")),
            code: 1,
            says: &["empty.nix:1:1", "the file holds no expression"],
            writes_nothing: true,
        },
        Case {
            name: "10 MB module",
            setup: |d| {
                let body: String = (0..500_000).map(|i| format!("  a{i} = {i};\n")).collect();
                with(
                    args(&["lint"]),
                    &write(d, "big.nix", format!("{{\n{body}  services.timesyncd.enable = true;\n}}\n")),
                )
            },
            code: 1,
            says: &["big.nix:500002:3", "services.timesyncd.enable"],
            writes_nothing: true,
        },
        Case {
            name: "200k nested parentheses",
            setup: |d| {
                with(
                    args(&["lint", "--fix"]),
                    &write(d, "deep.nix", format!("{}1{}", "(".repeat(200_000), ")".repeat(200_000))),
                )
            },
            code: 1,
            says: &["deep.nix:1:", "nested too deeply"],
            writes_nothing: true,
        },
        Case {
            name: "read-only file with --fix",
            setup: |d| {
                let p = write(d, "ro.nix", FIXABLE);
                std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o444)).unwrap();
                with(args(&["lint", "--fix"]), &p)
            },
            code: 2,
            says: &["ro.nix", "read-only"],
            writes_nothing: true,
        },
        Case {
            name: "a symlink to nowhere",
            setup: |d| {
                let p = d.join("dangling.nix");
                std::os::unix::fs::symlink(d.join("nowhere.nix"), &p).unwrap();
                with(args(&["lint", "--fix"]), &p)
            },
            code: 2,
            says: &["dangling.nix"],
            writes_nothing: true,
        },
        Case {
            name: "a file that links to itself",
            setup: |d| {
                let p = d.join("loop.nix");
                std::os::unix::fs::symlink(&p, &p).unwrap();
                with(args(&["lint"]), &p)
            },
            code: 2,
            says: &["loop.nix"],
            writes_nothing: true,
        },
        Case {
            name: "directory symlink loop",
            setup: |d| {
                let sub = d.join("tree");
                std::fs::create_dir(&sub).unwrap();
                std::os::unix::fs::symlink(&sub, sub.join("again")).unwrap();
                write(&sub, "conf.nix", "{ services.timesyncd.enable = true; }\n");
                with(args(&["lint"]), &sub)
            },
            code: 1,
            says: &["conf.nix:1:3"],
            writes_nothing: true,
        },
        Case {
            name: "non-UTF-8 file name",
            setup: |d| {
                let name = OsString::from_vec(b"caf\xe9.nix".to_vec());
                let p = d.join(name);
                std::fs::write(&p, "{ services.timesyncd.enable = true; }\n").unwrap();
                with(args(&["lint"]), &p)
            },
            code: 1,
            says: &["caf\u{fffd}.nix:1:3"],
            writes_nothing: true,
        },
        Case {
            name: "network file that is a list",
            setup: |d| init(d, "--network", "list.nix", "[ 1 2 ]\n"),
            code: 2,
            says: &["list.nix:1:1", "attribute set"],
            writes_nothing: true,
        },
        Case {
            name: "network file that is a function returning no machine",
            setup: |d| init(d, "--network", "fn.nix", "{ nodes }: { }\n"),
            code: 2,
            says: &["fn.nix:1:12", "defines no machine"],
            writes_nothing: true,
        },
        Case {
            name: "machine named ../evil",
            setup: |d| init(d, "--network", "evil.nix", "{\n  \"../evil\" = { ... }: { };\n}\n"),
            code: 2,
            says: &["evil.nix:2:3", "`../evil` is not usable"],
            writes_nothing: true,
        },
        Case {
            name: "machine named `a b`",
            setup: |d| init(d, "--network", "space.nix", "{\n  web = { ... }: { };\n  \"a b\" = { ... }: { };\n}\n"),
            code: 2,
            says: &["space.nix:3:3", "`a b` is not usable"],
            writes_nothing: true,
        },
        Case {
            name: "machines joined with //",
            setup: |d| init(d, "--network", "joined.nix", "{ a = { ... }: { }; }\n// { a = { ... }: { }; }\n"),
            code: 2,
            says: &["joined.nix:2:6", "machine `a` is defined on both sides of `//`"],
            writes_nothing: true,
        },
        Case {
            name: "duplicated machine name",
            setup: |d| init(d, "--network", "twice.nix", "{\n  a = { ... }: { };\n  a = { ... }: { };\n}\n"),
            code: 2,
            says: &["twice.nix:3:3", "already defined"],
            writes_nothing: true,
        },
        Case {
            name: "missing imported file",
            setup: |d| init(d, "--from", "conf.nix", "{ ... }: {\n  imports = [ ./missing.nix ];\n}\n"),
            code: 2,
            says: &["conf.nix:2:15", "./missing.nix"],
            writes_nothing: true,
        },
        Case {
            name: "init into an existing project",
            setup: |d| {
                let p = write(d, "conf.nix", "{ ... }: { networking.hostName = \"web\"; }\n");
                std::fs::create_dir(d.join("proj")).unwrap();
                write(&d.join("proj"), "flake.nix", "# mine\n{ outputs = _: { }; }\n");
                let mut a = with(args(&["init", "--no-lock", "--from"]), &p);
                a.extend(with(args(&["--dir"]), &d.join("proj")));
                a
            },
            code: 2,
            says: &["flake.nix", "--force"],
            writes_nothing: true,
        },
        Case {
            name: "init where the target is a file",
            setup: |d| {
                let p = write(d, "conf.nix", "{ ... }: { networking.hostName = \"web\"; }\n");
                write(d, "proj", "not a directory\n");
                let mut a = with(args(&["init", "--no-lock", "--from"]), &p);
                a.extend(with(args(&["--dir"]), &d.join("proj")));
                a
            },
            code: 2,
            says: &["proj"],
            writes_nothing: true,
        },
    ]
}

fn run(mut c: Command) -> Output {
    c.output().expect("run nixvm")
}

#[test]
fn bad_inputs_get_clear_errors_and_nothing_is_written() {
    let mut failures = vec![];
    for case in cases() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().canonicalize().unwrap();
        let mut c = nixvm();
        c.args((case.setup)(&dir)).current_dir(&dir);
        let before = snapshot(&dir);
        let out = run(c);
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let mut wrong = vec![];
        if out.status.code() != Some(case.code) {
            wrong.push(format!("exit {:?} (want {})", out.status, case.code));
        }
        for s in case.says {
            let s = s.replace("{dir}", &dir.display().to_string());
            if !text.contains(&s) {
                wrong.push(format!("does not say `{s}`"));
            }
        }
        if case.writes_nothing && snapshot(&dir) != before {
            wrong.push("wrote or changed files".into());
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}\n{text}", case.name, wrong.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A command run with the file size limited to `bytes` (writes past it
/// fail with EFBIG, as on a full disk; SIGXFSZ ignored so they do fail).
fn with_file_limit(mut c: Command, bytes: u64) -> Output {
    unsafe {
        c.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    run(c)
}

#[test]
fn a_full_disk_leaves_the_original_and_no_partial_project() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // lint --fix: the fixed file is larger than the limit allows.
    let padding = "# padding\n".repeat(2_000);
    let original = format!("{FIXABLE}{padding}");
    let file = write(dir, "conf.nix", &original);
    let mut c = nixvm();
    c.args(["lint", "--fix"]).arg(&file);
    let out = with_file_limit(c, original.len() as u64);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("conf.nix"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    let names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["conf.nix"], "a temporary file was left behind");

    // init: the project cannot be written whole, so it is not written.
    let config = write(dir, "server.nix", "{ ... }: { networking.hostName = \"web\"; }\n");
    let mut c = nixvm();
    c.args(["init", "--no-lock", "--from"]).arg(&config).arg("--dir").arg(dir.join("proj"));
    let out = with_file_limit(c, 200);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let left: Vec<_> =
        snapshot(&dir.join("proj")).into_iter().filter(|(p, _)| !p.starts_with(dir.join("proj/.git"))).collect();
    assert_eq!(left, vec![], "init left a partial project");
}

/// `lint --fix` killed at any moment: the file is the original or the
/// whole fixed text, never a mix or a truncation.
#[test]
fn killing_fix_mid_write_never_truncates_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("big.nix");
    let body: String = (0..5_000).map(|i| format!("  services.s{i}.enable = true;\n")).collect();
    let original = format!("{{ lib, ... }}:\n{{\n  services.timesyncd.enable = true;\n{body}}}\n");
    let fixed = original.replacen("timesyncd.enable = true", "timesyncd.enable = lib.mkDefault true", 1);
    // How long a whole run takes; the kills spread over a bit more.
    // (The slower of two runs: other tests load the machine too.)
    let mut whole = std::time::Duration::ZERO;
    for _ in 0..2 {
        std::fs::write(&file, &original).unwrap();
        let started = std::time::Instant::now();
        assert!(nixvm().args(["lint", "--fix"]).arg(&file).output().unwrap().status.code() == Some(0));
        whole = whole.max(started.elapsed());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), fixed);
    }
    let mut outcomes = std::collections::BTreeSet::new();
    for i in 0..30u32 {
        std::fs::write(&file, &original).unwrap();
        let mut child = nixvm().args(["lint", "--fix"]).arg(&file).spawn().unwrap();
        // From at once to twice a whole run.
        let at = whole * i / 15;
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read_to_string(&file).unwrap();
        assert!(now == original || now == fixed, "after a kill at {at:?} the file is neither (len {})", now.len());
        outcomes.insert(now == fixed);
    }
    // The kills landed both before and after the rename (the test is not vacuous).
    assert_eq!(outcomes.len(), 2, "every kill landed on the same side: {outcomes:?}");
}
