//! `cargo bench -p oauth1-bench`: oauth1-core's `sign` and `verify` against the raw HMAC floor and
//! the `oauth1-request` crate, on the same requests, then scaling with parameters and body size.
//! The table printed at the end compares medians from this one run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use oauth1_bench::*;
use oauth1_core::{Request, SignOptions, SignatureMethodName, Verifier};

fn options() -> SignOptions<'static> {
    // oauth1-request leaves oauth_version out by default: sign the same parameters.
    SignOptions::new().without_version()
}

/// One request, every contender.
fn request_group(
    c: &mut Criterion,
    group: &str,
    method: SignatureMethodName,
    request: &Request<'_>,
    peer: Option<&dyn Fn() -> String>,
) {
    let signer = signer(method);
    let signed = signer.sign(request, &options(), NONCE, TIMESTAMP).unwrap();
    let base = signed.base_string().to_string();
    if let Some(peer) = peer {
        // Same request, same nonce and timestamp: the same signature, or the comparison is void.
        assert_eq!(
            signature_in(&peer()),
            signature_in(signed.authorization().unwrap()),
            "{group}"
        );
    }
    let mut g = c.benchmark_group(group);
    g.bench_function("sign", |b| {
        b.iter(|| {
            signer
                .sign(black_box(request), &options(), NONCE, TIMESTAMP)
                .unwrap()
        })
    });
    match method {
        SignatureMethodName::HmacSha1 => {
            let floor = Sha1Floor::new(hmac_key().as_bytes());
            g.bench_function("hmac_floor", |b| {
                b.iter(|| {
                    let mut out = String::with_capacity(28);
                    floor.sign(black_box(base.as_bytes()), &mut out);
                    out
                })
            });
            let ring_key = ring::hmac::Key::new(
                ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
                hmac_key().as_bytes(),
            );
            g.bench_function("ring_hmac_sha1", |b| {
                b.iter(|| {
                    let mut out = String::with_capacity(28);
                    ring_hmac(&ring_key, black_box(base.as_bytes()), &mut out);
                    out
                })
            });
        }
        SignatureMethodName::HmacSha256 => {
            let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, hmac_key().as_bytes());
            g.bench_function("hmac_floor", |b| {
                b.iter(|| {
                    let mut out = String::with_capacity(44);
                    ring_hmac(&key, black_box(base.as_bytes()), &mut out);
                    out
                })
            });
        }
        _ => {
            let key = ring::rsa::KeyPair::from_pkcs8(&rsa_pkcs8_der()).unwrap();
            let rng = ring::rand::SystemRandom::new();
            g.bench_function("hmac_floor", |b| {
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
    if !method.is_rsa() {
        let verifier = Verifier::new().allow_methods(&SignatureMethodName::ALL);
        let authorization = signed.authorization().unwrap().to_string();
        g.bench_function("verify", |b| {
            b.iter(|| {
                verifier
                    .verify(
                        black_box(request),
                        Some(&authorization),
                        &Credentials,
                        &AcceptAll,
                        TIMESTAMP,
                    )
                    .unwrap()
            })
        });
    }
    g.finish();
}

fn requests(c: &mut Criterion) {
    let builder = oauth1_request_builder();
    request_group(
        c,
        "a_get_query_hmac_sha1",
        SignatureMethodName::HmacSha1,
        &request_a(),
        Some(&oauth1_request_a),
    );
    let peer_b = || oauth1_request_b(&builder);
    request_group(
        c,
        "b_post_form10_hmac_sha1",
        SignatureMethodName::HmacSha1,
        &request_b(),
        Some(&peer_b),
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
    let signer = signer(SignatureMethodName::HmacSha1);
    let mut g = c.benchmark_group("scaling_query_params");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for n in [1usize, 10, 100, 1_000, 10_000] {
        let url = url_with_params(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &url, |b, url| {
            let request = Request::new("GET", url);
            b.iter(|| signer.sign(&request, &options(), NONCE, TIMESTAMP).unwrap())
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
            b.iter(|| signer.sign(&request, &options(), NONCE, TIMESTAMP).unwrap())
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
        "\n| request | sign | HMAC floor | ring HMAC-SHA1 | oauth1-request | verify | sign / floor | oauth1-request / sign | verify / sign |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for group in [
        "a_get_query_hmac_sha1",
        "b_post_form10_hmac_sha1",
        "c_get_query_hmac_sha256",
        "d_get_query_rsa_sha256",
    ] {
        let sign = median(group, "sign");
        let floor = median(group, "hmac_floor");
        let peer = median(group, "oauth1_request");
        let verify = median(group, "verify");
        println!(
            "| {group} | {} | {} | {} | {} | {} | {} | {} | {} |",
            fmt(sign),
            fmt(floor),
            fmt(median(group, "ring_hmac_sha1")),
            fmt(peer),
            fmt(verify),
            ratio(sign, floor),
            ratio(peer, sign),
            ratio(verify, sign)
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
