//! An in-memory [`NonceStore`] for a single provider process (`std`); RFC 5849 §3.3.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher as _, Hasher as _, RandomState};
use std::sync::Mutex;
use std::vec::Vec;

use crate::invariant;
use crate::verify::{NonceStore, NonceUse, StoreUnavailable};

/// A thread-safe, bounded, in-memory nonce store.
///
/// It remembers each (client, token, timestamp, nonce) until the verifier says the timestamp has
/// left its window ([`NonceUse::expires_at`] is before [`NonceUse::now`]), and then forgets it:
/// the timestamp check alone refuses older replays. Time comes from the verifier's clock only,
/// never from the timestamps clients send, so a request stamped in the future cannot make the
/// store forget live entries; and the store keeps no window of its own that could disagree with
/// the verifier's.
///
/// Bounds, each failing closed (a refused nonce, answered `nonce_used`, never an accepted replay):
/// - at most `capacity` live entries in all (default one million, about 100 MB at worst);
/// - at most `per_client` live entries for one consumer key (default 100 000: a client sending
///   more than that within one timestamp window is refused until its entries expire), so one
///   client cannot fill the store for every other.
///
/// Expired entries are dropped a whole second at a time (entries are grouped by expiry), so an
/// insert costs the same whether the store holds ten entries or a million.
///
/// One process only: providers running several instances need a shared store (see
/// [`NonceStore`]).
#[derive(Debug)]
pub struct InMemoryNonceStore {
    inner: Mutex<Inner>,
    capacity: usize,
    per_client: usize,
}

/// Two independently keyed 64-bit hashes of a nonce's use: a 128-bit key.
type NonceKey = (u64, u64);

#[derive(Debug, Default)]
struct Inner {
    /// Key: a 128-bit keyed hash of (consumer key, token, timestamp, nonce). A fixed-size key keeps
    /// the table free of one heap string per live nonce. Two different uses would share a key only
    /// by a 2^-128-rare collision, and then the second is refused as a replay: a collision can
    /// never let a replay through.
    seen: HashMap<NonceKey, (), Hashed>,
    /// Live entries by expiry second: (entry key, client key).
    by_expiry: BTreeMap<u64, Vec<(NonceKey, u64)>>,
    /// Live entries per client (a keyed hash of the consumer key).
    per_client: HashMap<u64, usize, Hashed>,
    /// Independent random SipHash keys (std's `RandomState`), drawn once per store.
    keys: (RandomState, RandomState),
}

/// The maps' hasher: their keys are already hashes, with keys of this store that no client knows
/// (so no client can aim its nonces at one bucket); hashing them again would only cost time.
type Hashed = std::hash::BuildHasherDefault<Rehash>;

/// Folds the words it is given ([`NonceKey`]'s two, or a client's one) into one.
#[derive(Default)]
struct Rehash(u64);

impl std::hash::Hasher for Rehash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = self.0.rotate_left(29) ^ word;
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are hashed here; any other input is still folded in, a byte at a time.
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
}

impl InMemoryNonceStore {
    /// A store with the default bounds (one million entries, 100 000 per client).
    pub fn new() -> Self {
        Self::with_limits(1_000_000, 100_000)
    }

