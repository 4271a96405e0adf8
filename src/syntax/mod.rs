//! The syntax layer: the only module that imports `rnix`/`rowan`.
//!
//! It parses Nix text and answers questions about it in plain data
//! (`text::Span`, strings, enums): where options are defined and at which
//! priority, what a module imports, which machines a network file declares,
//! which path literals appear. It is pure and never panics: input nested
//! deeper than rnix can parse without overflowing the stack is refused with a
//! located error (before rnix sees it, unless the file is too small to
//! overflow anything: see `scan`).

mod duplicates;
mod errors;
mod green;
mod model;
mod module;
mod network;
mod scan;
mod value;

pub use model::*;
pub use network::{NetworkArgument, NetworkFlavor, NetworkFunction, NetworkInfo, NetworkMachine};

use crate::text::Span;
use rnix::{SyntaxKind, SyntaxNode};
use rowan::ast::AstNode as _;

/// How deeply brackets and right-recursive operators may nest before the
/// file is refused. Real configurations stay far below this; rnix's own
/// recursion guard does not cover lists or prefix operators.
pub const MAX_NESTING: usize = 400;

/// A syntax error with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// A parsed file: the tree (when it could be built) and its errors.
pub struct Parsed {
    root: Option<SyntaxNode>,
    pub errors: Vec<SyntaxError>,
    /// Its path literals, found in the walk that checks the tree.
    paths: Vec<PathLiteral>,
    /// How many `key = value;` bindings it has: about as many definitions
    /// as a module file holds, room to make for them at once.
    bindings: usize,
}

impl Parsed {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Parse `text`. Never panics; a file nested too deeply gets a single error
/// and no tree.
pub fn parse(text: &str) -> Parsed {
    // A small file is counted from its tree, after parsing: see `scan`.
    let counted = text.len() > scan::SMALL_INPUT;
    if counted {
        if let Some(err) = scan::nesting_guard(text) {
            return Parsed { root: None, errors: vec![err], paths: vec![], bindings: 0 };
        }
    }
    // rnix recurses for nesting: make sure of a comfortable stack (a new one
    // is mapped only when the calling thread's is short, e.g. test threads).
    let parse = stacker::maybe_grow(scan::PARSE_STACK, 2 * scan::PARSE_STACK, || rnix::Root::parse(text));
    let root = parse.syntax();
    // One walk of the green tree: its depth (and nesting, for a small
    // file), the sets whose keys could collide, the path literals.
    let mut check = scan::TreeCheck::new(!counted);
    let mut suspects = duplicates::Suspects::default();
    let mut paths = vec![];
    let mut bindings = 0;
    for element in green::Preorder::new(&root) {
        if !check.element(&element) {
            break;
        }
        if let green::Element::Node { node, .. } = element {
            suspects.node(node);
            paths.extend(module::path_literal(node));
            bindings += usize::from(node.kind() == SyntaxKind::NODE_ATTRPATH_VALUE);
        }
    }
    if let Some(err) = check.finish() {
        // rowan frees trees recursively: a tree this deep would overflow the
        // stack when dropped, so it is leaked instead (the process is short).
        std::mem::forget(root);
        std::mem::forget(parse);
        return Parsed { root: None, errors: vec![err], paths: vec![], bindings: 0 };
    }
    let mut errors: Vec<SyntaxError> = errors::first(text, parse.errors()).into_iter().collect();
    if errors.is_empty() {
        errors = suspects.check(&root, text);
    }
    Parsed { root: Some(root), errors, paths, bindings }
}

/// The syntax errors of `text`, in source order.
pub fn syntax_errors(text: &str) -> Vec<SyntaxError> {
    parse(text).errors
}

/// Analyse a parsed file: module or network, definitions, imports, paths.
/// Files with syntax errors are analysed as far as their tree allows.
pub fn analyze(parsed: &Parsed) -> FileAnalysis {
    match &parsed.root {
        Some(root) if parsed.is_ok() => module::analyze_file(root, parsed.paths.clone(), parsed.bindings),
        _ => FileAnalysis::default(),
    }
}

/// The outputs a `flake.nix` writes literally: the names bound at the top
/// of what `outputs` returns (under its `let` and `with`), each with where
/// its value is when that value is an attribute set literal. Empty when the
/// file does not parse or computes its outputs (flake-parts, say).
pub fn flake_outputs(parsed: &Parsed) -> Vec<(String, Option<Span>)> {
    use rnix::ast::{self, HasEntry};
    use rowan::ast::AstNode as _;
    let Some(root) = parsed.root.as_ref().filter(|_| parsed.is_ok()) else { return vec![] };
    let Some(ast::Expr::AttrSet(flake)) = ast::Root::cast(root.clone()).and_then(|r| r.expr()).map(value::unparen)
    else {
        return vec![];
    };
    let Some(outputs) = flake.attrpath_values().find_map(|b| {
        let mut attrs = b.attrpath()?.attrs();
        let ast::Attr::Ident(i) = attrs.next()? else { return None };
        (i.ident_token()?.text() == "outputs" && attrs.next().is_none()).then(|| b.value()).flatten()
    }) else {
        return vec![];
    };
    let ast::Expr::Lambda(function) = value::unparen(outputs) else { return vec![] };
    let mut body = function.body().map(value::unparen);
    while let Some(ast::Expr::LetIn(_) | ast::Expr::With(_)) = &body {
        body = match body {
            Some(ast::Expr::LetIn(l)) => l.body().map(value::unparen),
            Some(ast::Expr::With(w)) => w.body().map(value::unparen),
            other => other,
        };
    }
    let Some(ast::Expr::AttrSet(set)) = body else { return vec![] };
    set.attrpath_values()
        .filter_map(|b| {
            let attrs: Vec<ast::Attr> = b.attrpath()?.attrs().collect();
            let ast::Attr::Ident(i) = attrs.first()? else { return None };
            let name = i.ident_token()?.text().to_string();
            let value = match (attrs.len(), b.value().map(value::unparen)) {
                (1, Some(ast::Expr::AttrSet(v))) => {
                    let r = v.syntax().text_range();
                    Some(Span::new(r.start().into(), r.end().into()))
                }
                _ => None,
            };
            Some((name, value))
        })
        .collect()
}

/// A machine a `flake.nix` writes in `nixosConfigurations`, with the
/// relative paths its `modules = [ ... ]` lists name literally (`./hosts/web`;
/// interpolated paths are not followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlakeMachine {
    pub name: String,
    pub modules: Vec<String>,
    /// Its modules are all there is: a `modules` list was found and every
    /// item is such a path (not an inline module, an input's module, a
    /// computed path).
    pub complete: bool,
}

