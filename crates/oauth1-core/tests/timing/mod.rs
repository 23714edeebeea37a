//! Comparing the running time of two code paths on a machine that is busy with other work (a
//! 2-core CI runner building something else), without flaking and without losing the power to
//! catch a real difference.
//!
//! Why this shape:
//! - Interference (preemption, another process on the core, cache eviction, a frequency drop)
//!   only ever *adds* time. The fastest of many runs is therefore the best estimate of a path's
//!   own cost, and it is stable where a single run or even a median is not.
//! - The two paths are measured *interleaved*, batch by batch, with the order swapped each round,
//!   so a slow phase of the machine (another build starting, thermal throttling) hits both alike
//!   instead of only the one measured second.
//! - A batch is short (tens to hundreds of microseconds, far below a scheduler time slice of a
//!   few milliseconds), so among hundreds of rounds many batches of each path run undisturbed.
//!   For the fastest batch of one path to be inflated, *every* one of its batches would have to
//!   be disturbed while some batch of the other path was not.
//! - Timing a batch of calls rather than one call keeps the clock's own resolution and cost
//!   (tens of nanoseconds) negligible.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Runs `a` and `b` in `rounds` interleaved batches of `batch` calls each (the order swapped every
/// round) and returns the fastest batch of each, as (a, b).
pub(crate) fn fastest_batches<A, B, T, U>(
    rounds: usize,
    batch: usize,
    mut a: A,
    mut b: B,
) -> (Duration, Duration)
where
    A: FnMut() -> T,
    B: FnMut() -> U,
{
    let mut fastest_a = Duration::MAX;
    let mut fastest_b = Duration::MAX;
    for round in 0..rounds {
        let mut time_a = || {
            let started = Instant::now();
            for _ in 0..batch {
                black_box(a());
            }
            fastest_a = fastest_a.min(started.elapsed());
        };
        let mut time_b = || {
            let started = Instant::now();
            for _ in 0..batch {
                black_box(b());
            }
            fastest_b = fastest_b.min(started.elapsed());
        };
        if round % 2 == 0 {
            time_a();
            time_b();
        } else {
            time_b();
            time_a();
        }
    }
    (fastest_a, fastest_b)
}

/// The fastest of `attempts` runs of `f`.
#[allow(
    dead_code,
    reason = "a test binary that only compares two paths does not use it"
)]
pub(crate) fn fastest<T>(attempts: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..attempts)
        .map(|_| {
            let started = Instant::now();
            black_box(f());
            started.elapsed()
        })
        .min()
        .unwrap_or(Duration::MAX)
}
