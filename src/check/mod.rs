//! `nixvm check`'s mapping from what Nix says to the user's source: a
//! classified Nix error met while evaluating one machine (as on hardware,
//! or its VM) becomes diagnostics on the project's own files, at the
//! definition's key (found with the syntax layer) or at the position Nix
//! gives. Pure: the caller hands in a reader for the project's files.

use crate::lint::{declare_lint, Diagnostic, Meta};
use crate::nix::message::{NixDefinition, NixErrorKind, NixMessage};
use crate::text::Span;

declare_lint! {
    /// Two definitions of an option disagree at the same priority, as Nix
    /// found when it evaluated the machine. When one is qemu-vm.nix's, the
    /// VM cannot be built until your value yields (`lib.mkDefault`).
    EvalConflict, "qemu-conflict", Error
}

declare_lint! {
    /// A definition of an option no module declares. NixOS refuses the whole
    /// configuration. Check the spelling, or import the module that
    /// declares it.
    UndeclaredOption, "undeclared-option", Error
}

declare_lint! {
    /// An assertion of a NixOS module failed: the configuration is
    /// inconsistent (the message says how).
    FailedAssertion, "failed-assertion", Error
}

declare_lint! {
    /// Nix could not evaluate the machine: an undefined variable, a missing
    /// attribute, a search path or absolute path in pure evaluation,
    /// infinite recursion, or anything else Nix says, shown whole.
    EvalError, "eval-error", Error
}

/// The codes `check` reports, for `nixvm explain`.
pub const METAS: [&Meta; 4] = [&EvalConflict::META, &UndeclaredOption::META, &FailedAssertion::META, &EvalError::META];

/// Which configuration of a machine was evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `nixosConfigurations.M`, as on hardware.
    Hardware,
    /// Its `virtualisation.vmVariant`.
    Vm,
}

/// A diagnostic and the project file it is in (None: Nix named no file of
/// the project).
#[derive(Debug, Clone)]
pub struct Finding {
    pub file: Option<String>,
    pub diagnostic: Diagnostic,
}

/// What `check` needs besides the message.
pub struct Context<'a> {
    pub machine: &'a str,
    pub variant: Variant,
    /// The store path of the project's source (`/nix/store/...-source`).
    pub source: &'a str,
    /// A project file's text, by path relative to the project.
    pub read: &'a dyn Fn(&str) -> Option<String>,
}

const VM_PREFIX: &str = "virtualisation.vmVariant.";

impl Context<'_> {
    /// The project file a store path names.
    fn project_file(&self, path: &str) -> Option<String> {
        let rel = path.strip_prefix(self.source)?.strip_prefix('/')?;
        (!rel.is_empty()).then(|| rel.to_string())
    }

    /// A path as the user knows it: project-relative, or what follows a
    /// store path's `-source/` (nixpkgs' own files).
    fn shown(&self, path: &str) -> String {
        if let Some(rel) = self.project_file(path) {
            return rel;
        }
        match path.strip_prefix("/nix/store/").and_then(|p| p.split_once('/')) {
            Some((_, rest)) => rest.to_string(),
            None => path.to_string(),
        }
    }

    fn where_(&self, in_vm: bool) -> &'static str {
        if in_vm || self.variant == Variant::Vm {
            " in the VM"
        } else {
            ""
        }
    }

    fn diagnostic(
        &self,
        meta: &Meta,
        span: Span,
        message: String,
        help: Option<String>,
        option: Option<&str>,
    ) -> Diagnostic {
        let mut d = Diagnostic::new(meta, span, message);
        d.help = help;
        d.option = option.map(str::to_string);
        d.machines = vec![self.machine.to_string()];
        d
    }
}