/// The machines a `flake.nix` writes in `nixosConfigurations` (as
/// `nixosConfigurations.NAME = ...` or `nixosConfigurations = { NAME = ...;
/// }`).
pub fn flake_machine_modules(parsed: &Parsed) -> Vec<FlakeMachine> {
    use rnix::ast::{self, HasEntry};
    use rowan::ast::AstNode as _;
    let Some(root) = parsed.root.as_ref().filter(|_| parsed.is_ok()) else { return vec![] };
    // The module paths in the `modules` lists under a machine's expression.
    let machine = |name: String, e: &ast::Expr| -> FlakeMachine {
        let lists: Vec<ast::Expr> = e
            .syntax()
            .descendants()
            .filter_map(ast::AttrpathValue::cast)
            .filter(|b| {
                b.attrpath().and_then(|p| p.attrs().last()).is_some_and(
                    |a| matches!(&a, ast::Attr::Ident(i) if i.ident_token().is_some_and(|t| t.text() == "modules")),
                )
            })
            .filter_map(|b| b.value())
            .collect();
        // Read as imports are: lists, `++`, `with`, conditionals, `map`.
        let items: Vec<Import> = lists.iter().flat_map(module::module_list).collect();
        let modules: Vec<String> = items
            .iter()
            .filter_map(|i| match &i.target {
                ImportTarget::Path(p) if p.starts_with("./") || p.starts_with("../") => Some(p.clone()),
                _ => None,
            })
            .collect();
        let complete = !lists.is_empty() && modules.len() == items.len();
        FlakeMachine { name, modules, complete }
    };
    let ident = |a: &ast::Attr| match a {
        ast::Attr::Ident(i) => i.ident_token().map(|t| t.text().to_string()),
        _ => None,
    };
    let mut out: Vec<FlakeMachine> = vec![];
    for b in root.descendants().filter_map(ast::AttrpathValue::cast) {
        let Some(attrs) = b.attrpath().map(|p| p.attrs().collect::<Vec<_>>()) else { continue };
        let Some(at) = attrs.iter().position(|a| ident(a).as_deref() == Some("nixosConfigurations")) else { continue };
        let Some(value) = b.value().map(value::unparen) else { continue };
        match (&attrs[at + 1..], &value) {
            ([name], _) => out.extend(ident(name).map(|n| machine(n, &value))),
            ([], ast::Expr::AttrSet(set)) => {
                for m in set.attrpath_values() {
                    let first = m.attrpath().and_then(|p| p.attrs().next());
                    if let (Some(n), Some(v)) = (first.as_ref().and_then(ident), m.value()) {
                        out.push(machine(n, &v));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether a file declared to be a network computes its set of machines
/// (`a // b`, `import ./x.nix`, a function call...) instead of writing it
/// as a literal: only evaluating it tells its machines.
pub fn network_is_computed(parsed: &Parsed) -> bool {
    let Some(expr) = parsed
        .root
        .as_ref()
        .filter(|_| parsed.is_ok())
        .and_then(|r| rnix::ast::Root::cast(r.clone()))
        .and_then(|r| r.expr())
    else {
        return false;
    };
    network::is_computed(&expr)
}

/// The arguments of a network file written as a function of named
/// arguments (`{ region ? "eu", inputs }: ...`), whatever its body is.
pub fn network_function(parsed: &Parsed) -> Option<NetworkFunction> {
    let expr = parsed
        .root
        .as_ref()
        .filter(|_| parsed.is_ok())
        .and_then(|r| rnix::ast::Root::cast(r.clone()))
        .and_then(|r| r.expr())?;
    network::function_of(&expr)
}

/// Read a file the user declared to be a network file (`init --network`):
/// its machines and their modules' analysis, or a located error saying why
/// it is not one.
pub fn read_network(parsed: &Parsed) -> Result<FileAnalysis, SyntaxError> {
    let expr = parsed
        .root
        .as_ref()
        .filter(|_| parsed.is_ok())
        .and_then(|r| rnix::ast::Root::cast(r.clone()))
        .and_then(|r| r.expr())
        .ok_or_else(|| SyntaxError { span: Span::empty(0), message: "the network file does not parse".into() })?;
    let (info, modules) = network::read_declared(&expr).map_err(|(span, message)| SyntaxError { span, message })?;
    Ok(module::analyze_network(info, modules, parsed.paths.clone()))
}

pub(crate) fn span_of(node: &SyntaxNode) -> Span {
    let r = node.text_range();
    Span::new(r.start().into(), r.end().into())
}

pub(crate) fn token_span(tok: &rnix::SyntaxToken) -> Span {
    let r = tok.text_range();
    Span::new(r.start().into(), r.end().into())
}

pub(super) fn one_of(kinds: &[SyntaxKind]) -> String {
    let names: Vec<String> = kinds.iter().map(|k| kind_name(*k)).collect();
    match names.len() {
        0 => "something else".into(),
        1 => names[0].clone(),
        _ => format!("one of {}", names.join(", ")),
    }
}

/// A human name for a token kind, as it appears in source.
fn kind_name(kind: SyntaxKind) -> String {
    use SyntaxKind::*;
    let s = match kind {
        TOKEN_ADD => "`+`",
        TOKEN_AND_AND => "`&&`",
        TOKEN_ASSIGN => "`=`",
        TOKEN_ASSERT => "`assert`",
        TOKEN_AT => "`@`",
        TOKEN_COLON => "`:`",
        TOKEN_COMMA => "`,`",
        TOKEN_COMMENT => "a comment",
        TOKEN_CONCAT => "`++`",
        TOKEN_DIV => "`/`",
        TOKEN_DOT => "`.`",
        TOKEN_ELLIPSIS => "`...`",
        TOKEN_ELSE => "`else`",
        TOKEN_EQUAL => "`==`",
        TOKEN_FLOAT | TOKEN_INTEGER => "a number",
        TOKEN_IDENT => "an identifier",
        TOKEN_IF => "`if`",
        TOKEN_IMPLICATION => "`->`",
        TOKEN_IN => "`in`",
        TOKEN_INHERIT => "`inherit`",
        TOKEN_INTERPOL_START => "`${`",
        TOKEN_INTERPOL_END => "`}`",
        TOKEN_INVERT => "`!`",
        TOKEN_L_BRACE => "`{`",
        TOKEN_L_BRACK => "`[`",
        TOKEN_L_PAREN => "`(`",
        TOKEN_R_BRACE => "`}`",
        TOKEN_R_BRACK => "`]`",
        TOKEN_R_PAREN => "`)`",
        TOKEN_LET => "`let`",
        TOKEN_OR => "`or`",
        TOKEN_OR_OR => "`||`",
        TOKEN_REC => "`rec`",
        TOKEN_SEMICOLON => "`;`",
        TOKEN_STRING_START | TOKEN_STRING_END => "a string quote",
        TOKEN_STRING_CONTENT => "string text",
        TOKEN_THEN => "`then`",
        TOKEN_WITH => "`with`",
        TOKEN_PATH_ABS | TOKEN_PATH_REL | TOKEN_PATH_HOME | TOKEN_PATH_SEARCH => "a path",
        TOKEN_ERROR => "an invalid token",
        _ => return format!("{kind:?}").trim_start_matches("TOKEN_").trim_start_matches("NODE_").to_lowercase(),
    };
    s.to_string()
}

/// The texts of the `.nix` files under `dirs` (of the project), for tests
/// that hold a pass to every file the project has.
#[cfg(test)]
pub(crate) fn nix_files_under(dirs: &[&str]) -> Vec<String> {
    let mut texts = vec![];
    let mut dirs: Vec<std::path::PathBuf> = dirs.iter().map(std::path::PathBuf::from).collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "nix") {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_modules_of_a_flakes_machines() {
        let text = "{ outputs = { self, nixpkgs }: { nixosConfigurations.web = nixpkgs.lib.nixosSystem { modules = [ ./hosts/web ./common.nix { x = 1; } ]; }; nixosConfigurations.db = f { modules = [ (./hosts/db) ./hosts/${n}.nix ]; }; }; }";
        let found: Vec<(String, Vec<String>, bool)> = super::flake_machine_modules(&super::parse(text))
            .into_iter()
            .map(|m| (m.name, m.modules, m.complete))
            .collect();
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            found,
            [
                ("web".to_string(), strings(&["./hosts/web", "./common.nix"]), false),
                ("db".to_string(), strings(&["./hosts/db"]), false)
            ]
        );
        let text = "{ outputs = _: { nixosConfigurations = { a = s { modules = [ ./a.nix ]; }; b = host \"b\"; }; }; }";
        let found = super::flake_machine_modules(&super::parse(text));
        assert_eq!(
            found,
            [
                super::FlakeMachine { name: "a".into(), modules: strings(&["./a.nix"]), complete: true },
                super::FlakeMachine { name: "b".into(), modules: vec![], complete: false }
            ]
        );
    }

    #[test]
    fn the_outputs_a_flake_writes() {
        let text = "{ inputs.colmena.url = \"x\"; outputs = { self, nixpkgs }@i: let a = 1; in { colmena = { web = { }; }; nixosConfigurations.x = 1; packages = f; }; } # colmenaHive";
        let parsed = super::parse(text);
        let outputs = super::flake_outputs(&parsed);
        let names: Vec<&str> = outputs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["colmena", "nixosConfigurations", "packages"]);
        let hive = outputs[0].1.unwrap();
        assert_eq!(&text[hive.start..hive.end], "{ web = { }; }");
        assert_eq!((outputs[1].1, outputs[2].1), (None, None));
        assert!(super::flake_outputs(&super::parse("{ outputs = inputs: import ./outputs.nix inputs; }")).is_empty());
        assert!(super::flake_outputs(&super::parse("{ a = ")).is_empty());
    }

    use super::*;

    #[test]
    fn errors_are_located_and_readable() {
        let errs = syntax_errors("{ a = 1 }");
        assert_eq!(errs[0].span, Span::empty(7));
        assert_eq!(errs[0].message, "a `;` is missing before `}`");
        let errs = syntax_errors("{ a = 1;");
        assert!(errs.iter().any(|e| e.span == Span::new(0, 1) && e.message.contains("end of the file")));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        for text in [
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            format!("{}1{}", "(".repeat(200_000), ")".repeat(200_000)),
            format!("{}x", "!".repeat(100_000)),
            format!("{}x", "-".repeat(100_000)),
            format!("a{}", " ++ a".repeat(100_000)),
            format!("{}x", "x: ".repeat(100_000)),
            format!("a{}", " + a".repeat(100_000)),
            format!("f{}", " a".repeat(100_000)),
            format!("{{ a{} = 1; }}", ".b".repeat(16_000)),
        ] {
            let p = parse(&text);
            assert_eq!(p.errors.len(), 1, "{}", &text[..10]);
            assert!(p.errors[0].message.contains("nested too deeply"));
            assert!(p.errors[0].span.end <= text.len());
        }
    }

    /// The worst a small file can hold, for each construct rnix recurses
    /// on without its own limit: parsed before it is counted, on a thread
    /// with a small stack, it is refused, not overflowed.
    #[test]
    fn small_files_parsed_before_they_are_counted_do_not_overflow() {
        let fill = |unit: &str, end: &str| {
            let n = (scan::SMALL_INPUT - 1) / (unit.len() + end.len());
            format!("{}1{}", unit.repeat(n), end.repeat(n))
        };
        let texts = [
            fill("[", "]"),
            fill("(", ")"),
            fill("-", ""),
            fill("!", ""),
            fill("a ++ ", ""),
            fill("a // ", ""),
            fill("a <| ", ""),
            fill("x: ", ""),
            fill("-[", "]"),
            fill("[(", ")]"),
        ];
        let handle = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                texts
                    .iter()
                    .map(|t| {
                        assert!(t.len() <= scan::SMALL_INPUT);
                        let p = parse(t);
                        (p.errors.len(), p.errors[0].message.contains("nested too deeply"))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap();
        assert!(handle.join().unwrap().iter().all(|&r| r == (1, true)));
    }

    /// Counting a small file over its tree gives what counting its tokens
    /// gives, error and place, including where rnix renames a token (`or`
    /// as a name, `__curPos`).
    #[test]
    fn the_count_over_the_tree_is_the_count_over_the_tokens() {
        let under = MAX_NESTING - 1;
        let mut texts = vec![
            format!("{}{}", "[".repeat(under), "]".repeat(under)),
            format!("{}{}", "[".repeat(MAX_NESTING + 1), "]".repeat(MAX_NESTING + 1)),
            format!("{}x", "!".repeat(MAX_NESTING)),
            format!("{}x", "!".repeat(MAX_NESTING + 1)),
            format!("f{}", " a".repeat(MAX_NESTING)),
            format!("f{}", " a".repeat(MAX_NESTING + 1)),
            format!("f{}", " or".repeat(MAX_NESTING + 1)),
            format!("f{}", " x.or y".repeat(MAX_NESTING / 2 - 20)),
            format!("f{}", " __curPos".repeat(MAX_NESTING + 1)),
            format!("{{ a{} = 1; }}", ".or".repeat(MAX_NESTING + 1)),
            format!("{{ a{} = 1; }}", ".b".repeat(MAX_NESTING)),
            format!("a{}", " + a".repeat(MAX_NESTING + 1)),
            format!("{}1{}", "{ a = ".repeat(MAX_NESTING / 2 + 1), "; }".repeat(MAX_NESTING / 2 + 1)),
            format!("{}1{}", "\"${".repeat(MAX_NESTING / 2 + 1), "}\"".repeat(MAX_NESTING / 2 + 1)),
            format!("{}1{}", "let a = ".repeat(MAX_NESTING + 1), "; in a".repeat(MAX_NESTING + 1)),
            "{ a = [ (x: x) ] ++ [ 1 ]; b = -1; c = ./a/${b}.nix; } # or".to_string(),
            "[ ( ] }".repeat(300),
        ];
        texts.extend(nix_files_under(&["tests/fixtures/lint", "examples"]));
        for text in &texts {
            let tree = rnix::Root::parse(text).syntax();
            let over_tree = scan::tree_check(&tree, true);
            assert_eq!(over_tree, scan::nesting_guard(text).or(scan::tree_check(&tree, false)), "{}", &text[..20]);
        }
        assert!(texts.len() > 40);
    }

    #[test]
    fn nesting_just_under_the_limit_parses_on_a_small_stack() {
        let depth = MAX_NESTING - 1;
        let texts = [
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
            format!("{}1{}", "(".repeat(depth), ")".repeat(depth)),
            format!("{}x", "!".repeat(depth - 1)),
            format!("{}1{}", "{ a = ".repeat(depth / 2), "; }".repeat(depth / 2)),
        ];
        // A thread with 256 KiB of stack: the parse must grow its own.
        let handle = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || texts.iter().map(|t| parse(t).errors.len()).collect::<Vec<_>>())
            .unwrap();
        assert_eq!(handle.join().unwrap(), vec![0, 0, 0, 0]);
    }

    #[test]
    fn long_flat_lists_and_bindings_are_not_nesting() {
        let packages = format!("{{ environment.systemPackages = [{} ]; }}", " pkgs.hello".repeat(5_000));
        let sets = format!("{{{} }}", " a.b.c = 1;".repeat(5_000).replace("a.b.c", "x.y"));
        for text in
            [packages, format!("{{{}}}", (0..5_000).map(|i| format!(" k{i}.v = {i};")).collect::<String>()), sets]
        {
            let p = parse(&text);
            assert!(p.errors.iter().all(|e| !e.message.contains("nested too deeply")), "{}", &text[..40]);
        }
    }

    #[test]
    fn moderate_nesting_parses() {
        let text = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&text).is_ok());
    }
}
