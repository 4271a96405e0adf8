//! Network files: a `nixos-build-vms` network (machine name -> module), a
//! NixOps network (`network`, `defaults`, `resources`, `require` are not
//! machines) or a colmena hive (`meta`, `defaults`).

use super::span_of;
use super::value::{attr_name, unparen};
use crate::text::Span;
use rnix::ast::{self, HasEntry};
use rowan::ast::AstNode;

/// Which tool the network file is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkFlavor {
    NixosBuildVms,
    NixOps,
    Colmena,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkMachine {
    pub name: String,
    /// The machine's name as written.
    pub name_span: Span,
    /// The machine's module.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkInfo {
    pub flavor: NetworkFlavor,
    pub machines: Vec<NetworkMachine>,
    /// The `defaults` module, applied to every machine.
    pub defaults: Option<Span>,
}

const NIXOPS_KEYS: &[&str] = &["network", "resources", "require"];
const MODULE_KEYS: &[&str] = &["imports", "config", "options"];

/// The modules of a network: `(Some(machine), module)`, or `(None, module)`
/// for `defaults`.
pub type NetworkModules = Vec<(Option<String>, ast::Expr)>;

/// Recognise a network file; returns it with the modules to analyse.
pub fn detect(expr: &ast::Expr) -> Option<(NetworkInfo, NetworkModules)> {
    let mut body = unparen(expr.clone());
    loop {
        body = match &body {
            ast::Expr::LetIn(l) => unparen(l.body()?),
            ast::Expr::With(w) => unparen(w.body()?),
            _ => break,
        };
    }
    let ast::Expr::AttrSet(set) = body else { return None };
    let mut entries: Vec<(String, Span, ast::Expr)> = vec![];
    for av in set.attrpath_values() {
        let attrs: Vec<ast::Attr> = av.attrpath()?.attrs().collect();
        let first = attrs.first()?;
        let name = attr_name(first)?;
        if attrs.len() > 1 {
            // `network.description = ...` is fine; a dotted machine key is not a network.
            if NIXOPS_KEYS.contains(&name.as_str()) || name == "meta" || name == "defaults" {
                continue;
            }
            return None;
        }
        entries.push((name, span_of(first.syntax()), unparen(av.value()?)));
    }
    let has = |k: &str| entries.iter().any(|(n, _, _)| n == k);
    if MODULE_KEYS.iter().any(|k| has(k)) {
        return None;
    }
    let flavor = if has("meta") {
        NetworkFlavor::Colmena
    } else if NIXOPS_KEYS.iter().any(|k| has(k)) || has("defaults") {
        NetworkFlavor::NixOps
    } else {
        NetworkFlavor::NixosBuildVms
    };
    let is_module = |e: &ast::Expr| matches!(e, ast::Expr::Lambda(_) | ast::Expr::AttrSet(_));
    let any_lambda = entries.iter().any(|(_, _, e)| matches!(e, ast::Expr::Lambda(_)));
    let reserved = |n: &str| n == "meta" || n == "defaults" || NIXOPS_KEYS.contains(&n);
    let machines_are_modules = entries.iter().filter(|(n, _, _)| !reserved(n)).all(|(_, _, e)| is_module(e));
    let marked = flavor != NetworkFlavor::NixosBuildVms;
    if !(machines_are_modules && (marked || any_lambda)) || entries.is_empty() {
        return None;
    }
    let mut machines = vec![];
    let mut modules = vec![];
    let mut defaults = None;
    for (name, name_span, value) in entries {
        if name == "defaults" {
            defaults = Some(span_of(value.syntax()));
            modules.push((None, value));
        } else if !reserved(&name) {
            machines.push(NetworkMachine { name: name.clone(), name_span, span: span_of(value.syntax()) });
            modules.push((Some(name), value));
        }
    }
    Some((NetworkInfo { flavor, machines, defaults }, modules))
}
