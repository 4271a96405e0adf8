//! Guards against input that would overflow the stack.
//!
//! rnix's parser recurses for brackets, prefix operators and right-
//! associative operators without a bound for some of them, and rowan frees
//! trees recursively. `Nesting` bounds the parser's recursion over the token
//! stream (rnix is also quadratic in nesting depth: 30 thousand nested lists
//! take minutes), and the tree check bounds the depth of a built tree
//! (left-associative chains such as `a + a + ...` nest without brackets).
//!
//! A large file is counted from its tokens before rnix parses it. A small
//! one (at most `SMALL_INPUT` bytes) cannot nest deep enough to hurt the
//! parser, so it is parsed first and counted from its tree's tokens, which
//! are the same tokens in the same order: the file is tokenized once.

use super::green::Element;
use super::{SyntaxError, MAX_NESTING};
use crate::text::Span;
use rnix::{SyntaxKind, SyntaxKind::*};

/// The deepest tree the other syntax modules walk.
pub const MAX_TREE_DEPTH: usize = 3 * MAX_NESTING;

/// Files up to this size are parsed before their nesting is counted. rnix
/// recurses at most once per byte outside its own 512-level limit, with
/// frames under 600 bytes even in debug builds (and ~2.3 KiB a level inside
/// that limit): a file this size needs under 4 MiB of stack at worst, well
/// within `PARSE_STACK`, and the worst of it parses in about 0.1 s (8 KiB
/// would take 0.5 s: rnix is quadratic in depth).
pub const SMALL_INPUT: usize = 4 << 10;

/// The stack rnix's recursion may use on input the guard accepted, with a
/// wide margin (debug builds use several times more per level).
pub const PARSE_STACK: usize = 16 << 20;

/// The guard's count: each open bracket counts one level, and so does each
/// operator and each function argument until its bracket level ends or a
/// `;`/`,` separates bindings. List items are not arguments.
struct Nesting {
    levels: Vec<Level>,
    total: usize,
    prev_ends_atom: bool,
}

struct Level {
    chain: usize,
    list: bool,
}

impl Nesting {
    fn new() -> Self {
        Nesting { levels: vec![Level { chain: 0, list: false }], total: 0, prev_ends_atom: false }
    }

    /// Count one token (trivia included); true once the count is over
    /// `MAX_NESTING`.
    fn over(&mut self, kind: SyntaxKind) -> bool {
        if matches!(kind, TOKEN_WHITESPACE | TOKEN_COMMENT) {
            return false;
        }
        let in_list = self.levels.last().is_some_and(|l| l.list);
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
        let is_argument = starts_atom && self.prev_ends_atom && !in_list;
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
            if let Some(top) = self.levels.last_mut() {
                top.chain += 1;
                self.total += 1;
            }
        }
        match kind {
            TOKEN_L_PAREN | TOKEN_L_BRACK | TOKEN_L_BRACE | TOKEN_INTERPOL_START | TOKEN_LET => {
                self.levels.push(Level { chain: 0, list: kind == TOKEN_L_BRACK });
                self.total += 1;
            }
            TOKEN_R_PAREN | TOKEN_R_BRACK | TOKEN_R_BRACE | TOKEN_INTERPOL_END | TOKEN_IN if self.levels.len() > 1 => {
                if let Some(level) = self.levels.pop() {
                    self.total -= 1 + level.chain;
                }
            }
            TOKEN_SEMICOLON | TOKEN_COMMA => {
                if let Some(top) = self.levels.last_mut() {
                    self.total -= top.chain;
                    top.chain = 0;
                }
            }
            _ => {}
        }
        self.prev_ends_atom = matches!(
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
        self.total > MAX_NESTING
    }
}

/// `Some(error)` when parsing `text` could nest more than `MAX_NESTING`
/// levels, counted over rnix's tokens before parsing.
pub fn nesting_guard(text: &str) -> Option<SyntaxError> {
    let mut nesting = Nesting::new();
    let mut offset = 0usize;
    for (kind, tok) in rnix::tokenize(text) {
        let start = offset;
        offset += tok.len();
        if nesting.over(kind) {
            return Some(too_deep(Span::new(start, offset)));
        }
    }
    None
}

/// The first node nested deeper than `MAX_TREE_DEPTH`, if any; and with
/// `count_nesting`, first the error `nesting_guard` would have given the
/// text, counted over the tree's tokens (for a small file parsed before it
/// was counted). Walks the green tree without recursion and without
/// allocating cursors.
#[cfg(test)]
pub fn tree_check(root: &rnix::SyntaxNode, count_nesting: bool) -> Option<SyntaxError> {
    let mut check = TreeCheck::new(count_nesting);
    super::green::Preorder::new(root).take_while(|e| check.element(e)).for_each(drop);
    check.finish()
}

/// `tree_check` fed one element at a time, by the file's one walk.
pub struct TreeCheck {
    nesting: Option<Nesting>,
    too_deep_node: Option<SyntaxError>,
    too_many: Option<SyntaxError>,
}

impl TreeCheck {
    pub fn new(count_nesting: bool) -> Self {
        TreeCheck { nesting: count_nesting.then(Nesting::new), too_deep_node: None, too_many: None }
    }

    /// Look at the next element; false once the answer is known (the walk
    /// may stop).
    pub fn element(&mut self, element: &Element) -> bool {
        match *element {
            Element::Token(token) => {
                if let Some(nesting) = &mut self.nesting {
                    if nesting.over(token_kind(token.kind(), token.text())) {
                        self.too_many = Some(too_deep(token.span()));
                        return false;
                    }
                }
            }
            Element::Node { node, depth } => {
                if depth >= MAX_TREE_DEPTH && self.too_deep_node.is_none() {
                    // Refused either way. Without the token count this is
                    // the answer; with it, the walk goes on (on its own
                    // stack), because a count over the limit was the first
                    // error and is the one given.
                    self.too_deep_node = Some(too_deep(node.span()));
                    return self.nesting.is_some();
                }
            }
        }
        true
    }

    /// The error, if the tree is refused.
    pub fn finish(self) -> Option<SyntaxError> {
        self.too_many.or(self.too_deep_node)
    }
}

/// The kind the tokenizer gave a token the parser renamed: `or` used as a
/// name, and `__curPos`.
fn token_kind(kind: SyntaxKind, text: &str) -> SyntaxKind {
    match kind {
        TOKEN_IDENT if text == "or" => TOKEN_OR,
        TOKEN_CUR_POS => TOKEN_IDENT,
        kind => kind,
    }
}

fn too_deep(span: Span) -> SyntaxError {
    let span = Span::new(span.start, span.start.max(span.end.min(span.start + 1)));
    SyntaxError { span, message: format!("expression nested too deeply (nixvm reads at most {MAX_NESTING} levels)") }
}
