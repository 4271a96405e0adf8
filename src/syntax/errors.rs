//! Syntax errors worded for people: the parser's first error (the rest
//! mostly follow from it, and Nix itself stops there), said as the mistake
//! a person made (a missing `;`, an unclosed bracket or string, a `let`
//! without `in`) and placed where the fix goes.

use super::SyntaxError;
use crate::text::{LineIndex, Span};
use rnix::{ParseError, SyntaxKind};
use SyntaxKind::*;

/// A token of the file, with where it is.
#[derive(Clone, Copy)]
struct Tok<'t> {
    kind: SyntaxKind,
    text: &'t str,
    start: usize,
}

impl Tok<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Something opened and not yet closed at a point of the file.
#[derive(Clone, Copy)]
struct Open {
    kind: SyntaxKind,
    start: usize,
}

/// The one error to report for a file whose parse gave `errors` (none:
/// none).
pub(super) fn first(text: &str, errors: &[ParseError]) -> Option<SyntaxError> {
    let err = errors.first()?;
    let file = File { text, tokens: tokens(text), lines: LineIndex::new(text) };
    Some(word(&file, err))
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut at = 0;
    rnix::tokenize(text)
        .map(|(kind, t)| {
            let tok = Tok { kind, text: t, start: at };
            at += t.len();
            tok
        })
        .filter(|t| !matches!(t.kind, TOKEN_WHITESPACE | TOKEN_COMMENT))
        .collect()
}

/// What is open just before `offset`, innermost last.
fn open_before(tokens: &[Tok], offset: usize) -> Vec<Open> {
    let mut stack: Vec<Open> = vec![];
    for t in tokens.iter().take_while(|t| t.start < offset) {
        match t.kind {
            TOKEN_L_BRACE | TOKEN_L_BRACK | TOKEN_L_PAREN | TOKEN_INTERPOL_START | TOKEN_LET => {
                stack.push(Open { kind: t.kind, start: t.start })
            }
            TOKEN_STRING_START => stack.push(Open { kind: t.kind, start: t.start }),
            TOKEN_STRING_END => pop(&mut stack, &[TOKEN_STRING_START]),
            TOKEN_IN => pop(&mut stack, &[TOKEN_LET]),
            TOKEN_R_BRACE => pop(&mut stack, &[TOKEN_L_BRACE]),
            TOKEN_INTERPOL_END => pop(&mut stack, &[TOKEN_INTERPOL_START]),
            TOKEN_R_BRACK => pop(&mut stack, &[TOKEN_L_BRACK]),
            TOKEN_R_PAREN => pop(&mut stack, &[TOKEN_L_PAREN]),
            _ => {}
        }
    }
    stack
}

/// Close the innermost of `kinds` (and whatever is open inside it).
fn pop(stack: &mut Vec<Open>, kinds: &[SyntaxKind]) {
    if let Some(i) = stack.iter().rposition(|o| kinds.contains(&o.kind)) {
        stack.truncate(i);
    }
}

/// What was opened, and what closes it.
fn opener(kind: SyntaxKind) -> (&'static str, &'static str) {
    match kind {
        TOKEN_L_BRACE => ("the `{`", "`}`"),
        TOKEN_L_BRACK => ("the list `[`", "`]`"),
        TOKEN_L_PAREN => ("the `(`", "`)`"),
        TOKEN_INTERPOL_START => ("the `${`", "`}`"),
        TOKEN_LET => ("the `let`", "`in`"),
        _ => ("the string", "its closing quote"),
    }
}

/// The file an error is in: its text, tokens and lines.
struct File<'t> {
    text: &'t str,
    tokens: Vec<Tok<'t>>,
    lines: LineIndex,
}

