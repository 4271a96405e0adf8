//! Flake mode: the machines of a flake that is not a nixvm project
//! (tests/fixtures/flakes/hosts, committed to a fresh git repository as the
//! user's own), built, run, started and stopped with the real nix against
//! the stub nixpkgs, with no `init` and nothing written outside `.nixvm/`.

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn nixvm() -> Command {
    let mut c = Command::cargo_bin("nixvm").unwrap();
    c.env("NO_COLOR", "1");
    c
}

/// The fixture flake as a user's repository: copied, committed.
fn user_flake(tmp: &Path) -> PathBuf {
    common::fixture_repo(tmp, "hosts")
}

/// Every file of the user's tree (outside .git and .nixvm) and its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                if name != ".git" && name != ".nixvm" {
                    stack.push(p);
                }
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// `nixvm ARGS` in `dir` with the stub's flags; (code, stdout, stderr).
/// (`up`'s VMs stay alive for a minute, like real ones.)
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let out = nixvm()
        .current_dir(dir)
        // `up`'s VMs stay alive like real ones; `run`'s ends at once.
        .env("NIXVM_STUB_SLEEP", if args.first() == Some(&"up") { "60" } else { "0" })
        .args(&args[..split])
        .args(common::stub_flags())
        .args(&args[split..])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `nixvm ARGS` in `dir`, which must succeed; (stdout, stderr).
fn succeed(dir: &Path, args: &[&str]) -> (String, String) {
    let (code, out, err) = run(dir, args);
    assert_eq!(code, 0, "nixvm {args:?}: {err}");
    (out, err)
}

/// `nixvm status --json ARGS` in `dir`.
fn status(dir: &Path, args: &[&str]) -> serde_json::Value {
    let (out, _) = succeed(dir, &[&["status", "--json"], args].concat());
    serde_json::from_str(&out).unwrap()
}

/// The VM-ready configurations' `ATTR` of `machine`, evaluated by nix in
/// the installable and with the flags nixvm uses for this flake.
fn vm_value(dir: &Path, machine: &str, attr: &str) -> serde_json::Value {
    let source = nixvm::machines::Source::find(Some(dir), None).unwrap();
    let flags = nixvm::nix::Flags {
        offline: true,
        override_inputs: vec![("nixpkgs".into(), format!("path:{}", common::stub_nixpkgs().display()))],
        ..Default::default()
    };
    let nix = nixvm::nix::Nix::find().unwrap().with_flags(source.nix_flags(flags));
    let installable = source.installables(&nix).unwrap().configurations(nixvm::check::Variant::Vm);
    let apply = format!("cs: cs.{machine}.config.virtualisation.vmVariant.{attr}");
    nix.eval_json(dir, &installable, Some(&apply)).unwrap()
}

