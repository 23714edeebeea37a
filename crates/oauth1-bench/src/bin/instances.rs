//! `cargo run --release -p oauth1-bench --bin instances`: verified requests per second and
//! latency percentiles for one and two provider instances, with the in-memory nonce store and with
//! Redis shared by both (a `redis-server` this binary starts on a free loopback port and stops).
//!
//! Bounded and loopback only: for each configuration, `CONNECTIONS` keep-alive connections send
//! `PER_CONNECTION` requests each (spread over the instances), every request signed in advance for
//! the instances' common public origin with its own nonce. Providers, client and Redis share this
//! machine's cores, so the figures are for the whole system on one machine.

use std::time::{Duration, Instant};

use oauth1_bench::{CONSUMER_KEY, CONSUMER_SECRET};
use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer, Verifier};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_redis::RedisNonceStore;
use oauth1_testkit::redis_server::RedisServer;

const CONNECTIONS: usize = 4;
const PER_CONNECTION: usize = 1_000;
const PUBLIC: &str = "http://api.example.test";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let redis = RedisServer::start();
    println!(
        "{CONNECTIONS} connections × {PER_CONNECTION} verified GET /api/echo each, HMAC-SHA1, loopback"
    );
    println!("| instances | nonce store | requests/s | p50 | p99 |");
    println!("|---|---|---|---|---|");
    for (instances, store) in [(1, "memory"), (2, "memory"), (1, "redis"), (2, "redis")] {
        let providers: Vec<Provider> = (0..instances)
            .map(|_| {
                let mut config = ProviderConfig::new()
                    .client(CONSUMER_KEY, CONSUMER_SECRET)
                    .verifier(Verifier::new().timestamp_window(3600))
                    .max_connections(64)
                    .public_origin(PUBLIC)?;
                if store == "redis" {
                    config = config.nonce_store(
                        RedisNonceStore::new(&redis.url())?.timeout(Duration::from_secs(1)),
                    );
                }
                Ok(Provider::start_blocking(config)?)
            })
            .collect::<Result<_, Box<dyn std::error::Error>>>()?;
        let (rate, mut latencies) = run(&providers)?;
        latencies.sort();
        let at = |q: f64| {
            let i = ((latencies.len() as f64 - 1.0) * q).round() as usize;
            latencies.get(i).copied().unwrap_or_default()
        };
        println!(
            "| {instances} | {store} | {rate:.0} | {:.0} µs | {:.0} µs |",
            at(0.50).as_secs_f64() * 1e6,
            at(0.99).as_secs_f64() * 1e6
        );
    }
    Ok(())
}

/// Sends the load; returns requests per second and every request's latency.
fn run(providers: &[Provider]) -> Result<(f64, Vec<Duration>), Box<dyn std::error::Error>> {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new(CONSUMER_KEY, CONSUMER_SECRET),
        None,
    )?;
    let url = format!("{PUBLIC}/api/echo?count=20");
    let batches: Vec<(String, Vec<String>)> = (0..CONNECTIONS)
        .map(|c| {
            let base = providers[c % providers.len()].url();
            let batch = (0..PER_CONNECTION)
                .map(|_| {
                    let nonce = oauth1_core::client::nonce().unwrap_or_default();
                    signer
                        .sign(
                            &Request::new("GET", &url),
                            &nonce,
                            oauth1_core::client::timestamp_now(),
                        )
                        .map(|s| s.authorization().unwrap_or_default().to_string())
                        .unwrap_or_default()
                })
                .collect();
            (format!("{base}/api/echo?count=20"), batch)
        })
        .collect();
    let start = Instant::now();
    let handles: Vec<_> = batches
        .into_iter()
        .map(|(target, batch)| {
            std::thread::spawn(move || -> Result<Vec<Duration>, String> {
                let agent = ureq::Agent::new_with_defaults();
                let mut latencies = Vec::with_capacity(batch.len());
                for authorization in batch {
                    let sent = Instant::now();
                    let mut answer = agent
                        .get(&target)
                        .header("Authorization", &authorization)
                        .call()
                        .map_err(|e| e.to_string())?;
                    let _ = answer.body_mut().read_to_vec().map_err(|e| e.to_string())?;
                    if answer.status() != 200 {
                        return Err(format!("answered {}", answer.status()));
                    }
                    latencies.push(sent.elapsed());
                }
                Ok(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for handle in handles {
        latencies.extend(handle.join().map_err(|_| "a load thread panicked")??);
    }
    Ok((
        latencies.len() as f64 / start.elapsed().as_secs_f64(),
        latencies,
    ))
}
