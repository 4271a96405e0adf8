//! Duplicate attributes, checked the way Nix's parser does: rnix accepts
//! `{ a = 1; a = 2; }`, Nix answers "attribute 'a' already defined". A fix
//! must never produce such a file, so the syntax layer reports them as
//! syntax errors.
//!
//! Nix's rule: a dotted key descends into an existing attribute set
//! (implicit or literal); a binding whose last key already exists is
//! allowed only when both values are attribute sets, and then the new set's
//! own attributes (one level) must all be new.

use super::green::{Node, Token};
use super::value::attr_name;
use super::{span_of, SyntaxError};
use crate::text::{LineIndex, Span};
use rnix::ast::{self, HasEntry};
use rnix::{NodeOrToken, SyntaxKind, SyntaxNode, TextRange};
use rowan::ast::AstNode;
use std::collections::HashMap;

enum Slot {
    Leaf(Span),
    /// A set made by dotted keys, or a literal already expanded.
    Set(Span, HashMap<String, Slot>),
    /// A literal set not looked into yet: most never need to be.
    Literal(ast::AttrSet),
}

impl Slot {
    fn span(&self) -> Span {
        match self {
            Slot::Leaf(s) | Slot::Set(s, _) => *s,
            Slot::Literal(set) => span_of(set.syntax()),
        }
    }
}

/// The sets and patterns whose keys could collide, found on the green
/// tree without cursors (as the file's one walk meets its nodes); `check`
/// then reads only those through the typed tree.
#[derive(Default)]
pub struct Suspects<'g> {
    keys: Keys<'g>,
    found: Vec<(SyntaxKind, Span)>,
}

impl<'g> Suspects<'g> {
    /// Look at one node.
    pub fn node(&mut self, node: Node<'g>) {
        let distinct = match node.kind() {
            SyntaxKind::NODE_PATTERN => self.keys.formals_distinct(node),
            SyntaxKind::NODE_ATTR_SET | SyntaxKind::NODE_LET_IN => self.keys.bindings_distinct(node),
            _ => return,
        };
        if !distinct {
            self.found.push((node.kind(), node.span()));
        }
    }

    /// The duplicates among the suspects, in source order.
    pub fn check(self, root: &SyntaxNode, text: &str) -> Vec<SyntaxError> {
        let mut errors = vec![];
        let mut index = None;
        for (kind, span) in self.found {
            let range = TextRange::new((span.start as u32).into(), (span.end as u32).into());
            let element = root.covering_element(range);
            if let Some(node) = element.ancestors().find(|n| n.kind() == kind && n.text_range() == range) {
                slow_check(node, text, &mut index, &mut errors);
            }
        }
        errors
    }
}

/// The duplicates of a whole tree (a walk of its own).
#[cfg(test)]
fn check(root: &SyntaxNode, text: &str) -> Vec<SyntaxError> {
    let mut suspects = Suspects::default();
    for element in super::green::Preorder::new(root) {
        if let super::green::Element::Node { node, .. } = element {
            suspects.node(node);
        }
    }
    suspects.check(root, text)
}

/// Every set and pattern of `root` looked at through the typed tree (what
/// `check` does where keys could collide).
#[cfg(test)]
fn check_every_set(root: &SyntaxNode, text: &str) -> Vec<SyntaxError> {
    let mut errors = vec![];
    let mut index = None;
    for node in root.descendants() {
        slow_check(node, text, &mut index, &mut errors);
    }
    errors
}

