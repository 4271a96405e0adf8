//! `qemu-conflict`: a plain definition that differs from qemu-vm.nix's.

use super::{lib_for, wrap_in_mk_default};
use crate::lint::{declare_lint, kb, Context, Diagnostic, Fix, Lint, Meta};
use crate::syntax::{dotted, Value};
use crate::text::{Edit, Span};

declare_lint! {
    /// What: an option is set at normal priority to a value other than the
    /// one NixOS's `qemu-vm.nix` sets, also at normal priority, for the
    /// selected release (`--release`).
    ///
    /// Why: two definitions of a boolean, string, number or enum option at
    /// the same priority with different values make evaluation fail with
    /// "The option `services.timesyncd.enable' has conflicting definition
    /// values", so the VM does not build. A value that is not a literal (a
    /// variable, a call) may conflict and is reported too. Values already
    /// under `mkDefault`, `mkForce` or `mkOverride N` with N other than 100
    /// do not conflict.
    ///
    /// Fix: wrap the value in `lib.mkDefault` (adding `lib` to the module's
    /// arguments when missing, or making a module that is a plain attribute
    /// set a function of `lib`). On hardware your value still applies; in
    /// the VM qemu-vm.nix's wins. A value from `inherit` becomes a binding
    /// of its own (`inherit (x) a;` -> `a = lib.mkDefault x.a;`), except in
    /// a `rec` set, where that binding could refer to itself.
    ///
    /// Example:
    ///
    /// ```nix
    /// services.timesyncd.enable = true;                 # conflicts
    /// services.timesyncd.enable = lib.mkDefault true;   # fixed
    /// ```
    QemuConflict, "qemu-conflict", Error
}

impl Lint for QemuConflict {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for (module, def) in cx.definitions() {
            let Some(theirs) = cx.options.table.plain.iter().find(|p| p.option == def.path) else { continue };
            if !def.priority.is_plain_level() || def.value == Value::AttrSet {
                continue;
            }
            if theirs.value.is_some() && theirs.value.as_ref() == Some(&def.value) {
                continue;
            }
            let option = dotted(&def.path);
            let their_value = format!("{}{}", theirs.describe(), kb::when(&theirs.conditions));
            let qemu_vm = match &theirs.origin {
                Some(origin) => format!("qemu-vm.nix ({origin})"),
                None => "qemu-vm.nix".into(),
            };
            let when = kb::when(&def.conditions);
            let message = if def.value.is_literal() && theirs.value.is_some() && theirs.conditions.is_empty() {
                format!("`{option}` is set to `{}`{when}, but {qemu_vm} sets {their_value} at the same priority: the VM fails to evaluate with conflicting definition values", def.value)
            } else {
                format!("`{option}` is set to `{}`{when}, which may differ from {their_value} that {qemu_vm} sets at the same priority: the VM would fail to evaluate with conflicting definition values", def.value)
            };
            let fix = match def.wrapper.as_ref().filter(|_| def.priority.via == Some("mkOverride")) {
                // `mkOverride 100 v` is the normal priority: make it `lib.mkDefault v`.
                Some(w) => lib_for(module).map(|(lib, mut edits)| {
                    edits.push(Edit::replace(Span::new(w.start, w.head_end), format!("{lib}.mkDefault")));
                    Fix { description: "use `mkDefault` instead of `mkOverride 100`".into(), edits }
                }),
                None => wrap_in_mk_default(cx.text, module, def).map(|edits| Fix {
                    description: match def.inherited {
                        Some(_) => format!("bind the inherited `{option}` to its value in `lib.mkDefault`"),
                        None => format!("wrap the value of `{option}` in `lib.mkDefault`"),
                    },
                    edits,
                }),
            };
            let (fix, help) = match fix {
                Ok(fix) => (
                    Some(fix),
                    "use `lib.mkDefault`: your value still applies on hardware, and qemu-vm.nix's value wins in the VM"
                        .to_string(),
                ),
                Err(why) => (None, format!("wrap the value in `lib.mkDefault` (no automatic fix: {why})")),
            };
            out.push(
                Diagnostic::new(&Self::META, def.key_span(), message)
                    .option(option)
                    .machine(module.machine.as_ref())
                    .help(help)
                    .fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, findings_with, fixed, spans};
    use crate::lint::{LintOptions, Release};

    const CODE: &str = "qemu-conflict";

