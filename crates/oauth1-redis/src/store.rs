//! [`RedisNonceStore`]: one atomic `SET NX EX` per nonce use (RFC 5849 §3.3), its key and its TTL.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use oauth1_core::server::{AsyncNonceStore, StoreFuture};
use oauth1_core::server::{NonceUse, StoreUnavailable};

use crate::link::{self, Attempt, Connected, Link};

/// A [`AsyncNonceStore`] backed by Redis (6.0 or later) or Valkey; see the crate docs.
///
/// Cheap to clone: clones share one multiplexed connection.
#[derive(Clone)]
pub struct RedisNonceStore {
    client: redis::Client,
    link: Arc<Link>,
    prefix: String,
    hash_key: ring::hmac::Key,
    timeout: Duration,
    clock_skew: Option<Duration>,
    reconnect_backoff: Duration,
    replicas: u32,
}

impl RedisNonceStore {
    /// A store for the Redis at `url` (`redis://[user:password@]host:port[/db]`), keys under the
    /// prefix `oauth1:nonce:`, a 500 ms timeout per command, a clock skew allowance of the
    /// verifier's window and a 1 s reconnect backoff. Nothing is connected yet: the first request
    /// connects.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        let client = redis::Client::open(url).map_err(|e| ConfigError(e.to_string()))?;
        Ok(RedisNonceStore {
            client,
            link: Arc::new(Link::default()),
            prefix: String::from("oauth1:nonce:"),
            hash_key: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, DEFAULT_HASH_KEY),
            timeout: Duration::from_millis(500),
            clock_skew: None,
            reconnect_backoff: Duration::from_secs(1),
            replicas: 0,
        })
    }

    /// The prefix of every key (default `oauth1:nonce:`): separate applications sharing a Redis.
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The secret the keys are hashed with (default: a fixed, public one). Every instance that
    /// shares the store must use the same. With a secret of your own, someone who can read Redis
    /// cannot test guesses of consumer keys, tokens or nonces against its keys.
    #[must_use]
    pub fn hash_key(mut self, secret: &[u8]) -> Self {
        self.hash_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
        self
    }

    /// How long one command (and connecting) may take before the request is refused as
    /// [`StoreUnavailable`] (default 500 ms).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How far apart the clocks of the instances sharing this store may be (default: the
    /// verifier's timestamp window, so 300 s with `Verifier::new()`).
    ///
    /// Each key lives for the rest of the window by the accepting instance's clock, plus this
    /// allowance, plus one second. An instance whose clock is behind admits a timestamp for longer
    /// than the one that accepted it; were the key gone by then, the replay would pass there.
    /// Whole seconds, rounded up.
    #[must_use]
    pub fn clock_skew(mut self, allowance: Duration) -> Self {
        self.clock_skew = Some(allowance);
        self
    }

    /// How long requests are refused at once ([`StoreUnavailable`]), without a new connection
    /// attempt, after an attempt failed (default 1 s; at most an hour). The first request after
    /// it tries again; requests that arrive during an attempt wait for that one attempt.
    #[must_use]
    pub fn reconnect_backoff(mut self, backoff: Duration) -> Self {
        self.reconnect_backoff = backoff;
        self
    }

    /// How many replicas must hold a nonce before its request is accepted (default 0: the
    /// primary's answer is enough).
    ///
    /// With `count` above 0, each `SET` is followed by `WAIT count <half the timeout>` in the same
    /// round trip; when fewer replicas acknowledge in time, the request is refused
    /// ([`StoreUnavailable`]): a failover to a replica without the write would forget the nonce.
    /// Every request then waits for the replication round trip.
    #[must_use]
    pub fn wait_for_replicas(mut self, count: u32) -> Self {
        self.replicas = count;
        self
    }

    /// The Redis key of one nonce use: the prefix and 32 hex digits.
    pub fn key(&self, nonce_use: &NonceUse<'_>) -> String {
        let mut context = ring::hmac::Context::with_key(&self.hash_key);
        // Length-delimited fields: no two different uses feed the same bytes.
        let mut field = |bytes: &[u8]| {
            context.update(&(bytes.len() as u64).to_be_bytes());
            context.update(bytes);
        };
        field(nonce_use.consumer_key.as_bytes());
        match nonce_use.token {
            Some(token) => {
                field(b"1");
                field(token.as_bytes());
            }
            None => field(b"0"),
        }
        field(&nonce_use.timestamp.to_be_bytes());
        field(nonce_use.nonce.as_bytes());
        let tag = context.sign();
        let mut key = String::with_capacity(self.prefix.len() + 32);
        key.push_str(&self.prefix);
        for byte in tag.as_ref().iter().take(16) {
            key.push(char::from(HEX[usize::from(byte >> 4)]));
            key.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        key
    }

    /// The seconds a key lives: the rest of the window by this instance's clock, the clock skew
    /// allowance (by default the window again), and one second for the clocks' rounding.
    fn ttl(&self, nonce_use: &NonceUse<'_>) -> u64 {
        let window = nonce_use.expires_at.saturating_sub(nonce_use.timestamp);
        let skew = self.clock_skew.map_or(window, |allowance| {
            allowance
                .as_secs()
                .saturating_add(u64::from(allowance.subsec_nanos() > 0))
        });
        nonce_use
            .expires_at
            .saturating_sub(nonce_use.now)
            .saturating_add(skew)
            .saturating_add(1)
    }

    async fn set_nx(&self, nonce_use: NonceUse<'_>) -> Result<bool, StoreUnavailable> {
        let attempt = Attempt {
            client: &self.client,
            timeout: self.timeout,
            backoff: self.reconnect_backoff.min(Duration::from_secs(3600)),
            now: nonce_use.now,
        };
        let Connected {
            mut connection,
            generation,
        } = self.link.connection(attempt).await?;
        // After a restart or failover, Redis may have forgotten this nonce: cannot tell.
        if self.link.forgotten(nonce_use.timestamp) {
            return Err(StoreUnavailable);
        }
        let mut command = redis::cmd("SET");
        command
            .arg(self.key(&nonce_use))
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(self.ttl(&nonce_use));
        let answer = async {
            if self.replicas == 0 {
                let stored = command
                    .query_async::<Option<String>>(&mut connection)
                    .await?;
                return Ok((stored, 0));
            }
            // Half the timeout for the replicas, so that a slow one is a refusal, not a broken
            // connection; `WAIT n 0` would block for ever.
            let wait_ms =
                u64::try_from(self.timeout.as_millis() / 2).map_or(u64::MAX, |ms| ms.max(1));
            let mut pipeline = redis::pipe();
            pipeline
                .add_command(command)
                .cmd("WAIT")
                .arg(self.replicas)
                .arg(wait_ms);
            pipeline
                .query_async::<(Option<String>, u64)>(&mut connection)
                .await
        };
        match tokio::time::timeout(self.timeout, answer).await {
            // Stored on the primary but not on enough replicas: a failover could forget it.
            Ok(Ok((Some(_), acknowledged))) if acknowledged < u64::from(self.replicas) => {
                Err(StoreUnavailable)
            }
            // `OK`: stored, the use is new; nil: the key existed, a replay.
            Ok(Ok((stored, _))) => Ok(stored.is_some()),
            // Redis answered with an error (OOM under `noeviction`, …): refused, the connection
            // still works.
            Ok(Err(e)) if link::replied(&e) => Err(StoreUnavailable),
            // The connection broke or Redis is too slow: connect again (and check `run_id`).
            Ok(Err(_)) | Err(_) => {
                self.link.disconnect(generation);
                Err(StoreUnavailable)
            }
        }
    }
}

