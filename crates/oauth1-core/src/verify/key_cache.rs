//! Keyed HMACs kept between verifications ([`Verifier::cache_keys`](super::Verifier::cache_keys)):
//! a provider verifies many requests of one client and token, and keying an HMAC costs two to
//! four digest compressions (two more when the key, both secrets, is longer than a block and is
//! hashed first) — as much as hashing a short base string.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use std::sync::{Mutex, MutexGuard, TryLockError};

use zeroize::Zeroizing;

use crate::builtin::tag_matches;
use crate::crypto::{CryptoProvider, HmacKey};
use crate::signature::{DigestAlgorithm, SignatureError, constant_time_eq};

/// A fixed number of slots, each holding at most one keyed HMAC, found by a hash of the key's
/// bytes. The hash need not resist anyone: the keys are secrets, which a client cannot choose for
/// another client. A slot is only ever tried, never waited for: a verification that finds its
/// slot busy keys its HMAC as if nothing were cached.
pub(super) struct KeyCache {
    slots: Box<[Mutex<Option<Entry>>]>,
}

/// One keyed HMAC and what it was keyed with.
struct Entry {
    provider: &'static CryptoProvider,
    digest: DigestAlgorithm,
    /// The key (both encoded secrets), wiped when the entry is dropped or replaced.
    material: Zeroizing<Vec<u8>>,
    keyed: Box<dyn HmacKey>,
}

impl Entry {
    /// Whether this entry was keyed with `key` for `digest` by `provider` (the key compared in
    /// constant time).
    fn is(&self, provider: &'static CryptoProvider, digest: DigestAlgorithm, key: &[u8]) -> bool {
        core::ptr::eq(self.provider, provider)
            && self.digest == digest
            && constant_time_eq(&self.material, key)
    }
}

impl KeyCache {
    /// A cache of `slots` keyed HMACs (at least one).
    pub(super) fn new(slots: usize) -> KeyCache {
        KeyCache {
            slots: (0..slots.max(1)).map(|_| Mutex::new(None)).collect(),
        }
    }

    /// The slot of `key`, if it is free this instant (a poisoned slot is as good as any: it
    /// holds an entry or none, never half of one).
    fn slot(&self, key: &[u8]) -> Option<MutexGuard<'_, Option<Entry>>> {
        // The remainder of a division by the slots' count (at least one): an index within them.
        let index = usize::try_from(hash(key) % self.slots.len() as u64).unwrap_or_default();
        match self.slots.get(index)?.try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// Whether `signature` (Base64) is the HMAC of `message` under `key`, keyed from the cache
    /// when it holds `key`. A key is kept only when `remember` (the client is known) and the
    /// signature matched: only a request signed with the secrets puts them here.
    pub(super) fn same_signature(
        &self,
        provider: &'static CryptoProvider,
        digest: DigestAlgorithm,
        key: &[u8],
        message: &[u8],
        signature: &[u8],
        remember: bool,
    ) -> Result<bool, SignatureError> {
        let mut tag = [0u8; 64];
        if let Some(slot) = self.slot(key)
            && let Some(entry) = slot.as_ref()
            && entry.is(provider, digest, key)
        {
            let n = entry.keyed.sign(message, &mut tag)?;
            return tag_matches(digest, &tag, n, signature);
        }
        let keyed = provider.hmac(digest)?.with_key(key)?;
        let n = keyed.sign(message, &mut tag)?;
        let same = tag_matches(digest, &tag, n, signature)?;
        if same
            && remember
            && let Some(mut slot) = self.slot(key)
        {
            *slot = Some(Entry {
                provider,
                digest,
                material: Zeroizing::new(key.to_vec()),
                keyed,
            });
        }
        Ok(same)
    }

    /// How many slots hold a key (for tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| s.lock().is_ok_and(|s| s.is_some()))
            .count()
    }
}

