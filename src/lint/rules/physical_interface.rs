//! `physical-interface`: network settings for hardware the VM does not have.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, Meta};
use crate::syntax::{dotted, Value};

declare_lint! {
    /// What: the configuration configures a physical network card
    /// (`networking.interfaces.enp3s0`) or static addressing
    /// (`ipv4.addresses`, `networking.defaultGateway`).
    ///
    /// Why: the VM has one network card, `eth0` (qemu-vm.nix turns off
    /// predictable interface names), on QEMU's user network: it gets
    /// 10.0.2.15 by DHCP and routes through 10.0.2.2. A named card does not
    /// exist there, so its settings do nothing and services bound to it
    /// fail; static addresses and gateways do not route.
    ///
    /// Example:
    ///
    /// ```nix
    /// networking.interfaces.enp3s0.ipv4.addresses = [ { address = "192.168.1.10"; prefixLength = 24; } ];
    /// ```
    PhysicalInterface, "physical-interface", Warning
}

const VM_INTERFACES: &[&str] = &["eth0", "lo"];
const STATIC: &[&str] = &["ipv4", "ipv6", "ipAddress", "prefixLength"];

impl Lint for PhysicalInterface {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for (module, def) in cx.definitions() {
            let diag = |span, message: String, option: String, help: &str| {
                Diagnostic::new(&Self::META, span, message).option(option).machine(module.machine.as_ref()).help(help)
            };
            if def.starts_with(&["networking", "interfaces"]) && def.path.len() >= 3 {
                let nic = &def.path[2];
                let span = def.key_component(2);
                if !VM_INTERFACES.contains(&nic.as_str()) {
                    if let Some(span) = span {
                        out.push(diag(
                            span,
                            format!("interface `{nic}` does not exist in the VM: its only network card is `eth0`"),
                            dotted(&def.path[..3]),
                            "configure `eth0` for the VM under `virtualisation.vmVariant`, or rely on DHCP (`networking.useDHCP`)",
                        ));
                    }
                } else if def.path.len() >= 4
                    && STATIC.contains(&def.path[3].as_str())
                    && def.key_start < 4
                    && def.value != Value::List(vec![])
                {
                    out.push(diag(
                        def.key_span(),
                        format!(
                            "static addressing on `{nic}`: the VM is on QEMU's user network and gets 10.0.2.15 by DHCP"
                        ),
                        dotted(&def.path),
                        "leave addressing to DHCP in the VM (set it under `virtualisation.vmVariant`)",
                    ));
                }
            } else if def.names(&["networking", "defaultGateway"]) && def.value != Value::Null {
                out.push(diag(
                    def.key_span(),
                    "a static default gateway does not route in the VM: QEMU's user network uses 10.0.2.2".into(),
                    "networking.defaultGateway".into(),
                    "leave the gateway to DHCP in the VM (set it under `virtualisation.vmVariant`)",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::{findings, spans};

    const CODE: &str = "physical-interface";

    #[test]
    fn physical_cards_are_reported_once_per_binding() {
        let text = r#"{ networking.interfaces.enp3s0.useDHCP = true; networking.interfaces = { eno1 = { ipv4.addresses = [ ]; }; }; networking.interfaces.eth0.useDHCP = true; }"#;
        assert_eq!(spans(text, &findings(CODE, text)), ["enp3s0", "eno1"]);
    }

    #[test]
    fn static_addressing_and_gateways() {
        let text = r#"{ networking.interfaces.eth0.ipv4.addresses = [ { address = "192.168.1.2"; prefixLength = 24; } ]; networking.defaultGateway = "192.168.1.1"; networking.interfaces.lo.ipv6.addresses = [ ]; }"#;
        let ds = findings(CODE, text);
        assert_eq!(spans(text, &ds), ["networking.interfaces.eth0.ipv4.addresses", "networking.defaultGateway"]);
        assert!(findings(CODE, "{ networking.useDHCP = true; networking.hostName = \"x\"; }").is_empty());
    }
}