impl File<'_> {
    fn at(&self, offset: usize) -> String {
        let p = self.lines.position(self.text, offset);
        format!("line {}, column {}", p.line, p.column)
    }

    fn line(&self, offset: usize) -> usize {
        self.lines.position(self.text, offset).line
    }

    /// What is left open at `offset`, said with where it opened and what
    /// is missing `before` it.
    fn unclosed(&self, offset: usize, before: &str) -> Option<SyntaxError> {
        let open = *open_before(&self.tokens, offset).last()?;
        let (what, closer) = opener(open.kind);
        let message = if open.kind == TOKEN_STRING_START {
            format!("the string opened on {} is never closed", self.at(open.start))
        } else {
            format!("{what} opened on {} is not closed: {closer} is missing {before}", self.at(open.start))
        };
        Some(SyntaxError { span: Span::new(open.start, (open.start + 1).min(self.text.len())), message })
    }
}

fn word(file: &File, err: &ParseError) -> SyntaxError {
    let (text, tokens) = (file.text, &file.tokens);
    let range = |r: &rnix::TextRange| Span::new(r.start().into(), r.end().into());
    match err {
        ParseError::UnexpectedEOF | ParseError::UnexpectedEOFWanted(_) if tokens.is_empty() => SyntaxError {
            span: Span::empty(text.len()),
            message: "the file holds no expression (it is empty, or only comments): a Nix file is one expression"
                .into(),
        },
        ParseError::UnexpectedEOF | ParseError::UnexpectedEOFWanted(_) => {
            file.unclosed(text.len(), "before the end of the file").unwrap_or_else(|| SyntaxError {
                span: Span::empty(text.len()),
                message: "the file ends in the middle of an expression".into(),
            })
        }
        ParseError::UnexpectedWanted(got, r, wanted) => unexpected(file, *got, range(r), wanted),
        ParseError::Unexpected(r) => {
            let span = range(r);
            SyntaxError { span, message: format!("`{}` does not belong here", shown(text, span)) }
        }
        ParseError::UnexpectedExtra(r) => {
            let span = range(r);
            SyntaxError {
                span,
                message: format!(
                    "`{}` comes after the end of the file's expression: a file holds one expression (a stray closing bracket, or a second expression?)",
                    shown(text, span)
                ),
            }
        }
        ParseError::UnexpectedDoubleBind(r) => {
            SyntaxError { span: range(r), message: "the argument set is bound to a name twice".into() }
        }
        ParseError::DuplicatedArgs(r, name) => {
            SyntaxError { span: range(r), message: format!("the function takes the argument `{name}` twice") }
        }
        ParseError::RecursionLimitExceeded => {
            SyntaxError { span: Span::empty(0), message: "the expression is nested too deeply".into() }
        }
        other => SyntaxError { span: Span::empty(0), message: other.to_string() },
    }
}

/// What the parser met, at most a line of it.
fn shown(text: &str, span: Span) -> String {
    let s = text.get(span.start..span.end).unwrap_or("");
    let line = s.lines().next().unwrap_or("");
    if line.chars().count() > 40 {
        format!("{}...", line.chars().take(40).collect::<String>())
    } else {
        line.to_string()
    }
}

/// Whether the parser wanted a value here (what starts an expression).
fn wants_value(wanted: &[SyntaxKind]) -> bool {
    wanted.contains(&TOKEN_L_BRACK) && wanted.contains(&TOKEN_L_PAREN)
}

/// Whether the parser wanted an attribute name.
fn wants_name(wanted: &[SyntaxKind]) -> bool {
    wanted.contains(&TOKEN_IDENT) && wanted.contains(&TOKEN_OR) && !wants_value(wanted)
}

