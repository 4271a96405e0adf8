//! The option resolver: walks a NixOS module and lists every option
//! definition with its path, value, priority and conditions, whatever the
//! form it is written in (dotted or nested keys, quoted keys, `config = `,
//! `mkIf`, `mkMerge`, `let`, `with lib;`, `inherit`, `rec`), plus the
//! module's imports and how it can reach `lib`.

use super::model::*;
use super::network;
use super::value::{self, attr_name, text_of, unparen, value_of, VarLookup};
use super::{span_of, token_span};
use crate::text::{Edit, Span};
use rnix::ast::{self, HasEntry};
use rnix::SyntaxNode;
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

pub fn analyze_file(root: &SyntaxNode, paths: Vec<PathLiteral>) -> FileAnalysis {
    let Some(expr) = ast::Root::cast(root.clone()).and_then(|r| r.expr()) else {
        return FileAnalysis { paths, ..Default::default() };
    };
    if let Some((info, modules)) = network::detect(&expr) {
        return analyze_network(info, modules, paths);
    }
    FileAnalysis { modules: vec![analyze_module(&expr, None)], network: None, paths }
}

pub fn analyze_network(
    info: super::NetworkInfo,
    modules: network::NetworkModules,
    paths: Vec<PathLiteral>,
) -> FileAnalysis {
    let modules = modules.into_iter().map(|(name, e)| analyze_module(&e, name)).collect();
    FileAnalysis { modules, network: Some(info), paths }
}

