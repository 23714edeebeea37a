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
//! instances, exactly one is accepted). The key is a keyed hash (HMAC-SHA-256, truncated to 128
//! bits) so entries have a fixed size and Redis holds no consumer key, token or nonce in clear.
//!
//! **TTL and clocks.** A key lives for the rest of the timestamp window by the accepting
//! instance's clock, plus a clock skew allowance ([`RedisNonceStore::clock_skew`], by default the
//! window again: 300 s with `Verifier::new()`), plus one second. An instance whose clock is behind
//! admits a timestamp for longer than the instance that accepted it; the allowance keeps the key
//! until it no longer does. Keep the instances' clocks closer than the allowance (NTP).
//!
//! **Fails closed.** When Redis does not answer within the timeout (down, unreachable,
//! overloaded) or answers with an error (such as `OOM` under `maxmemory-policy noeviction`), the
//! store answers [`StoreUnavailable`](oauth1_core::server::StoreUnavailable); the verifier refuses the request
//! (`VerifyError::StoreUnavailable`) and `oauth1-hyper`'s `VerifyLayer` answers 503 with
//! `Retry-After`, never 2xx. While there is no connection, one connection attempt at a time runs
//! and every request that arrives meanwhile waits for that one (at most the timeout); after a
//! failed attempt, requests are refused at once for the reconnect backoff
//! ([`RedisNonceStore::reconnect_backoff`], 1 s by default), and the first request after it tries
//! again.
//!
//! # What the replay guarantee depends on
//!
//! A store that forgets a key accepts its replay. The store notices some ways of forgetting and
//! not others:
//!
//! - **Eviction: set `maxmemory-policy noeviction`** (or leave `maxmemory` unset). Any other
//!   policy lets Redis drop nonce keys when memory is full, silently. Under `noeviction` a full
//!   Redis refuses the `SET` with an `OOM` error, and the request is refused with 503.
//! - **Restarts and failovers are detected.** Each new connection reads the server's `run_id`
//!   (`INFO server`); a different one than before means Redis restarted or another server took
//!   over (a failover, a new host behind the address). From then on, requests whose timestamp is
//!   at or before the moment the instance noticed are refused (503: their nonces may have been
//!   recorded and lost) until the timestamp window refuses them anyway; fresh requests are
//!   accepted. A restart or failover always breaks the connection, so it is noticed by the next
//!   request. The ACL user needs `+set` and `+info` (without `+info`, every reconnection counts
//!   as a new server), and `+wait` with `wait_for_replicas`.
//! - **Persistence narrows what is left.** Without it, a restart forgets everything; the
//!   detection above refuses what was stamped before it, but not a request that carried a
//!   timestamp *ahead* of the accepting instance's clock (up to the window) and is replayed after
//!   the restart. AOF (`appendonly yes`, `appendfsync always` to lose nothing; `everysec` loses up
//!   to a second) closes that gap for restarts. With replicas, a write the primary acknowledged
//!   may not have reached the replica that takes over, the same gap for failovers:
//!   [`RedisNonceStore::wait_for_replicas`] makes each `SET` wait (`WAIT`) until that many
//!   replicas hold it, and refuses the request (503) when they do not in time.
//! - **Not detected:** an instance that starts after Redis restarted knows no earlier `run_id`;
//!   `FLUSHDB`/`FLUSHALL` or deleting keys under the prefix; a proxy that switches servers
//!   without closing client connections.
//!
//! # Example
//!
//! ```no_run
//! use oauth1_core::{CredentialStore, Verifier};
//! use oauth1_core::server::ClientKeys;
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
//! let layer = VerifyLayer::new(Verifier::new(), Clients, oauth1_core::server::InMemoryNonceStore::new())
//!     .async_nonces(nonces);
//! # let _ = layer;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod link;
mod store;

pub use store::{ConfigError, RedisNonceStore};
