//! `nixvm test`: NixOS test scripts (a test's `testScript`) run against
//! the project's machines as they run, with the NixOS test driver's API.
//! The script runs under `python3` with a thin embedded shim (`shim.py`)
//! that forwards each call here, one JSON line each way; the work is
//! done here: starting what the script needs (as `up --wait`), one
//! persistent root shell per machine over ssh (`shell`), the driver's
//! waits and timeouts (`calls`), its log and the JUnit report (`log`).
//! Nothing is added to the VMs: they are reached over ssh with the
//! project key.

mod calls;
mod log;
mod shell;

use super::source::Source;
use super::state::MachineState;
use super::Progress;
use crate::nix::Nix;
use crate::runtime::test::{Raised, Request};
use anyhow::{bail, Context as _};
use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The shim, embedded.
const SHIM: &str = include_str!("shim.py");

/// Names that use every machine: a script naming one of them starts all.
const EVERY_MACHINE: &[&str] = &["start_all", "join_all", "machines", "machine", "driver"];

/// What `nixvm test` is asked.
pub struct Options {
    pub scripts: Vec<PathBuf>,
    /// The flake's checks made by `runNixOSTest` whose scripts to run,
    /// against the machines named as their nodes.
    pub checks: Vec<String>,
    /// The machines the scripts see (default: all).
    pub machines: Vec<String>,
    /// Reset the used machines' disks, start them, stop them at the end.
    pub fresh: bool,
    /// Where `copy_from_machine` and `screenshot` put files.
    pub out: Option<PathBuf>,
    /// How long a machine may take to answer ssh once started.
    pub boot_timeout: Duration,
}

/// How a run went.
pub struct Outcome {
    /// Each script and whether it completed.
    pub scripts: Vec<(PathBuf, bool)>,
    /// The JUnit report of each script that ran.
    pub reports: Vec<(PathBuf, crate::runtime::test::Report)>,
    pub out_dir: PathBuf,
    /// Machines the run started and left running.
    pub left_running: Vec<String>,
    /// Machines the run started and stopped (`--fresh`).
    pub stopped: Vec<String>,
    pub interrupted: bool,
}

/// A script nixvm will not run: its syntax, as Python reads it.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ScriptError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Run `options.scripts` against the machines of `source`.
pub fn run(nix: &Nix, source: &Source, options: &Options, progress: &dyn Progress) -> anyhow::Result<Outcome> {
    let all = super::known::list_machines(nix, source)?;
    source.check_known(&options.machines, &all)?;
    let mut given = if options.machines.is_empty() { all.clone() } else { options.machines.clone() };
    // The driver's machines are sorted by name.
    given.sort();
    given.dedup();
    let usable = |list: Vec<String>| -> Vec<String> {
        list.into_iter().filter(|m| crate::project::is_machine_name(m)).collect()
    };

    // The shim, written where only we can read it.
    let dir = tempfile::Builder::new().prefix("nixvm-test-").tempdir().context("cannot make a temporary directory")?;
    // Each script with the machines it sees: those given, or a check's
    // nodes.
    let mut scripts: Vec<(PathBuf, Vec<String>)> =
        options.scripts.iter().map(|s| (s.clone(), usable(given.clone()))).collect();
    for check in &options.checks {
        let (script, nodes) = check_script_of(nix, source, check, dir.path())?;
        if let Some(m) = nodes.iter().find(|n| !all.contains(n)) {
            bail!(
                "the test {check} has a node `{m}` that is no machine {} (its nodes: {}; machines: {})",
                source.place(),
                nodes.join(", "),
                all.join(", ")
            );
        }
        let mut nodes = nodes;
        nodes.sort();
        scripts.push((script, usable(nodes)));
    }
    let every: BTreeSet<String> = scripts.iter().flat_map(|(_, m)| m.iter().cloned()).collect();
    let shim = dir.path().join("shim.py");
    std::fs::write(&shim, SHIM).with_context(|| format!("cannot write {}", shim.display()))?;
    let python = python(nix, source, every.iter().next(), &shim, progress)?;

    // Every script is read before any machine starts.
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (script, machines) in &scripts {
        let names = check_script(&python, &shim, script)?;
        let vars: BTreeMap<String, &String> =
            machines.iter().map(|m| (crate::runtime::test::python_name(m), m)).collect();
        if names.iter().any(|n| EVERY_MACHINE.contains(&n.as_str())) {
            used.extend(machines.iter().cloned());
        }
        used.extend(names.iter().filter_map(|n| vars.get(n).map(|m| (*m).clone())));
    }

    // One test at a time on a machine.
    let paths: Vec<PathBuf> = scripts.iter().map(|(s, _)| s.clone()).collect();
    let _locks = used.iter().map(|m| TestLock::take(&source.state(m), &paths)).collect::<Result<Vec<_>, _>>()?;

    let out_dir = match &options.out {
        Some(d) => d.clone(),
        None => source.create_state_dir()?.join("test-out"),
    };
    std::fs::create_dir_all(&out_dir).with_context(|| format!("cannot create {}", out_dir.display()))?;

    let mut runner = calls::Runner::new(nix, source, progress, out_dir.clone(), options.boot_timeout);
    super::process::catch_interrupts();
    if options.fresh {
        let running: Vec<&String> = used.iter().filter(|m| source.state(m).running_pid().is_some()).collect();
        if !running.is_empty() {
            let names: Vec<&str> = running.iter().map(|m| m.as_str()).collect();
            bail!(
                "--fresh starts machines from new disks, and {} running; stop {} first (nixvm down {})",
                if names.len() == 1 { format!("{} is", names[0]) } else { format!("{} are", names.join(", ")) },
                if names.len() == 1 { "it" } else { "them" },
                names.join(" ")
            );
        }
        for m in &used {
            source.state(m).reset(&[TEST_LOCK, TEST_OWNER])?;
        }
    }
    let mut outcome = Outcome {
        scripts: vec![],
        reports: vec![],
        out_dir,
        left_running: vec![],
        stopped: vec![],
        interrupted: false,
    };
    runner.log.line(None, &format!("output directory: {}", outcome.out_dir.display()));
    let ready = runner.start_and_wait(&used.iter().cloned().collect::<Vec<_>>());
    if let Err(e) = ready {
        // No script ran: each fails, in the report too, with why.
        runner.log.error(&e.message);
        for (script, _) in &scripts {
            let mut report = crate::runtime::test::Report::default();
            report.case("start the machines").errors.push(e.message.clone());
            outcome.reports.push((script.clone(), report));
            outcome.scripts.push((script.clone(), false));
        }
    } else {
        for (script, machines) in &scripts {
            let started = Instant::now();
            runner.begin_script(machines);
            let ok = run_script(&mut runner, &python, &shim, script, machines)?;
            outcome.reports.push((script.clone(), runner.log.finish(started)));
            outcome.scripts.push((script.clone(), ok));
            if super::process::interrupted() {
                break;
            }
        }
    }
    outcome.interrupted = super::process::interrupted();
    runner.close();
    let started: Vec<String> = runner.started.iter().cloned().collect();
    if options.fresh {
        for m in super::fleet::down(source, &started, Duration::from_secs(10), Ok(nix))? {
            if let super::fleet::Stopped::Stopped(m) | super::fleet::Stopped::Killed(m) = m {
                outcome.stopped.push(m);
            }
        }
    } else {
        outcome.left_running = started.into_iter().filter(|m| source.state(m).running_pid().is_some()).collect();
    }
    Ok(outcome)
}

