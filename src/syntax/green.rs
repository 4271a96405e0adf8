//! Reading a tree's green nodes without cursors (no allocation per node),
//! for the passes that read every node of a file: walking them in source
//! order (depth and nesting, duplicate keys, path literals) and a typed
//! view of them for the option resolver.

use crate::text::Span;
use rnix::{NodeOrToken, SyntaxKind, SyntaxNode};
use rowan::{GreenNodeData, GreenTokenData, Language as _};

/// A node or token met by `Preorder`; a node with its depth (the root's
/// children are at depth 1).
pub enum Element<'g> {
    Node { node: Node<'g>, depth: usize },
    Token(Token<'g>),
}

/// Every node and token under a root, parents before children.
pub struct Preorder<'g> {
    stack: Vec<(rowan::Children<'g>, usize)>,
}

impl<'g> Preorder<'g> {
    pub fn new(root: &'g SyntaxNode) -> Self {
        Preorder { stack: vec![(root.green().children(), usize::from(root.text_range().start()))] }
    }
}

impl<'g> Iterator for Preorder<'g> {
    type Item = Element<'g>;

    fn next(&mut self) -> Option<Element<'g>> {
        loop {
            let depth = self.stack.len();
            let (children, offset) = self.stack.last_mut()?;
            let Some(child) = children.next() else {
                self.stack.pop();
                continue;
            };
            let at = *offset;
            *offset += usize::from(child.text_len());
            return Some(match child {
                NodeOrToken::Token(green) => Element::Token(Token { green, at }),
                NodeOrToken::Node(green) => {
                    self.stack.push((green.children(), at));
                    Element::Node { node: Node { green, at }, depth }
                }
            });
        }
    }
}

/// rnix's kind of a raw green kind.
fn kind(raw: rowan::SyntaxKind) -> SyntaxKind {
    rnix::NixLanguage::kind_from_raw(raw)
}

/// The source text of a green node, gathered from its tokens (a
/// cursor-free `node.text().to_string()`). A loop of its own, not
/// `Preorder`: it needs neither kinds nor offsets, and is called for most
/// values (measured: the lint bench 3% slower through `Preorder`).
fn green_text(green: &GreenNodeData) -> String {
    let mut out = String::with_capacity(usize::from(green.text_len()));
    let mut stack = vec![green.children()];
    while let Some(children) = stack.last_mut() {
        match children.next() {
            None => {
                stack.pop();
            }
            Some(NodeOrToken::Token(t)) => out.push_str(t.text()),
            Some(NodeOrToken::Node(n)) => stack.push(n.children()),
        }
    }
    out
}

/// A node of a green tree and where it starts: a cursor-free stand-in for
/// rnix's typed nodes, for the analysis that reads most of a file. Its
/// accessors answer as rnix's do (`expr(n)` is the n-th child expression,
/// as in rnix's `Apply::argument`, `IfElse::else_body` and the like; a
/// test compares them over every fixture).
#[derive(Clone, Copy)]
pub struct Node<'g> {
    green: &'g GreenNodeData,
    at: usize,
}

/// A token of a green tree and where it starts.
#[derive(Clone, Copy)]
pub struct Token<'g> {
    green: &'g GreenTokenData,
    at: usize,
}

impl<'g> Token<'g> {
    pub fn kind(self) -> SyntaxKind {
        kind(self.green.kind())
    }

    pub fn text(self) -> &'g str {
        self.green.text()
    }

    pub fn span(self) -> Span {
        Span::new(self.at, self.at + usize::from(self.green.text_len()))
    }
}

/// Where a child of a node stands.
pub fn span(element: NodeOrToken<Node, Token>) -> Span {
    match element {
        NodeOrToken::Node(n) => n.span(),
        NodeOrToken::Token(t) => t.span(),
    }
}

impl<'g> Node<'g> {
    pub fn of(node: &'g SyntaxNode) -> Self {
        Node { green: node.green(), at: usize::from(node.text_range().start()) }
    }

    pub fn kind(self) -> SyntaxKind {
        kind(self.green.kind())
    }

    pub fn span(self) -> Span {
        Span::new(self.at, self.at + usize::from(self.green.text_len()))
    }

