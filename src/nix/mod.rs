//! The one place that runs `nix`. Arguments are passed as argv, never
//! through a shell; experimental features are enabled per call so Nix 2.8
//! (Debian's) works without configuration.

pub mod config;
pub mod lock;
pub mod message;
pub mod progress;
pub mod timings;
pub mod version;

pub use progress::{Event, Progress};
pub use version::Version;

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum NixError {
    #[error("nix is not installed (not found on PATH)")]
    NotFound,
    #[error("cannot run nix: {0}")]
    Spawn(std::io::Error),
    /// Nix ran and failed; its last error line.
    #[error("{0}")]
    Failed(String),
    /// Evaluation failed; Nix's whole stderr (internal-json events).
    #[error("nix could not evaluate it")]
    Rejected(String),
}

/// Flags every nix call passes through from the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    pub show_trace: bool,
    pub print_build_logs: bool,
    pub impure: bool,
    pub offline: bool,
    pub builders: Option<String>,
    /// `--option NAME VALUE`, in order.
    pub options: Vec<(String, String)>,
    /// `--override-input INPUT REF`, in order.
    pub override_inputs: Vec<(String, String)>,
    /// `--no-write-lock-file`: the flake's lock is worked out on each call
    /// and never written (flake mode's wrapper, whose input is a working
    /// tree). Nix's notice that it did not write it is not passed on.
    pub no_write_lock_file: bool,
}

impl Flags {
    /// The flags as nix arguments.
    pub fn to_args(&self) -> Vec<String> {
        let mut a = vec![];
        let mut flag = |on: bool, f: &str| {
            if on {
                a.push(f.to_string());
            }
        };
        flag(self.show_trace, "--show-trace");
        flag(self.print_build_logs, "--print-build-logs");
        flag(self.impure, "--impure");
        flag(self.offline, "--offline");
        flag(self.no_write_lock_file, "--no-write-lock-file");
        if let Some(b) = &self.builders {
            a.extend(["--builders".to_string(), b.clone()]);
        }
        for (k, v) in &self.options {
            a.extend(["--option".to_string(), k.clone(), v.clone()]);
        }
        for (k, v) in &self.override_inputs {
            a.extend(["--override-input".to_string(), k.clone(), v.clone()]);
        }
        a
    }
}

/// For nixvm's flake evaluations (`nix eval`): they apply a function or
/// read one small attribute, so the eval cache saves them nothing, and
/// before Nix 2.11 a second process reading it while a first writes it can
/// fail with "attribute 'packages.x86_64-linux.…' is unexpectedly missing"
/// (two `nixvm up` at once, or two projects with the same files and lock).
/// `nix build` keeps the cache and retries without it on that error.
const NO_EVAL_CACHE: &str = "--no-eval-cache";
/// What that failure says.
const UNEXPECTEDLY_MISSING: &str = "is unexpectedly missing";

/// One built installable: `nix build --json` reports these.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Built {
    #[serde(rename = "drvPath")]
    pub drv_path: String,
    pub outputs: std::collections::BTreeMap<String, String>,
}

impl Built {
    pub fn out(&self) -> Option<&str> {
        self.outputs.get("out").map(String::as_str)
    }
}

/// How to call nix.
#[derive(Debug, Clone)]
pub struct Nix {
    program: PathBuf,
    flags: Flags,
    /// Its version, once known: from an evaluation that asked for
    /// `builtins.nixVersion` anyway (`learn_version`), else from
    /// `nix --version` when first needed.
    version: std::sync::OnceLock<Version>,
    /// Say each command before running it (`nixvm -v`), as `sh -x` does.
    echo: bool,
}

impl Nix {
    /// `nix` from PATH.
    pub fn find() -> Result<Nix, NixError> {
        let path = std::env::var_os("PATH").ok_or(NixError::NotFound)?;
        std::env::split_paths(&path)
            .map(|d| d.join("nix"))
            .find(|c| c.is_file())
            .map(|program| Nix { program, flags: Flags::default(), version: std::sync::OnceLock::new(), echo: false })
            .ok_or(NixError::NotFound)
    }

