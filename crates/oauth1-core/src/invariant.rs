//! Values the crate's own invariants guarantee: an offset into a buffer it wrote, a split it made,
//! text it encoded itself. Each caller names its invariant in a comment beside the call.
//!
//! A broken invariant is a bug in this crate, not bad input: tests, fuzzing and debug builds stop
//! at it; a release build goes on with an empty value rather than panic while serving a request
//! (no panic on input, STYLE.md rule 6). A value from outside the crate never comes here: it is
//! an error, or its absence is given its meaning where it is read.

/// `found`, which the caller's invariant says is `Some`; the empty value if it is not.
#[inline]
#[track_caller]
pub(crate) fn some<T: Default>(found: Option<T>) -> T {
    debug_assert!(
        found.is_some(),
        "an invariant of oauth1-core does not hold: see the comment at the caller"
    );
    // ok: only reached with a broken invariant (above) in a release build.
    found.unwrap_or_default()
}
