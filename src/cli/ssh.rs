//! Logging into running VMs: the project's ssh key, `nixvm ssh`, and
//! `nixvm deploy` (build the VM system, copy its closure, set the system
//! profile, `switch-to-configuration test`). The private key is
//! `.nixvm/ssh-key` (0600); its public half is `nixvm/ssh-key.pub`, tracked
//! by git so the flake sees it, and vm.nix authorizes it for root in the
//! VM variant only.

use super::state::{self, MachineState};
use super::vm::{self, NixFlags};
use super::Status;
use anyhow::{bail, Context as _};
use std::io::BufRead as _;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

#[derive(clap::Args, Debug)]
pub struct SshArgs {
    /// The machine to log into (as root).
    machine: String,
    #[arg(long)]
    dir: Option<PathBuf>,
    /// A command to run instead of a login shell, after `--`.
    #[arg(last = true)]
    command: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    /// The running machine to update.
    machine: String,
    #[arg(long)]
    dir: Option<PathBuf>,
    #[command(flatten)]
    nix: NixFlags,
}

/// The project's private key.
fn private_key(project: &Path) -> PathBuf {
    state::nixvm_dir(project).join("ssh-key")
}

/// The public key where the flake reads it (vm.nix's `./ssh-key.pub`).
fn public_key_in_flake(project: &Path) -> PathBuf {
    project.join("nixvm/ssh-key.pub")
}

/// The project's key: made with `ssh-keygen` (ed25519, no passphrase,
/// private key 0600) when there is none, its public half put where the
/// flake reads it and added to git's index.
pub fn ensure_key(project: &Path) -> anyhow::Result<PathBuf> {
    let private = private_key(project);
    let public = private.with_file_name("ssh-key.pub");
    if !private.exists() {
        let dir = state::nixvm_dir(project);
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        // Made aside and renamed, so a half-made key is never taken for one.
        let staging = tempfile::Builder::new().prefix(".ssh-key-").tempdir_in(&dir)?;
        let made = staging.path().join("key");
        let comment =
            format!("nixvm@{}", project.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        let out = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C"])
            .arg(&comment)
            .arg("-f")
            .arg(&made)
            .stdin(Stdio::null())
            .output()
            .context("cannot run ssh-keygen (install OpenSSH's client) to make the project's key")?;
        if !out.status.success() {
            bail!("ssh-keygen failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        std::fs::set_permissions(&made, std::fs::Permissions::from_mode(0o600))?;
        std::fs::rename(made.with_extension("pub"), &public).context("cannot store the public key")?;
        std::fs::rename(&made, &private).context("cannot store the private key")?;
        eprintln!("made the project's ssh key: {}", private.display());
    }
    let key = std::fs::read_to_string(&public).with_context(|| format!("cannot read {}", public.display()))?;
    let in_flake = public_key_in_flake(project);
    if std::fs::read_to_string(&in_flake).ok().as_deref() != Some(key.as_str()) {
        crate::files::write_atomically(&in_flake, &key)?;
        crate::files::track(project, std::iter::once(&PathBuf::from("nixvm/ssh-key.pub")))?;
    }
    Ok(private)
}

/// Write the ssh configuration for a running machine into its state
/// directory; returns its path.
fn write_ssh_config(project: &Path, state: &MachineState, port: u16) -> anyhow::Result<PathBuf> {
    let key = private_key(project);
    if !key.exists() {
        bail!("the project has no ssh key yet; restart {} with nixvm so that it gets one", state.machine);
    }
    let text = crate::runtime::ssh_config(&state.machine, port, &key, &state::known_hosts(project))?;
    let path = state.dir.join("ssh_config");
    crate::files::write_atomically(&path, &text)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(path)
}

/// The destination every connection uses; the configuration says the rest.
const DESTINATION: &str = "root@127.0.0.1";

pub fn ssh(args: SshArgs) -> anyhow::Result<ExitCode> {
    let project = vm::find_project(args.dir.as_deref())?;
    vm::check_name(&args.machine)?;
    let state = MachineState::of(&project, &args.machine);
    let port = state.running_ssh_port()?;
    let config = write_ssh_config(&project, &state, port)?;
    let mut cmd = Command::new("ssh");
    cmd.arg("-F").arg(&config).arg("--").arg(DESTINATION).args(&args.command);
    use std::os::unix::process::CommandExt;
    let err = cmd.exec();
    Err(anyhow::Error::new(err).context("cannot run ssh (install OpenSSH's client)"))
}

/// Run `ssh` non-interactively with `config`; stdout lines go to `line`.
fn ssh_batch(config: &Path, command: &str, mut line: impl FnMut(&str)) -> anyhow::Result<()> {
    let mut child = Command::new("ssh")
        .arg("-F")
        .arg(config)
        .args(["-o", "BatchMode=yes", "--", DESTINATION, command])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run ssh (install OpenSSH's client)")?;
    let stderr = child.stderr.take();
    // Its stderr is read aside, so a chatty remote cannot fill the pipe.
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut e) = stderr {
            let _ = std::io::Read::read_to_string(&mut e, &mut text);
        }
        text
    });
    if let Some(out) = child.stdout.take() {
        for l in std::io::BufReader::new(out).lines() {
            line(&l?);
        }
    }
    let status = child.wait()?;
    let errors = errors.join().unwrap_or_default();
    eprint!("{}", errors.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("{l}\n")).collect::<String>());
    match status.code() {
        Some(0) => Ok(()),
        Some(255) => bail!("ssh failed: {}", errors.lines().last().unwrap_or("no message").trim()),
        Some(code) => bail!("the command in the VM failed (exit {code})"),
        None => bail!("ssh was killed by a signal"),
    }
}

