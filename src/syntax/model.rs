//! Plain data the syntax layer hands to the other layers: no rnix types.

use crate::text::{Edit, Span};
use std::fmt;

/// A statically known value, or the source text of an expression that is not
/// a literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Null,
    /// A path literal as written (`./x.nix`, `/etc/x`, `<nixpkgs>`).
    Path(String),
    List(Vec<Value>),
    /// An attribute set; its bindings are reported as their own definitions.
    AttrSet,
    /// Anything else: a variable, a call, an operator. Holds the source text.
    Expr(String),
}

impl Value {
    pub fn is_literal(&self) -> bool {
        !matches!(self, Value::Expr(_) | Value::AttrSet)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    /// Renders the value as Nix source.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => write!(f, "{}", crate::nixstr::string_literal(s)),
            Value::Null => write!(f, "null"),
            Value::Path(p) => write!(f, "{p}"),
            Value::List(items) => {
                write!(f, "[")?;
                for i in items {
                    write!(f, " {i}")?;
                }
                write!(f, " ]")
            }
            Value::AttrSet => write!(f, "{{ ... }}"),
            Value::Expr(text) => write!(f, "{text}"),
        }
    }
}

/// The module-system priority a definition is made at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priority {
    /// `None` when the priority is not a literal (`mkOverride prio x`).
    pub level: Option<u32>,
    /// The wrapper that set it (`mkDefault`, `mkForce`, ...), if any.
    pub via: Option<&'static str>,
}

impl Priority {
    /// A definition without any priority wrapper.
    pub const PLAIN: Priority = Priority { level: Some(100), via: None };

    pub fn is_plain_level(&self) -> bool {
        self.level == Some(100)
    }
}

/// Where a priority wrapper sits, for fixes that change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapperCall {
    /// Where the function expression starts (`lib` in `lib.mkOverride 100 x`).
    pub start: usize,
    /// The function name token (`mkOverride` in `lib.mkOverride 100 x`).
    pub name: Span,
    /// From the function name to the end of its last non-value argument
    /// (`mkOverride 100`).
    pub head_end: usize,
}

/// One definition of an option (or of an attribute set on the way to one).
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// The option path, e.g. `["services", "timesyncd", "enable"]`.
    pub path: Vec<String>,
    /// Index in `path` of the first component written in this binding's own
    /// key (`a.b = { c = v; }`: the definition of `a.b.c` has `key_start` 2).
    pub key_start: usize,
    /// The spans of the key components this binding writes, one per path
    /// component from `key_start` on.
    pub key_spans: Vec<Span>,
    /// Where the value expression stands (inside any priority wrappers and
    /// conditions), the place to wrap for a fix.
    pub value_span: Span,
    pub value: Value,
    pub priority: Priority,
    /// The innermost priority wrapper, when there is one.
    pub wrapper: Option<WrapperCall>,
    /// Conditions (`mkIf c`, `if c`) it is under, as source text.
    pub conditions: Vec<String>,
    /// Defined by `inherit` rather than `name = value;`: how it is written.
    pub inherited: Option<Inherited>,
    /// Has a key component that is not static (`${name}`).
    pub dynamic: bool,
    /// The value must be parenthesised to become a function argument.
    pub value_needs_parens: bool,
    /// The value is itself a function argument or list item (`mkIf c v`),
    /// so a call made of it must be parenthesised.
    pub value_is_argument: bool,
}

/// An `inherit` entry seen from one of the names it lists, for fixes that
/// take that name out of it as a binding of its own (`inherit (x) a b;` ->
/// `inherit (x) b;` and `a = ... x.a ...;`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inherited {
    /// The whole entry, from `inherit` to its `;`.
    pub entry: Span,
    /// How many names the entry lists.
    pub names: usize,
    /// The entry holds a comment, which rewriting all of it would lose.
    pub has_comment: bool,
    /// The name as written, to become the key of a binding.
    pub key: String,
    /// An expression for the inherited value that reads the same outside
    /// the entry (`enable`, `x.a`, `(f y).a`); `None` when there is none (a
    /// quoted name that is no variable, a comment inside `(x)`).
    pub value: Option<String>,
    /// What to delete to take the name out of the entry: the name and the
    /// blanks that separate it from its neighbour, never a comment.
    pub removal: Span,
    /// The entry is in a `rec` set: a binding written there sees the set's
    /// own attributes, so `a = f a;` would refer to itself.
    pub in_rec: bool,
}

impl Definition {
    pub fn dotted(&self) -> String {
        dotted(&self.path)
    }

    /// The span of the key this binding writes.
    pub fn key_span(&self) -> Span {
        match (self.key_spans.first(), self.key_spans.last()) {
            (Some(a), Some(b)) => a.cover(*b),
            _ => self.value_span,
        }
    }

    /// `f` of the option path as string slices, for slice patterns (no
    /// allocation for a path of up to 8 components, as almost all are).
    pub fn with_path<R>(&self, f: impl FnOnce(&[&str]) -> R) -> R {
        let mut short = [""; 8];
        if self.path.len() > short.len() {
            return f(&self.path.iter().map(String::as_str).collect::<Vec<_>>());
        }
        for (slot, component) in short.iter_mut().zip(&self.path) {
            *slot = component;
        }
        f(&short[..self.path.len()])
    }

    /// Whether this definition's path starts with `prefix`.
    pub fn starts_with(&self, prefix: &[impl AsRef<str>]) -> bool {
        self.path.len() >= prefix.len() && self.path.iter().zip(prefix).all(|(a, b)| a == b.as_ref())
    }

