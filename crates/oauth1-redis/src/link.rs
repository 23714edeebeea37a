//! The one connection to Redis that a store and its clones share (RFC 5849 §3.3 replay
//! protection depends on every answer coming from a Redis that still holds what it was told).
//!
//! Three rules live here:
//! - **One attempt at a time, shared.** When there is no connection, the first request starts one
//!   connection attempt (bounded by the store's timeout) and every request that arrives meanwhile
//!   waits for that same attempt instead of queueing its own: while Redis is unreachable, 20
//!   concurrent requests are refused after one timeout, not after 20 in a row.
//! - **Backoff.** After a failed attempt, requests are refused at once ([`StoreUnavailable`]) for
//!   the backoff period; the first request after it tries again.
//! - **A new server forgets.** Each new connection reads the server's `run_id` (`INFO server`).
//!   A different one than last time means Redis restarted or another server took over (failover):
//!   nonces recorded before may be gone. From then on, timestamps up to the moment this was noticed
//!   are refused — their nonces may have been recorded and forgotten — until the timestamp window
//!   refuses them anyway.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use oauth1_core::server::StoreUnavailable;
use redis::AsyncConnectionConfig;
use redis::aio::MultiplexedConnection;
use tokio::sync::watch;

/// The shared connection state of a store and its clones.
#[derive(Debug, Default)]
pub(crate) struct Link {
    state: Mutex<State>,
}

/// How one request reaches Redis: the settings of the store it was made with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt<'a> {
    pub(crate) client: &'a redis::Client,
    pub(crate) timeout: Duration,
    pub(crate) backoff: Duration,
    /// The verifier's clock for the request (`NonceUse::now`): when a new server is noticed.
    pub(crate) now: u64,
}

/// A live connection and the generation it belongs to (to drop exactly this one when it fails).
pub(crate) struct Connected {
    pub(crate) connection: MultiplexedConnection,
    pub(crate) generation: u64,
}

#[derive(Debug, Default)]
struct State {
    connection: Connection,
    /// The `run_id` of the last server connected to: `None` before the first connection,
    /// `Some(None)` when that server did not tell (every new connection then counts as a new server).
    run_id: Option<Option<String>>,
    /// Timestamps at or before this (the verifier's clock) are refused: Redis may have forgotten
    /// their nonces.
    forgotten_through: Option<u64>,
    generation: u64,
}

#[derive(Debug, Default)]
enum Connection {
    /// None; the next request tries.
    #[default]
    Idle,
    /// One attempt is under way; its end is announced here.
    Connecting(watch::Receiver<bool>),
    Up {
        connection: MultiplexedConnection,
        generation: u64,
    },
    /// The last attempt failed: refuse at once until then.
    BackingOff { until: Instant },
}

impl Link {
    /// The shared connection, after the one shared attempt if there is none; refused at once
    /// during the backoff after a failed attempt.
    pub(crate) async fn connection(
        self: &Arc<Self>,
        attempt: Attempt<'_>,
    ) -> Result<Connected, StoreUnavailable> {
        let mut done = {
            let mut state = self.lock();
            match &state.connection {
                Connection::Up {
                    connection,
                    generation,
                } => {
                    return Ok(Connected {
                        connection: connection.clone(),
                        generation: *generation,
                    });
                }
                Connection::BackingOff { until } if Instant::now() < *until => {
                    return Err(StoreUnavailable);
                }
                Connection::Connecting(done) => done.clone(),
                Connection::Idle | Connection::BackingOff { .. } => {
                    let done = self.start(attempt)?;
                    state.connection = Connection::Connecting(done.clone());
                    done
                }
            }
        };
        // The attempt ends within its own timeout; a waiter does not wait longer than its own.
        let _ended = tokio::time::timeout(attempt.timeout, done.wait_for(|ended| *ended)).await;
        match &self.lock().connection {
            Connection::Up {
                connection,
                generation,
            } => Ok(Connected {
                connection: connection.clone(),
                generation: *generation,
            }),
            _ => Err(StoreUnavailable),
        }
    }

    /// Forgets the connection of `generation` (it failed or timed out); the next request connects
    /// again, and checks the server's `run_id`.
    pub(crate) fn disconnect(&self, generation: u64) {
        let mut state = self.lock();
        if matches!(state.connection, Connection::Up { generation: g, .. } if g == generation) {
            state.connection = Connection::Idle;
        }
    }

