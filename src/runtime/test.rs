//! `nixvm test`, the pure part: the calls a test script makes (as the
//! embedded Python shim sends them, one JSON line each) and the answers it
//! gets, the guest commands each call runs (quoted as a shell would read
//! them, the way the NixOS test driver builds them), reading what they
//! print, and the JUnit report.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A call from the script: on a machine (`machine`), or global.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Request {
    #[serde(default)]
    pub machine: Option<String>,
    #[serde(flatten)]
    pub call: Call,
}

/// Seconds, as the script gave them (an int, a float, or a `timedelta`,
/// which the shim turns into seconds); `None`: no limit.
pub type Seconds = Option<f64>;

/// The default timeout of the driver's waits and of `execute` (15 min).
pub const DEFAULT_TIMEOUT: f64 = 900.0;

fn default_timeout() -> Seconds {
    Some(DEFAULT_TIMEOUT)
}

fn yes() -> bool {
    true
}

fn localhost() -> String {
    "localhost".into()
}

fn active() -> String {
    "active".into()
}

/// Every call, with the driver's names and defaults.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "call", content = "args", rename_all = "snake_case")]
pub enum Call {
    // Commands.
    Execute {
        command: String,
        #[serde(default = "yes")]
        check_return: bool,
        #[serde(default = "yes")]
        check_output: bool,
        #[serde(default = "default_timeout")]
        timeout: Seconds,
    },
    Succeed {
        commands: Vec<String>,
        #[serde(default)]
        timeout: Seconds,
    },
    Fail {
        commands: Vec<String>,
        #[serde(default)]
        timeout: Seconds,
    },
    WaitUntilSucceeds {
        command: String,
        #[serde(default = "default_timeout")]
        timeout: Seconds,
    },
    WaitUntilFails {
        command: String,
        #[serde(default = "default_timeout")]
        timeout: Seconds,
    },
    Sleep {
        seconds: f64,
    },
    // Units.
    Systemctl {
        q: String,
        #[serde(default)]
        user: Option<String>,
    },
    GetUnitInfo {
        unit: String,
        #[serde(default)]
        user: Option<String>,
    },
    GetUnitProperty {
        unit: String,
        property: String,
        #[serde(default)]
        user: Option<String>,
    },
    RequireUnitState {
        unit: String,
        #[serde(default = "active")]
        require_state: String,
    },
    StartJob {
        unit: String,
        #[serde(default)]
        user: Option<String>,
    },
    StopJob {
        unit: String,
        #[serde(default)]
        user: Option<String>,
    },
    WaitForUnit {
        unit: String,
        #[serde(default)]
        user: Option<String>,
        #[serde(default = "default_timeout")]
        timeout: Seconds,
    },
    // Files and ports.
    WaitForFile {
        filename: String,
        #[serde(default = "default_timeout")]
        timeout: Seconds,
    },
    WaitForOpenPort {
        port: u16,
        #[serde(default = "localhost")]
        addr: String,
        #[serde(default = "default_timeout")]
        timeout: Seconds,
    },
    WaitForClosedPort {
        port: u16,
        #[serde(default = "localhost")]
        addr: String,
        #[serde(default = "default_timeout")]
        timeout: Seconds,
    },
    WaitForOpenUnixSocket {
        addr: String,
        #[serde(default)]
        is_datagram: bool,
        #[serde(default = "default_timeout")]
        timeout: Seconds,
    },
    CopyFromHost {
        source: String,
        target: String,
    },
    CopyFromHostViaShell {
        source: String,
        target: String,
    },
    CopyFromMachine {
        source: String,
        #[serde(default)]
        target_dir: String,
    },
    // The VM itself.
    Start {
        #[serde(default)]
        allow_reboot: bool,
    },
    Shutdown,
    Reboot,
    Crash,
    WaitForShutdown,
    IsUp,
    WaitForConsoleText {
        regex: String,
        #[serde(default)]
        timeout: Seconds,
    },
    GetConsoleLog,
    Block,
    Unblock,
    SendMonitorCommand {
        command: String,
    },
    ForwardPort {
        #[serde(default = "http_host")]
        host_port: u16,
        #[serde(default = "http")]
        guest_port: u16,
    },
    Screenshot {
        filename: String,
    },
    /// A driver method nixvm cannot provide (`send_key`, OCR, ...).
    Unsupported {
        method: String,
    },
    // The script's run.
    StartAll,
    JoinAll,
    /// The script has polling conditions active (or none any more): calls
    /// then ask it to check them before each guest command.
    Polling {
        active: bool,
    },
    Log {
        message: String,
    },
    /// `log.log_test_error`.
    TestError {
        message: String,
    },
    NestedStart {
        message: String,
    },
    NestedEnd {
        #[serde(default)]
        failed: bool,
    },
    SubtestStart {
        name: String,
    },
    SubtestEnd {
        #[serde(default)]
        error: Option<String>,
    },
    SerialStdout {
        on: bool,
    },
}

