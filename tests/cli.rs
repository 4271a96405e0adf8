//! The `nixvm` binary as users run it: exit codes, output formats, and that
//! files are written only when asked, whole, and never broken.

mod common;

use assert_cmd::Command;
use std::path::Path;

fn nixvm() -> Command {
    let mut c = Command::cargo_bin("nixvm").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const CONFLICT: &str = "{ lib, ... }:\n{\n  services.timesyncd.enable = true;\n}\n";
const WARNING_ONLY: &str = "{ ... }: { imports = [ ./hardware-configuration.nix ]; }\n";
const CLEAN: &str = "{ lib, ... }: { services.timesyncd.enable = lib.mkDefault true; }\n";

#[test]
fn exit_codes_mean_clean_findings_and_failure() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(dir.path(), "clean.nix", CLEAN);
    let warn = write(dir.path(), "warn.nix", WARNING_ONLY);
    let err = write(dir.path(), "err.nix", CONFLICT);
    nixvm().args(["lint"]).arg(&clean).assert().code(0);
    nixvm().args(["lint"]).arg(&warn).assert().code(0);
    let out = nixvm().args(["lint"]).arg(&err).assert().code(1).get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("error[qemu-conflict]"), "{out}");
    assert!(out.contains("err.nix:3:3"), "{out}");
    assert!(out.contains("services.timesyncd.enable = true;"), "the source line is shown: {out}");
    nixvm()
        .args(["lint", "/definitely/not/here.nix"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("/definitely/not/here.nix"));
    nixvm().args(["lint", "--release", "24.13"]).arg(&clean).assert().code(2);
    nixvm().args(["lint", "--bogus"]).assert().code(2);
}

#[test]
fn syntax_errors_and_binary_files_are_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(dir.path(), "broken.nix", "{\n  a = 1\n}\n");
    let out = nixvm().args(["lint"]).arg(&broken).assert().code(1).get_output().stdout.clone();
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("broken.nix:2:8") && out.contains("a `;` is missing at the end of line 2"), "{out}");
    let bin = dir.path().join("bin.nix");
    std::fs::write(&bin, b"{ a = \"\xff\xfe\"; }").unwrap();
    let out = nixvm().args(["lint"]).arg(&bin).assert().code(1).get_output().stdout.clone();
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("bin.nix:1:8") && out.contains("not UTF-8"), "{out}");
    let empty = write(dir.path(), "empty.nix", "");
    nixvm().args(["lint"]).arg(&empty).assert().code(1);
}

#[test]
fn json_output_follows_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "c.nix", CONFLICT);
    let out = nixvm().args(["lint", "--format", "json"]).arg(&f).assert().code(1).get_output().stdout.clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["version"], 2);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1);
    let d = &diags[0];
    assert_eq!(d["file"], f.to_str().unwrap());
    assert_eq!(d["code"], "qemu-conflict");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["option"], "services.timesyncd.enable");
    assert!(d["message"].as_str().unwrap().contains("conflicting"));
    assert!(d["help"].is_string());
    let start = &d["range"]["start"];
    assert_eq!(
        (start["offset"].as_u64(), start["line"].as_u64(), start["column"].as_u64()),
        (Some(18), Some(3), Some(3))
    );
    let end = &d["range"]["end"];
    assert_eq!((end["offset"].as_u64(), end["line"].as_u64(), end["column"].as_u64()), (Some(43), Some(3), Some(28)));
    let edit = &d["fix"]["edits"][0];
    assert_eq!(edit["replacement"], "lib.mkDefault ");
    assert_eq!(edit["range"]["start"]["offset"], 46);
    // Nothing else on stdout: the document parses whole.
    let clean = write(dir.path(), "ok.nix", CLEAN);
    let out = nixvm().args(["lint", "--format", "json"]).arg(&clean).assert().code(0).get_output().stdout.clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn fix_writes_atomically_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "configuration.nix", CONFLICT);
    let out = nixvm().args(["lint", "--dry-run"]).arg(&f).assert().code(1).get_output().stdout.clone();
    let diff = String::from_utf8(out).unwrap();
    assert!(diff.contains("-  services.timesyncd.enable = true;"), "{diff}");
    assert!(diff.contains("+  services.timesyncd.enable = lib.mkDefault true;"), "{diff}");
    // The findings come with the diff.
    assert!(diff.contains("error[qemu-conflict]"), "{diff}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), CONFLICT, "--dry-run wrote the file");
    // A file that does not parse is left alone, and says so with its error.
    let broken = write(dir.path(), "broken.nix", "{ a = 1 }\n");
    let out = nixvm().args(["lint", "--fix", "--dry-run"]).arg(&broken).assert().code(1).get_output().clone();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("a `;` is missing before `}`"), "{stdout}");
    assert!(stderr.contains("not fixed: ") && stderr.contains("broken.nix does not parse"), "{stderr}");
    std::fs::remove_file(&broken).unwrap();

    nixvm().args(["lint", "--fix"]).arg(&f).assert().code(0);
    let fixed = std::fs::read_to_string(&f).unwrap();
    assert_eq!(fixed, "{ lib, ... }:\n{\n  services.timesyncd.enable = lib.mkDefault true;\n}\n");
    nixvm().args(["lint", "--fix"]).arg(&f).assert().code(0);
    assert_eq!(std::fs::read_to_string(&f).unwrap(), fixed, "a second --fix changed the file");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "temporary files left behind: {names:?}");
}

