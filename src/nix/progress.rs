//! What Nix is doing, from its `--log-format internal-json` stream: the
//! messages it would print, build log lines, and a one-line status
//! ("building nixos-vm-web (1/3 built)"). Pure: lines in, events out; how
//! they are shown is the command line's business.

use std::collections::{BTreeMap, VecDeque};

/// Activity types in Nix's logger protocol.
const ACT_COPY_PATHS: u64 = 103;
const ACT_BUILDS: u64 = 104;
const ACT_BUILD: u64 = 105;
/// Result types.
const RES_BUILD_LOG_LINE: u64 = 101;
const RES_PROGRESS: u64 = 105;

/// Something worth telling the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A message Nix prints at its default verbosity (errors, warnings,
    /// notices, traces); `level` 0 is an error. Colour codes kept.
    Message { level: u8, text: String },
    /// A line a builder wrote, with the derivation's name.
    Log { name: String, line: String },
    /// The status line changed.
    Status(String),
    /// The nix process has just been started (sent once per process, before
    /// any of its output): work meant to run beside nix's can begin.
    Started,
}

/// Nix's default verbosity (`lvlInfo`): messages above it are not shown.
const SHOWN_LEVEL: u64 = 3;
/// Builder lines kept per derivation, shown when its build fails (Nix
/// leaves them out of its error in the JSON format).
const TAIL: usize = 25;

/// The state of one nix call.
#[derive(Debug, Default)]
pub struct Progress {
    /// Derivations being built, by activity id: their names.
    building: BTreeMap<u64, String>,
    /// `[done, expected]` of the builds activity.
    builds: (u64, u64),
    /// `[done, expected]` of the path copies (substitutions, copies).
    copies: (u64, u64),
    /// Activity types by id, for the results that name only the id.
    kinds: BTreeMap<u64, u64>,
    /// The last lines each derivation's builder wrote, by name.
    tails: BTreeMap<String, VecDeque<String>>,
    status: String,
}

impl Progress {
    pub fn new() -> Self {
        Progress { status: "evaluating".into(), ..Progress::default() }
    }

