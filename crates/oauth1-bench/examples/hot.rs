//! A fixed number of `sign`, `sign_into` (`into`) or `verify` calls on request (a) (or (b), (e), (f)), for instruction counts:
//!
//! ```sh
//! cargo build --release -p oauth1-bench --example hot
//! valgrind --tool=callgrind target/release/examples/hot sign 20000   # or: verify, sign-b, verify-e, cached-e, into-f, peer-e (oauth1-request), store …
//! callgrind_annotate callgrind.out.*
//! ```
//!
//! On a shared machine wall-clock times move by 10 % from run to run; instruction counts do not,
//! so small changes to the hot path are judged here first and confirmed with `cargo bench`.
//! (Under valgrind, SHA-1 runs its portable code: leave `sha1::compress` out of the comparison.)
//! `store` records `n` distinct nonce uses in an `InMemoryNonceStore` (read the inclusive count of
//! `check_and_insert`: the nonces are formatted before the loop).
#![allow(clippy::unwrap_used)]
use oauth1_bench::*;
use oauth1_core::client::Extras;
use oauth1_core::{SignatureMethodName, Verifier};
fn main() {
    let what = std::env::args().nth(1).unwrap_or_default();
    let n: usize = std::env::args()
        .nth(2)
        .map_or(1_000_000, |s| s.parse().unwrap());
    // oauth1-request leaves oauth_version out by default: sign the same parameters.
    let signer = signer(SignatureMethodName::HmacSha1).without_version();
    let request = match what.rsplit_once('-').map(|(_, r)| r) {
        Some("b") => request_b(),
        Some("e") => request_e(),
        Some("f") => request_f(),
        _ => request_a(),
    };
    let signed = signer.sign(&request, NONCE, TIMESTAMP).unwrap();
    let auth = signed.authorization().unwrap().to_string();
    // `cached-…`: verify with a key cache (`Verifier::cache_keys`); every call hits it.
    let verifier = match what.starts_with("cached") {
        true => Verifier::new().cache_keys(64),
        false => Verifier::new(),
    };
    let mut out = String::new();
    let builder = oauth1_request_builder();
    let peer = |request: &str| match request {
        "b" => oauth1_request_b(&builder),
        "e" => oauth1_request_e(&builder),
        "f" => oauth1_request_f(&builder),
        _ => oauth1_request_a(&builder),
    };
    if what == "store" {
        store(n);
        return;
    }
    let which = what.rsplit_once('-').map_or("a", |(_, r)| r);
    let t = std::time::Instant::now();
    for _ in 0..n {
        if what.starts_with("peer") {
            std::hint::black_box(peer(std::hint::black_box(which)));
        } else if what.starts_with("into") {
            out.clear();
            signer
                .sign_into(
                    std::hint::black_box(&request),
                    &Extras::new(),
                    NONCE,
                    TIMESTAMP,
                    &mut out,
                )
                .unwrap();
            std::hint::black_box(&out);
        } else if what.starts_with("sign") {
            std::hint::black_box(
                signer
                    .sign(std::hint::black_box(&request), NONCE, TIMESTAMP)
                    .unwrap(),
            );
        } else {
            std::hint::black_box(
                verifier
                    .verify(&request, Some(&auth), &Credentials, &AcceptAll, TIMESTAMP)
                    .unwrap(),
            );
        }
    }
    eprintln!("{what}: {:.1} ns", t.elapsed().as_nanos() as f64 / n as f64);
}

/// `n` distinct uses of one client and token, a thousand per second of timestamps, recorded in an
/// `InMemoryNonceStore` as a provider's verifier records them.
fn store(n: usize) {
    use oauth1_core::NonceStore as _;
    use oauth1_core::server::{InMemoryNonceStore, NonceUse};
    let nonces: Vec<String> = (0..n).map(|i| format!("{NONCE}{i:08}")).collect();
    let store = InMemoryNonceStore::new();
    let t = std::time::Instant::now();
    for (i, nonce) in nonces.iter().enumerate() {
        let second = TIMESTAMP + i as u64 / 1000;
        let nonce_use = NonceUse {
            consumer_key: CONSUMER_KEY,
            token: Some(TOKEN),
            timestamp: second,
            nonce,
            expires_at: second + 300,
            now: second,
        };
        assert_eq!(
            store.check_and_insert(std::hint::black_box(&nonce_use)),
            Ok(true)
        );
    }
    eprintln!("store: {:.1} ns", t.elapsed().as_nanos() as f64 / n as f64);
}
