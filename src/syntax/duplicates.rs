//! Duplicate attributes, checked the way Nix's parser does: rnix accepts
//! `{ a = 1; a = 2; }`, Nix answers "attribute 'a' already defined". A fix
//! must never produce such a file, so the syntax layer reports them as
//! syntax errors.
//!
//! Nix's rule: a dotted key descends into an existing attribute set
//! (implicit or literal); a binding whose last key already exists is
//! allowed only when both values are attribute sets, and then the new set's
//! own attributes (one level) must all be new.

use super::value::attr_name;
use super::{span_of, SyntaxError};
use crate::text::{LineIndex, Span};
use rnix::ast::{self, HasEntry};
use rnix::{SyntaxKind, SyntaxNode};
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

pub fn check(root: &SyntaxNode, text: &str) -> Vec<SyntaxError> {
    let mut errors = vec![];
    let mut index = None;
    for node in root.descendants() {
        if node.kind() == SyntaxKind::NODE_PATTERN {
            if let Some(p) = ast::Pattern::cast(node) {
                duplicate_formals(&p, &mut errors);
            }
            continue;
        }
        if !matches!(node.kind(), SyntaxKind::NODE_ATTR_SET | SyntaxKind::NODE_LET_IN) {
            continue;
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
    errors
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
