//! Guards against input that would overflow the stack.
//!
//! rnix's parser recurses for brackets, prefix operators and right-
//! associative operators without a bound for some of them, and rowan frees
//! trees recursively. `nesting_guard` bounds the parser's recursion from the
//! token stream before parsing (rnix is also quadratic in nesting depth: 30
//! thousand nested lists take minutes); `tree_too_deep` bounds the depth of
//! a built tree (left-associative chains such as `a + a + ...` nest without
//! brackets).

use super::{SyntaxError, MAX_NESTING};
use crate::text::Span;
use rnix::{NodeOrToken, SyntaxKind::*, SyntaxNode};

/// The deepest tree the other syntax modules walk.
pub const MAX_TREE_DEPTH: usize = 3 * MAX_NESTING;

/// `Some(error)` when parsing `text` could nest more than `MAX_NESTING`
/// levels: each open bracket counts one level, and so does each operator
/// and each function argument until its bracket level ends or a `;`/`,`
/// separates bindings. List items are not arguments.
pub fn nesting_guard(text: &str) -> Option<SyntaxError> {
    struct Level {
        chain: usize,
        list: bool,
    }
    let mut levels = vec![Level { chain: 0, list: false }];
    let mut total = 0usize;
    let mut offset = 0usize;
    let mut prev_ends_atom = false;
    for (kind, tok) in rnix::tokenize(text) {
        let start = offset;
        offset += tok.len();
        if matches!(kind, TOKEN_WHITESPACE | TOKEN_COMMENT) {
            continue;
        }
        let in_list = levels.last().is_some_and(|l| l.list);
        let starts_atom = matches!(
            kind,
            TOKEN_IDENT
                | TOKEN_INTEGER
                | TOKEN_FLOAT
                | TOKEN_URI
                | TOKEN_STRING_START
                | TOKEN_PATH_ABS
                | TOKEN_PATH_REL
                | TOKEN_PATH_HOME
                | TOKEN_PATH_SEARCH
                | TOKEN_L_PAREN
                | TOKEN_L_BRACE
                | TOKEN_L_BRACK
                | TOKEN_REC
                | TOKEN_LET
        );
        let is_argument = starts_atom && prev_ends_atom && !in_list;
        let is_operator = matches!(
            kind,
            TOKEN_ADD
                | TOKEN_SUB
                | TOKEN_MUL
                | TOKEN_DIV
                | TOKEN_CONCAT
                | TOKEN_UPDATE
                | TOKEN_AND_AND
                | TOKEN_OR_OR
                | TOKEN_IMPLICATION
                | TOKEN_EQUAL
                | TOKEN_NOT_EQUAL
                | TOKEN_LESS
                | TOKEN_LESS_OR_EQ
                | TOKEN_MORE
                | TOKEN_MORE_OR_EQ
                | TOKEN_INVERT
                | TOKEN_QUESTION
                | TOKEN_PIPE_LEFT
                | TOKEN_PIPE_RIGHT
                | TOKEN_COLON
                | TOKEN_IF
                | TOKEN_WITH
                | TOKEN_ASSERT
        ) || (kind == TOKEN_DOT && !in_list); // `a.b.c...` keys nest sets; list items are flat
        if is_argument || is_operator {
            if let Some(top) = levels.last_mut() {
                top.chain += 1;
                total += 1;
            }
        }
        match kind {
            TOKEN_L_PAREN | TOKEN_L_BRACK | TOKEN_L_BRACE | TOKEN_INTERPOL_START | TOKEN_LET => {
                levels.push(Level { chain: 0, list: kind == TOKEN_L_BRACK });
                total += 1;
            }
            TOKEN_R_PAREN | TOKEN_R_BRACK | TOKEN_R_BRACE | TOKEN_INTERPOL_END | TOKEN_IN if levels.len() > 1 => {
                if let Some(level) = levels.pop() {
                    total -= 1 + level.chain;
                }
            }
            TOKEN_SEMICOLON | TOKEN_COMMA => {
                if let Some(top) = levels.last_mut() {
                    total -= top.chain;
                    top.chain = 0;
                }
            }
            _ => {}
        }
        prev_ends_atom = matches!(
            kind,
            TOKEN_IDENT
                | TOKEN_INTEGER
                | TOKEN_FLOAT
                | TOKEN_URI
                | TOKEN_STRING_END
                | TOKEN_PATH_ABS
                | TOKEN_PATH_REL
                | TOKEN_PATH_HOME
                | TOKEN_PATH_SEARCH
                | TOKEN_R_PAREN
                | TOKEN_R_BRACE
                | TOKEN_R_BRACK
        );
        if total > MAX_NESTING {
            return Some(too_deep(Span::new(start, offset)));
        }
    }
    None
}

/// The first node nested deeper than `MAX_TREE_DEPTH`, if any. Walks the
/// green tree without recursion and without allocating cursors.
pub fn tree_too_deep(root: &SyntaxNode) -> Option<SyntaxError> {
    let mut stack = vec![(root.green().children(), usize::from(root.text_range().start()))];
    while let Some((children, offset)) = stack.last_mut() {
        match children.next() {
            None => {
                stack.pop();
            }
            Some(NodeOrToken::Token(t)) => *offset += usize::from(t.text_len()),
            Some(NodeOrToken::Node(n)) => {
                let at = *offset;
                let len = usize::from(n.text_len());
                *offset += len;
                if stack.len() >= MAX_TREE_DEPTH {
                    return Some(too_deep(Span::new(at, at + len)));
                }
                stack.push((n.children(), at));
            }
        }
    }
    None
}

/// The stack rnix's recursion may use on input the guard accepted, with a
/// wide margin (debug builds use several times more per level).
pub const PARSE_STACK: usize = 16 << 20;

fn too_deep(span: Span) -> SyntaxError {
    let span = Span::new(span.start, span.start.max(span.end.min(span.start + 1)));
    SyntaxError { span, message: format!("expression nested too deeply (nixvm reads at most {MAX_NESTING} levels)") }
}