fn http_host() -> u16 {
    8080
}

fn http() -> u16 {
    80
}

/// What a failed call raises in the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Raise {
    /// `RequestedAssertionFailed` (an `AssertionError`): what the script
    /// asked for did not hold.
    Assertion,
    /// `MachineError`: not the script's fault (a VM that stopped, ssh that
    /// failed, what nixvm cannot do).
    Machine,
    /// `PollingConditionError`.
    Polling,
    /// `TypeError`, `ValueError`: the script called it wrongly.
    Type,
}

/// An error a call ends with, raised in the script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Raised {
    pub kind: Raise,
    pub message: String,
}

impl Raised {
    pub fn assertion(message: impl Into<String>) -> Raised {
        Raised { kind: Raise::Assertion, message: message.into() }
    }
    pub fn machine(message: impl Into<String>) -> Raised {
        Raised { kind: Raise::Machine, message: message.into() }
    }
}

/// The answer to a call, one JSON line: `{"ok": VALUE}` or
/// `{"error": {"kind", "message"}}`; or, in the middle of a call, `{"poll":
/// true}`, asking the script to check its polling conditions and answer
/// `{"polled": null}` or `{"polled": "why it failed"}`.
pub fn answer(result: Result<serde_json::Value, Raised>) -> String {
    match result {
        Ok(v) => serde_json::json!({ "ok": v }).to_string(),
        Err(e) => serde_json::json!({ "error": e }).to_string(),
    }
}

/// The question for the script's polling conditions.
pub const POLL: &str = r#"{"poll":true}"#;

/// A word as a POSIX shell reads it, quoted only when it must be (the
/// way Python's `shlex.quote` writes it).
pub fn quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\"'\"'"))
    }
}

/// Seconds as a guest command takes them: `900`, `2.5`.
pub fn seconds_word(seconds: f64) -> String {
    if seconds.fract() == 0.0 && seconds >= 0.0 {
        format!("{}", seconds as u64)
    } else {
        format!("{seconds}")
    }
}

/// `timeout N` for the guest (`timeout 900`, or `timeout 2.5`), or nothing.
fn timeout_prefix(timeout: Seconds) -> String {
    match timeout {
        Some(t) => format!("timeout {} ", seconds_word(t)),
        None => String::new(),
    }
}

/// What the persistent shell is sent for `execute`: the command in bash
/// with `set -euo pipefail` (under `timeout` when it has one), reading
/// nothing of the session (whose input is this protocol), and its answer:
/// one line `TOKEN BASE64 STATUS`, the command's stdout in base64 (the
/// guest's coreutils) and its exit status. `token` (random per shell)
/// tells the answer from anything else the session prints (a login
/// banner, what the guest's startup files echo). The command's stderr is
/// the session's.
pub fn execute_line(command: &str, timeout: Seconds, token: &str) -> String {
    let script = format!("set -euo pipefail; {command}");
    format!(
        "printf '%s ' {token}; {}bash -c {} </dev/null | base64 -w 0; echo \" ${{PIPESTATUS[0]}}\"\n",
        timeout_prefix(timeout),
        quote(&script)
    )
}