fn unexpected(file: &File, got: SyntaxKind, span: Span, wanted: &[SyntaxKind]) -> SyntaxError {
    let (text, tokens) = (file.text, &file.tokens);
    let found = shown(text, span);
    let index = tokens.iter().position(|t| t.start >= span.start).unwrap_or(tokens.len());
    // An unterminated string: the tokenizer gives up at its quote.
    if got == TOKEN_ERROR && found.starts_with('"') || found.starts_with("''") {
        return SyntaxError {
            span: Span::new(span.start, (span.start + 1).min(text.len())),
            message: format!("the string opened on {} is never closed", file.at(span.start)),
        };
    }
    let open = open_before(tokens, span.start);
    if open.last().is_some_and(|o| o.kind == TOKEN_STRING_START) {
        if let Some(e) = file.unclosed(span.start, "") {
            return e;
        }
    }
    if wanted == [TOKEN_COLON] {
        return SyntaxError {
            span: Span::empty(span.start),
            message: format!("a `:` is missing before `{found}`: a function's arguments end with `:`"),
        };
    }
    if got == TOKEN_COMMA {
        return SyntaxError {
            span,
            message: "a `,` here: Nix ends a binding with `;` and separates list items with spaces; commas only separate a function's arguments (`{ a, b }: ...`)".into(),
        };
    }
    if wanted == [TOKEN_SEMICOLON] {
        // `a = 1\n  b = 2;` reads as `a = 1 b` until the `=`: the `;`
        // belongs before the name that `=` follows.
        let next = if got == TOKEN_ASSIGN { start_of_name(tokens, index) } else { None }.unwrap_or(index);
        if let Some(prev) = next.checked_sub(1).map(|i| tokens[i]) {
            let next_start = tokens.get(next).map_or(text.len(), |t| t.start);
            let message = if text[prev.end()..next_start].contains('\n') {
                format!("a `;` is missing at the end of line {}", file.line(prev.end()))
            } else {
                format!(
                    "a `;` is missing before `{}`",
                    shown(text, Span::new(next_start, tokens.get(next).map_or(next_start, |t| t.end())))
                )
            };
            return SyntaxError { span: Span::empty(prev.end()), message };
        }
    }
    if let Some(let_) = open.last().filter(|o| o.kind == TOKEN_LET) {
        if wants_name(wanted) {
            return SyntaxError {
                span,
                message: format!(
                    "`{found}` after the bindings of the `let` on {}: `in` is missing before the expression they are for",
                    file.at(let_.start)
                ),
            };
        }
    }
    if wants_name(wanted) {
        let message = if got == TOKEN_SEMICOLON {
            "a `;` with no binding before it: expected an attribute name (`name = value;`)".to_string()
        } else {
            format!("expected an attribute name (`name = value;`), found `{found}`")
        };
        return SyntaxError { span, message };
    }
    if wants_value(wanted) {
        if matches!(got, TOKEN_R_BRACE | TOKEN_R_BRACK | TOKEN_R_PAREN | TOKEN_SEMICOLON) {
            // `[ 1 2 ;`: a value ended and the list goes on; after an
            // operator (`(1 + ;`) the value is what is missing.
            let after_value = index.checked_sub(1).is_some_and(|i| ends_value(tokens[i].kind));
            let in_brackets = open.last().is_some_and(|o| o.kind == TOKEN_L_BRACK || o.kind == TOKEN_L_PAREN);
            if let Some(e) =
                file.unclosed(span.start, &format!("before this `{found}`")).filter(|_| after_value && in_brackets)
            {
                return e;
            }
            return SyntaxError { span, message: format!("expected a value before `{found}`") };
        }
        return SyntaxError { span, message: format!("expected a value, found `{found}`") };
    }
    let expected = super::one_of(wanted);
    SyntaxError { span, message: format!("`{found}` does not belong here: expected {expected}") }
}

/// Whether a token of this kind can end a value.
fn ends_value(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        TOKEN_INTEGER
            | TOKEN_FLOAT
            | TOKEN_IDENT
            | TOKEN_STRING_END
            | TOKEN_R_BRACE
            | TOKEN_R_BRACK
            | TOKEN_R_PAREN
            | TOKEN_PATH_ABS
            | TOKEN_PATH_REL
            | TOKEN_PATH_HOME
            | TOKEN_PATH_SEARCH
            | TOKEN_URI
    )
}

