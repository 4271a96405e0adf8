//! Reading what Nix says when evaluation fails: the `msg` events of
//! `--log-format internal-json`, or plain stderr, in the formats of Nix 2.8
//! and later (with or without colour codes, with or without `… while`
//! traces). Pure: text in, a classified error out; never panics.

/// Where Nix says an error is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NixPosition {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// One definition Nix lists under an option (`- In `FILE': VALUE`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NixDefinition {
    pub file: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum NixErrorKind {
    /// "The option `X' has conflicting definition values".
    Conflict {
        option: String,
        definitions: Vec<NixDefinition>,
    },
    /// "The option `X' does not exist".
    UndeclaredOption {
        option: String,
        definitions: Vec<NixDefinition>,
    },
    /// "Failed assertions:" and each message.
    FailedAssertions {
        messages: Vec<String>,
    },
    UndefinedVariable {
        name: String,
    },
    MissingAttribute {
        name: String,
    },
    /// "cannot look up '<nixpkgs>' in pure evaluation mode".
    SearchPathInPureMode {
        path: String,
    },
    /// "access to absolute path '/x' is forbidden in pure eval mode".
    AbsolutePathInPureMode {
        path: String,
    },
    InfiniteRecursion,
    /// Anything else: shown whole.
    Other,
}

/// A Nix error: its kind, where Nix says it is, and its whole text
/// (without colour codes).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NixMessage {
    #[serde(flatten)]
    pub kind: NixErrorKind,
    pub position: Option<NixPosition>,
    /// The error itself (from its last `error:`), then the whole text.
    pub summary: String,
    pub text: String,
}

/// Remove ANSI escape sequences (`ESC [ ... letter`).
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// The errors in Nix's stderr: every level-0 `msg` event of
/// `--log-format internal-json`; with no such event, the plain text as one
/// error (when it has an `error:` line).
pub fn parse_stderr(stderr: &str) -> Vec<NixMessage> {
    let mut found = vec![];
    for line in stderr.lines() {
        let Some(json) = line.strip_prefix("@nix ") else { continue };
        let Ok(event) = serde_json::from_str::<serde_json::Value>(json) else { continue };
        if event["action"] != "msg" || event["level"].as_u64() != Some(0) {
            continue;
        }
        let Some(msg) = event["msg"].as_str() else { continue };
        // Level 0 also carries hints ("(use '--show-trace' ...)") and errors
        // Nix ignored (a busy evaluation cache).
        let plain = strip_ansi(msg);
        let plain = plain.trim_start();
        if !plain.starts_with("error") || plain.starts_with("error (ignored)") {
            continue;
        }
        let mut m = parse_message(msg);
        if let Some(p) = event_position(&event) {
            m.position = Some(p);
        }
        found.push(m);
    }
    if found.is_empty() {
        let plain: String = stderr.lines().filter(|l| !l.starts_with("@nix ")).map(|l| format!("{l}\n")).collect();
        if strip_ansi(&plain).lines().any(|l| l.trim_start().starts_with("error:") && !l.contains("error (ignored)")) {
            found.push(parse_message(&plain));
        }
    }
    found
}

/// The position of a `msg` event. Nix 2.8 writes the file in `file`;
/// Nix 2.2x writes `FILE:LINE:COL` there (the line and column are also in
/// their own fields), and `«none»:0` with line 0 for an error without one.
fn event_position(event: &serde_json::Value) -> Option<NixPosition> {
    let line = u32::try_from(event["line"].as_u64()?).ok().filter(|l| *l > 0)?;
    let column = event["column"].as_u64().and_then(|c| u32::try_from(c).ok()).filter(|c| *c > 0).unwrap_or(1);
    let file = event["file"].as_str()?;
    let file = file.strip_suffix(&format!(":{line}:{column}")).unwrap_or(file);
    if file.is_empty() || file.starts_with('«') {
        return None;
    }
    Some(NixPosition { file: file.to_string(), line, column })
}

/// Classify one error message (plain text, colours allowed).
pub fn parse_message(raw: &str) -> NixMessage {
    let text = strip_ansi(raw).trim_end().to_string();
    // Newer Nix prints the trace first (`error:\n … while ...`) and the
    // error itself after the last `error:`; Nix 2.8 starts with it.
    // The error may begin on its `error:` line or, bare, on the next one
    // (Nix 2.2x: `error:` then `Failed assertions:`).
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().rposition(|l| l.trim_start().starts_with("error:")).unwrap_or(0);
    let tail: Vec<&str> = lines[start..].to_vec();
    let first = tail
        .iter()
        .map(|l| l.trim_start().strip_prefix("error:").unwrap_or(l).trim())
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let body = tail.iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n");
    let kind = classify(first, &body);
    // Nix 2.2x gives some errors no position of their own (a search path or
    // absolute path in pure mode) and names the place in the trace before
    // them: its innermost frame, the last `at` above the error.
    let position = position_after(&tail).or_else(|| {
        let trace = &lines[..start];
        trace.iter().rposition(|l| l.trim_start().starts_with("at ")).and_then(|i| position_after(&trace[i..]))
    });
    let summary = tail
        .iter()
        .map(|l| l.trim_end())
        .take_while(|l| !l.trim_start().starts_with("(use '--show-trace'"))
        .collect::<Vec<_>>()
        .join("\n");
    NixMessage { kind, position, summary: dedent(&summary), text }
}

