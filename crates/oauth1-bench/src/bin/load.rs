//! `cargo run --release -p oauth1-bench --bin load`: a bounded loopback load against the embedded
//! provider, to measure what verification costs a server. The same number of requests, over the
//! same number of keep-alive connections, go to the protected `/api/echo` (verified: header
//! parsing, HMAC, nonce store) and to its unauthenticated twin `/public/echo`. Requests are signed
//! before the clock starts (each with its own nonce, as replay protection demands), so the client's
//! signing cost is not in the figures.

use std::time::Instant;

use oauth1_bench::{CONSUMER_KEY, CONSUMER_SECRET};
use oauth1_core::{ClientCredentials, Request, SignOptions, SignatureMethodName, Signer};
use oauth1_provider::{Provider, ProviderConfig};

const CONNECTIONS: usize = 4;
const PER_CONNECTION: usize = 2_500;
const ROUNDS: usize = 3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let provider = Provider::start_blocking(
        ProviderConfig::new()
            .client(CONSUMER_KEY, CONSUMER_SECRET)
            .timestamp_window(3600),
    )?;
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new(CONSUMER_KEY, CONSUMER_SECRET),
        None,
    )?;
    let protected = format!("{}?count=20&since_id=12345", provider.echo_url());
    let public = format!("{}?count=20&since_id=12345", provider.public_echo_url());

    println!("{CONNECTIONS} connections × {PER_CONNECTION} requests, best of {ROUNDS} rounds each");
    let mut best = [0f64; 2];
    for _ in 0..ROUNDS {
        for (i, url) in [&public, &protected].into_iter().enumerate() {
            // Fresh nonces every round: the provider remembers the ones it has seen.
            let batches: Vec<Vec<String>> = (0..CONNECTIONS)
                .map(|_| {
                    (0..PER_CONNECTION)
                        .map(|_| {
                            let nonce = oauth1_core::nonce().unwrap_or_default();
                            signer
                                .sign(
                                    &Request::new("GET", url),
                                    &SignOptions::new(),
                                    &nonce,
                                    oauth1_core::timestamp_now(),
                                )
                                .map(|s| s.authorization().unwrap_or_default().to_string())
                                .unwrap_or_default()
                        })
                        .collect()
                })
                .collect();
            let rate = run(url, batches)?;
            best[i] = best[i].max(rate);
        }
    }
    let [public_rate, protected_rate] = best;
    println!("unauthenticated /public/echo: {public_rate:>9.0} requests/s");
    println!("verified        /api/echo:    {protected_rate:>9.0} requests/s");
    println!(
        "verification costs {:.1} % of the loopback throughput",
        100.0 * (1.0 - protected_rate / public_rate)
    );
    Ok(())
}

/// Sends every batch on its own connection (thread); returns requests per second.
fn run(url: &str, batches: Vec<Vec<String>>) -> Result<f64, Box<dyn std::error::Error>> {
    let total: usize = batches.iter().map(Vec::len).sum();
    let start = Instant::now();
    let handles: Vec<_> = batches
        .into_iter()
        .map(|batch| {
            let url = url.to_string();
            std::thread::spawn(move || -> Result<(), String> {
                let agent = ureq::Agent::new_with_defaults();
                for authorization in batch {
                    let mut answer = agent
                        .get(&url)
                        .header("Authorization", &authorization)
                        .call()
                        .map_err(|e| e.to_string())?;
                    let _ = answer.body_mut().read_to_vec().map_err(|e| e.to_string())?;
                }
                Ok(())
            })
        })
        .collect();
    for handle in handles {
        handle.join().map_err(|_| "a load thread panicked")??;
    }
    Ok(total as f64 / start.elapsed().as_secs_f64())
}
