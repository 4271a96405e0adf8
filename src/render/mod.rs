//! Rendering Nix from the tera templates in `templates/` (embedded in the
//! binary). Values from Rust reach Nix only through the escaping filters
//! (`nix_str`, `nix_attr`, `nix_attrpath`), and every rendered file is
//! re-parsed: a template that renders invalid Nix is an error, never a file.

use crate::syntax;
use crate::text::LineIndex;
use serde::Serialize;
use std::collections::HashMap;
use tera::{Tera, Value};

const TEMPLATES: &[(&str, &str)] = &[
    ("flake.nix", include_str!("../../templates/flake.nix.tera")),
    ("vm-address", include_str!("../../templates/vm-address.nix.tera")),
    ("vm-variant", include_str!("../../templates/vm-variant.nix.tera")),
    ("vm.nix", include_str!("../../templates/vm.nix.tera")),
    ("test-node.nix", include_str!("../../templates/test-node.nix.tera")),
    ("flake-vm.nix", include_str!("../../templates/flake-vm.nix.tera")),
    ("flake-wrapper.nix", include_str!("../../templates/flake-wrapper.nix.tera")),
    ("default.nix", include_str!("../../templates/default.nix.tera")),
    ("machines.nix", include_str!("../../templates/machines.nix.tera")),
    ("gitignore", include_str!("../../templates/gitignore.tera")),
];

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template {0}: {1}")]
    Template(String, String),
    #[error("template {name} rendered invalid Nix at {line}:{column}: {message}")]
    InvalidNix { name: String, line: usize, column: usize, message: String },
}

/// Templates other templates include, parsed with each of them.
const PARTIALS: &[&str] = &["vm-address", "vm-variant"];

/// Template `name` (with the partials), parsed once per process: tera's
/// parsing takes longer than rendering, and a command renders one or two
/// templates of the many.
fn tera(name: &str) -> Result<&'static Tera, RenderError> {
    type Parsed = std::collections::HashMap<String, &'static Tera>;
    static PARSED: std::sync::OnceLock<std::sync::Mutex<Parsed>> = std::sync::OnceLock::new();
    let mut parsed = PARSED.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if let Some(t) = parsed.get(name) {
        return Ok(t);
    }
    // Kept for the life of the process, like the templates themselves.
    let t: &'static Tera = Box::leak(Box::new(parse_templates(|n| n == name || PARTIALS.contains(&n))?));
    parsed.insert(name.to_string(), t);
    Ok(t)
}

/// The templates `wanted` says, parsed, with nixvm's filters.
fn parse_templates(wanted: impl Fn(&str) -> bool) -> Result<Tera, RenderError> {
    let mut t = Tera::default();
    t.autoescape_on(vec![]);
    t.add_raw_templates(TEMPLATES.iter().copied().filter(|(n, _)| wanted(n)))
        .map_err(|e| RenderError::Template("*".into(), chain(&e)))?;
    t.register_filter("nix_str", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(crate::nixstr::string_literal(&as_text(v)?)))
    });
    t.register_filter("nix_attr", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(crate::nixstr::attr_name(&as_text(v)?)))
    });
    // For text inside a `#` comment: one line, whatever it holds.
    t.register_filter("comment", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(as_text(v)?.replace(['\n', '\r'], " ")))
    });
    t.register_filter("nix_attrpath", |v: &Value, _: &HashMap<String, Value>| {
        let parts = v.as_array().ok_or_else(|| tera::Error::msg("nix_attrpath needs a list"))?;
        let names: Result<Vec<String>, _> =
            parts.iter().map(|p| as_text(p).map(|s| crate::nixstr::attr_name(&s))).collect();
        Ok(Value::String(names?.join(".")))
    });
    Ok(t)
}

fn as_text(v: &Value) -> tera::Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(tera::Error::msg("expected a string")),
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// How a VM gets the project's age identity, with which sops-nix and agenix
/// decrypt in it: a directory of the host's, named by a variable of the
/// run script's environment (nixvm sets it), shared with the VM read-only
/// and mounted at `guest_dir`, holding the key as `file`.
#[derive(Serialize, Debug, Clone, Copy)]
pub struct IdentityShare {
    /// The VM's shared directory (`virtualisation.sharedDirectories.NAME`).
    pub share: &'static str,
    pub variable: &'static str,
    pub guest_dir: &'static str,
    pub file: &'static str,
}

/// What every VM module says about the identity; templates see it as
/// `identity`.
pub const IDENTITY: IdentityShare =
    IdentityShare { share: "nixvm-identity", variable: "NIXVM_IDENTITY", guest_dir: "/var/lib/nixvm", file: "age-key" };

/// Render template `name` with `context`; Nix templates are re-parsed.
pub fn render(name: &str, context: &impl Serialize) -> Result<String, RenderError> {
    let t = tera(name)?;
    let mut ctx = tera::Context::from_serialize(context).map_err(|e| RenderError::Template(name.into(), chain(&e)))?;
    ctx.insert("identity", &IDENTITY);
    let mut text = t.render(name, &ctx).map_err(|e| RenderError::Template(name.into(), chain(&e)))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    check(name, text)
}

