//! `cargo run --release -p oauth1-bench --bin load`: a bounded loopback load against the embedded
//! provider, to measure what verification costs a server. The same number of requests, over the
//! same number of keep-alive connections, go to the protected `/api/echo` (verified: header
//! parsing, HMAC, nonce store) and to its unauthenticated twin `/public/echo`. Requests are signed
//! before the clock starts (each with its own nonce, as replay protection demands), so the client's
//! signing cost is not in the figures.
//!
//! `-- --cache-keys N` verifies with `Verifier::cache_keys(N)` (every request is the same client's,
//! so every verification after the first keys its HMAC from the cache).

use std::time::Instant;

use oauth1_bench::{CONSUMER_KEY, CONSUMER_SECRET};
use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer, Verifier};
use oauth1_provider::{Provider, ProviderConfig};

const CONNECTIONS: usize = 4;
const PER_CONNECTION: usize = 2_500;
const ROUNDS: usize = 9;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut verifier = Verifier::new().timestamp_window(3600);
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => {}
        (Some("--cache-keys"), Some(n)) => {
            verifier = verifier.cache_keys(n.parse()?);
            println!("verifying with Verifier::cache_keys({n})");
        }
        _ => return Err("usage: load [--cache-keys N]".into()),
    }
    let provider = Provider::start_blocking(
        ProviderConfig::new()
            .client(CONSUMER_KEY, CONSUMER_SECRET)
            .verifier(verifier),
    )?;
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new(CONSUMER_KEY, CONSUMER_SECRET),
        None,
    )?;
    let protected = format!("{}?count=20&since_id=12345", provider.echo_url());
    let public = format!("{}?count=20&since_id=12345", provider.public_echo_url());

    println!(
        "{CONNECTIONS} connections × {PER_CONNECTION} requests per round, {ROUNDS} rounds per route, \
         the routes alternating"
    );
    // The server thread names itself once running: look it up after the first round's requests.
    let mut server_thread = None;
    let mut rates: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut cpu: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for round in 0..2 * ROUNDS {
        // Alternate which route goes first, so that neither always runs on a warmer (or busier)
        // machine.
        let i = (round + round / 2) % 2;
        let url = [&public, &protected][i];
        // Fresh nonces every round: the provider remembers the ones it has seen.
        let batches: Vec<Vec<String>> = (0..CONNECTIONS)
            .map(|_| {
                (0..PER_CONNECTION)
                    .map(|_| {
                        let nonce = oauth1_core::client::nonce().unwrap_or_default();
                        signer
                            .sign(
                                &Request::new("GET", url),
                                &nonce,
                                oauth1_core::client::timestamp_now(),
                            )
                            .map(|s| s.authorization().unwrap_or_default().to_string())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        let total = batches.iter().map(Vec::len).sum::<usize>() as f64;
        if server_thread.is_none() {
            server_thread = find_server_thread();
        }
        let before = server_thread.as_deref().and_then(cpu_ns);
        let rate = run(url, batches)?;
        let after = server_thread.as_deref().and_then(cpu_ns);
        if let Some(r) = rates.get_mut(i) {
            r.push(rate);
        }
        if let (Some(before), Some(after), Some(c)) = (before, after, cpu.get_mut(i)) {
            c.push(after.saturating_sub(before) as f64 / total);
        }
    }
    let [public_rates, protected_rates] = rates;
    let (public_rate, protected_rate) = (median(public_rates), median(protected_rates));
    println!("unauthenticated /public/echo: {public_rate:>9.0} requests/s (median)");
    println!("verified        /api/echo:    {protected_rate:>9.0} requests/s (median)");
    println!(
        "verification costs {:.1} % of the loopback throughput",
        100.0 * (1.0 - protected_rate / public_rate)
    );
    let [public_cpu, protected_cpu] = cpu;
    if !public_cpu.is_empty() && !protected_cpu.is_empty() {
        // The wall-clock rates above share two cores with the load generator and move a lot from
        // run to run; the server thread's own CPU time per request is what bounds its throughput.
        let (public_cpu, protected_cpu) = (median(public_cpu), median(protected_cpu));
        println!(
            "server thread CPU per request: /public/echo {:.2} µs, /api/echo {:.2} µs (medians)",
            public_cpu / 1e3,
            protected_cpu / 1e3
        );
        println!(
            "verification costs {:.2} µs of server CPU per request: {:.1} % of the server's throughput",
            (protected_cpu - public_cpu) / 1e3,
            100.0 * (1.0 - public_cpu / protected_cpu)
        );
    }
    Ok(())
}

/// The provider's server thread (Linux: `/proc/self/task/*/comm`), to read its CPU time.
fn find_server_thread() -> Option<std::path::PathBuf> {
    std::fs::read_dir("/proc/self/task")
        .ok()?
        .flatten()
        .find_map(|task| {
            let comm = std::fs::read_to_string(task.path().join("comm")).ok()?;
            (comm.trim() == "oauth1-provider").then(|| task.path())
        })
}

/// CPU time a thread has run, in nanoseconds (the first field of `schedstat`).
fn cpu_ns(task: &std::path::Path) -> Option<u64> {
    std::fs::read_to_string(task.join("schedstat"))
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates.get(rates.len() / 2).copied().unwrap_or_default()
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
