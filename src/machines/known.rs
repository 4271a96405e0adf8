//! Which names are machines: the one answer every command gives for a
//! name that is not one ("no machine `X` (machines: ...)", exit 2). A
//! name must first be a machine name at all (a Nix identifier and a safe
//! file name); then a machine of the configuration, or, for the commands
//! that work on what runs and what is kept (`down`, `clean`, `logs`,
//! `ssh`, `deploy`), a machine that left the configuration but still has
//! state under `.nixvm/`.

use super::source::Source;
use crate::nix::Nix;
use anyhow::Context as _;

/// The source's machines, by one evaluation of their names only.
pub fn list_machines(nix: &Nix, source: &Source) -> anyhow::Result<Vec<String>> {
    let installable = source.installables(nix)?.configurations(crate::check::Variant::Hardware);
    let names = nix.eval_json(source.dir(), &installable, Some("builtins.attrNames")).map_err(|e| source.explain(e))?;
    serde_json::from_value(names).context("nix listed the machines in an unexpected form")
}

/// A name that is no machine here.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("no machine `{name}` {place} (machines: {})", listing(.known))]
pub struct UnknownMachine {
    pub name: String,
    /// "in this project", "in this flake".
    pub place: &'static str,
    /// The machines there are.
    pub known: Vec<String>,
}

fn listing(known: &[String]) -> String {
    if known.is_empty() {
        "none".into()
    } else {
        known.join(", ")
    }
}

/// A machine name from the user: a Nix identifier and a safe file name.
pub fn check_name(machine: &str) -> anyhow::Result<()> {
    if !crate::project::is_machine_name(machine) {
        anyhow::bail!("`{machine}` is not a machine name");
    }
    Ok(())
}

impl Source {
    /// `named` checked against the machines of the configuration (`all`):
    /// names, then existence.
    pub fn check_known(&self, named: &[String], all: &[String]) -> anyhow::Result<()> {
        for m in named {
            check_name(m)?;
            if !all.contains(m) {
                return Err(UnknownMachine { name: m.clone(), place: self.place(), known: all.to_vec() }.into());
            }
        }
        Ok(())
    }

    /// `named` checked for the commands that work on state: each has
    /// state here, or is a machine of the configuration. `nix` (or why
    /// there is none) is asked for the configuration's machines only when
    /// a name has no state; when it cannot say, the error says why, with
    /// the machines that have state.
    pub fn check_known_or_kept(&self, named: &[String], nix: Result<&Nix, String>) -> anyhow::Result<()> {
        named.iter().try_for_each(|m| check_name(m))?;
        let kept = self.machines_with_state(&[])?;
        if named.iter().all(|m| kept.contains(m)) {
            return Ok(());
        }
        match nix.map_err(anyhow::Error::msg).and_then(|nix| list_machines(nix, self)) {
            Ok(mut all) => {
                for m in kept {
                    if !all.contains(&m) {
                        all.push(m);
                    }
                }
                all.sort();
                self.check_known(named, &all)
            }
            Err(why) => {
                let m = named.iter().find(|m| !kept.contains(m)).cloned().unwrap_or_default();
                Err(why.context(format!(
                    "`{m}` has no state here and nix could not list the machines {} to tell whether it is one (machines with state: {})",
                    self.place(),
                    listing(&kept)
                )))
            }
        }
    }

    /// The machines with state here (for commands that need no nix):
    /// `named` when given, else every machine directory under `.nixvm/`.
    pub fn machines_with_state(&self, named: &[String]) -> anyhow::Result<Vec<String>> {
        if !named.is_empty() {
            named.iter().try_for_each(|m| check_name(m))?;
            return Ok(named.to_vec());
        }
        let mut out = vec![];
        if let Ok(entries) = std::fs::read_dir(self.state_dir()) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if e.path().is_dir() && crate::project::is_machine_name(&name) {
                    out.push(name);
                }
            }
        }
        out.sort();
        Ok(out)
    }
}