pub fn deploy(args: DeployArgs) -> anyhow::Result<Status> {
    let project = vm::find_project(args.dir.as_deref())?;
    vm::check_name(&args.machine)?;
    let machine = &args.machine;
    let state = MachineState::of(&project, machine);
    let port = state.running_ssh_port()?;
    let config = write_ssh_config(&project, &state, port)?;
    // Can we log in at all? Said before a long build.
    ssh_batch(&config, "true", |_| {}).with_context(|| {
        format!(
            "cannot log into {machine} as root on 127.0.0.1:{port}; if it was started before the project had its key, restart it (nixvm down {machine}; nixvm up {machine})"
        )
    })?;
    let nix = vm::nix(&args.nix)?;
    let reporter = args.nix.reporter(false);
    // A failed build stops here: the VM is untouched.
    let system = vm::build_machine_system(&nix, &project, machine, &reporter)?;
    // NIX_SSHOPTS is split on whitespace (Nix 2.8) or as a shell would
    // (newer Nix): the configuration must be on a path both read alike.
    let aside;
    let config = if !crate::nix::ssh_option_reads_the_same(&config.to_string_lossy()) {
        aside = tempfile::Builder::new().prefix("nixvm-ssh-").tempdir_in("/tmp")?;
        let copy = aside.path().join("ssh_config");
        std::fs::copy(&config, &copy)?;
        copy
    } else {
        config
    };
    let options = vec!["-F".to_string(), config.display().to_string(), "-o".into(), "BatchMode=yes".into()];
    reporter.finish();
    eprintln!("{machine}: copying {}", system.display());
    nix.copy_closure_to(DESTINATION, &system, &options)
        .with_context(|| format!("cannot copy the system to {machine}; the VM still runs its old system"))?;
    let command = crate::runtime::deploy_command(&system.display().to_string())?;
    let mut previous = None;
    ssh_batch(&config, &command, |l| match l.strip_prefix("nixvm-previous: ") {
        Some(p) => previous = Some(p.trim().to_string()),
        None => println!("{l}"),
    })
    .with_context(|| format!("switching {machine} to {} failed", system.display()))?;
    match previous.filter(|p| !p.is_empty()) {
        Some(p) if Path::new(&p) == system => println!("{machine}: already ran {}; switched again", system.display()),
        Some(p) => println!("{machine}: switched from {p} to {}", system.display()),
        None => println!("{machine}: switched to {}", system.display()),
    }
    Ok(Status::Clean)
}
