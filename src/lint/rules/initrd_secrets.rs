//! `initrd-secrets`: initrd secrets copied from the host at install time.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, Meta};
use crate::syntax::{dotted, Value};

declare_lint! {
    /// What: a `boot.initrd.secrets` entry whose source is a string or
    /// `null` rather than a path literal.
    ///
    /// Why: string and `null` sources name files on the machine itself; the
    /// boot loader's install step copies them into the initrd. A VM boots
    /// its kernel and initrd directly, with no boot loader install, and
    /// NixOS then refuses to evaluate such a secret ("values must be
    /// unquoted paths"). nixvm's VM leaves the initrd secrets out (it has no
    /// LUKS device to unlock either); a VM built another way does not
    /// evaluate.
    ///
    /// Example:
    ///
    /// ```nix
    /// boot.initrd.secrets."/etc/secrets/initrd/ssh_host_ed25519_key" = null;
    /// ```
    InitrdSecrets, "initrd-secrets", Note
}

impl Lint for InitrdSecrets {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for (module, def) in cx.definitions() {
            if !def.starts_with(&["boot", "initrd", "secrets"]) || def.path.len() != 4 {
                continue;
            }
            let source = match &def.value {
                Value::Null => "`null` (the same path on the machine)".to_string(),
                Value::Str(s) => format!("the string `{s}`"),
                _ => continue,
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    def.key_span(),
                    format!("initrd secret `{}` comes from {source}, copied at boot loader install: a VM, which has no boot loader, cannot take it, so nixvm's VM leaves the initrd secrets out", def.path[3]),
                )
                .option(dotted(&def.path))
                .machine(module.machine.as_ref())
                .help("nothing to do for nixvm's VM; a VM built without nixvm's module needs the secret as a path literal (or none) under `virtualisation.vmVariant`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, spans};

    #[test]
    fn string_and_null_sources() {
        let text = r#"{ boot.initrd.secrets = { "/a" = null; "/b" = "/etc/b"; "/c" = ./c; }; }"#;
        assert_eq!(spans(text, &findings("initrd-secrets", text)), [r#""/a""#, r#""/b""#]);
    }
}