fn slow_check(node: SyntaxNode, text: &str, index: &mut Option<LineIndex>, errors: &mut Vec<SyntaxError>) {
    if node.kind() == SyntaxKind::NODE_PATTERN {
        if let Some(p) = ast::Pattern::cast(node) {
            duplicate_formals(&p, errors);
        }
        return;
    }
    if !matches!(node.kind(), SyntaxKind::NODE_ATTR_SET | SyntaxKind::NODE_LET_IN) {
        return;
    }
    let mut found = vec![];
    if let Some(set) = ast::AttrSet::cast(node.clone()) {
        bindings(&set, Some(&mut found));
    } else if let Some(l) = ast::LetIn::cast(node) {
        bindings(&l, Some(&mut found));
    }
    for (name, at, first) in found {
        let index = index.get_or_insert_with(|| LineIndex::new(text));
        let p = index.position(text, first.start);
        errors.push(SyntaxError {
            span: at,
            message: format!("attribute `{name}` is already defined at line {}, column {}", p.line, p.column),
        });
    }
}

/// The keys of one set (or pattern), read off the green tree into buffers
/// kept from set to set.
#[derive(Default)]
struct Keys<'g> {
    names: Vec<&'g str>,
    /// Each binding's key path, as a range of `names`.
    paths: Vec<std::ops::Range<usize>>,
}

impl<'g> Keys<'g> {
    /// True when no two of the set's bindings can be the same attribute:
    /// every key is a plain name and no key path is another's prefix (nor
    /// equal to it). Then Nix's merging never meets an attribute twice.
    /// False (look closer) otherwise.
    fn bindings_distinct(&mut self, set: Node<'g>) -> bool {
        self.names.clear();
        self.paths.clear();
        for entry in set.children() {
            let plain = match entry.kind() {
                SyntaxKind::NODE_ATTRPATH_VALUE => {
                    let Some(path) = entry.children().next() else { return false };
                    let start = self.names.len();
                    let plain = path.elements().all(|a| self.push_ident(a));
                    self.paths.push(start..self.names.len());
                    plain
                }
                SyntaxKind::NODE_INHERIT => entry
                    .elements()
                    .filter(|c| !matches!(c, NodeOrToken::Node(n) if n.kind() == SyntaxKind::NODE_INHERIT_FROM))
                    .all(|a| {
                        let start = self.names.len();
                        let plain = self.push_ident(a);
                        if self.names.len() > start {
                            self.paths.push(start..self.names.len());
                        }
                        plain
                    }),
                _ => true,
            };
            if !plain {
                return false;
            }
        }
        let names = &self.names;
        self.paths.sort_unstable_by(|a, b| names[a.clone()].cmp(&names[b.clone()]));
        // Sorted, a path that is another's prefix comes right before one
        // that has it as a prefix.
        self.paths.windows(2).all(|w| !names[w[1].clone()].starts_with(&names[w[0].clone()]))
    }

    /// True when the pattern's names (its entries' and its `@` name) are
    /// all different.
    fn formals_distinct(&mut self, pattern: Node<'g>) -> bool {
        self.names.clear();
        for part in pattern.children() {
            if matches!(part.kind(), SyntaxKind::NODE_PAT_ENTRY | SyntaxKind::NODE_PAT_BIND) {
                let Some(ident) = part.children().next() else { continue };
                if !self.push_ident(NodeOrToken::Node(ident)) {
                    return false;
                }
            }
        }
        self.names.sort_unstable();
        self.names.windows(2).all(|w| w[0] != w[1])
    }

    /// Add a key element's name when it is a plain name (`NODE_IDENT`);
    /// trivia and punctuation add nothing. False for any other key (a
    /// string, `${...}`), which only the typed tree reads.
    fn push_ident(&mut self, element: NodeOrToken<Node<'g>, Token<'g>>) -> bool {
        match element {
            NodeOrToken::Token(_) => true,
            NodeOrToken::Node(n) if n.kind() == SyntaxKind::NODE_IDENT => {
                // The name's token, whatever its kind (`or` is one too).
                match n.tokens().next() {
                    Some(t) => {
                        self.names.push(t.text());
                        true
                    }
                    None => false,
                }
            }
            NodeOrToken::Node(_) => false,
        }
    }
}

