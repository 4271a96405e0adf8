//! The properties every input must keep, shared by the fuzz targets
//! (fuzz/fuzz_targets/*.rs include this file) and the test that replays
//! their regression corpus (tests/fuzz_regressions.rs). Each function
//! panics when a property fails.
#![allow(dead_code)]

use nixvm::lint::{lint_text, LintOptions};
use nixvm::rewrite::fix_text;
use nixvm::syntax;
use nixvm::text::{Edit, Span};

/// The fuzz inputs as text: lossy, so every input says something.
pub fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn in_text(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end),
        "{what} {span:?} is not a range of the {}-byte text",
        text.len()
    );
}

/// Lint never panics; every finding and fix points into the text.
pub fn lint(text: &str) {
    for d in lint_text(text, &LintOptions::default()) {
        in_text(text, d.span, d.code.as_str());
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            in_text(text, e.range, "a fix's edit");
        }
    }
}

/// Fixing: a file that does not parse is left alone; one that parses still
/// parses; only the edited ranges change, step by step; a second run
/// changes nothing.
pub fn fix(text: &str) {
    let options = LintOptions::default();
    let out = fix_text(text, &options);
    if !syntax::parse(text).is_ok() {
        assert_eq!(out.text, text, "a file with syntax errors was rewritten");
        return;
    }
    let errors = syntax::parse(&out.text).errors;
    assert!(errors.is_empty(), "the fixed text does not parse: {errors:?}\n{}", out.text);
    let mut before = text.to_string();
    for edits in &out.rounds {
        before = only_edits_changed(&before, edits);
    }
    assert_eq!(before, out.text, "the text changed beyond the recorded edits");
    let again = fix_text(&out.text, &options);
    assert_eq!(again.text, out.text, "fixing twice changed the text the second time");
}

/// `edits` applied to `before`, checking by hand (not with the engine's
/// own function) that every byte outside them is copied.
fn only_edits_changed(before: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    sorted.dedup();
    let mut after = String::new();
    let mut at = 0;
    for e in sorted {
        in_text(before, e.range, "an applied edit");
        assert!(e.range.start >= at, "overlapping edits were applied: {edits:?}");
        after.push_str(&before[at..e.range.start]);
        after.push_str(&e.replacement);
        at = e.range.end;
    }
    after.push_str(&before[at..]);
    after
}

/// Reading a file as a network never panics; what it names lies in it.
pub fn network(text: &str) {
    let parsed = syntax::parse(text);
    match syntax::read_network(&parsed) {
        Ok(analysis) => {
            let network = analysis.network.expect("a network read as one has machines");
            assert!(!network.machines.is_empty());
            for m in &network.machines {
                in_text(text, m.name_span, "a machine name");
                in_text(text, m.span, "a machine");
            }
        }
        Err(e) => in_text(text, e.span, "the network error"),
    }
    let _ = syntax::analyze(&parsed);
}

/// Nix's stderr, however mangled, is read without panicking: messages,
/// progress events, and the finding a message maps to.
pub fn nix_output(text: &str) {
    let messages = nixvm::nix::message::parse_stderr(text);
    let _ = nixvm::nix::message::parse_message(text);
    let mut progress = nixvm::nix::Progress::new();
    for line in text.lines() {
        progress.feed(line);
    }
    let read = |_: &str| Some(text.to_string());
    for variant in [nixvm::check::Variant::Hardware, nixvm::check::Variant::Vm] {
        let cx = nixvm::check::Context { machine: "m", variant, source: "/nix/store/x-source", read: &read };
        for m in &messages {
            for f in nixvm::check::diagnose(&cx, m) {
                if f.file.is_some() {
                    in_text(text, f.diagnostic.span, "a finding");
                }
            }
        }
    }
    let _ = nixvm::nix::lock::locked_input(text, "nixpkgs", "/nix/store");
}
