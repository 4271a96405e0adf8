//! Every `console` example of the README runs, as written, in a copy of
//! `examples/` with the stub nixpkgs, and shows the lines the README shows
//! (in order; `...` stands for lines left out, and a line ending in `...`
//! for the rest of that line). `cd DIR` and `&&` work as in a shell; nix
//! commands get the stub's flags (offline, nixpkgs overridden). The
//! `nixvm test` example is shown as `text`: its script needs a real NixOS
//! guest (nginx, PostgreSQL), which the stub does not have.

mod common;

use std::path::{Path, PathBuf};

/// A console example: commands, each with the lines the README shows after it.
fn examples(readme: &str) -> Vec<Vec<(String, Vec<String>)>> {
    let mut blocks = vec![];
    let mut current: Option<Vec<(String, Vec<String>)>> = None;
    for line in readme.lines() {
        match (&mut current, line) {
            (None, "```console") => current = Some(vec![]),
            (Some(_), "```") => blocks.push(current.take().unwrap()),
            (Some(block), l) => match l.strip_prefix("$ ") {
                Some(command) => block.push((command.to_string(), vec![])),
                None => block.last_mut().expect("output before any command").1.push(l.to_string()),
            },
            _ => {}
        }
    }
    blocks
}

/// Nix's subcommands that take the stub's flags.
const NIX_USING: &[&str] =
    &["build", "run", "up", "down", "ssh", "deploy", "check", "status", "test", "secrets", "logs", "clean"];

fn run(dir: &Path, command: &str) -> (i32, String) {
    let words: Vec<&str> = command.split_whitespace().collect();
    let mut c = match words[0] {
        "nixvm" => {
            let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_nixvm"));
            c.args(&words[1..]);
            if words.get(1).is_some_and(|w| NIX_USING.contains(w)) {
                c.args(common::stub_flags());
            }
            c
        }
        "nix" => {
            let mut c = std::process::Command::new("nix");
            c.args(["--extra-experimental-features", "nix-command flakes"])
                .args(&words[1..3])
                .args(common::stub_flags());
            c.args(&words[3..]);
            c
        }
        other => panic!("the README runs `{other}`, which this test does not know"),
    };
    // Both streams into one file, in the order they are written, as a
    // terminal shows them.
    let log = tempfile::tempfile().unwrap();
    let status = c
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(log.try_clone().unwrap())
        .stderr(log.try_clone().unwrap())
        .status()
        .unwrap();
    let mut text = String::new();
    let mut log = log;
    std::io::Seek::rewind(&mut log).unwrap();
    std::io::Read::read_to_string(&mut log, &mut text).unwrap();
    (status.code().unwrap_or(-1), text)
}

/// Whether `shown` (the README's lines) appear in `actual`, in order.
fn shows(actual: &str, shown: &[String]) -> Result<(), String> {
    let lines: Vec<&str> = actual.lines().map(str::trim_end).collect();
    let mut at = 0;
    for want in shown.iter().map(|l| l.trim_end()).filter(|l| *l != "...") {
        let matches = |l: &&str| match want.strip_suffix("...") {
            Some(start) => l.starts_with(start),
            None => *l == want,
        };
        match lines[at..].iter().position(matches) {
            Some(i) => at += i + 1,
            None => return Err(format!("the README shows `{want}`, which the output lacks (after line {at})")),
        }
    }
    Ok(())
}

#[test]
fn every_console_example_of_the_readme_runs_as_shown() {
    let Some(_) = common::nix("every_console_example_of_the_readme_runs_as_shown") else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let blocks = examples(&readme);
    assert!(blocks.len() >= 2, "{blocks:?}");
    for block in blocks {
        let tmp = tempfile::tempdir().unwrap();
        common::copy_tree(&root.join("examples"), &tmp.path().join("examples"));
        let mut dir: PathBuf = tmp.path().to_path_buf();
        for (line, shown) in &block {
            let mut text = String::new();
            for command in line.split("&&").map(str::trim) {
                if let Some(to) = command.strip_prefix("cd ") {
                    dir = dir.join(to);
                    assert!(dir.is_dir(), "README: `{command}`: no such directory");
                    continue;
                }
                let (code, out) = run(&dir, command);
                // Lint's examples show error-level findings (exit 1).
                assert!(
                    code == 0 || (code == 1 && command.starts_with("nixvm lint")),
                    "README: `{command}` exited {code}:\n{out}"
                );
                text.push_str(&out);
            }
            if let Err(e) = shows(&text, shown) {
                panic!("README: `{line}`: {e}:\n{text}");
            }
        }
    }
}
