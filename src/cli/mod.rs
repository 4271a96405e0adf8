//! The command line: clap arguments, dispatch, output (human and JSON) and
//! exit codes. The work is done by the layers below (`machines`,
//! `linter`, `lint`, ...); nothing here starts a program or writes a file
//! but what it prints.

/// `println!` for stdout that ends nixvm quietly when the reader went
/// away (`nixvm status | head`), as for any broken pipe, instead of
/// panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($t)*) {
            $crate::cli::output::stdout_failed(e)
        }
    }};
}

/// `print!` likewise.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($t)*) {
            $crate::cli::output::stdout_failed(e)
        }
    }};
}

mod check;
mod docs;
mod explain;
mod flags;
mod fleet;
mod init;
mod kb;
mod lint;
mod output;
mod progress;
pub mod report;
mod secrets;
mod ssh;
mod test;
mod vm;

pub use output::{Format, Status};

use clap::{CommandFactory, Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "nixvm",
    version,
    about = "Turn NixOS configurations into QEMU VMs you can boot, log into and update in place"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
#[command(defer = true)]
enum Command {
    /// Report what breaks or conflicts when configurations run as QEMU VMs.
    Lint(lint::LintArgs),
    /// Evaluate machines with nix and map its errors back to your files.
    Check(check::CheckArgs),
    /// Explain a lint code (or list them all).
    Explain(explain::ExplainArgs),
    /// Show what qemu-vm.nix defines: the conflict table lint uses.
    Kb(kb::KbArgs),
    /// Create a pinned flake project from a configuration or a network file.
    Init(init::InitArgs),
    /// Build machines' VMs and print their store paths.
    Build(vm::BuildArgs),
    /// Boot a machine's VM in the foreground (ssh forwarded on 127.0.0.1).
    Run(vm::RunArgs),
    /// Start machines in the background.
    Up(fleet::UpArgs),
    /// Stop machines started by `up`.
    Down(fleet::DownArgs),
    /// Log into a running machine as root with the project's key.
    Ssh(ssh::SshArgs),
    /// Update a running machine in place: build, copy, switch-to-configuration test.
    Deploy(ssh::DeployArgs),
    /// The VMs' age recipient, and whether each machine's sops-nix and agenix secrets decrypt in its VM.
    Secrets(secrets::SecretsArgs),
    /// Which machines run, their ssh ports and disk images.
    Status(fleet::StatusArgs),
    /// Run NixOS test scripts (testScript) against the running machines.
    Test(test::TestArgs),
    /// Show a machine's console log (`up` writes it), or follow it.
    Logs(fleet::LogsArgs),
    /// Wait until a machine answers ssh and say so (`run` starts it).
    #[command(hide = true)]
    AwaitSsh(fleet::AwaitSshArgs),
    /// Remove stopped machines' disk images and state.
    Clean(fleet::CleanArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(docs::CompletionsArgs),
    /// Print the man page (roff): `nixvm man | man -l -`.
    Man(docs::ManArgs),
}

pub fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let code = run();
    // For benchmarks: how much of the time was nixvm's own.
    if std::env::var_os("NIXVM_TIMINGS").is_some() {
        let (wall, nix) = (started.elapsed(), crate::nix::timings::time_in_nix());
        eprintln!(
            "nixvm timings: {:.1} ms in all, {:.1} ms with nix running, {:.1} ms nixvm's own",
            wall.as_secs_f64() * 1e3,
            nix.as_secs_f64() * 1e3,
            wall.saturating_sub(nix).as_secs_f64() * 1e3
        );
    }
    code
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { Status::Failure.into() } else { Status::Clean.into() };
        }
    };
    if matches!(cli.command, Command::Lint(_) | Command::Init(_) | Command::Check(_)) {
        // Workers parse files; give them stacks that never need growing.
        let _ = rayon::ThreadPoolBuilder::new().stack_size(64 << 20).build_global();
    }
    let status: anyhow::Result<ExitCode> = match cli.command {
        Command::Lint(args) => lint::run(args).map(ExitCode::from),
        Command::Check(args) => check::run(args).map(ExitCode::from),
        Command::Explain(args) => explain::run(args).map(ExitCode::from),
        Command::Kb(args) => kb::run(args).map(ExitCode::from),
        Command::Build(args) => vm::build(args).map(ExitCode::from),
        Command::Run(args) => vm::run(args),
        Command::Up(args) => fleet::up(args).map(ExitCode::from),
        Command::Down(args) => fleet::down(args).map(ExitCode::from),
        Command::Ssh(args) => ssh::ssh(args),
        Command::Deploy(args) => ssh::deploy(args).map(ExitCode::from),
        Command::Secrets(args) => secrets::run(args).map(ExitCode::from),
        Command::Status(args) => fleet::status(args).map(ExitCode::from),
        Command::Logs(args) => fleet::logs(args).map(ExitCode::from),
        Command::Test(args) => test::run(args),
        Command::AwaitSsh(args) => fleet::await_ssh(args).map(ExitCode::from),
        Command::Clean(args) => fleet::clean(args).map(ExitCode::from),
        Command::Completions(args) => docs::completions(args, Cli::command()).map(ExitCode::from),
        Command::Man(args) => docs::man(args, Cli::command()).map(ExitCode::from),
        Command::Init(args) => {
            let words: Vec<String> = std::iter::once("nixvm".to_string()).chain(std::env::args().skip(1)).collect();
            init::run(args, crate::render::command_line(&words)).map(ExitCode::from)
        }
    };
    match status {
        Ok(code) => code,
        // A reader that stopped early (`nixvm lint | head`): nothing to say.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            Status::Failure.into()
        }
        Err(e) => {
            eprintln!("nixvm: {e:#}");
            Status::Failure.into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each command's `--help` opens with its own description (the doc
    /// comment on its variant), also now that commands' arguments are built
    /// lazily, after that description was set.
    #[test]
    fn each_command_is_described_by_its_own_words() {
        let top = Cli::command();
        let commands: Vec<(String, String)> = top
            .get_subcommands()
            .map(|c| (c.get_name().to_string(), c.get_about().map(|a| a.to_string()).unwrap_or_default()))
            .collect();
        assert!(commands.len() > 10, "{commands:?}");
        for (name, about) in commands {
            assert!(!about.is_empty(), "{name} has no description");
            let help = match Cli::try_parse_from(["nixvm", name.as_str(), "--help"]) {
                Err(e) => e.to_string(),
                Ok(_) => panic!("{name} --help parsed as a command"),
            };
            assert_eq!(help.lines().next(), Some(about.as_str()), "nixvm {name} --help:\n{help}");
        }
    }
}