#[test]
fn a_flakes_machines_build_and_run_as_vms_without_init() {
    let Some(nix) = common::nix("a_flakes_machines_build_and_run_as_vms_without_init") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let before = tree(&dir);

    // Plain Nix: the VM of the flake as it is does not evaluate.
    let (ok, _, err) =
        common::nix_flake(&nix, &dir, &["build", "--no-link", ".#nixosConfigurations.web.config.system.build.vm"]);
    assert!(!ok && err.contains("conflicting definition values"), "{err}");

    // nixvm builds both, from a subdirectory too (the flake root is found
    // as git finds its repository).
    let (out, _) = succeed(&dir.join("hosts/web"), &["build"]);
    let built: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(built, ["db", "web"], "{out}");

    // The VM boots, with the arguments given.
    let (out, _) = succeed(&dir, &["run", "web", "--", "-nographic"]);
    assert!(out.contains("stub VM web") && out.contains("arg: -nographic"), "{out}");

    // The key is in the VM only; the administrators' key stays in both.
    let key = std::fs::read_to_string(dir.join(".nixvm/ssh-key.pub")).unwrap();
    let vm_keys = vm_value(&dir, "web", "users.users.root.openssh.authorizedKeys.keys");
    let vm_keys: Vec<&str> = vm_keys.as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert!(vm_keys.contains(&key.trim()), "{vm_keys:?}");
    assert!(vm_keys.iter().any(|k| k.ends_with("admin@laptop")), "{vm_keys:?}");
    let (ok, hw, err) = common::nix_flake(
        &nix,
        &dir,
        &["eval", "--json", ".#nixosConfigurations.web.config.users.users.root.openssh.authorizedKeys.keys"],
    );
    assert!(ok, "{err}");
    assert!(!hw.contains(key.split_whitespace().nth(1).unwrap()), "{hw}");
    assert!(hw.contains("admin@laptop"), "{hw}");
    // qemu-vm.nix's value wins in the VM, as lint's table says.
    assert_eq!(vm_value(&dir, "web", "services.timesyncd.enable"), serde_json::json!(false));

    // Nothing of the user's changed, and git sees nothing new.
    assert_eq!(tree(&dir), before);
    assert_eq!(common::git_status(&dir), "");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(dir.join(".nixvm/ssh-key")).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);

    // An edit (not committed) shows up in the next build.
    let (_, first, _) = run(&dir, &["build", "db"]);
    let module = dir.join("hosts/db/configuration.nix");
    let text = std::fs::read_to_string(&module).unwrap();
    std::fs::write(
        &module,
        text.replace(
            "services.postgresql.enable = true;",
            "services.postgresql.enable = true;\n  services.nginx.enable = true;",
        ),
    )
    .unwrap();
    let (code, second, err) = run(&dir, &["build", "db"]);
    assert_eq!(code, 0, "{err}");
    assert_ne!(first, second);
}

#[test]
fn a_flakes_machines_run_as_a_network() {
    if common::nix("a_flakes_machines_run_as_a_network").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let _down = common::Down(dir.clone());

    let (out, _) = succeed(&dir, &["up"]);
    assert!(out.contains("db: started") && out.contains("192.168.1.1 on the segment"), "{out}");
    assert!(out.contains("web: started") && out.contains("192.168.1.2 on the segment"), "{out}");
    // The VMs know each other by those names.
    let hosts = vm_value(&dir, "web", "networking.hosts");
    assert_eq!(hosts, serde_json::json!({ "192.168.1.1": ["db"], "192.168.1.2": ["web"] }));

    let s = status(&dir, &[]);
    assert!(s["source"].as_str().unwrap().starts_with("nixosConfigurations of the flake "), "{s}");
    let running: Vec<bool> =
        s["machines"].as_array().unwrap().iter().map(|m| m["running"].as_bool().unwrap()).collect();
    assert_eq!(running, [true, true], "{s}");

    let out = nixvm().current_dir(&dir).args(["down"]).output().unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("db: stopped") && out.contains("web: stopped"), "{out}");
    assert_eq!(common::git_status(&dir), "");
}

