//! The security pass: names and paths with spaces, quotes, `$()` and
//! newlines never reach a shell, and every value nixvm renders into Nix
//! comes back unchanged from `nix-instantiate --eval`.

mod common;

use std::path::Path;
use std::process::Command;

fn nixvm() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nixvm"));
    c.env("NO_COLOR", "1");
    c
}

/// A file name that would create `pwned-TAG` in the working directory if
/// any shell ever saw it.
fn hostile(tag: &str) -> String {
    format!("it's \"{tag}\" $(touch pwned-{tag}) `touch pwned-{tag}` ${{x}}\nline")
}

fn pwned(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect()
}

#[test]
fn hostile_file_and_directory_names_are_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let config = dir.join(format!("{}.nix", hostile("file")));
    std::fs::write(&config, "{ ... }: {\n  networking.hostName = \"web\";\n  services.timesyncd.enable = true;\n}\n")
        .unwrap();
    let proj = dir.join(hostile("dir"));
    let out = nixvm()
        .current_dir(&dir)
        .args(["init", "--no-lock", "--from"])
        .arg(&config)
        .arg("--dir")
        .arg(&proj)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    // lint --fix on the copy, by its hostile name.
    let copy = proj.join("machines/web").join(config.file_name().unwrap());
    let out = nixvm().current_dir(&dir).args(["lint", "--fix"]).arg(&copy).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(&copy).unwrap().contains("lib.mkDefault true"));
    assert_eq!(pwned(&dir), Vec::<String>::new(), "a name reached a shell");

    let Some(nix_instantiate) = common::nix_instantiate("hostile_file_and_directory_names_are_data") else { return };
    // Every generated file parses; machines.nix names the copy exactly.
    for f in ["flake.nix", "machines.nix", "default.nix", "nixvm/vm.nix"] {
        let text = std::fs::read_to_string(proj.join(f)).unwrap();
        common::nix_parses(&nix_instantiate, &text).unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    let out = Command::new(&nix_instantiate)
        .args(["--eval", "--strict", "--json", "-E"])
        .arg("let m = import ./machines.nix; in [ (toString m.web) (builtins.pathExists m.web) ]")
        .current_dir(&proj)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0].as_str().map(Path::new), Some(copy.as_path()));
    assert_eq!(v[1], true);
    assert_eq!(pwned(&dir), Vec::<String>::new(), "a name reached a shell");
}

#[test]
fn hostile_machine_names_on_the_command_line_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let config = dir.join("configuration.nix");
    std::fs::write(&config, "{ ... }: { }\n").unwrap();
    let name = "a$(touch pwned)".to_string();
    let init = nixvm()
        .current_dir(&dir)
        .args(["init", "--no-lock", "--name", &name, "--from"])
        .arg(&config)
        .arg("--dir")
        .arg(dir.join("proj"))
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(2));
    assert!(!dir.join("proj").exists());
    // A project to run the machine commands in.
    let ok =
        nixvm().args(["init", "--no-lock", "--from"]).arg(&config).arg("--dir").arg(dir.join("p")).output().unwrap();
    assert_eq!(ok.status.code(), Some(0));
    for command in [vec!["ssh", &name], vec!["deploy", &name], vec!["down", &name], vec!["clean", &name]] {
        let out = nixvm().current_dir(&dir).args(&command).arg("--dir").arg(dir.join("p")).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is not a machine name"), "{command:?}: {err}");
    }
    assert_eq!(pwned(&dir), Vec::<String>::new());
}

/// Strings that break naive escaping in Nix.
const NASTY: &[&str] = &[
    "${x}",
    "$${x}",
    "\\${x}",
    "$",
    "a$",
    "''",
    "'''",
    "''${x}",
    "\"",
    "\\",
    "\\\\\"",
    "line\nbreak",
    "cr\r\nlf",
    "tab\there",
    "$(touch pwned)",
    "`touch pwned`",
    "unicode: é ✓ \u{2028}",
    "",
];

