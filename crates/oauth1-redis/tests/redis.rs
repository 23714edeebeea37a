//! The store against a real `redis-server` on 127.0.0.1 (started and stopped here): atomic
//! check-and-insert shared by several store instances, TTLs, failing closed while Redis is down and
//! recovering when it is back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use oauth1_core::server::AsyncNonceStore;
use oauth1_core::server::{NonceUse, StoreUnavailable};
use oauth1_redis::RedisNonceStore;
use oauth1_testkit::redis_server::RedisServer;

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
    // Every key has a TTL: the rest of the window (290 s), the clock skew allowance (by default
    // the window: 300 s, issue 26 G5) and one second.
    let keys = server.keys_with_ttl("test:nonce:");
    assert_eq!(keys.len(), 2, "{keys:?}");
    for (key, ttl) in keys {
        assert!((1..=591).contains(&ttl), "{key}: ttl {ttl}");
    }
    // Without the allowance, exactly the rest of the window plus one.
    let exact = store(&server).clock_skew(Duration::ZERO);
    assert_eq!(exact.check_and_insert(nonce_use("n3")).await, Ok(true));
    let ttl = server
        .command(&["TTL", &exact.key(&nonce_use("n3"))])
        .unwrap();
    let ttl: i64 = ttl.trim_start_matches(':').parse().unwrap();
    assert!((1..=291).contains(&ttl), "ttl {ttl}");
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

/// A fresh nonce, once Redis is back after a restart: up to `attempts` tries 100 ms apart, each
/// stamped one second later by the provider's clock from `from` on (a restarted Redis forgot every
/// nonce, so the store accepts only requests stamped after it noticed, issue 26 G6); the last
/// answer.
async fn accepted_after_restart(
    store: &RedisNonceStore,
    from: u64,
    attempts: u64,
) -> Result<bool, StoreUnavailable> {
    let mut answer = Err(StoreUnavailable);
    for i in 0..attempts {
        let now = from + i;
        let after = NonceUse {
            timestamp: now,
            expires_at: now + 300,
            now,
            ..nonce_use("after")
        };
        answer = store.check_and_insert(after).await;
        if answer.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    answer
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
    // The connection comes back by itself (a few attempts at most). The restarted Redis forgot
    // every nonce, so only requests stamped after the store noticed it are accepted (issue 26 G6):
    // each attempt here comes one second later by the provider's clock.
    assert_eq!(accepted_after_restart(&store, NOW + 1, 50).await, Ok(true));
    // And the request from before the outage, replayed: Redis forgot it, the store refuses it.
    assert_eq!(
        store.check_and_insert(nonce_use("before")).await,
        Err(StoreUnavailable)
    );
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

// --- Security review issue 26 (G5, G6, G7) ---

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use oauth1_core::server::{ClientKeys, Verified};
use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer, Verifier, VerifyError};

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// One provider instance's verification, as `VerifyLayer` runs it: the core's three steps with
/// this store, at this instance's clock `now`.
async fn verify_at(
    verifier: &Verifier,
    store: &RedisNonceStore,
    request: &Request<'_>,
    authorization: &str,
    now: u64,
) -> Result<Verified, VerifyError> {
    let pending = verifier.begin(request, Some(authorization), now)?;
    let client = (pending.consumer_key() == "client").then(|| ClientKeys::shared_secret("secret"));
    let checked = pending.check(client, None)?;
    let fresh = match checked.nonce_use() {
        Some(nonce_use) => Some(store.check_and_insert(nonce_use).await),
        None => None,
    };
    checked.finish(fresh)
}

fn signed(request: &Request<'_>, nonce: &str, timestamp: u64) -> String {
    let client = ClientCredentials::new("client", "secret");
    let signer = Signer::new(SignatureMethodName::HmacSha1, &client, None).unwrap();
    let signed = signer.sign(request, nonce, timestamp).unwrap();
    signed.authorization().unwrap().to_string()
}

/// G5: instance A's clock is 2 s ahead of B's (a 2 s window, so the test takes seconds, not
/// minutes). A accepts a request stamped with its own clock; B keeps admitting that timestamp
/// until its clock reaches it plus the window, so the nonce's key must outlive A's view of the
/// window by the clocks' difference. Before the fix the key expired after A's window (+1 s) and B
/// accepted the replay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_at_an_instance_whose_clock_is_behind_is_refused() {
    let server = RedisServer::start();
    let verifier = Verifier::new().timestamp_window(2);
    let (a, b) = (store(&server), store(&server));
    let request = Request::new("GET", "https://api.example.com/items");
    let clock_a = || unix_now() + 2;
    let clock_b = unix_now;
    let timestamp = clock_a();
    let authorization = signed(&request, "skewed", timestamp);
    verify_at(&verifier, &a, &request, &authorization, clock_a())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let now_b = clock_b();
    assert!(
        timestamp.abs_diff(now_b) <= 2,
        "B still admits the timestamp"
    );
    let replay = verify_at(&verifier, &b, &request, &authorization, now_b).await;
    assert!(
        matches!(replay, Err(VerifyError::NonceUsed)),
        "replayed at the instance whose clock is behind: {replay:?}"
    );
}