/// The diagnostics for one Nix error.
pub fn diagnose(cx: &Context, message: &NixMessage) -> Vec<Finding> {
    match &message.kind {
        NixErrorKind::Conflict { option, definitions } => {
            let (option, in_vm) = strip_vm(option);
            let outside = definitions.iter().any(|d| cx.project_file(&d.file).is_none());
            let help = if outside {
                "give your value a lower priority with `lib.mkDefault` (nixvm lint --fix), or force the VM's in nixvm/vm.nix"
            } else {
                "your own definitions disagree: keep one, or give one a priority (`lib.mkDefault`, `lib.mkForce`)"
            };
            at_definitions(
                cx,
                &EvalConflict::META,
                option,
                definitions,
                |value, others| {
                    format!("`{option}` has conflicting definition values{}: {value} here, {others}", cx.where_(in_vm))
                },
                Some(help.to_string()),
            )
        }
        NixErrorKind::UndeclaredOption { option, definitions } => {
            let (option, in_vm) = strip_vm(option);
            at_definitions(
                cx,
                &UndeclaredOption::META,
                option,
                definitions,
                |_, _| format!("the option `{option}` does not exist{}: no module declares it", cx.where_(in_vm)),
                Some("check its spelling, or import the module that declares it".into()),
            )
        }
        NixErrorKind::FailedAssertions { messages } => messages
            .iter()
            .map(|m| Finding {
                file: None,
                diagnostic: cx.diagnostic(
                    &FailedAssertion::META,
                    Span::empty(0),
                    format!("assertion failed{}: {m}", cx.where_(false)),
                    None,
                    None,
                ),
            })
            .collect(),
        kind => {
            let (text, help) = match kind {
                NixErrorKind::UndefinedVariable { name } => (format!("undefined variable `{name}`"), None),
                NixErrorKind::MissingAttribute { name } => (format!("attribute `{name}` missing"), None),
                NixErrorKind::SearchPathInPureMode { path } => (
                    format!("`{path}` cannot be looked up in pure evaluation"),
                    Some(
                        "use the flake's `nixpkgs` (modulesPath, pkgs) instead of a search path, or pass --impure"
                            .to_string(),
                    ),
                ),
                NixErrorKind::AbsolutePathInPureMode { path } => (
                    format!("`{path}` is outside the project, which pure evaluation forbids"),
                    Some("copy the file into the project (and `git add` it), or pass --impure".to_string()),
                ),
                NixErrorKind::InfiniteRecursion => ("infinite recursion encountered".to_string(), None),
                _ => (format!("nix failed:\n{}", message.summary), None),
            };
            let located = message.position.as_ref().and_then(|p| {
                let file = cx.project_file(&p.file)?;
                let text = (cx.read)(&file)?;
                Some((file, word_at(&text, p.line, p.column)))
            });
            let message_text = format!("{text}{}", cx.where_(false));
            let (file, span) = match located {
                Some((file, span)) => (Some(file), span),
                None => (None, Span::empty(0)),
            };
            // Outside the project, Nix's own text says where.
            let message_text = match (&file, kind) {
                (None, NixErrorKind::Other) | (Some(_), _) => message_text,
                (None, _) => format!("{message_text}\n{}", message.summary),
            };
            vec![Finding { file, diagnostic: cx.diagnostic(&EvalError::META, span, message_text, help, None) }]
        }
    }
}

fn strip_vm(option: &str) -> (&str, bool) {
    match option.strip_prefix(VM_PREFIX) {
        Some(o) => (o, true),
        None => (option, false),
    }
}

/// One finding per definition in the project's files (at its key), or one
/// without a file when Nix names none of them.
fn at_definitions(
    cx: &Context,
    meta: &Meta,
    option: &str,
    definitions: &[NixDefinition],
    message: impl Fn(&str, &str) -> String,
    help: Option<String>,
) -> Vec<Finding> {
    let others = |skip: Option<usize>| {
        let list: Vec<String> = definitions
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != skip)
            .map(|(_, d)| format!("{} in {}", first_line(&d.value), cx.shown(&d.file)))
            .collect();
        list.join(", ")
    };
    let mut out = vec![];
    for (i, d) in definitions.iter().enumerate() {
        let Some(file) = cx.project_file(&d.file) else { continue };
        let span = (cx.read)(&file).and_then(|t| definition_span(&t, cx.machine, option)).unwrap_or(Span::empty(0));
        out.push(Finding {
            file: Some(file),
            diagnostic: cx.diagnostic(
                meta,
                span,
                message(&first_line(&d.value), &others(Some(i))),
                help.clone(),
                Some(option),
            ),
        });
    }
    if out.is_empty() {
        out.push(Finding {
            file: None,
            diagnostic: cx.diagnostic(meta, Span::empty(0), message("(none)", &others(None)), help, Some(option)),
        });
    }
    out
}