#[test]
fn fix_refuses_read_only_files_and_keeps_them() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "ro.nix", CONFLICT);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
    nixvm().args(["lint", "--fix"]).arg(&f).assert().code(2).stderr(predicates::str::contains("read-only"));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), CONFLICT);
}

#[test]
fn directories_are_walked_for_nix_files_respecting_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::create_dir_all(dir.path().join("ignored")).unwrap();
    write(dir.path(), ".gitignore", "ignored/\n");
    write(&dir.path().join("sub"), "a.nix", CONFLICT);
    write(&dir.path().join("ignored"), "b.nix", CONFLICT);
    write(dir.path(), "notes.txt", "{ services.timesyncd.enable = true; }");
    std::process::Command::new("git").arg("init").arg("-q").arg(dir.path()).status().unwrap();
    let out = nixvm().args(["lint", "--format", "json"]).arg(dir.path()).assert().code(1).get_output().stdout.clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let files: Vec<&str> = doc["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("sub/a.nix"));
}

#[test]
fn explain_prints_the_lint_documentation() {
    let out = nixvm().args(["explain", "qemu-conflict"]).assert().code(0).get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("qemu-conflict (error)"), "{out}");
    assert!(out.contains("lib.mkDefault"), "{out}");
    assert!(out.contains("Example:"), "{out}");
    let list = nixvm().args(["explain"]).assert().code(0).get_output().stdout.clone();
    let list = String::from_utf8(list).unwrap();
    for lint in nixvm::lint::all() {
        assert!(list.contains(lint.meta().code.as_str()), "{} missing from the list", lint.meta().code);
    }
    // Aligned: every description starts in one column, and continues there.
    let column = list.lines().next().unwrap().find("the file").unwrap();
    for line in list.lines() {
        let (head, rest) = line.split_at(column);
        assert!(!rest.starts_with(' ') && (head.trim().is_empty() || head.ends_with("  ")), "{line:?}");
    }
    // Never cut: each summary is there whole, a sentence to its end.
    let joined = list.lines().map(|l| l[column..].to_string()).collect::<Vec<_>>().join(" ");
    for lint in nixvm::lint::all() {
        assert!(joined.contains(&lint.meta().summary()), "{}", lint.meta().summary());
    }
    nixvm().args(["explain", "no-such-lint"]).assert().code(2).stderr(predicates::str::contains("qemu-conflict"));
}

#[test]
fn deeply_nested_input_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{}1{}", "(".repeat(200_000), ")".repeat(200_000));
    let f = write(dir.path(), "deep.nix", &text);
    let out = nixvm().args(["lint"]).arg(&f).assert().code(1).get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&out).contains("nested too deeply"));
    let lists = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let f = write(dir.path(), "lists.nix", &lists);
    nixvm().args(["lint", "--fix"]).arg(&f).assert().code(1);
    assert_eq!(std::fs::read_to_string(&f).unwrap(), lists);
}

