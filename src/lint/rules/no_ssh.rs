//! `no-ssh`: SSH off, or root not allowed to log in.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, MachineLevel, Meta};
use crate::syntax::{dotted, Value};

declare_lint! {
    /// What: `services.openssh.enable = false`, or root login over SSH set
    /// to `"no"` (`services.openssh.settings.PermitRootLogin`, or the older
    /// `services.openssh.permitRootLogin`).
    ///
    /// Why: `nixvm ssh` and `nixvm deploy` log into the VM as root with the
    /// project's key; `nix-copy-closure` needs it to update a running VM.
    /// nixvm's generated VM module turns SSH on for root with a key in the
    /// VM only, overriding these values there; a VM built another way stays
    /// unreachable. `"prohibit-password"` is fine: keys still work.
    ///
    /// Example:
    ///
    /// ```nix
    /// services.openssh.settings.PermitRootLogin = "no";
    /// ```
    NoSsh, "no-ssh", Note
}

/// Whether `d` turns sshd on over a plain `false` elsewhere: `true` at a
/// stronger priority (`mkForce`), under no condition (the machine-level
/// pass asks it of every module of a machine whose SSH one module turns
/// off; a plain `true` against a plain `false` does not evaluate at all).
pub(crate) fn enables_ssh(d: &crate::syntax::Definition) -> bool {
    d.with_path(|path| matches!(path, ["services", "openssh" | "sshd", "enable"]))
        && d.value == Value::Bool(true)
        && d.conditions.is_empty()
        && d.priority.level.is_some_and(|l| l < 100)
}

/// SSH turned off in one module may be turned back on in another (a
/// `mkForce`): that finding is decided over the machine; root's login is
/// the file's alone.
static MACHINE_LEVEL: MachineLevel = MachineLevel {
    answered_by: enables_ssh,
    applies: |d| d.option.as_deref().is_some_and(|o| o.ends_with(".enable")),
    over_machine: |d| d.message.clone(),
};

impl Lint for NoSsh {
    fn machine_level(&self) -> Option<&'static MachineLevel> {
        Some(&MACHINE_LEVEL)
    }

    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for (module, def) in cx.definitions() {
            let message = def.with_path(|path| match (path, &def.value) {
                (["services", "openssh" | "sshd", "enable"], Value::Bool(false)) => {
                    Some("SSH is turned off: nixvm's VM turns it on (in the VM only); a VM built without nixvm's module cannot be reached by `nixvm ssh` or `nixvm deploy`")
                }
                (
                    ["services", "openssh", "settings", "PermitRootLogin"] | ["services", "openssh", "permitRootLogin"],
                    Value::Str(s),
                ) if s == "no" => Some("root may not log in over SSH: nixvm's VM lets root in with the project key (in the VM only); `nixvm ssh` and `nixvm deploy` log in as root"),
                _ => None,
            });
            let Some(message) = message else { continue };
            out.push(
                Diagnostic::new(&Self::META, def.key_span(), message)
                    .option(dotted(&def.path))
                    .machine(module.machine.as_ref())
                    .help("nixvm's VM module enables SSH for root with the project key in the VM only; use \"prohibit-password\" to allow keys everywhere"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::findings;

    #[test]
    fn what_turns_ssh_on() {
        let on = |text: &str| {
            let analysis = crate::syntax::analyze(&crate::syntax::parse(text));
            analysis.modules.iter().flat_map(|m| &m.definitions).any(super::enables_ssh)
        };
        assert!(on("{ lib, ... }: { services.openssh.enable = lib.mkForce true; }"));
        assert!(on("{ lib, ... }: { services.sshd.enable = lib.mkOverride 60 true; }"));
        assert!(!on("{ services.sshd.enable = true; }"));
        assert!(!on("{ lib, config, ... }: { services.openssh.enable = lib.mkIf config.x (lib.mkForce true); }"));
        assert!(!on("{ services.openssh.enable = false; }"));
        assert!(!on("{ services.openssh.ports = [ 22 ]; }"));
    }

    #[test]
    fn ssh_off_or_root_refused() {
        let text = r#"{ services.openssh.enable = false; services.openssh.settings.PermitRootLogin = "no"; services.openssh.permitRootLogin = "prohibit-password"; }"#;
        let ds = findings("no-ssh", text);
        assert_eq!(ds.len(), 2);
        assert!(findings(
            "no-ssh",
            "{ services.openssh = { enable = true; settings.PermitRootLogin = \"prohibit-password\"; }; }"
        )
        .is_empty());
    }
}