#[test]
fn flake_mode_says_what_is_wrong() {
    if common::nix("flake_mode_says_what_is_wrong").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // No flake at all.
    let (code, _, err) = run(tmp.path(), &["build"]);
    assert_eq!(code, 2);
    assert!(err.contains("is in no flake"), "{err}");

    // A flake without machines.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("flake.nix"), "{\n  outputs = { self }: { packages = { }; };\n}\n").unwrap();
    common::git(&empty, &["init", "-q"]);
    common::git(&empty, &["add", "-A"]);
    let (code, _, err) = run(&empty, &["build"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the flake has no `nixosConfigurations` output and its flake.nix names no colmena hive"),
        "{err}"
    );

    // A flake outside git: nix would copy .nixvm/ (the key) into the store.
    let loose = tmp.path().join("loose");
    common::copy_tree(&common::fixtures().join("flakes/hosts"), &loose);
    let (code, _, err) = run(&loose, &["build"]);
    assert_eq!(code, 2);
    assert!(err.contains("outside any git repository") && err.contains("git init"), "{err}");
    assert!(!loose.join(".nixvm").exists());

    let dir = user_flake(tmp.path());
    let before = tree(&dir);
    let (code, _, err) = run(&dir, &["run", "a b"]);
    assert_eq!(code, 2);
    assert!(err.contains("`a b` is not a machine name"), "{err}");
    let (code, _, err) = run(&dir, &["build", "mail"]);
    assert_eq!(code, 2);
    assert!(err.contains("no machine `mail` in this flake (machines: db, web)"), "{err}");
    assert_eq!(tree(&dir), before);
    assert_eq!(common::git_status(&dir), "");

    // A module imports a file git does not track: nix says only that it
    // does not exist; nixvm says why and what to run.
    std::fs::write(dir.join("hosts/web/extra.nix"), "{ ... }: { services.postfix.enable = true; }\n").unwrap();
    let config = dir.join("hosts/web/configuration.nix");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("./hardware-configuration.nix ]", "./hardware-configuration.nix ./extra.nix ]"),
    )
    .unwrap();
    let (code, _, err) = run(&dir, &["build", "web"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("git does not track hosts/web/extra.nix") && err.contains("git add -N hosts/web/extra.nix"),
        "{err}"
    );
    // `check` explains it alike.
    let (code, out, err) = run(&dir, &["check", "web"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("git does not track hosts/web/extra.nix") && out.contains("git add -N hosts/web/extra.nix"),
        "{out}"
    );
    common::git(&dir, &["add", "-N", "hosts/web/extra.nix"]);
    let (code, _, err) = run(&dir, &["build", "web"]);
    assert_eq!(code, 0, "{err}");
    // Only the test's own edits show; nixvm's state does not.
    assert_eq!(common::git_status(&dir), " M hosts/web/configuration.nix\n A hosts/web/extra.nix\n");

    // The hardware configuration is kept out of git, as many keep it: at
    // its import, what the VM needs instead, from build and check alike.
    common::git(&dir, &["rm", "-q", "hosts/web/hardware-configuration.nix"]);
    let (code, _, err) = run(&dir, &["build", "web"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("hosts/web/configuration.nix:3:15: `./hardware-configuration.nix` is not in the repository"),
        "{err}"
    );
    assert!(
        err.contains("nixvm init --from hosts/web/configuration.nix")
            && err.contains("git add -N hosts/web/hardware-configuration.nix"),
        "{err}"
    );
    let (code, out, _) = run(&dir, &["check", "web"]);
    assert_eq!(code, 1);
    assert!(out.contains("┌─ hosts/web/configuration.nix:3:15") && out.contains("is not in the repository"), "{out}");
}

#[test]
fn check_maps_a_flakes_errors_to_its_files() {
    if common::nix("check_maps_a_flakes_errors_to_its_files").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let module = dir.join("hosts/db/configuration.nix");
    let text = std::fs::read_to_string(&module).unwrap();
    let broken = text.replace("services.postgresql.enable = true;", "services.postgresql.enable = enablePostgres;");
    std::fs::write(&module, &broken).unwrap();
    let (code, out, err) = run(&dir, &["check", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["file"].as_str(), d["machines"][0].as_str()),
        (Some("eval-error"), Some("hosts/db/configuration.nix"), Some("db")),
        "{json:#}"
    );
    let line = broken.lines().position(|l| l.contains("enablePostgres")).unwrap() as u64 + 1;
    assert_eq!(d["range"]["start"]["line"].as_u64(), Some(line));
    // web evaluates, as on hardware and as a VM, with its conflict resolved.
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics.iter().filter(|d| d["severity"] != "note").all(|d| d["machines"] == serde_json::json!(["db"])),
        "{json:#}"
    );
    // ... which its own VM, as plain Nix builds it, would hit: a note, as
    // lint says it, at the definition.
    let note = diagnostics.iter().find(|d| d["severity"] == "note").unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(
        (note["code"].as_str(), note["file"].as_str(), note["option"].as_str()),
        (Some("qemu-conflict"), Some("hosts/web/configuration.nix"), Some("services.timesyncd.enable")),
        "{json:#}"
    );
    assert!(note["message"].as_str().unwrap().contains("`nixos-rebuild build-vm`"), "{json:#}");
    let nix = common::nix("check_maps_a_flakes_errors_to_its_files").unwrap();
    let (ok, _, err) =
        common::nix_flake(&nix, &dir, &["eval", ".#nixosConfigurations.web.config.system.build.vm.drvPath"]);
    assert!(!ok && err.contains("services.timesyncd.enable' has conflicting definition values"), "{err}");
}

/// A raw colmena hive in the flake's `colmena` output: nodes evaluated as
/// colmena evaluates them (meta.nixpkgs, specialArgs, nodeSpecialArgs,
/// defaults, a node given as a list of modules), `deployment.*` declared,
/// the qemu-vm conflict written inside flake.nix resolved.
#[test]
fn a_colmena_hive_in_a_flake_runs_as_vms() {
    if common::nix("a_colmena_hive_in_a_flake_runs_as_vms").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::fixture_repo(tmp.path(), "hive");
    let before = tree(&dir);

    let (out, _) = succeed(&dir, &["build"]);
    let built: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(built, ["db", "web"], "{out}");
    let (out, _) = succeed(&dir, &["run", "db"]);
    assert!(out.contains("stub VM db"), "{out}");

    // The nodes got colmena's arguments, and the VM nixvm's settings.
    assert_eq!(vm_value(&dir, "db", "services.postgresql.enable"), serde_json::json!(true));
    assert_eq!(vm_value(&dir, "web", "services.timesyncd.enable"), serde_json::json!(false));
    assert_eq!(vm_value(&dir, "web", "networking.hostName"), serde_json::json!("web"));

    // Both evaluate on hardware and as VMs, deployment.* and all.
    let (code, out, err) = run(&dir, &["check", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");

    let s = status(&dir, &[]);
    assert!(s["source"].as_str().unwrap().starts_with("colmena of the flake "), "{s}");
    assert_eq!(tree(&dir), before);
    assert_eq!(common::git_status(&dir), "");
}

/// A hive made with colmena's `lib.makeHive` (the `colmenaHive` output):
/// its evaluated nodes are the machines.
#[test]
fn a_made_colmena_hive_runs_as_vms() {
    if common::nix("a_made_colmena_hive_runs_as_vms").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::fixture_repo(tmp.path(), "made-hive");
    let colmena = format!("path:{}", common::fixtures().join("stub-colmena").display());
    let (out, _) = succeed(&dir, &["run", "mail", "--override-input", "colmena", &colmena]);
    assert!(out.contains("stub VM mail"), "{out}");
    let s = status(&dir, &["--override-input", "colmena", &colmena]);
    assert!(s["source"].as_str().unwrap().starts_with("colmenaHive of the flake "), "{s}");
    assert_eq!(s["machines"][0]["name"], "mail");
    assert_eq!(common::git_status(&dir), "");
}

/// `-v` prints each nix command nixvm runs, as a shell takes it back: run
/// as printed, they give what nixvm got (plain Nix can do it alone).
#[test]
fn verbose_prints_the_nix_commands_to_do_the_same() {
    if common::nix("verbose_prints_the_nix_commands_to_do_the_same").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let (out, err) = succeed(&dir, &["build", "web", "-v"]);
    let vm = out.trim().split('\t').nth(1).unwrap().to_string();
    // A command runs from its `+ ` line while a single quote is open (an
    // argument spanning lines); other lines are nixvm's and Nix's own.
    let mut commands: Vec<String> = vec![];
    // (`'\''` writes a quote: the escaped one does not count.)
    let open = |c: &String| (c.matches('\'').count() - c.matches("\\'").count()) % 2 == 1;
    for line in err.lines() {
        match commands.last_mut() {
            Some(last) if open(last) => {
                last.push('\n');
                last.push_str(line);
            }
            _ => commands.extend(line.strip_prefix("+ ").map(str::to_string)),
        }
    }
    assert_eq!(commands.len(), 2, "an evaluation and a build: {err}");
    assert!(commands[0].contains(" eval ") && commands[1].contains(" build "), "{commands:?}");
    let shell = |c: &str| std::process::Command::new("sh").arg("-c").arg(c).current_dir(&dir).output().unwrap();
    let eval = shell(&commands[0]);
    assert!(eval.status.success(), "{}", String::from_utf8_lossy(&eval.stderr));
    let selected: serde_json::Value = serde_json::from_slice(&eval.stdout).unwrap();
    assert_eq!(selected["selected"][0]["name"], "web");
    let build = shell(&commands[1]);
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    assert!(String::from_utf8_lossy(&build.stdout).contains(&vm), "{}", String::from_utf8_lossy(&build.stdout));
}

/// `--flake` names the flake from anywhere: a directory (its `.nixvm/`
/// holds the state), or any flake reference nix takes (state in `--dir`).
#[test]
fn another_flake_by_flag() {
    if common::nix("another_flake_by_flag").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let flake = dir.to_string_lossy().into_owned();
    let (out, _) = succeed(&elsewhere, &["build", "db", "--flake", &flake]);
    assert!(out.starts_with("db\t"), "{out}");
    assert!(dir.join(".nixvm/ssh-key").is_file() && !elsewhere.join(".nixvm").exists());

    let reference = format!("git+file://{}", dir.display());
    let (out, _) = succeed(&elsewhere, &["build", "web", "--flake", &reference]);
    assert!(out.starts_with("web\t"), "{out}");
    assert!(elsewhere.join(".nixvm/ssh-key").is_file(), "state where the command runs");
    assert_eq!(common::git_status(&dir), "");
}

/// A machine whose name cannot name a VM (`mail.example.org`, common in
/// real flakes) is left out of "all", said so; the others start and stop.
#[test]
fn machines_named_like_hosts_are_left_out_with_a_warning() {
    if common::nix("machines_named_like_hosts_are_left_out_with_a_warning").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let _down = common::Down(dir.clone());
    let flake = dir.join("flake.nix");
    let text = std::fs::read_to_string(&flake).unwrap();
    std::fs::write(
        &flake,
        text.replace("db = host \"db\";", "db = host \"db\";\n        \"mail.example.org\" = host \"db\";"),
    )
    .unwrap();
    let (out, err) = succeed(&dir, &["up"]);
    assert!(err.contains("warning: left out mail.example.org"), "{err}");
    assert!(out.contains("db: started") && out.contains("web: started") && !out.contains("mail"), "{out}");
    let out = nixvm().current_dir(&dir).args(["down"]).output().unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("db: stopped") && out.contains("web: stopped"), "{out}");
}

/// `nixvm lint` in a flake names the machines whose `modules` lists in
/// flake.nix reach a file (directly or through imports).
#[test]
fn lint_names_the_machines_a_flake_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("infra");
    common::copy_tree(&common::fixtures().join("flakes/hosts"), &dir);
    std::fs::write(
        dir.join("flake.nix"),
        "{\n  outputs = { self, nixpkgs }: {\n    nixosConfigurations.web = nixpkgs.lib.nixosSystem {\n      modules = [ ./hosts/web/configuration.nix ./modules/common.nix ];\n    };\n    nixosConfigurations.db = nixpkgs.lib.nixosSystem {\n      modules = [ ./hosts/db/configuration.nix ./modules/common.nix ];\n    };\n  };\n}\n",
    )
    .unwrap();
    let out = nixvm().current_dir(&dir).args(["lint", "--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or("-").to_string();
            let machines: Vec<&str> = d["machines"].as_array().unwrap().iter().filter_map(|m| m.as_str()).collect();
            (s("file"), s("code"), if machines.is_empty() { "-".to_string() } else { machines.join(", ") })
        })
        .collect();
    let of = |code: &str| found.iter().find(|f| f.1 == code).map(|f| (f.0.as_str(), f.2.as_str()));
    assert_eq!(of("qemu-conflict"), Some(("./hosts/web/configuration.nix", "web")), "{found:?}");
    // Reached through web's import of its hardware configuration.
    assert_eq!(of("vm-override-ignored"), Some(("./hosts/web/hardware-configuration.nix", "web")), "{found:?}");
}

/// `status` lists a machine whose configuration does not evaluate (here an
/// option no module declares), with the others: `check` says why.
#[test]
fn status_lists_a_machine_that_does_not_evaluate() {
    if common::nix("status_lists_a_machine_that_does_not_evaluate").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let module = dir.join("hosts/db/configuration.nix");
    let text = std::fs::read_to_string(&module).unwrap();
    std::fs::write(&module, text.replace("services.postgresql.enable = true;", "services.pgbouncer.enable = true;"))
        .unwrap();
    let s = status(&dir, &[]);
    let names: Vec<&str> = s["machines"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["db", "web"], "{s}");
}

/// The VM module overrides what the flake's own files conflict on, not
/// what a flake inside it (a vendored nixpkgs, a subflake) sets.
#[test]
fn a_flake_inside_the_flake_is_not_linted_as_its_own() {
    if common::nix("a_flake_inside_the_flake_is_not_linted_as_its_own").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let inner = dir.join("vendor/other");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(inner.join("flake.nix"), "{ outputs = _: { }; }\n").unwrap();
    std::fs::write(inner.join("vm.nix"), "{ ... }: { boot.loader.grub.gfxmodeBios = \"640x480\"; }\n").unwrap();
    common::git(&dir, &["add", "-A"]);
    succeed(&dir, &["build", "web"]);
    let module = std::fs::read_to_string(dir.join(".nixvm/.flake/vm.nix")).unwrap();
    assert!(module.contains("services.timesyncd.enable = lib.mkForce false"), "the flake's own conflict: {module}");
    assert!(!module.contains("gfxmodeBios"), "{module}");
}

/// Set the modification time of every file under `dir` (outside `.git`)
/// to `ago` before now.
fn age(dir: &Path, ago: std::time::Duration) {
    let when = std::time::SystemTime::now() - ago;
    for (path, _) in tree(dir) {
        std::fs::File::options().append(true).open(dir.join(&path)).unwrap().set_modified(when).unwrap();
    }
}

/// `run` in flake mode is one nix call: the build of the VM, through the
/// wrapper flake that takes the user's flake as its input.
#[test]
fn run_is_one_nix_call() {
    if common::nix("run_is_one_nix_call").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let (out, err) = succeed(&dir, &["run", "db", "-v"]);
    let calls: Vec<&str> = err.lines().filter(|l| l.starts_with("+ ")).collect();
    assert_eq!(calls.len(), 1, "{err}");
    assert!(calls[0].contains(" build ") && calls[0].contains("#nixvm.vms.db.config.system.build.vm"), "{err}");
    // The user's `--override-input nixpkgs` reached the user's flake.
    assert!(calls[0].contains("--override-input user/nixpkgs path:"), "{err}");
    assert!(out.contains("stub VM db"), "{out}");
    // Nix's notice that it kept the wrapper's lock unwritten is not passed on.
    assert!(!err.contains("not writing modified lock file"), "{err}");
    assert!(!dir.join(".nixvm/.flake/flake.lock").exists());
}

/// nixvm keeps flake mode's VM module while the flake's files are as they
/// were, and makes it again when one changes.
#[test]
fn an_edit_reaches_a_kept_vm_module() {
    if common::nix("an_edit_reaches_a_kept_vm_module").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = user_flake(tmp.path());
    let hour = std::time::Duration::from_secs(3600);
    age(&dir, hour);
    succeed(&dir, &["build", "db"]);
    let made_from = std::fs::read_to_string(dir.join(".nixvm/.flake/vm.nix.made-from")).unwrap();
    assert!(made_from.contains("hosts/db/configuration.nix"), "{made_from}");
    let module = || std::fs::read_to_string(dir.join(".nixvm/.flake/vm.nix")).unwrap();
    assert!(!module().contains("gfxmodeBios"), "{}", module());

    // An edit a while ago (same age as the rest would be a different time).
    let db = dir.join("hosts/db/configuration.nix");
    let text = std::fs::read_to_string(&db).unwrap();
    std::fs::write(&db, text.replace("}\n", "  boot.loader.grub.gfxmodeBios = \"640x480\";\n}\n")).unwrap();
    std::fs::File::options()
        .append(true)
        .open(&db)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - hour / 2)
        .unwrap();
    succeed(&dir, &["build", "db"]);
    assert!(module().contains("boot.loader.grub.gfxmodeBios = lib.mkForce"), "{}", module());

    // An edit this instant: the module is made again, and not kept.
    std::fs::write(&db, text).unwrap();
    succeed(&dir, &["build", "db"]);
    assert!(!module().contains("gfxmodeBios"), "{}", module());
    assert_eq!(std::fs::read_to_string(dir.join(".nixvm/.flake/vm.nix.made-from")).unwrap(), "");
}
