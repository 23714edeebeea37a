//! A shared OAuth 1.0a nonce store on Redis (RFC 5849 §3.3), for providers that run as several
//! instances behind a load balancer.
//!
//! With one in-memory store per instance, a request accepted by instance A can be replayed at
//! instance B. [`RedisNonceStore`] records every nonce use in one Redis (or Valkey) shared by all
//! instances, with one atomic command per request:
//!
//! ```text
//! SET <prefix><128-bit keyed hash of (consumer key, token, timestamp, nonce)> 1 NX EX <ttl>
//! ```
//!
//! `NX` makes check-and-insert atomic across instances (of 16 identical requests raced at two
//! instances, exactly one is accepted); the TTL covers the rest of the timestamp window, so Redis
//! forgets each entry once the timestamp check alone refuses the request. The key is a keyed hash
//! (HMAC-SHA-256, truncated to 128 bits) so entries have a fixed size and Redis holds no consumer
//! key, token or nonce in clear.
//!
//! **Fails closed**: when Redis does not answer within the timeout (down, unreachable, overloaded)
//! the store answers [`StoreUnavailable`]; the verifier refuses the request
//! (`VerifyError::StoreUnavailable`) and `oauth1-hyper`'s `VerifyLayer` answers 503 with
//! `Retry-After`, never 2xx. The connection is re-established on its own when Redis comes back.
//!
//! # Example
//!
//! ```no_run
//! use oauth1_core::{ClientKeys, CredentialStore, Verifier};
//! use oauth1_hyper::VerifyLayer;
//! use oauth1_redis::RedisNonceStore;
//!
//! struct Clients;
//! impl CredentialStore for Clients {
//!     fn client(&self, key: &str) -> Option<ClientKeys> {
//!         (key == "client").then(|| ClientKeys::shared_secret("secret"))
//!     }
//!     fn token_secret(&self, _: &str, _: &str) -> Option<String> {
//!         None
//!     }
//! }
//!
//! # async fn run() -> Result<(), oauth1_redis::ConfigError> {
//! // REDIS_URL-style configuration: redis://[user:password@]host:port[/db], or rediss:// with TLS
//! // (the `redis` crate's TLS features).
//! let nonces = RedisNonceStore::new("redis://127.0.0.1:6379/0")?.prefix("api:nonce:");
//! let layer = VerifyLayer::new(Verifier::new(), Clients, oauth1_core::InMemoryNonceStore::new())
//!     .async_nonces(nonces);
//! # let _ = layer;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

use std::fmt;
use std::time::Duration;

use oauth1_core::{NonceUse, StoreUnavailable};
use oauth1_hyper::{AsyncNonceStore, StoreFuture};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::Mutex;

/// A [`AsyncNonceStore`] backed by Redis (6.0 or later) or Valkey; see the crate docs.
///
/// Cheap to clone: clones share one multiplexed connection.
#[derive(Clone)]
pub struct RedisNonceStore {
    client: redis::Client,
    connection: std::sync::Arc<Mutex<Option<ConnectionManager>>>,
    prefix: String,
    hash_key: ring::hmac::Key,
    timeout: Duration,
}

impl RedisNonceStore {
    /// A store for the Redis at `url` (`redis://[user:password@]host:port[/db]`), keys under the
    /// prefix `oauth1:nonce:`, a 500 ms timeout per command. Nothing is connected yet: the first
    /// request connects (and, while Redis is down, each request tries again and is refused).
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        let client = redis::Client::open(url).map_err(|e| ConfigError(e.to_string()))?;
        Ok(RedisNonceStore {
            client,
            connection: std::sync::Arc::new(Mutex::new(None)),
            prefix: String::from("oauth1:nonce:"),
            hash_key: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, DEFAULT_HASH_KEY),
            timeout: Duration::from_millis(500),
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

    /// The shared connection, made now if there is none (or the last attempt failed).
    async fn connection(&self) -> Result<ConnectionManager, StoreUnavailable> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1);
        let connecting = ConnectionManager::new_with_config(self.client.clone(), config);
        match tokio::time::timeout(self.timeout, connecting).await {
            Ok(Ok(connection)) => {
                *slot = Some(connection.clone());
                Ok(connection)
            }
            _ => Err(StoreUnavailable),
        }
    }

    async fn set_nx(&self, nonce_use: NonceUse<'_>) -> Result<bool, StoreUnavailable> {
        let mut connection = self.connection().await?;
        // Until the verifier's window has passed for this timestamp; at least a second.
        let ttl = nonce_use
            .expires_at
            .saturating_sub(nonce_use.now)
            .saturating_add(1);
        let mut command = redis::cmd("SET");
        command
            .arg(self.key(&nonce_use))
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(ttl);
        let answer = command.query_async::<Option<String>>(&mut connection);
        match tokio::time::timeout(self.timeout, answer).await {
            // `OK`: stored, the use is new; nil: the key existed, a replay.
            Ok(Ok(stored)) => Ok(stored.is_some()),
            Ok(Err(_)) | Err(_) => Err(StoreUnavailable),
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
}
