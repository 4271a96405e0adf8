//! The option resolver: walks a NixOS module and lists every option
//! definition with its path, value, priority and conditions, whatever the
//! form it is written in (dotted or nested keys, quoted keys, `config = `,
//! `mkIf`, `mkMerge`, `let`, `with lib;`, `inherit`, `rec`), plus the
//! module's imports and how it can reach `lib`.

use super::green::{self, Node, Token};
use super::model::*;
use super::network;
use super::value::{self, static_name, text_of, unparen, value_of, VarLookup};
use super::{span_of, token_span};
use crate::text::{Edit, Span};
use rnix::ast;
use rnix::{NodeOrToken, SyntaxKind::*, SyntaxNode};
use rowan::ast::AstNode;
use std::collections::HashMap;

/// Attribute-set nesting the resolver follows; deeper sets are reported as
/// opaque values.
const MAX_SET_DEPTH: usize = 64;

/// Names the resolver understands, as found in `lib`.
const LIB_FUNCTIONS: &[&str] = &[
    "mkIf",
    "mkMerge",
    "mkDefault",
    "mkForce",
    "mkOverride",
    "mkVMOverride",
    "mkOptionDefault",
    "mkImageMediaOverride",
    "mkBefore",
    "mkAfter",
    "mkOrder",
];

/// Top-level module attributes that are not option definitions.
const MODULE_KEYWORDS: &[&str] =
    &["imports", "options", "config", "_file", "key", "disabledModules", "require", "_class"];

/// Analyse a whole file of `bindings` bindings (see `Parsed`).
pub fn analyze_file(root: &SyntaxNode, paths: Vec<PathLiteral>, bindings: usize) -> FileAnalysis {
    let Some(expr) = ast::Root::cast(root.clone()).and_then(|r| r.expr()) else {
        return FileAnalysis { paths, ..Default::default() };
    };
    if let Some((info, modules)) = network::detect(&expr) {
        return analyze_network(info, modules, paths);
    }
    FileAnalysis { modules: vec![analyze_module(&expr, None, bindings)], network: None, paths }
}

pub fn analyze_network(
    info: super::NetworkInfo,
    modules: network::NetworkModules,
    paths: Vec<PathLiteral>,
) -> FileAnalysis {
    // The file's binding count is the whole network's: no hint per machine
    // (room for thousands of machines' definitions in each would be
    // quadratic).
    let modules = modules.into_iter().map(|(name, e)| analyze_module(&e, name, 0)).collect();
    FileAnalysis { modules, network: Some(info), paths }
}

/// The path literal a node starting at `at` is, if it is one.
pub(super) fn path_literal(node: Node) -> Option<PathLiteral> {
    let kind = match node.kind() {
        NODE_PATH_ABS => PathKind::Absolute,
        NODE_PATH_REL => PathKind::Relative,
        NODE_PATH_HOME => PathKind::Home,
        NODE_PATH_SEARCH => PathKind::Search,
        _ => return None,
    };
    Some(PathLiteral { span: node.span(), kind, text: node.text() })
}

/// What a name in scope stands for.
#[derive(Debug, Clone)]
enum Binding {
    Literal(Value),
    /// A `lib` function under another name (`inherit (lib) mkIf;`).
    LibFn(&'static str),
    /// `lib` itself (`lib`, `pkgs.lib`).
    Lib,
    /// The module's whole argument set (`args:` or `args@{ ... }`).
    ModuleArgs,
    Unknown,
}

#[derive(Default)]
struct Frame {
    names: HashMap<String, Binding>,
    /// `with lib;`: bare lib function names resolve.
    with_lib: bool,
}

#[derive(Default)]
struct Scopes {
    frames: Vec<Frame>,
}

impl Scopes {
    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.frames.iter().rev().find_map(|f| f.names.get(name))
    }

    fn with_lib(&self) -> bool {
        self.frames.iter().any(|f| f.with_lib)
    }

    fn is_lib(&self, expr: Node) -> bool {
        let expr = expr.unparen();
        match expr.kind() {
            NODE_IDENT => {
                let Some(name) = expr.token(TOKEN_IDENT) else { return false };
                match self.lookup(name.text()) {
                    Some(Binding::Lib) => true,
                    Some(_) => false,
                    None => name.text() == "lib",
                }
            }
            // `pkgs.lib`, `args.lib`, `inputs.nixpkgs.lib`: whatever ends in `.lib`.
            NODE_SELECT => {
                expr.token(TOKEN_OR).is_none() && last_attr(expr).and_then(static_name).as_deref() == Some("lib")
            }
            _ => false,
        }
    }

    /// The lib function `expr` names, if any, and the span of its name.
    fn lib_function(&self, expr: Node) -> Option<(&'static str, Span)> {
        let expr = expr.unparen();
        match expr.kind() {
            NODE_IDENT => {
                let tok = expr.token(TOKEN_IDENT)?;
                let name = tok.text();
                match self.lookup(name) {
                    Some(Binding::LibFn(f)) => Some((f, tok.span())),
                    Some(_) => None,
                    None if self.with_lib() => known(name).map(|f| (f, tok.span())),
                    None => None,
                }
            }
            // `lib.mkForce`, `lib.modules.mkForce`, `pkgs.lib.mkForce`,
            // `inputs.nixpkgs.lib.mkForce`, `args.lib.mkForce`: these names
            // are lib's whatever the path to them.
            NODE_SELECT => {
                if expr.token(TOKEN_OR).is_some() {
                    return None;
                }
                let last = last_attr(expr)?;
                let fname = known(&static_name(last)?)?;
                Some((fname, last.span()))
            }
            _ => None,
        }
    }
}

impl VarLookup for Scopes {
    fn literal(&self, name: &str) -> Option<Value> {
        match self.lookup(name) {
            Some(Binding::Literal(v)) => Some(v.clone()),
            _ => None,
        }
    }
}

fn known(name: &str) -> Option<&'static str> {
    LIB_FUNCTIONS.iter().copied().find(|f| *f == name)
}

/// The last key a selection (`a.b.c`) selects.
fn last_attr(select: Node) -> Option<Node> {
    select.child(NODE_ATTRPATH)?.attrs().last()
}

