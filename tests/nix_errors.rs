//! Golden tests of the Nix error parser over messages in the formats of Nix
//! 2.8 and later (plain, coloured, with traces, internal-json) in
//! tests/fixtures/nix-errors/. `cargo insta review` updates the snapshots.

use nixvm::nix::message::parse_stderr;

#[test]
fn nix_messages_are_classified() {
    insta::glob!("fixtures/nix-errors/*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let parsed = parse_stderr(&text);
        assert_eq!(parsed.len(), 1, "one error in {path:?}");
        insta::assert_yaml_snapshot!(parsed[0]);
    });
}
