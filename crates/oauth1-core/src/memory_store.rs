//! An in-memory [`NonceStore`] for a single provider process (`std`).

use std::collections::HashMap;
use std::string::String;
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
    /// Key: consumer key, token, timestamp and nonce joined with NUL bytes; value: expiry.
    seen: HashMap<String, u64>,
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
        let mut key = String::with_capacity(
            nonce_use.consumer_key.len()
                + nonce_use.token.map_or(0, str::len)
                + nonce_use.nonce.len()
                + 24,
        );
        key.push_str(nonce_use.consumer_key);
        key.push('\0');
        if let Some(token) = nonce_use.token {
            key.push_str(token);
        }
        key.push('\0');
        crate::base_string::push_decimal(nonce_use.timestamp, &mut key);
        key.push('\0');
        key.push_str(nonce_use.nonce);
        if inner.seen.contains_key(&key) || inner.seen.len() >= self.capacity {
            return false;
        }
        inner.seen.insert(key, nonce_use.expires_at);
        true
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
