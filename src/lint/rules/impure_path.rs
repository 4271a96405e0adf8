//! `impure-path`: search paths and absolute paths.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, Meta};
use crate::syntax::PathKind;

declare_lint! {
    /// What: a `<nixpkgs>`-style search path, an absolute path
    /// (`/etc/nixos/secrets.nix`) or a home path (`~/x.nix`) as a path
    /// literal.
    ///
    /// Why: nixvm builds VMs from a pinned flake, and flakes evaluate in
    /// pure mode: "cannot look up '<nixpkgs>' in pure evaluation mode",
    /// "access to absolute path '/etc/nixos/secrets.nix' is forbidden in
    /// pure eval mode". Search paths also depend on `NIX_PATH`, so the VM
    /// would not be reproducible.
    ///
    /// A path under `/run`, `/var`, `/etc`, `/proc`, `/sys`, `/dev` or
    /// `/tmp` names a file of the running system (a decrypted secret in
    /// `/run/agenix`, a state file): it must stay a string the machine
    /// reads at run time, never be copied into the repository. `/.` (as in
    /// npins' `/. + path`) is the root the path is made from, not a file.
    ///
    /// Example:
    ///
    /// ```nix
    /// imports = [ <nixpkgs/nixos/modules/profiles/minimal.nix> /etc/nixos/users.nix ];
    /// imports = [ (modulesPath + "/profiles/minimal.nix") ./users.nix ];   # pure
    /// ```
    ImpurePath, "impure-path", Warning
}

/// Where a running system keeps its own files, which are never the
/// configuration's to copy (but `/etc/nixos`, where configurations live).
const RUNTIME: &[&str] = &["/run", "/var", "/etc", "/proc", "/sys", "/dev", "/tmp"];

impl Lint for ImpurePath {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for path in &cx.file.paths {
            let (message, help) = match path.kind {
                PathKind::Search => {
                    let inner = path.text.trim_start_matches('<').trim_end_matches('>');
                    let help = match inner.strip_prefix("nixpkgs/nixos/modules") {
                        Some(rest) => format!("use `(modulesPath + \"{rest}\")`, from the module's arguments"),
                        None if inner == "nixpkgs" || inner.starts_with("nixpkgs/") => {
                            "use the pinned nixpkgs the module receives (`pkgs`, `lib`, `modulesPath`)".to_string()
                        }
                        None => "pass it in as a flake input instead of looking it up in NIX_PATH".to_string(),
                    };
                    (format!("`{}` is looked up in NIX_PATH, which pure flake evaluation forbids", path.text), help)
                }
                // `/.`: the root a path is built from (`/. + path`, npins).
                PathKind::Absolute if path.text == "/." => continue,
                PathKind::Absolute
                    if !path.text.starts_with("/etc/nixos/")
                        && RUNTIME.iter().any(|d| path.text == *d || path.text.starts_with(&format!("{d}/"))) =>
                (
                    format!(
                        "`{}` is a file of the running system: as a path, evaluation reads it (and copies it into the Nix store), which pure flake evaluation forbids",
                        path.text
                    ),
                    format!("write it as a string, `\"{}\"`, which the machine reads when it runs", path.text),
                ),
                PathKind::Absolute | PathKind::Home => (
                    format!("`{}` is outside the project: pure flake evaluation cannot read it", path.text),
                    "copy the file next to the configuration and refer to it with a relative path".to_string(),
                ),
                PathKind::Relative => continue,
            };
            out.push(Diagnostic::new(&Self::META, path.span, message).help(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, spans};

    #[test]
    fn search_absolute_and_home_paths() {
        let text = "{ imports = [ <nixpkgs/nixos/modules/profiles/minimal.nix> /etc/nixos/x.nix ~/y.nix ./z.nix ]; a = \"/etc/str\"; }";
        let ds = findings("impure-path", text);
        assert_eq!(spans(text, &ds), ["<nixpkgs/nixos/modules/profiles/minimal.nix>", "/etc/nixos/x.nix", "~/y.nix"]);
        assert!(ds[0].help.as_deref().unwrap().contains("modulesPath + \"/profiles/minimal.nix\""));
    }

    #[test]
    fn files_of_the_running_system_stay_strings() {
        let text = "{ default = /run/agenix/factorio-bot; src = /. + \"/nix/store/x\"; other = /home/me/x.nix; }";
        let ds = findings("impure-path", text);
        assert_eq!(spans(text, &ds), ["/run/agenix/factorio-bot", "/home/me/x.nix"], "npins' `/.` is no file");
        let help = ds[0].help.as_deref().unwrap();
        assert!(
            help.contains("write it as a string, `\"/run/agenix/factorio-bot\"`") && !help.contains("copy"),
            "{help}"
        );
        assert!(ds[1].help.as_deref().unwrap().contains("copy the file"), "a file of the user's may be copied");
        let ds = findings("impure-path", "{ imports = [ /etc/nixos/users.nix ]; }");
        assert!(ds[0].help.as_deref().unwrap().contains("copy the file"), "a configuration's own file");
    }
}
