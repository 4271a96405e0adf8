//! Notes that ask nothing of the user (`Lint::gist`), summed up: one line
//! per machine (or per file outside machines) instead of a finding each,
//! so that errors and warnings stand out. The findings themselves stay
//! whole for `--notes` and the JSON report.

use super::diagnostic::{FileReport, Severity};

/// The notes of one machine (or file) that ask nothing, summed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSummary {
    /// The machines they are about, or the file they are in.
    pub owner: String,
    /// Each lint's gist with what its notes are about, in order of first
    /// appearance: `("the VM replaces", ["fileSystems", "swapDevices"])`.
    pub gists: Vec<(&'static str, Vec<String>)>,
    /// How many notes it stands for.
    pub count: usize,
}

impl std::fmt::Display for NoteSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let said: Vec<String> = self.gists.iter().map(|(gist, items)| format!("{gist} {}", items.join(", "))).collect();
        let notes = if self.count == 1 { "1 note".to_string() } else { format!("{} notes", self.count) };
        write!(f, "{}: {} ({notes}; --notes shows them)", self.owner, said.join("; "))
    }
}

/// Take the notes that ask nothing of the user out of `reports` and sum
/// them up, one summary per owner in the order they first appear.
pub fn fold(reports: &mut [FileReport]) -> Vec<NoteSummary> {
    let mut out: Vec<NoteSummary> = vec![];
    for report in reports.iter_mut() {
        let (text, machines) = (&report.text, &report.machines);
        let name = &report.name;
        report.diagnostics.retain(|d| {
            let Some(gist) = super::all().iter().find(|l| l.meta().code == d.code).and_then(|l| l.gist()) else {
                return true;
            };
            if d.severity != Severity::Note {
                return true;
            }
            let owner = match (d.machines.as_slice(), machines.as_slice()) {
                ([], []) => name.clone(),
                ([], all) => all.join(", "),
                (some, _) => some.join(", "),
            };
            let item = d.option.clone().unwrap_or_else(|| text.get(d.span.start..d.span.end).unwrap_or("").to_string());
            let summary = match out.iter_mut().find(|s| s.owner == owner) {
                Some(s) => s,
                None => {
                    out.push(NoteSummary { owner, gists: vec![], count: 0 });
                    out.last_mut().expect("just pushed")
                }
            };
            summary.count += 1;
            match summary.gists.iter_mut().find(|(g, _)| *g == gist) {
                Some((_, items)) if !items.contains(&item) => items.push(item),
                Some(_) => {}
                None => summary.gists.push((gist, vec![item])),
            }
            false
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{lint_text, LintOptions};

    fn report(name: &str, text: &str, machines: &[&str]) -> FileReport {
        let mut r = FileReport::new(name.into(), text.into(), lint_text(text, &LintOptions::default()));
        r.machines = machines.iter().map(|m| m.to_string()).collect();
        r
    }

    #[test]
    fn notes_that_ask_nothing_are_one_line_per_machine() {
        let hardware = "{ fileSystems.\"/\".device = \"/dev/sda1\"; fileSystems.\"/boot\".device = \"/dev/sda2\"; swapDevices = [ ]; }";
        let config = "{ imports = [ ./hardware-configuration.nix ]; services.openssh.enable = false; }";
        let mut reports = [
            report("hw.nix", hardware, &["web"]),
            report("configuration.nix", config, &["web"]),
            report("x.nix", hardware, &[]),
        ];
        let folded = fold(&mut reports);
        assert_eq!(folded.len(), 2, "{folded:?}");
        assert_eq!(
            folded[0].to_string(),
            "web: the VM replaces fileSystems, swapDevices; the VM needs none of ./hardware-configuration.nix (3 notes; --notes shows them)"
        );
        assert_eq!(folded[1].owner, "x.nix");
        // What asks something stays: the note about SSH.
        let left: Vec<&str> = reports.iter().flat_map(|r| &r.diagnostics).map(|d| d.code.as_str()).collect();
        assert_eq!(left, ["no-ssh"]);
    }
}
