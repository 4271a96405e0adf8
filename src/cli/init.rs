//! `nixvm init`: create a pinned flake project from a configuration or a
//! network file (`machines::project::create`), then say what to run next.

use super::output::Status;
use crate::machines::project;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["from", "network"])))]
pub struct InitArgs {
    /// One machine's configuration.nix.
    #[arg(long, value_name = "CONFIG.nix")]
    from: Option<PathBuf>,
    /// A nixos-build-vms, NixOps or colmena network file.
    #[arg(long, value_name = "NETWORK.nix")]
    network: Option<PathBuf>,
    /// Where to create the project.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// nixpkgs to pin: a branch (nixos-24.11), a flake reference, a revision, or a local nixpkgs clone.
    #[arg(long)]
    nixpkgs: Option<String>,
    /// The machine's name with --from (default: its networking.hostName, else `nixos`).
    #[arg(long)]
    name: Option<String>,
    /// Fix conflicts in the copied files with lib.mkDefault (as lint --fix) instead of overriding them in the VM module.
    #[arg(long)]
    rewrite: bool,
    /// Keep imports of hardware-configuration.nix (and copy it).
    #[arg(long)]
    keep_hardware: bool,
    /// Overwrite the files of an existing project.
    #[arg(long)]
    force: bool,
    /// The system the VMs run on (default: this machine's).
    #[arg(long)]
    system: Option<String>,
    /// Do not run `nix flake lock` (the first nix command will lock).
    #[arg(long)]
    no_lock: bool,
    /// An argument for a network written as a function: a Nix expression (repeatable).
    #[arg(long = "arg", num_args = 2, value_names = ["NAME", "EXPR"], action = clap::ArgAction::Append)]
    args: Vec<String>,
    /// An argument for a network written as a function: a string (repeatable).
    #[arg(long = "argstr", num_args = 2, value_names = ["NAME", "VALUE"], action = clap::ArgAction::Append)]
    argstrs: Vec<String>,
}

pub fn run(args: InitArgs, command: String) -> anyhow::Result<Status> {
    let (entry, network) = project::entry_of(args.from.as_deref(), args.network.as_deref())?;
    let create = project::Create {
        entry,
        network,
        dir: args.dir.clone(),
        nixpkgs: args.nixpkgs.clone(),
        name: args.name.clone(),
        rewrite: args.rewrite,
        keep_hardware: args.keep_hardware,
        force: args.force,
        system: args.system.clone(),
        lock: !args.no_lock,
        command,
        network_args: network_args(&args.args, &args.argstrs),
    };
    let created = project::create(&create, &|line| eprintln!("{line}"))?;
    let dir = args.dir.display();
    outln!("Created a nixvm project in {dir} for {}.", created.machines.join(", "));
    match &created.git {
        project::Git::Committed { who } => outln!("It is a new git repository, its files committed as {who}."),
        project::Git::Staged => outln!(
            "Its files are added to the git repository it is in (a flake sees tracked files); commit them when you like."
        ),
    }
    outln!("Next:");
    if args.dir != Path::new(".") {
        outln!("  cd {}", crate::text::shell_word(&dir.to_string()));
    }
    // Every Nix up to 2.31 and Lix ship flakes off; nixvm turns them on per
    // call, a plain `nix` command needs the flag unless nix.conf has them.
    let features = crate::nix::config::features();
    let nix = if features.has_needed() { "nix" } else { "nix --extra-experimental-features 'nix-command flakes'" };
    if !created.locked {
        outln!("  {nix} flake lock        # pins {}", created.nixpkgs_url);
    }
    for m in &created.machines {
        outln!("  {nix} run .#vm-{m}        # or: nixvm run {m}");
    }
    if !features.has_needed() {
        let missing: Vec<String> =
            crate::nix::config::NEEDED.iter().filter(|f| !features.enabled(f)).map(|f| format!("`{f}`")).collect();
        outln!(
            "(Your nix.conf does not enable {}; with `experimental-features = nix-command flakes` in ~/.config/nix/nix.conf, plain `nix run` works.)",
            missing.join(" and ")
        );
    }
    Ok(Status::Clean)
}

/// `--arg` and `--argstr` pairs, in that order.
fn network_args(exprs: &[String], strings: &[String]) -> Vec<(String, crate::project::NetworkArg)> {
    use super::flags::pairs;
    use crate::project::NetworkArg;
    let exprs = pairs(exprs).into_iter().map(|(n, v)| (n, NetworkArg::Expr(v)));
    exprs.chain(pairs(strings).into_iter().map(|(n, v)| (n, NetworkArg::Str(v)))).collect()
}