    pub fn with_flags(mut self, flags: Flags) -> Nix {
        self.flags = flags;
        self
    }

    /// Print each nix command on stderr before running it, in a form a
    /// shell takes back (`+ nix build ...`): how to do the same without
    /// nixvm.
    pub fn with_echo(mut self, echo: bool) -> Nix {
        self.echo = echo;
        self
    }

    fn say(&self, c: &Command) {
        if self.echo {
            // The environment nixvm sets (NIX_SSHOPTS) first, as a shell
            // takes it.
            let env = c.get_envs().filter_map(|(k, v)| {
                Some(format!("{}={}", k.to_string_lossy(), crate::text::shell_word(&v?.to_string_lossy())))
            });
            let words: Vec<String> = env
                .chain(
                    std::iter::once(c.get_program())
                        .chain(c.get_args())
                        .map(|w| crate::text::shell_word(&w.to_string_lossy())),
                )
                .collect();
            eprintln!("+ {}", words.join(" "));
        }
    }

    /// The version of this Nix: known, or asked once (`nix --version`).
    pub fn version(&self) -> Result<Version, NixError> {
        if let Some(v) = self.version.get() {
            return Ok(*v);
        }
        let _run = timings::Run::start();
        let out = Command::new(&self.program).arg("--version").output().map_err(NixError::Spawn)?;
        let text = String::from_utf8_lossy(&out.stdout);
        let v = Version::parse(&text)
            .ok_or_else(|| NixError::Failed(format!("cannot read the version of nix from {:?}", text.trim())))?;
        Ok(*self.version.get_or_init(|| v))
    }

    /// Remember the version an evaluation reported (`builtins.nixVersion`),
    /// so no `nix --version` is needed. Text that is no version is ignored.
    pub fn learn_version(&self, text: &str) {
        if let Some(v) = Version::parse(text) {
            let _ = self.version.set(v);
        }
    }

    /// `nix build --json --no-link INSTALLABLES` in `dir` (Nix 2.8 has no
    /// `--print-out-paths`), or with `--out-link ROOT` when given: a GC root
    /// there (for one installable; Nix numbers the links of more). Nix's messages and build logs go to `watch`
    /// as events when there is one, else to our stderr as Nix prints them.
    ///
    /// Done when nix has printed its result: nix prints it only once all is
    /// built, and then spends milliseconds freeing what it held. That is
    /// not waited for (nix runs detached, its exit reaped by init), as
    /// `nix run` does not wait for it before it starts the program.
    pub fn build(
        &self,
        dir: &Path,
        installables: &[String],
        watch: Option<Watch>,
        root: Option<&Path>,
    ) -> Result<Vec<Built>, NixError> {
        let stderr = match watch {
            Some(w) => Stderr::Watch(w),
            None => Stderr::Inherit,
        };
        let link = root.map(|r| r.as_os_str().to_string_lossy().into_owned());
        let link_args: Vec<&str> = match &link {
            Some(l) => vec!["--out-link", l.as_str()],
            None => vec!["--no-link"],
        };
        let build = |extra: &[&str]| {
            let subcommand = [&["build", "--json"][..], extra, &link_args].concat();
            self.spawn(dir, &subcommand, installables, stderr, Ends::AtResult)
        };
        let out = match build(&[]) {
            // The eval cache, shared with another nix that was writing it,
            // was inconsistent (Nix before 2.11): once more without it. The
            // cache stays on otherwise: an unchanged flake's build then
            // skips evaluation.
            Err(NixError::Rejected(said)) if said.contains(UNEXPECTEDLY_MISSING) => {
                if let Some(watch) = watch {
                    watch(Event::Message {
                        level: 1,
                        text:
                            "nixvm: nix's evaluation cache was being written by another nix; building again without it"
                                .into(),
                    });
                }
                build(&[NO_EVAL_CACHE])
            }
            other => other,
        }
        .map_err(|_| NixError::Failed(format!("nix build {} failed", installables.join(" "))))?;
        json(&out, "nix build")
    }

