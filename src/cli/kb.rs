//! `nixvm kb`: print the qemu-vm.nix conflict table nixvm uses (chosen by
//! `pinned::choose`).

use super::output::{Format, Status};
use crate::lint::kb::{self, ConflictTable};
use crate::lint::Release;
use anyhow::Context as _;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct KbArgs {
    /// A nixpkgs source tree to read qemu-vm.nix from.
    #[arg(long, value_name = "PATH", conflicts_with = "release")]
    pub nixpkgs: Option<PathBuf>,
    /// Use the built-in table for this release (YY.MM or `unstable`) instead
    /// of the pinned nixpkgs.
    #[arg(long)]
    pub release: Option<Release>,
    /// Also what the NixOS test framework (nixos-build-vms) defines.
    #[arg(long)]
    pub test_framework: bool,
    /// Output: the table for people, or JSON.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Where to look for flake.lock (default: the current directory and up).
    #[arg(long)]
    dir: Option<PathBuf>,
}

pub fn run(args: KbArgs) -> anyhow::Result<Status> {
    let start = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let chosen = crate::pinned::choose(args.nixpkgs.as_deref(), args.release, args.test_framework, &start)?;
    if let Some(note) = &chosen.note {
        eprintln!("note: {note}");
    }
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&chosen.table).context("cannot render the table")?),
        Format::Human => out!("{}", human(&chosen.table)),
    }
    Ok(Status::Clean)
}

/// The table for people: one line per option, with its value, condition
/// and origin.
pub fn human(t: &ConflictTable) -> String {
    let mut rows: Vec<(String, String, String)> = vec![];
    let mut sections: Vec<(&str, std::ops::Range<usize>)> = vec![];
    let when = kb::when;
    let start = rows.len();
    for p in &t.plain {
        rows.push((
            crate::syntax::dotted(&p.option),
            format!("= {}{}", p.describe(), when(&p.conditions)),
            p.origin.clone().unwrap_or_default(),
        ));
    }
    sections
        .push(("Set at normal priority: yours conflicts when it differs (lint code qemu-conflict)", start..rows.len()));
    let start = rows.len();
    for o in &t.overridden {
        rows.push((
            crate::syntax::dotted(&o.option),
            format!("{}{}", o.via, when(&o.conditions)),
            o.origin.clone().unwrap_or_default(),
        ));
    }
    sections.push(("Replaced in the VM: yours is ignored there (vm-override-ignored)", start..rows.len()));
    let start = rows.len();
    for m in &t.merged {
        rows.push((crate::syntax::dotted(&m.option), m.reason.clone(), m.origin.clone().unwrap_or_default()));
    }
    sections.push(("Merged with yours, never a conflict", start..rows.len()));
    let start = rows.len();
    for g in &t.gone {
        let what = match &g.renamed_to {
            Some(to) => format!("renamed to {}", crate::syntax::dotted(to)),
            None if g.why.is_empty() => "removed".to_string(),
            None => format!("removed: {}", g.why),
        };
        rows.push((crate::syntax::dotted(&g.option), what, g.origin.clone().unwrap_or_default()));
    }
    sections.push(("Gone from qemu-vm.nix: defining a removed one fails (vm-option-removed)", start..rows.len()));

    let w0 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    // A built-in table names its release already.
    let release = t
        .release
        .filter(|r| !t.source.contains(&format!("NixOS {r}")))
        .map(|r| format!(" (NixOS {r})"))
        .unwrap_or_default();
    let mut out = format!("Conflict table: {}{release}\n", t.source);
    for (title, range) in sections {
        if range.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}:\n"));
        for (a, b, c) in &rows[range] {
            let line = format!("  {a:<w0$}  {b:<w1$}  {c}");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    for w in &t.warnings {
        out.push_str(&format!("\nwarning: {w}\n"));
    }
    out
}