    /// A store that holds at most `capacity` entries, and at most `per_client` for one consumer
    /// key.
    pub fn with_limits(capacity: usize, per_client: usize) -> Self {
        InMemoryNonceStore {
            inner: Mutex::new(Inner::default()),
            capacity,
            per_client,
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

impl Default for InMemoryNonceStore {
    fn default() -> Self {
        Self::new()
    }
}

impl NonceStore for InMemoryNonceStore {
    fn check_and_insert(&self, nonce_use: &NonceUse<'_>) -> Result<bool, StoreUnavailable> {
        let Ok(mut guard) = self.inner.lock() else {
            // A thread panicked while holding the lock: fail closed.
            return Err(StoreUnavailable);
        };
        let inner = &mut *guard;
        inner.forget_before(nonce_use.now);

        let client = hash_bytes(&inner.keys.0, nonce_use.consumer_key.as_bytes());
        let key = inner.key_of(client, nonce_use);
        let full = inner.seen.len() >= self.capacity;
        let client_count = inner.per_client.get(&client).copied().unwrap_or(0);
        Ok(match inner.seen.entry(key) {
            Entry::Occupied(_) => false,
            Entry::Vacant(_) if full || client_count >= self.per_client => false,
            Entry::Vacant(slot) => {
                slot.insert(());
                inner.per_client.insert(client, client_count + 1);
                inner
                    .by_expiry
                    .entry(nonce_use.expires_at)
                    .or_default()
                    .push((key, client));
                true
            }
        })
    }
}

impl Inner {
    /// The entry key of a nonce's use by `client` (the keyed hash of its consumer key): two
    /// independently keyed 64-bit hashes of the same bytes, a 128-bit key. The bytes say the
    /// client, the timestamp, whether there is a token, and the token and the nonce, each after
    /// its length: two different uses are two different byte strings. They are hashed in one
    /// piece when they fit a stack buffer (the usual case: SipHash's cost is mostly per write),
    /// else piece by piece; each use always takes the same way, so it always has the same key.
    fn key_of(&self, client: u64, nonce_use: &NonceUse<'_>) -> NonceKey {
        let token = nonce_use.token.unwrap_or_default().as_bytes();
        let nonce = nonce_use.nonce.as_bytes();
        let len = |b: &[u8]| (b.len() as u64).to_le_bytes();
        let pieces: [&[u8]; 7] = [
            &client.to_le_bytes(),
            &nonce_use.timestamp.to_le_bytes(),
            &[u8::from(nonce_use.token.is_some())],
            &len(token),
            token,
            &len(nonce),
            nonce,
        ];
        let mut buf = [0u8; 256];
        let mut at = 0;
        for piece in pieces {
            match buf.get_mut(at..at + piece.len()) {
                Some(room) => room.copy_from_slice(piece),
                None => {
                    return (
                        hash_pieces(&self.keys.0, &pieces),
                        hash_pieces(&self.keys.1, &pieces),
                    );
                }
            }
            at += piece.len();
        }
        let bytes = invariant::some(buf.get(..at));
        (
            hash_bytes(&self.keys.0, bytes),
            hash_bytes(&self.keys.1, bytes),
        )
    }

    /// Drops every entry that expired before `now`, a second at a time.
    fn forget_before(&mut self, now: u64) {
        while let Some(entry) = self.by_expiry.first_entry() {
            if *entry.key() >= now {
                break;
            }
            for (key, client) in entry.remove() {
                self.seen.remove(&key);
                if let Entry::Occupied(mut count) = self.per_client.entry(client) {
                    *count.get_mut() -= 1;
                    if *count.get() == 0 {
                        count.remove();
                    }
                }
            }
        }
    }
}

/// `bytes` hashed with `keys` in one write.
fn hash_bytes(keys: &RandomState, bytes: &[u8]) -> u64 {
    let mut hasher = keys.build_hasher();
    hasher.write(bytes);
    hasher.finish()
}

/// `pieces` hashed with `keys`, one write each.
fn hash_pieces(keys: &RandomState, pieces: &[&[u8]]) -> u64 {
    let mut hasher = keys.build_hasher();
    for piece in pieces {
        hasher.write(piece);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::{String, ToString};

    fn fresh(store: &InMemoryNonceStore, nonce_use: &NonceUse<'_>) -> bool {
        store.check_and_insert(nonce_use) == Ok(true)
    }

    fn nonce_use<'a>(client: &'a str, ts: u64, nonce: &'a str, now: u64) -> NonceUse<'a> {
        NonceUse {
            consumer_key: client,
            token: Some("t"),
            timestamp: ts,
            nonce,
            expires_at: ts + 300,
            now,
        }
    }

    #[test]
    fn the_maps_hasher_folds_every_word_and_byte() {
        use std::hash::{BuildHasher as _, Hasher as _};
        let hashed = Hashed::default();
        // Words whose bits overlap once rotated: an XOR, not an OR.
        let key: NonceKey = (u64::MAX, 0x0F0F);
        assert_eq!(hashed.hash_one(key), u64::MAX ^ 0x0F0F);
        assert_ne!(hashed.hash_one((1u64, 2u64)), hashed.hash_one((2u64, 1u64)));
        let bytes = |b: &[u8]| {
            let mut h = Rehash::default();
            h.write(b);
            h.finish()
        };
        assert_eq!(bytes(b"\x01\x03"), (1u64 << 29) ^ 3);
        assert_eq!(bytes(b"\xff\xff"), (0xFFu64 << 29) ^ 0xFF);
        assert_ne!(bytes(b"ab"), bytes(b"ba"));
    }

    #[test]
    fn replay_refused_then_forgotten() {
        let store = InMemoryNonceStore::new();
        assert!(fresh(&store, &nonce_use("c", 1000, "a", 1000)));
        assert!(!fresh(&store, &nonce_use("c", 1000, "a", 1000)));
        assert!(
            fresh(&store, &nonce_use("c", 1001, "a", 1000)),
            "another timestamp is another use"
        );
        let other_token = NonceUse {
            token: None,
            ..nonce_use("c", 1000, "a", 1000)
        };
        assert!(fresh(&store, &other_token));
        // Far later, by the verifier's clock, the old entries are dropped.
        assert!(fresh(&store, &nonce_use("c", 10_000, "b", 10_000)));
        assert_eq!(store.len(), 1);
    }

    /// The bytes a use is keyed by tell every field apart: no token from an empty one, where the
    /// token ends and the nonce begins; a use too long for the stack buffer is keyed piece by
    /// piece, as consistently.
    #[test]
    fn every_field_of_a_use_counts_and_long_uses_are_keyed_too() {
        let store = InMemoryNonceStore::new();
        let with = |token: Option<&'static str>, nonce: &'static str| NonceUse {
            token,
            ..nonce_use("c", 1000, nonce, 1000)
        };
        assert!(fresh(&store, &with(None, "n")));
        assert!(fresh(&store, &with(Some(""), "n")));
        assert!(fresh(&store, &with(Some("ab"), "c")));
        assert!(fresh(&store, &with(Some("a"), "bc")));
        assert!(!fresh(&store, &with(Some(""), "n")));
        let long: &'static str = "n".repeat(300).leak();
        let longer: &'static str = "n".repeat(301).leak();
        assert!(fresh(&store, &with(Some("t"), long)));
        assert!(
            !fresh(&store, &with(Some("t"), long)),
            "a long use is a replay too"
        );
        assert!(fresh(&store, &with(Some("t"), longer)));
        assert_eq!(store.len(), 6);
    }

    #[test]
    fn bounded_in_all() {
        let store = InMemoryNonceStore::with_limits(2, 2);
        assert!(fresh(&store, &nonce_use("c", 1000, "a", 1000)));
        assert!(fresh(&store, &nonce_use("d", 1000, "b", 1000)));
        assert!(
            !fresh(&store, &nonce_use("e", 1000, "c", 1000)),
            "full of live entries: fail closed"
        );
        assert!(
            fresh(&store, &nonce_use("e", 5000, "c", 5000)),
            "expired entries make room"
        );
    }

    /// F6 of the security review: one client filled the shared store, and the full store then
    /// answered `nonce_used` to every client.
    #[test]
    fn one_client_cannot_fill_the_store_for_the_others() {
        let store = InMemoryNonceStore::with_limits(100, 10);
        let nonces: Vec<String> = (0..50u32).map(|i| i.to_string()).collect();
        let admitted = nonces
            .iter()
            .filter(|n| fresh(&store, &nonce_use("flood", 1000, n, 1000)))
            .count();
        assert_eq!(admitted, 10, "the flooding client gets its quota only");
        assert!(fresh(&store, &nonce_use("other", 1000, "x", 1000)));
        // Once its entries expire, the flooding client is served again.
        assert!(fresh(&store, &nonce_use("flood", 2000, "y", 2000)));
    }

    /// F5 of the security review: the store computed "now" from the timestamps it saw, so one
    /// request stamped at the edge of the future window made it forget live entries, and a
    /// captured request could be replayed.
    #[test]
    fn future_timestamps_do_not_make_the_store_forget() {
        let store = InMemoryNonceStore::new();
        let now = 1_000_000;
        assert!(fresh(&store, &nonce_use("c", now - 200, "captured", now)));
        // A request stamped as far ahead as the verifier allows, at the same moment.
        assert!(fresh(&store, &nonce_use("c", now + 300, "ahead", now)));
        assert!(
            !fresh(&store, &nonce_use("c", now - 200, "captured", now + 1)),
            "the captured request is still a replay"
        );
    }

    #[test]
    fn expiry_is_cheap_and_exact() {
        let store = InMemoryNonceStore::new();
        let nonces: Vec<String> = (0..1000u32).map(|i| i.to_string()).collect();
        for (i, n) in nonces.iter().enumerate() {
            let ts = 1000 + (i as u64 % 10);
            assert!(fresh(&store, &nonce_use("c", ts, n, ts)));
        }
        // Entries expire at 1300..=1309: at 1305, those of 1300..=1304 are gone.
        assert!(fresh(&store, &nonce_use("c", 1305, "z", 1305)));
        assert_eq!(store.len(), 501);
    }

    /// Issue 33: a client's count falls by one per expired entry and is forgotten only at 0
    /// (`== 0` -> `!= 0` dropped it while entries lived, lifting the per-client bound).
    #[test]
    fn a_clients_count_falls_with_its_expired_entries_only() {
        let store = InMemoryNonceStore::with_limits(100, 2);
        assert_eq!(
            store.check_and_insert(&nonce_use("c", 1000, "a", 1000)),
            Ok(true)
        );
        assert_eq!(
            store.check_and_insert(&nonce_use("c", 1010, "b", 1010)),
            Ok(true)
        );
        assert_eq!(
            store.check_and_insert(&nonce_use("c", 1010, "x", 1010)),
            Ok(false)
        );
        // At 1301 the first entry (expires 1300) is gone: one slot frees, not both.
        assert_eq!(
            store.check_and_insert(&nonce_use("c", 1301, "d", 1301)),
            Ok(true)
        );
        assert_eq!(
            store.check_and_insert(&nonce_use("c", 1301, "e", 1301)),
            Ok(false)
        );
        assert_eq!(store.len(), 2);
    }
}
