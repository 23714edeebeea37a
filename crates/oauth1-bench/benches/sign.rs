//! `cargo bench -p oauth1-bench`: oauth1-core's `sign` and `verify` against the raw HMAC floor and
//! the `oauth1-request` crate, on the same requests, then scaling with parameters and body size.
//! The table printed at the end compares medians from this one run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use oauth1_bench::*;
use oauth1_core::server::InMemoryNonceStore;
use oauth1_core::{CredentialStore, Request, SignatureMethodName, Signer, Verifier};

fn bench_signer(method: SignatureMethodName) -> Signer {
    // oauth1-request leaves oauth_version out by default: sign the same parameters.
    signer(method).without_version()
}

/// What a group compares its `sign` with: our own row names, so the table can find them.
enum Floor {
    /// HMAC-SHA1: RustCrypto `hmac` + `sha1` and ring, both measured (the backend choice).
    Sha1,
    /// HMAC-SHA256: RustCrypto `hmac` + `sha2` and ring, both measured; the floor is the faster.
    Sha256,
    /// RSA-SHA256: ring's PKCS#1 v1.5 signature.
    Rsa,
}

/// One request, every contender.
fn request_group(
    c: &mut Criterion,
    group: &str,
    method: SignatureMethodName,
    request: &Request<'_>,
    peer: Option<&dyn Fn() -> String>,
) {
    let signer = bench_signer(method);
    let signed = signer.sign(request, NONCE, TIMESTAMP).unwrap();
    let base = signed.base_string().to_string();
    let authorization = signed.authorization().unwrap().to_string();
    if let Some(peer) = peer {
        // Same request, same nonce, timestamp and (absent) version: the same Authorization header
        // (up to parameter order and spacing, which carry no meaning), or the comparison is void.
        let theirs = peer();
        assert_eq!(
            header_params(&theirs),
            header_params(&authorization),
            "{group}: oauth1-request sent {theirs}, we sent {authorization}"
        );
    }
    let floor = match method {
        SignatureMethodName::HmacSha1 => Floor::Sha1,
        SignatureMethodName::HmacSha256 => Floor::Sha256,
        _ => Floor::Rsa,
    };
    let mut g = c.benchmark_group(group);
    g.bench_function("sign", |b| {
        b.iter(|| signer.sign(black_box(request), NONCE, TIMESTAMP).unwrap())
    });
    match floor {
        Floor::Sha1 => {
            let rustcrypto = Sha1Floor::new(hmac_key().as_bytes());
            g.bench_function("rustcrypto_hmac", |b| {
                b.iter(|| {
                    let mut out = String::with_capacity(28);
                    rustcrypto.sign(black_box(base.as_bytes()), &mut out);
                    out
                })
            });
            let ring_key = ring::hmac::Key::new(
                ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
                hmac_key().as_bytes(),
            );
            g.bench_function("ring", |b| {
                b.iter(|| {
                    let mut out = String::with_capacity(28);
                    ring_hmac(&ring_key, black_box(base.as_bytes()), &mut out);
                    out
                })
            });
        }
        Floor::Sha256 => {
            let rustcrypto = Sha256Floor::new(hmac_key().as_bytes());
            g.bench_function("rustcrypto_hmac", |b| {
                b.iter(|| {
                    let mut out = String::with_capacity(44);
                    rustcrypto.sign(black_box(base.as_bytes()), &mut out);
                    out
                })
            });
            let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, hmac_key().as_bytes());
            g.bench_function("ring", |b| {
                b.iter(|| {
                    let mut out = String::with_capacity(44);
                    ring_hmac(&ring_key, black_box(base.as_bytes()), &mut out);
                    out
                })
            });
        }
        Floor::Rsa => {
            let key = ring::rsa::KeyPair::from_pkcs8(&rsa_pkcs8_der()).unwrap();
            let rng = ring::rand::SystemRandom::new();
            g.bench_function("ring", |b| {
                b.iter(|| {
                    let mut sig = vec![0u8; key.public().modulus_len()];
                    key.sign(
                        &ring::signature::RSA_PKCS1_SHA256,
                        &rng,
                        black_box(base.as_bytes()),
                        &mut sig,
                    )
                    .unwrap();
                    data_encoding::BASE64.encode(&sig)
                })
            });
        }
    }
    if let Some(peer) = peer {
        g.bench_function("oauth1_request", |b| b.iter(peer));
    }
    let verifier = Verifier::new().allow_methods(SignatureMethodName::ALL);
    let rsa_credentials = RsaCredentials::new();
    let credentials: &dyn CredentialStore = match floor {
        Floor::Rsa => &rsa_credentials,
        _ => &Credentials,
    };
    // The same signed request again and again, with a nonce store that accepts everything; then
    // the same with `Verifier::cache_keys`, where every call after the first keys its HMAC from
    // the cache (RSA keys nothing per request: the same as `verify`).
    let cached = Verifier::new()
        .allow_methods(SignatureMethodName::ALL)
        .cache_keys(16);
    for (name, verifier) in [("verify", &verifier), ("verify_key_cache", &cached)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                verifier
                    .verify(
                        black_box(request),
                        Some(&authorization),
                        &credentials,
                        &AcceptAll,
                        TIMESTAMP,
                    )
                    .unwrap()
            })
        });
    }
    // RSA signing in the untimed setup (0.6 ms per fresh nonce) would stretch this row to minutes,
    // and the store's cost does not depend on the method: measured on the HMAC requests only.
    if !matches!(floor, Floor::Rsa) {
        // The real InMemoryNonceStore: every iteration verifies a request signed (untimed, in the
        // setup) with a fresh nonce of the same length. The clock advances one second every 1 000
        // requests, so with the 300 s window the store holds up to 300 000 live nonces: a provider
        // serving 1 000 requests/s.
        // The benchmark's one client stands for all of a provider's clients: the per-client
        // quota (100 000 by default, which this row passes within seconds) is raised to the
        // store's capacity.
        let store = InMemoryNonceStore::with_limits(1_000_000, 1_000_000);
        let mut i = 0u64;
        g.bench_function("verify_memory_store", |b| {
            b.iter_batched_ref(
                || {
                    i += 1;
                    let nonce = format!("{}{i:010}", &NONCE[..NONCE.len() - 10]);
                    let timestamp = TIMESTAMP + i / 1_000;
                    let signed = signer.sign(request, &nonce, timestamp).unwrap();
                    (signed.authorization().unwrap().to_string(), timestamp)
                },
                |(authorization, timestamp)| {
                    verifier
                        .verify(
                            black_box(request),
                            Some(authorization),
                            &credentials,
                            &store,
                            *timestamp,
                        )
                        .unwrap()
                },
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

fn requests(c: &mut Criterion) {
    let builder = oauth1_request_builder();
    let peer_a = || oauth1_request_a(&builder);
    request_group(
        c,
        "a_get_query_hmac_sha1",
        SignatureMethodName::HmacSha1,
        &request_a(),
        Some(&peer_a),
    );
    let peer_b = || oauth1_request_b(&builder);
    request_group(
        c,
        "b_post_form10_hmac_sha1",
        SignatureMethodName::HmacSha1,
        &request_b(),
        Some(&peer_b),
    );
    let peer_e = || oauth1_request_e(&builder);
    request_group(
        c,
        "e_get_query12_hmac_sha1",
        SignatureMethodName::HmacSha1,
        &request_e(),
        Some(&peer_e),
    );
    let peer_f = || oauth1_request_f(&builder);
    request_group(
        c,
        "f_post_form4_hmac_sha1",
        SignatureMethodName::HmacSha1,
        &request_f(),
        Some(&peer_f),
    );
    // oauth1-request 0.6 has no HMAC-SHA256 and signs RSA only with SHA-1: no peer for (c), (d).
    request_group(
        c,
        "c_get_query_hmac_sha256",
        SignatureMethodName::HmacSha256,
        &request_a(),
        None,
    );
    request_group(
        c,
        "d_get_query_rsa_sha256",
        SignatureMethodName::RsaSha256,
        &request_a(),
        None,
    );
}

fn scaling(c: &mut Criterion) {
    let signer = bench_signer(SignatureMethodName::HmacSha1);
    let mut g = c.benchmark_group("scaling_query_params");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for n in [1usize, 10, 100, 1_000, 10_000] {
        let url = url_with_params(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &url, |b, url| {
            let request = Request::new("GET", url);
            b.iter(|| signer.sign(&request, NONCE, TIMESTAMP).unwrap())
        });
    }
    g.finish();
    let mut g = c.benchmark_group("scaling_form_body_bytes");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for bytes in [1_000usize, 100_000, 1_000_000, 10_000_000] {
        let body = form_body(bytes);
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(bytes), &body, |b, body| {
            let request = Request::new("POST", B_URL).with_body(Some(FORM), body.as_bytes());
            b.iter(|| signer.sign(&request, NONCE, TIMESTAMP).unwrap())
        });
    }
    g.finish();
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    requests(&mut c);
    scaling(&mut c);
    c.final_summary();
    print_table();
}

/// Medians from this run (criterion's estimates.json), side by side, with the ratios the
/// performance targets are stated in.
fn print_table() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/criterion");
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(|t| std::path::PathBuf::from(t).join("criterion"))
        .filter(|d| d.exists())
        .unwrap_or(dir);
    let median = |group: &str, id: &str| -> Option<f64> {
        let text =
            std::fs::read_to_string(dir.join(group).join(id).join("new/estimates.json")).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        v["median"]["point_estimate"].as_f64()
    };
    let fmt = |ns: Option<f64>| {
        ns.map_or_else(
            || "—".to_string(),
            |ns| {
                if ns >= 1e6 {
                    format!("{:.2} ms", ns / 1e6)
                } else {
                    format!("{:.3} µs", ns / 1e3)
                }
            },
        )
    };
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "—".to_string(),
    };
    println!(
        "\n| request | sign | RustCrypto HMAC + Base64 | ring + Base64 | oauth1-request | verify | verify, key cache | verify, InMemoryNonceStore | sign / floor | oauth1-request / sign | verify / sign | verify (key cache) / sign | verify (store) / sign |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for group in [
        "a_get_query_hmac_sha1",
        "b_post_form10_hmac_sha1",
        "c_get_query_hmac_sha256",
        "d_get_query_rsa_sha256",
        "e_get_query12_hmac_sha1",
        "f_post_form4_hmac_sha1",
    ] {
        let sign = median(group, "sign");
        let rustcrypto = median(group, "rustcrypto_hmac");
        let ring = median(group, "ring");
        // The floor is the fastest primitive measured on this machine for this method.
        let floor = match (rustcrypto, ring) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let peer = median(group, "oauth1_request");
        let verify = median(group, "verify");
        let verify_store = median(group, "verify_memory_store");
        let verify_cached = median(group, "verify_key_cache");
        println!(
            "| {group} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            fmt(sign),
            fmt(rustcrypto),
            fmt(ring),
            fmt(peer),
            fmt(verify),
            fmt(verify_cached),
            fmt(verify_store),
            ratio(sign, floor),
            ratio(peer, sign),
            ratio(verify, sign),
            ratio(verify_cached, sign),
            ratio(verify_store, sign)
        );
    }
    for (group, sizes, unit) in [
        (
            "scaling_query_params",
            &[1usize, 10, 100, 1_000, 10_000][..],
            "params",
        ),
        (
            "scaling_form_body_bytes",
            &[1_000, 100_000, 1_000_000, 10_000_000][..],
            "bytes",
        ),
    ] {
        println!("\n| {unit} | sign | per unit |");
        println!("|---|---|---|");
        for &n in sizes {
            let m = median(group, &n.to_string());
            let per = m
                .map(|m| format!("{:.1} ns", m / n as f64))
                .unwrap_or_else(|| "—".into());
            println!("| {n} | {} | {per} |", fmt(m));
        }
    }
}
