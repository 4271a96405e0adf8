//! `nixvm explain [CODE]`: what a lint (or a code `nixvm check` reports) means.

use super::output::Status;
use crate::lint;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The lint code, e.g. `qemu-conflict`. Without it, list every code.
    code: Option<String>,
}

/// The lints' codes, then those only `nixvm check` reports.
fn metas() -> impl Iterator<Item = &'static lint::Meta> {
    let checks = crate::check::METAS.into_iter().filter(|m| lint::find(m.code.as_str()).is_none());
    lint::all().iter().map(|l| l.meta()).chain(checks)
}

pub fn run(args: ExplainArgs) -> anyhow::Result<Status> {
    match args.code {
        None => {
            for m in metas() {
                let summary =
                    m.explanation().lines().next().unwrap_or_default().trim_start_matches("What: ").to_string();
                outln!("{:<24} {:<8} {}", m.code, m.severity, summary);
            }
            Ok(Status::Clean)
        }
        Some(code) => match metas().find(|m| m.code.as_str() == code) {
            Some(m) => {
                outln!("{} ({})\n\n{}", m.code, m.severity, m.explanation().trim_end());
                Ok(Status::Clean)
            }
            None => {
                let known: Vec<&str> = metas().map(|m| m.code.as_str()).collect();
                anyhow::bail!("unknown lint code `{code}`; known codes: {}", known.join(", "))
            }
        },
    }
}
