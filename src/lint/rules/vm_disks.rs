//! `vm-disks`: disk layouts and boot setups the VM does not have (disko,
//! impermanence, ZFS pools, an EFI boot loader), said once per machine and
//! kind.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, Meta};
use crate::syntax::{Definition, Value};

declare_lint! {
    /// What: the machine describes its disks or its boot in a way its VM
    /// does not reproduce: a disko layout (`disko.devices`), impermanence's
    /// persistent paths (`environment.persistence`), ZFS pools imported
    /// at boot (`boot.zfs.extraPools`), or an EFI boot loader that writes
    /// EFI variables (`boot.loader.efi.canTouchEfiVariables`,
    /// `boot.loader.systemd-boot.enable`).
    ///
    /// Why: the VM replaces `fileSystems` with its own (qemu-vm.nix): one
    /// ext4 root disk, `.nixvm/M/M.qcow2`, kept from run to run until
    /// `nixvm clean`. disko's partitions, LUKS and pools are not made (to
    /// test the layout itself, use disko's `vmWithDisko`); impermanence's
    /// persistent storage is a directory on that disk and the root is not a
    /// tmpfs, so nothing is wiped at boot; nixvm's VM imports no extra ZFS
    /// pool, where each would otherwise fail after a minute's wait at every
    /// boot. The VM boots its kernel directly (qemu-vm.nix's default), so
    /// no boot loader is installed and no EFI variable written, by `run` or
    /// by `deploy` (which activates with `switch-to-configuration test`). A
    /// VM variant that asks for `virtualisation.useBootLoader` and
    /// `useEFIBoot` keeps its EFI variables in `.nixvm/M/efi-vars.fd`, one
    /// file per machine, which `nixvm clean` resets. The machine's services
    /// run, on the VM's one disk.
    ///
    /// Example:
    ///
    /// ```nix
    /// environment.persistence."/persist".directories = [ "/var/lib/postgresql" ];
    /// ```
    VmDisks, "vm-disks", Note
}

/// A kind of layout this lint knows.
struct Kind {
    /// How to tell a definition of it.
    is: fn(&Definition) -> bool,
    /// What the VM does instead.
    says: &'static str,
    /// What it says instead when the machine's VM boots through a boot
    /// loader of its own.
    with_boot_loader: Option<&'static str>,
    /// How many components of the option the finding names.
    named: usize,
}

const KINDS: &[Kind] = &[
    Kind {
        is: |d| d.starts_with(&["disko", "devices"]),
        says: "the disko layout is not made in the VM: it boots from one ext4 disk (.nixvm/MACHINE/MACHINE.qcow2); disko's vmWithDisko tests the layout itself",
        with_boot_loader: None,
        named: 2,
    },
    Kind {
        is: |d| d.starts_with(&["environment", "persistence"]),
        says: "impermanence's persistent storage is a directory on the VM's one disk, and its root is no tmpfs: everything is kept from run to run until `nixvm clean`",
        with_boot_loader: None,
        named: 2,
    },
    Kind {
        is: |d| d.path == ["boot", "zfs", "extraPools"] && d.value != Value::List(vec![]),
        says: "the VM has none of these ZFS pools, and nixvm's VM imports none (each import would fail after a minute's wait at every boot)",
        with_boot_loader: None,
        named: 3,
    },
    Kind {
        is: |d| {
            (d.path == ["boot", "loader", "efi", "canTouchEfiVariables"]
                || d.path == ["boot", "loader", "systemd-boot", "enable"])
                && d.value != Value::Bool(false)
        },
        says: "the VM boots its kernel directly: no boot loader is installed and no EFI variable written; a VM variant with virtualisation.useBootLoader and useEFIBoot keeps its EFI variables in .nixvm/MACHINE/efi-vars.fd, which `nixvm clean` resets",
        with_boot_loader: Some("the VM boots through a boot loader on its own disk image and keeps its EFI variables in .nixvm/MACHINE/efi-vars.fd, one file per machine, which `nixvm clean` resets; the host's EFI variables are never touched"),
        named: 4,
    },
];

/// The machine's VM variant boots with a boot loader
/// (`virtualisation.useBootLoader`, or `vmVariantWithBootLoader`).
fn vm_boots_a_loader(d: &Definition) -> bool {
    d.path == ["virtualisation", "vmVariant", "virtualisation", "useBootLoader"] && d.value == Value::Bool(true)
        || d.starts_with(&["virtualisation", "vmVariantWithBootLoader"])
}

impl Lint for VmDisks {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for machine in cx.machines() {
            let boots_a_loader = cx.definitions_of(machine).any(|(_, d)| vm_boots_a_loader(d));
            for kind in KINDS {
                // Once per machine and kind, at its first definition.
                if let Some((_, def)) = cx.definitions_of(machine).find(|(_, d)| (kind.is)(d)) {
                    let says = kind.with_boot_loader.filter(|_| boots_a_loader).unwrap_or(kind.says);
                    let d = Diagnostic::new(&Self::META, def.key_span(), says)
                        .option(crate::syntax::dotted(&def.path[..kind.named.min(def.path.len())]));
                    Context::push_for(out, d, machine);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, spans};

    const CODE: &str = "vm-disks";

    #[test]
    fn each_layout_once() {
        let text = r#"{
  disko.devices.disk.main = { device = "/dev/nvme0n1"; type = "disk"; };
  disko.devices.zpool.tank.type = "zpool";
  environment.persistence."/persist".directories = [ "/var/lib/postgresql" ];
  environment.persistence."/persist".files = [ "/etc/machine-id" ];
  boot.zfs.extraPools = [ "tank" ];
  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
}"#;
        let ds = findings(CODE, text);
        assert_eq!(
            spans(text, &ds),
            [
                "disko.devices.disk.main",
                r#"environment.persistence."/persist".directories"#,
                "boot.zfs.extraPools",
                "boot.loader.systemd-boot.enable"
            ]
        );
        assert!(ds[3].message.contains(".nixvm/MACHINE/efi-vars.fd"), "{}", ds[3].message);
        assert!(ds[1].message.contains("nixvm clean"), "{}", ds[1].message);
    }

    #[test]
    fn a_vm_with_its_own_boot_loader_keeps_its_efi_variables() {
        let text = r#"{
  boot.loader.systemd-boot.enable = true;
  virtualisation.vmVariant.virtualisation = { useBootLoader = true; useEFIBoot = true; };
}"#;
        let ds = findings(CODE, text);
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.starts_with("the VM boots through a boot loader"), "{}", ds[0].message);
        assert_eq!(ds[0].option.as_deref(), Some("boot.loader.systemd-boot.enable"));
    }

    #[test]
    fn nothing_to_say() {
        assert!(findings(CODE, "{ boot.zfs.extraPools = [ ]; fileSystems.\"/\".device = \"/dev/sda1\"; }").is_empty());
        assert!(findings(CODE, "{ boot.loader.efi.canTouchEfiVariables = false; boot.loader.grub.enable = true; }")
            .is_empty());
    }
}