    /// `nix SUBCOMMAND FLAGS TAIL` in `dir`: stdout, or stderr when nix
    /// fails (empty when it went to ours).
    fn run(&self, dir: &Path, subcommand: &[&str], tail: &[String], stderr: Stderr) -> Result<Vec<u8>, NixError> {
        self.spawn(dir, subcommand, tail, stderr, Ends::AtExit)
    }

    fn spawn(
        &self,
        dir: &Path,
        subcommand: &[&str],
        tail: &[String],
        stderr: Stderr,
        ends: Ends,
    ) -> Result<Vec<u8>, NixError> {
        let mut c = Command::new(&self.program);
        c.current_dir(dir)
            .args(["--extra-experimental-features", "nix-command flakes"])
            .args(subcommand)
            .args(self.flags.to_args())
            .args(tail);
        if matches!(stderr, Stderr::Watch(_)) {
            c.args(["--log-format", "internal-json"]);
        }
        self.say(&c);
        if ends == Ends::AtResult {
            detach(&mut c);
        }
        c.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped());
        c.stderr(match stderr {
            Stderr::Inherit => std::process::Stdio::inherit(),
            _ => std::process::Stdio::piped(),
        });
        let _run = timings::Run::start();
        let mut child = c.spawn().map_err(NixError::Spawn)?;
        if let Stderr::Watch(watch) = &stderr {
            watch(Event::Started);
        }
        let (stdout, err) = (child.stdout.take(), child.stderr.take());
        let mut progress = Progress::new();
        let mut kept = String::new();
        let unwritten_lock = self.flags.no_write_lock_file;
        let mut on_line = |line: &str| {
            kept.push_str(line);
            kept.push('\n');
            if let Stderr::Watch(watch) = &stderr {
                for event in progress.feed(line) {
                    if !(unwritten_lock && is_unwritten_lock_notice(&event)) {
                        watch(event);
                    }
                }
            }
        };
        let (stdout, result) = pump(stdout, err, ends == Ends::AtResult, &mut on_line).map_err(NixError::Spawn)?;
        // Detached, the child is the process that started nix and left at
        // once; nix's result says whether it succeeded.
        let status = child.wait().map_err(NixError::Spawn)?;
        let success = match ends {
            Ends::AtExit => status.success(),
            Ends::AtResult => result,
        };
        if success {
            Ok(stdout)
        } else {
            Err(NixError::Rejected(kept))
        }
    }

    /// Build derivations already instantiated by an evaluation (so nix
    /// does not evaluate again); returns each one's `out` path by
    /// derivation path. `nix build --json` does not list its results in the
    /// order of its arguments; the derivation path says which is which.
    /// Each derivation is named the way this Nix reads as "its outputs"
    /// (`Version::derivation_outputs`).
    pub fn build_derivations(
        &self,
        dir: &Path,
        drvs: &[String],
        watch: Option<Watch>,
    ) -> Result<std::collections::BTreeMap<String, PathBuf>, NixError> {
        let version = self.version()?;
        let installables: Vec<String> = drvs.iter().map(|d| version.derivation_outputs(d)).collect();
        let mut out = std::collections::BTreeMap::new();
        for b in self.build(dir, &installables, watch, None)? {
            if let Some(path) = b.out() {
                out.insert(b.drv_path.clone(), PathBuf::from(path));
            }
        }
        match drvs.iter().find(|d| !out.contains_key(*d)) {
            Some(d) => Err(NixError::Failed(format!("nix build reported no output for {d}"))),
            None => Ok(out),
        }
    }

    /// Build one installable, a GC root for it at `root`; its `out` path.
    pub fn build_one(
        &self,
        dir: &Path,
        installable: &str,
        watch: Option<Watch>,
        root: &Path,
    ) -> Result<PathBuf, NixError> {
        let built = self.build(dir, &[installable.to_string()], watch, Some(root))?;
        let out = built
            .first()
            .and_then(Built::out)
            .map(PathBuf::from)
            .ok_or_else(|| NixError::Failed(format!("nix build reported no output for {installable}")))?;
        // Nix makes the link just after it prints its result, which is when
        // `build` stopped waiting for it.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::fs::read_link(root).ok().as_deref() != Some(out.as_path()) {
            if std::time::Instant::now() > deadline {
                return Err(NixError::Failed(format!(
                    "nix built {} but made no GC root at {}",
                    out.display(),
                    root.display()
                )));
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        Ok(out)
    }

    /// `nix-store --realise --add-root LINK PATH`: a GC root for a store path
    /// already built (an indirect one, as every Nix since 2.4 makes).
    pub fn add_root(&self, path: &Path, link: &Path) -> Result<(), NixError> {
        self.nix_store(&["--realise".as_ref(), "--add-root".as_ref(), link.as_os_str(), path.as_os_str()]).map(|_| ())
    }

    /// `nix-store ARGS` (beside this `nix`), with no input: its stdout, or
    /// the line of its stderr that says what went wrong.
    fn nix_store(&self, args: &[&std::ffi::OsStr]) -> Result<Vec<u8>, NixError> {
        let mut c = Command::new(self.program.with_file_name("nix-store"));
        c.args(args).stdin(std::process::Stdio::null());
        self.say(&c);
        let _run = timings::Run::start();
        let out = c.output().map_err(NixError::Spawn)?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(NixError::Failed(last_error(&String::from_utf8_lossy(&out.stderr))))
        }
    }

    /// The closure of `path`: every store path it needs, itself included
    /// (`nix-store --query --requisites`).
    pub fn closure(&self, path: &Path) -> Result<Vec<String>, NixError> {
        let closure = self.nix_store(&["--query".as_ref(), "--requisites".as_ref(), path.as_os_str()])?;
        let closure = String::from_utf8(closure)
            .map_err(|_| NixError::Failed("nix-store listed the closure in a form that is not text".into()))?;
        let paths: Vec<String> = closure.lines().filter(|l| !l.is_empty()).map(str::to_string).collect();
        if paths.is_empty() {
            return Err(NixError::Failed(format!("nix-store listed no closure for {}", path.display())));
        }
        Ok(paths)
    }

    /// The NAR size of each of `paths`, in bytes (`nix-store --query
    /// --size`): what copying it sends.
    pub fn sizes(&self, paths: &[String]) -> Result<Vec<u64>, NixError> {
        if paths.is_empty() {
            return Ok(vec![]);
        }
        let mut args: Vec<&std::ffi::OsStr> = vec!["--query".as_ref(), "--size".as_ref()];
        args.extend(paths.iter().map(std::ffi::OsStr::new));
        let out = String::from_utf8(self.nix_store(&args)?).unwrap_or_default();
        let sizes: Vec<u64> = out.lines().filter_map(|l| l.trim().parse().ok()).collect();
        if sizes.len() != paths.len() {
            return Err(NixError::Failed(format!("nix-store gave {} sizes for {} paths", sizes.len(), paths.len())));
        }
        Ok(sizes)
    }

    /// The registration of `paths` (`nix-store --dump-db`): what
    /// `nix-store --load-db` takes to make another Nix database know them,
    /// as qemu-vm.nix's boot does for the host's store it mounts.
    pub fn registration(&self, paths: &[String]) -> Result<Vec<u8>, NixError> {
        // `--dump-db` of no path dumps the whole database.
        if paths.is_empty() {
            return Err(NixError::Failed("no store paths to register".into()));
        }
        let mut args: Vec<&std::ffi::OsStr> = vec!["--dump-db".as_ref()];
        args.extend(paths.iter().map(std::ffi::OsStr::new));
        self.nix_store(&args)
    }

    /// `nix-copy-closure --to HOST PATH`, with ssh options in
    /// `NIX_SSHOPTS`; each option must pass `ssh_option_reads_the_same`.
    pub fn copy_closure_to(&self, host: &str, path: &Path, ssh_options: &[String]) -> Result<(), NixError> {
        if let Some(o) = ssh_options.iter().find(|o| !ssh_option_reads_the_same(o)) {
            return Err(NixError::Failed(format!(
                "the ssh option {o:?} for nix-copy-closure has whitespace, a quote or a backslash, which versions of Nix read differently in NIX_SSHOPTS"
            )));
        }
        let program = self.program.with_file_name("nix-copy-closure");
        let mut c = Command::new(&program);
        c.args(["--to", host]).arg(path).env("NIX_SSHOPTS", ssh_options.join(" ")).stdin(std::process::Stdio::null());
        self.say(&c);
        let _run = timings::Run::start();
        let status = c.status().map_err(NixError::Spawn)?;
        if status.success() {
            Ok(())
        } else {
            Err(NixError::Failed(format!("nix-copy-closure --to {host} {} failed", path.display())))
        }
    }

    /// `nix eval --json INSTALLABLE [--apply FN]` in `dir`.
    pub fn eval_json(&self, dir: &Path, installable: &str, apply: Option<&str>) -> Result<serde_json::Value, NixError> {
        let mut tail = vec![installable.to_string()];
        if let Some(f) = apply {
            tail.extend(["--apply".to_string(), f.to_string()]);
        }
        let out = self.run(dir, &["eval", "--json", NO_EVAL_CACHE], &tail, Stderr::Capture).map_err(briefly)?;
        json(&out, "nix eval")
    }

    /// `nix eval --json --impure --expr EXPR` in `dir` (impure: the
    /// expression reads files by absolute path, as nix-build does).
    pub fn eval_expr_json(&self, dir: &Path, expr: &str) -> Result<serde_json::Value, NixError> {
        let tail = ["--impure".to_string(), "--expr".to_string(), expr.to_string()];
        let out = self.run(dir, &["eval", "--json"], &tail, Stderr::Capture).map_err(briefly)?;
        json(&out, "nix eval")
    }

    /// `nix eval --json --log-format internal-json INSTALLABLE --apply FN`:
    /// on failure (`NixError::Rejected`) Nix's whole stderr, structured,
    /// for `message::parse_stderr`.
    pub fn eval_logged(&self, dir: &Path, installable: &str, apply: &str) -> Result<serde_json::Value, NixError> {
        let out = self.run(
            dir,
            &["eval", "--json", NO_EVAL_CACHE, "--log-format", "internal-json"],
            &[installable.to_string(), "--apply".to_string(), apply.to_string()],
            Stderr::Capture,
        )?;
        json(&out, "nix eval")
    }

    /// The store path of the flake's source (`nix flake metadata`): where
    /// Nix's messages say the project's files are.
    pub fn flake_source(&self, dir: &Path, reference: &str) -> Result<String, NixError> {
        let v: serde_json::Value = json(
            &self
                .run(dir, &["flake", "metadata", "--json"], &[reference.to_string()], Stderr::Capture)
                .map_err(briefly)?,
            "nix flake metadata",
        )?;
        v["path"].as_str().map(str::to_string).ok_or_else(|| NixError::Failed("nix flake metadata gave no path".into()))
    }

    /// `nix flake lock` in `dir`: writes `flake.lock`.
    pub fn flake_lock(&self, dir: &Path) -> Result<(), NixError> {
        self.run(dir, &["flake", "lock"], &[], Stderr::Capture).map(|_| ()).map_err(briefly)
    }
}