/// `exprs` evaluated by Nix, as JSON.
fn nix_eval(nix_instantiate: &Path, expr: &str) -> serde_json::Value {
    let out = Command::new(nix_instantiate).args(["--eval", "--strict", "--json", "-E", expr]).output().unwrap();
    assert!(out.status.success(), "{}\n{expr}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn escaped_strings_and_names_round_trip_through_nix() {
    let Some(nix_instantiate) = common::nix_instantiate("escaped_strings_and_names_round_trip_through_nix") else {
        return;
    };
    // Fixed nasty strings, then random ones (one nix call for all).
    let mut strings: Vec<String> = NASTY.iter().map(|s| s.to_string()).collect();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = proptest::string::string_regex("[\\x00-\\x7f$\\\\\"'{}\\n\\r\\té✓]{0,12}").unwrap();
    for _ in 0..300 {
        use proptest::strategy::{Strategy, ValueTree};
        strings.push(strategy.new_tree(&mut runner).unwrap().current());
    }
    // Nix strings cannot hold NUL.
    strings.retain(|s| !s.contains('\0'));

    let literals: Vec<String> = strings.iter().map(|s| nixvm::nixstr::string_literal(s)).collect();
    let list = format!("[ {} ]", literals.join(" "));
    let back = nix_eval(&nix_instantiate, &list);
    let back: Vec<String> = serde_json::from_value(back).unwrap();
    assert_eq!(back, strings);

    // As attribute names (set keys and attribute paths).
    let mut names: Vec<String> = strings.iter().filter(|s| !s.is_empty()).cloned().collect();
    names.sort();
    names.dedup();
    let set: String = names.iter().map(|n| format!("{} = 1; ", nixvm::nixstr::attr_name(n))).collect();
    let back = nix_eval(&nix_instantiate, &format!("builtins.attrNames {{ {set}}}"));
    let back: Vec<String> = serde_json::from_value(back).unwrap();
    assert_eq!(back, names);
    let nested: String =
        names.iter().enumerate().map(|(i, n)| format!("k{i}.{} = {i}; ", nixvm::nixstr::attr_name(n))).collect();
    let back =
        nix_eval(&nix_instantiate, &format!("map (k: builtins.attrNames k) (builtins.attrValues {{ {nested}}})"));
    let back: Vec<Vec<String>> = serde_json::from_value(back).unwrap();
    assert_eq!(back.concat().len(), names.len());
}

#[test]
fn a_header_comment_cannot_end_early() {
    let Some(nix_instantiate) = common::nix_instantiate("a_header_comment_cannot_end_early") else { return };
    let words: Vec<String> =
        ["nixvm", "init", "--from", "x\n{ outputs = throw \"injected\"; }\r#", "--dir", "y\u{2028}z"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let header = nixvm::render::command_line(&words);
    let text = format!("# Generated by `{header}`\n42\n");
    assert_eq!(nix_eval(&nix_instantiate, &text), 42);
}

/// No subprocess goes through a shell on this host: nixvm's source never
/// starts one.
#[test]
fn nixvm_never_starts_a_shell() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut offenders = vec![];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for needle in [
                    "Command::new(\"sh\")",
                    "Command::new(\"/bin/sh\")",
                    "Command::new(\"bash\")",
                    ".arg(\"-c\")",
                    "\"-c\",",
                ] {
                    if text.contains(needle) {
                        offenders.push(format!("{}: {needle}", p.display()));
                    }
                }
            }
        }
    }
    assert_eq!(offenders, Vec::<String>::new());
}

/// Words in the guest commands of `nixvm test` reach the guest's bash
/// whole, whatever the script's text holds.
#[test]
fn test_commands_quote_any_text() {
    for text in ["a'b", "$(id)", "`id`", "a\nb", "\\'", "'; exit 3; '", "\"$@\"", ""] {
        let line = format!("printf %s {}", nixvm::runtime::test::quote(text));
        let out = std::process::Command::new("bash").args(["-c", &line]).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), text, "{line}");
    }
}
