//! Property tests over generated modules: options planted in every
//! syntactic form the resolver supports (dotted, nested, quoted keys,
//! `config = { }`, `mkIf`, `mkMerge`, `let`, `with`, `inherit`, priority
//! wrappers, comments and CRLF anywhere) are all found, with their values;
//! and `lint --fix` output on such modules still parses, for rnix and for
//! `nix-instantiate --parse`.

mod common;

use nixvm::lint::LintOptions;
use nixvm::syntax::{self, Value};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Option names: a small pool, so paths share prefixes.
/// (The fix test plants `services`, `networking` and `virtualisation`
/// options of its own, so those stay out of the first pool.)
const FIRST: &[&str] = &["programs", "boot", "hardware", "my-app", "a"];
const SECOND: &[&str] = &["nginx", "loader", "\"x.y\"", "timesyncd", "b"];
const THIRD: &[&str] = &["enable", "port", "name", "\"with space\"", "c"];

#[derive(Debug, Clone)]
enum Leaf {
    Int(i64),
    Bool(bool),
    Str(String),
    /// `inherit (src) name;`: defined, value unknown.
    Inherit,
}

/// A planted option: its path (indices into the pools) and value.
type Plant = ([usize; 3], Leaf);

fn leaf() -> impl Strategy<Value = Leaf> {
    prop_oneof![
        any::<i32>().prop_map(|i| Leaf::Int(i64::from(i))),
        any::<bool>().prop_map(Leaf::Bool),
        "[a-z $\\\\\"'{}]{0,8}".prop_map(Leaf::Str),
        Just(Leaf::Inherit),
    ]
}

fn plants() -> impl Strategy<Value = Vec<Plant>> {
    proptest::collection::vec(((0..5usize, 0..5usize, 0..5usize).prop_map(|(a, b, c)| [a, b, c]), leaf()), 1..12)
}

/// Renders planted options as a module, taking every choice from `choices`.
struct Renderer<'a> {
    choices: &'a [u8],
    at: usize,
    crlf: bool,
    out: String,
}

impl Renderer<'_> {
    fn pick(&mut self, n: u8) -> u8 {
        let c = self.choices.get(self.at % self.choices.len().max(1)).copied().unwrap_or(0);
        self.at += 1;
        c % n
    }

    fn newline(&self) -> &'static str {
        if self.crlf {
            "\r\n"
        } else {
            "\n"
        }
    }

    /// Blanks, a line comment or a block comment.
    fn trivia(&mut self) {
        let nl = self.newline();
        match self.pick(6) {
            0 => self.out.push(' '),
            1 => self.out.push_str(nl),
            2 => self.out.push_str(&format!(" # a comment{nl}")),
            3 => self.out.push_str(" /* block */ "),
            4 => self.out.push_str(&format!("{nl}  ")),
            _ => self.out.push(' '),
        }
    }

    fn value(&mut self, leaf: &Leaf) -> String {
        let v = match leaf {
            Leaf::Int(i) if *i < 0 => format!("({i})"),
            Leaf::Int(i) => i.to_string(),
            Leaf::Bool(b) => b.to_string(),
            Leaf::Str(s) => nixvm::nixstr::string_literal(s),
            Leaf::Inherit => unreachable!("inherit is a binding"),
        };
        match self.pick(5) {
            0 => format!("lib.mkDefault {v}"),
            1 => format!("lib.mkIf true {v}"),
            _ => v,
        }
    }

    /// Bindings for `tree` (path components left -> leaves) inside a set.
    fn bindings(&mut self, tree: &Tree) {
        for (key, node) in &tree.children {
            self.trivia();
            match node {
                Node::Leaf(Leaf::Inherit) => {
                    // `inherit` binds a plain name only.
                    if key.starts_with('"') {
                        self.out.push_str(&format!("{key} = src.v;"));
                    } else {
                        self.out.push_str(&format!("inherit (src) {key};"));
                    }
                }
                Node::Leaf(leaf) => {
                    let v = self.value(leaf);
                    self.out.push_str(&format!("{key} ="));
                    self.trivia();
                    self.out.push_str(&format!("{v};"));
                }
                Node::Tree(sub) => match self.pick(6) {
                    // Dotted: every leaf below on its own `key.rest = v;`.
                    0 | 1 => self.dotted(key, sub),
                    2 => {
                        self.out.push_str(&format!("{key} = lib.mkIf cond {{"));
                        self.bindings(sub);
                        self.out.push_str("};");
                    }
                    3 => {
                        // mkMerge of the children, one set each.
                        self.out.push_str(&format!("{key} = lib.mkMerge ["));
                        for (k, n) in &sub.children {
                            let one = Tree { children: vec![(k.clone(), n.clone())] };
                            self.out.push_str(" {");
                            self.bindings(&one);
                            self.out.push_str(" }");
                        }
                        self.out.push_str(" ];");
                    }
                    4 => {
                        self.out.push_str(&format!("{key} = let unused = 1; in with lib; {{"));
                        self.bindings(sub);
                        self.out.push_str("};");
                    }
                    _ => {
                        self.out.push_str(&format!("{key} = {{"));
                        self.bindings(sub);
                        self.trivia();
                        self.out.push_str("};");
                    }
                },
            }
        }
    }

    fn dotted(&mut self, prefix: &str, tree: &Tree) {
        for (key, node) in &tree.children {
            let path = format!("{prefix}.{key}");
            match node {
                Node::Leaf(Leaf::Inherit) => {
                    // `inherit` cannot be dotted: a nested set holds it.
                    self.out.push_str(&format!("{prefix} = {{"));
                    self.bindings(&Tree { children: vec![(key.clone(), node.clone())] });
                    self.out.push_str("};");
                    // Only one binding may name `prefix` this way: the
                    // generator gives each prefix one inherit at most and
                    // renders the rest nested (see `plant_tree`).
                }
                Node::Leaf(leaf) => {
                    let v = self.value(leaf);
                    self.out.push_str(&format!("{path} = {v};"));
                }
                Node::Tree(sub) => self.dotted(&path, sub),
            }
            self.trivia();
        }
    }
}

