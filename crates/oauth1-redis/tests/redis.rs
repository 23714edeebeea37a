//! The store against a real `redis-server` on 127.0.0.1 (started and stopped here): atomic
//! check-and-insert shared by several store instances, TTLs, failing closed while Redis is down and
//! recovering when it is back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/redis_server.rs"]
mod redis_server;

use std::sync::Arc;
use std::time::Duration;

use oauth1_core::{NonceUse, StoreUnavailable};
use oauth1_hyper::AsyncNonceStore;
use oauth1_redis::RedisNonceStore;
use redis_server::RedisServer;

const NOW: u64 = 1_700_000_000;

fn nonce_use(nonce: &str) -> NonceUse<'_> {
    NonceUse {
        consumer_key: "client",
        token: Some("token"),
        timestamp: NOW - 10,
        nonce,
        expires_at: NOW - 10 + 300,
        now: NOW,
    }
}

fn store(server: &RedisServer) -> RedisNonceStore {
    RedisNonceStore::new(&server.url())
        .unwrap()
        .prefix("test:nonce:")
        .timeout(Duration::from_millis(300))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nonce_is_accepted_once_across_instances_and_expires() {
    let server = RedisServer::start();
    let (a, b) = (store(&server), store(&server));
    assert_eq!(a.check_and_insert(nonce_use("n1")).await, Ok(true));
    assert_eq!(a.check_and_insert(nonce_use("n1")).await, Ok(false));
    assert_eq!(
        b.check_and_insert(nonce_use("n1")).await,
        Ok(false),
        "a replay at another instance"
    );
    assert_eq!(b.check_and_insert(nonce_use("n2")).await, Ok(true));
    // Every key has a TTL: the rest of the window (290 s) plus one.
    let keys = server.keys_with_ttl("test:nonce:");
    assert_eq!(keys.len(), 2, "{keys:?}");
    for (key, ttl) in keys {
        assert!((1..=291).contains(&ttl), "{key}: ttl {ttl}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_racing_copies_admit_exactly_one() {
    let server = RedisServer::start();
    let stores = [Arc::new(store(&server)), Arc::new(store(&server))];
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let store = Arc::clone(&stores[i % 2]);
            tokio::spawn(async move { store.check_and_insert(nonce_use("raced")).await })
        })
        .collect();
    let mut accepted = 0;
    for task in tasks {
        if task.await.unwrap() == Ok(true) {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_refuses_and_redis_back_recovers() {
    let mut server = RedisServer::start();
    let store = store(&server);
    assert_eq!(store.check_and_insert(nonce_use("before")).await, Ok(true));
    server.stop();
    for nonce in ["during-1", "during-2"] {
        assert_eq!(
            store.check_and_insert(nonce_use(nonce)).await,
            Err(StoreUnavailable),
            "fails closed"
        );
    }
    server.restart();
    // The connection comes back by itself (a few attempts at most).
    let mut answer = Err(StoreUnavailable);
    for _ in 0..50 {
        answer = store.check_and_insert(nonce_use("after")).await;
        if answer.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(answer, Ok(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_redis_at_all_is_unavailable_not_accepted() {
    let server = RedisServer::start();
    let url = server.url();
    drop(server);
    let store = RedisNonceStore::new(&url)
        .unwrap()
        .timeout(Duration::from_millis(200));
    assert_eq!(
        store.check_and_insert(nonce_use("n")).await,
        Err(StoreUnavailable)
    );
}