/// G5 with the default window and instances 60 s apart: the key lives at least until the slower
/// clock has left the window (300 s + 60 s), and by default for a skew as large as the window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_outlive_the_window_by_the_clock_skew_allowance() {
    let server = RedisServer::start();
    let exact = NonceUse {
        consumer_key: "client",
        token: None,
        timestamp: NOW,
        nonce: "n",
        expires_at: NOW + 300,
        now: NOW,
    };
    assert_eq!(store(&server).check_and_insert(exact).await, Ok(true));
    let keys = server.keys_with_ttl("test:nonce:");
    assert_eq!(keys.len(), 1, "{keys:?}");
    // Another instance 60 s behind admits the timestamp for 360 s; by default the key lives for
    // the window, a skew allowance of the window again, and one second.
    assert!((360..=601).contains(&keys[0].1), "{keys:?}");
    assert!(keys[0].1 >= 599, "default allowance: the window: {keys:?}");
}

/// G6: Redis restarts without persistence between an accepted request and its replay: the nonce
/// is forgotten, so the store refuses timestamps older than the restart (a new `run_id`) for one
/// window, and accepts fresh requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_redis_restart_older_timestamps_are_refused_and_fresh_ones_accepted() {
    let mut server = RedisServer::start();
    let verifier = Verifier::new();
    let store = store(&server);
    let request = Request::new("GET", "https://api.example.com/items");
    let accepted_at = unix_now();
    let authorization = signed(&request, "before-restart", accepted_at);
    verify_at(&verifier, &store, &request, &authorization, accepted_at)
        .await
        .unwrap();
    server.stop();
    server.restart();
    // A request signed now is accepted once the store is back (a later second than the restart).
    let mut fresh = Err(VerifyError::StoreUnavailable);
    for i in 0..50 {
        let now = unix_now();
        let authorization = signed(&request, &format!("fresh-{i}"), now);
        fresh = verify_at(&verifier, &store, &request, &authorization, now).await;
        if fresh.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    fresh.unwrap();
    // The replay, stamped before the restart, is still in the window; Redis forgot its nonce.
    let replay = verify_at(&verifier, &store, &request, &authorization, unix_now()).await;
    assert!(
        matches!(replay, Err(VerifyError::StoreUnavailable)),
        "a replay from before the restart: {replay:?}"
    );
}