    /// Whether this binding's own key names the last component of `prefix`:
    /// the one binding to report when a whole subtree is of interest.
    pub fn names(&self, prefix: &[impl AsRef<str>]) -> bool {
        self.starts_with(prefix) && self.key_start < prefix.len()
    }

    /// The span of the key component at `path` index `i`, when this binding
    /// writes it.
    pub fn key_component(&self, i: usize) -> Option<Span> {
        i.checked_sub(self.key_start).and_then(|j| self.key_spans.get(j)).copied()
    }
}

/// Render an option path the way NixOS prints it, quoting components that
/// are not plain identifiers.
pub fn dotted(path: &[String]) -> String {
    path.iter()
        .map(|p| if crate::nixstr::is_identifier(p) { p.clone() } else { crate::nixstr::string_literal(p) })
        .collect::<Vec<_>>()
        .join(".")
}

/// One entry of an `imports` list.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The list item as written (including parentheses).
    pub span: Span,
    pub target: ImportTarget,
    /// The item stands directly in a list literal, so it can be removed.
    pub in_list: bool,
    /// Imported only under a condition (`lib.optional c ./x`, `lib.mkIf
    /// c [ ... ]`): possibly there.
    pub conditional: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImportTarget {
    /// A path literal (`./x.nix`, `/etc/nixos/x.nix`, `<nixpkgs/...>`), or
    /// `(import ./x.nix)`.
    Path(String),
    /// A string without interpolation.
    Str(String),
    /// `modulesPath + "/..."` or `"${modulesPath}/..."`: inside nixpkgs.
    ModulesPath(String),
    /// `mkRemovedOptionModule [ "a" "b" ] "why"` or `mkRenamedOptionModule
    /// [ "a" "b" ] [ "c" "d" ]` (also `lib.`-qualified): no file, a module
    /// that says an option is gone.
    OptionChange { option: Vec<String>, change: OptionChange },
    /// Anything else, as source text.
    Other(String),
}

/// What became of an option, as `mkRemovedOptionModule` and
/// `mkRenamedOptionModule` say.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionChange {
    /// Gone; defining it fails the evaluation with this explanation.
    Removed(String),
    /// Renamed to this option; defining the old one still works, with a
    /// warning.
    Renamed(Vec<String>),
}

impl ImportTarget {
    /// Brings in no file of the user's: a module inside nixpkgs
    /// (`modulesPath + ...`, `<nixpkgs/...>`) or one that says an option is
    /// gone.
    pub fn is_nixpkgs_own(&self) -> bool {
        match self {
            ImportTarget::ModulesPath(_) | ImportTarget::OptionChange { .. } => true,
            ImportTarget::Path(p) => p.starts_with('<'),
            ImportTarget::Str(_) | ImportTarget::Other(_) => false,
        }
    }

    /// The file name the import points at, when it is known.
    pub fn file_name(&self) -> Option<&str> {
        match self {
            ImportTarget::Path(p) | ImportTarget::Str(p) | ImportTarget::ModulesPath(p) => {
                p.trim_end_matches('/').rsplit('/').next()
            }
            ImportTarget::OptionChange { .. } | ImportTarget::Other(_) => None,
        }
    }
}

/// How the module can refer to nixpkgs' `lib`.
#[derive(Debug, Clone, PartialEq)]
pub enum LibAccess {
    /// `lib` is bound; use this expression (`lib`, or `args.lib`).
    Bound(String),
    /// `lib` is not bound, but these edits bind it: `lib` added to the
    /// argument pattern, or a plain attribute set made a function of it.
    Addable(Vec<Edit>),
    /// No way to reach `lib`; the reason, for the user.
    Unavailable(String),
}

/// The shape of a module file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleShape {
    /// `{ config, pkgs, ... }: { ... }` and friends.
    Function,
    /// A plain attribute set.
    AttrSet,
    /// Anything else (a call, a variable): definitions are not known.
    Other,
}

/// What a module defines and imports.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleInfo {
    /// The machine this module belongs to, in a network file.
    pub machine: Option<String>,
    pub shape: ModuleShape,
    pub definitions: Vec<Definition>,
    pub imports: Vec<Import>,
    pub lib: LibAccess,
    /// The module's span in the file.
    pub span: Span,
}

/// A path literal anywhere in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathLiteral {
    pub span: Span,
    pub kind: PathKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    Relative,
    Absolute,
    Home,
    /// `<nixpkgs>`
    Search,
}

/// Everything the lints need to know about one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileAnalysis {
    /// One module for a module file; the `defaults` and one per machine for a
    /// network file.
    pub modules: Vec<ModuleInfo>,
    pub network: Option<super::NetworkInfo>,
    pub paths: Vec<PathLiteral>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_path_gives_the_path_whatever_its_length() {
        for len in 0..12 {
            let path: Vec<String> = (0..len).map(|i| format!("c{i}")).collect();
            let d = Definition {
                path: path.clone(),
                key_start: 0,
                key_spans: vec![],
                value_span: Span::new(0, 0),
                value: Value::Null,
                priority: Priority::PLAIN,
                wrapper: None,
                conditions: vec![],
                inherited: None,
                dynamic: false,
                value_needs_parens: false,
                value_is_argument: false,
            };
            assert_eq!(d.with_path(|p| p.iter().map(|c| c.to_string()).collect::<Vec<_>>()), path);
        }
    }
}
