//! nixvm: turn existing NixOS configurations into QEMU VMs.
//!
//! Layers, each depending only on those above it:
//! `text`/`nixstr` (plain text) -> `syntax` (the only rnix user) ->
//! `lint` and `rewrite` (pure) -> `cli` (I/O, output, exit codes).

pub mod check;
pub mod cli;
pub mod files;
pub mod lint;
pub mod nix;
pub mod nixstr;
pub mod pinned;
pub mod project;
pub mod render;
pub mod rewrite;
pub mod runtime;
pub mod syntax;
pub mod text;