fn dedent(s: &str) -> String {
    let indent =
        s.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    let mut out = vec![];
    for (i, l) in s.lines().enumerate() {
        let l = if i == 0 { l.trim_start() } else { l.get(indent..).unwrap_or(l.trim_start()) };
        out.push(l);
    }
    out.join("\n")
}

/// The text between the first pair of quotes of any of Nix's styles
/// (`x', `x`, 'x', "x") after `marker`.
fn quoted_after<'a>(s: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &s[s.find(marker)? + marker.len()..];
    let rest = rest.trim_start();
    let open = rest.chars().next()?;
    let inner = &rest[open.len_utf8()..];
    let close = match open {
        '`' => inner.find(['\'', '`'])?,
        '\'' | '"' | '‘' => inner.find(['\'', '"', '’'])?,
        _ => return None,
    };
    Some(&inner[..close])
}

fn classify(first: &str, body: &str) -> NixErrorKind {
    let option = || quoted_after(first, "The option").map(str::to_string);
    if first.contains("has conflicting definition values") {
        if let Some(option) = option() {
            return NixErrorKind::Conflict { option, definitions: definitions(body) };
        }
    }
    if first.contains("does not exist") {
        if let Some(option) = option() {
            return NixErrorKind::UndeclaredOption { option, definitions: definitions(body) };
        }
    }
    if let Some(at) = body.find("Failed assertions:") {
        let messages = body[at..]
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with("(use '--show-trace'"))
            .filter_map(|l| l.strip_prefix("- "))
            .map(str::to_string)
            .collect();
        return NixErrorKind::FailedAssertions { messages };
    }
    if let Some(name) = quoted_after(first, "undefined variable") {
        return NixErrorKind::UndefinedVariable { name: name.to_string() };
    }
    if first.starts_with("attribute") && first.contains("missing") {
        if let Some(name) = quoted_after(first, "attribute") {
            return NixErrorKind::MissingAttribute { name: name.to_string() };
        }
    }
    if first.contains("in pure evaluation mode") || first.contains("in pure eval mode") {
        if let Some(path) = quoted_after(first, "cannot look up") {
            return NixErrorKind::SearchPathInPureMode { path: path.to_string() };
        }
        if let Some(path) =
            quoted_after(first, "access to absolute path").or_else(|| quoted_after(first, "access to path"))
        {
            return NixErrorKind::AbsolutePathInPureMode { path: path.to_string() };
        }
    }
    if first.starts_with("infinite recursion encountered") {
        return NixErrorKind::InfiniteRecursion;
    }
    NixErrorKind::Other
}

/// The `- In `FILE': VALUE` lines (a value may go on over the next,
/// more indented lines).
fn definitions(body: &str) -> Vec<NixDefinition> {
    let mut out: Vec<NixDefinition> = vec![];
    let mut in_value = false;
    for line in body.lines() {
        if let Some(rest) = line.strip_prefix("- In ") {
            let Some(file) = quoted_after(rest, "") else { continue };
            let after = &rest[rest.find(file).map(|i| i + file.len() + 1).unwrap_or(rest.len()).min(rest.len())..];
            let value = after.trim_start_matches(':').trim().to_string();
            out.push(NixDefinition { file: file.to_string(), value });
            in_value = true;
        } else if in_value && !line.is_empty() && !line.starts_with('(') && !line.starts_with("Use ") {
            if let Some(last) = out.last_mut() {
                if !last.value.is_empty() {
                    last.value.push('\n');
                }
                last.value.push_str(line);
            }
        } else {
            in_value = false;
        }
    }
    out
}

/// The first `at FILE:LINE:COL:` of the error (not of its trace).
fn position_after(lines: &[&str]) -> Option<NixPosition> {
    lines.iter().find_map(|l| {
        let rest = l.trim().strip_prefix("at ")?;
        let rest = rest.strip_suffix(':').unwrap_or(rest);
        let mut parts = rest.rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        let file = parts.next()?.to_string();
        Some(NixPosition { file, line, column })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_codes_go() {
        assert_eq!(strip_ansi("\u{1b}[31;1merror:\u{1b}[0m x"), "error: x");
        assert_eq!(strip_ansi("\u{1b}"), "");
        assert_eq!(strip_ansi("a\u{1b}[1"), "a");
    }

    #[test]
    fn quotes_of_every_style() {
        assert_eq!(quoted_after("The option `a.b' has", "The option"), Some("a.b"));
        assert_eq!(quoted_after("The option `a.b` has", "The option"), Some("a.b"));
        assert_eq!(quoted_after("undefined variable 'x'", "undefined variable"), Some("x"));
        assert_eq!(quoted_after("The option", "The option"), None);
    }

    #[test]
    fn never_panics_on_odd_text() {
        for s in ["", "error:", "error: The option `", "- In `", "at ::", "error: attribute", "\u{1b}[", "é\n- In `é"]
        {
            let _ = parse_message(s);
            let _ = parse_stderr(s);
        }
    }
}
