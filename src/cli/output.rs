//! How a command's result leaves nixvm: the format it prints in and the
//! exit code it ends with.

use std::process::ExitCode;

/// How a command prints its result.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
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
