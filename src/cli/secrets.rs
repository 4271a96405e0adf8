//! `nixvm secrets`: the VMs' age recipient, the secrets each machine's VM
//! has and whether it can decrypt them, and the lines that let it.

use super::flags::{At, NixFlags};
use super::output::{Format, Status};
use crate::machines::secrets::{Access, Manager, Report};

#[derive(clap::Args, Debug)]
pub struct SecretsArgs {
    /// Machines whose secrets to list (default: all).
    machines: Vec<String>,
    /// Output: for people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

/// Exit 0 when no secret is known to be out of the VMs' reach, 1 when
/// some is (its file is not encrypted to the VMs' recipient).
pub fn run(args: SecretsArgs) -> anyhow::Result<Status> {
    let source = args.at.source()?;
    let nix = args.nix.nix(&source)?;
    let report = crate::machines::secrets::secrets(&nix, &source, &args.machines)?;
    let missing = report.machines.iter().flat_map(|m| &m.secrets).any(|s| s.access.missing());
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&report)?),
        Format::Human => out!("{}", human(&report, &source.dir().display().to_string())),
    }
    Ok(if missing { Status::Findings } else { Status::Clean })
}

fn human(report: &Report, root: &str) -> String {
    let mut out = String::new();
    let with_secrets: Vec<_> = report.machines.iter().filter(|m| !m.secrets.is_empty()).collect();
    let (Some(key), Some(r)) = (&report.key, &report.recipient) else {
        out += "No machine has sops-nix or agenix secrets, so the VMs need no age identity (nixvm makes one when a machine has secrets).\n";
        return out;
    };
    let key = key.strip_prefix(root).unwrap_or(key).display().to_string();
    let made = if report.made { ", made now" } else { "" };
    out += &format!("The VMs' age identity: {key} (private, never commit it{made})\n");
    out += &format!("Its recipient: {r}\n");
    if with_secrets.is_empty() {
        out += "\nNo machine has sops-nix or agenix secrets.\n";
        return out;
    }
    let mut sops_files: Vec<&str> = vec![];
    let mut rules: Vec<&str> = vec![];
    for m in &with_secrets {
        out += &format!("\n{}:\n", m.machine);
        for s in &m.secrets {
            let state = match &s.access {
                Access::Encrypted => "decrypts in the VM".to_string(),
                Access::NotEncrypted => {
                    sops_files.push(&s.file);
                    "not encrypted to the VMs' recipient".to_string()
                }
                Access::InRules(r) => format!("the VMs are in {r}: decrypts once re-encrypted (agenix -r)"),
                Access::NotInRules(r) => {
                    rules.push(r);
                    format!("the VMs are not in {r}")
                }
                Access::Unknown(why) => format!("unknown: {why}"),
            };
            out += &format!("  {} {} ({}): {state}\n", s.manager.name(), s.name, s.file);
        }
    }
    sops_files.sort_unstable();
    sops_files.dedup();
    rules.sort_unstable();
    rules.dedup();
    if !sops_files.is_empty() {
        out += &format!(
            "\nFor {}: in .sops.yaml, add the recipient as a key and to the age list of each creation rule \
             that covers these files:\n\n  keys:\n    - &nixvm_vms {r}\n  creation_rules:\n    - path_regex: ...\n      \
             key_groups:\n        - age:\n            - *nixvm_vms\n\nthen re-encrypt each file's data key:\n\n",
            Manager::SopsNix.name()
        );
        for f in &sops_files {
            out += &format!("  sops updatekeys {f}\n");
        }
    }
    if !rules.is_empty() {
        out += &format!(
            "\nFor {}: in {}, add the recipient to the publicKeys of the VMs' secrets:\n\n  \
             let nixvm_vms = \"{r}\"; in\n  \"NAME.age\".publicKeys = [ ... nixvm_vms ];\n\n\
             then, in that file's directory:\n\n  agenix -r\n",
            Manager::Agenix.name(),
            rules.join(", ")
        );
    }
    out
}
