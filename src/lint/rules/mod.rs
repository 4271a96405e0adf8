//! The lints, one per file. Add a lint: write its file with
//! `declare_lint!`, implement `Lint`, and list it in `ALL`.

pub mod deployment_attrs;
pub mod foreign_system;
pub mod hardware_import;
pub mod impure_path;
pub mod initrd_secrets;
pub mod no_login;
pub mod no_ssh;
pub mod physical_interface;
pub mod qemu_conflict;
pub mod syntax_error;
pub mod toplevel_virtualisation;
pub mod vm_disks;
pub mod vm_option_removed;
pub mod vm_override_ignored;
pub mod vm_secrets;
pub mod zfs_host_id;

use super::Lint;

pub static ALL: &[&dyn Lint] = &[
    &syntax_error::SyntaxError,
    &qemu_conflict::QemuConflict,
    &vm_override_ignored::VmOverrideIgnored,
    &hardware_import::HardwareImport,
    &deployment_attrs::DeploymentAttrs,
    &physical_interface::PhysicalInterface,
    &no_login::NoLogin,
    &no_ssh::NoSsh,
    &initrd_secrets::InitrdSecrets,
    &toplevel_virtualisation::ToplevelVirtualisation,
    &vm_option_removed::VmOptionRemoved,
    &impure_path::ImpurePath,
    &foreign_system::ForeignSystem,
    &zfs_host_id::ZfsHostId,
    &vm_secrets::VmSecrets,
    &vm_disks::VmDisks,
];

/// How the module reaches `lib`: the expression, and the edits that make
/// it available (adding `lib` to the arguments); otherwise why it cannot.
pub(crate) fn lib_for(module: &crate::syntax::ModuleInfo) -> Result<(String, Vec<crate::text::Edit>), String> {
    use crate::syntax::LibAccess;
    match &module.lib {
        LibAccess::Bound(lib) => Ok((lib.clone(), vec![])),
        LibAccess::Addable(edits) => Ok(("lib".to_string(), edits.clone())),
        LibAccess::Unavailable(why) => Err(why.clone()),
    }
}

/// `lib.mkDefault` around a definition's value, when the module can reach
/// `lib`; otherwise why not. `text` is the file's text.
pub(crate) fn wrap_in_mk_default(
    text: &str,
    module: &crate::syntax::ModuleInfo,
    def: &crate::syntax::Definition,
) -> Result<Vec<crate::text::Edit>, String> {
    use crate::text::Edit;
    if let Some(inherited) = &def.inherited {
        return inherited_to_mk_default(text, module, inherited);
    }
    let (lib, mut edits) = lib_for(module)?;
    let v = def.value_span;
    let (open, close) = match (def.value_is_argument, def.value_needs_parens) {
        (false, false) => ("", ""),
        (false, true) => ("(", ")"),
        (true, false) => ("", ")"),
        (true, true) => ("(", "))"),
    };
    let outer = if def.value_is_argument { "(" } else { "" };
    edits.push(Edit::insert(v.start, format!("{outer}{lib}.mkDefault {open}")));
    if !close.is_empty() {
        edits.push(Edit::insert(v.end, close));
    }
    Ok(edits)
}

/// An inherited value made a binding of its own under `lib.mkDefault`:
/// `inherit a;` -> `a = lib.mkDefault a;`, `inherit (x) a;` -> `a =
/// lib.mkDefault x.a;`. When the entry lists other names, only this one is
/// taken out of it; its binding goes right after the entry, on a line of
/// its own when the entry has one.
fn inherited_to_mk_default(
    text: &str,
    module: &crate::syntax::ModuleInfo,
    inherited: &crate::syntax::Inherited,
) -> Result<Vec<crate::text::Edit>, String> {
    use crate::text::Edit;
    let key = &inherited.key;
    if inherited.in_rec {
        return Err(format!(
            "`{key}` is inherited in a `rec` set, where a binding sees the set's own attributes: `{key} = lib.mkDefault {key};` would refer to itself (infinite recursion); move the `inherit` out of the `rec` set first"
        ));
    }
    let Some(value) = &inherited.value else {
        return Err(format!("`{key}` is inherited in a way that cannot be written as `{key} = value;`"));
    };
    let (lib, mut edits) = lib_for(module)?;
    let binding = format!("{key} = {lib}.mkDefault {value};");
    let entry = inherited.entry;
    if inherited.names <= 1 {
        if inherited.has_comment {
            return Err(format!("the `inherit` of `{key}` holds a comment that rewriting it would lose"));
        }
        edits.push(Edit::replace(entry, binding));
        return Ok(edits);
    }
    edits.push(Edit::delete(inherited.removal));
    let (at, separator) = place_after(text, entry);
    edits.push(Edit::insert(at, format!("{separator}{binding}")));
    Ok(edits)
}

/// Where to write a binding after the entry at `entry`, and what goes
/// before it. When the entry has its line to itself (a comment may follow
/// it), on a new line at the end of that one, with the entry's indentation
/// and the line break the file uses there; otherwise right after the
/// entry, after a space.
fn place_after(text: &str, entry: crate::text::Span) -> (usize, String) {
    let same_line = (entry.end, " ".to_string());
    let (Some(before), Some(after)) = (text.get(..entry.start), text.get(entry.end..)) else { return same_line };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let indent = &before[line_start..];
    let line_end = after.find('\n').unwrap_or(after.len());
    let rest = after[..line_end].trim_end_matches('\r');
    let rest_is_free = rest.trim_start_matches([' ', '\t']).is_empty() || rest.trim_start().starts_with('#');
    if !indent.bytes().all(|b| b == b' ' || b == b'\t') || !rest_is_free {
        return same_line;
    }
    // The line break ending the entry's line, or else the one before it.
    let crlf = if line_end < after.len() {
        after[..line_end].ends_with('\r')
    } else if line_start > 0 {
        before[..line_start - 1].ends_with('\r')
    } else {
        return same_line;
    };
    let newline = if crlf { "\r\n" } else { "\n" };
    (entry.end + rest.len(), format!("{newline}{indent}"))
}
