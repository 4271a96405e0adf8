//! `vm-option-removed`: a qemu-vm.nix option that the release removed or
//! renamed.

use crate::lint::kb::Gone;
use crate::lint::{declare_lint, Context, Diagnostic, Fix, Lint, Meta, Severity};
use crate::syntax::{dotted, Definition};
use crate::text::{Edit, Span};

declare_lint! {
    /// What: the configuration sets a `virtualisation.*` option that
    /// qemu-vm.nix of the release no longer has: removed with
    /// `mkRemovedOptionModule` (an error), or renamed with
    /// `mkRenamedOptionModule` (a note: the old name still works, with a
    /// warning).
    ///
    /// Why: defining a removed option fails the VM's evaluation with "The
    /// option definition `virtualisation.msize' ... no longer has any
    /// effect; please remove it". NixOS 23.05 removed
    /// `virtualisation.bootDevice`, `efiVars` and `persistBootDevice`;
    /// nixos-unstable (26.11) shares the store and directories with the VM
    /// over virtiofs instead of 9p (nixpkgs PR 552774) and removed the 9p
    /// setting `virtualisation.msize`. The table read from a pinned nixpkgs
    /// lists what that nixpkgs itself removed.
    ///
    /// Fix: remove the definition (offered when it stands on lines of its
    /// own); for a renamed option, use the new name.
    ///
    /// Example:
    ///
    /// ```nix
    /// virtualisation.vmVariant.virtualisation.msize = 262144;   # fails on nixos-unstable
    /// ```
    VmOptionRemoved, "vm-option-removed", Error
}

/// Where a configuration sets qemu-vm.nix's options: at the top (a VM
/// configuration, a `nixos-build-vms` network) or in a VM variant.
const VM_PREFIXES: &[&[&str]] =
    &[&[], &["virtualisation", "vmVariant"], &["virtualisation", "vmVariantWithBootLoader"]];

impl Lint for VmOptionRemoved {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let mut reported: Vec<(usize, String)> = vec![];
        for (index, (module, def)) in cx.definitions().enumerate() {
            let Some((gone, prefix)) = gone_option(&cx.options.table.gone, def) else { continue };
            let end = prefix + gone.option.len();
            let written = dotted(&def.path[..end]);
            // `old = { a = 1; b = 2; }`: one finding for the option, not one
            // per binding inside it.
            let module_key = cx.file.modules.iter().position(|m| std::ptr::eq(m, module)).unwrap_or(index);
            if reported.contains(&(module_key, written.clone())) {
                continue;
            }
            reported.push((module_key, written.clone()));
            let release = cx.options.table.release.map(|r| format!(" of NixOS {r}")).unwrap_or_default();
            let d = match &gone.renamed_to {
                Some(to) => {
                    let mut d = Diagnostic::new(
                        &Self::META,
                        def.key_span(),
                        format!(
                            "`{}` is renamed to `{}` in qemu-vm.nix{release}: it still works, with a warning",
                            dotted(&gone.option),
                            dotted(to)
                        ),
                    )
                    .help(format!("write `{}` instead", dotted(to)));
                    d.severity = Severity::Note;
                    d
                }
                None => {
                    let why = if gone.why.is_empty() { String::new() } else { format!(" ({})", gone.why) };
                    let removal = if !gone.droppable {
                        Err("something took its place: choose what to write instead".to_string())
                    } else if def.key_start + def.key_spans.len() != end {
                        Err(format!("`{written}` is set through bindings inside it"))
                    } else {
                        remove_binding(cx.text, def)
                    };
                    let (fix, help) = match removal {
                        Ok(edit) => (
                            Some(Fix {
                                description: format!("remove the definition of `{written}`"),
                                edits: vec![edit],
                            }),
                            "remove the definition (`nixvm lint --fix`)".to_string(),
                        ),
                        Err(why) => (None, format!("remove the definition (no automatic fix: {why})")),
                    };
                    Diagnostic::new(
                        &Self::META,
                        def.key_span(),
                        format!(
                            "`{}` no longer exists in qemu-vm.nix{release}{why}: the VM fails to evaluate while it is defined",
                            dotted(&gone.option)
                        ),
                    )
                    .help(help)
                    .fix(fix)
                }
            };
            out.push(d.option(written).machine(module.machine.as_ref()));
        }
    }
}

/// The gone option `def` defines (at the top or in a VM variant), and how
/// many components of its path come before the option.
fn gone_option<'t>(gone: &'t [Gone], def: &Definition) -> Option<(&'t Gone, usize)> {
    VM_PREFIXES.iter().filter(|prefix| def.starts_with(prefix)).find_map(|prefix| {
        let g = gone.iter().find(|g| def.path[prefix.len()..].starts_with(&g.option))?;
        Some((g, prefix.len()))
    })
}