fn first_line(value: &str) -> String {
    let mut lines = value.lines();
    let first = lines.next().unwrap_or("").trim();
    if lines.next().is_some() {
        format!("{first} ...")
    } else {
        first.to_string()
    }
}

/// Where a file defines `option` (or `virtualisation.vmVariant.OPTION`):
/// the key, in the machine's module when the file is a network file.
pub fn definition_span(text: &str, machine: &str, option: &str) -> Option<Span> {
    let parsed = crate::syntax::parse(text);
    let in_vm = format!("{VM_PREFIX}{option}");
    // As a module or a recognised network; else as a network of the
    // nixos-build-vms kind (name -> module), which has no marker.
    [Some(crate::syntax::analyze(&parsed)), crate::syntax::read_network(&parsed).ok()]
        .into_iter()
        .flatten()
        .find_map(|analysis| span_in(&analysis, machine, option, &in_vm))
}

/// The definition of `option` itself, else the first one under it: NixOS
/// names an undeclared option at its first undeclared level
/// (`services.webcache' for `services.webcache.enable = true`).
fn span_in(analysis: &crate::syntax::FileAnalysis, machine: &str, option: &str, in_vm: &str) -> Option<Span> {
    let mut modules: Vec<_> = analysis.modules.iter().collect();
    // The machine's own module first, then shared ones.
    modules.sort_by_key(|m| m.machine.as_deref() != Some(machine));
    let definitions: Vec<_> = modules
        .into_iter()
        .filter(|m| m.machine.as_deref().is_none_or(|n| n == machine))
        .flat_map(|m| &m.definitions)
        .collect();
    let under = |name: &str, prefix: &str| name.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.'));
    let exact = definitions.iter().find(|d| {
        let name = d.dotted();
        name == option || name == in_vm
    });
    exact
        .or_else(|| {
            definitions.iter().find(|d| {
                let name = d.dotted();
                under(&name, option) || under(&name, in_vm)
            })
        })
        .map(|d| d.key_span())
}

