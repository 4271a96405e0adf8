//! Evaluating machines one nix process each, several at once: what a
//! machine's VM is and needs (`machine.nix`, read as a typed record), the
//! number of evaluations bounded by the cores and the memory available (or
//! `--eval-jobs`). An evaluation that fails names its machine; the others'
//! results stay usable.

use super::source::Source;
use super::Progress;
use crate::nix::Nix;
use crate::runtime::forward::{Forward, Protocol};
use anyhow::Context as _;
use rayon::prelude::*;

/// The record of one machine (see machine.nix).
const MACHINE_NIX: &str = include_str!("machine.nix");

/// Memory a VM gets when its configuration does not say (qemu-vm.nix's
/// `virtualisation.memorySize` default), in MiB.
const DEFAULT_MEMORY_MIB: u64 = 1024;

/// What one machine's evaluation says of it.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineInfo {
    pub name: String,
    /// The derivation of its VM (which links the system it boots).
    pub vm: String,
    /// `virtualisation.memorySize` of its VM, in MiB.
    pub memory: u64,
    /// The port the VM's sshd listens on.
    pub ssh_port: u16,
    /// The configuration's own forwards (`virtualisation.forwardPorts`).
    forwards: Vec<RecordForward>,
    /// Its VM mounts the project's age identity.
    pub identity_share: bool,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordForward {
    proto: String,
    host_address: String,
    host_port: u16,
    guest_port: u16,
}

impl MachineInfo {
    /// The configuration's own forwards, as QEMU reads them (an empty host
    /// address is every interface). One QEMU would refuse is left out.
    pub fn forwards(&self) -> Vec<Forward> {
        self.forwards
            .iter()
            .filter_map(|f| {
                let protocol = match f.proto.as_str() {
                    "tcp" => Protocol::Tcp,
                    "udp" => Protocol::Udp,
                    _ => return None,
                };
                let address = match f.host_address.as_str() {
                    "" => std::net::Ipv4Addr::UNSPECIFIED,
                    a => a.parse().ok()?,
                };
                (f.host_port > 0 && f.guest_port > 0).then_some(Forward {
                    address,
                    host_port: f.host_port,
                    guest_port: f.guest_port,
                    protocol,
                })
            })
            .collect()
    }
}

/// machine.nix on one line, its comments left out: as `-v` shows it.
fn machine_nix() -> String {
    let lines = MACHINE_NIX.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    lines.collect::<Vec<_>>().join(" ")
}

/// The expression of `machine`'s record, where `set` is the machines'
/// configurations.
pub fn record(set: &str, machine: &str) -> String {
    format!(
        "({machine_nix}) {{ name = {name}; config = {set}.{attr}.config; defaultMemory = {DEFAULT_MEMORY_MIB}; identityShare = {share}; }}",
        name = crate::nixstr::string_literal(machine),
        attr = crate::nixstr::attr_name(machine),
        share = crate::nixstr::string_literal(crate::render::IDENTITY.share),
        machine_nix = machine_nix(),
    )
}

/// Memory one evaluation of a machine may take (a real NixOS system
/// takes 0.5-1.5 GiB).
pub const MEMORY_PER_MACHINE: u64 = 1 << 30;

/// How many evaluations run at once: `requested` (`--eval-jobs`), else as
/// many as there are cores and as fit in the memory available, `each`
/// bytes an evaluation.
pub fn parallel_evaluations(requested: Option<usize>, cores: usize, available_memory: Option<u64>, each: u64) -> usize {
    let by_memory = available_memory.map_or(usize::MAX, |m| usize::try_from(m / each).unwrap_or(usize::MAX));
    requested.unwrap_or(cores.min(by_memory)).max(1)
}

/// The number of evaluations to run at once for `count` machines on this
/// host.
pub fn jobs_here(requested: Option<usize>, count: usize, each: u64) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    parallel_evaluations(requested, cores, super::start::available_memory(), each).min(count.max(1))
}

/// A machine whose evaluation failed, and why.
#[derive(Debug)]
pub struct EvalFailure {
    pub machine: String,
    pub error: anyhow::Error,
}

impl std::fmt::Display for EvalFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {:#}", self.machine, self.error)
    }
}