    #[test]
    fn plain_conflicting_value_in_every_form() {
        let forms = [
            "{ lib, ... }: { services.timesyncd.enable = true; }",
            "{ lib, ... }: { services = { timesyncd.enable = true; }; }",
            "{ lib, ... }: { services.timesyncd = { enable = true; }; }",
            "{ lib, ... }: { services.\"timesyncd\".enable = true; }",
            "{ lib, ... }: { config = { services.timesyncd.enable = true; }; options = {}; }",
            "{ lib, ... }: { config.services.timesyncd.enable = true; }",
            "{ lib, config, ... }: { config = lib.mkIf config.x { services.timesyncd.enable = true; }; }",
            "{ lib, ... }: lib.mkMerge [ { } { services.timesyncd.enable = true; } ]",
            "{ lib, ... }: with lib; { services.timesyncd = mkIf true { enable = true; }; }",
            "{ lib, ... }: let on = true; in { services.timesyncd.enable = on; }",
            "{ lib, ... }: { services.timesyncd = rec { enable = true; }; }",
            "args@{ lib, ... }: { services.timesyncd.enable = true; }",
            "{ lib, ... }@args: { services.timesyncd.enable = true; }",
            "{ inputs }: { lib, ... }: { services.timesyncd.enable = true; }",
            "{ services.timesyncd.enable = true; }",
        ];
        for text in forms {
            let ds = findings(CODE, text);
            assert_eq!(ds.len(), 1, "{text}");
            assert_eq!(ds[0].option.as_deref(), Some("services.timesyncd.enable"), "{text}");
            assert!(ds[0].message.contains("`true`"), "{text}: {}", ds[0].message);
        }
    }