/// G7: while Redis is unreachable (a listener that never answers, as a host that drops packets),
/// 20 concurrent checks share one connection attempt and all answer `StoreUnavailable` within about
/// one timeout (before the fix, attempts ran one at a time: 20 × the timeout); during the backoff
/// that follows, checks answer at once; after Redis returns, the store recovers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_redis_is_unreachable_concurrent_checks_fail_fast_and_the_store_recovers() {
    let hung = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = hung.local_addr().unwrap().port();
    let store = Arc::new(
        RedisNonceStore::new(&format!("redis://127.0.0.1:{port}/0"))
            .unwrap()
            .prefix("test:nonce:")
            .timeout(Duration::from_millis(300))
            .reconnect_backoff(Duration::from_millis(800)),
    );
    let started = Instant::now();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let nonce = format!("during-{i}");
                store.check_and_insert(nonce_use(&nonce)).await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Err(StoreUnavailable), "fails closed");
    }
    let batch = started.elapsed();
    assert!(
        batch < Duration::from_millis(1200),
        "20 checks took {batch:?}"
    );
    // Within the backoff: refused at once, without a new attempt.
    let at_once = Instant::now();
    assert_eq!(
        store.check_and_insert(nonce_use("backoff")).await,
        Err(StoreUnavailable)
    );
    assert!(
        at_once.elapsed() < Duration::from_millis(100),
        "{:?}",
        at_once.elapsed()
    );
    // Redis comes back on that port: the store recovers after the backoff.
    drop(hung);
    let _server = RedisServer::start_on(port);
    let mut answer = Err(StoreUnavailable);
    for _ in 0..40 {
        answer = store.check_and_insert(nonce_use("after")).await;
        if answer.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(answer, Ok(true));
}

/// G7 with Redis stopped (connections refused at once): 20 concurrent checks all refuse quickly,
/// and the store recovers when it restarts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_redis_is_stopped_concurrent_checks_fail_fast() {
    let mut server = RedisServer::start();
    let store = Arc::new(store(&server).reconnect_backoff(Duration::from_millis(300)));
    assert_eq!(store.check_and_insert(nonce_use("before")).await, Ok(true));
    server.stop();
    let started = Instant::now();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let nonce = format!("stopped-{i}");
                store.check_and_insert(nonce_use(&nonce)).await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Err(StoreUnavailable), "fails closed");
    }
    let batch = started.elapsed();
    assert!(
        batch < Duration::from_millis(1200),
        "20 checks took {batch:?}"
    );
}

/// With `wait_for_replicas`, a nonce the replicas do not hold is refused (a failover to one of
/// them would forget it); once a replica has caught up, requests are accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_wait_for_replicas_a_nonce_no_replica_holds_is_refused() {
    let primary = RedisServer::start();
    let store = store(&primary).wait_for_replicas(1);
    assert_eq!(
        store.check_and_insert(nonce_use("alone")).await,
        Err(StoreUnavailable),
        "no replica acknowledged"
    );
    let _replica = RedisServer::start_replica_of(&primary);
    let mut answer = Err(StoreUnavailable);
    for i in 0..50 {
        let nonce = format!("replicated-{i}");
        answer = store.check_and_insert(nonce_use(&nonce)).await;
        if answer.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(answer, Ok(true));
    assert_eq!(
        store.check_and_insert(nonce_use("replicated-0")).await,
        Ok(false),
        "a replay is still a replay"
    );
}

/// Connections the server has accepted so far (this question's own included).
fn connections(server: &RedisServer) -> u64 {
    server
        .info_field("stats", "total_connections_received")
        .expect("INFO stats answers")
}