/// The edit that deletes `def`'s binding: with its line when nothing else
/// stands on it, or leaving a comment that ends the line where it is;
/// otherwise why not.
fn remove_binding(text: &str, def: &Definition) -> Result<Edit, String> {
    if def.inherited.is_some() {
        return Err("it is inherited".into());
    }
    let start = def.key_spans.first().ok_or("its key is not written here")?.start;
    // The `;` that ends the binding, past any parentheses around the value.
    let after_value = &text[def.value_span.end..];
    let semicolon = after_value
        .find(|c: char| !(c.is_whitespace() || c == ')'))
        .filter(|&i| after_value[i..].starts_with(';'))
        .ok_or("its binding does not end at its value")?;
    let end = def.value_span.end + semicolon + 1;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    if !text[line_start..start].trim().is_empty() {
        return Err("other text shares its lines".into());
    }
    let rest = &text[end..line_end];
    if rest.trim().is_empty() {
        return Ok(Edit::replace(Span::new(line_start, line_end), String::new()));
    }
    // `msize = 1; # for big files`: the comment stays on its line.
    match rest.trim_start().starts_with('#') {
        true => Ok(Edit::replace(Span::new(start, end + (rest.len() - rest.trim_start().len())), String::new())),
        false => Err("other text shares its lines".into()),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings_with, fixed};
    use crate::lint::{LintOptions, Release, Severity};

    const CODE: &str = "vm-option-removed";

    fn unstable() -> LintOptions {
        LintOptions::new(Release::UNSTABLE, false)
    }

    #[test]
    fn removed_options_are_errors_from_their_release_on() {
        let text = "{\n  virtualisation.vmVariant.virtualisation.msize = 262144;\n  virtualisation.vmVariant.virtualisation.cores = 2;\n}\n";
        let found = findings_with(CODE, text, &unstable());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[0].option.as_deref(), Some("virtualisation.vmVariant.virtualisation.msize"));
        assert!(found[0].message.contains("virtiofs"), "{}", found[0].message);
        assert_eq!(fixed(text, &found), "{\n  virtualisation.vmVariant.virtualisation.cores = 2;\n}\n");
        assert!(findings_with(CODE, text, &LintOptions::new(Release::NEWEST, false)).is_empty(), "26.05 still has it");
    }

    #[test]
    fn every_form_is_found_and_only_whole_lines_are_removed() {
        // Nested, top level (a nixos-build-vms node), CRLF, a comment kept.
        let text = "{ lib, ... }:\r\n{\r\n  # the VM\r\n  virtualisation = {\r\n    msize = lib.mkForce (4 * 65536);\r\n    memorySize = 2048;\r\n  };\r\n}";
        let found = findings_with(CODE, text, &unstable());
        assert_eq!(found.len(), 1);
        assert_eq!(
            fixed(text, &found),
            "{ lib, ... }:\r\n{\r\n  # the VM\r\n  virtualisation = {\r\n    memorySize = 2048;\r\n  };\r\n}"
        );
        // Sharing a line with other code: reported, not fixed.
        let one_line = "{ virtualisation.vmVariant = { virtualisation.msize = 1; }; }";
        let found = findings_with(CODE, one_line, &unstable());
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none() && found[0].help.as_deref().unwrap_or("").contains("shares its lines"));
        // A comment after it stays, on its own line.
        let commented = "{\n  virtualisation.vmVariant.virtualisation.msize = 1; # big files\n}\n";
        let found = findings_with(CODE, commented, &unstable());
        assert_eq!(fixed(commented, &found), "{\n  # big files\n}\n");
        // A set of bindings: one finding, the whole binding removed.
        let nested = "{\n  virtualisation.msize = {\n    a = 1;\n    b = 2;\n  };\n}\n";
        let found = findings_with(CODE, nested, &unstable());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(fixed(nested, &found), "{\n}\n");
        // Set only through bindings inside it: one finding, no fix (removing
        // one would leave the others).
        let inside = "{\n  virtualisation = { msize.a = 1;\n    msize.b = 2; };\n}\n";
        let found = findings_with(CODE, inside, &unstable());
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].fix.is_none());
        // A name that only starts the same is another option.
        assert!(findings_with(CODE, "{ virtualisation.msizeExtra = 1; }", &unstable()).is_empty());
    }

    #[test]
    fn older_removals_and_renames() {
        let text = "{ virtualisation.vmVariant.virtualisation.bootDevice = \"/dev/vda\"; }";
        let found = findings_with(CODE, text, &LintOptions::new(Release::new(23, 5), false));
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none(), "rootDevice took its place: the user chooses");
        assert!(found[0].message.contains("virtualisation.rootDevice"), "{}", found[0].message);
        assert!(findings_with(CODE, text, &LintOptions::new(Release::new(22, 11), false)).is_empty());
        let mut options = unstable();
        options.table.gone.push(crate::lint::kb::Gone {
            option: vec!["virtualisation".into(), "oldName".into()],
            renamed_to: Some(vec!["virtualisation".into(), "newName".into()]),
            why: String::new(),
            origin: None,
            droppable: false,
        });
        let found = findings_with(CODE, "{ virtualisation.oldName = 1; }", &options);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Note);
        assert!(found[0].message.contains("renamed to `virtualisation.newName`"), "{}", found[0].message);
    }
}