impl AsyncNonceStore for RedisNonceStore {
    fn check_and_insert<'a>(
        &'a self,
        nonce_use: NonceUse<'a>,
    ) -> StoreFuture<'a, Result<bool, StoreUnavailable>> {
        Box::pin(self.set_nx(nonce_use))
    }
}

impl fmt::Debug for RedisNonceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password: show the address only.
        let info = self.client.get_connection_info();
        f.debug_struct("RedisNonceStore")
            .field("addr", &info.addr().to_string())
            .field("prefix", &self.prefix)
            .field("hash_key", &"<hidden>")
            .field("timeout", &self.timeout)
            .field("clock_skew", &self.clock_skew)
            .field("reconnect_backoff", &self.reconnect_backoff)
            .field("replicas", &self.replicas)
            .finish()
    }
}

/// The Redis URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid Redis URL: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The default hash key: public, so it only makes keys fixed-size and unreadable at a glance;
/// [`RedisNonceStore::hash_key`] sets a secret one.
const DEFAULT_HASH_KEY: &[u8] = b"oauth1-redis nonce key v1";

#[cfg(test)]
mod tests {
    use super::*;

    fn nonce_use<'a>(token: Option<&'a str>, nonce: &'a str) -> NonceUse<'a> {
        NonceUse {
            consumer_key: "client",
            token,
            timestamp: 1_700_000_000,
            nonce,
            expires_at: 1_700_000_300,
            now: 1_700_000_000,
        }
    }

    #[test]
    fn keys_are_fixed_size_distinct_and_hide_their_inputs() {
        let store = RedisNonceStore::new("redis://127.0.0.1:1/").unwrap();
        let a = store.key(&nonce_use(None, "n"));
        assert_eq!(a.len(), "oauth1:nonce:".len() + 32);
        assert!(!a.contains("client"));
        assert_ne!(
            a,
            store.key(&nonce_use(Some(""), "n")),
            "no token vs an empty token"
        );
        assert_ne!(a, store.key(&nonce_use(None, "m")));
        let secret = store.clone().hash_key(b"s3cret");
        assert_ne!(a, secret.key(&nonce_use(None, "n")));
        assert!(!format!("{secret:?}").contains("s3cret"));
    }

    #[test]
    fn bad_urls_are_typed_errors() {
        let err = RedisNonceStore::new("http://nope").unwrap_err();
        assert!(err.to_string().starts_with("invalid Redis URL"));
    }

    #[test]
    fn the_password_stays_out_of_debug() {
        let store = RedisNonceStore::new("redis://user:hunter2@127.0.0.1:6379/0").unwrap();
        assert!(!format!("{store:?}").contains("hunter2"));
    }

    #[test]
    fn keys_live_for_the_rest_of_the_window_and_the_skew_allowance() {
        let store = RedisNonceStore::new("redis://127.0.0.1:1/").unwrap();
        // Accepted 10 s after its timestamp with a 300 s window: 290 s left, 300 s allowance.
        let late = NonceUse {
            now: 1_700_000_010,
            ..nonce_use(None, "n")
        };
        assert_eq!(store.ttl(&late), 290 + 300 + 1);
        let skew = |d| store.clone().clock_skew(d).ttl(&late);
        assert_eq!(skew(Duration::from_secs(60)), 290 + 60 + 1);
        assert_eq!(skew(Duration::from_millis(60_001)), 290 + 61 + 1);
        assert_eq!(skew(Duration::ZERO), 290 + 1);
        assert_eq!(skew(Duration::MAX), u64::MAX);
    }
}