/// Whether every Nix reads `option` in `NIX_SSHOPTS` as this one word:
/// Nix 2.8 splits the variable on whitespace; newer Nix splits it as a
/// shell would, so quotes and backslashes change it too.
pub fn ssh_option_reads_the_same(option: &str) -> bool {
    !option.is_empty() && !option.contains(|c: char| c.is_whitespace() || "'\"\\".contains(c))
}

/// Receives what Nix is doing, as it happens.
pub type Watch<'a> = &'a (dyn Fn(Event) + Sync);

/// Where a nix call's stderr goes.
#[derive(Clone, Copy)]
enum Stderr<'a> {
    /// Kept, for the error.
    Capture,
    /// Straight to ours.
    Inherit,
    /// Read as internal-json events, passed on, and kept.
    Watch(Watch<'a>),
}

/// When a nix call is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ends {
    /// When nix exits: its exit status says whether it succeeded.
    AtExit,
    /// When its stdout holds a whole JSON value and a newline (`--json`
    /// output, printed only on success); nix runs detached.
    AtResult,
}

/// Make `c` start its program as an orphan: the child forks it and exits
/// at once, so init reaps the program, which goes on after we stop
/// waiting, or after we exec another program in our place.
pub(crate) fn detach(c: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: runs in the forked child before exec; fork and _exit are
    // async-signal-safe, and nothing else is touched.
    unsafe {
        c.pre_exec(|| match libc::fork() {
            -1 => Err(std::io::Error::last_os_error()),
            0 => Ok(()),
            _ => libc::_exit(0),
        });
    }
}

