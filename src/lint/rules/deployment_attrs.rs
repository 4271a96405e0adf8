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
    /// `nixvm init` declares stub `deployment` options in its generated VM
    /// module, so the network file stays deployable with colmena or NixOps.
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
                    .help("nixvm init declares stub `deployment` options for the VM; for plain `nixos-rebuild build-vm`, keep these in the network file"),
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
        let net = "{ network.description = \"x\"; web = { ... }: { deployment.targetHost = \"h\"; }; }";
        let ds = findings("deployment-attrs", net);
        assert_eq!(ds.len(), 1, "the network's own `network` attribute is not a machine's");
        assert_eq!(ds[0].machine.as_deref(), Some("web"));
    }
}
