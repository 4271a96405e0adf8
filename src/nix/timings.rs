//! How long nix's processes ran during this nixvm: each run's start and end
//! are kept, and their union (runs at the same time count once) is the
//! time nixvm waited on nix. `NIXVM_TIMINGS=1` has the CLI print it with
//! the whole wall time, so that a benchmark can tell nixvm's own share.

use std::sync::Mutex;
use std::time::{Duration, Instant};

static RUNS: Mutex<Vec<(Instant, Instant)>> = Mutex::new(Vec::new());

/// A nix process's run, kept when dropped.
pub(super) struct Run(Instant);

impl Run {
    pub(super) fn start() -> Run {
        Run(Instant::now())
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        RUNS.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((self.0, Instant::now()));
    }
}

/// The time at least one nix process ran.
pub fn time_in_nix() -> Duration {
    let mut runs = RUNS.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    union(&mut runs)
}

fn union(runs: &mut [(Instant, Instant)]) -> Duration {
    runs.sort();
    let mut total = Duration::ZERO;
    let mut current: Option<(Instant, Instant)> = None;
    for &(start, end) in runs.iter() {
        current = match current {
            Some((s, e)) if start <= e => Some((s, e.max(end))),
            Some((s, e)) => {
                total += e - s;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    total + current.map_or(Duration::ZERO, |(s, e)| e - s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_at_the_same_time_count_once() {
        let t = std::time::Instant::now();
        let s = std::time::Duration::from_millis;
        let mut runs = [(t, t + s(100)), (t + s(50), t + s(150)), (t + s(300), t + s(400))];
        assert_eq!(super::union(&mut runs), s(250));
        assert_eq!(super::union(&mut []), s(0));
    }
}
