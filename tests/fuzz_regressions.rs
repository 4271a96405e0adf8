//! Replays the fuzzers' regression corpus (tests/fuzz-corpus/TARGET/*: the
//! inputs `cargo fuzz` found interesting, minimised) through the same
//! properties the fuzz targets check, without a fuzzer.

#[path = "properties/mod.rs"]
mod properties;

use std::path::Path;

fn replay(target: &str, property: fn(&str)) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "{target}: the corpus has only {} inputs", inputs.len());
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        let text = properties::text_of(&bytes);
        // Run each on a thread of its own so that a failure names its input.
        let result = std::thread::Builder::new().stack_size(64 << 20).spawn(move || property(&text)).unwrap().join();
        assert!(result.is_ok(), "{target}: property failed on {}", input.display());
    }
}

#[test]
fn lint_corpus() {
    replay("lint", properties::lint);
}

#[test]
fn fix_corpus() {
    replay("fix", properties::fix);
}

#[test]
fn network_corpus() {
    replay("network", properties::network);
}

#[test]
fn nix_output_corpus() {
    replay("nix_output", properties::nix_output);
}
