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
    VmOverrideIgnored, "vm-override-ignored", Note
}

impl Lint for VmOverrideIgnored {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn gist(&self) -> Option<&'static str> {
        Some("the VM replaces")
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // One finding per option and machine, at its first definition,
        // naming the lines of the others: a hardware configuration defines
        // many file systems, and each would drown the real findings.
        let mut found: Vec<(String, Option<&String>, usize, Vec<crate::text::Span>)> = vec![];
        for (module, def) in cx.definitions() {
            for (index, entry) in cx.options.table.overridden.iter().enumerate() {
                let prefix = &entry.option;
                // A definition at a priority as strong as qemu-vm.nix's is
                // not ignored (stronger wins; equal merges or conflicts,
                // which `nixvm check` tells).
                if !def.names(prefix) || def.priority.level.is_some_and(|l| l <= entry.level) {
                    continue;
                }
                let option = dotted(&entry.option);
                let machine = module.machine.as_ref();
                match found.iter_mut().find(|(o, m, _, _)| *o == option && *m == machine) {
                    Some((_, _, _, spans)) => spans.push(def.key_span()),
                    None => found.push((option, machine, index, vec![def.key_span()])),
                }
            }
        }
        if found.is_empty() {
            return;
        }
        let lines = crate::text::LineIndex::new(cx.text);
        for (option, machine, index, spans) in found {
            let entry = &cx.options.table.overridden[index];
            let others: Vec<String> =
                spans[1..].iter().map(|s| lines.position(cx.text, s.start).line.to_string()).collect();
            let what = match others.as_slice() {
                [] => "this value is ignored there".to_string(),
                [line] => format!("this value and the one on line {line} are ignored there"),
                more => format!("this value and those on lines {} are ignored there", more.join(", ")),
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    spans[0],
                    format!(
                        "`{option}` is replaced in the VM (qemu-vm.nix sets it with {}{}): {what}",
                        entry.via,
                        crate::lint::kb::when(&entry.conditions)
                    ),
                )
                .option(option)
                .machine(machine)
                .help("nothing to change for the hardware; to test a different value in the VM, set it under `virtualisation.vmVariant`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, spans};

    const CODE: &str = "vm-override-ignored";

    #[test]
    fn reports_each_option_once_at_its_first_binding_naming_the_others() {
        let text = "{\n  fileSystems.\"/\" = { device = \"/dev/sda1\"; fsType = \"ext4\"; };\n  fileSystems.\"/boot\".device = \"/dev/sda2\";\n  swapDevices = [ { device = \"/swap\"; } ];\n  fileSystems.\"/home\".device = \"/dev/sda3\";\n  boot.loader.grub.device = \"/dev/sda\";\n}";
        let ds = findings(CODE, text);
        assert_eq!(spans(text, &ds), [r#"fileSystems."/""#, "swapDevices", "boot.loader.grub.device"]);
        assert!(ds[0].message.ends_with("this value and those on lines 3, 5 are ignored there"), "{}", ds[0].message);
        assert!(ds[1].message.ends_with("this value is ignored there"), "{}", ds[1].message);
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
