//! The fix engine: applies lint fixes to a text until nothing is left to
//! fix. Pure and lossless: only the edited ranges change, every round is
//! re-parsed, and a fix whose result does not parse is refused.

use crate::lint::{self, Diagnostic, Fix, LintOptions};
use crate::syntax;
use crate::text::{apply_edits, Edit};

/// Rounds of lint-and-fix before giving up on reaching a fixpoint.
const MAX_ROUNDS: usize = 16;

#[derive(Debug, Clone, PartialEq)]
pub struct FixOutcome {
    /// The text after every accepted fix.
    pub text: String,
    /// What was applied, in order.
    pub applied: Vec<String>,
    /// Fixes refused because their result did not parse.
    pub refused: Vec<String>,
    /// The findings in the text as it was given.
    pub found: Vec<Diagnostic>,
    /// The findings left in the final text.
    pub remaining: Vec<Diagnostic>,
    /// The edits of each accepted step, in the coordinates of the text
    /// before it: the first applied to the text given, each next one to
    /// the result of the one before. Nothing else changed.
    pub rounds: Vec<Vec<Edit>>,
}

impl FixOutcome {
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

/// Fix `text` to a fixpoint with the fixes safe in place (each finding's
/// `fix`). A text with syntax errors is returned unchanged.
pub fn fix_text(text: &str, options: &LintOptions) -> FixOutcome {
    fix_matching(text, options, |d| d.fix.as_ref())
}

/// Like `fix_text`, applying for each finding the fix `pick` chooses (its
/// `fix`, its `copy_fix` for nixvm's copies of a file, or none).
pub fn fix_matching(text: &str, options: &LintOptions, pick: impl Fn(&Diagnostic) -> Option<&Fix>) -> FixOutcome {
    let mut current = text.to_string();
    let mut applied = vec![];
    let mut rounds = vec![];
    let mut refused: Vec<Fix> = vec![];
    let found = lint::lint_text(&current, options);
    let mut remaining = found.clone();
    for _ in 0..MAX_ROUNDS {
        if remaining.iter().any(|d| d.code == lint::codes::SYNTAX_ERROR) {
            break;
        }
        let fixes: Vec<&Fix> = remaining.iter().filter_map(&pick).filter(|f| !refused.contains(f)).collect();
        if fixes.is_empty() {
            break;
        }
        let batch = compatible(&fixes);
        let mut progressed = false;
        match try_apply(&current, &batch) {
            Some(next) => {
                current = next;
                applied.extend(batch.iter().map(|f| f.description.clone()));
                rounds.push(edits_of(&batch));
                progressed = true;
            }
            None => {
                // Find the culprits one by one.
                for fix in batch {
                    match try_apply(&current, &[fix]) {
                        Some(next) => {
                            current = next;
                            applied.push(fix.description.clone());
                            rounds.push(edits_of(&[fix]));
                            progressed = true;
                            break; // spans are stale now: lint again
                        }
                        None => refused.push(fix.clone()),
                    }
                }
            }
        }
        remaining = lint::lint_text(&current, options);
        if !progressed && refused.is_empty() {
            break;
        }
    }
    FixOutcome {
        text: current,
        applied,
        refused: refused.into_iter().map(|f| f.description).collect(),
        found,
        remaining,
        rounds,
    }
}

fn edits_of(fixes: &[&Fix]) -> Vec<Edit> {
    fixes.iter().flat_map(|f| f.edits.iter().cloned()).collect()
}

/// The largest prefix-greedy set of fixes whose edits do not overlap (an
/// edit identical to an accepted one, such as adding `lib` twice, is fine).
fn compatible<'a>(fixes: &[&'a Fix]) -> Vec<&'a Fix> {
    let mut accepted: Vec<&Fix> = vec![];
    let mut edits: Vec<&Edit> = vec![];
    for fix in fixes {
        let clash = fix.edits.iter().any(|e| edits.iter().any(|a| *a != e && a.range.overlaps(e.range)));
        if !clash {
            edits.extend(fix.edits.iter());
            accepted.push(fix);
        }
    }
    accepted
}

/// The text with `fixes` applied, when it parses without errors.
fn try_apply(text: &str, fixes: &[&Fix]) -> Option<String> {
    let next = apply_edits(text, &edits_of(fixes)).ok()?;
    syntax::parse(&next).is_ok().then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Span;

    fn fix(text: &str) -> FixOutcome {
        fix_text(text, &LintOptions::default())
    }

    #[test]
    fn fixes_everything_fixable_and_reaches_a_fixpoint() {
        let text = "{ config, ... }:\n{\n  imports = [ ./hardware-configuration.nix ./x.nix ];\n  services.timesyncd.enable = true;\n  networking.usePredictableInterfaceNames = true;\n  virtualisation.memorySize = 2048;\n}\n";
        let out = fix(text);
        assert_eq!(
            out.text,
            "{ config, lib, ... }:\n{\n  imports = [ ./hardware-configuration.nix ./x.nix ];\n  services.timesyncd.enable = lib.mkDefault true;\n  networking.usePredictableInterfaceNames = lib.mkDefault true;\n  virtualisation.vmVariant.virtualisation.memorySize = 2048;\n}\n"
        );
        assert_eq!(out.applied.len(), 3, "the hardware import stays: {:?}", out.applied);
        assert!(out.remaining.iter().all(|d| d.fix.is_none()));
        let again = fix(&out.text);
        assert_eq!(again.text, out.text, "fixing twice changes nothing the second time");
        assert!(again.applied.is_empty());
    }

    #[test]
    fn syntax_errors_are_never_rewritten() {
        let text = "{ imports = [ ./hardware-configuration.nix ]; a = }";
        let out = fix(text);
        assert_eq!(out.text, text);
        assert!(out.applied.is_empty());
    }

    #[test]
    fn a_fix_that_breaks_the_parse_is_refused() {
        let good = Fix { description: "good".into(), edits: vec![Edit::replace(Span::new(6, 7), "2")] };
        let bad = Fix { description: "bad".into(), edits: vec![Edit::insert(0, "{")] };
        assert!(try_apply("{ a = 1; }", &[&good, &bad]).is_none());
        assert_eq!(try_apply("{ a = 1; }", &[&good]).as_deref(), Some("{ a = 2; }"));
        let batch = compatible(&[&good, &bad, &good]);
        assert_eq!(batch.len(), 3, "identical edits are compatible");
        let overlapping = Fix { description: "o".into(), edits: vec![Edit::delete(Span::new(5, 8))] };
        assert_eq!(compatible(&[&good, &overlapping]).len(), 1);
    }
}
