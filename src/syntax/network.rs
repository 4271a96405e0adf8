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
    /// For a network written as a function (`{ region ? "eu", ... }: { ... }`,
    /// as NixOps and hives allow): what it takes.
    pub function: Option<NetworkFunction>,
}

/// The arguments a network function takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkFunction {
    pub arguments: Vec<NetworkArgument>,
    /// It takes other arguments too (`...`).
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkArgument {
    pub name: String,
    pub has_default: bool,
    pub span: Span,
}

const NIXOPS_KEYS: &[&str] = &["network", "resources", "require"];
/// Keys that mark a network file when nobody said what the file is
/// (`require` is also a module keyword, so it does not).
const MARKERS: &[&str] = &["network", "resources", "meta", "defaults"];
/// Top-level NixOS option namespaces: a file that sets one is a module.
const OPTION_NAMESPACES: &[&str] = &[
    "boot",
    "console",
    "documentation",
    "environment",
    "fileSystems",
    "fonts",
    "hardware",
    "i18n",
    "networking",
    "nix",
    "nixpkgs",
    "power",
    "powerManagement",
    "programs",
    "security",
    "services",
    "sound",
    "swapDevices",
    "system",
    "systemd",
    "time",
    "users",
    "virtualisation",
    "xdg",
    "zramSwap",
];
const MODULE_KEYS: &[&str] = &["imports", "config", "options"];

/// The modules of a network: `(Some(machine), module)`, or `(None, module)`
/// for `defaults`.
pub type NetworkModules = Vec<(Option<String>, ast::Expr)>;

/// The named arguments of `expr` when it is a function of them.
pub(super) fn function_of(expr: &ast::Expr) -> Option<NetworkFunction> {
    let ast::Expr::Lambda(l) = unparen(expr.clone()) else { return None };
    let Some(ast::Param::Pattern(p)) = l.param() else { return None };
    let arguments = p
        .pat_entries()
        .filter_map(|e| {
            let name = e.ident()?.ident_token()?.text().to_string();
            Some(NetworkArgument { name, has_default: e.default().is_some(), span: span_of(e.syntax()) })
        })
        .collect();
    Some(NetworkFunction { arguments, open: p.ellipsis_token().is_some() })
}

fn peel(expr: &ast::Expr) -> Option<ast::Expr> {
    let mut body = unparen(expr.clone());
    loop {
        body = match &body {
            ast::Expr::LetIn(l) => unparen(l.body()?),
            ast::Expr::With(w) => unparen(w.body()?),
            _ => return Some(body),
        };
    }
}

/// A name written on both sides of `a // b` when both are set literals
/// (the right one silently wins): where it is on the right, and the name.
fn overlap(op: &ast::BinOp) -> Option<(Span, String)> {
    let keys = |e: Option<ast::Expr>| -> Vec<(String, Span)> {
        match e.and_then(|e| peel(&e)) {
            Some(ast::Expr::AttrSet(set)) => set
                .attrpath_values()
                .filter_map(|av| {
                    let first = av.attrpath()?.attrs().next()?;
                    Some((attr_name(&first)?, span_of(first.syntax())))
                })
                .collect(),
            Some(ast::Expr::BinOp(inner)) if inner.operator() == Some(ast::BinOpKind::Update) => {
                // `a // b // c` is `(a // b) // c`: the left is itself joined.
                let mut all = vec![];
                for side in [inner.lhs(), inner.rhs()] {
                    if let Some(ast::Expr::AttrSet(set)) = side.and_then(|e| peel(&e)) {
                        all.extend(set.attrpath_values().filter_map(|av| {
                            let first = av.attrpath()?.attrs().next()?;
                            Some((attr_name(&first)?, span_of(first.syntax())))
                        }));
                    }
                }
                all
            }
            _ => vec![],
        }
    };
    let left = keys(op.lhs());
    keys(op.rhs()).into_iter().find(|(name, _)| left.iter().any(|(l, _)| l == name)).map(|(name, span)| (span, name))
}

