//! `nixvm up`, `down`, `status`, `clean`: machines in the background.

use super::flags::{At, ForwardFlags, NixFlags};
use super::output::Status;
use crate::machines::fleet::{self, Stopped};
use crate::machines::ssh::{self, Readiness};
use crate::machines::start;
use anyhow::bail;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct UpArgs {
    /// Machines to start (default: all).
    machines: Vec<String>,
    /// Start even when the VMs' memory does not fit in the host's available memory.
    #[arg(long)]
    force: bool,
    /// Return when every machine answers ssh (a login with the project key); exit 1 if one does not in time.
    #[arg(long)]
    wait: bool,
    /// Seconds --wait waits.
    #[arg(long, value_name = "SECONDS", default_value_t = 300, requires = "wait")]
    timeout: u64,
    #[command(flatten)]
    forward: ForwardFlags,
    #[command(flatten)]
    eval: super::flags::EvalFlags,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

#[derive(clap::Args, Debug)]
pub struct DownArgs {
    /// Machines to stop (default: all running).
    machines: Vec<String>,
    /// Seconds to wait after SIGTERM before SIGKILL.
    #[arg(long, default_value_t = 20)]
    timeout: u64,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// Output: for people, or one JSON document.
    #[arg(long, value_enum, default_value_t = super::output::Format::Human)]
    format: super::output::Format,
    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    #[command(flatten)]
    eval: super::flags::EvalFlags,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

#[derive(clap::Args, Debug)]
pub struct LogsArgs {
    /// The machine whose console to show.
    machine: String,
    /// Keep showing what the VM writes, until it stops.
    #[arg(short, long)]
    follow: bool,
    /// Only the last N lines (then what follows, with --follow).
    #[arg(short = 'n', long, value_name = "N")]
    lines: Option<usize>,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

#[derive(clap::Args, Debug)]
pub struct CleanArgs {
    /// Machines whose disk image and state to remove (default: all stopped).
    machines: Vec<String>,
    #[command(flatten)]
    at: At,
    #[command(flatten)]
    nix: NixFlags,
}

pub fn up(args: UpArgs) -> anyhow::Result<Status> {
    let source = args.at.source()?;
    let nix = args.nix.nix(&source)?;
    super::output::ensure_key(&source)?;
    let reporter = args.nix.reporter(false);
    let forwards = args.forward.forwards()?;
    let up = start::up(&nix, &source, &args.machines, args.force, &forwards, args.eval.jobs(), &reporter)?;
    reporter.finish();
    super::output::say_unusable(&up.unusable);
    if !up.already_running.is_empty() {
        reporter.line(&format!("already running: {}", up.already_running.join(", ")));
        if !forwards.is_empty() {
            let m = &up.already_running[0];
            reporter.line(&format!(
                "warning: --forward applies to a VM as it starts; {m} runs with the forwards it had (`nixvm status`), restart it for these (nixvm down {m})"
            ));
        }
    }
    for s in &up.started {
        let address = s.address.map(|a| format!(", {a} on the segment")).unwrap_or_default();
        outln!(
            "{}: started (pid {}, ssh 127.0.0.1:{}{address}, console .nixvm/{}/console.log)",
            s.machine,
            s.pid,
            s.ssh_port,
            s.machine
        );
    }
    for e in &up.stopped_at_once {
        eprintln!("{}: stopped at once ({}); the end of its console log: {}", e.machine, e.status, e.last_line);
    }
    if !up.stopped_at_once.is_empty() {
        let names: Vec<&str> = up.stopped_at_once.iter().map(|e| e.machine.as_str()).collect();
        bail!("{} did not stay up (see .nixvm/MACHINE/console.log)", names.join(", "));
    }
    // Machines that did not evaluate are said last, and make the exit 1.
    let evaluated = super::output::say_failed_evaluations(&up.failed)?;
    if !args.wait {
        return Ok(evaluated);
    }
    let machines: Vec<String> =
        up.started.iter().map(|s| s.machine.clone()).chain(up.already_running.iter().cloned()).collect();
    let mut failed = false;
    let mut left_running = vec![];
    ssh::wait_for_ssh(source.dir(), &machines, Duration::from_secs(args.timeout), &mut |m, r| match r {
        Readiness::Answers(after) => outln!("{m}: answers ssh (after {:.1} s)", after.as_secs_f64()),
        Readiness::Stopped | Readiness::TimedOut | Readiness::Interrupted => {
            failed = true;
            if r == Readiness::TimedOut {
                left_running.push(m.to_string());
            }
            let why = if r == Readiness::Stopped {
                "stopped before it answered ssh".to_string()
            } else {
                format!("did not answer ssh in {} s", args.timeout)
            };
            eprintln!("{m}: {why}; the end of its console (nixvm logs {m}):");
            let _ = crate::machines::logs::console(&source, m, Some(CONSOLE_LINES), false, &mut |b| {
                eprint!("{}", String::from_utf8_lossy(b));
                Ok(())
            });
        }
    });
    if !left_running.is_empty() {
        let names = left_running.join(" ");
        eprintln!(
            "left running: {names} (their VMs still boot, or wait for something; stop them with `nixvm down {names}`)"
        );
    }
    Ok(if failed { Status::Findings } else { evaluated })
}

/// How much of a console `up --wait` shows for a machine that failed it.
const CONSOLE_LINES: usize = 15;

#[derive(clap::Args, Debug)]
pub struct AwaitSshArgs {
    /// The machine.
    machine: String,
    /// The directory holding the machines' `.nixvm/`.
    #[arg(long)]
    root: std::path::PathBuf,
    /// Seconds to wait at most, once the VM runs.
    #[arg(long, default_value_t = 600)]
    timeout: u64,
    /// The process that becomes the VM (nixvm run, which execs its run script).
    #[arg(long)]
    vm_pid: i32,
}

/// `run`'s watcher: says when the machine answers ssh.
pub fn await_ssh(args: AwaitSshArgs) -> anyhow::Result<Status> {
    if !ssh::await_vm(&args.root, &args.machine, args.vm_pid) {
        return Ok(Status::Clean);
    }
    // A guest needs seconds to boot: not asked at once.
    std::thread::sleep(Duration::from_secs(1));
    let state = crate::machines::state::MachineState::of(&args.root, &args.machine);
    ssh::wait_for_ssh(
        &args.root,
        std::slice::from_ref(&args.machine),
        Duration::from_secs(args.timeout),
        &mut |m, r| {
            if let Readiness::Answers(after) = r {
                let port = state.ssh_port().map(|p| format!(" on 127.0.0.1:{p}")).unwrap_or_default();
                // `run --console` puts the terminal in raw mode: the line
                // brings its own carriage returns.
                eprint!("\r\nnixvm: {m} answers ssh{port} after {:.1} s (nixvm ssh {m})\r\n", after.as_secs_f64());
            }
        },
    );
    Ok(Status::Clean)
}

pub fn logs(args: LogsArgs) -> anyhow::Result<Status> {
    use std::io::Write;
    let source = args.at.source()?;
    let mut stdout = std::io::stdout().lock();
    let mut out = |bytes: &[u8]| stdout.write_all(bytes).and_then(|_| stdout.flush());
    let nix = args.nix.nix_or_why(&source);
    match crate::machines::logs::console_of_named(
        &source,
        nix.as_ref().map_err(Clone::clone),
        &args.machine,
        args.lines,
        args.follow,
        &mut out,
    ) {
        // A reader that stopped early (`| head`).
        Err(e) if e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => {
            Ok(Status::Clean)
        }
        r => r.map(|()| Status::Clean),
    }
}

pub fn down(args: DownArgs) -> anyhow::Result<Status> {
    let source = args.at.source()?;
    let nix = args.nix.nix_or_why(&source);
    let stopped =
        fleet::down(&source, &args.machines, Duration::from_secs(args.timeout), nix.as_ref().map_err(Clone::clone))?;
    if stopped.is_empty() {
        eprintln!("nothing to stop: no machine runs");
    }
    for s in stopped {
        match s {
            Stopped::NotRunning(m) => eprintln!("{m}: not running"),
            Stopped::Killed(m) => {
                eprintln!("{m}: did not stop in {}s, killed", args.timeout);
                outln!("{m}: stopped");
            }
            Stopped::Stopped(m) => outln!("{m}: stopped"),
        }
    }
    Ok(Status::Clean)
}

pub fn status(args: StatusArgs) -> anyhow::Result<Status> {
    let source = args.at.source()?;
    let nix = args.nix.nix(&source).map_err(|e| format!("{e:#}"));
    let json = args.json || args.format == super::output::Format::Json;
    let reporter = args.nix.reporter(json);
    let report = fleet::status(nix.as_ref().map_err(Clone::clone), &source, args.eval.jobs(), &reporter)?;
    let machines = &report.machines;
    if json {
        #[derive(serde::Serialize)]
        struct StatusDoc<'a> {
            /// Where the machines come from.
            source: String,
            machines: &'a [fleet::MachineStatus],
            /// Set when the list holds only the machines nixvm has state
            /// for: why nix could not list the others.
            incomplete: Option<&'a str>,
        }
        let doc = StatusDoc { source: source.describe(), machines, incomplete: report.incomplete.as_deref() };
        outln!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(Status::Clean);
    }
    if let Some(why) = &report.incomplete {
        eprintln!("warning: only the machines nixvm has state for are listed; nix could not list the others: {why}");
    }
    outln!("machines: {}", source.describe());
    for m in machines {
        let state = if m.running { format!("running (pid {})", m.pid.unwrap_or(0)) } else { "stopped".into() };
        let disk = match (&m.disk_image, m.disk_stale) {
            (Some(_), true) => "disk image from an older configuration (nixvm clean to reset)",
            (Some(_), false) => "disk image",
            (None, _) => "no disk image",
        };
        let port = m.ssh_port.filter(|_| m.running).map(|p| format!(", ssh 127.0.0.1:{p}")).unwrap_or_default();
        let forwards =
            if m.forwards.is_empty() { String::new() } else { format!(", forwards {}", m.forwards.join(" ")) };
        outln!("{:<16} {state}{port}{forwards}, {disk}", m.name);
    }
    Ok(Status::Clean)
}

pub fn clean(args: CleanArgs) -> anyhow::Result<Status> {
    let source = args.at.source()?;
    let nix = args.nix.nix_or_why(&source);
    let cleaned = fleet::clean(&source, &args.machines, nix.as_ref().map_err(Clone::clone))?;
    if cleaned.removed.is_empty() && cleaned.running.is_empty() {
        eprintln!(
            "nothing to clean: {}",
            if args.machines.is_empty() { "no machine has state" } else { "no state kept for it" }
        );
    }
    for m in &cleaned.removed {
        outln!("{m}: removed its disk image and state");
    }
    for m in &cleaned.running {
        eprintln!("{m}: running, left alone");
    }
    Ok(Status::Clean)
}
