//! Source text primitives shared by every layer: byte spans, 1-based
//! line/column positions, and text edits applied in one pass.
//!
//! Nothing here knows about Nix; the syntax layer produces `Span`s and the
//! rewrite layer applies `Edit`s.

use serde::Serialize;

/// A half-open byte range `[start, end)` into a source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Two spans overlap when they share a byte, or when both insert at the
    /// same offset (their order would be ambiguous).
    pub fn overlaps(&self, other: Span) -> bool {
        if self.is_empty() && other.is_empty() {
            return self.start == other.start;
        }
        self.start < other.end && other.start < self.end
            || (self.is_empty() && other.start < self.start && self.start < other.end)
            || (other.is_empty() && self.start < other.start && other.start < self.end)
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets to lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { line_starts }
    }

    /// Position of `offset` in `text` (clamped to the text, and to a char
    /// boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = text[start..offset].chars().count() + 1;
        Position { offset, line: line + 1, column }
    }
}

/// One replacement of a byte range by new text. Insertions have an empty
/// range, deletions an empty replacement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Edit {
    pub range: Span,
    pub replacement: String,
}

impl Edit {
    pub fn replace(range: Span, replacement: impl Into<String>) -> Self {
        Edit { range, replacement: replacement.into() }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit { range: Span::empty(at), replacement: text.into() }
    }

    pub fn delete(range: Span) -> Self {
        Edit { range, replacement: String::new() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("edit {0:?} is outside the text or not on a character boundary")]
    OutOfBounds(Span),
    #[error("edits {0:?} and {1:?} overlap")]
    Overlap(Span, Span),
}

/// Apply `edits` to `text` in one pass. Identical edits count once; any other
/// overlap is an error. Bytes outside the edited ranges are copied unchanged.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort();
    sorted.dedup();
    for e in &sorted {
        let r = e.range;
        if r.end > text.len() || r.start > r.end || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            return Err(EditError::OutOfBounds(r));
        }
    }
    for pair in sorted.windows(2) {
        if pair[0].range.overlaps(pair[1].range) {
            return Err(EditError::Overlap(pair[0].range, pair[1].range));
        }
    }
    let mut out = String::with_capacity(text.len() + sorted.iter().map(|e| e.replacement.len()).sum::<usize>());
    let mut at = 0;
    for e in sorted {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The range to delete to remove the item at `item` from a whitespace-
/// separated sequence (a list) so the layout around it reads as if it was
/// never there: a whole line when the item stands alone on it, otherwise the
/// item and the blanks on one side. Comments are never removed.
pub fn removal_span(text: &str, item: Span) -> Span {
    let bytes = text.as_bytes();
    let is_blank = |b: u8| b == b' ' || b == b'\t';
    let line_start = text[..item.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[item.end..].find('\n').map(|i| item.end + i).unwrap_or(text.len());
    let alone_before = text[line_start..item.start].bytes().all(is_blank);
    let rest = &text[item.end..line_end];
    if alone_before && rest.bytes().all(|b| is_blank(b) || b == b'\r') {
        let end = if line_end < text.len() { line_end + 1 } else { line_end };
        return Span::new(line_start, end);
    }
    let blanks_after = rest.bytes().take_while(|b| is_blank(*b)).count();
    // Alone at the start of its line but followed by the list's `]`: join
    // the `]` to the previous line (`./a.nix\n  ./hw.nix ];` -> `./a.nix ];`).
    if alone_before && bytes.get(item.end + blanks_after) == Some(&b']') && line_start > 0 {
        let mut start = line_start - 1;
        if start > 0 && bytes[start - 1] == b'\r' {
            start -= 1;
        }
        return Span::new(start, item.end);
    }
    let blanks_before = text[line_start..item.start].bytes().rev().take_while(|b| is_blank(*b)).count();
    let next = bytes.get(item.end + blanks_after).copied();
    let prev = item.start.checked_sub(blanks_before + 1).map(|i| bytes[i]);
    if next == Some(b']') && prev != Some(b'[') && blanks_before > 0 {
        Span::new(item.start - blanks_before, item.end)
    } else if blanks_after > 0 && !matches!(next, Some(b'\r' | b'\n') | None) {
        Span::new(item.start, item.end + blanks_after)
    } else {
        Span::new(item.start - blanks_before, item.end)
    }
}

/// The deepest directory containing every path.
pub fn common_dir<'a>(paths: impl Iterator<Item = &'a std::path::PathBuf>) -> std::path::PathBuf {
    use std::path::Path;
    let mut common: Option<std::path::PathBuf> = None;
    for p in paths {
        let dir = p.parent().unwrap_or(Path::new("/")).to_path_buf();
        common = Some(match common {
            None => dir,
            Some(c) => c.ancestors().find(|a| dir.starts_with(a)).map(Path::to_path_buf).unwrap_or_default(),
        });
    }
    common.unwrap_or_default()
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
pub fn normalize_path(p: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `w` as a shell reads it back: as it is when it is plain, else in single
/// quotes (`'` written `'\''`). For commands nixvm shows people, never for
/// running anything.
pub fn shell_word(w: &str) -> String {
    // `#` starts a comment only at the start of a word.
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+=:,@%#".contains(c);
    if !w.is_empty() && !w.starts_with('#') && w.chars().all(plain) {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// `text` in lines of at most `width` characters, broken between words
/// (a word longer than the width gets a line of its own, whole).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrapping_breaks_between_words() {
        let lines = super::wrap("a `qemu-vm.nix` option such as `virtualisation.memorySize` or", 20);
        assert_eq!(lines, ["a `qemu-vm.nix`", "option such as", "`virtualisation.memorySize`", "or"]);
        assert_eq!(super::wrap("", 10), [""]);
    }

    use super::*;

    #[test]
    fn words_are_shown_as_a_shell_reads_them() {
        assert_eq!(shell_word(".#vm-web"), ".#vm-web");
        assert_eq!(shell_word("nix-command flakes"), "'nix-command flakes'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("#x"), "'#x'");
        assert_eq!(shell_word("a^b"), "'a^b'");
    }

    #[test]
    fn positions_count_lines_and_chars() {
        let text = "ab\r\nçd\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { offset: 0, line: 1, column: 1 });
        let d = text.find('d').unwrap();
        assert_eq!(idx.position(text, d), Position { offset: d, line: 2, column: 2 });
        assert_eq!(idx.position(text, text.len()).line, 3);
    }

    #[test]
    fn edits_apply_in_one_pass_and_keep_the_rest() {
        let text = "a b c";
        let out = apply_edits(
            text,
            &[Edit::replace(Span::new(4, 5), "C"), Edit::insert(0, ">"), Edit::delete(Span::new(1, 3))],
        )
        .unwrap();
        assert_eq!(out, ">a C");
    }

    #[test]
    fn identical_edits_count_once_but_overlaps_fail() {
        let e = Edit::insert(1, "x");
        assert_eq!(apply_edits("ab", &[e.clone(), e]).unwrap(), "axb");
        let err = apply_edits("abcd", &[Edit::delete(Span::new(0, 2)), Edit::delete(Span::new(1, 3))]);
        assert!(matches!(err, Err(EditError::Overlap(..))));
        let err = apply_edits("abcd", &[Edit::insert(2, "x"), Edit::insert(2, "y")]);
        assert!(matches!(err, Err(EditError::Overlap(..))));
        assert!(matches!(apply_edits("ab", &[Edit::delete(Span::new(1, 9))]), Err(EditError::OutOfBounds(_))));
    }
}