    #[test]
    fn no_conflict_for_same_value_other_priorities_or_false_conditions() {
        for text in [
            "{ lib, ... }: { services.timesyncd.enable = false; }",
            "{ lib, ... }: { services.timesyncd.enable = lib.mkDefault true; }",
            "{ lib, ... }: { services.timesyncd.enable = lib.mkForce true; }",
            "{ lib, ... }: { services.timesyncd.enable = lib.modules.mkOverride 90 true; }",
            "{ lib, ... }: { services.timesyncd.enable = lib.mkOverride 1000 true; }",
            "{ lib, ... }: { services.timesyncd.enable = lib.mkVMOverride true; }",
            "{ lib, ... }: { services.timesyncd.enable = lib.mkOptionDefault true; }",
            "{ lib, ... }: { services.timesyncd.enable = lib.mkImageMediaOverride true; }",
            "{ lib, ... }: with lib; { services.timesyncd.enable = mkDefault true; }",
            "{ lib, ... }: let inherit (lib) mkForce; in { services.timesyncd.enable = mkForce true; }",
            "{ lib, ... }: { services.timesyncd = lib.mkDefault { enable = true; }; }",
            "{ lib, ... }: { config = lib.mkIf false { services.timesyncd.enable = true; }; }",
            "{ lib, ... }: { options.services.timesyncd.enable = true; }",
            "{ lib, ... }: { services.other.enable = true; }",
        ] {
            assert!(findings(CODE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn bare_priority_names_need_with_lib() {
        // Without `with lib;`, a bare `mkDefault` is some other function: the
        // value is not a literal, so it may conflict.
        let ds = findings(CODE, "{ lib, mkDefault, ... }: { services.timesyncd.enable = mkDefault true; }");
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.contains("may differ"));
    }

    #[test]
    fn mk_override_100_is_plain_and_fixed_by_mk_default() {
        let text = "{ lib, ... }: { services.timesyncd.enable = lib.mkOverride 100 true; }";
        let ds = findings(CODE, text);
        assert_eq!(ds.len(), 1);
        assert_eq!(fixed(text, &ds), "{ lib, ... }: { services.timesyncd.enable = lib.mkDefault true; }");
        // A bare or renamed mkOverride: the fix names lib's mkDefault.
        for (text, after) in [
            (
                "{ lib, ... }: let inherit (lib) mkOverride; in { services.timesyncd.enable = mkOverride 100 true; }",
                "{ lib, ... }: let inherit (lib) mkOverride; in { services.timesyncd.enable = lib.mkDefault true; }",
            ),
            (
                "{ lib, ... }: let mko = lib.mkOverride; in { services.timesyncd.enable = mko 100 true; }",
                "{ lib, ... }: let mko = lib.mkOverride; in { services.timesyncd.enable = lib.mkDefault true; }",
            ),
        ] {
            assert_eq!(fixed(text, &findings(CODE, text)), after);
        }
    }

    #[test]
    fn lib_reached_any_way_is_recognised() {
        for quiet in [
            "{ pkgs, ... }: let inherit (pkgs) lib; in { services.timesyncd.enable = lib.mkForce true; }",
            "let lib = import <nixpkgs/lib>; in { services.timesyncd.enable = lib.mkForce true; }",
            "{ inputs, ... }: { services.timesyncd.enable = inputs.nixpkgs.lib.mkForce true; }",
            "{ lib, ... }: let force = mkForce; inherit (lib) mkForce; in { services.timesyncd.enable = force true; }",
            "args: { services.timesyncd.enable = args.lib.mkDefault true; }",
        ] {
            assert!(findings(CODE, quiet).is_empty(), "{quiet}");
        }
    }

    #[test]
    fn fixes_are_recognised_by_the_next_run() {
        for text in [
            "args: { services.timesyncd.enable = true; }",
            "{ pkgs, ... }: let inherit (pkgs) lib; in { services.timesyncd.enable = true; }",
        ] {
            let out = crate::rewrite::fix_text(text, &Default::default());
            assert_eq!(out.applied.len(), 1, "{text}: {:?}", out.applied);
            assert!(out.remaining.is_empty(), "{text}: {:?}", out.remaining);
        }
    }

    #[test]
    fn non_literal_values_are_possible_conflicts() {
        let text = "{ lib, config, ... }: { services.timesyncd.enable = !config.x; }";
        let ds = findings(CODE, text);
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.contains("may differ"));
        assert_eq!(spans(text, &ds), ["services.timesyncd.enable"]);
        assert_eq!(
            fixed(text, &ds),
            "{ lib, config, ... }: { services.timesyncd.enable = lib.mkDefault (!config.x); }"
        );
    }

    #[test]
    fn conditions_are_named() {
        let text = "{ lib, config, ... }: { config = lib.mkIf config.ntp { services.timesyncd.enable = true; }; }";
        let ds = findings(CODE, text);
        assert!(ds[0].message.contains("when `config.ntp`"), "{}", ds[0].message);
    }

    #[test]
    fn fix_adds_lib_when_missing() {
        let text =
            "{ config, pkgs, ... }:\n{\n  services.timesyncd.enable = true;\n  services.qemuGuest.enable = false;\n}\n";
        let ds = findings(CODE, text);
        assert_eq!(ds.len(), 2);
        assert_eq!(
            fixed(text, &ds),
            "{ config, pkgs, lib, ... }:\n{\n  services.timesyncd.enable = lib.mkDefault true;\n  services.qemuGuest.enable = lib.mkDefault false;\n}\n"
        );
        let no_dots = "{ config }: { services.timesyncd.enable = true; }";
        assert_eq!(
            fixed(no_dots, &findings(CODE, no_dots)),
            "{ config, lib }: { services.timesyncd.enable = lib.mkDefault true; }"
        );
        let ident = "args: { services.timesyncd.enable = true; }";
        assert_eq!(
            fixed(ident, &findings(CODE, ident)),
            "args: { services.timesyncd.enable = args.lib.mkDefault true; }"
        );
    }

    /// Every fix of `text` applied to a fixpoint: the result, after checking
    /// it parses, nothing fixable is left and a second run changes nothing.
    fn fixed_to_the_end(text: &str) -> String {
        let out = crate::rewrite::fix_text(text, &Default::default());
        assert!(out.refused.is_empty(), "{text}: refused {:?}", out.refused);
        assert!(crate::syntax::parse(&out.text).is_ok(), "{text}: does not parse:\n{}", out.text);
        assert!(out.remaining.iter().all(|d| d.code.as_str() != CODE), "{text}: left {:?}", out.remaining);
        let again = crate::rewrite::fix_text(&out.text, &Default::default());
        assert_eq!(again.text, out.text, "{text}: a second run changed it");
        assert!(again.found.iter().all(|d| d.code.as_str() != CODE), "{text}: the second run found {:?}", again.found);
        out.text
    }

    #[test]
    fn plain_attrset_module_becomes_a_function_of_lib() {
        for (text, after) in [
            (
                "# the box\n{\n  services.timesyncd.enable = true;\n}\n",
                "# the box\n{ lib, ... }: {\n  services.timesyncd.enable = lib.mkDefault true;\n}\n",
            ),
            (
                "{\r\n\tservices.timesyncd.enable = true;\r\n\tservices.qemuGuest.enable = false;\r\n}",
                "{ lib, ... }: {\r\n\tservices.timesyncd.enable = lib.mkDefault true;\r\n\tservices.qemuGuest.enable = lib.mkDefault false;\r\n}",
            ),
            (
                "let on = true; in { services.timesyncd.enable = on; }",
                "{ lib, ... }: let on = true; in { services.timesyncd.enable = lib.mkDefault on; }",
            ),
            (
                "{ services.timesyncd.enable = lib.mkOverride 100 true; }",
                "{ lib, ... }: { services.timesyncd.enable = lib.mkDefault true; }",
            ),
        ] {
            let ds = findings(CODE, text);
            assert!(ds.iter().all(|d| d.fix.is_some()), "{text}");
            assert_eq!(fixed(text, &ds), after, "{text}");
            assert_eq!(fixed_to_the_end(text), after, "{text}");
        }
    }

    #[test]
    fn plain_attrset_machines_of_a_network_become_functions_where_they_stand() {
        let text = "{ network.description = \"x\"; web = { services.timesyncd.enable = true; }; db = [ { services.timesyncd.enable = true; } ./db.nix ]; defaults = ({ services.qemuGuest.enable = false; }); }";
        assert_eq!(
            fixed_to_the_end(text),
            "{ network.description = \"x\"; web = { lib, ... }: { services.timesyncd.enable = lib.mkDefault true; }; db = [ ({ lib, ... }: { services.timesyncd.enable = lib.mkDefault true; }) ./db.nix ]; defaults = ({ lib, ... }: { services.qemuGuest.enable = lib.mkDefault false; }); }"
        );
    }

    #[test]
    fn a_module_that_is_no_set_nor_function_gets_no_fix_and_says_why() {
        let ds = findings(CODE, "lib.mkIf true { services.timesyncd.enable = true; }");
        assert_eq!(ds.len(), 1);
        assert!(ds[0].fix.is_none());
        assert!(ds[0].help.as_deref().is_some_and(|h| h.contains("not a function")), "{:?}", ds[0].help);
    }

    #[test]
    fn an_inherited_value_becomes_a_binding_of_its_own() {
        for (text, after) in [
            (
                "{ lib, enable, ... }: { services.timesyncd = { inherit enable; }; }",
                "{ lib, enable, ... }: { services.timesyncd = { enable = lib.mkDefault enable; }; }",
            ),
            (
                "{ lib, cfg, ... }: { services.timesyncd = { inherit (cfg) enable; }; }",
                "{ lib, cfg, ... }: { services.timesyncd = { enable = lib.mkDefault cfg.enable; }; }",
            ),
            (
                "{ config, ... }: { services.timesyncd = { inherit (config.site.x or { }) enable; }; }",
                "{ config, lib, ... }: { services.timesyncd = { enable = lib.mkDefault (config.site.x or { }).enable; }; }",
            ),
            (
                "{ f, ... }: { services.timesyncd = { inherit (f 1) \"enable\"; }; }",
                "{ f, lib, ... }: { services.timesyncd = { \"enable\" = lib.mkDefault (f 1).\"enable\"; }; }",
            ),
            (
                "let enable = true; in { services.timesyncd = { inherit enable; }; }",
                "{ lib, ... }: let enable = true; in { services.timesyncd = { enable = lib.mkDefault enable; }; }",
            ),
        ] {
            let ds = findings(CODE, text);
            assert_eq!(ds.len(), 1, "{text}");
            assert_eq!(fixed(text, &ds), after, "{text}");
            assert_eq!(fixed_to_the_end(text), after, "{text}");
        }
    }

    #[test]
    fn only_the_conflicting_name_leaves_an_inherit_of_several() {
        for (text, after) in [
            // One line: the binding follows the entry.
            (
                "{ lib, cfg, ... }: { services.timesyncd = { inherit (cfg) enable servers; }; }",
                "{ lib, cfg, ... }: { services.timesyncd = { inherit (cfg) servers; enable = lib.mkDefault cfg.enable; }; }",
            ),
            (
                "{ lib, cfg, ... }: { services.timesyncd = { inherit (cfg) servers enable; }; }",
                "{ lib, cfg, ... }: { services.timesyncd = { inherit (cfg) servers; enable = lib.mkDefault cfg.enable; }; }",
            ),
            // Its own line (a comment after it stays there): the binding gets the next one.
            (
                "{ lib, cfg, ... }:\n{\n  services.timesyncd = {\n    inherit (cfg) enable servers; # site\n  };\n}\n",
                "{ lib, cfg, ... }:\n{\n  services.timesyncd = {\n    inherit (cfg) servers; # site\n    enable = lib.mkDefault cfg.enable;\n  };\n}\n",
            ),
            (
                "{ lib, enable, servers, ... }:\r\n{\r\n  services.timesyncd = {\r\n    inherit\r\n      servers\r\n      enable;\r\n  };\r\n}",
                "{ lib, enable, servers, ... }:\r\n{\r\n  services.timesyncd = {\r\n    inherit\r\n      servers;\r\n    enable = lib.mkDefault enable;\r\n  };\r\n}",
            ),
            // A comment before the name keeps its line end.
            (
                "{ lib, cfg, ... }: { services.timesyncd = { inherit (cfg) servers # site\n enable; }; }",
                "{ lib, cfg, ... }: { services.timesyncd = { inherit (cfg) servers # site\n ; enable = lib.mkDefault cfg.enable; }; }",
            ),
        ] {
            let ds = findings(CODE, text);
            assert_eq!(ds.len(), 1, "{text}");
            assert_eq!(fixed(text, &ds), after, "{text}");
            assert_eq!(fixed_to_the_end(text), after, "{text}");
        }
    }

    #[test]
    fn an_inherit_in_a_rec_set_gets_no_fix_and_says_why() {
        for text in [
            "{ lib, enable, ... }: { services.timesyncd = rec { inherit enable; }; }",
            "{ lib, cfg, ... }: { services.timesyncd = rec { inherit (cfg) enable servers; }; }",
            "{ services.timesyncd = rec { inherit (import ./ntp.nix) enable; }; }",
        ] {
            let ds = findings(CODE, text);
            assert_eq!(ds.len(), 1, "{text}");
            assert!(ds[0].fix.is_none(), "{text}");
            let help = ds[0].help.as_deref().unwrap_or_default();
            assert!(help.contains("`rec` set") && help.contains("infinite recursion"), "{text}: {help}");
            assert_eq!(crate::rewrite::fix_text(text, &Default::default()).refused, Vec::<String>::new());
        }
    }

    #[test]
    fn a_lone_inherit_holding_a_comment_is_not_rewritten() {
        let ds = findings(CODE, "{ lib, cfg, ... }: { services.timesyncd = { inherit (cfg) # site-wide\n enable; }; }");
        assert_eq!(ds.len(), 1);
        assert!(ds[0].fix.is_none());
        assert!(ds[0].help.as_deref().is_some_and(|h| h.contains("comment")), "{:?}", ds[0].help);
    }

    #[test]
    fn release_selects_the_table() {
        let text = "{ lib, ... }: { services.qemuGuest.enable = false; services.ntp.enable = true; }";
        let new = findings(CODE, text);
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].option.as_deref(), Some("services.qemuGuest.enable"));
        let old = findings_with(CODE, text, &LintOptions::new(Release::new(17, 9), false));
        assert_eq!(old.len(), 1);
        assert_eq!(old[0].option.as_deref(), Some("services.ntp.enable"));
    }

