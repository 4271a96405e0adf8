//! nixvm: turn existing NixOS configurations into QEMU VMs.
//!
//! Layers, each depending only on those before it:
//! `text`/`nixstr` (plain text) and `files` (the file system) ->
//! `syntax` (the only rnix user, pure) -> `lint`, `rewrite`, `check`
//! (pure) -> `render`, `project` (planning a project; `gather` reads) ->
//! `nix` (the one place that spawns nix), `runtime` (pure: run
//! environment, QEMU options, ssh config), `pinned` (which conflict table),
//! `linter` (`lint`'s run over files: read, lint, fix, write) -> `machines` (the lifecycle: sources, state, key, build, start, stop,
//! ssh, deploy; the one other place that spawns programs) -> `cli`
//! (arguments, dispatch, output, exit codes).

pub mod check;
pub mod cli;
pub mod files;
pub mod lint;
pub mod linter;
pub mod machines;
pub mod nix;
pub mod nixstr;
pub mod pinned;
pub mod project;
pub mod render;
pub mod rewrite;
pub mod runtime;
pub mod syntax;
pub mod text;