/// The index of the first token of the attribute path that ends just
/// before `index` (`a.b."c".${d}`: names joined by dots), if there is one.
fn start_of_name(tokens: &[Tok], index: usize) -> Option<usize> {
    let mut i = index;
    loop {
        // One name, backwards: an identifier, a string, an interpolation.
        let (open, close) = match tokens.get(i.checked_sub(1)?)?.kind {
            TOKEN_IDENT | TOKEN_OR => {
                i -= 1;
                (None, None)
            }
            TOKEN_STRING_END => (Some(TOKEN_STRING_START), Some(TOKEN_STRING_END)),
            TOKEN_INTERPOL_END => (Some(TOKEN_INTERPOL_START), Some(TOKEN_INTERPOL_END)),
            _ => break,
        };
        if let (Some(open), Some(close)) = (open, close) {
            let mut depth = 0usize;
            loop {
                i = i.checked_sub(1)?;
                let kind = tokens[i].kind;
                if kind == close {
                    depth += 1;
                } else if kind == open {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
        }
        // Names are joined by dots; anything else ends the path.
        match i.checked_sub(1).map(|p| tokens[p].kind) {
            Some(TOKEN_DOT) => i -= 1,
            _ => break,
        }
    }
    (i < index).then_some(i)
}

#[cfg(test)]
mod tests {
    fn one(text: &str) -> (String, String) {
        let errors = super::super::syntax_errors(text);
        assert_eq!(errors.len(), 1, "{text}: {errors:?}");
        let e = &errors[0];
        (e.message.clone(), text[e.span.start..].chars().take(8).collect())
    }

    #[test]
    fn a_missing_semicolon_is_one_error_where_it_goes() {
        let (m, at) = one("{\n  networking.hostName = \"a\"\n  services.nginx.enable = true;\n}\n");
        assert_eq!(m, "a `;` is missing at the end of line 2");
        assert!(at.starts_with('\n'), "{at:?}");
        let (m, _) = one("{ a = 1 }");
        assert_eq!(m, "a `;` is missing before `}`");
        let (m, _) = one("{\n  a = \"x\"\n  \"b\".${c}.d = 1;\n}");
        assert_eq!(m, "a `;` is missing at the end of line 2");
    }

    #[test]
    fn what_is_left_open_is_named_with_where_it_opened() {
        let (m, at) = one("{ a = {\n  b = 1;\n");
        assert_eq!(m, "the `{` opened on line 1, column 7 is not closed: `}` is missing before the end of the file");
        assert_eq!(at, "{\n  b = ");
        let (m, _) = one("{ a = 1; b = [ 1 2 ; }");
        assert!(
            m.starts_with("the list `[` opened on line 1, column 14 is not closed: `]` is missing before this `;`"),
            "{m}"
        );
        let (m, _) = one("{ a = 1; b = \"x; }\n");
        assert_eq!(m, "the string opened on line 1, column 14 is never closed");
    }

    #[test]
    fn parser_internals_are_not_shown() {
        assert_eq!(one("{ a = (1 + ; }").0, "expected a value before `;`");
        assert!(one("{ a = ''\n foo; }").0.starts_with("the string opened on line 1, column 7"));
        assert!(one("{ config, ... } { a = 1; }").0.starts_with("a `:` is missing before `{ a = 1; }`"));
        for text in ["{ a = { b = 1; ; }", "let x = 1; { a = x; }", "{ a = f x, y; }", "{ a = ; }", "{ a = 1; } }"] {
            let (m, _) = one(text);
            assert!(!m.contains("cur_pos") && !m.contains("identifier") && !m.contains("unexpected"), "{text}: {m}");
        }
        assert!(one("let x = 1; { a = x; }").0.contains("`in` is missing"));
        assert!(one("{ a = { b = 1; ; }").0.contains("a `;` with no binding before it"));
    }
}