/// The script of the flake's check `name` (a NixOS test made by
/// `runNixOSTest`), written into `dir` as `NAME.py`, and its nodes.
fn check_script_of(nix: &Nix, source: &Source, name: &str, dir: &Path) -> anyhow::Result<(PathBuf, Vec<String>)> {
    let installable = source.installables(nix)?.check(&crate::lint::host_system(), name);
    let apply = "c: let t = c.config or { }; s = t.testScriptString or t.testScript or null; in \
                 { script = if builtins.isString s then s else null; nodes = builtins.attrNames (c.nodes or t.nodes or { }); }";
    let value = nix.eval_json(source.dir(), &installable, Some(apply)).map_err(|e| source.explain(e))?;
    #[derive(serde::Deserialize)]
    struct Test {
        script: Option<String>,
        nodes: Vec<String>,
    }
    let test: Test = serde_json::from_value(value).context("nix described the check in an unexpected form")?;
    let Some(text) = test.script else {
        bail!("the check {name} is no NixOS test made by runNixOSTest: it has no testScript to run");
    };
    let file = dir.join(format!("{name}.py"));
    std::fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))?;
    Ok((file, test.nodes))
}

/// The Python that runs the scripts: `python3` on PATH when it is 3.9 or
/// newer, else the python3 of the nixpkgs the source pins (`machine`'s),
/// built with nix (a GC root at `.nixvm/python`).
fn python(
    nix: &Nix,
    source: &Source,
    machine: Option<&String>,
    shim: &Path,
    progress: &dyn Progress,
) -> anyhow::Result<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).map(|d| d.join("python3")).find(|c| c.is_file()));
    if let Some(python) = on_path {
        let check = [shim.as_os_str(), std::ffi::OsStr::new("version")];
        if super::process::output(&python.to_string_lossy(), &check).is_ok_and(|o| o.status.success()) {
            return Ok(python);
        }
    }
    let none = "nixvm test runs scripts with python3 (3.9 or newer), and there is none on PATH";
    let machine = machine.with_context(|| format!("{none}; install it"))?;
    progress.status("building python3 of the pinned nixpkgs (none 3.9 or newer on PATH)");
    let root = source.create_state_dir()?.join("python");
    let installable = source.installables(nix)?.python(machine);
    let built = nix.build_one(source.dir(), &installable, None, &root).map_err(|e| source.explain(e));
    progress.finish();
    let built = built.with_context(|| format!("{none}, and nix could not build the pinned nixpkgs' one either"))?;
    Ok(built.join("bin/python3"))
}

