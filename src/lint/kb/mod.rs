//! What `qemu-vm.nix` defines: the definitions that conflict with a user's
//! plain-priority value, and the options it replaces with `mkVMOverride`.
//! The built-in table, by NixOS release, is written from the facts in
//! DESIGN.md and, for what came after them (the options qemu-vm.nix
//! removed in 23.05 and on nixos-unstable with its move to virtiofs,
//! nixpkgs PR 552774), from nixpkgs' own qemu-vm.nix and that PR; `derive`
//! reads the table from a nixpkgs source tree instead.

mod derive;

pub use derive::{derive, DeriveError, Reader, QEMU_VM, TEST_INSTRUMENTATION};

use crate::syntax::Value;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A NixOS release, `YY.MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    pub year: u16,
    pub month: u8,
}

impl Release {
    pub const fn new(year: u16, month: u8) -> Self {
        Release { year, month }
    }

    /// The newest stable release (what `init` pins by default).
    pub const NEWEST: Release = Release::new(26, 5);
    /// The release in development (nixos-unstable), which the built-in
    /// table knows through 2026-09.
    pub const UNSTABLE: Release = Release::new(26, 11);
    /// The oldest release the built-in table covers.
    pub const OLDEST: Release = Release::new(17, 9);
}

impl Release {
    /// The release a nixpkgs branch follows: `nixos-24.11`,
    /// `nixos-24.11-small`, `release-24.11`, `nixpkgs-24.11-darwin`;
    /// `nixos-unstable`, `nixpkgs-unstable` and `master` are the release in
    /// development. `None` for any other name.
    pub fn of_branch(branch: &str) -> Option<Release> {
        let name = ["nixos-", "nixpkgs-", "release-"].iter().find_map(|p| branch.strip_prefix(p)).unwrap_or(branch);
        let name = name.trim_end_matches("-small").trim_end_matches("-darwin");
        match name {
            "unstable" | "master" => Some(Release::UNSTABLE),
            _ if name.len() == 5 => name.parse().ok(),
            _ => None,
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.year, self.month)
    }
}

impl FromStr for Release {
    type Err = String;

    /// `24.11`, `nixos-24.11`, `unstable` (the release in development)
    /// or `newest` (the newest stable release).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().trim_start_matches("nixos-");
        match s {
            "unstable" => return Ok(Release::UNSTABLE),
            "newest" => return Ok(Release::NEWEST),
            _ => {}
        }
        let bad = || format!("`{s}` is not a NixOS release (expected YY.MM such as 24.11, or `unstable`)");
        let (y, m) = s.split_once('.').ok_or_else(bad)?;
        let year: u16 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || y.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        Ok(Release { year, month })
    }
}

/// A plain-priority definition in qemu-vm.nix (or the test framework).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlainDefinition {
    #[serde(serialize_with = "option_dotted")]
    pub option: Vec<String>,
    /// The value qemu-vm.nix sets, when it is a literal.
    #[serde(serialize_with = "value_as_nix")]
    pub value: Option<Value>,
    /// The value's source text when it is not a literal, in a table read
    /// from nixpkgs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// How to describe the value when it is not a literal, or where it comes
    /// from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The conditions (`mkIf c`) it is under, as source text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Where it is defined (`nixos/modules/virtualisation/qemu-vm.nix:1001`),
    /// in a table read from nixpkgs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// An option qemu-vm.nix sets at a priority stronger than a plain definition
/// (`mkVMOverride`, `mkForce`): the user's value is ignored in the VM.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overridden {
    #[serde(serialize_with = "option_dotted")]
    pub option: Vec<String>,
    /// The wrapper (`mkVMOverride`).
    pub via: String,
    /// Its priority (10 for `mkVMOverride`, 50 for `mkForce`).
    pub level: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// A plain definition that merges with the user's instead of conflicting
/// (a list, multi-line text), listed so a derived table shows what it left
/// out and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merged {
    #[serde(serialize_with = "option_dotted")]
    pub option: Vec<String>,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// An option that qemu-vm.nix (or a module it imports) says is gone, with
/// `mkRemovedOptionModule` or `mkRenamedOptionModule`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gone {
    #[serde(serialize_with = "option_dotted")]
    pub option: Vec<String>,
    /// What it was renamed to (defining the old name still works, with a
    /// warning); none when it was removed (defining it fails the VM's
    /// evaluation).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "some_option_dotted")]
    pub renamed_to: Option<Vec<String>>,
    /// Why, as nixpkgs explains a removal.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub why: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// A removed option whose definition can simply go: nothing took its
    /// place (when something did, `why` says what, and the user chooses).
    #[serde(skip)]
    pub droppable: bool,
}

fn some_option_dotted<S: serde::Serializer>(o: &Option<Vec<String>>, s: S) -> Result<S::Ok, S::Error> {
    match o {
        Some(o) => option_dotted(o, s),
        None => s.serialize_none(),
    }
}

fn option_dotted<S: serde::Serializer>(o: &[String], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::syntax::dotted(o))
}

fn value_as_nix<S: serde::Serializer>(v: &Option<Value>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(&v.to_string()),
        None => s.serialize_none(),
    }
}

/// What the VM's modules define: the conflict candidates and the options
/// replaced with `mkVMOverride`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictTable {
    /// Where the table comes from, for people.
    pub source: String,
    /// The release it describes, when known.
    #[serde(serialize_with = "release_text")]
    pub release: Option<Release>,
    pub plain: Vec<PlainDefinition>,
    pub overridden: Vec<Overridden>,
    pub merged: Vec<Merged>,
    /// Options it removed or renamed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gone: Vec<Gone>,
    /// What could not be read (an imported module that is missing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl PlainDefinition {
    /// The value as the messages name it: `false`, `false` (a note), or the
    /// expression.
    pub fn describe(&self) -> String {
        match (&self.value, &self.expression, &self.note) {
            (Some(v), _, Some(note)) => format!("`{v}` ({note})"),
            (Some(v), _, None) => format!("`{v}`"),
            (None, Some(e), _) => format!("`{e}`"),
            (None, None, Some(note)) => note.clone(),
            (None, None, None) => "its own value".into(),
        }
    }
}

/// ` when `c` and `d``, or nothing.
pub fn when(conditions: &[String]) -> String {
    match conditions {
        [] => String::new(),
        cs => format!(" when `{}`", cs.join("` and `")),
    }
}

impl ConflictTable {
    /// Whether the table was read from a nixpkgs tree (its rows say where).
    pub fn origin_known(&self) -> bool {
        self.plain.iter().any(|p| p.origin.is_some()) || self.overridden.iter().any(|o| o.origin.is_some())
    }
}

fn release_text<S: serde::Serializer>(r: &Option<Release>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(r) => s.serialize_some(&r.to_string()),
        None => s.serialize_none(),
    }
}

struct Row {
    option: &'static str,
    value: Option<Value>,
    note: Option<&'static str>,
    since: Release,
    until: Option<Release>,
    test_framework: bool,
}

fn rows() -> Vec<Row> {
    let r = Release::new;
    let row = |option, value, since| Row { option, value, note: None, since, until: None, test_framework: false };
    vec![
        Row { until: Some(r(18, 3)), ..row("services.ntp.enable", Some(Value::Bool(false)), Release::OLDEST) },
        row("services.timesyncd.enable", Some(Value::Bool(false)), r(18, 3)),
        row("networking.usePredictableInterfaceNames", Some(Value::Bool(false)), r(19, 3)),
        Row {
            note: Some("virtualisation.qemu.guestAgent.enable, true by default"),
            ..row("services.qemuGuest.enable", Some(Value::Bool(true)), r(21, 5))
        },
        row("boot.loader.grub.gfxmodeBios", Some(Value::Str("1024x768".into())), r(21, 5)),
        Row { note: Some("the VM's boot disk"), ..row("boot.loader.limine.biosDevice", None, r(25, 5)) },
        Row { test_framework: true, ..row("boot.consoleLogLevel", Some(Value::Int(7)), Release::OLDEST) },
        Row {
            test_framework: true,
            ..row("networking.usePredictableInterfaceNames", Some(Value::Bool(false)), Release::OLDEST)
        },
        Row {
            test_framework: true,
            ..row("boot.kernel.sysctl.\"kernel.hung_task_timeout_secs\"", Some(Value::Int(600)), Release::OLDEST)
        },
    ]
}

const OVERRIDDEN: &[&str] = &[
    "fileSystems",
    "swapDevices",
    "boot.initrd.luks.devices",
    "boot.loader.grub.device",
    "networking.wireless.enable",
    "services.connman.enable",
    "services.xserver.videoDrivers",
    "services.xserver.defaultDepth",
    "services.xserver.resolutions",
];

/// Options qemu-vm.nix removed (`mkRemovedOptionModule`): since which
/// release, why, and whether a definition can simply go (nothing took its
/// place).
const REMOVED: &[(&str, Release, &str, bool)] = &[
    (
        "virtualisation.bootDevice",
        Release::new(23, 5),
        "renamed to `virtualisation.rootDevice`; see also `virtualisation.bootLoaderDevice` and `virtualisation.bootPartition`",
        false,
    ),
    (
        "virtualisation.efiVars",
        Release::new(23, 5),
        "a template of EFI variables is `virtualisation.efi.variables`",
        false,
    ),
    ("virtualisation.persistBootDevice", Release::new(23, 5), "the boot device persists with the root disk image", true),
    (
        "virtualisation.msize",
        Release::UNSTABLE,
        "the VM's store and shared directories are virtiofs since nixpkgs PR 552774 (2026-09), and msize was a 9p setting",
        true,
    ),
];

/// What the built-in table knows `release` removed.
fn removed_in(release: Release) -> Vec<Gone> {
    REMOVED
        .iter()
        .filter(|(_, since, _, _)| *since <= release)
        .map(|(option, _, why, droppable)| Gone {
            option: split_option(option),
            renamed_to: None,
            why: why.to_string(),
            origin: None,
            droppable: *droppable,
        })
        .collect()
}

/// Split a dotted option path, honouring quoted components.
pub fn split_option(dotted: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut quoted = false;
    for c in dotted.chars() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The built-in table for `release`; with `test_framework`, also what the
/// NixOS test framework (and so `nixos-build-vms`) adds.
pub fn builtin(release: Release, test_framework: bool) -> ConflictTable {
    let mut plain: Vec<PlainDefinition> = vec![];
    for row in rows() {
        let in_release = row.since <= release && row.until.is_none_or(|u| release < u);
        if !in_release || (row.test_framework && !test_framework) {
            continue;
        }
        let option = split_option(row.option);
        if plain.iter().any(|p| p.option == option) {
            continue;
        }
        plain.push(PlainDefinition {
            option,
            value: row.value,
            expression: None,
            note: row.note.map(String::from),
            conditions: vec![],
            origin: None,
        });
    }
    ConflictTable {
        source: format!("built-in table for NixOS {release}{}", if test_framework { " (test framework)" } else { "" }),
        release: Some(release),
        plain,
        overridden: OVERRIDDEN
            .iter()
            .map(|o| Overridden {
                option: split_option(o),
                via: "mkVMOverride".into(),
                level: 10,
                conditions: vec![],
                origin: None,
            })
            .collect(),
        merged: vec![],
        gone: removed_in(release),
        warnings: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(t: &ConflictTable) -> Vec<String> {
        t.plain.iter().map(|p| p.option.join(".")).collect()
    }

    #[test]
    fn releases_parse() {
        assert_eq!("24.11".parse::<Release>().unwrap(), Release::new(24, 11));
        assert_eq!("nixos-18.03".parse::<Release>().unwrap(), Release::new(18, 3));
        assert_eq!("unstable".parse::<Release>().unwrap(), Release::UNSTABLE);
        assert_eq!("nixos-unstable".parse::<Release>().unwrap(), Release::UNSTABLE);
        assert_eq!("newest".parse::<Release>().unwrap(), Release::NEWEST);
        let branches = [
            ("nixos-24.11", Some(Release::new(24, 11))),
            ("nixos-25.05-small", Some(Release::new(25, 5))),
            ("nixpkgs-24.05-darwin", Some(Release::new(24, 5))),
            ("release-23.11", Some(Release::new(23, 11))),
            ("nixos-unstable", Some(Release::UNSTABLE)),
            ("nixos-unstable-small", Some(Release::UNSTABLE)),
            ("master", Some(Release::UNSTABLE)),
            ("my-feature", None),
            ("nixos-24.1", None),
        ];
        for (branch, release) in branches {
            assert_eq!(Release::of_branch(branch), release, "{branch}");
        }
        for bad in ["24", "24.13", "x.y", "2024.11", ""] {
            assert!(bad.parse::<Release>().is_err(), "{bad}");
        }
    }

    #[test]
    fn table_follows_the_release() {
        let old = options(&builtin(Release::new(17, 9), false));
        assert_eq!(old, ["services.ntp.enable"]);
        let r1803 = options(&builtin(Release::new(18, 3), false));
        assert_eq!(r1803, ["services.timesyncd.enable"]);
        let r2105 = options(&builtin(Release::new(21, 5), false));
        assert!(r2105.contains(&"services.qemuGuest.enable".to_string()));
        assert!(!r2105.contains(&"boot.loader.limine.biosDevice".to_string()));
        let newest = options(&builtin(Release::NEWEST, false));
        assert!(newest.contains(&"boot.loader.limine.biosDevice".to_string()));
        assert!(!newest.contains(&"boot.consoleLogLevel".to_string()));
        let test = builtin(Release::NEWEST, true);
        assert!(options(&test).contains(&"boot.consoleLogLevel".to_string()));
        assert!(test.plain.iter().any(|p| p.option == ["boot", "kernel", "sysctl", "kernel.hung_task_timeout_secs"]));
    }

    #[test]
    fn removed_options_follow_the_release() {
        let gone = |r| builtin(r, false).gone.iter().map(|g| g.option.join(".")).collect::<Vec<_>>();
        assert_eq!(gone(Release::new(22, 11)), Vec::<String>::new());
        assert!(gone(Release::new(23, 5)).contains(&"virtualisation.bootDevice".to_string()));
        assert!(!gone(Release::NEWEST).contains(&"virtualisation.msize".to_string()));
        assert!(gone(Release::UNSTABLE).contains(&"virtualisation.msize".to_string()));
    }
}