/// Every argument of every command says what it is for (`--help`,
/// completions and man pages show it).
#[test]
fn every_flag_has_help_text() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id != "help" && id != "version" && arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() && sub.get_name() != "help" {
                missing.push(format!("{path} {} (the command)", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = vec![];
    let mut cmd = nixvm::cli::Cli::command();
    cmd.build();
    walk(&cmd, "nixvm", &mut missing);
    assert_eq!(missing, Vec::<String>::new());
}

#[test]
fn each_shell_gets_a_script_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "elvish"] {
        let out = nixvm().args(["completions", shell]).assert().code(0);
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        for command in ["lint", "init", "run", "up", "down", "ssh", "deploy", "status", "logs", "completions", "man"] {
            assert!(text.contains(command), "{shell}: no {command}");
        }
        assert!(text.contains("override-input"), "{shell}");
    }
    // bash reads its script without a syntax error.
    let bash = nixvm().args(["completions", "bash"]).assert().code(0).get_output().stdout.clone();
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "nixvm.bash", &String::from_utf8(bash).unwrap());
    let checked = std::process::Command::new("bash").arg("-n").arg(&script).output().expect("run bash");
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    let page = nixvm().args(["man", "run"]).assert().code(0);
    assert!(String::from_utf8_lossy(&page.get_output().stdout).contains(".TH nixvm-run 1"));
    // The page renders, where groff is there to render it.
    if let Ok(mut groff) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        groff.stdin.take().unwrap().write_all(&page.get_output().stdout).unwrap();
        let out = groff.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("console"), "{}", String::from_utf8_lossy(&out.stdout));
    } else {
        eprintln!("groff not found: the man page is checked as roff text only");
    }
    nixvm().args(["man", "nosuch"]).assert().code(2);
}

/// The project's flake installs a man page for every command.
#[test]
fn the_flake_installs_every_commands_page() {
    use clap::CommandFactory;
    let flake = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/flake.nix")).unwrap();
    let line = flake.lines().find(|l| l.trim_start().starts_with("for command in")).unwrap();
    let listed: Vec<&str> =
        line.split_whitespace().skip(3).take_while(|w| *w != "do").map(|w| w.trim_end_matches(';')).collect();
    let commands: Vec<String> = nixvm::cli::Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| c.get_name().to_string())
        .collect();
    assert_eq!(listed, commands);
}

/// `--min-severity` and `--quiet-notes` leave out the findings below a
/// severity, in both forms, and say how many; the exit code still follows
/// the errors.
#[test]
fn lint_can_leave_out_the_notes() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/every-lint.nix");
    let severities = |args: &[&str]| -> (Option<i32>, Vec<String>) {
        let out = nixvm().args(["lint", "--format", "json"]).args(args).arg(&file).output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut found: Vec<String> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["severity"].as_str().unwrap().to_string())
            .collect();
        found.dedup();
        found.sort();
        found.dedup();
        (out.status.code(), found)
    };
    let (code, all) = severities(&[]);
    assert_eq!(all, ["error", "note", "warning"], "the fixture has every severity");
    assert_eq!(severities(&["--quiet-notes"]), (code, vec!["error".to_string(), "warning".to_string()]));
    assert_eq!(severities(&["--min-severity", "warning"]), (code, vec!["error".to_string(), "warning".to_string()]));
    assert_eq!(severities(&["--min-severity", "error"]), (code, vec!["error".to_string()]));
    let all = nixvm().args(["lint", "--format", "json"]).arg(&file).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let notes = json["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == "note").count();
    assert!(notes > 0);
    let out = nixvm().args(["lint", "--quiet-notes"]).arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(" 0 notes in 1 file") && err.contains(&format!("({notes} below warning not shown)")), "{err}");
}

/// A reader that goes away (`nixvm explain | head -1`) ends nixvm
/// quietly, never with a panic.
#[test]
fn a_closed_stdout_is_no_panic() {
    use std::io::Read;
    // A pipe whose reading end is closed before nixvm starts: its first
    // line meets no reader.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"))
        .args(["explain"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.as_mut().unwrap().read_to_string(&mut err).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(status.code(), Some(2), "{err}");
}

/// A path that does not exist is an error entry in the JSON report (and
/// exit 2), not an empty document that looks clean.
#[test]
fn a_missing_path_is_an_error_in_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nosuch.nix");
    let out = nixvm().args(["lint", "--format", "json"]).arg(&missing).assert().code(2).get_output().stdout.clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json:#}");
    assert_eq!(errors[0]["path"], missing.display().to_string());
    assert!(errors[0]["message"].as_str().unwrap().contains("No such file"), "{json:#}");
}