/// Check `script` with Python's parser before anything starts; the names
/// it uses.
fn check_script(python: &Path, shim: &Path, script: &Path) -> anyhow::Result<Vec<String>> {
    if !script.is_file() {
        bail!("{}: no such test script", script.display());
    }
    let out = super::process::output(
        &python.to_string_lossy(),
        &[shim.as_os_str(), std::ffi::OsStr::new("check"), script.as_os_str()],
    )
    .with_context(|| format!("cannot run {}", python.display()))?;
    #[derive(serde::Deserialize)]
    struct Located {
        line: u32,
        column: u32,
        message: String,
    }
    #[derive(serde::Deserialize)]
    struct Checked {
        #[serde(default)]
        names: Vec<String>,
        error: Option<Located>,
    }
    let checked: Checked = serde_json::from_slice(&out.stdout).with_context(|| {
        format!("{} could not read {}: {}", python.display(), script.display(), String::from_utf8_lossy(&out.stderr))
    })?;
    if let Some(e) = checked.error {
        if e.line == 0 {
            bail!("{}: {}", python.display(), e.message);
        }
        return Err(ScriptError {
            file: script.display().to_string(),
            line: e.line,
            column: e.column,
            message: e.message,
        }
        .into());
    }
    Ok(checked.names)
}

/// Run one script; whether it completed.
fn run_script(
    runner: &mut calls::Runner,
    python: &Path,
    shim: &Path,
    script: &Path,
    machines: &[String],
) -> anyhow::Result<bool> {
    use std::os::fd::AsRawFd;
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().context("cannot make the script's channel")?;
    let names: Vec<(String, String)> =
        machines.iter().map(|m| (m.clone(), crate::runtime::test::python_name(m))).collect();
    let env = vec![
        ("NIXVM_TEST_MACHINES".to_string(), serde_json::to_string(&names)?),
        ("PYTHONUNBUFFERED".to_string(), "1".to_string()),
    ];
    runner.log.start(None, &format!("running {}", script.display()));
    let errors_before = runner.log.errors();
    let args = [shim.as_os_str(), std::ffi::OsStr::new("run"), script.as_os_str()];
    let mut child = super::process::spawn_with_channel(python, &args, &env, theirs.as_raw_fd())
        .with_context(|| format!("cannot run {}", python.display()))?;
    drop(theirs);
    let mut channel = calls::Channel::new(ours)?;
    while let Some(line) = channel.next()? {
        let result = match serde_json::from_str::<Request>(&line) {
            Ok(request) => runner.dispatch(&mut channel, request),
            Err(e) => Err(Raised {
                kind: crate::runtime::test::Raise::Type,
                message: format!("nixvm cannot read the call: {e}"),
            }),
        };
        channel.answer(result)?;
    }
    let status = child.wait()?;
    if super::process::interrupted() {
        runner.log.error("interrupted (Ctrl-C)");
    } else if !status.success() && runner.log.errors() == errors_before {
        // It ended by itself (`sys.exit(1)`), saying nothing nixvm heard.
        runner.log.error(&format!("the script exited with {status}"));
    }
    runner.log.end(status.success());
    Ok(status.success())
}

/// A machine held for one test run: `.nixvm/M/test-lock`, with who holds
/// it in `test-owner`.
const TEST_LOCK: &str = "test-lock";
const TEST_OWNER: &str = "test-owner";

struct TestLock(#[allow(dead_code)] std::fs::File);

impl TestLock {
    fn take(state: &MachineState, scripts: &[PathBuf]) -> anyhow::Result<TestLock> {
        state.create()?;
        match state.lock_file(TEST_LOCK)? {
            Some(file) => {
                let who = format!(
                    "pid {}, {}\n",
                    std::process::id(),
                    scripts.iter().map(|s| s.display().to_string()).collect::<Vec<_>>().join(" ")
                );
                crate::files::write_state(&state.dir.join(TEST_OWNER), &who, 0o644)?;
                Ok(TestLock(file))
            }
            None => {
                let who = state.read(TEST_OWNER).unwrap_or_else(|| "another nixvm".into());
                bail!("{} is being tested already ({who}); wait for that test to end, or stop it", state.machine)
            }
        }
    }
}

/// Write `text` to `file` (`--junit-xml`), atomically.
pub fn write_report(file: &Path, text: &str) -> anyhow::Result<()> {
    crate::files::write_atomically(file, text)
}

/// Read lines off a reader (the channel).
pub(crate) fn read_line(reader: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut line = String::new();
    match reader.read_line(&mut line)? {
        0 => Ok(None),
        _ => Ok(Some(line.trim_end_matches('\n').to_string())),
    }
}
