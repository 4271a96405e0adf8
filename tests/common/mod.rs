//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod sshd;

/// The fixture directory.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Whether tests run in CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// A program from PATH that some tests need. In CI its absence fails the
/// test; elsewhere the test says it skips and why.
pub fn required_tool(program: &str, test: &str) -> Option<PathBuf> {
    let found =
        std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(program)).find(|c| c.is_file()));
    match found {
        Some(p) => Some(p),
        None if in_ci() => panic!("{test}: {program} is required in CI (.ci/run installs it)"),
        None => {
            eprintln!("SKIPPED {test}: {program} not found on PATH (.ci/run names the Debian package to install)");
            None
        }
    }
}

/// `nix-instantiate`, as `required_tool`.
pub fn nix_instantiate(test: &str) -> Option<PathBuf> {
    required_tool("nix-instantiate", test)
}

/// Check that Nix itself parses `text`; returns Nix's error otherwise.
pub fn nix_parses(nix_instantiate: &Path, text: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("check.nix");
    std::fs::write(&file, text).map_err(|e| e.to_string())?;
    let out = Command::new(nix_instantiate).arg("--parse").arg(&file).output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The stub nixpkgs flake the generated flakes are tested against.
pub fn stub_nixpkgs() -> PathBuf {
    fixtures().join("stub-nixpkgs")
}

/// `nixvm init --no-lock KIND FIXTURE --dir PROJ` (KIND `--from` or
/// `--network`, FIXTURE under tests/fixtures or an absolute path), which
/// must succeed; PROJ.
pub fn init_project(proj: &Path, kind: &str, fixture: impl AsRef<Path>) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .args(["init", "--no-lock", kind])
        .arg(fixtures().join(fixture))
        .arg("--dir")
        .arg(proj)
        .output()
        .expect("run nixvm init");
    assert!(out.status.success(), "nixvm init failed: {}", String::from_utf8_lossy(&out.stderr));
    proj.to_path_buf()
}

/// The nix flags that make nixvm's commands use the stub, offline.
pub fn stub_flags() -> Vec<String> {
    vec!["--offline".into(), "--override-input".into(), "nixpkgs".into(), format!("path:{}", stub_nixpkgs().display())]
}

/// `nixvm ARGS --dir PROJ` with the stub's flags and no colours, run.
pub fn nixvm_in(proj: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .env("NO_COLOR", "1")
        .args(args)
        .arg("--dir")
        .arg(proj)
        .args(stub_flags())
        .output()
        .expect("run nixvm")
}

/// `nixvm test ARGS --dir PROJ` with the stub's flags and no colours: the
/// command, for the caller to add to (the stub's environment) and run.
pub fn nixvm_test<S: AsRef<std::ffi::OsStr>>(proj: &Path, args: impl IntoIterator<Item = S>) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"));
    c.env("NO_COLOR", "1").arg("test").args(args).arg("--dir").arg(proj).args(stub_flags());
    c
}

/// `--override-input NAME path:tests/fixtures/stub-NAME` for each of
/// `inputs`: the stubs of third-party flakes (sops-nix, agenix, disko,
/// impermanence) as a user's flake's inputs.
pub fn stub_inputs(inputs: &[&str]) -> Vec<String> {
    inputs
        .iter()
        .flat_map(|input| {
            [
                "--override-input".to_string(),
                input.to_string(),
                format!("path:{}", fixtures().join(format!("stub-{input}")).display()),
            ]
        })
        .collect()
}

/// An executable script at `path` (a stand-in or a wrapper for a program).
pub fn write_script(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Stops the machines of the project or flake at its path however the
/// test ends.
pub struct Down(pub PathBuf);

impl Drop for Down {
    fn drop(&mut self) {
        let _ =
            Command::new(env!("CARGO_BIN_EXE_nixvm")).args(["down", "--timeout", "2", "--dir"]).arg(&self.0).output();
    }
}

/// The `nix` CLI with a store it can write to, as `required_tool`. In a
/// Nix build's sandbox (the check phase of nixvm's own package) nix is
/// there but no store it can use: no daemon to reach, a read-only
/// /nix/store. The tests that evaluate and build cannot run there.
pub fn nix(test: &str) -> Option<PathBuf> {
    let nix = required_tool("nix", test)?;
    match store_problem(&nix) {
        None => Some(nix),
        Some(why) if in_ci() => panic!("{test}: nix cannot use its store, which CI needs: {why}"),
        Some(why) => {
            eprintln!("SKIPPED {test}: nix cannot use its store here ({why})");
            None
        }
    }
}

/// Why `nix` cannot add a file to its store, if it cannot: asked once per
/// test binary.
fn store_problem(nix: &Path) -> Option<String> {
    static PROBLEM: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    PROBLEM
        .get_or_init(|| {
            let probe = Command::new(nix)
                .args(["--extra-experimental-features", "nix-command", "eval", "--raw", "--expr"])
                .arg("builtins.toFile \"nixvm-store-probe\" \"ok\"")
                .output();
            match probe {
                Ok(out) if out.status.success() => None,
                Ok(out) => {
                    let err = String::from_utf8_lossy(&out.stderr);
                    Some(err.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("it failed").trim().to_string())
                }
                Err(e) => Some(e.to_string()),
            }
        })
        .clone()
}

/// `nix ARGS` in `dir`, offline, flakes on, nixpkgs replaced by the stub.
/// Returns (success, stdout, stderr).
pub fn nix_flake(nix: &Path, dir: &Path, args: &[&str]) -> (bool, String, String) {
    // Flags go after the subcommand and before any `--` (the program's own arguments).
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let (command, program_args) = args.split_at(split);
    let stub = format!("path:{}", stub_nixpkgs().display());
    let flags = ["--offline", "--override-input", "nixpkgs", stub.as_str()];
    nix_flake_raw(nix, dir, &[command, &flags, program_args].concat())
}

/// `nix ARGS` in `dir` with the flake features on and the eval cache off
/// (tests run at once on flakes with the same files, and Nix 2.8's cache
/// is not safe to share between processes): (success, stdout, stderr).
pub fn nix_flake_raw(nix: &Path, dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(nix)
        .current_dir(dir)
        .args(["--extra-experimental-features", "nix-command flakes", "--no-eval-cache"])
        .args(args)
        .output()
        .expect("run nix");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Copy a directory tree (files and directories only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `git ARGS` in `dir` (with an identity for commits), which must succeed.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=nixvm tests", "-c", "user.email=tests@nixvm.invalid"])
        .args(args)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// `tests/fixtures/flakes/NAME` as a user's repository: copied to
/// `TMP/infra`, committed.
pub fn fixture_repo(tmp: &Path, name: &str) -> PathBuf {
    let dir = tmp.join("infra");
    copy_tree(&fixtures().join("flakes").join(name), &dir);
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "the servers"]);
    dir
}

/// `git status --porcelain` in `dir`.
pub fn git_status(dir: &Path) -> String {
    let out = Command::new("git").current_dir(dir).args(["status", "--porcelain"]).output().expect("run git");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether `link` is a GC root Nix knows (an indirect one: an entry of
/// /nix/var/nix/gcroots/auto pointing at it) and points into the store.
pub fn is_gc_root(link: &Path) -> bool {
    let Ok(target) = std::fs::read_link(link) else { return false };
    target.starts_with("/nix/store/")
        && std::fs::read_dir("/nix/var/nix/gcroots/auto")
            .map(|entries| entries.flatten().any(|e| std::fs::read_link(e.path()).is_ok_and(|t| t == link)))
            .unwrap_or(false)
}
