//! `foreign-system`: a platform other than the host's.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, Meta};
use crate::syntax::dotted;

declare_lint! {
    /// What: `nixpkgs.hostPlatform`, `nixpkgs.system` or
    /// `nixpkgs.localSystem.system` names a system other than the machine
    /// nixvm runs on (for example `aarch64-linux` on an `x86_64-linux`
    /// host).
    ///
    /// Why: the VM is then built for and run on another architecture:
    /// every package of it is built under emulation or fetched for that
    /// system, and QEMU emulates the CPU instead of using KVM. It works, but
    /// boots and builds are many times slower.
    ///
    /// Example:
    ///
    /// ```nix
    /// nixpkgs.hostPlatform = "aarch64-linux";   # on an x86_64-linux workstation
    /// ```
    ForeignSystem, "foreign-system", Warning
}

const SYSTEM_OPTIONS: &[&[&str]] = &[
    &["nixpkgs", "hostPlatform"],
    &["nixpkgs", "hostPlatform", "system"],
    &["nixpkgs", "system"],
    &["nixpkgs", "localSystem", "system"],
    &["nixpkgs", "buildPlatform"],
    &["nixpkgs", "buildPlatform", "system"],
];

impl Lint for ForeignSystem {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let host = &cx.options.host_system;
        for (module, def) in cx.definitions() {
            let Some(system) = def.value.as_str() else { continue };
            if system == host || !SYSTEM_OPTIONS.iter().any(|o| def.path == *o) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &Self::META,
                    def.value_span,
                    format!("the VM would be built for `{system}` and emulated on this `{host}` machine: many times slower"),
                )
                .option(dotted(&def.path))
                .machine(module.machine.as_ref())
                .help(format!("build on a machine of `{system}` (nix `--builders`), or set `nixpkgs.hostPlatform = \"{host}\"` under `virtualisation.vmVariant` to test natively")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings_with, spans};
    use crate::lint::LintOptions;

    #[test]
    fn other_systems_are_reported() {
        let options = LintOptions { host_system: "x86_64-linux".into(), ..LintOptions::default() };
        let text = r#"{ lib, ... }: { nixpkgs.hostPlatform = lib.mkDefault "aarch64-linux"; nixpkgs.localSystem.system = "x86_64-linux"; nixpkgs.system = "riscv64-linux"; }"#;
        let ds = findings_with("foreign-system", text, &options);
        assert_eq!(spans(text, &ds), ["\"aarch64-linux\"", "\"riscv64-linux\""]);
    }
}