/// A network whose machines only evaluation tells: its body (under `let`,
/// `with` and a function's arguments) is no attribute set literal.
pub fn is_computed(expr: &ast::Expr) -> bool {
    match peel(expr) {
        Some(ast::Expr::AttrSet(_)) | None => false,
        Some(ast::Expr::Lambda(l)) => l.body().is_some_and(|b| is_computed(&b)),
        Some(ast::Expr::BinOp(op)) => op.operator() == Some(ast::BinOpKind::Update) && overlap(&op).is_none(),
        Some(ast::Expr::Apply(_)) | Some(ast::Expr::Select(_)) | Some(ast::Expr::IfElse(_)) => true,
        Some(_) => false,
    }
}

/// Recognise a network file among module files (a heuristic: lint does not
/// know what a file is meant to be).
pub fn detect(expr: &ast::Expr) -> Option<(NetworkInfo, NetworkModules)> {
    read(expr, false).ok()
}

/// Read a file the user says is a network: any attribute set of machines.
pub fn read_declared(expr: &ast::Expr) -> Result<(NetworkInfo, NetworkModules), (Span, String)> {
    read(expr, true)
}

fn read(expr: &ast::Expr, declared: bool) -> Result<(NetworkInfo, NetworkModules), (Span, String)> {
    let here = |e: &ast::Expr| span_of(e.syntax());
    let not_network = |e: &ast::Expr, why: &str| (here(e), why.to_string());
    let body = peel(expr).ok_or_else(|| not_network(expr, "the network file is incomplete"))?;
    let set = match &body {
        ast::Expr::AttrSet(set) => set.clone(),
        ast::Expr::Lambda(l) => {
            // A function of named arguments whose body is a network: the
            // tool that reads the file calls it (NixOps with its arguments,
            // colmena with none).
            let module_args = ["config", "pkgs", "lib", "modulesPath", "options"];
            let is_module = match l.param() {
                Some(ast::Param::Pattern(p)) => p
                    .pat_entries()
                    .any(|e| e.ident().and_then(|i| i.ident_token()).is_some_and(|t| module_args.contains(&t.text()))),
                _ => false,
            };
            if let (Some(ast::Param::Pattern(_)), Some(body)) = (l.param(), l.body()) {
                // A function of `pkgs` may be a module: its body must look
                // like a network by itself, as if nobody had said.
                let read_body = read(&body, declared && !is_module);
                // A function returning a set literal: what is wrong is in the set.
                if let (Err(e), Some(ast::Expr::AttrSet(_))) = (&read_body, peel(&body)) {
                    if declared && !is_module {
                        return Err(e.clone());
                    }
                }
                if let Ok((mut info, modules)) = read_body {
                    info.function = function_of(expr);
                    return Ok((info, modules));
                }
            }
            let why = if is_module {
                "this is a NixOS module (a function of config/pkgs), not a network file: use --from"
            } else {
                "a network file must be an attribute set of machines, or a function of named arguments returning one"
            };
            return Err(not_network(&body, why));
        }
        ast::Expr::BinOp(op) if op.operator() == Some(ast::BinOpKind::Update) => {
            return Err(match overlap(op) {
                Some((span, name)) => (
                    span,
                    format!("machine `{name}` is defined on both sides of `//`, where the right one silently wins: define it once"),
                ),
                None => not_network(
                    &body,
                    "this network joins sets with `//`: nixvm evaluates it with nix to list its machines",
                ),
            });
        }
        _ => return Err(not_network(&body, "a network file must be an attribute set literal of machines")),
    };
    let mut entries: Vec<(String, Span, ast::Expr)> = vec![];
    let mut dotted_markers: Vec<String> = vec![];
    for av in set.attrpath_values() {
        let Some(attrs) = av.attrpath().map(|p| p.attrs().collect::<Vec<ast::Attr>>()) else { continue };
        let Some(first) = attrs.first() else { continue };
        let Some(name) = attr_name(first) else {
            return Err((span_of(first.syntax()), "machine names must be static, not computed".into()));
        };
        if attrs.len() > 1 {
            // `network.description = ...` is fine; a dotted machine key is not a network.
            if NIXOPS_KEYS.contains(&name.as_str()) || name == "meta" || name == "defaults" {
                dotted_markers.push(name);
                continue;
            }
            return Err((span_of(first.syntax()), format!("machine `{name}` must be defined as `{name} = <module>;`")));
        }
        let Some(value) = av.value() else { continue };
        entries.push((name, span_of(first.syntax()), unparen(value)));
    }
    let has = |k: &str| entries.iter().any(|(n, _, _)| n == k) || dotted_markers.iter().any(|n| n == k);
    if MODULE_KEYS.iter().any(|k| has(k)) {
        return Err(not_network(&body, "this is a NixOS module (it has imports/config/options), not a network file"));
    }
    let flavor = if has("meta") {
        NetworkFlavor::Colmena
    } else if NIXOPS_KEYS.iter().any(|k| has(k)) || has("defaults") {
        NetworkFlavor::NixOps
    } else {
        NetworkFlavor::NixosBuildVms
    };
    // A module written here, or `import ./machine.nix`; colmena also takes
    // a list of modules (and paths to them) for a node.
    fn is_module(e: &ast::Expr) -> bool {
        match e {
            ast::Expr::Lambda(_) | ast::Expr::AttrSet(_) => true,
            ast::Expr::Apply(a) => {
                let imports = a.lambda().is_some_and(|f| f.syntax().text() == "import");
                imports
                    && a.argument().is_some_and(|p| matches!(unparen(p), ast::Expr::PathRel(_) | ast::Expr::PathAbs(_)))
            }
            ast::Expr::List(l) => l.items().map(unparen).all(|i| matches!(i, ast::Expr::PathRel(_)) || is_module(&i)),
            _ => false,
        }
    }
    let any_lambda = entries.iter().any(|(_, _, e)| matches!(e, ast::Expr::Lambda(_)));
    let reserved = |n: &str| n == "meta" || n == "defaults" || NIXOPS_KEYS.contains(&n);
    let marked = MARKERS.iter().any(|k| has(k));
    if !declared {
        if entries.iter().any(|(n, _, _)| OPTION_NAMESPACES.contains(&n.as_str())) {
            return Err(not_network(&body, "sets NixOS options: a module"));
        }
        let machines_are_modules = entries.iter().filter(|(n, _, _)| !reserved(n)).all(|(_, _, e)| is_module(e));
        if !(machines_are_modules && (marked || any_lambda)) || entries.is_empty() {
            return Err(not_network(&body, "not a network"));
        }
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
            match &value {
                ast::Expr::List(l) => modules.extend(l.items().map(|i| (Some(name.clone()), unparen(i)))),
                _ => modules.push((Some(name), value)),
            }
        }
    }
    if machines.is_empty() {
        return Err(not_network(&body, "the network file defines no machine"));
    }
    Ok((NetworkInfo { flavor, machines, defaults, function: None }, modules))
}

#[cfg(test)]
mod tests {
    use crate::syntax::{analyze, parse};

    fn machines(text: &str) -> Option<Vec<String>> {
        let network = analyze(&parse(text)).network?;
        Some(network.machines.into_iter().map(|m| m.name).collect())
    }

    #[test]
    fn machines_imported_from_files_count_as_modules() {
        assert_eq!(machines("{ a = import ./a.nix; b = { ... }: { }; }"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(machines("{ a = import ./a.nix; b = { ... }: { }; c = 3; }"), None);
        assert_eq!(machines("{ a = import (./a.nix); b = f x; c = { ... }: { }; }"), None);
    }
}