    /// The current status line.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// Read one line of Nix's stderr. Lines that are not JSON events (a
    /// program Nix ran, an older Nix) are messages as they are.
    pub fn feed(&mut self, line: &str) -> Vec<Event> {
        let Some(json) = line.strip_prefix("@nix ") else {
            return if line.trim().is_empty() {
                vec![]
            } else {
                vec![Event::Message { level: 0, text: line.to_string() }]
            };
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(json) else {
            return vec![Event::Message { level: 0, text: line.to_string() }];
        };
        let id = v["id"].as_u64().unwrap_or(0);
        let kind = v["type"].as_u64().unwrap_or(0);
        let mut out = vec![];
        match v["action"].as_str().unwrap_or("") {
            "msg" => {
                let level = v["level"].as_u64().unwrap_or(0);
                if level <= SHOWN_LEVEL {
                    let text = v["msg"].as_str().unwrap_or("").to_string();
                    let tail = if level == 0 { self.tail_for(&text) } else { None };
                    out.push(Event::Message { level: level as u8, text });
                    out.extend(tail.map(|text| Event::Message { level: 0, text }));
                }
            }
            "start" => {
                self.kinds.insert(id, kind);
                if kind == ACT_BUILD {
                    let drv = v["fields"][0].as_str().unwrap_or("a derivation");
                    let name = derivation_name(drv).to_string();
                    self.tails.insert(name.clone(), VecDeque::new());
                    self.building.insert(id, name);
                }
            }
            "stop" => {
                self.kinds.remove(&id);
                self.building.remove(&id);
            }
            "result" => {
                let fields = &v["fields"];
                match (kind, self.kinds.get(&id).copied()) {
                    (RES_BUILD_LOG_LINE, _) => {
                        let name = self.building.get(&id).cloned().unwrap_or_default();
                        let line = fields[0].as_str().unwrap_or("").to_string();
                        let tail = self.tails.entry(name.clone()).or_default();
                        if tail.len() == TAIL {
                            tail.pop_front();
                        }
                        tail.push_back(line.clone());
                        out.push(Event::Log { name, line });
                    }
                    (RES_PROGRESS, Some(ACT_BUILDS)) => self.builds = counts(fields),
                    (RES_PROGRESS, Some(ACT_COPY_PATHS)) => self.copies = counts(fields),
                    _ => {}
                }
            }
            _ => {}
        }
        let status = self.describe();
        if status != self.status {
            self.status = status.clone();
            out.push(Event::Status(status));
        }
        out
    }

    /// For Nix's "builder for '...drv' failed" error: the lines that
    /// builder wrote last, as Nix shows them in its plain format.
    fn tail_for(&self, error: &str) -> Option<String> {
        let plain = super::message::strip_ansi(error);
        let drv = plain.split('\'').find(|w| w.ends_with(".drv"))?;
        if !plain.contains("builder for") {
            return None;
        }
        let tail = self.tails.get(derivation_name(drv))?;
        let mut text = match tail.len() {
            0 => "the builder wrote nothing".to_string(),
            n => format!("last {n} log lines:"),
        };
        for line in tail {
            text.push_str(&format!("\n> {line}"));
        }
        text.push_str(&format!("\nFor full logs, run 'nix log {drv}'."));
        Some(text)
    }

    fn describe(&self) -> String {
        let (done, expected) = self.builds;
        // Nix counts a build done a moment before it says it stopped: what
        // is still building is not built yet.
        let done = done.min(expected.saturating_sub(self.building.len() as u64));
        let built = if expected > 0 { format!(" ({done}/{expected} built)") } else { String::new() };
        if !self.building.is_empty() {
            let names: Vec<&str> = self.building.values().map(String::as_str).collect();
            return format!("building {}{built}", names.join(", "));
        }
        let (copied, to_copy) = self.copies;
        if to_copy > 0 && copied < to_copy {
            return format!("copying paths ({copied}/{to_copy}){built}");
        }
        if to_copy > 0 && expected == 0 {
            return format!("copied {to_copy} paths");
        }
        if expected > 0 {
            return format!("building{built}");
        }
        self.status.clone()
    }
}

fn counts(fields: &serde_json::Value) -> (u64, u64) {
    (fields[0].as_u64().unwrap_or(0), fields[1].as_u64().unwrap_or(0))
}

/// `nixos-vm-web` of `/nix/store/HASH-nixos-vm-web.drv`.
fn derivation_name(drv: &str) -> &str {
    let base = drv.rsplit('/').next().unwrap_or(drv);
    let base = base.strip_suffix(".drv").unwrap_or(base);
    match base.split_once('-') {
        Some((hash, name)) if hash.len() == 32 => name,
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Events as Nix 2.8 wrote them building a VM (ids shortened).
    const BUILD: &str = r#"@nix {"action":"msg","level":1,"msg":"\u001b[35;1mwarning:\u001b[0m Git tree '/p' is dirty"}
@nix {"action":"msg","level":4,"msg":"evaluating file '/nix/store/x-source/flake.nix'"}
@nix {"action":"start","id":2,"level":0,"text":"","type":104}
@nix {"action":"start","id":3,"level":0,"text":"","type":103}
@nix {"action":"result","fields":[0,2,0,0],"id":2,"type":105}
@nix {"action":"result","fields":[0,0,0,0],"id":3,"type":105}
@nix {"action":"start","fields":["/nix/store/qd7i2fx5kqpg7k73sxcv6krffxvxssg8-nixos-system-web.drv","",1,1],"id":7,"level":3,"text":"building '/nix/store/qd7i2fx5kqpg7k73sxcv6krffxvxssg8-nixos-system-web.drv'","type":105}
@nix {"action":"result","fields":[0,2,1,0],"id":2,"type":105}
@nix {"action":"result","fields":["hello"],"id":7,"type":101}
@nix {"action":"result","fields":[1,2,0,0],"id":2,"type":105}
@nix {"action":"stop","id":7}
@nix {"action":"start","fields":["/nix/store/2cfip412dimzl457mmzkgny0m25qikmf-nixos-vm-web.drv","",1,1],"id":8,"level":3,"text":"building","type":105}
@nix {"action":"result","fields":[2,2,0,0],"id":2,"type":105}
@nix {"action":"stop","id":8}
@nix {"action":"stop","id":3}
@nix {"action":"stop","id":2}"#;

    #[test]
    fn a_build_is_followed() {
        let mut p = Progress::new();
        let events: Vec<Event> = BUILD.lines().flat_map(|l| p.feed(l)).collect();
        let status = |s: &str| Event::Status(s.to_string());
        assert_eq!(
            events,
            [
                Event::Message { level: 1, text: "\u{1b}[35;1mwarning:\u{1b}[0m Git tree '/p' is dirty".into() },
                status("building (0/2 built)"),
                status("building nixos-system-web (0/2 built)"),
                Event::Log { name: "nixos-system-web".into(), line: "hello".into() },
                status("building nixos-system-web (1/2 built)"),
                status("building (1/2 built)"),
                status("building nixos-vm-web (1/2 built)"),
                status("building (2/2 built)"),
            ]
        );
    }

    #[test]
    fn a_failed_build_shows_what_its_builder_wrote_last() {
        let mut p = Progress::new();
        let lines = [
            r#"@nix {"action":"start","fields":["/nix/store/c3fcaczgcwjavd94zy06hvk1m2j8a6iz-broken.drv","",1,1],"id":7,"level":3,"text":"","type":105}"#,
            r#"@nix {"action":"result","fields":["disk on fire"],"id":7,"type":101}"#,
            r#"@nix {"action":"stop","id":7}"#,
            r#"@nix {"action":"msg","level":0,"msg":"\u001b[31;1merror:\u001b[0m builder for '\u001b[35;1m/nix/store/c3fcaczgcwjavd94zy06hvk1m2j8a6iz-broken.drv\u001b[0m' failed with exit code 1"}"#,
        ];
        let messages: Vec<String> = lines
            .iter()
            .flat_map(|l| p.feed(l))
            .filter_map(|e| match e {
                Event::Message { text, .. } => Some(text),
                _ => None,
            })
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(
            messages[1],
            "last 1 log lines:\n> disk on fire\nFor full logs, run 'nix log /nix/store/c3fcaczgcwjavd94zy06hvk1m2j8a6iz-broken.drv'."
        );
    }

    #[test]
    fn anything_else_is_a_message_and_nothing_panics() {
        let mut p = Progress::new();
        assert_eq!(p.feed("trace: hi"), [Event::Message { level: 0, text: "trace: hi".into() }]);
        assert_eq!(p.feed("@nix {"), [Event::Message { level: 0, text: "@nix {".into() }]);
        for odd in [
            "@nix []",
            "@nix {\"action\":\"result\",\"type\":101}",
            "@nix {\"action\":\"start\",\"type\":105,\"fields\":[3]}",
            "",
        ] {
            p.feed(odd);
        }
        assert_eq!(derivation_name("/nix/store/short-x.drv"), "short-x");
    }
}