/// `{ a, a }:` and `{ a, ... }@a:`, which Nix rejects ("duplicate formal
/// function argument").
fn duplicate_formals(p: &ast::Pattern, errors: &mut Vec<SyntaxError>) {
    let mut seen: Vec<String> = vec![];
    let names = p.pat_entries().filter_map(|e| e.ident()).chain(p.pat_bind().and_then(|b| b.ident()));
    for ident in names {
        let Some(tok) = ident.ident_token() else { continue };
        let name = tok.text().to_string();
        if seen.contains(&name) {
            errors.push(SyntaxError {
                span: span_of(ident.syntax()),
                message: format!("duplicate function argument `{name}`"),
            });
        } else {
            seen.push(name);
        }
    }
}

/// Duplicates found: the name, where it is defined again, where first.
type Found = Vec<(String, Span, Span)>;

/// The attribute tree `entries` define; duplicates go to `found` (nested
/// literals are checked when they are visited themselves, so expanding one
/// passes `None`).
fn bindings(entries: &impl HasEntry, mut found: Option<&mut Found>) -> HashMap<String, Slot> {
    let mut tree = HashMap::new();
    for entry in entries.entries() {
        match entry {
            ast::Entry::Inherit(inh) => {
                for attr in inh.attrs() {
                    let Some(name) = attr_name(&attr) else { continue };
                    let span = span_of(attr.syntax());
                    insert(&mut tree, name, Slot::Leaf(span), span, found.as_deref_mut());
                }
            }
            ast::Entry::AttrpathValue(av) => {
                let Some(path) = av.attrpath() else { continue };
                let mut attrs = vec![];
                for a in path.attrs() {
                    match attr_name(&a) {
                        Some(n) => attrs.push((n, span_of(a.syntax()))),
                        None => break, // dynamic keys are checked when Nix evaluates
                    }
                }
                if attrs.is_empty() || attrs.len() != path.attrs().count() {
                    continue;
                }
                // Parentheses make no node in Nix's AST, and `rec` sets merge too.
                let value = match av.value().map(super::value::unparen) {
                    Some(ast::Expr::AttrSet(set)) => Slot::Literal(set),
                    Some(v) => Slot::Leaf(span_of(v.syntax())),
                    None => continue,
                };
                insert_path(&mut tree, attrs, value, found.as_deref_mut());
            }
        }
    }
    tree
}

/// Turn a literal into a set of its bindings, in place.
fn expand(slot: &mut Slot) {
    if let Slot::Literal(set) = slot {
        let span = span_of(set.syntax());
        let children = bindings(&*set, None);
        *slot = Slot::Set(span, children);
    }
}

fn insert_path(
    tree: &mut HashMap<String, Slot>,
    mut attrs: Vec<(String, Span)>,
    value: Slot,
    found: Option<&mut Found>,
) {
    let Some((last, last_span)) = attrs.pop() else { return };
    let mut cur = tree;
    for (name, span) in attrs {
        let slot = cur.entry(name.clone()).or_insert_with(|| Slot::Set(span, HashMap::new()));
        expand(slot);
        match slot {
            Slot::Set(_, children) => cur = children,
            other => {
                let first = other.span();
                if let Some(found) = found {
                    found.push((name, span, first));
                }
                return;
            }
        }
    }
    insert(cur, last, value, last_span, found);
}

fn insert(tree: &mut HashMap<String, Slot>, name: String, value: Slot, at: Span, mut found: Option<&mut Found>) {
    let Some(existing) = tree.get_mut(&name) else {
        tree.insert(name, value);
        return;
    };
    let mut report = |name: String, at: Span, first: Span| {
        if let Some(found) = found.as_deref_mut() {
            found.push((name, at, first));
        }
    };
    let mergeable = !matches!(existing, Slot::Leaf(_)) && !matches!(value, Slot::Leaf(_));
    if !mergeable {
        report(name, at, existing.span());
        return;
    }
    expand(existing);
    let mut value = value;
    expand(&mut value);
    let (Slot::Set(_, old), Slot::Set(_, new)) = (existing, value) else { return };
    let mut dups = vec![];
    for (k, v) in new {
        match old.get(&k) {
            Some(first) => dups.push((k, v.span(), first.span())),
            None => {
                old.insert(k, v);
            }
        }
    }
    dups.sort_by_key(|d| d.1);
    for (k, at, first) in dups {
        report(k, at, first);
    }
}