/// The path literal a node starting at `at` is, if it is one.
pub(super) fn path_literal(node: &rowan::GreenNodeData, kind: rnix::SyntaxKind, at: usize) -> Option<PathLiteral> {
    use rnix::SyntaxKind::*;
    let kind = match kind {
        NODE_PATH_ABS => PathKind::Absolute,
        NODE_PATH_REL => PathKind::Relative,
        NODE_PATH_HOME => PathKind::Home,
        NODE_PATH_SEARCH => PathKind::Search,
        _ => return None,
    };
    let span = Span::new(at, at + usize::from(node.text_len()));
    Some(PathLiteral { span, kind, text: node.to_string() })
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

    fn is_lib(&self, expr: &ast::Expr) -> bool {
        match unparen(expr.clone()) {
            ast::Expr::Ident(i) => {
                let Some(name) = i.ident_token() else { return false };
                match self.lookup(name.text()) {
                    Some(Binding::Lib) => true,
                    Some(_) => false,
                    None => name.text() == "lib",
                }
            }
            // `pkgs.lib`, `args.lib`, `inputs.nixpkgs.lib`: whatever ends in `.lib`.
            ast::Expr::Select(s) => {
                s.or_token().is_none()
                    && s.attrpath().and_then(|p| p.attrs().last()).and_then(|a| attr_name(&a)).as_deref() == Some("lib")
            }
            _ => false,
        }
    }

    /// The lib function `expr` names, if any, and the span of its name.
    fn lib_function(&self, expr: &ast::Expr) -> Option<(&'static str, Span)> {
        match unparen(expr.clone()) {
            ast::Expr::Ident(i) => {
                let tok = i.ident_token()?;
                let name = tok.text();
                match self.lookup(name) {
                    Some(Binding::LibFn(f)) => Some((f, token_span(&tok))),
                    Some(_) => None,
                    None if self.with_lib() => known(name).map(|f| (f, token_span(&tok))),
                    None => None,
                }
            }
            // `lib.mkForce`, `lib.modules.mkForce`, `pkgs.lib.mkForce`,
            // `inputs.nixpkgs.lib.mkForce`, `args.lib.mkForce`: these names
            // are lib's whatever the path to them.
            ast::Expr::Select(s) => {
                if s.or_token().is_some() {
                    return None;
                }
                let last = s.attrpath()?.attrs().last()?;
                let fname = known(&attr_name(&last)?)?;
                Some((fname, span_of(last.syntax())))
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

/// The static names of a select's attrpath, base included: `pkgs.lib` ->
/// `["pkgs", "lib"]`.
fn select_path(s: &ast::Select) -> Option<Vec<String>> {
    let base = match s.expr()? {
        ast::Expr::Ident(i) => i.ident_token()?.text().to_string(),
        _ => return None,
    };
    let mut names = vec![base];
    for a in s.attrpath()?.attrs() {
        names.push(attr_name(&a)?);
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

/// A call of a lib function, decoded.
enum Call {
    If {
        cond: ast::Expr,
        body: ast::Expr,
    },
    Merge(ast::Expr),
    Priority {
        name: &'static str,
        level: Option<u32>,
        value: ast::Expr,
        wrapper: WrapperCall,
    },
    /// `(if c then mkVMOverride else mkDefault) v`: one priority or the other.
    BranchedPriority {
        cond: ast::Expr,
        then: (&'static str, u32),
        otherwise: (&'static str, u32),
        value: ast::Expr,
    },
    Order(ast::Expr),
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

pub fn analyze_module(expr: &ast::Expr, machine: Option<String>) -> ModuleInfo {
    // Room for a typical module's definitions: growing a vector of them
    // one doubling at a time copies them all again.
    let mut w = Walker { scopes: Scopes::default(), definitions: Vec::with_capacity(32), imports: vec![] };
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
                w.push_let(l);
                pushed += 1;
                l.body()
            }
            ast::Expr::With(wi) => {
                let frame = w.with_frame(wi);
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
    w.module_body(&body);
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
    fn push_let(&mut self, l: &ast::LetIn) {
        self.scopes.frames.push(Frame::default());
        for inherit in l.inherits() {
            let from_lib = inherit.from().and_then(|f| f.expr()).map(|e| self.is_lib_or_modules(&e));
            for attr in inherit.attrs() {
                let Some(name) = attr_name(&attr) else { continue };
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
                let b = if name == "lib" { Binding::Lib } else { self.binding_of(value) };
                self.bind_here(name.clone(), b);
            }
        }
    }

    fn bind_here(&mut self, name: String, b: Binding) {
        if let Some(frame) = self.scopes.frames.last_mut() {
            frame.names.insert(name, b);
        }
    }

    fn is_lib_or_modules(&self, e: &ast::Expr) -> bool {
        if self.scopes.is_lib(e) {
            return true;
        }
        match unparen(e.clone()) {
            ast::Expr::Select(s) => match (s.expr(), select_path(&s)) {
                (Some(base), Some(names)) => names.len() == 2 && names[1] == "modules" && self.scopes.is_lib(&base),
                _ => false,
            },
            _ => false,
        }
    }

    fn binding_of(&self, value: &ast::Expr) -> Binding {
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

    fn with_frame(&self, w: &ast::With) -> Frame {
        let with_lib = w.namespace().map(|n| self.is_lib_or_modules(&n)).unwrap_or(false);
        Frame { names: HashMap::new(), with_lib }
    }

    /// Decode `f a b` when `f` is a lib function the resolver understands.
    fn call(&self, expr: &ast::Expr) -> Option<Call> {
        let ast::Expr::Apply(outer) = expr else { return None };
        let mut args = vec![];
        let mut head = ast::Expr::Apply(outer.clone());
        while let ast::Expr::Apply(a) = &head {
            args.push(a.argument()?);
            head = unparen(a.lambda()?);
        }
        args.reverse();
        if let (ast::Expr::IfElse(branch), [v]) = (&head, args.as_slice()) {
            let level = |e: Option<ast::Expr>| {
                let (name, _) = self.scopes.lib_function(&e?)?;
                Some((name, wrapper_level(name)?))
            };
            return Some(Call::BranchedPriority {
                cond: branch.condition()?,
                then: level(branch.body())?,
                otherwise: level(branch.else_body())?,
                value: v.clone(),
            });
        }
        let (name, name_span) = self.scopes.lib_function(&head)?;
        let start = span_of(head.syntax()).start;
        let wrapper = |head_end: usize| WrapperCall { start, name: name_span, head_end };
        match (name, args.as_slice()) {
            ("mkIf", [cond, body]) => Some(Call::If { cond: cond.clone(), body: body.clone() }),
            ("mkMerge", [list]) => Some(Call::Merge(list.clone())),
            ("mkBefore" | "mkAfter", [v]) | ("mkOrder", [_, v]) => Some(Call::Order(v.clone())),
            ("mkOverride", [prio, v]) => {
                let level = match value_of(prio, &self.scopes) {
                    Value::Int(i) => u32::try_from(i).ok(),
                    _ => None,
                };
                let w = wrapper(span_of(prio.syntax()).end);
                Some(Call::Priority { name, level, value: v.clone(), wrapper: w })
            }
            (_, [v]) => {
                let level = wrapper_level(name)?;
                Some(Call::Priority { name, level: Some(level), value: v.clone(), wrapper: wrapper(name_span.end) })
            }
            _ => None,
        }
    }

    /// The body of a module (after its arguments): imports, and either
    /// `config` or every non-keyword attribute.
    fn module_body(&mut self, body: &ast::Expr) {
        let set = match unparen(body.clone()) {
            ast::Expr::AttrSet(set) => set,
            other => {
                // `mkIf c { ... }` or `mkMerge [ ... ]` as the whole module.
                let key = Key { path: vec![], dollar: false, key_start: 0, key_spans: vec![], dynamic: false };
                self.value(&other, &key, &Ctx::top(), 0);
                return;
            }
        };
        let has_config_or_options =
            set.attrpath_values().any(|av| first_key(&av).is_some_and(|k| k == "config" || k == "options"));
        for entry in set.entries() {
            let ast::Entry::AttrpathValue(av) = entry else {
                if !has_config_or_options {
                    self.entry(&entry, (&[], false), &Ctx::top(), 0);
                }
                continue;
            };
            match first_key(&av).as_deref() {
                Some("imports") | Some("require") => {
                    if let Some(v) = av.value() {
                        self.collect_imports(&v, false, 0);
                    }
                }
                Some("config") if has_config_or_options => {
                    // `config = ...;` or `config.a.b = ...;`: drop the `config` component.
                    self.binding(&av, (&[], false), 1, &Ctx::top(), 0);
                }
                Some(k) if MODULE_KEYWORDS.contains(&k) => {}
                _ if has_config_or_options => {}
                _ => self.entry(&ast::Entry::AttrpathValue(av), (&[], false), &Ctx::top(), 0),
            }
        }
    }

    fn collect_imports(&mut self, expr: &ast::Expr, _in_list: bool, _depth: usize) {
        let items = module_items(expr, &self.scopes);
        self.imports.extend(items);
    }

    /// One entry of a set under `prefix` (its components, and whether one
    /// has `${` in it).
    fn entry(&mut self, entry: &ast::Entry, (prefix, dollar): (&[String], bool), ctx: &Ctx, depth: usize) {
        match entry {
            ast::Entry::AttrpathValue(av) => self.binding(av, (prefix, dollar), 0, ctx, depth),
            ast::Entry::Inherit(inh) => {
                let from = inh.from().and_then(|f| f.expr());
                let source = from.as_ref().map(selectable);
                let names = inh.attrs().count();
                let has_comment =
                    inh.syntax().descendants_with_tokens().any(|t| t.kind() == rnix::SyntaxKind::TOKEN_COMMENT);
                let in_rec =
                    inh.syntax().parent().and_then(ast::AttrSet::cast).is_some_and(|s| s.rec_token().is_some());
                for attr in inh.attrs() {
                    let Some(name) = attr_name(&attr) else { continue };
                    let value = match &from {
                        Some(f) => Value::Expr(format!("{}.{}", text_of(f.syntax()), name)),
                        None => self.scopes.literal(&name).unwrap_or_else(|| Value::Expr(name.clone())),
                    };
                    let key = super::green::text(attr.syntax());
                    let written = match (&source, &attr) {
                        (_, ast::Attr::Dynamic(_)) => None,
                        (Some(source), _) => source.as_ref().map(|s| format!("{s}.{key}")),
                        (None, _) => crate::nixstr::is_identifier(&name).then(|| name.clone()),
                    };
                    let inherited = Inherited {
                        entry: span_of(inh.syntax()),
                        names,
                        has_comment,
                        key,
                        value: written,
                        removal: removal_in_inherit(attr.syntax()),
                        in_rec,
                    };
                    let mut path = prefix.to_vec();
                    path.push(name);
                    let span = span_of(attr.syntax());
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
        }
    }

    /// The name of a computed key whose value is known: `${iface}` or
    /// `"${iface}-vlan"` where a `let` binds `iface` to a literal string.
    fn known_name(&self, attr: &ast::Attr) -> Option<String> {
        let expr = match attr {
            ast::Attr::Dynamic(d) => d.expr()?,
            ast::Attr::Str(s) => ast::Expr::Str(s.clone()),
            ast::Attr::Ident(_) => return None,
        };
        match super::value::value_of(&expr, &self.scopes) {
            Value::Str(name) => Some(name),
            _ => None,
        }
    }

    /// `a.b.c = value;` under `prefix`, skipping the first `skip` key
    /// components (the `config` of `config.a = ...`).
    fn binding(
        &mut self,
        av: &ast::AttrpathValue,
        (prefix, dollar): (&[String], bool),
        skip: usize,
        ctx: &Ctx,
        depth: usize,
    ) {
        let (Some(attrpath), Some(value)) = (av.attrpath(), av.value()) else { return };
        // Under a computed name (`users.users.${name} = { ... }`), whose
        // source text is kept as the path's component, every key is too.
        let mut path = Vec::with_capacity(prefix.len() + 4);
        path.extend_from_slice(prefix);
        let mut key = Key { path, dollar, key_start: prefix.len(), key_spans: Vec::with_capacity(4), dynamic: dollar };
        for attr in attrpath.attrs().skip(skip) {
            let name = attr_name(&attr).or_else(|| self.known_name(&attr)).unwrap_or_else(|| {
                key.dynamic = true;
                text_of(attr.syntax())
            });
            key.dollar |= name.contains("${");
            key.path.push(name);
            key.key_spans.push(span_of(attr.syntax()));
        }
        // Most values are leaves: their key goes to the definition as is.
        let wrapped = matches!(
            value,
            ast::Expr::Paren(_)
                | ast::Expr::LetIn(_)
                | ast::Expr::With(_)
                | ast::Expr::AttrSet(_)
                | ast::Expr::Apply(_)
        );
        if wrapped || key.path.is_empty() {
            self.value(&value, &key, ctx, depth);
        } else {
            let leaf = value_of(&value, &self.scopes);
            self.record_as(&value, key, ctx, leaf);
        }
    }

    /// The value bound to `key`: peel wrappers, descend into sets, record
    /// leaves.
    fn value(&mut self, expr: &ast::Expr, key: &Key, ctx: &Ctx, depth: usize) {
        if depth > MAX_SET_DEPTH {
            return self.leaf(expr, key, ctx);
        }
        match expr {
            ast::Expr::Paren(p) => {
                if let Some(inner) = p.expr() {
                    self.value(&inner, key, ctx, depth + 1);
                }
            }
            ast::Expr::LetIn(l) => {
                self.push_let(l);
                if let Some(body) = l.body() {
                    self.value(&body, key, ctx, depth + 1);
                }
                self.scopes.frames.pop();
            }
            ast::Expr::With(w) => {
                let frame = self.with_frame(w);
                self.scopes.frames.push(frame);
                if let Some(body) = w.body() {
                    self.value(&body, key, ctx, depth + 1);
                }
                self.scopes.frames.pop();
            }
            ast::Expr::AttrSet(set) => {
                if !key.path.is_empty() {
                    self.record(expr, key, ctx, Value::AttrSet);
                }
                for entry in set.entries() {
                    self.entry(&entry, (&key.path, key.dollar), ctx, depth + 1);
                }
            }
            ast::Expr::Apply(_) => match self.call(expr) {
                Some(Call::If { cond, body }) => match value_of(&cond, &self.scopes) {
                    Value::Bool(false) => {}
                    Value::Bool(true) => self.value(&body, key, ctx, depth + 1),
                    _ => {
                        let mut ctx = ctx.clone();
                        ctx.conditions.push(text_of(cond.syntax()));
                        self.value(&body, key, &ctx, depth + 1);
                    }
                },
                Some(Call::Merge(list)) => match unparen(list) {
                    ast::Expr::List(l) => {
                        for item in l.items() {
                            self.value(&item, key, ctx, depth + 1);
                        }
                    }
                    _ => self.leaf(expr, key, ctx),
                },
                Some(Call::Order(v)) => self.value(&v, key, ctx, depth + 1),
                Some(Call::BranchedPriority { cond, then, otherwise, value }) => {
                    let branches = match value_of(&cond, &self.scopes) {
                        Value::Bool(true) => vec![(None, then)],
                        Value::Bool(false) => vec![(None, otherwise)],
                        _ => {
                            let c = text_of(cond.syntax());
                            vec![(Some(c.clone()), then), (Some(format!("!({c})")), otherwise)]
                        }
                    };
                    for (condition, (name, level)) in branches {
                        let mut ctx = ctx.clone();
                        ctx.conditions.extend(condition);
                        ctx.priority = Priority { level: Some(level), via: Some(name) };
                        // No single wrapper call to edit.
                        ctx.wrapper = None;
                        self.value(&value, key, &ctx, depth + 1);
                    }
                }
                Some(Call::Priority { name, level, value, wrapper }) => {
                    let mut ctx = ctx.clone();
                    ctx.priority = Priority { level, via: Some(name) };
                    ctx.wrapper = Some(wrapper);
                    self.value(&value, key, &ctx, depth + 1);
                }
                None => self.leaf(expr, key, ctx),
            },
            _ => self.leaf(expr, key, ctx),
        }
    }

    fn leaf(&mut self, expr: &ast::Expr, key: &Key, ctx: &Ctx) {
        if key.path.is_empty() {
            return; // a module body that is not a set: nothing to say
        }
        let value = value_of(expr, &self.scopes);
        self.record(expr, key, ctx, value);
    }

    fn record(&mut self, expr: &ast::Expr, key: &Key, ctx: &Ctx, value: Value) {
        self.record_as(expr, key.clone(), ctx, value);
    }

    /// `record`, the definition taking `key`.
    fn record_as(&mut self, expr: &ast::Expr, key: Key, ctx: &Ctx, value: Value) {
        self.definitions.push(Definition {
            path: key.path,
            key_start: key.key_start,
            key_spans: key.key_spans,
            value_span: span_of(expr.syntax()),
            value,
            priority: ctx.priority,
            wrapper: ctx.wrapper.clone(),
            conditions: ctx.conditions.clone(),
            inherited: None,
            dynamic: key.dynamic,
            value_needs_parens: !value::is_atomic(expr),
            value_is_argument: is_argument(expr),
        });
    }
}

/// The source of `inherit (x)`'s `x`, ready to be selected from (`x.a`):
/// parenthesised unless it is a name, a selection, a set or already in
/// parentheses. `None` when it holds a comment, which could swallow what
/// is written after it.
fn selectable(from: &ast::Expr) -> Option<String> {
    if from.syntax().descendants_with_tokens().any(|t| t.kind() == rnix::SyntaxKind::TOKEN_COMMENT) {
        return None;
    }
    let text = super::green::text(from.syntax());
    match from {
        ast::Expr::Ident(_) | ast::Expr::Paren(_) | ast::Expr::AttrSet(_) => Some(text),
        ast::Expr::Select(s) if s.or_token().is_none() => Some(text),
        _ => Some(format!("({text})")),
    }
}

/// What to delete to take the name `attr` out of its `inherit` entry: the
/// name and the blanks up to the next name, or (when no name follows them)
/// the blanks before it, unless a comment ends there (its line end is
/// needed); otherwise the name alone.
fn removal_in_inherit(attr: &SyntaxNode) -> Span {
    use rnix::SyntaxKind::{TOKEN_COMMENT, TOKEN_WHITESPACE};
    let own = span_of(attr);
    let mut end = own.end;
    let mut next = attr.next_sibling_or_token();
    while let Some(el) = next.as_ref().filter(|el| el.kind() == TOKEN_WHITESPACE) {
        end = el.text_range().end().into();
        next = el.next_sibling_or_token();
    }
    if next.as_ref().is_some_and(|el| el.as_node().is_some()) {
        return Span::new(own.start, end);
    }
    let mut start = own.start;
    let mut prev = attr.prev_sibling_or_token();
    while let Some(el) = prev.as_ref().filter(|el| el.kind() == TOKEN_WHITESPACE) {
        start = el.text_range().start().into();
        prev = el.prev_sibling_or_token();
    }
    match prev {
        Some(el) if el.kind() != TOKEN_COMMENT => Span::new(start, own.end),
        _ => own,
    }
}

/// Whether `expr` is a function argument or a list item, where anything
/// put before it must be parenthesised with it.
fn is_argument(expr: &ast::Expr) -> bool {
    use rnix::SyntaxKind::{NODE_APPLY, NODE_LIST};
    expr.syntax().parent().is_some_and(|p| matches!(p.kind(), NODE_APPLY | NODE_LIST))
}

fn first_key(av: &ast::AttrpathValue) -> Option<String> {
    attr_name(&av.attrpath()?.attrs().next()?)
}

/// The modules a module list names (`imports = ...;`, a flake's `modules =
/// ...;`), in the forms people write: list literals, `a ++ b`, `with X;
/// [ ... ]`, `let ... in [ ... ]`, `lib.optional COND ./x` and
/// `lib.optionals COND [ ... ]` and `lib.mkIf COND [ ... ]` (conditional),
/// `map (n: ./hosts + "/${n}") [ "a" "b" ]` over literal names, and
/// `builtins.attrValues { ... }`. What it cannot read is one item, its
/// target `Other`.
pub(super) fn module_list(expr: &ast::Expr) -> Vec<Import> {
    module_items(expr, &Scopes::default())
}

fn module_items(expr: &ast::Expr, scopes: &Scopes) -> Vec<Import> {
    let mut out = vec![];
    list_items(expr, scopes, false, 0, &mut out);
    out
}

/// A function application's head name (`f`, `lib.f`, `builtins.f`) and its
/// arguments, in order.
fn application(expr: &ast::Expr) -> Option<(String, Vec<ast::Expr>)> {
    let mut args = vec![];
    let mut e = unparen(expr.clone());
    while let ast::Expr::Apply(a) = e {
        args.push(unparen(a.argument()?));
        e = unparen(a.lambda()?);
    }
    args.reverse();
    let name = match &e {
        ast::Expr::Ident(i) => i.ident_token()?.text().to_string(),
        ast::Expr::Select(s) => attr_name(&s.attrpath()?.attrs().last()?)?,
        _ => return None,
    };
    (!args.is_empty()).then_some((name, args))
}

fn list_items(expr: &ast::Expr, scopes: &Scopes, conditional: bool, depth: usize, out: &mut Vec<Import>) {
    if depth > MAX_SET_DEPTH {
        return;
    }
    let one = |item: &ast::Expr, target: ImportTarget, in_list: bool| Import {
        span: span_of(item.syntax()),
        target,
        in_list,
        conditional,
    };
    match unparen(expr.clone()) {
        ast::Expr::List(l) => {
            for item in l.items() {
                match unparen(item.clone()) {
                    // A list inside a list (`[ [ ./a ] ]`) is not a module.
                    ast::Expr::List(_) => out.push(one(&item, ImportTarget::Other(text_of(item.syntax())), true)),
                    _ => out.push(one(&item, import_target(&item, scopes), true)),
                }
            }
        }
        ast::Expr::BinOp(b) if b.operator() == Some(ast::BinOpKind::Concat) => {
            for side in [b.lhs(), b.rhs()].into_iter().flatten() {
                list_items(&side, scopes, conditional, depth + 1, out);
            }
        }
        ast::Expr::With(w) => {
            if let Some(body) = w.body() {
                list_items(&body, scopes, conditional, depth + 1, out);
            }
        }
        ast::Expr::LetIn(l) => {
            if let Some(body) = l.body() {
                list_items(&body, scopes, conditional, depth + 1, out);
            }
        }
        ast::Expr::Ident(i) => {
            // A let-bound list of paths is read where it is bound.
            let name = i.ident_token().map(|t| t.text().to_string()).unwrap_or_default();
            match scopes.literal(&name) {
                Some(Value::Path(p)) => out.push(one(expr, ImportTarget::Path(p), false)),
                _ => out.push(one(expr, ImportTarget::Other(text_of(expr.syntax())), false)),
            }
        }
        e => match application(&e) {
            Some((f, args)) if f == "optional" && args.len() == 2 => {
                out.push(Import { conditional: true, ..one(&args[1], import_target(&args[1], scopes), false) });
            }
            Some((f, args)) if (f == "optionals" || f == "mkIf") && args.len() == 2 => {
                list_items(&args[1], scopes, true, depth + 1, out);
            }
            Some((f, args)) if f == "attrValues" && args.len() == 1 => match &args[0] {
                ast::Expr::AttrSet(set) => {
                    for value in set.attrpath_values().filter_map(|av| av.value()) {
                        out.push(one(&value, import_target(&value, scopes), false));
                    }
                }
                _ => out.push(one(&e, ImportTarget::Other(text_of(e.syntax())), false)),
            },
            Some((f, args)) if f == "map" && args.len() == 2 => match mapped_paths(&args[0], &args[1]) {
                Some(paths) => out.extend(paths.into_iter().map(|p| one(&e, ImportTarget::Path(p), false))),
                None => out.push(one(&e, ImportTarget::Other(text_of(e.syntax())), false)),
            },
            _ => out.push(one(&e, ImportTarget::Other(text_of(e.syntax())), false)),
        },
    }
}

/// `map (n: BODY) [ "a" "b" ]` where BODY makes a path of the name
/// (`./hosts + "/${n}"`, `./hosts + "/${n}.nix"`, `./hosts/${n}`): the
/// paths, for literal names.
fn mapped_paths(function: &ast::Expr, list: &ast::Expr) -> Option<Vec<String>> {
    let ast::Expr::Lambda(l) = unparen(function.clone()) else { return None };
    let Some(ast::Param::IdentParam(p)) = l.param() else { return None };
    let param = p.ident()?.ident_token()?.text().to_string();
    let body = unparen(l.body()?);
    let ast::Expr::List(names) = unparen(list.clone()) else { return None };
    names
        .items()
        .map(|item| {
            let ast::Expr::Str(s) = unparen(item) else { return None };
            let name = value::static_string(&s)?;
            path_of(&body, &param, &name)
        })
        .collect()
}

/// BODY with `param` standing for `name`, when it is a path made of path
/// and string parts.
fn path_of(body: &ast::Expr, param: &str, name: &str) -> Option<String> {
    match unparen(body.clone()) {
        ast::Expr::BinOp(b) if b.operator() == Some(ast::BinOpKind::Add) => {
            let left = path_of(&b.lhs()?, param, name)?;
            let right = string_of(&b.rhs()?, param, name)?;
            Some(format!("{left}{right}"))
        }
        ast::Expr::PathRel(_) | ast::Expr::PathAbs(_) => string_of(body, param, name),
        _ => None,
    }
}

/// A path or string whose only interpolation is `param`, with `name` for it.
fn string_of(expr: &ast::Expr, param: &str, name: &str) -> Option<String> {
    let e = unparen(expr.clone());
    if !matches!(e, ast::Expr::Str(_) | ast::Expr::PathRel(_) | ast::Expr::PathAbs(_)) {
        return None;
    }
    let mut out = String::new();
    for part in e.syntax().children_with_tokens() {
        match part {
            rowan::NodeOrToken::Token(t) => match t.kind() {
                rnix::SyntaxKind::TOKEN_STRING_START | rnix::SyntaxKind::TOKEN_STRING_END => {}
                rnix::SyntaxKind::TOKEN_STRING_CONTENT
                | rnix::SyntaxKind::TOKEN_PATH_REL
                | rnix::SyntaxKind::TOKEN_PATH_ABS => out.push_str(t.text()),
                _ => return None,
            },
            rowan::NodeOrToken::Node(n) => {
                let interpolated = ast::Interpol::cast(n.clone())?.expr().map(unparen)?;
                match interpolated {
                    ast::Expr::Ident(i) if i.ident_token()?.text() == param => out.push_str(name),
                    _ => return None,
                }
            }
        }
    }
    Some(out)
}

fn import_target(item: &ast::Expr, scopes: &Scopes) -> ImportTarget {
    let other = || ImportTarget::Other(text_of(item.syntax()));
    let mut e = unparen(item.clone());
    // `import ./x.nix` and `import ./x.nix { ... }`
    if let ast::Expr::Apply(a) = &e {
        let mut head = a.clone();
        while let Some(ast::Expr::Apply(inner)) = head.lambda().map(unparen) {
            head = inner;
        }
        if let Some(target) = option_change(a) {
            return target;
        }
        let is_import = matches!(head.lambda().map(unparen), Some(ast::Expr::Ident(i)) if i.ident_token().is_some_and(|t| t.text() == "import"));
        match head.argument() {
            Some(arg) if is_import => e = unparen(arg),
            _ => return other(),
        }
    }
    match &e {
        ast::Expr::PathAbs(_)
        | ast::Expr::PathRel(_)
        | ast::Expr::PathHome(_)
        | ast::Expr::PathSearch(_)
        | ast::Expr::Ident(_) => match value_of(&e, scopes) {
            Value::Path(p) => ImportTarget::Path(p),
            _ => other(),
        },
        ast::Expr::Str(s) => {
            if let Some(v) = value::static_string(s) {
                return ImportTarget::Str(v);
            }
            // "${modulesPath}/installer/..."
            let mut parts = s.syntax().children_with_tokens().skip(1);
            let first = parts.next();
            let starts_with_modules_path = first
                .as_ref()
                .and_then(|p| p.as_node())
                .and_then(|n| ast::Interpol::cast(n.clone()))
                .and_then(|i| i.expr())
                .is_some_and(|x| matches!(unparen(x), ast::Expr::Ident(i) if i.ident_token().is_some_and(|t| t.text() == "modulesPath")));
            let rest: Option<String> = parts
                .filter(|p| p.kind() != rnix::SyntaxKind::TOKEN_STRING_END)
                .map(|p| {
                    p.into_token()
                        .filter(|t| t.kind() == rnix::SyntaxKind::TOKEN_STRING_CONTENT)
                        .map(|t| t.text().to_string())
                })
                .collect();
            match (starts_with_modules_path, rest) {
                (true, Some(rest)) => ImportTarget::ModulesPath(rest),
                _ => other(),
            }
        }
        ast::Expr::BinOp(b) if b.operator() == Some(ast::BinOpKind::Add) => {
            let lhs_is_modules_path = matches!(b.lhs().map(unparen), Some(ast::Expr::Ident(i)) if i.ident_token().is_some_and(|t| t.text() == "modulesPath"));
            match b.rhs().map(|r| value_of(&r, scopes)) {
                Some(Value::Str(s) | Value::Path(s)) if lhs_is_modules_path => ImportTarget::ModulesPath(s),
                _ => other(),
            }
        }
        _ => other(),
    }
}

/// `mkRemovedOptionModule PATH "why"` or `mkRenamedOptionModule PATH PATH`
/// (also `lib.` or any attribute path ending in the name), each path a
/// list of literal strings.
fn option_change(apply: &ast::Apply) -> Option<ImportTarget> {
    let (ast::Expr::Apply(inner), second) = (unparen(apply.lambda()?), unparen(apply.argument()?)) else {
        return None;
    };
    let function = match unparen(inner.lambda()?) {
        ast::Expr::Ident(i) => i.ident_token()?.text().to_string(),
        ast::Expr::Select(s) => s.attrpath()?.attrs().last().map(|a| super::green::text(a.syntax()))?,
        _ => return None,
    };
    let strings = |e: ast::Expr| -> Option<Vec<String>> {
        let ast::Expr::List(list) = unparen(e) else { return None };
        list.items()
            .map(|item| match unparen(item) {
                ast::Expr::Str(s) => value::static_string(&s),
                _ => None,
            })
            .collect()
    };
    let option = strings(inner.argument()?)?;
    let change = match (function.as_str(), second) {
        ("mkRemovedOptionModule", ast::Expr::Str(s)) => OptionChange::Removed(value::static_string(&s)?),
        ("mkRenamedOptionModule", e) => OptionChange::Renamed(strings(e)?),
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