/// A 64-bit hash of `key`, eight bytes at a time (multiply and rotate, as rustc's FxHash).
fn hash(key: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = key.len() as u64;
    for chunk in key.chunks(8) {
        let mut word = [0u8; 8];
        // A chunk holds at most eight bytes.
        if let Some(head) = word.get_mut(..chunk.len()) {
            head.copy_from_slice(chunk);
        }
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The slots' count only: what they hold is key material.
        f.debug_struct("KeyCache")
            .field("slots", &self.slots.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[cfg(feature = "sha1")]
mod tests {
    use super::*;
    use crate::crypto::default_provider;

    /// The HMAC-SHA1 signature of `message` under `key`, computed apart from the cache.
    fn signature(key: &[u8], message: &[u8]) -> alloc::string::String {
        use crate::crypto::Hmac as _;
        let mut tag = [0u8; 64];
        let n = crate::crypto::rust_crypto::HMAC_SHA1
            .sign(key, message, &mut tag)
            .unwrap();
        data_encoding::BASE64.encode(&tag[..n])
    }

    fn check(cache: &KeyCache, key: &[u8], signature: &str, remember: bool) -> bool {
        cache
            .same_signature(
                default_provider(),
                DigestAlgorithm::Sha1,
                key,
                b"base string",
                signature.as_bytes(),
                remember,
            )
            .unwrap()
    }

    /// RustCrypto's HMAC-SHA1, counting the keys it makes: a key taken from the cache makes none.
    #[derive(Debug)]
    struct Counting;
    static KEYED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    impl crate::crypto::Hmac for Counting {
        fn algorithm(&self) -> DigestAlgorithm {
            DigestAlgorithm::Sha1
        }
        fn with_key(&self, key: &[u8]) -> Result<Box<dyn HmacKey>, SignatureError> {
            KEYED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            crate::crypto::rust_crypto::HMAC_SHA1.with_key(key)
        }
    }
    static COUNTING: CryptoProvider = CryptoProvider {
        hashes: &[],
        hmacs: &[&Counting],
        rsa: &[],
    };

    #[test]
    fn a_cached_key_is_not_keyed_again_and_is_the_providers_and_digests_own() {
        let cache = KeyCache::new(4);
        let right = signature(b"c&t", b"base string");
        let check_with = |provider: &'static CryptoProvider, digest| {
            cache
                .same_signature(
                    provider,
                    digest,
                    b"c&t",
                    b"base string",
                    right.as_bytes(),
                    true,
                )
                .ok()
        };
        let keyed = || KEYED.load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(check_with(&COUNTING, DigestAlgorithm::Sha1), Some(true));
        assert_eq!(keyed(), 1);
        for _ in 0..3 {
            assert_eq!(check_with(&COUNTING, DigestAlgorithm::Sha1), Some(true));
        }
        assert_eq!(keyed(), 1, "from the cache: no new key");
        // The same key bytes from another provider, or for another digest, are another key.
        assert_eq!(
            check_with(default_provider(), DigestAlgorithm::Sha1),
            Some(true)
        );
        assert_eq!(check_with(&COUNTING, DigestAlgorithm::Sha1), Some(true));
        assert_eq!(keyed(), 2, "the other provider's entry replaced this one's");
        assert!(
            check_with(&COUNTING, DigestAlgorithm::Sha256).is_none(),
            "no SHA-256 here"
        );
    }

    #[test]
    fn only_a_matching_signature_of_a_known_client_is_remembered() {
        let cache = KeyCache::new(8);
        let right = signature(b"c&t", b"base string");
        assert!(!check(&cache, b"c&t", "AAAA", true));
        assert_eq!(
            cache.len(),
            0,
            "a signature that did not match keeps nothing"
        );
        assert!(check(&cache, b"c&t", &right, false));
        assert_eq!(cache.len(), 0, "an unknown client's key is never kept");
        assert!(check(&cache, b"c&t", &right, true));
        assert_eq!(cache.len(), 1);
        // From the cache: the same answers.
        assert!(check(&cache, b"c&t", &right, true));
        assert!(!check(&cache, b"c&t", "AAAA", true));
        assert!(
            !check(&cache, b"c&u", &right, true),
            "another key is keyed afresh"
        );
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn keys_that_share_a_slot_replace_each_other_and_both_verify() {
        let cache = KeyCache::new(1);
        let (a, b) = (b"a&".as_slice(), b"b&".as_slice());
        let (sig_a, sig_b) = (signature(a, b"base string"), signature(b, b"base string"));
        for _ in 0..3 {
            assert!(check(&cache, a, &sig_a, true));
            assert!(!check(&cache, a, &sig_b, true));
            assert!(check(&cache, b, &sig_b, true));
            assert!(!check(&cache, b, &sig_a, true));
        }
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn different_keys_take_different_slots() {
        // Ten clients' keys (a secret, `&`, no token) in a cache of 4 096: each keeps its own
        // slot, so none replaces another (the hash reads every byte, the length too).
        let cache = KeyCache::new(4096);
        let keys: alloc::vec::Vec<alloc::string::String> = (0..10)
            .map(|i| alloc::format!("client-{i}-secret-of-some-length&"))
            .collect();
        for key in &keys {
            assert!(check(
                &cache,
                key.as_bytes(),
                &signature(key.as_bytes(), b"base string"),
                true
            ));
        }
        assert_eq!(cache.len(), keys.len());
        assert_ne!(hash(b"ab"), hash(b"ab\0"), "the length counts");
        assert_ne!(
            hash(b"12345678a"),
            hash(b"12345678b"),
            "the last chunk counts"
        );
    }

    #[test]
    fn a_busy_slot_is_not_waited_for() {
        let cache = KeyCache::new(1);
        let key = b"c&t";
        let right = signature(key, b"base string");
        let held = cache.slot(key).unwrap();
        assert!(check(&cache, key, &right, true));
        drop(held);
        assert_eq!(cache.len(), 0, "nothing was kept while the slot was busy");
    }

    #[test]
    fn its_debug_shows_no_key() {
        let cache = KeyCache::new(2);
        let right = signature(b"s3cr3t&t0k3n", b"base string");
        assert!(check(&cache, b"s3cr3t&t0k3n", &right, true));
        assert_eq!(alloc::format!("{cache:?}"), "KeyCache { slots: 2, .. }");
    }
}