/// The static names of a select's attrpath, base included: `pkgs.lib` ->
/// `["pkgs", "lib"]`.
fn select_path(s: Node) -> Option<Vec<String>> {
    let base = s.expr(0).filter(|b| b.kind() == NODE_IDENT)?;
    let mut names = vec![base.token(TOKEN_IDENT)?.text().to_string()];
    for a in s.child(NODE_ATTRPATH)?.attrs() {
        names.push(static_name(a)?);
    }
    Some(names)
}

/// How a definition is reached: priority and conditions on the way.
#[derive(Clone)]
struct Ctx {
    priority: Priority,
    wrapper: Option<WrapperCall>,
    conditions: Vec<String>,
}

impl Ctx {
    fn top() -> Self {
        Ctx { priority: Priority::PLAIN, wrapper: None, conditions: vec![] }
    }
}

/// The key of the binding being walked.
#[derive(Clone)]
struct Key {
    path: Vec<String>,
    /// Whether a component of `path` has `${` in it (a computed name's
    /// source text), known as components are added.
    dollar: bool,
    key_start: usize,
    key_spans: Vec<Span>,
    dynamic: bool,
}

/// A value being walked: its node, and whether it is a function argument
/// or a list item (where anything put before it must be parenthesised
/// with it).
#[derive(Clone, Copy)]
struct At<'g> {
    node: Node<'g>,
    argument: bool,
}

impl<'g> At<'g> {
    /// What a binding (`k = node;`), parentheses, a `let` or `with` hold.
    fn bound(node: Node<'g>) -> Self {
        At { node, argument: false }
    }

    /// A function's argument or a list's item.
    fn argument(node: Node<'g>) -> Self {
        At { node, argument: true }
    }
}

