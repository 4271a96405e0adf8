//! `nixvm secrets`: the VMs' age identity (made on first use, see
//! `age_key`) and, machine by machine, the sops-nix and agenix secrets of
//! its VM, each with whether the VM can decrypt it. A sops file names its
//! age recipients in its own metadata, so it tells; an agenix file does not
//! (age's X25519 stanzas hide the recipient), so its rules file, agenix's
//! `secrets.nix` beside it, tells whether the VM is meant to be one.

use super::age_key;
use super::source::Source;
use crate::check::Variant;
use crate::nix::Nix;
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Which secret manager keeps a secret.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Manager {
    SopsNix,
    Agenix,
}

impl Manager {
    pub fn name(self) -> &'static str {
        match self {
            Manager::SopsNix => "sops-nix",
            Manager::Agenix => "agenix",
        }
    }
}

/// Whether the VM's identity can open a secret's file.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", tag = "state", content = "where")]
pub enum Access {
    /// The sops file lists the VM's recipient.
    Encrypted,
    /// The sops file does not list it.
    NotEncrypted,
    /// agenix's rules file (named) lists it: the file decrypts once
    /// re-encrypted (`agenix -r`).
    InRules(String),
    /// agenix's rules file (named) does not list it.
    NotInRules(String),
    /// nixvm cannot tell (why).
    Unknown(String),
}

impl Access {
    /// The VM is known not to decrypt it.
    pub fn missing(&self) -> bool {
        matches!(self, Access::NotEncrypted | Access::NotInRules(_))
    }
}

/// One secret of a machine's VM.
#[derive(Serialize, Debug, Clone)]
pub struct Secret {
    pub manager: Manager,
    pub name: String,
    /// Its encrypted file, as the user knows it (relative to the source's
    /// root when it is there), or empty when Nix gave none.
    pub file: String,
    pub access: Access,
}

/// A machine and its secrets.
#[derive(Serialize, Debug, Clone)]
pub struct MachineSecrets {
    pub machine: String,
    pub secrets: Vec<Secret>,
}

/// What `nixvm secrets` reports.
#[derive(Serialize, Debug)]
pub struct Report {
    /// The VMs' age recipient (`age1...`); none when no machine has
    /// secrets and no identity was made before.
    pub recipient: Option<String>,
    /// The key file (private: 0600, under `.nixvm/`).
    pub key: Option<PathBuf>,
    /// The key was made by this call.
    pub made: bool,
    pub machines: Vec<MachineSecrets>,
}

/// What nix says of a secret.
#[derive(Deserialize)]
struct Evaluated {
    manager: Manager,
    name: String,
    file: String,
}

/// The secrets of the named machines' VMs (all when none is named), in
/// one evaluation, and the identity: made when there is none and a
/// machine has secrets.
pub fn secrets(nix: &Nix, source: &Source, named: &[String]) -> anyhow::Result<Report> {
    for m in named {
        super::source::check_name(m)?;
    }
    let names = serde_json::to_string(named)?;
    // A secret's file: sops-nix's per-secret sopsFile defaults to
    // sops.defaultSopsFile, which may be undefined (an error only when
    // used, which tryEval catches): such a file is reported as unknown,
    // not as a failure. (A secret without `sopsFile` at all is what a
    // module system without submodule defaults gives, as the tests' stub.)
    let apply = format!(
        "cs: let named = builtins.fromJSON {names}; \
         file = f: let t = builtins.tryEval (toString f); in if t.success then t.value else \"\"; \
         of = manager: set: fileOf: map (n: {{ inherit manager; name = n; file = file (fileOf set.${{n}}); }}) (builtins.attrNames set); \
         info = n: let c = cs.${{n}}.config.virtualisation.vmVariant; in {{ machine = n; secrets = \
           of \"sops-nix\" (c.sops.secrets or {{ }}) (s: s.sopsFile or c.sops.defaultSopsFile) \
           ++ of \"agenix\" (c.age.secrets or {{ }}) (s: s.file); }}; \
         in {{ all = builtins.attrNames cs; machines = map info (if named == [ ] then builtins.attrNames cs else builtins.filter (n: cs ? ${{n}}) named); }}",
        names = crate::nixstr::string_literal(&names),
    );
    let installable = source.installables(nix)?.configurations(Variant::Vm);
    let value = nix.eval_json(source.dir(), &installable, Some(&apply)).map_err(|e| source.explain(e))?;
    #[derive(Deserialize)]
    struct Machine {
        machine: String,
        secrets: Vec<Evaluated>,
    }
    #[derive(Deserialize)]
    struct Evaluation {
        all: Vec<String>,
        machines: Vec<Machine>,
    }
    let Evaluation { all, machines: evaluated } =
        serde_json::from_value(value).context("nix described the machines' secrets in an unexpected form")?;
    source.check_known(named, &all)?;
    let ensured = if evaluated.iter().any(|m| !m.secrets.is_empty()) {
        Some(age_key::ensure(source)?)
    } else {
        age_key::existing(source)?
    };
    let recipient = ensured.as_ref().map(|e| e.identity.recipient.clone()).unwrap_or_default();
    let machines = evaluated
        .into_iter()
        .map(|m| MachineSecrets {
            machine: m.machine,
            secrets: m
                .secrets
                .into_iter()
                .map(|s| {
                    let access = access(s.manager, &s.file, &recipient, source.dir());
                    Secret { manager: s.manager, name: s.name, file: shown(&s.file, source.dir()), access }
                })
                .collect(),
        })
        .collect();
    Ok(Report {
        recipient: ensured.as_ref().map(|e| e.identity.recipient.clone()),
        key: ensured.as_ref().map(|e| e.path.clone()),
        made: ensured.is_some_and(|e| e.made),
        machines,
    })
}