/// Read a child's stdout and its stderr (when piped; each line to
/// `on_line`) until both close, or with `until_result` until stdout holds a
/// whole JSON value followed by a newline. Returns stdout and whether it
/// holds that.
fn pump(
    stdout: Option<std::process::ChildStdout>,
    stderr: Option<std::process::ChildStderr>,
    until_result: bool,
    on_line: &mut dyn FnMut(&str),
) -> std::io::Result<(Vec<u8>, bool)> {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    let mut out: Vec<u8> = vec![];
    let mut line: Vec<u8> = vec![];
    let mut stdout = stdout;
    let mut stderr = stderr;
    let result = |out: &[u8]| out.ends_with(b"\n") && serde_json::from_slice::<serde::de::IgnoredAny>(out).is_ok();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        if until_result && result(&out) {
            break;
        }
        let fd = |f: Option<i32>| libc::pollfd { fd: f.unwrap_or(-1), events: libc::POLLIN, revents: 0 };
        let mut fds = [fd(stdout.as_ref().map(|s| s.as_raw_fd())), fd(stderr.as_ref().map(|s| s.as_raw_fd()))];
        if fds.iter().all(|f| f.fd < 0) {
            break;
        }
        // SAFETY: `fds` is a valid array of two pollfd for the call.
        if unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) } < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if fds[0].revents != 0 {
            if let Some(s) = stdout.as_mut() {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => stdout = None,
                    Ok(n) => out.extend_from_slice(&buf[..n]),
                }
            }
        }
        if fds[1].revents != 0 {
            if let Some(s) = stderr.as_mut() {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => stderr = None,
                    Ok(n) => {
                        line.extend_from_slice(&buf[..n]);
                        while let Some(i) = line.iter().position(|&b| b == b'\n') {
                            let whole: Vec<u8> = line.drain(..=i).collect();
                            on_line(&String::from_utf8_lossy(&whole[..i]));
                        }
                    }
                }
            }
        }
    }
    if !line.is_empty() {
        on_line(&String::from_utf8_lossy(&line));
    }
    let done = result(&out);
    Ok((out, done))
}

