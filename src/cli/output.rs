//! How a command's result leaves nixvm: the format it prints in, the exit
//! code it ends with, and the notes several commands print alike.

use std::process::ExitCode;

/// How a command prints its result.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people.
    Human,
    /// One JSON document on stdout.
    Json,
}

/// What an exit code means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing at error level.
    Clean = 0,
    /// Error-level findings (including syntax errors).
    Findings = 1,
    /// Usage or I/O error.
    Failure = 2,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(s as u8)
    }
}

/// Writing to stdout failed: a reader that went away (`| head`) ends
/// nixvm quietly, anything else with what failed. Exit 2 either way.
pub fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        eprintln!("nixvm: cannot write to stdout: {e}");
    }
    std::process::exit(Status::Failure as i32)
}

/// The project key, made when missing (and said so).
pub fn ensure_key(source: &crate::machines::Source) -> anyhow::Result<()> {
    let k = crate::machines::key::ensure_key(source)?;
    if k.made {
        eprintln!("made the project's ssh key: {}", k.private.display());
    }
    Ok(())
}

/// Machines left out of "all" because their names cannot name a VM.
pub fn say_unusable(unusable: &[String]) {
    if !unusable.is_empty() {
        eprintln!(
            "warning: left out {}: nixvm needs machine names made of letters, digits, `_` and `-`, starting with a letter or `_`",
            unusable.join(", ")
        );
    }
}

/// Machines whose evaluation failed, each with nix's error: the command
/// went on with the others, and exits 1 (`Findings`) when there are any.
pub fn say_failed_evaluations(failed: &[crate::machines::eval::EvalFailure]) -> anyhow::Result<Status> {
    for f in failed {
        eprintln!("nixvm: {f}");
    }
    if failed.is_empty() {
        return Ok(Status::Clean);
    }
    let names: Vec<&str> = failed.iter().map(|f| f.machine.as_str()).collect();
    eprintln!("nixvm: {} did not evaluate (`nixvm check {}` says where)", names.join(", "), names.join(" "));
    Ok(Status::Findings)
}

/// A size for people: bytes up to a KiB, then KiB, MiB, GiB with one
/// decimal.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let (mut value, mut unit) = (bytes as f64 / 1024.0, 0);
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(super::size(0), "0 bytes");
        assert_eq!(super::size(1023), "1023 bytes");
        assert_eq!(super::size(1536), "1.5 KiB");
        assert_eq!(super::size(5 << 20), "5.0 MiB");
        assert_eq!(super::size(3 << 30), "3.0 GiB");
        assert_eq!(super::size(2048 << 30), "2048.0 GiB");
    }
}
