//! Golden tests: the human report for every file in `tests/fixtures/lint`,
//! rendered in-process. Review changes with `cargo insta review`.

mod common;

use nixvm::cli::report::{human, FileReport};
use nixvm::lint::{lint_text, LintOptions, Release};

fn render(name: &str, text: &str, options: &LintOptions) -> String {
    let diagnostics = lint_text(text, options);
    let reports = [FileReport::new(name.to_string(), text.to_string(), diagnostics)];
    let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    human(&mut out, &reports).unwrap();
    String::from_utf8(out.into_inner()).unwrap()
}

#[test]
fn lint_fixtures() {
    let options = LintOptions { host_system: "x86_64-linux".into(), ..LintOptions::new(Release::NEWEST, false) };
    insta::glob!("fixtures/lint/*.nix", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        insta::assert_snapshot!(render(&name, &text, &options));
    });
}

/// A whole repository as `nixvm lint DIR` shows it, in-process: the quiet
/// default (notes that ask nothing summed up per machine) and, for the
/// bundled examples, `--notes` too; with the machines the machine pass saw
/// (which files each reaches, through every import form the fixture uses).
#[test]
fn repositories() {
    let options = LintOptions { host_system: "x86_64-linux".into(), ..LintOptions::new(Release::NEWEST, false) };
    for (dir, all_notes) in [
        ("examples", false),
        ("examples", true),
        ("tests/fixtures/lint/machines", false),
        ("tests/fixtures/lint/machines-flake", false),
        ("tests/fixtures/lint/machines-network", false),
        ("tests/fixtures/lint/zfs-repo", false),
    ] {
        let outcome = nixvm::linter::run(&[dir.into()], &options, nixvm::rewrite::Mode::Report, true);
        let mut reports = outcome.reports;
        let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        nixvm::cli::report::human_summed(&mut out, &mut reports, all_notes).unwrap();
        let mut shown = String::from_utf8(out.into_inner()).unwrap();
        shown.push_str("--- machines\n");
        for m in &outcome.machines {
            shown.push_str(&format!("{}: {}", m.machine, m.files.join(" ")));
            if !m.conditional.is_empty() {
                shown.push_str(&format!(" (only under a condition: {})", m.conditional.join(" ")));
            }
            if !m.unfollowed.is_empty() {
                shown.push_str(&format!(" (not followed: {})", m.unfollowed.join(" ")));
            }
            shown.push('\n');
        }
        let name = format!("{}{}", dir.replace('/', "_"), if all_notes { "_notes" } else { "" });
        insta::assert_snapshot!(name, shown);
    }
}

#[test]
fn build_vms_network_with_the_test_framework() {
    let options = LintOptions { host_system: "x86_64-linux".into(), ..LintOptions::new(Release::NEWEST, true) };
    let text = std::fs::read_to_string(common::fixtures().join("lint/build-vms-network.nix")).unwrap();
    let out = render("build-vms-network.nix", &text, &options);
    assert!(out.contains("`boot.consoleLogLevel` is set to `3`"), "{out}");
    assert!(out.contains("machine: client"), "{out}");
}

#[test]
fn every_lint_has_a_fixture_finding() {
    let options = LintOptions { host_system: "x86_64-linux".into(), ..LintOptions::default() };
    let text = std::fs::read_to_string(common::fixtures().join("lint/every-lint.nix")).unwrap();
    let found: std::collections::BTreeSet<nixvm::lint::Code> =
        lint_text(&text, &options).iter().map(|d| d.code).collect();
    for lint in nixvm::lint::all() {
        let code = lint.meta().code;
        if code != nixvm::lint::codes::SYNTAX_ERROR {
            assert!(found.contains(&code), "no finding for {code} in every-lint.nix");
        }
    }
}
