//! `nixvm explain [CODE]`: what a lint (or a code `nixvm check` reports) means.

use super::output::Status;
use crate::lint;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The lint code, e.g. `qemu-conflict`. Without it, list every code.
    code: Option<String>,
}

/// The width the list of codes is wrapped to.
const LIST_WIDTH: usize = 100;

/// The lints' codes, then those only `nixvm check` reports.
fn metas() -> impl Iterator<Item = &'static lint::Meta> {
    let checks = crate::check::METAS.into_iter().filter(|m| lint::find(m.code.as_str()).is_none());
    lint::all().iter().map(|l| l.meta()).chain(checks)
}

pub fn run(args: ExplainArgs) -> anyhow::Result<Status> {
    match args.code {
        None => {
            let code_width = metas().map(|m| m.code.as_str().len()).max().unwrap_or(0);
            let indent = code_width + 2 + "warning".len() + 2;
            for m in metas() {
                let lines = crate::text::wrap(&m.summary(), LIST_WIDTH.saturating_sub(indent).max(30));
                let mut lines = lines.iter();
                outln!("{:<code_width$}  {:<7}  {}", m.code, m.severity, lines.next().map_or("", String::as_str));
                for line in lines {
                    outln!("{:indent$}{line}", "");
                }
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
