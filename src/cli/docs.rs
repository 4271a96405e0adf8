//! `nixvm completions SHELL` and `nixvm man [COMMAND]`: the command line
//! described for shells and for man, from the same clap definitions that
//! parse it.

use super::output::Status;
use super::Cli;
use clap::CommandFactory;

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// A command's own page (`nixvm-COMMAND(1)`) instead of nixvm(1).
    command: Option<String>,
}

/// The completion script, on stdout (`nixvm completions bash >
/// ~/.local/share/bash-completion/completions/nixvm`).
pub fn completions(args: CompletionsArgs) -> anyhow::Result<Status> {
    let mut out = vec![];
    clap_complete::generate(args.shell, &mut Cli::command(), "nixvm", &mut out);
    print(&out)
}

/// The man page, as roff on stdout (`nixvm man | man -l -`).
pub fn man(args: ManArgs) -> anyhow::Result<Status> {
    let mut top = Cli::command();
    top.build();
    let page = match &args.command {
        None => top,
        Some(name) => {
            let Some(sub) = top.find_subcommand(name) else {
                let names: Vec<&str> = top.get_subcommands().map(|c| c.get_name()).collect();
                anyhow::bail!("no command `{name}` (commands: {})", names.join(", "));
            };
            sub.clone().version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut out = vec![];
    clap_mangen::Man::new(page).render(&mut out)?;
    print(&out)
}

/// Write `text` to stdout; a reader that stopped early (`| head`) is fine.
fn print(text: &[u8]) -> anyhow::Result<Status> {
    use std::io::Write;
    match std::io::stdout().write_all(text) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(Status::Clean),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every argument of every command says what it is for (`--help`,
    /// completions and man pages show it).
    #[test]
    fn every_flag_has_help_text() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id != "help" && id != "version" && arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() && sub.get_name() != "help" {
                    missing.push(format!("{path} {} (the command)", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = vec![];
        let mut cmd = Cli::command();
        cmd.build();
        walk(&cmd, "nixvm", &mut missing);
        assert_eq!(missing, Vec::<String>::new());
    }

    #[test]
    fn each_shell_gets_a_script_naming_every_command() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::Elvish,
        ] {
            let mut out = vec![];
            clap_complete::generate(shell, &mut Cli::command(), "nixvm", &mut out);
            let text = String::from_utf8(out).unwrap();
            for command in ["lint", "init", "run", "up", "down", "ssh", "deploy", "status", "completions", "man"] {
                assert!(text.contains(command), "{shell}: no {command}");
            }
            assert!(text.contains("override-input"), "{shell}");
        }
    }

    /// The project's flake installs a man page for every command.
    #[test]
    fn the_flake_installs_every_commands_page() {
        let flake = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/flake.nix")).unwrap();
        let line = flake.lines().find(|l| l.trim_start().starts_with("for command in")).unwrap();
        let listed: Vec<&str> =
            line.split_whitespace().skip(3).take_while(|w| *w != "do").map(|w| w.trim_end_matches(';')).collect();
        let commands: Vec<String> = Cli::command()
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| c.get_name().to_string())
            .filter(|n| n != "help")
            .collect();
        assert_eq!(listed, commands);
    }
}
