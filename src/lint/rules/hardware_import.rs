//! `hardware-import`: `hardware-configuration.nix` imported.

use crate::lint::{declare_lint, Context, Diagnostic, Fix, Lint, Meta};
use crate::syntax::ImportTarget;
use crate::text::{removal_span, Edit};

declare_lint! {
    /// What: the module imports `hardware-configuration.nix`, the file
    /// `nixos-generate-config` writes for one physical machine.
    ///
    /// Why: it describes disks by UUID, kernel modules for real hardware,
    /// CPU microcode and often `nixpkgs.hostPlatform`. A VM does not need
    /// it and is not hurt by it: qemu-vm.nix replaces the file systems,
    /// swap and the boot loader's device (`mkVMOverride`), and the rest
    /// does no harm. The real machine needs it, so nixvm never removes it
    /// from your file: `nixvm init` leaves it out of its own copies only.
    /// It matters where the file is missing (it is made per machine and
    /// often kept out of git): then the configuration cannot evaluate at
    /// all, and this finding is a warning that says what to do.
    ///
    /// Fix: none in place. `nixvm init --from configuration.nix` copies the
    /// configuration without the import; or generate the file
    /// (`nixos-generate-config --show-hardware-config`) and let git see it
    /// (`git add -N`).
    ///
    /// Example:
    ///
    /// ```nix
    /// imports = [ ./hardware-configuration.nix ./services.nix ];
    /// ```
    HardwareImport, "hardware-import", Note
}

impl Lint for HardwareImport {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    /// Its note asks nothing (its warning, for a missing file, does).
    fn gist(&self) -> Option<&'static str> {
        Some("the VM needs none of")
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
                        "hardware-configuration.nix describes the physical machine (disks, kernel modules, platform); the VM replaces its file systems and is not hurt by the rest",
                    )
                    .machine(module.machine.as_ref())
                    .help(KEEP)
                    .copy_fix(fix),
                );
            }
        }
    }
}

/// The help of a hardware import whose file is there.
pub(crate) const KEEP: &str =
    "nothing to change: your machine needs it, and nixvm init leaves it out of its copies only";

/// A hardware import whose file does not exist where the import points
/// (`written`, as the import writes it): the configuration cannot
/// evaluate; say so and what to do.
pub(crate) fn missing(d: &mut Diagnostic, written: &str) {
    d.severity = crate::lint::Severity::Warning;
    d.message = format!(
        "`{written}` does not exist: nix cannot evaluate this configuration here (\"No such file or directory\"), for the VM or otherwise"
    );
    d.help = Some(
        "a VM does not need the file: `nixvm init --from` copies the configuration without this import; or generate it on the machine (`nixos-generate-config --show-hardware-config > hardware-configuration.nix`) and, in a flake, `git add -N` it"
            .into(),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, fixed};

    const CODE: &str = "hardware-import";

    /// The text as `init` copies it: the copy fix applied.
    fn fix(text: &str) -> String {
        let copies: Vec<_> = findings(CODE, text)
            .into_iter()
            .map(|d| crate::lint::Diagnostic { fix: d.copy_fix.clone(), ..d })
            .collect();
        fixed(text, &copies)
    }

    #[test]
    fn the_users_own_file_is_never_fixed() {
        let text = "{ imports = [ ./hardware-configuration.nix ./a.nix ]; }";
        let found = findings(CODE, text);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none(), "an in-place fix would drop the real machine's file systems");
        assert_eq!(found[0].severity, crate::lint::Severity::Note);
        let out = crate::rewrite::fix_text(text, &Default::default());
        assert_eq!(out.text, text);
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
