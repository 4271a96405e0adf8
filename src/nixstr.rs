//! Nix lexical helpers shared by every layer: identifier checks and string
//! and attribute-name escaping. Pure text, no parser.

const KEYWORDS: &[&str] = &["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"];

/// Whether `s` can be written as a bare Nix identifier (attribute name or
/// variable).
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let first_ok = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_');
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '-')) && !KEYWORDS.contains(&s)
}

/// A double-quoted Nix string literal whose value is exactly `s`.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An attribute name: bare when it is an identifier, quoted otherwise.
pub fn attr_name(s: &str) -> String {
    if is_identifier(s) {
        s.to_string()
    } else {
        string_literal(s)
    }
}

/// The value of the body of a double-quoted string (between the quotes),
/// when it has no interpolation.
pub fn unescape_double_quoted(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        for ok in ["a", "_x", "foo-bar", "a'", "services", "x86_64"] {
            assert!(is_identifier(ok), "{ok}");
        }
        for bad in ["", "1a", "a b", "../evil", "in", "rec", "a.b", "-a", "é"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn string_escaping_round_trips() {
        let tricky = "a\"b\\c${d}$e\n\t''f";
        let lit = string_literal(tricky);
        assert_eq!(lit, r#""a\"b\\c\${d}$e\n\t''f""#);
        assert_eq!(unescape_double_quoted(&lit[1..lit.len() - 1]), tricky);
        assert_eq!(attr_name("a b"), "\"a b\"");
        assert_eq!(attr_name("ok"), "ok");
    }
}