    #[test]
    fn test_framework_definitions_only_when_asked() {
        let text =
            "{ lib, ... }: { boot.consoleLogLevel = 4; boot.kernel.sysctl.\"kernel.hung_task_timeout_secs\" = 120; }";
        assert!(findings(CODE, text).is_empty());
        let ds = findings_with(CODE, text, &LintOptions::new(Release::NEWEST, true));
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[1].option.as_deref(), Some("boot.kernel.sysctl.\"kernel.hung_task_timeout_secs\""));
    }

    #[test]
    fn networks_and_modules_are_told_apart() {
        // A NixOps network marked only by a dotted `network.*` key.
        let nixops = "{ network.description = \"web\"; web = { services.timesyncd.enable = true; }; }";
        let ds = findings(CODE, nixops);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].machines, ["web"]);
        // Modules with keys networks also use.
        for module in [
            "{ require = [ ./x.nix ]; services = { timesyncd = { enable = true; }; }; }",
            "{ meta = { maintainers = [ ]; }; services = { timesyncd = { enable = true; }; }; }",
        ] {
            let ds = findings(CODE, module);
            assert_eq!(ds.len(), 1, "{module}");
            assert!(ds[0].machines.is_empty(), "{module}");
        }
    }

    #[test]
    fn network_machines_are_checked_each() {
        let text = "{ a = { lib, ... }: { services.timesyncd.enable = true; }; b = { ... }: { }; }";
        let ds = findings(CODE, text);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].machines, ["a"]);
    }
}
