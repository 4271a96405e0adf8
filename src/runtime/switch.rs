//! What NixOS's `switch-to-configuration` said it did to the units (or,
//! with `dry-activate`, would do), read from its output lines: "stopping
//! the following units: a.service, b.service", "restarting ...",
//! "reloading ...", "starting ...", "the following new units were
//! started: ...", "warning: the following units failed: ...", and the
//! `would ...` forms of a dry activation.

/// The units by what happened to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SwitchReport {
    pub stopped: Vec<String>,
    pub restarted: Vec<String>,
    pub reloaded: Vec<String>,
    pub started: Vec<String>,
    /// Changed, but left running (`restartIfChanged = false`).
    pub not_restarted: Vec<String>,
    pub failed: Vec<String>,
}

impl SwitchReport {
    /// Read one line of the output; lines that report no units change
    /// nothing.
    pub fn read_line(&mut self, line: &str) {
        let line = line.trim();
        let line = line.strip_prefix("warning: ").unwrap_or(line);
        let dry = line.strip_prefix("would ");
        let kinds: [(&[&str], &mut Vec<String>); 6] = [
            (&["stopping the following units:", "stop the following units:"], &mut self.stopped),
            (&["restarting the following units:", "restart the following units:"], &mut self.restarted),
            (&["reloading the following units:", "reload the following units:"], &mut self.reloaded),
            (
                &[
                    "starting the following units:",
                    "the following new units were started:",
                    "start the following units:",
                ],
                &mut self.started,
            ),
            (
                &["NOT restarting the following changed units:", "NOT restart the following changed units:"],
                &mut self.not_restarted,
            ),
            (&["the following units failed:"], &mut self.failed),
        ];
        let text = dry.unwrap_or(line);
        for (prefixes, units) in kinds {
            if let Some(rest) = prefixes.iter().find_map(|p| text.strip_prefix(p)) {
                for unit in rest.split(',').map(str::trim).filter(|u| !u.is_empty()) {
                    if !units.iter().any(|u| u == unit) {
                        units.push(unit.to_string());
                    }
                }
                return;
            }
        }
    }

    /// Whether no unit was touched.
    pub fn is_empty(&self) -> bool {
        self == &SwitchReport::default()
    }

    /// One line per kind, for people: `restarted: sshd.service, nginx.service`.
    pub fn lines(&self) -> Vec<String> {
        [
            ("stopped", &self.stopped),
            ("restarted", &self.restarted),
            ("reloaded", &self.reloaded),
            ("started", &self.started),
            ("changed but not restarted", &self.not_restarted),
            ("failed", &self.failed),
        ]
        .into_iter()
        .filter(|(_, units)| !units.is_empty())
        .map(|(what, units)| format!("{what}: {}", units.join(", ")))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> SwitchReport {
        let mut r = SwitchReport::default();
        text.lines().for_each(|l| r.read_line(l));
        r
    }

    #[test]
    fn a_switch_reports_its_units() {
        let r = read(
            "stopping the following units: old.service\n\
             activating the configuration...\n\
             setting up /etc...\n\
             reloading user units for root...\n\
             restarting the following user units: app.service\n\
             reloading the following units: dbus.service\n\
             restarting the following units: nix-daemon.service, sshd.service\n\
             starting the following units: nscd.service\n\
             the following new units were started: nginx.service, nscd.service\n\
             NOT restarting the following changed units: db.service\n\
             warning: the following units failed: nginx.service\n",
        );
        assert_eq!(r.stopped, ["old.service"]);
        assert_eq!(r.reloaded, ["dbus.service"]);
        assert_eq!(r.restarted, ["nix-daemon.service", "sshd.service"]);
        assert_eq!(r.started, ["nscd.service", "nginx.service"]);
        assert_eq!(r.not_restarted, ["db.service"]);
        assert_eq!(r.failed, ["nginx.service"]);
        assert_eq!(r.lines()[0], "stopped: old.service");
    }

    #[test]
    fn a_dry_activation_reports_what_it_would_do() {
        let r = read(
            "would stop the following units: old.service\n\
             would NOT stop the following changed units: keep.service\n\
             would activate the configuration...\n\
             would restart the following units: sshd.service\n\
             would reload the following units: dbus.service\n\
             would start the following units: nginx.service\n",
        );
        assert_eq!(r.stopped, ["old.service"]);
        assert_eq!(r.restarted, ["sshd.service"]);
        assert_eq!(r.reloaded, ["dbus.service"]);
        assert_eq!(r.started, ["nginx.service"]);
        assert!(read("activating the configuration...\nsetting up /etc...\n").is_empty());
    }
}
