//! Which Nix the suite runs on. Tests that spawn Nix use whichever `nix`
//! is first on PATH; `.ci/run` runs the suite once with Debian 12's Nix 2.8
//! and once with Debian 13's (`.ci/trixie-nix`), and says which it expects
//! in NIXVM_EXPECT_NIX, so a run cannot silently test the wrong one.

mod common;

use nixvm::nix::Version;
use std::io::Write;
use std::process::Command;

fn version_of(program: &std::path::Path) -> Option<Version> {
    let out = Command::new(program).arg("--version").output().ok()?;
    Version::parse(&String::from_utf8_lossy(&out.stdout))
}

#[test]
fn the_suite_says_which_nix_it_runs_on() {
    let Some(nix) = common::nix("the_suite_says_which_nix_it_runs_on") else { return };
    let version = version_of(&nix).unwrap_or_else(|| panic!("{} printed no version", nix.display()));
    // Written past the test harness's capture, so every run shows it.
    let mut err = std::io::stderr();
    let _ = writeln!(err, "\nnix tests run on Nix {version} ({})", nix.display());
    if let Ok(expected) = std::env::var("NIXVM_EXPECT_NIX") {
        let expected = Version::parse(&expected).expect("NIXVM_EXPECT_NIX is a version");
        assert_eq!(
            (version.major, version.minor),
            (expected.major, expected.minor),
            "expected Nix {expected} first on PATH"
        );
    } else if version < (Version { major: 2, minor: 18, patch: 0 }) && !common::in_ci() {
        let _ = writeln!(
            err,
            "note: only Nix {version} tested; `PATH=\"$(.ci/trixie-nix):$PATH\" cargo test` runs the suite on current Nix too"
        );
    }
    // The commands nixvm and the tests call by name are the same Nix.
    let dir = nix.parent().unwrap();
    for name in ["nix-instantiate", "nix-store", "nix-build", "nix-copy-closure", "nix-env"] {
        assert_eq!(version_of(&dir.join(name)), Some(version), "{name} beside {}", nix.display());
    }
}
