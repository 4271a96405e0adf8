//! Showing long work on stderr: a spinner with a status line when stderr is
//! a terminal, one plain line per step otherwise (CI logs), nothing but
//! Nix's warnings and errors when the command's output is JSON. Nix's
//! messages are printed as Nix would; `-L` adds build logs, `name> line`.

use crate::nix::message::strip_ansi;
use crate::nix::Event;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

/// How much to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A spinner on the terminal.
    Bar,
    /// A line per step.
    Lines,
    /// Warnings and errors only (the output is JSON).
    Quiet,
}

pub struct Reporter {
    mode: Mode,
    bar: Option<ProgressBar>,
    build_logs: bool,
    /// Colour codes pass through (a terminal, and no NO_COLOR).
    color: bool,
    /// The last status shown as a line.
    last: Mutex<String>,
}

impl Reporter {
    /// A reporter for stderr: `quiet` for JSON output, `build_logs` for `-L`.
    pub fn new(quiet: bool, build_logs: bool) -> Reporter {
        let terminal = std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb");
        let mode = match (quiet, terminal) {
            (true, _) => Mode::Quiet,
            (false, true) => Mode::Bar,
            (false, false) => Mode::Lines,
        };
        let bar = (mode == Mode::Bar).then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed:.dim}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Reporter { mode, bar, build_logs, color, last: Mutex::new(String::new()) }
    }

    /// Say what is happening now.
    pub fn status(&self, text: &str) {
        match self.mode {
            Mode::Bar => {
                if let Some(bar) = &self.bar {
                    bar.set_message(text.to_string());
                }
            }
            Mode::Lines => {
                let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
                if *last != text {
                    eprintln!("nixvm: {text}");
                    *last = text.to_string();
                }
            }
            Mode::Quiet => {}
        }
    }

    /// Print a line without tearing the spinner.
    pub fn line(&self, text: &str) {
        let text = if self.color { text.to_string() } else { strip_ansi(text) };
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    /// Show one of Nix's events.
    pub fn event(&self, event: Event) {
        match event {
            Event::Message { level, text } if self.mode != Mode::Quiet || level <= 1 => self.line(&text),
            Event::Log { name, line } if self.build_logs => self.line(&format!("{name}> {line}")),
            Event::Status(s) if self.mode == Mode::Bar => self.status(&s),
            // Plain lines name each step once (each build as it starts, the
            // copying), not every count.
            Event::Status(s) => {
                let step = |t: &str| t.split(" (").next().unwrap_or("").to_string();
                let last = step(&self.last.lock().unwrap_or_else(|p| p.into_inner()));
                if step(&s) != last && step(&s) != "building" {
                    self.status(&s);
                }
            }
            _ => {}
        }
    }

    /// Remove the spinner.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.finish();
    }
}

impl crate::machines::Progress for Reporter {
    fn status(&self, text: &str) {
        Reporter::status(self, text)
    }
    fn event(&self, event: Event) {
        Reporter::event(self, event)
    }
    fn line(&self, text: &str) {
        Reporter::line(self, text)
    }
    fn finish(&self) {
        Reporter::finish(self)
    }
}
