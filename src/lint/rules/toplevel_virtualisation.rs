//! `toplevel-virtualisation`: qemu-vm options set outside the VM variant.

use crate::lint::{declare_lint, Context, Diagnostic, Fix, Lint, Meta, Release};
use crate::syntax::dotted;
use crate::text::Edit;

declare_lint! {
    /// What: a `qemu-vm.nix` option such as `virtualisation.memorySize` or
    /// `virtualisation.forwardPorts` is set at the top of the configuration
    /// instead of under `virtualisation.vmVariant`.
    ///
    /// Why: those options exist only when qemu-vm.nix is imported, which the
    /// configuration for real hardware does not do: evaluating it fails with
    /// "The option `virtualisation.memorySize' does not exist". Under
    /// `virtualisation.vmVariant` (NixOS 22.05 and later) they apply to the
    /// VM only.
    ///
    /// Fix: move the key under `virtualisation.vmVariant.virtualisation`.
    ///
    /// Example:
    ///
    /// ```nix
    /// virtualisation.memorySize = 4096;                                 # breaks hardware
    /// virtualisation.vmVariant.virtualisation.memorySize = 4096;        # fixed
    /// ```
    ToplevelVirtualisation, "toplevel-virtualisation", Warning
}

/// Options declared by qemu-vm.nix under `virtualisation.`.
pub const QEMU_VM_OPTIONS: &[&str] = &[
    "memorySize",
    "msize",
    "diskSize",
    "diskImage",
    "bootLoaderDevice",
    "bootPartition",
    "rootDevice",
    "emptyDiskImages",
    "graphics",
    "resolution",
    "cores",
    "sharedDirectories",
    "additionalPaths",
    "forwardPorts",
    "restrictNetwork",
    "vlans",
    "interfaces",
    "writableStore",
    "writableStoreUseTmpfs",
    "fileSystems",
    "qemu",
    "useNixStoreImage",
    "directBoot",
    "useBootLoader",
    "useEFIBoot",
    "efi",
    "tpm",
    "useDefaultFilesystems",
    "useSecureBoot",
    "host",
    "mountHostNixStore",
    "installBootLoader",
    "bios",
    "useHostCerts",
    "credentials",
    "bootDevice",
];

/// The release that introduced `virtualisation.vmVariant`.
const VM_VARIANT_SINCE: Release = Release::new(22, 5);

impl Lint for ToplevelVirtualisation {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for (module, def) in cx.definitions() {
            if def.path.len() < 2 || def.path[0] != "virtualisation" || def.key_start > 1 {
                continue;
            }
            // A module that imports qemu-vm.nix itself is a VM configuration.
            if module.imports.iter().any(|i| i.target.file_name() == Some("qemu-vm.nix")) {
                continue;
            }
            let name = def.path[1].as_str();
            // One the release removed is `vm-option-removed`'s: moving it
            // would not help (a renamed one still moves).
            if !QEMU_VM_OPTIONS.contains(&name)
                || cx.options.table.gone.iter().any(|g| g.renamed_to.is_none() && def.path.starts_with(&g.option))
            {
                continue;
            }
            let option = dotted(&def.path[..2]);
            let fix = match def.key_component(1) {
                Some(span) if cx.options.release >= VM_VARIANT_SINCE && def.inherited.is_none() => Some(Fix {
                    description: format!("move `{option}` under `virtualisation.vmVariant`"),
                    edits: vec![Edit::insert(span.start, "vmVariant.virtualisation.")],
                }),
                _ => None,
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    def.key_span(),
                    format!("`{option}` is a qemu-vm.nix option: outside `virtualisation.vmVariant` it does not exist on real hardware"),
                )
                .option(option.clone())
                .machine(module.machine.as_ref())
                .help(format!("set it as `virtualisation.vmVariant.{option}` so it applies to the VM only"))
                .fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, findings_with, fixed};
    use crate::lint::{LintOptions, Release};

    const CODE: &str = "toplevel-virtualisation";

    #[test]
    fn moves_keys_under_vm_variant() {
        let cases = [
            ("{ virtualisation.memorySize = 4096; }", "{ virtualisation.vmVariant.virtualisation.memorySize = 4096; }"),
            (
                "{ virtualisation = { cores = 2; docker.enable = true; }; }",
                "{ virtualisation = { vmVariant.virtualisation.cores = 2; docker.enable = true; }; }",
            ),
            (
                "{ virtualisation.forwardPorts = [ { from = \"host\"; host.port = 8080; guest.port = 80; } ]; }",
                "{ virtualisation.vmVariant.virtualisation.forwardPorts = [ { from = \"host\"; host.port = 8080; guest.port = 80; } ]; }",
            ),
            (
                "{ virtualisation.qemu.options = [ ]; virtualisation.qemu.guestAgent.enable = false; }",
                "{ virtualisation.vmVariant.virtualisation.qemu.options = [ ]; virtualisation.vmVariant.virtualisation.qemu.guestAgent.enable = false; }",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(fixed(before, &findings(CODE, before)), after);
        }
    }

    #[test]
    fn vm_variant_and_other_virtualisation_options_are_quiet() {
        for text in [
            "{ virtualisation.vmVariant.virtualisation.memorySize = 4096; }",
            "{ virtualisation.vmVariant = { virtualisation.cores = 4; }; }",
            "{ virtualisation.docker.enable = true; virtualisation.libvirtd.enable = true; }",
            "{ modulesPath, ... }: { imports = [ (modulesPath + \"/virtualisation/qemu-vm.nix\") ]; virtualisation.memorySize = 4096; }",
        ] {
            assert!(findings(CODE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn no_fix_before_vm_variant_existed() {
        let ds = findings_with(CODE, "{ virtualisation.cores = 2; }", &LintOptions::new(Release::new(21, 11), false));
        assert_eq!(ds.len(), 1);
        assert!(ds[0].fix.is_none());
    }
}