/// Nix's "warning: not writing modified lock file of flake ..." (with the
/// inputs it locked).
fn is_unwritten_lock_notice(event: &Event) -> bool {
    matches!(event, Event::Message { text, .. }
        if message::strip_ansi(text).starts_with("warning: not writing modified lock file"))
}

/// Nix's output as JSON of type `T`.
fn json<T: serde::de::DeserializeOwned>(stdout: &[u8], what: &str) -> Result<T, NixError> {
    serde_json::from_slice(stdout).map_err(|e| NixError::Failed(format!("cannot read {what}'s output: {e}")))
}

/// A failure as the line of Nix's stderr that says what went wrong.
fn briefly(e: NixError) -> NixError {
    match e {
        NixError::Rejected(stderr) => NixError::Failed(last_error(&stderr)),
        other => other,
    }
}

/// The line of Nix's output that says what went wrong.
fn last_error(stderr: &str) -> String {
    stderr
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"))
        .or_else(|| stderr.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("nix failed without a message")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tests/fixtures/programs/prints-a-result ARGS, detached, read by
    /// `pump`: (stdout, whether it holds a result, stderr's lines, seconds
    /// taken).
    fn pumped(args: &[&str], until_result: bool) -> (Vec<u8>, bool, Vec<String>, f64) {
        let program = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/programs/prints-a-result");
        let mut c = Command::new(program);
        c.args(args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        detach(&mut c);
        let start = std::time::Instant::now();
        let mut child = c.spawn().unwrap();
        let mut lines = vec![];
        let (out, done) =
            pump(child.stdout.take(), child.stderr.take(), until_result, &mut |l| lines.push(l.to_string())).unwrap();
        // The process that started it left at once.
        assert!(child.wait().unwrap().success());
        (out, done, lines, start.elapsed().as_secs_f64())
    }

    #[test]
    fn a_result_ends_the_call_before_the_program_exits() {
        let (out, done, lines, took) = pumped(&[], true);
        assert_eq!(out, b"[{\"a\": 1}]\n");
        assert!(done);
        assert_eq!(lines, ["working"]);
        assert!(took < 4.0, "waited for the program: {took}s");
    }

    #[test]
    fn without_a_result_the_call_ends_when_the_program_does() {
        let (out, done, lines, _) = pumped(&["fails"], true);
        assert_eq!(out, b"[1\n");
        assert!(!done);
        assert_eq!(lines, ["error: no", "last"]);
    }

    #[test]
    fn the_unwritten_lock_notice_is_recognised() {
        let notice = |t: &str| Event::Message { level: 1, text: t.into() };
        assert!(is_unwritten_lock_notice(&notice(
            "\u{1b}[35;1mwarning:\u{1b}[0m not writing modified lock file of flake 'path:/p/.nixvm/.flake':\n• Added input 'user':"
        )));
        assert!(!is_unwritten_lock_notice(&notice("warning: Git tree '/p' is dirty")));
    }

    #[test]
    fn flags_become_arguments_in_order() {
        let f = Flags {
            show_trace: true,
            offline: true,
            builders: Some("ssh://b x86_64-linux".into()),
            options: vec![("cores".into(), "2".into()), ("max-jobs".into(), "1".into())],
            override_inputs: vec![("nixpkgs".into(), "path:/x".into())],
            ..Flags::default()
        };
        assert_eq!(
            f.to_args(),
            [
                "--show-trace",
                "--offline",
                "--builders",
                "ssh://b x86_64-linux",
                "--option",
                "cores",
                "2",
                "--option",
                "max-jobs",
                "1",
                "--override-input",
                "nixpkgs",
                "path:/x"
            ]
        );
    }

    #[test]
    fn ssh_options_that_every_nix_reads_alike() {
        for ok in ["-F", "/p/.nixvm/web/ssh_config", "BatchMode=yes", "/p/$(x)/`y`"] {
            assert!(ssh_option_reads_the_same(ok), "{ok}");
        }
        for bad in ["", "a b", "/p/it's", "/p/\"q\"", "/p/back\\slash", "tab\there"] {
            assert!(!ssh_option_reads_the_same(bad), "{bad}");
        }
    }

    #[test]
    fn the_error_line_is_found() {
        let stderr = "warning: Git tree is dirty\nerror: unable to download 'x': Couldn't resolve host name (6)\n(use '--show-trace' to show detailed location information)\n";
        assert_eq!(super::last_error(stderr), "error: unable to download 'x': Couldn't resolve host name (6)");
    }
}