/// Whether the VM's recipient can open `file` (a path Nix gave: in the
/// store, or on disk for an impure path).
fn access(manager: Manager, file: &str, recipient: &str, root: &Path) -> Access {
    if file.is_empty() {
        return Access::Unknown("nix gives no file for it".into());
    }
    match manager {
        Manager::SopsNix => match std::fs::read_to_string(file) {
            // Wherever sops keeps its metadata (YAML, JSON, dotenv, INI),
            // the recipient is written out whole.
            Ok(text) if text.contains(recipient) => Access::Encrypted,
            Ok(_) => Access::NotEncrypted,
            Err(e) => Access::Unknown(format!("cannot read it: {e}")),
        },
        Manager::Agenix => {
            // Beside the file; or, when Nix copied only the files the
            // configuration uses, beside the user's own.
            let beside = |f: &Path| f.parent().map(|d| d.join("secrets.nix")).filter(|r| r.is_file());
            let rules = beside(Path::new(file)).or_else(|| user_path(file, root).and_then(|f| beside(&f)));
            match rules.and_then(|r| Some((std::fs::read_to_string(&r).ok()?, r))) {
                // Recipients it imports from elsewhere: it cannot tell.
                Some((text, _)) if !text.contains("age1") && !text.contains("ssh-") => {
                    Access::Unknown("secrets.nix names its recipients elsewhere".into())
                }
                Some((text, r)) => {
                    let rules = shown(&r.to_string_lossy(), root);
                    if text.contains(recipient) {
                        Access::InRules(rules)
                    } else {
                        Access::NotInRules(rules)
                    }
                }
                None => Access::Unknown("no secrets.nix beside it says who it is encrypted to".into()),
            }
        }
    }
}

/// The user's own path of a file Nix names in the store copy of the
/// source (`/nix/store/HASH-source/REL` -> `root/REL`).
fn user_path(file: &str, root: &Path) -> Option<PathBuf> {
    let rest = file.strip_prefix("/nix/store/")?;
    let (_, rel) = rest.split_once('/')?;
    let path = root.join(rel);
    path.exists().then_some(path)
}

/// A file as the user knows it: relative to the root when it is the
/// user's, else as given.
fn shown(file: &str, root: &Path) -> String {
    let path = user_path(file, root).unwrap_or_else(|| PathBuf::from(file));
    match path.strip_prefix(root) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sops_files_tell_by_their_recipients() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("web.yaml");
        std::fs::write(&file, "a: ENC[...]\nsops:\n    age:\n        - recipient: age1other\n").unwrap();
        let f = file.to_string_lossy();
        assert_eq!(access(Manager::SopsNix, &f, "age1mine", dir.path()), Access::NotEncrypted);
        assert_eq!(access(Manager::SopsNix, &f, "age1other", dir.path()), Access::Encrypted);
        assert!(matches!(access(Manager::SopsNix, "/nonexistent/x.yaml", "age1mine", dir.path()), Access::Unknown(_)));
        assert!(matches!(access(Manager::SopsNix, "", "age1mine", dir.path()), Access::Unknown(_)));
    }

    #[test]
    fn agenix_files_tell_by_the_rules_beside_them() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("db.age");
        std::fs::write(&file, "age-encryption.org/v1\n").unwrap();
        let f = file.to_string_lossy();
        assert!(matches!(access(Manager::Agenix, &f, "age1mine", dir.path()), Access::Unknown(_)));
        std::fs::write(dir.path().join("secrets.nix"), "{ \"db.age\".publicKeys = [ \"age1other\" ]; }\n").unwrap();
        assert_eq!(access(Manager::Agenix, &f, "age1mine", dir.path()), Access::NotInRules("secrets.nix".into()));
        assert_eq!(access(Manager::Agenix, &f, "age1other", dir.path()), Access::InRules("secrets.nix".into()));
    }
}
