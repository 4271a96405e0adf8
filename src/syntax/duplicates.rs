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
use rnix::SyntaxNode;
use rowan::ast::AstNode;
use std::collections::BTreeMap;

enum Slot {
    Leaf(Span),
    Set(Span, BTreeMap<String, Slot>),
}

impl Slot {
    fn span(&self) -> Span {
        match self {
            Slot::Leaf(s) | Slot::Set(s, _) => *s,
        }
    }
}

struct Checker<'a> {
    text: &'a str,
    index: LineIndex,
    errors: Vec<SyntaxError>,
}

pub fn check(root: &SyntaxNode, text: &str) -> Vec<SyntaxError> {
    let mut c = Checker { text, index: LineIndex::new(text), errors: vec![] };
    for node in root.descendants() {
        if let Some(set) = ast::AttrSet::cast(node.clone()) {
            c.bindings(&set, true);
        } else if let Some(l) = ast::LetIn::cast(node) {
            c.bindings(&l, true);
        }
    }
    c.errors
}

impl Checker<'_> {
    /// The attribute tree `entries` define; duplicates are reported when
    /// `report` (a nested literal is reported when it is visited itself).
    fn bindings(&mut self, entries: &impl HasEntry, report: bool) -> BTreeMap<String, Slot> {
        let mut tree = BTreeMap::new();
        for entry in entries.entries() {
            match entry {
                ast::Entry::Inherit(inh) => {
                    for attr in inh.attrs() {
                        let Some(name) = attr_name(&attr) else { continue };
                        let span = span_of(attr.syntax());
                        self.insert(&mut tree, name, Slot::Leaf(span), span, report);
                    }
                }
                ast::Entry::AttrpathValue(av) => {
                    let Some(path) = av.attrpath() else { continue };
                    let attrs: Vec<(Option<String>, Span)> =
                        path.attrs().map(|a| (attr_name(&a), span_of(a.syntax()))).collect();
                    if attrs.is_empty() || attrs.iter().any(|(n, _)| n.is_none()) {
                        continue; // dynamic keys are checked when Nix evaluates
                    }
                    let value = match av.value() {
                        Some(ast::Expr::AttrSet(set)) if set.rec_token().is_none() => {
                            Slot::Set(span_of(set.syntax()), self.bindings(&set, false))
                        }
                        Some(v) => Slot::Leaf(span_of(v.syntax())),
                        None => continue,
                    };
                    self.insert_path(&mut tree, &attrs, value, report);
                }
            }
        }
        tree
    }

    fn insert_path(
        &mut self,
        tree: &mut BTreeMap<String, Slot>,
        attrs: &[(Option<String>, Span)],
        value: Slot,
        report: bool,
    ) {
        let mut cur = tree;
        let (last, prefix) = attrs.split_last().expect("non-empty attrpath");
        for (name, span) in prefix {
            let name = name.clone().unwrap_or_default();
            let slot = cur.entry(name.clone()).or_insert_with(|| Slot::Set(*span, BTreeMap::new()));
            match slot {
                Slot::Set(_, children) => cur = children,
                Slot::Leaf(first) => {
                    let first = *first;
                    self.duplicate(&name, *span, first, report);
                    return;
                }
            }
        }
        let name = last.0.clone().unwrap_or_default();
        self.insert(cur, name, value, last.1, report);
    }

    fn insert(&mut self, tree: &mut BTreeMap<String, Slot>, name: String, value: Slot, at: Span, report: bool) {
        match tree.get_mut(&name) {
            None => {
                tree.insert(name, value);
            }
            Some(Slot::Set(_, existing)) => match value {
                Slot::Set(_, new) => {
                    for (k, v) in new {
                        match existing.get(&k) {
                            Some(first) => {
                                let first = first.span();
                                self.duplicate(&k, v.span(), first, report);
                            }
                            None => {
                                existing.insert(k, v);
                            }
                        }
                    }
                }
                Slot::Leaf(_) => {
                    let first = tree[&name].span();
                    self.duplicate(&name, at, first, report);
                }
            },
            Some(Slot::Leaf(first)) => {
                let first = *first;
                self.duplicate(&name, at, first, report);
            }
        }
    }

    fn duplicate(&mut self, name: &str, at: Span, first: Span, report: bool) {
        if !report {
            return;
        }
        let p = self.index.position(self.text, first.start);
        self.errors.push(SyntaxError {
            span: at,
            message: format!("attribute `{name}` is already defined at line {}, column {}", p.line, p.column),
        });
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
            "{ v = { x.y = 1; x.z = 2; }; }",
            "let a.b = 1; a.c = 2; in a",
            "{ ${x} = 1; ${x} = 2; }",
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
            "{ x = 1; inherit x; }",
            "let a = 1; a = 2; in a",
            "{ \"a\" = 1; a = 2; }",
        ] {
            let e = errors(bad);
            assert_eq!(e.len(), 1, "{bad}: {e:?}");
            assert!(e[0].contains("already defined at line 1"), "{bad}: {e:?}");
        }
    }
}
