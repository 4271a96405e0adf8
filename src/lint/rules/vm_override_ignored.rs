//! `vm-override-ignored`: a value the VM replaces with `mkVMOverride`.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, Meta};
use crate::syntax::dotted;

declare_lint! {
    /// What: the configuration sets an option that `qemu-vm.nix` replaces in
    /// the VM with `mkVMOverride` (priority 10): `fileSystems`,
    /// `swapDevices`, `boot.initrd.luks.devices`, `boot.loader.grub.device`,
    /// `networking.wireless.enable`, `services.connman.enable`,
    /// `services.xserver.videoDrivers`.
    ///
    /// Why: nothing breaks, but the value is silently ignored in the VM: it
    /// mounts its own disk image, has no swap, no LUKS, no wireless. What
    /// you test in the VM is not what runs on hardware for these options.
    ///
    /// Example:
    ///
    /// ```nix
    /// fileSystems."/".device = "/dev/disk/by-label/nixos";   # VM uses its own disk
    /// ```
    VmOverrideIgnored, "vm-override-ignored", Info
}

impl Lint for VmOverrideIgnored {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for (module, def) in cx.definitions() {
            for entry in &cx.options.table.overridden {
                let replaced = &entry.option;
                let prefix: Vec<&str> = replaced.iter().map(String::as_str).collect();
                // A definition at a priority as strong as qemu-vm.nix's is
                // not ignored (stronger wins; equal merges or conflicts,
                // which `nixvm check` tells).
                if !def.names(&prefix) || def.priority.level.is_some_and(|l| l <= entry.level) {
                    continue;
                }
                let option = dotted(replaced);
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        def.key_span(),
                        format!(
                            "`{option}` is replaced in the VM (qemu-vm.nix sets it with {}{}): this value is ignored there",
                            entry.via,
                            crate::lint::kb::when(&entry.conditions)
                        ),
                    )
                    .option(option)
                    .machine(module.machine.as_ref())
                    .help("nothing to change for the hardware; to test a different value in the VM, set it under `virtualisation.vmVariant`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, spans};

    const CODE: &str = "vm-override-ignored";

    #[test]
    fn reports_the_binding_that_names_the_option_once() {
        let text = r#"{ fileSystems."/" = { device = "/dev/sda1"; fsType = "ext4"; }; fileSystems."/boot".device = "/dev/sda2"; swapDevices = [ { device = "/swap"; } ]; boot.loader.grub.device = "/dev/sda"; }"#;
        let ds = findings(CODE, text);
        assert_eq!(
            spans(text, &ds),
            [r#"fileSystems."/""#, r#"fileSystems."/boot".device"#, "swapDevices", "boot.loader.grub.device"]
        );
        let nested = "{ boot = { initrd.luks.devices = { root.device = \"/dev/sda2\"; }; }; }";
        assert_eq!(spans(nested, &findings(CODE, nested)), ["initrd.luks.devices"]);
    }

    #[test]
    fn unrelated_and_overriding_definitions_are_quiet() {
        assert!(findings(CODE, "{ boot.loader.grub.enable = true; networking.wireless.networks = {}; }").is_empty());
        assert!(findings(CODE, "{ lib, ... }: { networking.wireless.enable = lib.mkOverride 5 true; }").is_empty());
        assert_eq!(findings(CODE, "{ networking.wireless.enable = true; }").len(), 1);
        // mkVMOverride's own level is a tie, not ignored.
        assert!(findings(CODE, "{ lib, ... }: { networking.wireless.enable = lib.mkVMOverride true; }").is_empty());
    }

    #[test]
    fn one_binding_read_as_two_definitions_is_reported_once() {
        let text = "{ lib, c, ... }: { swapDevices = (if c then lib.mkDefault else lib.mkOptionDefault) [ ]; }";
        assert_eq!(spans(text, &findings(CODE, text)), ["swapDevices"]);
    }
}
