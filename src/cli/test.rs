//! `nixvm test`: NixOS test scripts against the running machines.

use super::flags::{At, NixFlags};
use super::output::Status;
use crate::machines::test::{self, Options, ScriptError};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Test scripts (a NixOS test's `testScript`, in Python).
    #[arg(value_name = "SCRIPT", required_unless_present = "check")]
    scripts: Vec<PathBuf>,
    /// Run the script of the flake's check NAME (a NixOS test made by runNixOSTest) against the machines named as its nodes (repeatable).
    #[arg(long, value_name = "NAME")]
    check: Vec<String>,
    /// The machines the scripts see (comma-separated; default: all).
    #[arg(long, value_delimiter = ',', value_name = "M,...")]
    machines: Vec<String>,
    /// Reset the machines the scripts use to new disks, start them, and stop them at the end (as the NixOS driver does).
    #[arg(long)]
    fresh: bool,
    /// Write a JUnit XML report here (a test case per subtest).
    #[arg(long, value_name = "FILE")]
    junit_xml: Option<PathBuf>,
    /// Where copy_from_machine and screenshot put files (default: .nixvm/test-out).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Seconds a machine may take to answer ssh once started.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    boot_timeout: u64,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

/// Exit 0 when every script completed, 1 when one failed, 130 when
/// interrupted, 2 for usage errors.
pub fn run(args: TestArgs) -> anyhow::Result<ExitCode> {
    let source = args.at.source()?;
    let nix = args.nix.nix(&source)?;
    super::output::ensure_key(&source)?;
    let reporter = args.nix.reporter(false);
    let options = Options {
        scripts: args.scripts.clone(),
        checks: args.check.clone(),
        machines: args.machines.clone(),
        fresh: args.fresh,
        out: args.out.clone(),
        boot_timeout: Duration::from_secs(args.boot_timeout),
    };
    let outcome = match test::run(&nix, &source, &options, &reporter) {
        Err(e) if e.is::<ScriptError>() => {
            eprintln!("nixvm: {e}");
            eprintln!("nixvm: no machine was started");
            return Ok(Status::Findings.into());
        }
        o => o?,
    };
    if let Some(file) = &args.junit_xml {
        let suites: Vec<(String, crate::runtime::test::Report)> =
            outcome.reports.iter().map(|(s, r)| (s.display().to_string(), r.clone())).collect();
        test::write_report(file, &crate::runtime::test::junit_xml(&suites))?;
        eprintln!("JUnit report: {}", file.display());
    }
    for (script, ok) in &outcome.scripts {
        eprintln!("{}: {}", script.display(), if *ok { "passed" } else { "FAILED" });
    }
    eprintln!("output directory: {}", outcome.out_dir.display());
    if !outcome.left_running.is_empty() {
        let names = outcome.left_running.join(" ");
        eprintln!("started for the test and left running: {names} (nixvm down {names})");
    }
    if !outcome.stopped.is_empty() {
        eprintln!("stopped what the test started: {}", outcome.stopped.join(", "));
    }
    Ok(if outcome.interrupted {
        ExitCode::from(130)
    } else if outcome.scripts.iter().all(|(_, ok)| *ok) {
        Status::Clean.into()
    } else {
        Status::Findings.into()
    })
}
