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
    /// Example:
    ///
    /// ```nix
    /// imports = [ <nixpkgs/nixos/modules/profiles/minimal.nix> /etc/nixos/users.nix ];
    /// imports = [ (modulesPath + "/profiles/minimal.nix") ./users.nix ];   # pure
    /// ```
    ImpurePath, "impure-path", Warning
}

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
}
