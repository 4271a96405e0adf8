//! `vm-secrets`: sops-nix or agenix secrets, which a VM cannot decrypt.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, Meta};

declare_lint! {
    /// What: the configuration has sops-nix secrets (`sops.secrets.<name>`)
    /// or agenix secrets (`age.secrets.<name>`).
    ///
    /// Why: both decrypt at activation with the machine's own identity: by
    /// default its SSH host key (sops-nix's `sops.age.sshKeyPaths`, and the
    /// RSA one for GnuPG; agenix's `age.identityPaths`), or an age key file
    /// on its disk (`sops.age.keyFile`). A VM has none of them (its host
    /// key is new, made after activation), so no secret decrypts: every
    /// service that reads one fails, and a user whose `hashedPasswordFile`
    /// is a secret cannot log in with that password. nixvm's VMs decrypt
    /// with the project's own age identity instead, handed over at boot;
    /// `nixvm secrets` prints its recipient, to add to the secrets' rules.
    ///
    /// Example:
    ///
    /// ```nix
    /// sops.secrets."users/root".neededForUsers = true;
    /// users.users.root.hashedPasswordFile = config.sops.secrets."users/root".path;
    /// ```
    VmSecrets, "vm-secrets", Warning
}

/// The secret managers this lint knows: the option holding the secrets,
/// their name, and where each takes its identity by default.
const MANAGERS: &[(&str, &str, &str)] = &[
    ("sops", "sops-nix", "the SSH host key (sops.age.sshKeyPaths) or sops.age.keyFile"),
    ("age", "agenix", "the SSH host key (age.identityPaths)"),
];

