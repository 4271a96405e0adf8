//! `nixvm completions SHELL` and `nixvm man [COMMAND]`: the command line
//! described for shells and for man, from the same clap definitions that
//! parse it (`cli` hands them over).

use super::output::Status;

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
pub fn completions(args: CompletionsArgs, mut cli: clap::Command) -> anyhow::Result<Status> {
    let mut out = vec![];
    clap_complete::generate(args.shell, &mut cli, "nixvm", &mut out);
    print(&out)
}

/// The man page, as roff on stdout (`nixvm man | man -l -`).
pub fn man(args: ManArgs, mut top: clap::Command) -> anyhow::Result<Status> {
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