/// An answer line of `execute_line`'s, when `line` is one for `token`: the
/// command's stdout, and its exit status. None for any other line; a line
/// that starts with the token but is not a whole answer is an error.
pub fn read_answer(line: &str, token: &str) -> Option<Result<(i32, String), String>> {
    let rest = line.strip_prefix(token)?.strip_prefix(' ')?;
    let parsed = (|| {
        use base64::Engine as _;
        let (encoded, status) = rest.rsplit_once(' ')?;
        let status = status.trim().parse().ok()?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
        Some((status, String::from_utf8_lossy(&bytes).into_owned()))
    })();
    Some(parsed.ok_or_else(|| format!("the guest's shell answered `{line}`, which is no answer nixvm sent for")))
}

/// The exit status `timeout` gives a command it stopped.
pub const TIMED_OUT: i32 = 124;

/// `systemctl q`, or the user's (`su -l USER` with their runtime
/// directory), as the driver runs it.
pub fn systemctl_command(q: &str, user: Option<&str>) -> String {
    match user {
        None => format!("systemctl {q}"),
        Some(user) => {
            let q = q.replace('\'', "\\'");
            format!("su -l {user} --shell /bin/sh -c $'XDG_RUNTIME_DIR=/run/user/`id -u` systemctl --user {q}'")
        }
    }
}

/// `systemctl show` output as key and value, as the driver reads it
/// (`KEY=VALUE` lines; others ignored).
pub fn unit_info(text: &str) -> BTreeMap<String, String> {
    text.split('\n')
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Whether a TCP port accepts connections, asked in the guest. The driver
/// asks `nc -z`; a default NixOS guest may have no netcat, bash's
/// `/dev/tcp` is always there.
pub fn port_probe(addr: &str, port: u16) -> String {
    format!("timeout 5 bash -c {}", quote(&format!("exec 3<>/dev/tcp/{addr}/{port}")))
}

/// Whether a unix socket is open at `addr`: listening (stream) or bound
/// (datagram), asked of iproute2's `ss` (the driver's `nc -U` needs
/// netcat).
pub fn unix_socket_probe(addr: &str, datagram: bool) -> String {
    let test = if datagram { r#"$1 == "u_dgr""# } else { r#"$1 == "u_str" && $2 == "LISTEN""# };
    format!("ss -Hxa | awk -v p={} '{test} && $5 == p {{ found = 1 }} END {{ exit !found }}'", quote(addr))
}

/// How the script's subtests went, for `--junit-xml`: one test case per
/// subtest name (repeated names are one case), with its time and whether
/// an error happened in it; with no subtest at all, one case `main`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub cases: Vec<Case>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub name: String,
    pub seconds: f64,
    /// The errors logged while it was the current subtest.
    pub errors: Vec<String>,
    /// What the script logged in it.
    pub output: Vec<String>,
}

impl Report {
    /// The case named `name`, made when new.
    pub fn case(&mut self, name: &str) -> &mut Case {
        if let Some(i) = self.cases.iter().position(|c| c.name == name) {
            return &mut self.cases[i];
        }
        self.cases.push(Case { name: name.to_string(), seconds: 0.0, errors: vec![], output: vec![] });
        self.cases.last_mut().expect("just pushed")
    }

    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| !c.errors.is_empty()).count()
    }

    fn seconds(&self) -> f64 {
        self.cases.iter().map(|c| c.seconds).sum()
    }
}

