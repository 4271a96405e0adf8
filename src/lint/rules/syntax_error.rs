//! `syntax-error`: the file does not parse.

use crate::lint::{declare_lint, Context, Diagnostic, Lint, Meta};

declare_lint! {
    /// What: the file is not valid Nix.
    ///
    /// Why: Nix cannot evaluate it, so neither the VM nor the real machine
    /// builds. nixvm never rewrites a file with syntax errors, and reports
    /// nothing else about it until it parses.
    ///
    /// Example:
    ///
    /// ```nix
    /// { services.openssh.enable = true }   # missing `;` before `}`
    /// ```
    SyntaxError, "syntax-error", Error
}

impl Lint for SyntaxError {
    fn meta(&self) -> &'static Meta {
        &Self::META
    }

    fn check(&self, _cx: &Context, _out: &mut Vec<Diagnostic>) {}
}

/// At most this many syntax errors per file: later ones mostly follow from
/// the first.
const MAX_REPORTED: usize = 10;

pub fn diagnostics(errors: &[crate::syntax::SyntaxError]) -> Vec<Diagnostic> {
    errors.iter().take(MAX_REPORTED).map(|e| Diagnostic::new(&SyntaxError::META, e.span, e.message.clone())).collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::test_util::findings;

    #[test]
    fn reports_located_errors_and_nothing_else() {
        let text = "{ services.timesyncd.enable = true }";
        let ds = crate::lint::lint_text(text, &Default::default());
        assert!(!ds.is_empty());
        assert!(ds.iter().all(|d| d.code.as_str() == "syntax-error"));
        assert_eq!(ds.len(), 1, "one mistake, one error");
        assert_eq!(ds[0].span.start, text.find(" }").unwrap(), "where the `;` goes");
        assert!(findings("syntax-error", "{ a = 1; }").is_empty());
    }

    #[test]
    fn binary_and_empty_input_do_not_panic() {
        assert!(!findings("syntax-error", "").is_empty());
        let bytes: String = (0u8..=255).map(|b| b as char).collect();
        assert!(!findings("syntax-error", &bytes).is_empty());
    }
}