/// Evaluate each of `machines` (from `installable`, the machines' VM
/// configurations) in a nix process of its own, `jobs` at once: their
/// records in order, and the failures.
pub fn records(
    nix: &Nix,
    source: &Source,
    installable: &str,
    machines: &[String],
    jobs: usize,
    progress: &dyn Progress,
) -> anyhow::Result<(Vec<MachineInfo>, Vec<EvalFailure>)> {
    let (found, failed) = each(nix, source, installable, machines, jobs, progress, |m| record("cs", m))?;
    Ok((found.into_iter().map(|(_, info)| info).collect(), failed))
}

/// Each machine's value, in order, and the machines that failed.
pub type Evaluated<T> = (Vec<(String, T)>, Vec<EvalFailure>);

/// Evaluate `expression(machine)` (of `cs`, the set `installable` names)
/// for each of `machines` in a nix process of its own, `jobs` at once:
/// the values read as `T`, in order, and the failures.
pub fn each<T: serde::de::DeserializeOwned + Send>(
    nix: &Nix,
    source: &Source,
    installable: &str,
    machines: &[String],
    jobs: usize,
    progress: &dyn Progress,
    expression: impl Fn(&str) -> String + Sync,
) -> anyhow::Result<Evaluated<T>> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().context("cannot start the evaluations")?;
    let total = machines.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let say = |n: usize| progress.status(&format!("evaluating {total} machines, {jobs} at once ({n}/{total} done)"));
    say(0);
    let results: Vec<Result<(String, T), EvalFailure>> = pool.install(|| {
        machines
            .par_iter()
            .map(|m| {
                let apply = format!("cs: {}", expression(m));
                let result = nix
                    .eval_json(source.dir(), installable, Some(&apply))
                    .map_err(|e| source.explain(e))
                    .and_then(|v| serde_json::from_value(v).context("nix described the machine in an unexpected form"))
                    .map(|v| (m.clone(), v))
                    .map_err(|error| EvalFailure { machine: m.clone(), error });
                say(done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1);
                result
            })
            .collect()
    });
    let (mut ok, mut failed) = (vec![], vec![]);
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(f) => failed.push(f),
        }
    }
    Ok((ok, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_one_line_of_nix() {
        let text = record("cs", "web");
        assert!(!text.contains('\n') && !text.contains('#'), "{text}");
        assert!(crate::syntax::syntax_errors(&format!("cs: {text}")).is_empty(), "{text}");
    }

    #[test]
    fn evaluations_are_bounded_by_cores_memory_and_jobs() {
        const GIB: u64 = 1 << 30;
        // Sixteen cores, 16 GiB free: five at 3 GiB each.
        assert_eq!(parallel_evaluations(None, 16, Some(16 * GIB), 3 * GIB), 5);
        assert_eq!(parallel_evaluations(None, 2, Some(24 * GIB), MEMORY_PER_MACHINE), 2);
        assert_eq!(parallel_evaluations(None, 4, None, MEMORY_PER_MACHINE), 4);
        // Always one at least, and --eval-jobs as asked.
        assert_eq!(parallel_evaluations(None, 8, Some(GIB / 2), MEMORY_PER_MACHINE), 1);
        assert_eq!(parallel_evaluations(Some(3), 16, Some(GIB), MEMORY_PER_MACHINE), 3);
    }

    #[test]
    fn a_records_forwards_are_what_qemu_reads() {
        let info: MachineInfo = serde_json::from_value(serde_json::json!({
            "name": "web", "vm": "/nix/store/x.drv", "memory": 2048, "sshPort": 2222, "identityShare": false,
            "forwards": [
                { "proto": "tcp", "hostAddress": "", "hostPort": 8080, "guestPort": 80 },
                { "proto": "udp", "hostAddress": "127.0.0.1", "hostPort": 5353, "guestPort": 53 },
                { "proto": "sctp", "hostAddress": "", "hostPort": 1, "guestPort": 1 }
            ]
        }))
        .unwrap();
        let shown: Vec<String> = info.forwards().iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["0.0.0.0:8080:80", "127.0.0.1:5353:53/udp"]);
    }
}