/// The identifier-like word at Nix's 1-based line and column (bytes), or an
/// empty span there.
pub fn word_at(text: &str, line: u32, column: u32) -> Span {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let col = (column.max(1) as usize - 1).min(l.trim_end_matches(['\n', '\r']).len());
            let mut at = start + col;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let end = text[at..]
                .char_indices()
                .find(|(_, c)| !(c.is_alphanumeric() || "_-'.<>/".contains(*c)))
                .map(|(i, _)| at + i)
                .unwrap_or(text.len());
            return Span::new(at, end);
        }
        start += l.len();
    }
    Span::empty(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nix::message::parse_message;

    const SOURCE: &str = "/nix/store/3v9kjg59ahkwxlif2dlid0a5il602r3i-source";

    fn run(variant: Variant, msg: &str, files: &[(&str, &str)]) -> Vec<Finding> {
        let files: Vec<(String, String)> = files.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        let read = move |rel: &str| files.iter().find(|(n, _)| n == rel).map(|(_, t)| t.clone());
        let cx = Context { machine: "relay", variant, source: SOURCE, read: &read };
        diagnose(&cx, &parse_message(msg))
    }

    #[test]
    fn conflicts_point_at_the_users_definition() {
        let config = "{ lib, ... }:\n{\n  services = {\n    timesyncd.enable = true;\n  };\n}\n";
        let msg = format!(
            "error: The option `virtualisation.vmVariant.services.timesyncd.enable' has conflicting definition values:\n- In `{SOURCE}/machines/relay/configuration.nix': true\n- In `/nix/store/8yzbrxbx8c9f9fnnqk7aqyd3n6c8ivxb-source/nixos/modules/virtualisation/qemu-vm.nix': false\n"
        );
        let f = run(Variant::Vm, &msg, &[("machines/relay/configuration.nix", config)]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].file.as_deref(), Some("machines/relay/configuration.nix"));
        let d = &f[0].diagnostic;
        assert_eq!(d.code.as_str(), "qemu-conflict");
        assert_eq!(&config[d.span.start..d.span.end], "timesyncd.enable");
        assert_eq!(d.option.as_deref(), Some("services.timesyncd.enable"));
        assert_eq!(
            d.message,
            "`services.timesyncd.enable` has conflicting definition values in the VM: true here, false in nixos/modules/virtualisation/qemu-vm.nix"
        );
    }

    #[test]
    fn an_undeclared_option_is_found_under_the_level_nixos_names() {
        // NixOS names the first undeclared level and shows what is defined
        // there, pretty-printed over several lines.
        let config = "{\n  services.nginx.enable = true;\n  services.webcache.enable = true;\n}\n";
        let msg = format!(
            "error: The option `services.webcache' does not exist. Definition values:\n- In `{SOURCE}/machines/relay/configuration.nix':\n    {{\n      enable = true;\n    }}\n"
        );
        let f = run(Variant::Hardware, &msg, &[("machines/relay/configuration.nix", config)]);
        assert_eq!(f.len(), 1);
        let d = &f[0].diagnostic;
        assert_eq!(d.code.as_str(), "undeclared-option");
        assert_eq!(d.option.as_deref(), Some("services.webcache"));
        assert_eq!(&config[d.span.start..d.span.end], "services.webcache.enable");
    }

    #[test]
    fn network_files_point_into_the_machines_module() {
        let net = "{\n  web = { services.nginx.enable = true; };\n  relay = { services.nginx.enable = false; };\n}\n";
        let msg = format!("error: The option `services.nginx.enable' does not exist. Definition values:\n- In `{SOURCE}/network.nix': false\n");
        let f = run(Variant::Hardware, &msg, &[("network.nix", net)]);
        let d = &f[0].diagnostic;
        assert_eq!(d.code.as_str(), "undeclared-option");
        assert_eq!(net[..d.span.start].lines().count(), 3, "relay's line, not web's");
        assert_eq!(d.machines, ["relay"]);
    }

    #[test]
    fn positions_map_to_project_files_and_others_keep_nix_text() {
        let config = "{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.mailrelay ];\n}\n";
        let msg = format!("error: attribute 'mailrelay' missing\n\n       at {SOURCE}/c.nix:3:34:\n");
        let f = run(Variant::Hardware, &msg, &[("c.nix", config)]);
        assert_eq!(f[0].file.as_deref(), Some("c.nix"));
        let s = f[0].diagnostic.span;
        assert_eq!(&config[s.start..s.end], "pkgs.mailrelay");
        // In nixpkgs: no project file; Nix's own words are kept.
        let msg = "error: attribute 'x' missing\n\n       at /nix/store/8yzbrxbx8c9f9fnnqk7aqyd3n6c8ivxb-source/lib/a.nix:1:1:\n";
        let f = run(Variant::Vm, msg, &[]);
        assert_eq!(f[0].file, None);
        assert!(
            f[0].diagnostic.message.starts_with("attribute `x` missing in the VM\nerror: attribute 'x' missing"),
            "{}",
            f[0].diagnostic.message
        );
        let f = run(Variant::Hardware, "error: something new\nmore", &[]);
        assert!(f[0].diagnostic.message.contains("something new\nmore"), "unknown errors are shown whole");
    }

    #[test]
    fn word_at_is_safe_anywhere() {
        let t = "ab\ncé d\n";
        assert_eq!(word_at(t, 2, 2), Span::new(4, 6));
        assert_eq!(word_at(t, 2, 99), Span::new(t.len() - 1, t.len() - 1));
        assert_eq!(word_at(t, 9, 1), Span::empty(t.len()));
        assert_eq!(word_at(t, 0, 0), Span::empty(t.len()));
    }
}
