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
    &impure_path::ImpurePath,
    &foreign_system::ForeignSystem,
    &zfs_host_id::ZfsHostId,
    &vm_secrets::VmSecrets,
];

/// How the module reaches `lib`: the expression, and the edits that make
/// it available (adding `lib` to the arguments); otherwise why it cannot.
pub(crate) fn lib_for(module: &crate::syntax::ModuleInfo) -> Result<(String, Vec<crate::text::Edit>), String> {
    use crate::syntax::LibAccess;
    match &module.lib {
        LibAccess::Bound(lib) => Ok((lib.clone(), vec![])),
        LibAccess::Addable(edit) => Ok(("lib".to_string(), vec![edit.clone()])),
        LibAccess::Unavailable(why) => Err(why.clone()),
    }
}

/// `lib.mkDefault` around a definition's value, when the module can reach
/// `lib`; otherwise why not.
pub(crate) fn wrap_in_mk_default(
    module: &crate::syntax::ModuleInfo,
    def: &crate::syntax::Definition,
) -> Result<Vec<crate::text::Edit>, String> {
    use crate::text::Edit;
    if def.inherited {
        return Err("the value comes from `inherit`; write it as `name = lib.mkDefault value;`".into());
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
