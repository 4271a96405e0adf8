//! A test run's log, as the NixOS test driver prints it on stderr: a line
//! per step (`web: must succeed: ...`), `(finished: ..., in 0.12 seconds)`
//! when a nested step ends well, `web # ...` for what a guest command
//! says on stderr, `!!! ...` for errors; and what `--junit-xml` reports,
//! one case per subtest.

use crate::runtime::test::Report;
use std::io::{IsTerminal, Write};
use std::time::Instant;

pub struct Log {
    /// Open nested steps: their message and start.
    nested: Vec<(String, Instant)>,
    /// Open subtests: their name and start.
    subtests: Vec<(String, Instant)>,
    pub report: Report,
    /// Whether what guests say on stderr is shown (the shells read it).
    pub serial: std::sync::Arc<std::sync::atomic::AtomicBool>,
    color: bool,
    errors: usize,
}

impl Default for Log {
    fn default() -> Log {
        Log::new()
    }
}

impl Log {
    pub fn new() -> Log {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Log {
            nested: vec![],
            subtests: vec![],
            report: Report::default(),
            serial: std::sync::Arc::new(true.into()),
            color,
            errors: 0,
        }
    }

    fn print(&self, text: &str, color: &str) {
        let mut err = std::io::stderr().lock();
        let _ = if self.color && !color.is_empty() {
            writeln!(err, "\x1b[{color}m{text}\x1b[0m")
        } else {
            writeln!(err, "{text}")
        };
    }

    /// The case of the subtest running now (`main` outside them).
    fn case(&mut self) -> &mut crate::runtime::test::Case {
        let name = self.subtests.last().map(|(n, _)| n.clone()).unwrap_or_else(|| "main".into());
        self.report.case(&name)
    }

    /// A line, of a machine's or of the script's.
    pub fn line(&mut self, machine: Option<&str>, message: &str) {
        let text = match machine {
            Some(m) => format!("{m}: {message}"),
            None => message.to_string(),
        };
        self.print(&text, "");
        self.case().output.push(text);
    }

    /// An error of the test (`!!! ...`).
    pub fn error(&mut self, message: &str) {
        self.print(&format!("!!! {message}"), "31");
        self.case().errors.push(message.to_string());
        self.errors += 1;
    }

    /// How many errors were logged so far.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// A nested step begins.
    pub fn start(&mut self, machine: Option<&str>, message: &str) {
        let text = match machine {
            Some(m) => format!("{m}: {message}"),
            None => message.to_string(),
        };
        self.print(&text, "32");
        self.case().output.push(text.clone());
        self.nested.push((text, Instant::now()));
    }

    /// The innermost step ends: its time is said when it ended well.
    pub fn end(&mut self, well: bool) {
        if let Some((text, started)) = self.nested.pop() {
            if well {
                let line = format!("(finished: {text}, in {:.2} seconds)", started.elapsed().as_secs_f64());
                self.print(&line, "");
                self.case().output.push(line);
            }
        }
    }

    pub fn subtest_start(&mut self, name: &str) {
        self.start(None, &format!("subtest: {name}"));
        // The case exists from the start, failed or not.
        self.report.case(name);
        self.subtests.push((name.to_string(), Instant::now()));
    }

    /// The subtest ends, with the error it ended with.
    pub fn subtest_end(&mut self, error: Option<&str>) {
        if let Some(e) = error {
            self.error(e);
        }
        if let Some((name, started)) = self.subtests.pop() {
            let own = started.elapsed().as_secs_f64();
            self.report.case(&name).seconds += own;
            // A subtest's time is its own, not its parent's as well.
            if let Some((parent, _)) = self.subtests.last().cloned() {
                self.report.case(&parent).seconds -= own;
            }
        }
        self.end(error.is_none());
    }

    /// The report for `--junit-xml`: a case per subtest; the case `main`
    /// when there was no subtest, or when something failed outside them
    /// (so that no failure goes unreported).
    pub fn finish(&mut self, started: Instant) -> Report {
        let mut report = std::mem::take(&mut self.report);
        let subtests = report.cases.iter().any(|c| c.name != "main");
        if subtests {
            report.cases.retain(|c| c.name != "main" || !c.errors.is_empty());
        } else {
            report.case("main").seconds = started.elapsed().as_secs_f64();
        }
        report
    }
}