    /// Whether a nonce use with this timestamp may have been recorded in a Redis that has since
    /// forgotten it (a restart or failover was noticed after it).
    pub(crate) fn forgotten(&self, timestamp: u64) -> bool {
        self.lock()
            .forgotten_through
            .is_some_and(|through| timestamp <= through)
    }

    /// Starts the attempt as its own task, so that it ends (and says so) even when the request
    /// that started it is dropped.
    fn start(
        self: &Arc<Self>,
        attempt: Attempt<'_>,
    ) -> Result<watch::Receiver<bool>, StoreUnavailable> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| StoreUnavailable)?;
        let (ended, done) = watch::channel(false);
        let finish = Finish {
            link: Arc::clone(self),
            backoff: attempt.backoff,
            now: attempt.now,
            outcome: None,
            ended,
        };
        let client = attempt.client.clone();
        let timeout = attempt.timeout;
        runtime.spawn(async move {
            let mut finish = finish;
            finish.outcome = connect(&client, timeout).await;
            // `finish` is dropped here, or earlier if the runtime cancels the task.
        });
        Ok(done)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock; a poisoned one still holds a consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The end of one attempt, applied when the attempt's task finishes or is cancelled.
struct Finish {
    link: Arc<Link>,
    backoff: Duration,
    now: u64,
    outcome: Option<(MultiplexedConnection, Option<String>)>,
    ended: watch::Sender<bool>,
}

impl Drop for Finish {
    fn drop(&mut self) {
        let mut state = self.link.lock();
        match self.outcome.take() {
            Some((connection, run_id)) => {
                let new_server = match (&state.run_id, &run_id) {
                    (None, _) => false,
                    (Some(Some(before)), Some(now)) => before != now,
                    (Some(_), _) => true,
                };
                if new_server {
                    // Every nonce recorded so far was recorded before now; the old server's
                    // memory of them may be gone (no persistence, a replica behind, a new host).
                    let through = state
                        .forgotten_through
                        .map_or(self.now, |t| t.max(self.now));
                    state.forgotten_through = Some(through);
                }
                state.run_id = Some(run_id);
                state.generation = state.generation.wrapping_add(1);
                state.connection = Connection::Up {
                    connection,
                    generation: state.generation,
                };
            }
            None => {
                let started = Instant::now();
                // A backoff too large for the clock is as good as an hour.
                let until = started
                    .checked_add(self.backoff)
                    .or_else(|| started.checked_add(Duration::from_secs(3600)))
                    .unwrap_or(started);
                state.connection = Connection::BackingOff { until };
            }
        }
        drop(state);
        // No receiver left means no request is waiting: nothing to tell.
        let _nobody_waits = self.ended.send(true);
    }
}

/// One connection attempt and the server's `run_id`, within `timeout`; `None` when Redis did not
/// answer in time.
async fn connect(
    client: &redis::Client,
    timeout: Duration,
) -> Option<(MultiplexedConnection, Option<String>)> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(timeout))
        .set_response_timeout(Some(timeout));
    let attempt = async {
        let mut connection = client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .ok()?;
        let info = redis::cmd("INFO")
            .arg("server")
            .query_async::<String>(&mut connection)
            .await;
        let run_id = match info {
            Ok(text) => run_id(&text),
            // A server that refuses INFO (an ACL without +info) still answers: every new
            // connection then counts as a new server.
            Err(e) if replied(&e) => None,
            Err(_) => return None,
        };
        Some((connection, run_id))
    };
    tokio::time::timeout(timeout, attempt).await.ok().flatten()
}

/// Whether Redis answered with an error (OOM, NOPERM, …): the connection itself works.
pub(crate) fn replied(error: &redis::RedisError) -> bool {
    matches!(
        error.kind(),
        redis::ErrorKind::Server(_) | redis::ErrorKind::Extension
    )
}

/// The `run_id:` line of `INFO server`.
fn run_id(info: &str) -> Option<String> {
    info.lines()
        .find_map(|line| line.strip_prefix("run_id:"))
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_id_is_read_from_info_server() {
        let info = "# Server\r\nredis_version:7.0.15\r\nrun_id:4f1d2c\r\ntcp_port:6379\r\n";
        assert_eq!(run_id(info).as_deref(), Some("4f1d2c"));
        assert_eq!(run_id("# Server\r\nredis_version:7.0.15\r\n"), None);
        assert_eq!(run_id("run_id:\r\n"), None);
    }
}