/// The JUnit XML document of some scripts' reports: a test suite per
/// script (named by it), a test case per subtest.
pub fn junit_xml(suites: &[(String, Report)]) -> String {
    let count: usize = suites.iter().map(|(_, r)| r.cases.len()).sum();
    let failures: usize = suites.iter().map(|(_, r)| r.failures()).sum();
    let time: f64 = suites.iter().map(|(_, r)| r.seconds()).sum();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(x, "<testsuites tests=\"{count}\" failures=\"{failures}\" errors=\"0\" time=\"{time:.3}\">");
    for (suite, report) in suites {
        let _ = writeln!(
            x,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{:.3}\">",
            xml_escape(suite),
            report.cases.len(),
            report.failures(),
            report.seconds()
        );
        for c in &report.cases {
            let _ = write!(
                x,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\">",
                xml_escape(&c.name),
                xml_escape(suite),
                c.seconds
            );
            if !c.errors.is_empty() {
                let _ = write!(x, "\n      <failure message=\"test case failed\" type=\"failure\"/>");
            }
            if !c.output.is_empty() {
                let _ = write!(x, "\n      <system-out>{}</system-out>", xml_escape(&c.output.join("\n")));
            }
            if !c.errors.is_empty() {
                let _ = write!(x, "\n      <system-err>{}</system-err>", xml_escape(&c.errors.join("\n")));
            }
            let closing = if c.errors.is_empty() && c.output.is_empty() { "" } else { "\n    " };
            let _ = writeln!(x, "{closing}</testcase>");
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

/// Text as XML character data or an attribute value; characters XML 1.0
/// cannot hold (most control characters) are dropped.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The variable a machine is in the script, as the driver names it: every
/// character that cannot be in a Python identifier becomes `_`, and so
/// does a first character that cannot start one.
pub fn python_name(machine: &str) -> String {
    machine
        .chars()
        .enumerate()
        .map(|(i, c)| if c.is_ascii_alphabetic() || c == '_' || (i > 0 && c.is_ascii_digit()) { c } else { '_' })
        .collect()
}

/// A PNG image (8-bit RGB, no compression: zlib's stored blocks) of
/// `width` x `height` pixels; `rgb` holds three bytes a pixel, row after
/// row. What `screenshot` makes of QEMU's `screendump`.
pub fn png(width: u32, height: u32, rgb: &[u8]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend(kind);
        out.extend(data);
        let crc = crc32(&out[start..]);
        out.extend(crc.to_be_bytes());
    }
    let row = width as usize * 3;
    // Each row behind its filter byte (0: none).
    let mut raw = Vec::with_capacity((row + 1) * height as usize);
    for y in 0..height as usize {
        raw.push(0);
        raw.extend(rgb.get(y * row..(y + 1) * row).unwrap_or(&[]));
        raw.resize((y + 1) * (row + 1), 0);
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = if raw.is_empty() { vec![&[][..]] } else { raw.chunks(65_535).collect() };
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend(*block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = vec![];
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A binary PPM (`P6`, what QEMU's `screendump` writes): width, height
/// and the RGB pixels, or None when it is not one nixvm can read.
pub fn read_ppm(bytes: &[u8]) -> Option<(u32, u32, &[u8])> {
    let mut fields = vec![];
    let mut i = 0;
    while fields.len() < 4 {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'#') {
            if bytes[i] == b'#' {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if start == i {
            return None;
        }
        fields.push(std::str::from_utf8(&bytes[start..i]).ok()?);
    }
    let (w, h, max): (u32, u32, u32) = (fields[1].parse().ok()?, fields[2].parse().ok()?, fields[3].parse().ok()?);
    if fields[0] != "P6" || max != 255 {
        return None;
    }
    let pixels = bytes.get(i + 1..)?;
    let size = (w as usize).checked_mul(h as usize)?.checked_mul(3)?;
    Some((w, h, pixels.get(..size)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_read_with_the_drivers_defaults() {
        let r: Request =
            serde_json::from_str(r#"{"machine":"web","call":"wait_for_unit","args":{"unit":"nginx"}}"#).unwrap();
        assert_eq!(r.machine.as_deref(), Some("web"));
        assert_eq!(r.call, Call::WaitForUnit { unit: "nginx".into(), user: None, timeout: Some(900.0) });
        let r: Request =
            serde_json::from_str(r#"{"machine":"web","call":"succeed","args":{"commands":["true"]}}"#).unwrap();
        assert_eq!(r.call, Call::Succeed { commands: vec!["true".into()], timeout: None });
        let r: Request = serde_json::from_str(r#"{"call":"start_all"}"#).unwrap();
        assert_eq!((r.machine, r.call), (None, Call::StartAll));
        assert!(serde_json::from_str::<Request>(r#"{"call":"no_such_call"}"#).is_err());
    }

    #[test]
    fn commands_are_quoted_as_a_shell_reads_them() {
        assert_eq!(quote("nginx.service"), "nginx.service");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's $HOME"), "'it'\"'\"'s $HOME'");
        assert_eq!(
            execute_line("echo 'a b' | wc -w", Some(900.0), "T0K"),
            "printf '%s ' T0K; timeout 900 bash -c 'set -euo pipefail; echo '\"'\"'a b'\"'\"' | wc -w' </dev/null | base64 -w 0; echo \" ${PIPESTATUS[0]}\"\n"
        );
        assert!(execute_line("true", None, "T").contains("; bash -c "));
        assert!(execute_line("true", Some(2.5), "T").contains("; timeout 2.5 bash -c "));
    }

    #[test]
    fn answers_are_told_from_other_output() {
        assert_eq!(read_answer("T0K aGkK 0", "T0K"), Some(Ok((0, "hi\n".into()))));
        assert_eq!(read_answer("T0K  3", "T0K"), Some(Ok((3, String::new()))), "no output");
        assert_eq!(read_answer("Welcome to the guest", "T0K"), None);
        assert!(matches!(read_answer("T0K garbage", "T0K"), Some(Err(_))));
    }

    #[test]
    fn user_units_go_through_su() {
        assert_eq!(systemctl_command("--no-pager show \"x\"", None), "systemctl --no-pager show \"x\"");
        assert_eq!(
            systemctl_command("start it's", Some("alice")),
            "su -l alice --shell /bin/sh -c $'XDG_RUNTIME_DIR=/run/user/`id -u` systemctl --user start it\\'s'"
        );
    }

    #[test]
    fn unit_info_reads_key_value_lines() {
        let info =
            unit_info("Id=a.service\nActiveState=active\nExecStart={ path=/bin/x ; argv[]=/bin/x a=b }\n\nno line\n");
        assert_eq!(info["ActiveState"], "active");
        assert_eq!(info["ExecStart"], "{ path=/bin/x ; argv[]=/bin/x a=b }");
        assert_eq!(info.len(), 3);
    }

    #[test]
    fn machine_names_become_python_names() {
        assert_eq!(python_name("web-1"), "web_1");
        assert_eq!(python_name("1a"), "_a");
        assert_eq!(python_name("db"), "db");
    }

    #[test]
    fn junit_has_a_case_per_subtest() {
        let mut r = Report::default();
        r.case("boot").seconds = 1.5;
        r.case("web <ok>").errors.push("unit \"x\" reached state \"failed\"".into());
        r.case("boot").seconds += 0.5;
        let xml = junit_xml(&[("tests/web.py".into(), r)]);
        assert!(xml.contains(r#"<testcase name="boot" classname="tests/web.py" time="2.000">"#), "{xml}");
        assert!(xml.contains(r#"<testcase name="web &lt;ok&gt;" classname="tests/web.py" time="0.000">"#), "{xml}");
        assert!(xml.contains(r#"<failure message="test case failed" type="failure"/>"#), "{xml}");
        assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 2);
    }

    #[test]
    fn screendumps_become_pngs() {
        let ppm = b"P6\n# a comment\n2 1\n255\n\xff\x00\x00\x00\x00\xff";
        let (w, h, px) = read_ppm(ppm).unwrap();
        assert_eq!((w, h, px.len()), (2, 1, 6));
        let png = png(w, h, px);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(png.ends_with(&[0xae, 0x42, 0x60, 0x82]), "IEND's CRC");
        assert!(read_ppm(b"P3\n1 1\n255\n1 2 3").is_none());
        assert!(read_ppm(b"P6\n100 100\n255\nshort").is_none());
    }
}
