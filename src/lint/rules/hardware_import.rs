//! `hardware-import`: `hardware-configuration.nix` imported.

use crate::lint::{declare_lint, Context, Diagnostic, Fix, Lint, Meta};
use crate::syntax::ImportTarget;
use crate::text::{removal_span, Edit};

declare_lint! {
    /// What: the module imports `hardware-configuration.nix`, the file
    /// `nixos-generate-config` writes for one physical machine.
    ///
    /// Why: it describes disks by UUID, kernel modules for real hardware,
    /// CPU microcode and often `nixpkgs.hostPlatform`. In a VM its file
    /// systems are replaced and the rest is useless or wrong; the path is
    /// often absent from the repository a VM is built from. Dropping it also
    /// drops `nixpkgs.hostPlatform`: set that elsewhere (`nixvm init` does it
    /// in the generated VM module).
    ///
    /// Fix: remove the entry from the `imports` list, keeping the list's
    /// layout and comments.
    ///
    /// Example:
    ///
    /// ```nix
    /// imports = [ ./hardware-configuration.nix ./services.nix ];
    /// imports = [ ./services.nix ];   # fixed
    /// ```
    HardwareImport, "hardware-import", Warning
}

/// Whether `d` sets the machine's platform (`nixpkgs.hostPlatform`, or
/// the older `nixpkgs.system` / `nixpkgs.localSystem`), which a hardware
/// configuration often holds (the machine-level pass asks it of every
/// module of a machine).
pub(crate) fn sets_platform(d: &crate::syntax::Definition) -> bool {
    d.starts_with(&["nixpkgs", "hostPlatform"])
        || d.starts_with(&["nixpkgs", "system"])
        || d.starts_with(&["nixpkgs", "localSystem"])
}

impl Lint for HardwareImport {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for module in &cx.file.modules {
            for import in &module.imports {
                if import.target.file_name() != Some("hardware-configuration.nix")
                    || matches!(import.target, ImportTarget::ModulesPath(_))
                {
                    continue;
                }
                let fix = import.in_list.then(|| Fix {
                    description: "remove the import of hardware-configuration.nix".into(),
                    edits: vec![Edit::delete(removal_span(cx.text, import.span))],
                });
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        import.span,
                        "hardware-configuration.nix describes the physical machine (disks, kernel modules, platform); a VM does not use it",
                    )
                    .machine(module.machine.as_ref())
                    .help("remove the import for the VM; keep `nixpkgs.hostPlatform` set elsewhere (nixvm init sets it in its VM module)")
                    .fix(fix),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, fixed};

    const CODE: &str = "hardware-import";

    fn fix(text: &str) -> String {
        fixed(text, &findings(CODE, text))
    }

    #[test]
    fn removes_the_entry_whatever_the_layout() {
        let cases = [
            ("{ imports = [ ./hardware-configuration.nix ]; }", "{ imports = [ ]; }"),
            ("{ imports = [ ./hardware-configuration.nix ./a.nix ]; }", "{ imports = [ ./a.nix ]; }"),
            ("{ imports = [ ./a.nix ./hardware-configuration.nix ./b.nix ]; }", "{ imports = [ ./a.nix ./b.nix ]; }"),
            ("{ imports = [ ./a.nix ./hardware-configuration.nix ]; }", "{ imports = [ ./a.nix ]; }"),
            ("{ imports = [./hardware-configuration.nix]; }", "{ imports = []; }"),
            (
                "{\n  imports =\n    [ # Include the results of the hardware scan.\n      ./hardware-configuration.nix\n    ];\n}\n",
                "{\n  imports =\n    [ # Include the results of the hardware scan.\n    ];\n}\n",
            ),
            (
                "{\n  imports = [\n    ./a.nix\n    ./hardware-configuration.nix # scan\n    ./b.nix\n  ];\n}",
                "{\n  imports = [\n    ./a.nix\n    # scan\n    ./b.nix\n  ];\n}",
            ),
            (
                "{\r\n  imports = [\r\n    ./hardware-configuration.nix\r\n    ./b.nix\r\n  ];\r\n}",
                "{\r\n  imports = [\r\n    ./b.nix\r\n  ];\r\n}",
            ),
            ("{ imports = [ (import ./hardware-configuration.nix) ]; }", "{ imports = [ ]; }"),
            ("{ imports = [ ./a.nix\n    ./hardware-configuration.nix ];\n}", "{ imports = [ ./a.nix ];\n}"),
            ("{ imports = [ ./a.nix ] ++ [ ./hardware-configuration.nix ]; }", "{ imports = [ ./a.nix ] ++ [ ]; }"),
            ("{ imports = [ \"/etc/nixos/hardware-configuration.nix\" ]; }", "{ imports = [ ]; }"),
            ("{ pkgs, ... }: { imports = [\t./hardware-configuration.nix\t./x.nix ]; }", "{ pkgs, ... }: { imports = [\t./x.nix ]; }"),
        ];
        for (before, after) in cases {
            assert_eq!(fix(before), after, "{before:?}");
        }
    }

    #[test]
    fn other_imports_are_quiet() {
        let text =
            "{ modulesPath, ... }: { imports = [ ./hardware.nix (modulesPath + \"/profiles/qemu-guest.nix\") ]; }";
        assert!(findings(CODE, text).is_empty());
    }
}
