//! Static values of expressions: literals, strings without interpolation,
//! attribute names, and the source text of everything else.

use super::green::Node;
use super::model::Value;
use rnix::ast;
use rnix::{NodeOrToken, SyntaxKind::*};
use rowan::ast::AstNode;

/// Peel parentheses.
pub fn unparen(mut expr: ast::Expr) -> ast::Expr {
    while let ast::Expr::Paren(p) = &expr {
        match p.expr() {
            Some(inner) => expr = inner,
            None => break,
        }
    }
    expr
}

/// The source text of a node, with whitespace runs folded for messages.
pub fn text_of(node: Node) -> String {
    let text = node.text();
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim().to_string()
}

/// The value of a string node when it has no interpolation; `None` for
/// any other node.
pub fn static_string(s: Node) -> Option<String> {
    if s.kind() != NODE_STRING {
        return None;
    }
    let open = match s.elements().next()? {
        NodeOrToken::Token(t) => t,
        NodeOrToken::Node(_) => return None,
    };
    if s.children().next().is_some() {
        return None; // interpolation
    }
    let body: String = s.tokens().filter(|t| t.kind() == TOKEN_STRING_CONTENT).map(|t| t.text()).collect();
    if open.text() == "''" {
        Some(indented_string_value(&body))
    } else {
        Some(crate::nixstr::unescape_double_quoted(&body))
    }
}

/// The value of an indented string body without interpolation: common
/// indentation stripped, a first line of spaces dropped, escapes applied.
fn indented_string_value(body: &str) -> String {
    let lines: Vec<&str> = body.split('\n').collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        if i == 0 && l.chars().all(|c| c == ' ') && lines.len() > 1 {
            continue;
        }
        let cut = l.len().min(indent).min(l.len() - l.trim_start_matches(' ').len());
        out.push(&l[cut..]);
    }
    out.join("\n").replace("''$", "$").replace("'''", "''").replace("''\\n", "\n").replace("''\\t", "\t")
}

/// The name of an attribute key when it is static.
pub fn attr_name(attr: &ast::Attr) -> Option<String> {
    static_name(Node::of(attr.syntax()))
}

/// The name of an attribute key node (a name, a string, `${ }`) when it is
/// static.
pub fn static_name(attr: Node) -> Option<String> {
    match attr.kind() {
        NODE_IDENT => attr.token(TOKEN_IDENT).map(|t| t.text().to_string()),
        NODE_STRING => static_string(attr),
        NODE_DYNAMIC => match attr.expr(0).map(Node::unparen) {
            Some(s) if s.kind() == NODE_STRING => static_string(s),
            _ => None,
        },
        _ => None,
    }
}

/// Scope lookups the value extractor needs: the literal value of a
/// variable, if known.
pub trait VarLookup {
    fn literal(&self, name: &str) -> Option<Value>;
}

/// The static value of `expr`, or `Value::Expr` with its text.
pub fn value_of(expr: Node, vars: &dyn VarLookup) -> Value {
    value_at_depth(expr, vars, 0)
}

fn value_at_depth(expr: Node, vars: &dyn VarLookup, depth: usize) -> Value {
    let other = || Value::Expr(text_of(expr));
    if depth > 64 {
        return other();
    }
    match expr.kind() {
        NODE_PAREN => expr.expr(0).map(|e| value_at_depth(e, vars, depth + 1)).unwrap_or_else(other),
        NODE_IDENT => {
            let Some(name) = expr.token(TOKEN_IDENT) else { return other() };
            if let Some(v) = vars.literal(name.text()) {
                return v;
            }
            match name.text() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ => other(),
            }
        }
        NODE_LITERAL => literal_token(expr).unwrap_or_else(other),
        NODE_STRING => {
            static_string(expr).or_else(|| interpolated(expr, vars, depth)).map(Value::Str).unwrap_or_else(other)
        }
        NODE_PATH_ABS | NODE_PATH_REL | NODE_PATH_HOME | NODE_PATH_SEARCH => {
            if expr.children().next().is_some() {
                other()
            } else {
                Value::Path(expr.text())
            }
        }
        NODE_LIST => Value::List(expr.exprs().map(|e| value_at_depth(e, vars, depth + 1)).collect()),
        NODE_ATTR_SET => Value::AttrSet,
        NODE_UNARY_OP if expr.unary_op() == Some(ast::UnaryOpKind::Negate) => {
            match expr.expr(0).map(|e| value_at_depth(e, vars, depth + 1)) {
                Some(Value::Int(i)) => Value::Int(-i),
                Some(Value::Float(f)) => Value::Float(-f),
                _ => other(),
            }
        }
        _ => other(),
    }
}

/// A double-quoted string whose every interpolation is a known string
/// (`"${iface}-vlan"` with `iface` bound to a literal).
fn interpolated(s: Node, vars: &dyn VarLookup, depth: usize) -> Option<String> {
    if s.first_token()?.text() != "\"" {
        return None;
    }
    let mut out = String::new();
    for part in s.elements() {
        match part {
            NodeOrToken::Token(t) if t.kind() == TOKEN_STRING_CONTENT => {
                out.push_str(&crate::nixstr::unescape_double_quoted(t.text()))
            }
            NodeOrToken::Token(_) => {}
            NodeOrToken::Node(i) => match value_at_depth(i.expr(0)?, vars, depth + 1) {
                Value::Str(v) => out.push_str(&v),
                _ => return None,
            },
        }
    }
    Some(out)
}

fn literal_token(node: Node) -> Option<Value> {
    let tok = node.first_token()?;
    match tok.kind() {
        TOKEN_INTEGER => tok.text().parse().ok().map(Value::Int),
        TOKEN_FLOAT => tok.text().parse().ok().map(Value::Float),
        TOKEN_URI => Some(Value::Str(tok.text().to_string())),
        _ => None,
    }
}

/// Whether `expr` can stand as a function argument without parentheses.
pub fn is_atomic(expr: Node) -> bool {
    match expr.kind() {
        NODE_SELECT => expr.token(TOKEN_OR).is_none(),
        NODE_IDENT | NODE_LITERAL | NODE_STRING | NODE_PATH_ABS | NODE_PATH_REL | NODE_PATH_HOME | NODE_PATH_SEARCH
        | NODE_LIST | NODE_ATTR_SET | NODE_PAREN => true,
        _ => false,
    }
}

/// The bindings of a `let` or attribute set: `(name, value)` for single-key
/// bindings.
pub fn simple_bindings(entries: Node<'_>) -> Vec<(String, Node<'_>)> {
    entries
        .children()
        .filter(|c| c.kind() == NODE_ATTRPATH_VALUE)
        .filter_map(|av| {
            let mut attrs = av.child(NODE_ATTRPATH)?.attrs();
            let first = attrs.next()?;
            if attrs.next().is_some() {
                return None;
            }
            Some((static_name(first)?, av.expr(0)?))
        })
        .collect()
}
