//! Before/after pairs for every fix (`tests/fixtures/fix/NAME.before.nix`
//! -> `NAME.after.nix`), in-process: the fix is exact, lossless, idempotent,
//! and Nix itself parses the result. Set `NIXVM_BLESS=1` to rewrite the
//! `.after.nix` files from the current behaviour (then review the diff).

mod common;

use nixvm::lint::LintOptions;
use nixvm::rewrite::fix_text;
use std::path::PathBuf;

fn pairs() -> Vec<(String, PathBuf, PathBuf)> {
    let dir = common::fixtures().join("fix");
    let mut out = vec![];
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".before.nix") {
            out.push((stem.to_string(), path.clone(), dir.join(format!("{stem}.after.nix"))));
        }
    }
    out.sort();
    assert!(out.len() >= 10, "fixture pairs are missing");
    out
}

#[test]
fn every_fix_matches_its_after_file_and_is_idempotent() {
    let options = LintOptions::new(nixvm::lint::Release::NEWEST, false);
    let bless = std::env::var_os("NIXVM_BLESS").is_some();
    for (name, before, after) in pairs() {
        let input = std::fs::read_to_string(&before).unwrap();
        let out = fix_text(&input, &options);
        if bless {
            std::fs::write(&after, &out.text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&after).unwrap_or_else(|_| panic!("{name}: missing {after:?}"));
        assert_eq!(out.text, expected, "{name}: fixed text differs from {after:?}");
        assert!(out.refused.is_empty(), "{name}: refused {:?}", out.refused);
        assert!(out.remaining.iter().all(|d| d.fix.is_none()), "{name}: fixable findings left: {:?}", out.remaining);
        let again = fix_text(&out.text, &options);
        assert_eq!(again.text, out.text, "{name}: a second --fix changed the file");
        assert!(again.applied.is_empty(), "{name}: second run applied {:?}", again.applied);
    }
}

#[test]
fn fixes_keep_line_endings_and_the_final_newline() {
    let options = LintOptions::default();
    for (name, before, _) in pairs() {
        let input = std::fs::read_to_string(&before).unwrap();
        let out = fix_text(&input, &options);
        let crlf_in = input.matches("\r\n").count() == input.matches('\n').count();
        let crlf_out = out.text.matches("\r\n").count() == out.text.matches('\n').count();
        assert_eq!(crlf_in, crlf_out, "{name}: line endings changed");
        assert_eq!(input.ends_with('\n'), out.text.ends_with('\n'), "{name}: final newline changed");
    }
}

#[test]
fn nix_parses_every_fixed_file() {
    let Some(nix) = common::nix_instantiate("nix_parses_every_fixed_file") else { return };
    for (name, before, after) in pairs() {
        for file in [&before, &after] {
            let text = std::fs::read_to_string(file).unwrap();
            if let Err(e) = common::nix_parses(&nix, &text) {
                panic!("{name}: Nix does not parse {file:?}: {e}");
            }
        }
    }
}