    /// Its child nodes and tokens, in order.
    pub fn elements(self) -> impl Iterator<Item = NodeOrToken<Node<'g>, Token<'g>>> {
        let mut at = self.at;
        self.green.children().map(move |child| {
            let start = at;
            at += usize::from(child.text_len());
            match child {
                NodeOrToken::Node(green) => NodeOrToken::Node(Node { green, at: start }),
                NodeOrToken::Token(green) => NodeOrToken::Token(Token { green, at: start }),
            }
        })
    }

    /// Its child nodes.
    pub fn children(self) -> impl Iterator<Item = Node<'g>> {
        self.elements().filter_map(NodeOrToken::into_node)
    }

    /// Its child tokens.
    pub fn tokens(self) -> impl Iterator<Item = Token<'g>> {
        self.elements().filter_map(NodeOrToken::into_token)
    }

    /// Its first child node of `kind`.
    pub fn child(self, kind: SyntaxKind) -> Option<Node<'g>> {
        self.children().find(|c| c.kind() == kind)
    }

    /// Its first child token of `kind`.
    pub fn token(self, kind: SyntaxKind) -> Option<Token<'g>> {
        self.tokens().find(|t| t.kind() == kind)
    }

    /// Its child expressions.
    pub fn exprs(self) -> impl Iterator<Item = Node<'g>> {
        self.children().filter(|c| c.is_expr())
    }

    /// Its `n`-th child expression.
    pub fn expr(self, n: usize) -> Option<Node<'g>> {
        self.exprs().nth(n)
    }

    /// Whether it is an expression (what rnix's `Expr` casts from).
    pub fn is_expr(self) -> bool {
        <rnix::ast::Expr as rowan::ast::AstNode>::can_cast(self.kind())
    }

    /// Its attribute keys (a name, a string, `${ }`): those of an attribute
    /// path (`a.b."c"`) or of an `inherit`.
    pub fn attrs(self) -> impl Iterator<Item = Node<'g>> {
        self.children().filter(|c| <rnix::ast::Attr as rowan::ast::AstNode>::can_cast(c.kind()))
    }

    /// The operator of a binary operation (rnix's `BinOp::operator`).
    pub fn bin_op(self) -> Option<rnix::ast::BinOpKind> {
        self.tokens().find_map(|t| rnix::ast::BinOpKind::from_kind(t.kind()))
    }

    /// The operator of a unary operation (rnix's `UnaryOp::operator`).
    pub fn unary_op(self) -> Option<rnix::ast::UnaryOpKind> {
        self.tokens().find_map(|t| rnix::ast::UnaryOpKind::from_kind(t.kind()))
    }

    /// Its first token, however deep.
    pub fn first_token(self) -> Option<Token<'g>> {
        match self.elements().next()? {
            NodeOrToken::Token(t) => Some(t),
            NodeOrToken::Node(n) => n.first_token(),
        }
    }

    /// Whether a token of `kind` is in it, however deep.
    pub fn contains(self, kind: SyntaxKind) -> bool {
        self.elements().any(|e| match e {
            NodeOrToken::Token(t) => t.kind() == kind,
            NodeOrToken::Node(n) => n.contains(kind),
        })
    }

    /// The expression inside its parentheses, however many.
    pub fn unparen(self) -> Node<'g> {
        let mut node = self;
        while node.kind() == SyntaxKind::NODE_PAREN {
            match node.expr(0) {
                Some(inner) => node = inner,
                None => break,
            }
        }
        node
    }

    /// Its source text.
    pub fn text(self) -> String {
        green_text(self.green)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rnix::ast::{self, HasEntry};
    use rnix::SyntaxKind::*;
    use rowan::ast::AstNode;

    fn typed<N: AstNode<Language = rnix::NixLanguage>>(node: &SyntaxNode) -> N {
        N::cast(node.clone()).expect("a node of its own kind")
    }

    fn span_of(node: Option<impl AstNode<Language = rnix::NixLanguage>>) -> Option<Span> {
        node.map(|n| super::super::span_of(n.syntax()))
    }

    /// rnix's accessors that answer a node's `n`-th child expression: the
    /// node's kind, a name, `n`, and rnix's answer.
    type Theirs = fn(&SyntaxNode) -> Option<Span>;
    const EXPRESSIONS: &[(SyntaxKind, &str, usize, Theirs)] = &[
        (NODE_APPLY, "lambda", 0, |n| span_of(typed::<ast::Apply>(n).lambda())),
        (NODE_APPLY, "argument", 1, |n| span_of(typed::<ast::Apply>(n).argument())),
        (NODE_IF_ELSE, "condition", 0, |n| span_of(typed::<ast::IfElse>(n).condition())),
        (NODE_IF_ELSE, "body", 1, |n| span_of(typed::<ast::IfElse>(n).body())),
        (NODE_IF_ELSE, "else", 2, |n| span_of(typed::<ast::IfElse>(n).else_body())),
        (NODE_WITH, "namespace", 0, |n| span_of(typed::<ast::With>(n).namespace())),
        (NODE_WITH, "with body", 1, |n| span_of(typed::<ast::With>(n).body())),
        (NODE_LET_IN, "let body", 0, |n| span_of(typed::<ast::LetIn>(n).body())),
        (NODE_LAMBDA, "lambda body", 0, |n| span_of(typed::<ast::Lambda>(n).body())),
        (NODE_ATTRPATH_VALUE, "value", 0, |n| span_of(typed::<ast::AttrpathValue>(n).value())),
        (NODE_SELECT, "selected", 0, |n| span_of(typed::<ast::Select>(n).expr())),
        (NODE_PAREN, "inner", 0, |n| span_of(typed::<ast::Paren>(n).expr())),
        (NODE_BIN_OP, "lhs", 0, |n| span_of(typed::<ast::BinOp>(n).lhs())),
        (NODE_BIN_OP, "rhs", 1, |n| span_of(typed::<ast::BinOp>(n).rhs())),
        (NODE_UNARY_OP, "operand", 0, |n| span_of(typed::<ast::UnaryOp>(n).expr())),
        (NODE_DYNAMIC, "dynamic", 0, |n| span_of(typed::<ast::Dynamic>(n).expr())),
        (NODE_INTERPOL, "interpolated", 0, |n| span_of(typed::<ast::Interpol>(n).expr())),
    ];

    /// What the view reads from a node, next to what rnix's typed nodes
    /// read, accessor by accessor, for the accessors the option resolver
    /// relies on.
    fn readings(node: &SyntaxNode) -> Vec<(&'static str, Option<Span>, Option<Span>)> {
        let view = Node::of(node);
        let tok = |t: Option<rnix::SyntaxToken>| t.map(|t| super::super::token_span(&t));
        let mut out = vec![("span", Some(view.span()), Some(super::super::span_of(node)))];
        for &(_, name, n, theirs) in EXPRESSIONS.iter().filter(|e| e.0 == view.kind()) {
            out.push((name, view.expr(n).map(Node::span), theirs(node)));
        }
        match view.kind() {
            NODE_LAMBDA => {
                let l: ast::Lambda = typed(node);
                let ours = view.child(NODE_IDENT_PARAM).and_then(|p| p.child(NODE_IDENT)?.token(TOKEN_IDENT));
                let theirs = match l.param() {
                    Some(ast::Param::IdentParam(p)) => p.ident().and_then(|i| i.ident_token()),
                    _ => None,
                };
                out.push(("parameter", ours.map(Token::span), tok(theirs)));
            }
            NODE_ATTR_SET => {
                let set: ast::AttrSet = typed(node);
                out.push(("rec", view.token(TOKEN_REC).map(Token::span), tok(set.rec_token())));
            }
            NODE_ATTRPATH_VALUE => {
                let av: ast::AttrpathValue = typed(node);
                out.push(("attrpath", view.child(NODE_ATTRPATH).map(Node::span), span_of(av.attrpath())));
            }
            NODE_SELECT => {
                let s: ast::Select = typed(node);
                out.push(("select path", view.child(NODE_ATTRPATH).map(Node::span), span_of(s.attrpath())));
                out.push(("or", view.token(TOKEN_OR).map(Token::span), tok(s.or_token())));
            }
            NODE_INHERIT => {
                let i: ast::Inherit = typed(node);
                let from = view.child(NODE_INHERIT_FROM);
                out.push(("from", from.map(Node::span), span_of(i.from())));
                out.push((
                    "from expr",
                    from.and_then(|f| f.expr(0)).map(Node::span),
                    span_of(i.from().and_then(|f| f.expr())),
                ));
            }
            NODE_IDENT => {
                let i: ast::Ident = typed(node);
                out.push(("name", view.token(TOKEN_IDENT).map(Token::span), tok(i.ident_token())));
            }
            _ => {}
        }
        out.push(("first token", view.first_token().map(Token::span), tok(node.first_token())));
        let comment = |c: bool| c.then_some(view.span());
        out.push((
            "has a comment",
            comment(view.contains(TOKEN_COMMENT)),
            comment(node.descendants_with_tokens().any(|t| t.kind() == TOKEN_COMMENT)),
        ));
        out
    }

    /// The accessors `readings` compares besides `EXPRESSIONS`.
    const OTHERS: &[&str] = &[
        "parameter",
        "rec",
        "attrpath",
        "select path",
        "or",
        "from",
        "from expr",
        "name",
        "first token",
        "has a comment",
    ];

    #[test]
    fn the_view_reads_as_rnix_does() {
        let mut texts = crate::syntax::nix_files_under(&["tests/fixtures", "examples"]);
        texts.push("{ a = x.or; b = x.y or (z); c = - 1; d = !t; e = f (g) [ h ]; inherit (s) \"q\" ${r}; }".into());
        texts.push("let inherit (lib) mkIf; /* c */ a = 1; in with a; assert b; rec { x = ''${y}''; }".into());
        texts.push("map (n: if n then ./a + \"/${n}\" else n || m) [ \"a\" ]".into());
        let mut found = std::collections::BTreeSet::new();
        for text in &texts {
            let root = rnix::Root::parse(text).syntax();
            for node in root.descendants() {
                let view = Node::of(&node);
                assert_eq!(view.kind(), node.kind());
                assert_eq!(view.text(), node.text().to_string());
                let theirs: Vec<Span> = node.children().map(|c| super::super::span_of(&c)).collect();
                assert_eq!(view.children().map(Node::span).collect::<Vec<_>>(), theirs);
                for (what, ours, theirs) in readings(&node) {
                    assert_eq!(ours, theirs, "{what} of {:?} in {text}", node.kind());
                    if ours.is_some() {
                        found.insert(what);
                    }
                }
                let spans = |nodes: Vec<SyntaxNode>| nodes.iter().map(super::super::span_of).collect::<Vec<_>>();
                let (attrs, entries, operators) = match view.kind() {
                    NODE_ATTRPATH => (
                        Some(spans(typed::<ast::Attrpath>(&node).attrs().map(|a| a.syntax().clone()).collect())),
                        None,
                        None,
                    ),
                    NODE_INHERIT => (
                        Some(spans(typed::<ast::Inherit>(&node).attrs().map(|a| a.syntax().clone()).collect())),
                        None,
                        None,
                    ),
                    NODE_ATTR_SET => (
                        None,
                        Some(spans(typed::<ast::AttrSet>(&node).entries().map(|e| e.syntax().clone()).collect())),
                        None,
                    ),
                    NODE_LET_IN => (
                        None,
                        Some(spans(typed::<ast::LetIn>(&node).entries().map(|e| e.syntax().clone()).collect())),
                        None,
                    ),
                    NODE_BIN_OP => (None, None, Some(format!("{:?}", typed::<ast::BinOp>(&node).operator()))),
                    NODE_UNARY_OP => (None, None, Some(format!("{:?}", typed::<ast::UnaryOp>(&node).operator()))),
                    _ => (None, None, None),
                };
                if let Some(attrs) = attrs {
                    assert_eq!(view.attrs().map(Node::span).collect::<Vec<_>>(), attrs, "keys in {text}");
                }
                if let Some(entries) = entries {
                    let ours = view.children().filter(|c| matches!(c.kind(), NODE_ATTRPATH_VALUE | NODE_INHERIT));
                    assert_eq!(ours.map(Node::span).collect::<Vec<_>>(), entries, "entries in {text}");
                }
                if let Some(operator) = operators {
                    let ours = match view.kind() {
                        NODE_BIN_OP => format!("{:?}", view.bin_op()),
                        _ => format!("{:?}", view.unary_op()),
                    };
                    assert_eq!(ours, operator, "operator in {text}");
                }
            }
        }
        // Each compared where both sides find something at least once (an
        // accessor never exercised would pass whatever it read).
        let all = EXPRESSIONS.iter().map(|e| e.1).chain(OTHERS.iter().copied());
        let missing: Vec<_> = all.filter(|a| !found.contains(a)).collect();
        assert!(missing.is_empty(), "never exercised: {missing:?}");
    }
}
