//! The lifecycle layer: where machines come from (`source`), their state
//! under `.nixvm/` (`state`), the project keys (`key` for ssh, `age_key`
//! for the VMs' secrets), which names are machines (`known`), creating a project
//! (`project`), evaluating and building (`build`), starting (`start`),
//! stopping and listing (`fleet`), console logs (`logs`), ssh's one home
//! (`connection`), logging in and waiting for ssh (`ssh`), updating in place (`deploy`), the VMs' secrets (`secrets`), and
//! `check`'s evaluations. It returns data that `cli` prints. With `nix`,
//! the only layer that starts programs, all through `process`.

pub mod age_key;
pub mod build;
pub mod check;
pub mod connection;
pub mod deploy;
pub mod eval;
pub mod explain;
pub mod fleet;
pub mod key;
pub mod known;
pub mod logs;
mod process;
pub mod project;
pub mod secrets;
pub mod source;
pub mod ssh;
pub mod start;
pub mod state;
pub mod test;
mod wrapper;

pub use source::Source;

/// Where long work says what it is doing (a terminal's spinner, plain
/// lines, nothing): the `cli` decides.
pub trait Progress: Sync {
    /// What is happening now.
    fn status(&self, text: &str);
    /// One of Nix's events.
    fn event(&self, event: crate::nix::Event);
    /// A line for the user (stderr), between status updates.
    fn line(&self, text: &str);
    /// The long work is over.
    fn finish(&self);
}
