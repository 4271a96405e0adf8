//! The progress reader over `--log-format internal-json` streams captured
//! from Nix 2.8 and Nix 2.26 building the same two derivations
//! (tests/fixtures/nix-progress/): both versions give the same statuses,
//! builder lines and failure report. Nix 2.26 also announces what it will
//! build (an info message 2.8's `nix build` does not send), passed on as
//! Nix prints it.

use nixvm::nix::{Event, Progress};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nix-progress").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The events of a stream, with messages' colours and store hashes
/// dropped so two versions' runs compare.
fn events(stream: &str) -> Vec<String> {
    let mut p = Progress::new();
    stream
        .lines()
        .flat_map(|l| p.feed(l))
        .map(|e| {
            let e = match e {
                Event::Status(s) => format!("status: {s}"),
                Event::Log { name, line } => format!("log {name}: {line}"),
                Event::Message { level, text } => format!("msg {level}: {}", nixvm::nix::message::strip_ansi(&text)),
                // Sent by the call, never read from the stream.
                Event::Started => "started".to_string(),
            };
            // /nix/store/HASH-name -> /nix/store/…-name
            let mut out = String::new();
            let mut rest = e.as_str();
            while let Some(at) = rest.find("/nix/store/") {
                out.push_str(&rest[..at + "/nix/store/".len()]);
                rest = &rest[at + "/nix/store/".len()..];
                if rest.len() > 32 && rest.as_bytes()[32] == b'-' {
                    out.push('…');
                    rest = &rest[32..];
                }
            }
            out.push_str(rest);
            out
        })
        .collect()
}

/// The events of 2.26's stream less its announcement of what it will build
/// (checked to be exactly that).
fn without_plan(events: Vec<String>, plan: &[&str]) -> Vec<String> {
    let (announced, rest): (Vec<String>, Vec<String>) = events.into_iter().partition(|e| e.starts_with("msg 3: "));
    assert_eq!(announced, plan.iter().map(|l| format!("msg 3: {l}")).collect::<Vec<_>>());
    rest
}

#[test]
fn a_build_reads_the_same_on_both_versions() {
    let old = events(&fixture("nix-2.8-build.txt"));
    let new = events(&fixture("nix-2.26-build.txt"));
    let plan = [
        "these 2 derivations will be built:",
        "  /nix/store/…-nixos-system-web.drv",
        "  /nix/store/…-nixos-vm-web.drv",
    ];
    let new = without_plan(new, &plan);
    assert_eq!(old, new);
    for want in [
        "status: building nixos-system-web (0/2 built)",
        "log nixos-system-web: hello",
        "status: building nixos-vm-web (1/2 built)",
        "log nixos-vm-web: building vm",
        "status: building (2/2 built)",
    ] {
        assert!(new.iter().any(|e| e == want), "{want} not in {new:#?}");
    }
}

#[test]
fn a_failed_build_reads_the_same_on_both_versions() {
    let old = events(&fixture("nix-2.8-failed-build.txt"));
    let new = events(&fixture("nix-2.26-failed-build.txt"));
    let new = without_plan(new, &["this derivation will be built:", "  /nix/store/…-broken.drv"]);
    assert_eq!(old, new);
    let last = new.last().unwrap();
    assert_eq!(
        last,
        "msg 0: last 2 log lines:\n> one\n> disk on fire\nFor full logs, run 'nix log /nix/store/…-broken.drv'."
    );
}
