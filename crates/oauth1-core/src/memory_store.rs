//! An in-memory [`NonceStore`] for a single provider process (`std`).

use std::collections::HashMap;
use std::hash::{BuildHasher as _, RandomState};
use std::sync::Mutex;

use crate::verify::{NonceStore, NonceUse};

/// A thread-safe, bounded, in-memory nonce store.
///
/// It remembers each (client, token, timestamp, nonce) until the timestamp leaves the verifier's
/// window, and then forgets it: the timestamp check alone refuses older replays. It holds at most
/// `capacity` entries (default one million, about 100 MB at worst); when full of live entries it
/// refuses new nonces (fails closed) rather than grow.
///
/// One process only: providers running several instances need a shared store (see
/// [`NonceStore`]).
#[derive(Debug)]
pub struct InMemoryNonceStore {
    inner: Mutex<Inner>,
    window: u64,
    capacity: usize,
}

#[derive(Debug, Default)]
struct Inner {
    /// Key: a 128-bit keyed hash of (consumer key, token, timestamp, nonce); value: expiry. A fixed
    /// size key keeps the table free of one heap string per live nonce. Two different uses would
    /// share a key only by a 2^-128-rare collision, and then the second is refused as a replay:
    /// a collision can never let a replay through.
    seen: HashMap<u128, u64>,
    /// Two independent random SipHash keys (std's `RandomState`), drawn once per store.
    keys: (RandomState, RandomState),
    /// The latest `expires_at - window` seen: the store's idea of "now".
    clock: u64,
    next_sweep: u64,
}

impl InMemoryNonceStore {
    /// A store for a verifier whose timestamp window is `window` seconds.
    pub fn new(window: u64) -> Self {
        Self::with_capacity(window, 1_000_000)
    }

    /// A store that holds at most `capacity` entries.
    pub fn with_capacity(window: u64, capacity: usize) -> Self {
        InMemoryNonceStore {
            inner: Mutex::new(Inner::default()),
            window,
            capacity,
        }
    }

    /// How many nonces are remembered now.
    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |inner| inner.seen.len())
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl NonceStore for InMemoryNonceStore {
    fn check_and_insert(&self, nonce_use: &NonceUse<'_>) -> bool {
        let Ok(mut inner) = self.inner.lock() else {
            // A thread panicked while holding the lock: fail closed.
            return false;
        };
        // The verifier accepted this timestamp, so "now" is within the window of it.
        let now = nonce_use.timestamp.saturating_sub(self.window);
        inner.clock = inner.clock.max(now);
        let clock = inner.clock;
        if clock >= inner.next_sweep || inner.seen.len() >= self.capacity {
            inner.seen.retain(|_, &mut expires_at| expires_at >= clock);
            inner.next_sweep = clock.saturating_add(self.window.max(1));
        }
        // `str`'s `Hash` is length-delimited, so the tuple hashes unambiguously.
        let what = (
            nonce_use.consumer_key,
            nonce_use.token,
            nonce_use.timestamp,
            nonce_use.nonce,
        );
        let key = (u128::from(inner.keys.0.hash_one(what)) << 64)
            | u128::from(inner.keys.1.hash_one(what));
        let full = inner.seen.len() >= self.capacity;
        match inner.seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(_) if full => false,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(nonce_use.expires_at);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nonce_use(ts: u64, nonce: &str) -> NonceUse<'_> {
        NonceUse {
            consumer_key: "c",
            token: Some("t"),
            timestamp: ts,
            nonce,
            expires_at: ts + 300,
        }
    }

    #[test]
    fn replay_refused_then_forgotten() {
        let store = InMemoryNonceStore::new(300);
        assert!(store.check_and_insert(&nonce_use(1000, "a")));
        assert!(!store.check_and_insert(&nonce_use(1000, "a")));
        assert!(
            store.check_and_insert(&nonce_use(1001, "a")),
            "another timestamp is another use"
        );
        let other_token = NonceUse {
            token: None,
            ..nonce_use(1000, "a")
        };
        assert!(store.check_and_insert(&other_token));
        // Far later, the old entries are swept.
        assert!(store.check_and_insert(&nonce_use(10_000, "b")));
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn bounded() {
        let store = InMemoryNonceStore::with_capacity(300, 2);
        assert!(store.check_and_insert(&nonce_use(1000, "a")));
        assert!(store.check_and_insert(&nonce_use(1000, "b")));
        assert!(
            !store.check_and_insert(&nonce_use(1000, "c")),
            "full of live entries: fail closed"
        );
        assert!(
            store.check_and_insert(&nonce_use(5000, "c")),
            "expired entries make room"
        );
    }
}