impl Lint for VmSecrets {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let value = |d: &crate::syntax::Definition| cx.text.get(d.value_span.start..d.value_span.end).unwrap_or("");
        for (root, manager, identity) in MANAGERS {
            // What reads this manager's secrets: a value that names
            // `<root>.secrets` (`config.sops.secrets.db.path`), or for
            // sops-nix the paths it installs them at.
            let needle = format!("{root}.secrets");
            let names_secrets = |v: &str| {
                // `config.age.secrets`, not inside a name (`cfg.storage.secrets`).
                v.match_indices(&needle).any(|(at, _)| {
                    !v[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '\'')
                })
            };
            let reads = |d: &crate::syntax::Definition| {
                let v = value(d);
                !d.starts_with(&[root]) && (names_secrets(v) || (*root == "sops" && v.contains("/run/secrets")))
            };
            for machine in cx.machines() {
                // Its secrets, each once, at its first definition.
                let mut secrets: Vec<(&String, crate::text::Span)> = vec![];
                for (_, def) in cx.definitions_of(machine) {
                    if def.starts_with(&[root, "secrets"])
                        && def.path.len() >= 3
                        && !secrets.iter().any(|(n, _)| **n == def.path[2])
                    {
                        secrets.push((&def.path[2], def.key_span()));
                    }
                }
                let Some((_, at)) = secrets.first() else { continue };
                let names: Vec<String> = secrets.iter().map(|(n, _)| format!("`{n}`")).collect();
                // Users whose password file is one of the secrets, and the
                // other options that read one.
                let (mut logins, mut readers): (Vec<String>, Vec<String>) = (vec![], vec![]);
                for (_, d) in cx.definitions_of(machine).filter(|(_, d)| reads(d)) {
                    let login = (d.starts_with(&["users", "users"]) || d.starts_with(&["users", "extraUsers"]))
                        && d.path.len() == 4
                        && d.path[3] == "hashedPasswordFile";
                    let (list, item) = if login {
                        (&mut logins, d.path[2].clone())
                    } else {
                        (&mut readers, format!("`{}`", crate::syntax::dotted(&d.path)))
                    };
                    if !list.contains(&item) {
                        list.push(item);
                    }
                }
                let mut logins = match logins.as_slice() {
                    [] => String::new(),
                    users => format!("; the password of {} comes from a secret", users.join(", ")),
                };
                logins += &match readers.as_slice() {
                    [] => String::new(),
                    [one] => format!("; {one} reads one"),
                    many if many.len() <= 4 => format!("; {} read them", many.join(", ")),
                    many => format!("; {} and {} more options read them", many[..3].join(", "), many.len() - 3),
                };
                let d = Diagnostic::new(
                        &Self::META,
                        *at,
                        format!(
                            "{manager} {} {} will not decrypt in the VM until {} encrypted to the project's age recipient: their identity is {identity}, which a VM does not have{logins}",
                            if names.len() == 1 { "secret" } else { "secrets" },
                            names.join(", "),
                            if names.len() == 1 { "it is" } else { "they are" }
                        ),
                    )
                    .option(format!("{root}.secrets"))
                    .help(format!(
                        "nixvm's VMs decrypt with the project's age identity instead (their `{}` points at it); `nixvm secrets` prints its recipient and the lines to add to {}",
                        if *root == "sops" { "sops.age.keyFile" } else { "age.identityPaths" },
                        if *root == "sops" { "`.sops.yaml` (then `sops updatekeys`)" } else { "`secrets.nix` (then `agenix -r`)" }
                    ));
                Context::push_for(out, d, machine);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, spans};

    const CODE: &str = "vm-secrets";

    #[test]
    fn names_the_secrets_and_the_logins_that_need_them() {
        let text = r#"{ config, ... }: {
  sops.defaultSopsFile = ./secrets.yaml;
  sops.secrets."users/root".neededForUsers = true;
  sops.secrets.db = { owner = "postgres"; };
  sops.secrets.db.mode = "0400";
  users.users.root.hashedPasswordFile = config.sops.secrets."users/root".path;
  age.secrets.wifi.file = ./wifi.age;
}"#;
        let ds = findings(CODE, text);
        assert_eq!(spans(text, &ds), [r#"sops.secrets."users/root".neededForUsers"#, "age.secrets.wifi.file"]);
        assert!(
            ds[0].message.starts_with("sops-nix secrets `users/root`, `db` will not decrypt in the VM"),
            "{}",
            ds[0].message
        );
        assert!(ds[0].message.ends_with("the password of root comes from a secret"), "{}", ds[0].message);
        assert!(ds[1].message.starts_with("agenix secret `wifi` will not decrypt"), "{}", ds[1].message);
    }

    #[test]
    fn names_the_options_that_read_a_secret() {
        let text = r#"{ config, ... }: {
  sops.secrets.db = { };
  services.postgresql.initialScript = config.sops.secrets.db.path;
  services.nginx.basicAuthFile = "/run/secrets/htpasswd";
  services.nginx.enable = true;
  age.secrets.relay.file = ./relay.age;
  services.postfix.relayPasswordFile = config.age.secrets.relay.path;
}"#;
        let ds = findings(CODE, text);
        assert_eq!(ds.len(), 2);
        assert!(
            ds[0].message.ends_with("; `services.postgresql.initialScript`, `services.nginx.basicAuthFile` read them"),
            "{}",
            ds[0].message
        );
        assert!(ds[1].message.ends_with("; `services.postfix.relayPasswordFile` reads one"), "{}", ds[1].message);
    }

    #[test]
    fn a_name_that_only_contains_secrets_reads_none() {
        let text = "{ cfg, ... }: { age.secrets.x.file = ./x.age; services.backup.dir = cfg.storage.secrets; }";
        let ds = findings(CODE, text);
        assert_eq!(ds.len(), 1);
        assert!(!ds[0].message.contains("backup"), "{}", ds[0].message);
    }

    #[test]
    fn each_machine_of_a_network_on_its_own() {
        let text = r#"{
  vault = { config, ... }: { sops.secrets.db = { }; services.postgresql.initialScript = config.sops.secrets.db.path; };
  relay = { config, ... }: { age.secrets.relay.file = ./relay.age; services.postfix.relayPasswordFile = config.sops.secrets.x.path; };
}"#;
        let ds = findings(CODE, text);
        assert_eq!(ds.len(), 2, "{ds:?}");
        assert_eq!(ds[0].machines, ["vault"]);
        assert!(ds[0].message.ends_with("`services.postgresql.initialScript` reads one"), "{}", ds[0].message);
        assert_eq!(ds[1].machines, ["relay"]);
        assert!(!ds[1].message.contains("postgresql"), "{}", ds[1].message);
    }

    #[test]
    fn no_secrets_no_finding() {
        assert!(
            findings(CODE, "{ sops.age.keyFile = \"/var/lib/sops-nix/key.txt\"; age.identityPaths = [ ]; }").is_empty()
        );
        assert!(findings(CODE, "{ users.users.root.hashedPasswordFile = \"/etc/root.hash\"; }").is_empty());
    }
}