/// Redis answering with an error (out of memory under `noeviction`) is a refusal, and the
/// connection stays: only a broken one is dropped and made again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_reply_refuses_and_keeps_the_connection() {
    let server = RedisServer::start();
    let store = store(&server);
    assert_eq!(store.check_and_insert(nonce_use("before")).await, Ok(true));
    let before = connections(&server);
    for setting in [["maxmemory-policy", "noeviction"], ["maxmemory", "1"]] {
        let set = server.command(&["CONFIG", "SET", setting[0], setting[1]]);
        assert_eq!(set.as_deref(), Some("+OK"));
    }
    for i in 0..3 {
        let nonce = format!("out-of-memory-{i}");
        assert_eq!(
            store.check_and_insert(nonce_use(&nonce)).await,
            Err(StoreUnavailable)
        );
    }
    let set = server.command(&["CONFIG", "SET", "maxmemory", "0"]);
    assert_eq!(set.as_deref(), Some("+OK"));
    assert_eq!(store.check_and_insert(nonce_use("after")).await, Ok(true));
    // Between the two counts: the three CONFIG SETs and the second count's own connection.
    assert_eq!(
        connections(&server) - before,
        4,
        "the store connected again"
    );
}

/// A Redis user that may not run INFO (an ACL without `+info`) still has a working store (every
/// new connection then counts as a new server, see `RedisNonceStore`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_refuses_info_still_serves() {
    let server = RedisServer::start();
    let acl = server.command(&["ACL", "SETUSER", "default", "-info"]);
    assert_eq!(acl.as_deref(), Some("+OK"));
    assert_eq!(server.info("server"), None, "INFO is refused");
    let store = store(&server);
    assert_eq!(store.check_and_insert(nonce_use("n")).await, Ok(true));
    assert_eq!(store.check_and_insert(nonce_use("n")).await, Ok(false));
}

/// With `wait_for_replicas`, the replicas have half the timeout to acknowledge: without one, the
/// refusal comes after about that long (not at once, and not at the timeout, which would drop the
/// connection).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_replica_is_waited_for_half_the_timeout() {
    let server = RedisServer::start();
    let store = store(&server)
        .timeout(Duration::from_secs(1))
        .wait_for_replicas(1);
    assert_eq!(
        store.check_and_insert(nonce_use("first")).await,
        Err(StoreUnavailable)
    );
    let before = connections(&server);
    let started = std::time::Instant::now();
    assert_eq!(
        store.check_and_insert(nonce_use("second")).await,
        Err(StoreUnavailable)
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(400) && waited < Duration::from_millis(950),
        "{waited:?}"
    );
    assert_eq!(
        connections(&server) - before,
        1,
        "the store connected again"
    );
}

#[test]
fn debug_shows_the_address_and_hides_the_password() {
    let store = RedisNonceStore::new("redis://:hunter2@127.0.0.1:6390/0").unwrap();
    let shown = format!("{store:?}");
    assert!(
        shown.starts_with("RedisNonceStore {")
            && shown.contains("127.0.0.1:6390")
            && shown.contains("<hidden>")
            && !shown.contains("hunter2"),
        "{shown}"
    );
}

/// After an attempt to connect failed, the store makes no other before its backoff has passed,
/// even once Redis is back: each request in between is refused at once. Then it connects again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_failed_attempt_the_store_waits_out_its_backoff() {
    let backoff = Duration::from_secs(4);
    let mut server = RedisServer::start();
    let store = store(&server).reconnect_backoff(backoff);
    assert_eq!(store.check_and_insert(nonce_use("before")).await, Ok(true));
    server.stop();
    // The first refusal finds the connection broken; the second is the attempt that fails.
    for nonce in ["during-1", "during-2"] {
        assert_eq!(
            store.check_and_insert(nonce_use(nonce)).await,
            Err(StoreUnavailable)
        );
    }
    let failed = Instant::now();
    server.restart();
    let before = connections(&server);
    assert_eq!(
        store.check_and_insert(nonce_use("backing-off")).await,
        Err(StoreUnavailable)
    );
    assert!(
        failed.elapsed() < backoff,
        "the restart took longer than the backoff: {:?}",
        failed.elapsed()
    );
    assert_eq!(
        connections(&server) - before,
        1,
        "the store connected during its backoff"
    );
    tokio::time::sleep(backoff.saturating_sub(failed.elapsed()) + Duration::from_millis(100)).await;
    assert_eq!(accepted_after_restart(&store, NOW + 60, 10).await, Ok(true));
}
