//! How many times each command calls Nix, counted through a logging
//! wrapper around the Nix on PATH: the counts are part of what a command
//! costs (each evaluation of a real NixOS system takes seconds), and must
//! not grow with the Nix version (no `nix --version` per command).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A directory of wrappers for nix and its companions that log each call
/// to `log` and run the real one beside `nix`.
fn wrappers(tmp: &Path, nix: &Path, log: &Path) -> PathBuf {
    let dir = tmp.join("wrappers");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["nix", "nix-copy-closure", "nix-store", "nix-build", "nix-instantiate", "nix-env"] {
        let real = nix.with_file_name(name);
        let script = format!(
            "#!/bin/sh\nprintf '%s\\n' \"{name} $*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.display()
        );
        common::write_script(&dir.join(name), &script);
    }
    dir
}

#[test]
fn each_command_calls_nix_a_fixed_number_of_times() {
    let Some(nix) = common::nix("each_command_calls_nix_a_fixed_number_of_times") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("calls.log");
    let path = format!("{}:{}", wrappers(tmp.path(), &nix, &log).display(), std::env::var("PATH").unwrap());
    let proj = tmp.path().join("proj");
    let calls = |args: &[&str], with_stub: bool| -> Vec<String> {
        std::fs::write(&log, "").unwrap();
        let mut c = Command::new(env!("CARGO_BIN_EXE_nixvm"));
        c.env("PATH", &path).env("NIXVM_STUB_SLEEP", "60").args(args).arg("--dir").arg(&proj);
        if with_stub {
            c.args(common::stub_flags());
        }
        let out = c.output().unwrap();
        assert!(out.status.success(), "nixvm {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        // `nix eval`, `nix flake metadata`: the program and its subcommand.
        let log = std::fs::read_to_string(&log).unwrap();
        log.lines()
            .map(|l| {
                let l = l.replacen(" --extra-experimental-features nix-command flakes", "", 1);
                let words: Vec<&str> = l.split(' ').take_while(|w| !w.starts_with('-')).take(3).collect();
                words.join(" ")
            })
            .collect()
    };
    let init = Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .env("PATH", &path)
        .args(["init", "--no-lock", "--network"])
        .arg(common::fixtures().join("init/networks/build-vms.nix"))
        .arg("--dir")
        .arg(&proj)
        .output()
        .unwrap();
    assert!(init.status.success());
    let (eval, build, metadata) = ("nix eval", "nix build", "nix flake metadata");
    // Two machines: one evaluation lists them, one per machine (in
    // parallel), one build for all; one machine named: one evaluation.
    assert_eq!(calls(&["build"], true), [eval, eval, eval, build]);
    assert_eq!(calls(&["build", "server"], true), [eval, build]);
    // up: then a GC root for each VM it starts (`run` gets its root from
    // its one build).
    assert_eq!(calls(&["up"], true), [eval, eval, eval, build, "nix-store", "nix-store"]);
    // One machine named, running already: its one evaluation, nothing built.
    assert_eq!(calls(&["up", "server"], true), [eval]);
    assert_eq!(calls(&["status"], true), [eval, eval, eval]);
    assert_eq!(calls(&["down"], false), Vec::<String>::new());
    // check: the machine list, the source path, then each machine once, on
    // hardware and as a VM in one evaluation.
    assert_eq!(calls(&["check"], true), [eval, metadata, eval, eval]);
    assert_eq!(calls(&["clean"], false), Vec::<String>::new());
}

/// A build that meets an eval cache another nix was writing (Nix before
/// 2.11: "attribute ... is unexpectedly missing") is done once more
/// without the cache, and only then; other failures are not retried.
#[test]
fn a_build_meeting_a_half_written_eval_cache_is_retried_without_it() {
    let Some(nix) = common::nix("a_build_meeting_a_half_written_eval_cache_is_retried_without_it") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("calls.log");
    let dir = tmp.path().join("wrappers");
    std::fs::create_dir_all(&dir).unwrap();
    // `nix build` fails as Nix 2.8 does on such a cache unless told not to
    // use it; everything else is the real nix.
    let script = format!(
        r#"#!/bin/sh
printf '%s\n' "$*" >> '{log}'
case " $* " in
  *" build "*" --no-eval-cache "*) ;;
  *" build "*) echo '@nix {{"action":"msg","level":0,"msg":"error: attribute '"'"'packages.x86_64-linux.vm-relay'"'"' is unexpectedly missing"}}' >&2; exit 1 ;;
esac
exec '{nix}' "$@"
"#,
        log = log.display(),
        nix = nix.display()
    );
    common::write_script(&dir.join("nix"), &script);
    let path = format!("{}:{}", dir.display(), std::env::var("PATH").unwrap());
    let proj = common::init_project(&tmp.path().join("proj"), "--from", "init/server/configuration.nix");
    let out = Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .env("PATH", &path)
        .args(["run", "relay", "--dir"])
        .arg(&proj)
        .args(common::stub_flags())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("building again without it"), "{stderr}");
    let builds: Vec<String> =
        std::fs::read_to_string(&log).unwrap().lines().filter(|l| l.contains(" build ")).map(str::to_string).collect();
    assert_eq!(builds.len(), 2, "{builds:?}");
    assert!(!builds[0].contains("--no-eval-cache") && builds[1].contains("--no-eval-cache"), "{builds:?}");
}
