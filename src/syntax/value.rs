//! Static values of expressions: literals, strings without interpolation,
//! attribute names, and the source text of everything else.

use super::model::Value;
use rnix::ast::{self, HasEntry};
use rnix::{SyntaxKind, SyntaxKind::*, SyntaxNode};
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
pub fn text_of(node: &SyntaxNode) -> String {
    let text = super::green::text(node);
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

/// The value of a string node when it has no interpolation.
pub fn static_string(s: &ast::Str) -> Option<String> {
    let node = s.syntax();
    let mut tokens = node.children_with_tokens();
    let open = tokens.next()?.into_token()?;
    if node.children().next().is_some() {
        return None; // interpolation
    }
    let body: String = node
        .children_with_tokens()
        .filter_map(|t| t.into_token())
        .filter(|t| t.kind() == TOKEN_STRING_CONTENT)
        .map(|t| t.text().to_string())
        .collect();
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
    match attr {
        ast::Attr::Ident(i) => i.ident_token().map(|t| t.text().to_string()),
        ast::Attr::Str(s) => static_string(s),
        ast::Attr::Dynamic(d) => match d.expr().map(unparen) {
            Some(ast::Expr::Str(s)) => static_string(&s),
            _ => None,
        },
    }
}

/// Scope lookups the value extractor needs: the literal value of a
/// variable, if known.
pub trait VarLookup {
    fn literal(&self, name: &str) -> Option<Value>;
}

/// The static value of `expr`, or `Value::Expr` with its text.
pub fn value_of(expr: &ast::Expr, vars: &dyn VarLookup) -> Value {
    value_at_depth(expr, vars, 0)
}

fn value_at_depth(expr: &ast::Expr, vars: &dyn VarLookup, depth: usize) -> Value {
    let other = || Value::Expr(text_of(expr.syntax()));
    if depth > 64 {
        return other();
    }
    match expr {
        ast::Expr::Paren(p) => p.expr().map(|e| value_at_depth(&e, vars, depth + 1)).unwrap_or_else(other),
        ast::Expr::Ident(i) => {
            let Some(name) = i.ident_token() else { return other() };
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
        ast::Expr::Literal(l) => literal_token(l.syntax()).unwrap_or_else(other),
        ast::Expr::Str(s) => {
            static_string(s).or_else(|| interpolated(s, vars, depth)).map(Value::Str).unwrap_or_else(other)
        }
        ast::Expr::PathAbs(_) | ast::Expr::PathRel(_) | ast::Expr::PathHome(_) | ast::Expr::PathSearch(_) => {
            if expr.syntax().children().next().is_some() {
                other()
            } else {
                Value::Path(super::green::text(expr.syntax()))
            }
        }
        ast::Expr::List(l) => Value::List(l.items().map(|e| value_at_depth(&e, vars, depth + 1)).collect()),
        ast::Expr::AttrSet(_) => Value::AttrSet,
        ast::Expr::UnaryOp(u) if u.operator() == Some(ast::UnaryOpKind::Negate) => {
            match u.expr().map(|e| value_at_depth(&e, vars, depth + 1)) {
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
fn interpolated(s: &ast::Str, vars: &dyn VarLookup, depth: usize) -> Option<String> {
    if s.syntax().first_token()?.text() != "\"" {
        return None;
    }
    let mut out = String::new();
    for part in s.parts() {
        match part {
            ast::InterpolPart::Literal(content) => {
                out.push_str(&crate::nixstr::unescape_double_quoted(rnix::ast::AstToken::syntax(&content).text()))
            }
            ast::InterpolPart::Interpolation(i) => match value_at_depth(&i.expr()?, vars, depth + 1) {
                Value::Str(v) => out.push_str(&v),
                _ => return None,
            },
        }
    }
    Some(out)
}

fn literal_token(node: &SyntaxNode) -> Option<Value> {
    let tok = node.first_token()?;
    let kind: SyntaxKind = tok.kind();
    match kind {
        TOKEN_INTEGER => tok.text().parse().ok().map(Value::Int),
        TOKEN_FLOAT => tok.text().parse().ok().map(Value::Float),
        TOKEN_URI => Some(Value::Str(tok.text().to_string())),
        _ => None,
    }
}

/// Whether `expr` can stand as a function argument without parentheses.
pub fn is_atomic(expr: &ast::Expr) -> bool {
    match expr {
        ast::Expr::Select(s) => s.or_token().is_none(),
        ast::Expr::Ident(_)
        | ast::Expr::Literal(_)
        | ast::Expr::Str(_)
        | ast::Expr::PathAbs(_)
        | ast::Expr::PathRel(_)
        | ast::Expr::PathHome(_)
        | ast::Expr::PathSearch(_)
        | ast::Expr::List(_)
        | ast::Expr::AttrSet(_)
        | ast::Expr::Paren(_) => true,
        _ => false,
    }
}

/// The bindings of a `let` or attribute set: `(name, value)` for single-key
/// bindings.
pub fn simple_bindings(entries: &impl HasEntry) -> Vec<(String, ast::Expr)> {
    entries
        .attrpath_values()
        .filter_map(|av| {
            let mut attrs = av.attrpath()?.attrs();
            let first = attrs.next()?;
            if attrs.next().is_some() {
                return None;
            }
            Some((attr_name(&first)?, av.value()?))
        })
        .collect()
}
