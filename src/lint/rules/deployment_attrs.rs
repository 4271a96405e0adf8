//! `deployment-attrs`: NixOps/colmena attributes in a NixOS module.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, Meta};
use crate::syntax::dotted;

declare_lint! {
    /// What: the module sets `deployment.*` (NixOps, colmena) or
    /// `network.*` attributes.
    ///
    /// Why: they are read by the deploy tool, not declared as NixOS options.
    /// Evaluating the module on its own, as `nixos-rebuild build-vm` does,
    /// fails with "The option `deployment' does not exist".
    ///
    /// In a network or hive file, where NixOps and colmena read them, they
    /// are where they belong: nothing is said. `nixvm init` (and flake mode)
    /// declares stub `deployment` options for the VMs, so the network file
    /// stays deployable with colmena or NixOps.
    ///
    /// Example:
    ///
    /// ```nix
    /// deployment.targetHost = "web.example.org";
    /// ```
    DeploymentAttrs, "deployment-attrs", Warning
}

impl Lint for DeploymentAttrs {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // A network file or colmena hive: the deploy tool's own place.
        if cx.file.network.is_some() {
            return;
        }
        for (module, def) in cx.definitions() {
            for root in ["deployment", "network"] {
                if !def.names(&[root]) {
                    continue;
                }
                let option = dotted(&def.path);
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        def.key_span(),
                        format!("`{option}` is read by NixOps/colmena, it is not a NixOS option: evaluating this module alone fails with \"The option `{root}' does not exist\""),
                    )
                    .option(option)
                    .machine(module.machine.as_ref())
                    .help("they belong in the network file (or colmena hive), where the deploy tool reads them; nixvm declares stub `deployment` options for its VMs, plain `nixos-rebuild build-vm` does not"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, spans};

    #[test]
    fn reports_deployment_bindings() {
        let text = "{ deployment.targetHost = \"1.2.3.4\"; deployment = { tags = [ ]; }; services.x = 1; }";
        assert_eq!(spans(text, &findings("deployment-attrs", text)), ["deployment.targetHost", "deployment"]);
        // In a network file or hive, they are where they belong.
        let net = "{ network.description = \"x\"; web = { ... }: { deployment.targetHost = \"h\"; }; }";
        assert!(findings("deployment-attrs", net).is_empty());
        let hive = "{ meta.nixpkgs = 1; web = { deployment.targetHost = \"h\"; }; }";
        assert!(findings("deployment-attrs", hive).is_empty());
    }
}