#[derive(Debug, Clone)]
enum Node {
    Leaf(Leaf),
    Tree(Tree),
}

#[derive(Debug, Clone, Default)]
struct Tree {
    children: Vec<(String, Node)>,
}

/// The planted options as a tree (later plants of a path win), and the
/// expected definitions: path -> leaf.
fn plant_tree(plants: &[Plant]) -> (Tree, BTreeMap<Vec<String>, Leaf>) {
    let mut expected: BTreeMap<Vec<String>, Leaf> = BTreeMap::new();
    for (p, leaf) in plants {
        let keys = [FIRST[p[0]], SECOND[p[1]], THIRD[p[2]]];
        expected.insert(keys.iter().map(|k| unquote(k)).collect(), leaf.clone());
    }
    let mut tree = Tree::default();
    for (path, leaf) in &expected {
        let keys: Vec<String> = path.iter().map(|k| quote(k)).collect();
        insert(&mut tree, &keys, leaf.clone());
    }
    (tree, expected)
}

fn insert(tree: &mut Tree, keys: &[String], leaf: Leaf) {
    let (first, rest) = keys.split_first().expect("a path");
    if rest.is_empty() {
        tree.children.push((first.clone(), Node::Leaf(leaf)));
        return;
    }
    if let Some((_, Node::Tree(sub))) = tree.children.iter_mut().find(|(k, _)| k == first) {
        return insert(sub, rest, leaf);
    }
    let mut sub = Tree::default();
    insert(&mut sub, rest, leaf);
    tree.children.push((first.clone(), Node::Tree(sub)));
}

fn unquote(k: &str) -> String {
    k.trim_matches('"').to_string()
}

fn quote(k: &str) -> String {
    if nixvm::nixstr::is_identifier(k) {
        k.to_string()
    } else {
        nixvm::nixstr::string_literal(k)
    }
}

/// A whole module: arguments, optional `let`/`with`, optional `config`;
/// `extra` holds bindings (lines) to put first in the body, and an import.
fn module(
    plants: &[Plant],
    choices: &[u8],
    crlf: bool,
    extra: Option<(&str, &str)>,
) -> (String, BTreeMap<Vec<String>, Leaf>) {
    let (tree, expected) = plant_tree(plants);
    let mut r = Renderer { choices, at: 0, crlf, out: String::new() };
    let nl = r.newline();
    r.out.push_str(&format!("# generated{nl}{{ config, lib, src, cond, ... }}:"));
    r.trivia();
    match r.pick(3) {
        0 => r.out.push_str("let x = 1; in"),
        1 => r.out.push_str("with lib;"),
        _ => {}
    }
    r.trivia();
    let in_config = r.pick(2) == 0;
    let (bindings, import) = extra.unwrap_or(("", ""));
    r.out.push('{');
    if in_config {
        r.out.push_str(&format!(" imports = [ {import} ]; config = {{"));
    } else if !import.is_empty() {
        r.out.push_str(&format!(" imports = [ {import} ];"));
    }
    for line in bindings.lines() {
        r.out.push_str(&format!("{nl}  {line}"));
    }
    r.bindings(&tree);
    if in_config {
        r.out.push_str(" };");
    }
    r.trivia();
    r.out.push('}');
    r.out.push_str(nl);
    (r.out, expected)
}