#[cfg(test)]
mod tests {
    fn errors(text: &str) -> Vec<String> {
        crate::syntax::syntax_errors(text).into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn accepts_what_nix_accepts() {
        for ok in [
            "{ a.b = 1; a.c = 2; }",
            "{ a = { b = 1; }; a.c = 2; }",
            "{ a.c = 2; a = { b = 1; }; }",
            "{ a.b.c = 1; a.b.d = 2; }",
            "{ a = { b = { c = 1; }; }; a.b.d = 2; }",
            "{ v = { x.y = 1; x.z = 2; }; }",
            "let a.b = 1; a.c = 2; in a",
            "{ ${x} = 1; ${x} = 2; }",
            "{ a = ({ b = 1; }); a.c = 2; }",
            "{ a = rec { b = 1; }; a.c = 2; }",
            "{ a = rec { b = 1; }; a = { c = 2; }; }",
        ] {
            assert!(errors(ok).is_empty(), "{ok}: {:?}", errors(ok));
        }
    }

    /// Looking closer only where keys could collide finds what looking at
    /// every set finds.
    #[test]
    fn the_quick_look_misses_nothing() {
        let mut texts: Vec<String> = [
            "{ a.b = 1; a.c = 2; }",
            "{ a = 1; a = 2; }",
            "{ a.b = 1; a.b.c = 2; }",
            "{ a.b.c = 1; a.b = { d = 2; }; }",
            "{ a = { b = 1; }; a.b.c = 2; }",
            "{ x = 1; inherit x; }",
            "{ inherit (s) x; inherit x; }",
            "{ inherit (s) x y; z = 1; }",
            "{ \"a\" = 1; a = 2; }",
            "{ ${\"a\"} = 1; a = 2; }",
            "{ a.\"b\" = 1; a.b = 2; }",
            "let a = 1; b = 2; a = 3; in a",
            "{ a, b ? 1, a }: 1",
            "{ a, b ? { c = 1; c = 2; } }@b: 1",
            "{ services.nginx.enable = true; services.nginx.virtualHosts.x = { }; services.nginx = { }; }",
            "{ boot.loader = { grub.enable = true; }; boot.loader.grub.device = \"x\"; }",
            "{ ab = 1; a.b = 2; a = 3; }",
            "{ a.or = 1; a.or = 2; }",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.extend(crate::syntax::nix_files_under(&["tests/fixtures", "examples"]));
        let mut with_errors = 0;
        for text in &texts {
            let root = rnix::Root::parse(text).syntax();
            let all = super::check_every_set(&root, text);
            with_errors += usize::from(!all.is_empty());
            assert_eq!(super::check(&root, text), all, "{text}");
        }
        assert!(texts.len() > 60 && with_errors >= 12, "{} texts, {with_errors} with errors", texts.len());
    }

    #[test]
    fn rejects_what_nix_rejects() {
        for bad in [
            "{ a = 1; a = 2; }",
            "{ a.b = 1; a.b = 2; }",
            "{ a = 1; a.b = 2; }",
            "{ a.b.c = 1; a = { b.d = 2; }; }",
            "{ a = { b = 1; }; a.b.c = 2; }",
            "{ x = 1; inherit x; }",
            "let a = 1; a = 2; in a",
            "{ \"a\" = 1; a = 2; }",
            "{ a, a }: 1",
            "{ a, ... }@a: 1",
        ] {
            let e = errors(bad);
            assert_eq!(e.len(), 1, "{bad}: {e:?}");
            assert!(
                e[0].contains("already defined at line 1") || e[0].contains("duplicate function argument"),
                "{bad}: {e:?}"
            );
        }
    }
}
