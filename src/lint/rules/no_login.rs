//! `no-login`: immutable users and no way to log in.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, MachineLevel, Meta};
use crate::syntax::Value;

declare_lint! {
    /// What: `users.mutableUsers = false`, and no user defined in the file
    /// has a password, a hashed password or an SSH key.
    ///
    /// Why: with immutable users, only what the configuration declares
    /// exists; on hardware the password is often set by a file or secret
    /// that the VM does not have, so nobody can log into the VM, not on the
    /// console and not over SSH.
    ///
    /// `nixvm init` gives root the project's SSH key inside the VM only.
    /// For the console, set `users.users.root.initialPassword` under
    /// `virtualisation.vmVariant`.
    ///
    /// Example:
    ///
    /// ```nix
    /// users.mutableUsers = false;
    /// users.users.admin.hashedPasswordFile = "/run/secrets/admin";
    /// ```
    NoLogin, "no-login", Warning
}

/// Every way NixOS gives a user a password: given, hashed, read from a file
/// (`hashedPasswordFile`; `passwordFile` before 23.11), or set at first boot.
const CREDENTIALS: &[&str] =
    &["password", "hashedPassword", "hashedPasswordFile", "passwordFile", "initialPassword", "initialHashedPassword"];

/// What a finding says when a definition under a computed name may answer
/// it (the machine-level pass says the same).
pub(crate) const COMPUTED: &str = "a definition under a computed name (`${...}`) may answer it";

/// The finding's message: no user `where` has a login.
fn message(place: &str) -> String {
    format!("users are immutable and no user {place} has a password or an SSH key: nobody can log into the VM")
}

static MACHINE_LEVEL: MachineLevel = MachineLevel {
    answered_by: gives_a_login,
    applies: |_| true,
    over_machine: |_| message("in any module of this machine"),
};

/// Whether `d` gives a user a way to log in: a password or an SSH key,
/// under `users.users` or its older name `users.extraUsers` (the
/// machine-level pass asks it of every module of a machine).
pub(crate) fn gives_a_login(d: &crate::syntax::Definition) -> bool {
    (d.starts_with(&["users", "users"]) || d.starts_with(&["users", "extraUsers"]))
        && d.path.len() >= 4
        && (CREDENTIALS.contains(&d.path[3].as_str()) && d.value != Value::Null
            || d.path[3] == "openssh" && d.value != Value::List(vec![]) && d.value != Value::AttrSet)
}

impl Lint for NoLogin {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // Each machine of a network file on its own.
        for machine in cx.machines() {
            self.check_machine(cx, machine, out);
        }
    }

    fn machine_level(&self) -> Option<&'static MachineLevel> {
        Some(&MACHINE_LEVEL)
    }
}

impl NoLogin {
    fn check_machine(&self, cx: &Context, machine: Option<&String>, out: &mut Vec<Diagnostic>) {
        if cx.definitions_of(machine).any(|(_, d)| gives_a_login(d) && !d.dynamic) {
            return;
        }
        // A login under a computed user name may be a real user's, or not.
        let computed = cx.definitions_of(machine).any(|(_, d)| gives_a_login(d));
        for (_, def) in cx.definitions_of(machine) {
            if def.path == ["users", "mutableUsers"] && def.value == Value::Bool(false) {
                let mut d = Diagnostic::new(&Self::META, def.key_span(), message("in this file"));
                if computed {
                    d.add_caveat(COMPUTED);
                }
                let d = d.option("users.mutableUsers").help("set `users.users.root.initialPassword` under `virtualisation.vmVariant` for the console; nixvm init gives root the project's SSH key in the VM");
                Context::push_for(out, d, machine);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::findings;

    const CODE: &str = "no-login";

    #[test]
    fn each_machine_of_a_network_on_its_own() {
        let text = r#"{
  defaults = { ... }: { users.mutableUsers = false; };
  web = { ... }: { users.users.root.hashedPassword = "x"; };
  db = { ... }: { services.postgresql.enable = true; };
}"#;
        let ds = findings(CODE, text);
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!(ds[0].machines, ["db"]);
    }

    #[test]
    fn a_login_under_a_computed_name_makes_it_a_note() {
        for text in [
            "{ name, ... }: { users.mutableUsers = false; users.users.${name}.password = \"x\"; }",
            "{ name, ... }: { users.mutableUsers = false; users.users.${name} = { isNormalUser = true; hashedPassword = \"x\"; }; }",
            "{ cfg, ... }: { users.mutableUsers = false; users.users.\"${cfg.user}\".openssh.authorizedKeys.keys = [ \"k\" ]; }",
        ] {
            let ds = findings(CODE, text);
            assert_eq!(ds.len(), 1, "{text}");
            assert_eq!(ds[0].severity, crate::lint::Severity::Note, "{text}");
            assert!(ds[0].text().ends_with(super::COMPUTED), "{}", ds[0].text());
        }
        // A named user's password settles it, computed ones or not.
        let text = "{ name, ... }: { users.mutableUsers = false; users.users.${name}.password = \"x\"; users.users.root.password = \"y\"; }";
        assert!(findings(CODE, text).is_empty());
    }

    #[test]
    fn immutable_users_without_credentials() {
        let ds = findings(CODE, "{ users.mutableUsers = false; users.users.admin.isNormalUser = true; }");
        assert_eq!(ds.len(), 1);
        for ok in [
            "{ users.mutableUsers = false; users.users.admin.hashedPasswordFile = \"/run/x\"; }",
            "{ users.mutableUsers = false; users.users.admin.passwordFile = \"/run/x\"; }",
            "{ users.mutableUsers = false; users.users.a.openssh.authorizedKeys.keyFiles = [ ./a.pub ]; }",
            "{ users.mutableUsers = false; users.users.root.hashedPassword = \"$6$x\"; }",
            "{ users.mutableUsers = false; users.users.a = { openssh.authorizedKeys.keys = [ \"ssh-ed25519 A\" ]; }; }",
            "{ users.mutableUsers = false; users.users.root.initialPassword = \"test\"; }",
            "{ users.mutableUsers = true; }",
            "{ users.users.root.hashedPasswordFile = \"/x\"; }",
        ] {
            assert!(findings(CODE, ok).is_empty(), "{ok}");
        }
    }
}