/// A call of a lib function, decoded.
enum Call<'g> {
    If {
        cond: Node<'g>,
        body: Node<'g>,
    },
    Merge(Node<'g>),
    Priority {
        name: &'static str,
        level: Option<u32>,
        value: Node<'g>,
        wrapper: WrapperCall,
    },
    /// `(if c then mkVMOverride else mkDefault) v`: one priority or the other.
    BranchedPriority {
        cond: Node<'g>,
        then: (&'static str, u32),
        otherwise: (&'static str, u32),
        value: Node<'g>,
    },
    Order(Node<'g>),
}

/// The priority a one-argument lib wrapper sets.
fn wrapper_level(name: &str) -> Option<u32> {
    match name {
        "mkDefault" => Some(1000),
        "mkForce" => Some(50),
        "mkVMOverride" => Some(10),
        "mkOptionDefault" => Some(1500),
        "mkImageMediaOverride" => Some(60),
        _ => None,
    }
}

struct Walker {
    scopes: Scopes,
    definitions: Vec<Definition>,
    imports: Vec<Import>,
}

/// Analyse one module, making room for `expected` definitions (at least
/// a typical module's: growing a vector of them one doubling at a time
/// copies them all again).
pub fn analyze_module(expr: &ast::Expr, machine: Option<String>, expected: usize) -> ModuleInfo {
    let definitions = Vec::with_capacity(expected.max(32));
    let mut w = Walker { scopes: Scopes::default(), definitions, imports: vec![] };
    let span = span_of(expr.syntax());
    let mut body = expr.clone();
    let mut lambdas: Vec<ast::Lambda> = vec![];
    let mut pushed = 0;
    loop {
        body = unparen(body);
        let next = match &body {
            ast::Expr::Lambda(l) => {
                w.scopes.frames.push(param_frame(l));
                pushed += 1;
                lambdas.push(l.clone());
                l.body()
            }
            ast::Expr::LetIn(l) => {
                w.push_let(Node::of(l.syntax()));
                pushed += 1;
                l.body()
            }
            ast::Expr::With(wi) => {
                let frame = w.with_frame(Node::of(wi.syntax()));
                w.scopes.frames.push(frame);
                pushed += 1;
                wi.body()
            }
            ast::Expr::Assert(a) => a.body(),
            _ => break,
        };
        match next {
            Some(n) => body = n,
            None => break,
        }
    }
    let shape = if !lambdas.is_empty() {
        ModuleShape::Function
    } else if matches!(body, ast::Expr::AttrSet(_)) {
        ModuleShape::AttrSet
    } else {
        ModuleShape::Other
    };
    let lib = lib_access(&w.scopes, lambdas.last(), &shape, expr);
    w.module_body(Node::of(body.syntax()));
    for _ in 0..pushed {
        w.scopes.frames.pop();
    }
    ModuleInfo { machine, shape, definitions: w.definitions, imports: w.imports, lib, span }
}

fn param_frame(l: &ast::Lambda) -> Frame {
    let mut frame = Frame::default();
    let bind = |frame: &mut Frame, ident: Option<ast::Ident>, whole: bool| {
        if let Some(name) = ident.and_then(|i| i.ident_token()) {
            let b = match (name.text(), whole) {
                (_, true) => Binding::ModuleArgs,
                ("lib", false) => Binding::Lib,
                _ => Binding::Unknown,
            };
            frame.names.insert(name.text().to_string(), b);
        }
    };
    match l.param() {
        Some(ast::Param::IdentParam(p)) => bind(&mut frame, p.ident(), true),
        Some(ast::Param::Pattern(p)) => {
            for e in p.pat_entries() {
                bind(&mut frame, e.ident(), false);
            }
            bind(&mut frame, p.pat_bind().and_then(|b| b.ident()), true);
        }
        None => {}
    }
    frame
}

/// How the module `expr` reaches `lib`. A module that is a plain attribute
/// set becomes a function of `lib`: `{ lib, ... }: ` written before it (its
/// comments, layout and line endings stay as they are), in parentheses
/// where a function cannot stand bare (a list item).
fn lib_access(scopes: &Scopes, module_fn: Option<&ast::Lambda>, shape: &ModuleShape, expr: &ast::Expr) -> LibAccess {
    if matches!(scopes.lookup("lib"), Some(Binding::Lib)) {
        return LibAccess::Bound("lib".into());
    }
    let Some(lambda) = module_fn else {
        if *shape == ModuleShape::AttrSet {
            let span = span_of(expr.syntax());
            let bare = expr.syntax().parent().is_none_or(|p| {
                use rnix::SyntaxKind::*;
                matches!(p.kind(), NODE_ROOT | NODE_ATTRPATH_VALUE | NODE_PAREN)
            });
            return LibAccess::Addable(if bare {
                vec![Edit::insert(span.start, "{ lib, ... }: ")]
            } else {
                vec![Edit::insert(span.start, "({ lib, ... }: "), Edit::insert(span.end, ")")]
            });
        }
        return LibAccess::Unavailable(
            "the module is not a function, so `lib` is not in scope; write it as `{ lib, ... }: ...` to allow the fix"
                .into(),
        );
    };
    match lambda.param() {
        Some(ast::Param::Pattern(p)) => {
            if let Some(dots) = p.ellipsis_token() {
                LibAccess::Addable(vec![Edit::insert(token_span(&dots).start, "lib, ")])
            } else if let Some(last) = p.pat_entries().last() {
                LibAccess::Addable(vec![Edit::insert(span_of(last.syntax()).end, ", lib")])
            } else if let Some(open) = p
                .syntax()
                .children_with_tokens()
                .filter_map(|t| t.into_token())
                .find(|t| t.kind() == rnix::SyntaxKind::TOKEN_L_BRACE)
            {
                LibAccess::Addable(vec![Edit::insert(token_span(&open).end, " lib")])
            } else {
                LibAccess::Unavailable("the module's argument pattern could not be read".into())
            }
        }
        Some(ast::Param::IdentParam(p)) => match p.ident().and_then(|i| i.ident_token()) {
            Some(name) => LibAccess::Bound(format!("{}.lib", name.text())),
            None => LibAccess::Unavailable("the module's argument could not be read".into()),
        },
        None => LibAccess::Unavailable("the module's argument could not be read".into()),
    }
}

impl Walker {
    /// Push the scope of a `let`: its bindings see each other (inherits
    /// first, then bindings twice so later aliases resolve), and anything
    /// named `lib` is taken to be lib.
    fn push_let(&mut self, l: Node) {
        self.scopes.frames.push(Frame::default());
        for inherit in l.children().filter(|c| c.kind() == NODE_INHERIT) {
            let from_lib = inherit.child(NODE_INHERIT_FROM).and_then(|f| f.expr(0)).map(|e| self.is_lib_or_modules(e));
            for attr in inherit.attrs() {
                let Some(name) = static_name(attr) else { continue };
                let b = match from_lib {
                    _ if name == "lib" => Binding::Lib,
                    Some(true) => known(&name).map(Binding::LibFn).unwrap_or(Binding::Unknown),
                    Some(false) => Binding::Unknown,
                    None => self.scopes.lookup(&name).cloned().unwrap_or(Binding::Unknown),
                };
                self.bind_here(name, b);
            }
        }
        let bindings = value::simple_bindings(l);
        for _ in 0..2 {
            for (name, value) in &bindings {
                let b = if name == "lib" { Binding::Lib } else { self.binding_of(*value) };
                self.bind_here(name.clone(), b);
            }
        }
    }

    fn bind_here(&mut self, name: String, b: Binding) {
        if let Some(frame) = self.scopes.frames.last_mut() {
            frame.names.insert(name, b);
        }
    }

    fn is_lib_or_modules(&self, e: Node) -> bool {
        if self.scopes.is_lib(e) {
            return true;
        }
        let e = e.unparen();
        if e.kind() != NODE_SELECT {
            return false;
        }
        match (e.expr(0), select_path(e)) {
            (Some(base), Some(names)) => names.len() == 2 && names[1] == "modules" && self.scopes.is_lib(base),
            _ => false,
        }
    }

    fn binding_of(&self, value: Node) -> Binding {
        if self.scopes.is_lib(value) {
            return Binding::Lib;
        }
        if let Some((f, _)) = self.scopes.lib_function(value) {
            return Binding::LibFn(f);
        }
        match value_of(value, &self.scopes) {
            v if v.is_literal() => Binding::Literal(v),
            _ => Binding::Unknown,
        }
    }

    fn with_frame(&self, w: Node) -> Frame {
        let with_lib = w.expr(0).map(|n| self.is_lib_or_modules(n)).unwrap_or(false);
        Frame { names: HashMap::new(), with_lib }
    }

    /// Decode `f a b` when `f` is a lib function the resolver understands.
    fn call<'g>(&self, expr: Node<'g>) -> Option<Call<'g>> {
        if expr.kind() != NODE_APPLY {
            return None;
        }
        let mut args = vec![];
        let mut head = expr;
        while head.kind() == NODE_APPLY {
            args.push(head.expr(1)?);
            head = head.expr(0)?.unparen();
        }
        args.reverse();
        if let (NODE_IF_ELSE, [v]) = (head.kind(), args.as_slice()) {
            let level = |e: Option<Node>| {
                let (name, _) = self.scopes.lib_function(e?)?;
                Some((name, wrapper_level(name)?))
            };
            return Some(Call::BranchedPriority {
                cond: head.expr(0)?,
                then: level(head.expr(1))?,
                otherwise: level(head.expr(2))?,
                value: *v,
            });
        }
        let (name, name_span) = self.scopes.lib_function(head)?;
        let start = head.span().start;
        let wrapper = |head_end: usize| WrapperCall { start, name: name_span, head_end };
        match (name, args.as_slice()) {
            ("mkIf", [cond, body]) => Some(Call::If { cond: *cond, body: *body }),
            ("mkMerge", [list]) => Some(Call::Merge(*list)),
            ("mkBefore" | "mkAfter", [v]) | ("mkOrder", [_, v]) => Some(Call::Order(*v)),
            ("mkOverride", [prio, v]) => {
                let level = match value_of(*prio, &self.scopes) {
                    Value::Int(i) => u32::try_from(i).ok(),
                    _ => None,
                };
                let w = wrapper(prio.span().end);
                Some(Call::Priority { name, level, value: *v, wrapper: w })
            }
            (_, [v]) => {
                let level = wrapper_level(name)?;
                Some(Call::Priority { name, level: Some(level), value: *v, wrapper: wrapper(name_span.end) })
            }
            _ => None,
        }
    }

    /// The body of a module (after its arguments): imports, and either
    /// `config` or every non-keyword attribute.
    fn module_body(&mut self, body: Node) {
        let set = body.unparen();
        if set.kind() != NODE_ATTR_SET {
            // `mkIf c { ... }` or `mkMerge [ ... ]` as the whole module.
            let key = Key { path: vec![], dollar: false, key_start: 0, key_spans: vec![], dynamic: false };
            self.value(At::bound(set), &key, &Ctx::top(), 0);
            return;
        }
        let has_config_or_options = set
            .children()
            .filter(|c| c.kind() == NODE_ATTRPATH_VALUE)
            .any(|av| first_key(av).is_some_and(|k| k == "config" || k == "options"));
        for entry in set.children() {
            match entry.kind() {
                NODE_ATTRPATH_VALUE => {}
                NODE_INHERIT if !has_config_or_options => {
                    self.entry(set, entry, (&[], false), &Ctx::top(), 0);
                    continue;
                }
                _ => continue,
            }
            match first_key(entry).as_deref() {
                Some("imports") | Some("require") => {
                    if let Some(v) = entry.expr(0) {
                        self.imports.extend(module_items(v, &self.scopes));
                    }
                }
                Some("config") if has_config_or_options => {
                    // `config = ...;` or `config.a.b = ...;`: drop the `config` component.
                    self.binding(entry, (&[], false), 1, &Ctx::top(), 0);
                }
                Some(k) if MODULE_KEYWORDS.contains(&k) => {}
                _ if has_config_or_options => {}
                _ => self.entry(set, entry, (&[], false), &Ctx::top(), 0),
            }
        }
    }

    /// One entry of `set` under `prefix` (its components, and whether one
    /// has `${` in it).
    fn entry(&mut self, set: Node, entry: Node, (prefix, dollar): (&[String], bool), ctx: &Ctx, depth: usize) {
        match entry.kind() {
            NODE_ATTRPATH_VALUE => self.binding(entry, (prefix, dollar), 0, ctx, depth),
            NODE_INHERIT => {
                let from = entry.child(NODE_INHERIT_FROM).and_then(|f| f.expr(0));
                let source = from.map(selectable);
                let names = entry.attrs().count();
                let has_comment = entry.contains(TOKEN_COMMENT);
                let in_rec = set.token(TOKEN_REC).is_some();
                for attr in entry.attrs() {
                    let Some(name) = static_name(attr) else { continue };
                    let value = match from {
                        Some(f) => Value::Expr(format!("{}.{}", text_of(f), name)),
                        None => self.scopes.literal(&name).unwrap_or_else(|| Value::Expr(name.clone())),
                    };
                    let key = attr.text();
                    let written = match (&source, attr.kind()) {
                        (_, NODE_DYNAMIC) => None,
                        (Some(source), _) => source.as_ref().map(|s| format!("{s}.{key}")),
                        (None, _) => crate::nixstr::is_identifier(&name).then(|| name.clone()),
                    };
                    let inherited = Inherited {
                        entry: entry.span(),
                        names,
                        has_comment,
                        key,
                        value: written,
                        removal: removal_in_inherit(entry, attr),
                        in_rec,
                    };
                    let mut path = prefix.to_vec();
                    path.push(name);
                    let span = attr.span();
                    self.definitions.push(Definition {
                        key_start: prefix.len(),
                        path,
                        key_spans: vec![span],
                        value_span: span,
                        value,
                        priority: ctx.priority,
                        wrapper: ctx.wrapper.clone(),
                        conditions: ctx.conditions.clone(),
                        inherited: Some(inherited),
                        dynamic: false,
                        value_needs_parens: false,
                        value_is_argument: false,
                    });
                }
            }
            _ => {}
        }
    }

    /// The name of a computed key whose value is known: `${iface}` or
    /// `"${iface}-vlan"` where a `let` binds `iface` to a literal string.
    fn known_name(&self, attr: Node) -> Option<String> {
        let expr = match attr.kind() {
            NODE_DYNAMIC => attr.expr(0)?,
            NODE_STRING => attr,
            _ => return None,
        };
        match value_of(expr, &self.scopes) {
            Value::Str(name) => Some(name),
            _ => None,
        }
    }

    /// `a.b.c = value;` under `prefix`, skipping the first `skip` key
    /// components (the `config` of `config.a = ...`).
    fn binding(&mut self, av: Node, (prefix, dollar): (&[String], bool), skip: usize, ctx: &Ctx, depth: usize) {
        let (Some(attrpath), Some(value)) = (av.child(NODE_ATTRPATH), av.expr(0)) else { return };
        // Under a computed name (`users.users.${name} = { ... }`), whose
        // source text is kept as the path's component, every key is too.
        let mut path = Vec::with_capacity(prefix.len() + 4);
        path.extend_from_slice(prefix);
        let mut key = Key { path, dollar, key_start: prefix.len(), key_spans: Vec::with_capacity(4), dynamic: dollar };
        for attr in attrpath.attrs().skip(skip) {
            let name = static_name(attr).or_else(|| self.known_name(attr)).unwrap_or_else(|| {
                key.dynamic = true;
                text_of(attr)
            });
            // A plain name cannot hold `${`: only a quoted or computed one.
            key.dollar |= attr.kind() != NODE_IDENT && name.contains("${");
            key.path.push(name);
            key.key_spans.push(attr.span());
        }
        // Most values are leaves: their key goes to the definition as is.
        let wrapped = matches!(value.kind(), NODE_PAREN | NODE_LET_IN | NODE_WITH | NODE_ATTR_SET | NODE_APPLY);
        if wrapped || key.path.is_empty() {
            self.value(At::bound(value), &key, ctx, depth);
        } else {
            let leaf = value_of(value, &self.scopes);
            self.record_as(At::bound(value), key, ctx, leaf);
        }
    }

    /// The value bound to `key`: peel wrappers, descend into sets, record
    /// leaves.
    fn value(&mut self, at: At, key: &Key, ctx: &Ctx, depth: usize) {
        if depth > MAX_SET_DEPTH {
            return self.leaf(at, key, ctx);
        }
        let expr = at.node;
        match expr.kind() {
            NODE_PAREN => {
                if let Some(inner) = expr.expr(0) {
                    self.value(At::bound(inner), key, ctx, depth + 1);
                }
            }
            NODE_LET_IN => {
                self.push_let(expr);
                if let Some(body) = expr.expr(0) {
                    self.value(At::bound(body), key, ctx, depth + 1);
                }
                self.scopes.frames.pop();
            }
            NODE_WITH => {
                let frame = self.with_frame(expr);
                self.scopes.frames.push(frame);
                if let Some(body) = expr.expr(1) {
                    self.value(At::bound(body), key, ctx, depth + 1);
                }
                self.scopes.frames.pop();
            }
            NODE_ATTR_SET => {
                if !key.path.is_empty() {
                    self.record(at, key, ctx, Value::AttrSet);
                }
                for entry in expr.children() {
                    self.entry(expr, entry, (&key.path, key.dollar), ctx, depth + 1);
                }
            }
            NODE_APPLY => match self.call(expr) {
                Some(Call::If { cond, body }) => match value_of(cond, &self.scopes) {
                    Value::Bool(false) => {}
                    Value::Bool(true) => self.value(At::argument(body), key, ctx, depth + 1),
                    _ => {
                        let mut ctx = ctx.clone();
                        ctx.conditions.push(text_of(cond));
                        self.value(At::argument(body), key, &ctx, depth + 1);
                    }
                },
                Some(Call::Merge(list)) => match list.unparen() {
                    l if l.kind() == NODE_LIST => {
                        for item in l.exprs() {
                            self.value(At::argument(item), key, ctx, depth + 1);
                        }
                    }
                    _ => self.leaf(at, key, ctx),
                },
                Some(Call::Order(v)) => self.value(At::argument(v), key, ctx, depth + 1),
                Some(Call::BranchedPriority { cond, then, otherwise, value }) => {
                    let branches = match value_of(cond, &self.scopes) {
                        Value::Bool(true) => vec![(None, then)],
                        Value::Bool(false) => vec![(None, otherwise)],
                        _ => {
                            let c = text_of(cond);
                            vec![(Some(c.clone()), then), (Some(format!("!({c})")), otherwise)]
                        }
                    };
                    for (condition, (name, level)) in branches {
                        let mut ctx = ctx.clone();
                        ctx.conditions.extend(condition);
                        ctx.priority = Priority { level: Some(level), via: Some(name) };
                        // No single wrapper call to edit.
                        ctx.wrapper = None;
                        self.value(At::argument(value), key, &ctx, depth + 1);
                    }
                }
                Some(Call::Priority { name, level, value, wrapper }) => {
                    let mut ctx = ctx.clone();
                    ctx.priority = Priority { level, via: Some(name) };
                    ctx.wrapper = Some(wrapper);
                    self.value(At::argument(value), key, &ctx, depth + 1);
                }
                None => self.leaf(at, key, ctx),
            },
            _ => self.leaf(at, key, ctx),
        }
    }

    fn leaf(&mut self, at: At, key: &Key, ctx: &Ctx) {
        if key.path.is_empty() {
            return; // a module body that is not a set: nothing to say
        }
        let value = value_of(at.node, &self.scopes);
        self.record(at, key, ctx, value);
    }

    fn record(&mut self, at: At, key: &Key, ctx: &Ctx, value: Value) {
        self.record_as(at, key.clone(), ctx, value);
    }

    /// `record`, the definition taking `key`.
    fn record_as(&mut self, at: At, key: Key, ctx: &Ctx, value: Value) {
        self.definitions.push(Definition {
            path: key.path,
            key_start: key.key_start,
            key_spans: key.key_spans,
            value_span: at.node.span(),
            value,
            priority: ctx.priority,
            wrapper: ctx.wrapper.clone(),
            conditions: ctx.conditions.clone(),
            inherited: None,
            dynamic: key.dynamic,
            value_needs_parens: !value::is_atomic(at.node),
            value_is_argument: at.argument,
        });
    }
}

/// The source of `inherit (x)`'s `x`, ready to be selected from (`x.a`):
/// parenthesised unless it is a name, a selection, a set or already in
/// parentheses. `None` when it holds a comment, which could swallow what
/// is written after it.
fn selectable(from: Node) -> Option<String> {
    if from.contains(TOKEN_COMMENT) {
        return None;
    }
    let text = from.text();
    match from.kind() {
        NODE_IDENT | NODE_PAREN | NODE_ATTR_SET => Some(text),
        NODE_SELECT if from.token(TOKEN_OR).is_none() => Some(text),
        _ => Some(format!("({text})")),
    }
}

/// What to delete to take the name `attr` out of its `inherit` entry: the
/// name and the blanks up to the next name, or (when no name follows them)
/// the blanks before it, unless a comment ends there (its line end is
/// needed); otherwise the name alone.
fn removal_in_inherit(inherit: Node, attr: Node) -> Span {
    let own = attr.span();
    let elements: Vec<_> = inherit.elements().collect();
    let Some(i) = elements.iter().position(|e| e.as_node().is_some_and(|n| n.span() == own)) else { return own };
    let blank = |e: &&NodeOrToken<Node, Token>| e.as_token().is_some_and(|t| t.kind() == TOKEN_WHITESPACE);
    let after: Vec<_> = elements[i + 1..].iter().take_while(blank).collect();
    let end = after.last().map_or(own.end, |e| green::span(**e).end);
    if elements.get(i + 1 + after.len()).is_some_and(|e| e.as_node().is_some()) {
        return Span::new(own.start, end);
    }
    let before: Vec<_> = elements[..i].iter().rev().take_while(blank).collect();
    let start = before.last().map_or(own.start, |e| green::span(**e).start);
    match i.checked_sub(before.len() + 1).map(|j| &elements[j]) {
        Some(NodeOrToken::Token(t)) if t.kind() == TOKEN_COMMENT => own,
        Some(_) => Span::new(start, own.end),
        None => own,
    }
}

fn first_key(av: Node) -> Option<String> {
    static_name(av.child(NODE_ATTRPATH)?.attrs().next()?)
}

/// The modules a module list names (`imports = ...;`, a flake's `modules =
/// ...;`), in the forms people write: list literals, `a ++ b`, `with X;
/// [ ... ]`, `let ... in [ ... ]`, `lib.optional COND ./x` and
/// `lib.optionals COND [ ... ]` and `lib.mkIf COND [ ... ]` (conditional),
/// `map (n: ./hosts + "/${n}") [ "a" "b" ]` over literal names, and
/// `builtins.attrValues { ... }`. What it cannot read is one item, its
/// target `Other`.
pub(super) fn module_list(expr: &ast::Expr) -> Vec<Import> {
    module_items(Node::of(expr.syntax()), &Scopes::default())
}

fn module_items(expr: Node, scopes: &Scopes) -> Vec<Import> {
    let mut out = vec![];
    list_items(expr, scopes, false, 0, &mut out);
    out
}

/// A function application's head name (`f`, `lib.f`, `builtins.f`) and its
/// arguments, in order.
fn application(expr: Node) -> Option<(String, Vec<Node>)> {
    let mut args = vec![];
    let mut e = expr.unparen();
    while e.kind() == NODE_APPLY {
        args.push(e.expr(1)?.unparen());
        e = e.expr(0)?.unparen();
    }
    args.reverse();
    let name = match e.kind() {
        NODE_IDENT => e.token(TOKEN_IDENT)?.text().to_string(),
        NODE_SELECT => static_name(last_attr(e)?)?,
        _ => return None,
    };
    (!args.is_empty()).then_some((name, args))
}

/// Whether `expr` is a binary operation `op`.
fn is_op(expr: Node, op: ast::BinOpKind) -> bool {
    expr.kind() == NODE_BIN_OP && expr.bin_op() == Some(op)
}

/// Whether `expr` is the name `name` (in parentheses or not).
fn is_name(expr: Option<Node>, name: &str) -> bool {
    expr.map(Node::unparen)
        .is_some_and(|e| e.kind() == NODE_IDENT && e.token(TOKEN_IDENT).is_some_and(|t| t.text() == name))
}

fn list_items(expr: Node, scopes: &Scopes, conditional: bool, depth: usize, out: &mut Vec<Import>) {
    if depth > MAX_SET_DEPTH {
        return;
    }
    let one =
        |item: Node, target: ImportTarget, in_list: bool| Import { span: item.span(), target, in_list, conditional };
    let e = expr.unparen();
    match e.kind() {
        NODE_LIST => {
            for item in e.exprs() {
                // A list inside a list (`[ [ ./a ] ]`) is not a module.
                let target = if item.unparen().kind() == NODE_LIST {
                    ImportTarget::Other(text_of(item))
                } else {
                    import_target(item, scopes)
                };
                out.push(one(item, target, true));
            }
        }
        _ if is_op(e, ast::BinOpKind::Concat) => {
            for side in [e.expr(0), e.expr(1)].into_iter().flatten() {
                list_items(side, scopes, conditional, depth + 1, out);
            }
        }
        NODE_WITH => {
            if let Some(body) = e.expr(1) {
                list_items(body, scopes, conditional, depth + 1, out);
            }
        }
        NODE_LET_IN => {
            if let Some(body) = e.expr(0) {
                list_items(body, scopes, conditional, depth + 1, out);
            }
        }
        NODE_IDENT => {
            // A let-bound list of paths is read where it is bound.
            let name = e.token(TOKEN_IDENT).map(|t| t.text()).unwrap_or_default();
            match scopes.literal(name) {
                Some(Value::Path(p)) => out.push(one(expr, ImportTarget::Path(p), false)),
                _ => out.push(one(expr, ImportTarget::Other(text_of(expr)), false)),
            }
        }
        _ => match application(e) {
            Some((f, args)) if f == "optional" && args.len() == 2 => {
                out.push(Import { conditional: true, ..one(args[1], import_target(args[1], scopes), false) });
            }
            Some((f, args)) if (f == "optionals" || f == "mkIf") && args.len() == 2 => {
                list_items(args[1], scopes, true, depth + 1, out);
            }
            Some((f, args)) if f == "attrValues" && args.len() == 1 && args[0].kind() == NODE_ATTR_SET => {
                let values = args[0].children().filter(|c| c.kind() == NODE_ATTRPATH_VALUE).filter_map(|av| av.expr(0));
                for value in values {
                    out.push(one(value, import_target(value, scopes), false));
                }
            }
            Some((f, args)) if f == "map" && args.len() == 2 => match mapped_paths(args[0], args[1]) {
                Some(paths) => out.extend(paths.into_iter().map(|p| one(e, ImportTarget::Path(p), false))),
                None => out.push(one(e, ImportTarget::Other(text_of(e)), false)),
            },
            _ => out.push(one(e, ImportTarget::Other(text_of(e)), false)),
        },
    }
}

/// `map (n: BODY) [ "a" "b" ]` where BODY makes a path of the name
/// (`./hosts + "/${n}"`, `./hosts + "/${n}.nix"`, `./hosts/${n}`): the
/// paths, for literal names.
fn mapped_paths(function: Node, list: Node) -> Option<Vec<String>> {
    let lambda = function.unparen();
    let names = list.unparen();
    if lambda.kind() != NODE_LAMBDA || names.kind() != NODE_LIST {
        return None;
    }
    let param = lambda.child(NODE_IDENT_PARAM)?.child(NODE_IDENT)?.token(TOKEN_IDENT)?.text();
    let body = lambda.expr(0)?.unparen();
    names
        .exprs()
        .map(|item| {
            let name = value::static_string(item.unparen())?;
            path_of(body, param, &name)
        })
        .collect()
}

/// BODY with `param` standing for `name`, when it is a path made of path
/// and string parts.
fn path_of(body: Node, param: &str, name: &str) -> Option<String> {
    let e = body.unparen();
    match e.kind() {
        _ if is_op(e, ast::BinOpKind::Add) => {
            let left = path_of(e.expr(0)?, param, name)?;
            let right = string_of(e.expr(1)?, param, name)?;
            Some(format!("{left}{right}"))
        }
        NODE_PATH_REL | NODE_PATH_ABS => string_of(body, param, name),
        _ => None,
    }
}

/// A path or string whose only interpolation is `param`, with `name` for it.
fn string_of(expr: Node, param: &str, name: &str) -> Option<String> {
    let e = expr.unparen();
    if !matches!(e.kind(), NODE_STRING | NODE_PATH_REL | NODE_PATH_ABS) {
        return None;
    }
    let mut out = String::new();
    for part in e.elements() {
        match part {
            NodeOrToken::Token(t) => match t.kind() {
                TOKEN_STRING_START | TOKEN_STRING_END => {}
                TOKEN_STRING_CONTENT | TOKEN_PATH_REL | TOKEN_PATH_ABS => out.push_str(t.text()),
                _ => return None,
            },
            NodeOrToken::Node(n) if n.kind() == NODE_INTERPOL && is_name(n.expr(0), param) => out.push_str(name),
            NodeOrToken::Node(_) => return None,
        }
    }
    Some(out)
}

fn import_target(item: Node, scopes: &Scopes) -> ImportTarget {
    let other = || ImportTarget::Other(text_of(item));
    let mut e = item.unparen();
    // `import ./x.nix` and `import ./x.nix { ... }`
    if e.kind() == NODE_APPLY {
        let mut head = e;
        while let Some(inner) = head.expr(0).map(Node::unparen).filter(|h| h.kind() == NODE_APPLY) {
            head = inner;
        }
        if let Some(target) = option_change(e) {
            return target;
        }
        match head.expr(1) {
            Some(arg) if is_name(head.expr(0), "import") => e = arg.unparen(),
            _ => return other(),
        }
    }
    match e.kind() {
        NODE_PATH_ABS | NODE_PATH_REL | NODE_PATH_HOME | NODE_PATH_SEARCH | NODE_IDENT => match value_of(e, scopes) {
            Value::Path(p) => ImportTarget::Path(p),
            _ => other(),
        },
        NODE_STRING => {
            if let Some(v) = value::static_string(e) {
                return ImportTarget::Str(v);
            }
            // "${modulesPath}/installer/..."
            let mut parts = e.elements().skip(1);
            let starts_with_modules_path = parts
                .next()
                .and_then(|p| p.into_node())
                .is_some_and(|n| n.kind() == NODE_INTERPOL && is_name(n.expr(0), "modulesPath"));
            let rest: Option<String> = parts
                .filter_map(|p| match p {
                    NodeOrToken::Token(t) if t.kind() == TOKEN_STRING_END => None,
                    NodeOrToken::Token(t) if t.kind() == TOKEN_STRING_CONTENT => Some(Some(t.text())),
                    _ => Some(None),
                })
                .collect();
            match (starts_with_modules_path, rest) {
                (true, Some(rest)) => ImportTarget::ModulesPath(rest),
                _ => other(),
            }
        }
        _ if is_op(e, ast::BinOpKind::Add) => match e.expr(1).map(|r| value_of(r, scopes)) {
            Some(Value::Str(s) | Value::Path(s)) if is_name(e.expr(0), "modulesPath") => ImportTarget::ModulesPath(s),
            _ => other(),
        },
        _ => other(),
    }
}

/// `mkRemovedOptionModule PATH "why"` or `mkRenamedOptionModule PATH PATH`
/// (also `lib.` or any attribute path ending in the name), each path a
/// list of literal strings.
fn option_change(apply: Node) -> Option<ImportTarget> {
    let (inner, second) = (apply.expr(0)?.unparen(), apply.expr(1)?.unparen());
    if inner.kind() != NODE_APPLY {
        return None;
    }
    let head = inner.expr(0)?.unparen();
    let function = match head.kind() {
        NODE_IDENT => head.token(TOKEN_IDENT)?.text().to_string(),
        NODE_SELECT => last_attr(head)?.text(),
        _ => return None,
    };
    let strings = |e: Node| -> Option<Vec<String>> {
        let list = e.unparen();
        if list.kind() != NODE_LIST {
            return None;
        }
        list.exprs().map(|item| value::static_string(item.unparen())).collect()
    };
    let option = strings(inner.expr(1)?)?;
    let change = match (function.as_str(), second.kind()) {
        ("mkRemovedOptionModule", NODE_STRING) => OptionChange::Removed(value::static_string(second)?),
        ("mkRenamedOptionModule", _) => OptionChange::Renamed(strings(second)?),
        _ => return None,
    };
    Some(ImportTarget::OptionChange { option, change })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_key_computed_from_a_let_bound_string_is_that_string() {
        let text = "let iface = \"enp2s0\"; in { networking.interfaces.${iface}.useDHCP = true; networking.interfaces.\"${iface}-v\".mtu = 9000; users.users.${config.x}.password = \"p\"; }";
        let analysis = crate::syntax::analyze(&crate::syntax::parse(text));
        let defs: Vec<(String, bool)> =
            analysis.modules[0].definitions.iter().map(|d| (d.path.join("."), d.dynamic)).collect();
        assert_eq!(
            defs,
            [
                ("networking.interfaces.enp2s0.useDHCP".to_string(), false),
                ("networking.interfaces.enp2s0-v.mtu".to_string(), false),
                ("users.users.${config.x}.password".to_string(), true),
            ]
        );
    }

    use crate::syntax::{analyze, parse, Definition};

    fn definitions(text: &str) -> Vec<Definition> {
        analyze(&parse(text)).modules.into_iter().flat_map(|m| m.definitions).collect()
    }

    #[test]
    fn a_priority_chosen_by_a_condition_is_two_conditional_definitions() {
        let text = "{ lib, cfg, ... }: with lib; { config.swapDevices = (if cfg.useDefaultFilesystems then mkVMOverride else mkDefault) [ ]; }";
        let defs = definitions(text);
        let seen: Vec<_> =
            defs.iter().map(|d| (d.dotted(), d.priority.level, d.priority.via, d.conditions.clone())).collect();
        assert_eq!(
            seen,
            [
                ("swapDevices".into(), Some(10), Some("mkVMOverride"), vec!["cfg.useDefaultFilesystems".to_string()]),
                ("swapDevices".into(), Some(1000), Some("mkDefault"), vec!["!(cfg.useDefaultFilesystems)".to_string()]),
            ]
        );
        assert!(defs.iter().all(|d| d.wrapper.is_none() && &text[d.value_span.start..d.value_span.end] == "[ ]"));
    }

    /// The forms people write their imports in, each read to the files it
    /// names, conditional ones marked.
    #[test]
    fn import_forms_are_followed() {
        use crate::syntax::ImportTarget;
        let cases: &[(&str, &[(&str, bool)])] = &[
            ("{ inputs, ... }: { imports = with inputs.self.nixosModules; [ ./disks.nix ./hardware-configuration.nix ]; }", &[("./disks.nix", false), ("./hardware-configuration.nix", false)]),
            ("{ imports = [ ./a.nix ] ++ [ ./b.nix ]; }", &[("./a.nix", false), ("./b.nix", false)]),
            ("{ lib, cfg, ... }: { imports = [ ./a.nix ] ++ lib.optional cfg.zfs ./zfs.nix; }", &[("./a.nix", false), ("./zfs.nix", true)]),
            ("{ lib, cfg, ... }: { imports = lib.optionals cfg.big [ ./x.nix ./y.nix ]; }", &[("./x.nix", true), ("./y.nix", true)]),
            ("{ lib, cfg, ... }: { imports = lib.mkIf cfg.on [ ./on.nix ]; }", &[("./on.nix", true)]),
            ("{ imports = map (n: ./hosts + \"/${n}\") [ \"web\" \"db\" ]; }", &[("./hosts/web", false), ("./hosts/db", false)]),
            ("{ imports = builtins.map (n: ./hosts/${n}.nix) [ \"web\" ]; }", &[("./hosts/web.nix", false)]),
            ("{ imports = builtins.attrValues { a = ./a.nix; b = ./b.nix; }; }", &[("./a.nix", false), ("./b.nix", false)]),
            ("let hw = ./hardware.nix; in { imports = [ hw ./c.nix ]; }", &[("./hardware.nix", false), ("./c.nix", false)]),
            ("{ imports = [ ./dir ]; }", &[("./dir", false)]),
        ];
        for (text, expected) in cases {
            let analysis = analyze(&parse(text));
            let found: Vec<(String, bool)> = analysis
                .modules
                .iter()
                .flat_map(|m| &m.imports)
                .map(|i| match &i.target {
                    ImportTarget::Path(p) => (p.clone(), i.conditional),
                    other => (format!("{other:?}"), i.conditional),
                })
                .collect();
            let expected: Vec<(String, bool)> = expected.iter().map(|(p, c)| (p.to_string(), *c)).collect();
            assert_eq!(found, expected, "{text}");
        }
        // What cannot be read is said, not dropped.
        let analysis = analyze(&parse("{ imports = builtins.filter (f: true) (import ./list.nix); }"));
        let imports: Vec<_> = analysis.modules.iter().flat_map(|m| &m.imports).collect();
        assert!(matches!(imports.as_slice(), [i] if matches!(i.target, ImportTarget::Other(_))), "{imports:?}");
    }

    #[test]
    fn option_change_modules_are_read_from_imports() {
        use crate::syntax::{ImportTarget, OptionChange};
        let text = r#"{ lib, path, ... }: with lib; {
  imports = [
    (lib.mkRemovedOptionModule [ "virtualisation" "msize" ] "no 9p any more")
    (mkRenamedOptionModule [ "a" "old" ] [ "a" "new" ])
    (mkRemovedOptionModule path "computed")
    (mkChangedOptionModule [ "x" ] [ "y" ] (c: c))
  ];
}"#;
        let analysis = analyze(&parse(text));
        let targets: Vec<&ImportTarget> = analysis.modules.iter().flat_map(|m| &m.imports).map(|i| &i.target).collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            targets[0],
            &ImportTarget::OptionChange {
                option: s(&["virtualisation", "msize"]),
                change: OptionChange::Removed("no 9p any more".into())
            }
        );
        assert_eq!(
            targets[1],
            &ImportTarget::OptionChange { option: s(&["a", "old"]), change: OptionChange::Renamed(s(&["a", "new"])) }
        );
        assert!(matches!(targets[2], ImportTarget::Other(_)), "a computed path is not read: {:?}", targets[2]);
        assert!(matches!(targets[3], ImportTarget::Other(_)), "{:?}", targets[3]);
        assert!(targets[..2].iter().all(|t| t.is_nixpkgs_own()) && !targets[2].is_nixpkgs_own());
    }

    #[test]
    fn a_literal_condition_picks_one_branch() {
        let defs = definitions("{ lib, ... }: { x.y = (if false then lib.mkForce else lib.mkDefault) 3; }");
        assert_eq!(defs.len(), 1);
        assert_eq!((defs[0].priority.level, defs[0].conditions.len()), (Some(1000), 0));
    }

    #[test]
    fn inherited_definitions_say_how_they_are_written() {
        let text =
            "{ cfg, ... }: { a = { inherit (cfg) x y; }; b = rec { inherit z; }; c = { inherit (f 1) \"w\"; }; }";
        let defs = definitions(text);
        let seen: Vec<_> = defs
            .iter()
            .filter_map(|d| d.inherited.as_ref().map(|i| (d.dotted(), i)))
            .map(|(p, i)| {
                let cut = |s: crate::text::Span| &text[s.start..s.end];
                (p, cut(i.entry), i.names, i.key.as_str(), i.value.as_deref(), cut(i.removal), i.in_rec)
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("a.x".into(), "inherit (cfg) x y;", 2, "x", Some("cfg.x"), "x ", false),
                ("a.y".into(), "inherit (cfg) x y;", 2, "y", Some("cfg.y"), " y", false),
                ("b.z".into(), "inherit z;", 1, "z", Some("z"), " z", true),
                ("c.w".into(), "inherit (f 1) \"w\";", 1, "\"w\"", Some("(f 1).\"w\""), " \"w\"", false),
            ]
        );
        assert!(definitions(text).iter().filter(|d| d.inherited.is_none()).all(|d| d.key_start == 0));
        // A comment in `(x)` could swallow what follows it: no expression.
        let defs = definitions("{ a = { inherit (cfg # site\n.a) x; }; }");
        assert_eq!(defs.iter().find_map(|d| d.inherited.as_ref()).map(|i| i.value.clone()), Some(None));
    }

    #[test]
    fn an_if_whose_branches_are_not_wrappers_is_a_plain_value() {
        let defs = definitions("{ lib, ... }: { x.y = (if c then f else g) 3; }");
        assert_eq!(defs.len(), 1);
        assert!(defs[0].priority.is_plain_level());
    }
}
