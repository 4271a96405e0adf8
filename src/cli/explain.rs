//! `nixvm explain [CODE]`: a lint's documentation.

use super::Status;
use crate::lint;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The lint code, e.g. `qemu-conflict`. Without it, list every code.
    code: Option<String>,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<Status> {
    match args.code {
        None => {
            for l in lint::all() {
                let m = l.meta();
                let summary =
                    m.explanation().lines().next().unwrap_or_default().trim_start_matches("What: ").to_string();
                println!("{:<24} {:<8} {}", m.code, m.severity, summary);
            }
            Ok(Status::Clean)
        }
        Some(code) => match lint::find(&code) {
            Some(l) => {
                let m = l.meta();
                println!("{} ({})\n\n{}", m.code, m.severity, m.explanation().trim_end());
                Ok(Status::Clean)
            }
            None => {
                let known: Vec<&str> = lint::all().iter().map(|l| l.meta().code).collect();
                anyhow::bail!("unknown lint code `{code}`; known codes: {}", known.join(", "))
            }
        },
    }
}