/// The dotted-inherit corner (`a.b = { inherit c; }` beside `a.b.d = v`)
/// makes duplicate bindings; modules that Nix would reject are not the
/// resolver's business, so they are skipped.
fn parses(text: &str) -> bool {
    syntax::parse(text).is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn every_planted_definition_is_found(plants in plants(), choices in proptest::collection::vec(any::<u8>(), 1..64), crlf in any::<bool>()) {
        let (text, expected) = module(&plants, &choices, crlf, None);
        prop_assume!(parses(&text));
        let analysis = syntax::analyze(&syntax::parse(&text));
        let defs: Vec<_> = analysis.modules.iter().flat_map(|m| &m.definitions).collect();
        for (path, leaf) in &expected {
            let found: Vec<_> = defs.iter().filter(|d| &d.path == path).collect();
            prop_assert!(!found.is_empty(), "{path:?} not found in:\n{text}");
            let ok = found.iter().any(|d| match leaf {
                Leaf::Int(i) => d.value == Value::Int(*i),
                Leaf::Bool(b) => d.value == Value::Bool(*b),
                Leaf::Str(s) => d.value == Value::Str(s.clone()),
                Leaf::Inherit => d.inherited.is_some() || matches!(d.value, Value::Expr(_)),
            });
            prop_assert!(ok, "{path:?} = {leaf:?} found as {found:?} in:\n{text}");
        }
        // Nothing invented: every leaf definition is a planted one.
        for d in defs.iter().filter(|d| d.value != Value::AttrSet) {
            prop_assert!(expected.contains_key(&d.path), "unplanted {:?} in:\n{text}", d.path);
        }
    }
}

/// Modules with things to fix planted among the generated ones.
fn fixable(plants: &[Plant], choices: &[u8], crlf: bool) -> String {
    let extra = match choices.first().copied().unwrap_or(0) % 3 {
        0 => ("services.timesyncd.enable = true;", "./hardware-configuration.nix"),
        1 => ("virtualisation.memorySize = 2048;\nnetworking.usePredictableInterfaceNames = true;", ""),
        _ => ("services.timesyncd.enable = lib.mkOverride 100 true;", "./hardware-configuration.nix ./other.nix"),
    };
    module(plants, choices, crlf, Some(extra)).0
}

#[test]
fn fixed_modules_parse_for_nix_too() {
    let Some(nix_instantiate) = common::nix_instantiate("fixed_modules_parse_for_nix_too") else { return };
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 60, ..ProptestConfig::default() });
    let strategy = (plants(), proptest::collection::vec(any::<u8>(), 1..64), any::<bool>());
    let fixed_any = std::cell::Cell::new(0);
    let rejected = std::cell::Cell::new(0);
    runner
        .run(&strategy, |(plants, choices, crlf)| {
            let text = fixable(&plants, &choices, crlf);
            if !parses(&text) {
                rejected.set(rejected.get() + 1);
                return Ok(());
            }
            let out = nixvm::rewrite::fix_text(&text, &LintOptions::default());
            if !out.applied.is_empty() {
                fixed_any.set(fixed_any.get() + 1);
            }
            prop_assert!(parses(&out.text), "rnix rejects the fixed text:\n{}", out.text);
            if let Err(e) = common::nix_parses(&nix_instantiate, &out.text) {
                prop_assert!(false, "nix-instantiate --parse rejects the fixed text: {e}\n{}", out.text);
            }
            if crlf {
                let bare_lf = out.text.replace("\r\n", "").contains('\n');
                prop_assert!(!bare_lf, "a fix added a bare LF to a CRLF file:\n{:?}", out.text);
            }
            Ok(())
        })
        .unwrap();
    let fixed = fixed_any.get();
    assert!(fixed > 40, "only {fixed} of 60 generated modules had a fix applied ({} did not parse)", rejected.get());
}
