//! Rewriting the user's files: the fix engine (`engine`: lint fixes applied
//! to a fixpoint, losslessly, each round re-parsed) and what `lint` does
//! with one file's text (`file`). Pure.

mod engine;
mod file;

pub use engine::*;
pub use file::{lint_file, unified_diff, FileFixes, Linted, Mode};