/// `text` when it is valid Nix (or not Nix at all), else where it is not.
fn check(name: &str, text: String) -> Result<String, RenderError> {
    if name.ends_with(".nix") {
        if let Some(err) = syntax::syntax_errors(&text).into_iter().next() {
            let p = LineIndex::new(&text).position(&text, err.span.start);
            return Err(RenderError::InvalidNix {
                name: name.into(),
                line: p.line,
                column: p.column,
                message: err.message,
            });
        }
    }
    Ok(text)
}

/// A header comment line naming the command: one line, whatever it holds.
pub fn command_line(args: &[String]) -> String {
    args.join(" ").replace(['\n', '\r'], " ")
}

#[derive(Serialize, Debug, Clone)]
pub struct FlakeContext {
    pub command: String,
    pub description: String,
    pub nixpkgs_url: String,
    /// The network file's path inside the project, from its root: `/x.nix`.
    pub network_file: String,
    /// For a network written as a function: the set it is called with.
    pub network_call: Option<String>,
    pub system: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct Override {
    pub option: Vec<String>,
    /// A Nix expression (rendered from a parsed value, so already valid Nix).
    pub value: String,
    pub reason: String,
    /// The user's definition it overrides: its file (relative to the
    /// source's root) and bytes there.
    #[serde(skip)]
    pub at: Option<(String, crate::text::Span)>,
}

#[derive(Serialize, Debug, Clone)]
pub struct VmModuleContext {
    pub command: String,
    pub deployment_options: bool,
    pub overrides: Vec<Override>,
}

/// Flake mode's VM module: the overrides only (the key and machines come
/// as the module's arguments).
#[derive(Serialize, Debug, Clone)]
pub struct FlakeVmContext {
    pub overrides: Vec<Override>,
}

/// Flake mode's wrapper flake, which takes the user's flake as its input
/// `user`.
#[derive(Serialize, Debug, Clone)]
pub struct FlakeWrapperContext {
    /// The user's flake's output that holds the machines.
    pub output: String,
    /// A Nix expression (fixed by nixvm, not from user input) from `user`
    /// to its machines' NixOS evaluations.
    pub machines: String,
    /// What to say when the flake has no such output.
    pub missing: String,
    /// The project's public ssh key (empty: none).
    pub ssh_key: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct MachineEntry {
    pub name: String,
    pub path: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct MachinesContext {
    pub command: String,
    pub machines: Vec<MachineEntry>,
}

#[derive(Serialize, Debug, Clone)]
pub struct DefaultNixContext {
    pub command: String,
    pub system: String,
    pub example: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct CommandContext {
    pub command: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flake() -> FlakeContext {
        FlakeContext {
            command: "nixvm init --from ./configuration.nix".into(),
            description: "tricky \"${desc}\" \\ ''".into(),
            nixpkgs_url: "github:NixOS/nixpkgs/nixos-25.11".into(),
            network_file: "/machines.nix".into(),
            network_call: None,
            system: "x86_64-linux".into(),
        }
    }

    #[test]
    fn every_template_renders_valid_nix() {
        let flake_nix = render("flake.nix", &flake()).unwrap();
        assert!(flake_nix.contains(r#"description = "tricky \"\${desc}\" \\ ''";"#), "{flake_nix}");
        let vm = VmModuleContext {
            command: "c".into(),
            deployment_options: true,
            overrides: vec![Override {
                option: vec!["services".into(), "timesyncd".into(), "enable".into()],
                value: "false".into(),
                reason: "r".into(),
                at: None,
            }],
        };
        let vm_nix = render("vm.nix", &vm).unwrap();
        assert!(vm_nix.contains("services.timesyncd.enable = lib.mkForce false;"), "{vm_nix}");
        let machines = MachinesContext {
            command: "c".into(),
            machines: vec![MachineEntry { name: "a b".into(), path: "/machines/x y/configuration.nix".into() }],
        };
        assert!(render("machines.nix", &machines)
            .unwrap()
            .contains("\"a b\" = ./. + \"/machines/x y/configuration.nix\";"));
        let d = DefaultNixContext { command: "c".into(), system: "x86_64-linux".into(), example: "web".into() };
        render("default.nix", &d).unwrap();
    }

    #[test]
    fn invalid_output_is_refused() {
        let mut f = flake();
        f.system = "x".into();
        let mut t = parse_templates(|_| true).unwrap();
        t.add_raw_template("bad.nix", "{ a = {{ system }} }").unwrap(); // unescaped: a template bug
        let err =
            check("bad.nix", t.render("bad.nix", &tera::Context::from_serialize(&f).unwrap()).unwrap()).unwrap_err();
        assert!(matches!(err, RenderError::InvalidNix { .. }), "{err}");
    }
}
