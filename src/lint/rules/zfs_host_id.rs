//! `zfs-host-id`: ZFS without `networking.hostId`.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, MachineLevel, Meta};
use crate::syntax::{Definition, Value};

declare_lint! {
    /// What: the configuration uses ZFS (`boot.supportedFilesystems`
    /// includes `zfs`, a file system of type `zfs`, or `boot.zfs` settings)
    /// and this file does not set `networking.hostId`.
    ///
    /// Why: NixOS's ZFS module asserts that `networking.hostId` is set (ZFS
    /// pools record the host that imported them), so the configuration,
    /// and its VM, fail to evaluate. On hardware it is often set in a file
    /// the VM does not include.
    ///
    /// Example:
    ///
    /// ```nix
    /// boot.supportedFilesystems = [ "zfs" ];
    /// networking.hostId = "8425e349";   # 8 hex digits, unique per machine
    /// ```
    ZfsHostId, "zfs-host-id", Warning
}

fn uses_zfs(d: &Definition) -> bool {
    let zfs = |v: &Value| v.as_str() == Some("zfs");
    let fs_list =
        d.starts_with(&["boot", "supportedFilesystems"]) || d.starts_with(&["boot", "initrd", "supportedFilesystems"]);
    match &d.value {
        Value::List(items) if fs_list => items.iter().any(zfs),
        Value::Bool(true) if fs_list => d.path.last().is_some_and(|l| l == "zfs"),
        v if d.starts_with(&["fileSystems"]) && d.path.last().is_some_and(|l| l == "fsType") => zfs(v),
        _ => d.starts_with(&["boot", "zfs"]) && d.value != Value::AttrSet,
    }
}

/// Whether `d` sets the host id (the machine-level pass asks it of every
/// module of a machine, `lint::machines`).
pub(crate) fn sets_host_id(d: &Definition) -> bool {
    d.path == ["networking", "hostId"] && d.value != Value::Null
}

/// The finding's message: the host id is not set `where`.
fn message(place: &str) -> String {
    format!("ZFS is used but `networking.hostId` is not set {place}: NixOS's ZFS module refuses to evaluate without it")
}

static MACHINE_LEVEL: MachineLevel = MachineLevel {
    answered_by: sets_host_id,
    applies: |_| true,
    over_machine: |_| message("in any module of this machine"),
};

impl Lint for ZfsHostId {
    fn machine_level(&self) -> Option<&'static MachineLevel> {
        Some(&MACHINE_LEVEL)
    }

    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // Each machine of a network file on its own.
        for machine in cx.machines() {
            if cx.definitions_of(machine).any(|(_, d)| sets_host_id(d)) {
                continue;
            }
            let Some((_, def)) = cx.definitions_of(machine).find(|(_, d)| uses_zfs(d)) else {
                continue;
            };
            let d = Diagnostic::new(&Self::META, def.key_span(), message("in this file"))
                .option("networking.hostId")
                .help(
                "set `networking.hostId = \"<8 hex digits>\";` (e.g. from `head -c4 /dev/urandom | od -A none -t x4`)",
            );
            Context::push_for(out, d, machine);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::findings;

    #[test]
    fn each_machine_of_a_network_on_its_own() {
        let text = r#"{
  store = { ... }: { boot.supportedFilesystems = [ "zfs" ]; networking.hostId = "8425e349"; };
  backup = { ... }: { boot.supportedFilesystems = [ "zfs" ]; };
}"#;
        let ds = findings("zfs-host-id", text);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].machines, ["backup"]);
    }

    #[test]
    fn zfs_without_host_id() {
        for text in [
            "{ boot.supportedFilesystems = [ \"zfs\" ]; }",
            "{ boot.supportedFilesystems.zfs = true; }",
            "{ fileSystems.\"/\" = { device = \"rpool/root\"; fsType = \"zfs\"; }; }",
            "{ boot.zfs.forceImportRoot = false; }",
        ] {
            assert_eq!(findings("zfs-host-id", text).len(), 1, "{text}");
        }
        assert!(findings(
            "zfs-host-id",
            "{ boot.supportedFilesystems = [ \"zfs\" ]; networking.hostId = \"8425e349\"; }"
        )
        .is_empty());
        assert!(findings("zfs-host-id", "{ boot.supportedFilesystems = [ \"ext4\" ]; }").is_empty());
    }
}
