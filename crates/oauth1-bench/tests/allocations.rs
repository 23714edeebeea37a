//! Heap allocations per `sign` with a reused signer: the performance issue's target is at most 1
//! (the buffer `Signed` keeps), and none with `Signer::sign_into` and a buffer the caller reuses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use oauth1_bench::{NONCE, TIMESTAMP, request_a, request_b, request_e, request_f, signer};
use oauth1_core::SignatureMethodName;
use oauth1_core::client::Extras;

/// Counts allocations made by the current thread (tests run in parallel threads).
struct Counting;

thread_local! {
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

#[allow(
    unsafe_code,
    reason = "a global allocator is the only way to count allocations"
)]
// SAFETY: every method forwards to `System` with the caller's arguments unchanged; counting
// touches a thread-local `Cell` only (no allocation, so no re-entrancy).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded as received.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded as received.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded as received.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations(f: impl FnOnce()) -> usize {
    let before = COUNT.with(Cell::get);
    f();
    COUNT.with(Cell::get) - before
}

#[test]
fn signing_request_a_with_a_reused_signer_allocates_once() {
    let signer = signer(SignatureMethodName::HmacSha1);
    let request = request_a();
    // Warm up (nothing lazy should remain, but be fair).
    drop(signer.sign(&request, NONCE, TIMESTAMP).unwrap());
    let n = allocations(|| {
        let signed = signer.sign(&request, NONCE, TIMESTAMP).unwrap();
        std::hint::black_box(&signed);
    });
    // One buffer for the base string, the signature, the URL and the header: nothing per
    // parameter.
    assert_eq!(n, 1, "allocations per sign of request (a)");
}

#[test]
fn a_form_body_does_not_add_allocations() {
    let signer = signer(SignatureMethodName::HmacSha1);
    let request = request_b();
    let n = allocations(|| {
        std::hint::black_box(signer.sign(&request, NONCE, TIMESTAMP).unwrap());
    });
    assert_eq!(
        n, 1,
        "allocations per sign of request (b), ten form parameters"
    );
}

#[test]
fn twelve_query_parameters_and_a_reserved_form_allocate_once() {
    let signer = signer(SignatureMethodName::HmacSha1);
    for (name, request) in [("(e)", request_e()), ("(f)", request_f())] {
        for signer in [signer.clone(), signer.clone().without_version()] {
            let n = allocations(|| {
                std::hint::black_box(signer.sign(&request, NONCE, TIMESTAMP).unwrap());
            });
            assert_eq!(n, 1, "allocations per sign of request {name}");
        }
    }
}

#[test]
fn signing_into_a_reused_buffer_allocates_nothing() {
    use oauth1_core::Placement;

    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
        SignatureMethodName::HmacSha512,
        SignatureMethodName::Plaintext,
    ] {
        let signer = signer(method);
        for request in [request_a(), request_b(), request_e(), request_f()] {
            for placement in [Placement::Header, Placement::Query, Placement::Body] {
                if placement == Placement::Body && request.body().is_none() {
                    continue;
                }
                let signer = signer.clone().with_placement(placement);
                let extras = Extras::new();
                let mut out = String::new();
                // The first call grows the buffer; from then on it is reused.
                signer
                    .sign_into(&request, &extras, NONCE, TIMESTAMP, &mut out)
                    .unwrap();
                let first = out.clone();
                let n = allocations(|| {
                    out.clear();
                    signer
                        .sign_into(&request, &extras, NONCE, TIMESTAMP, &mut out)
                        .unwrap();
                });
                assert_eq!(n, 0, "allocations per sign_into, {method} {placement:?}");
                assert_eq!(out, first);
                // What `sign` returns for the same placement.
                let signed = signer.sign(&request, NONCE, TIMESTAMP).unwrap();
                let expected = match placement {
                    Placement::Header => signed.authorization().unwrap(),
                    Placement::Query => signed.url(),
                    _ => signed.body().unwrap(),
                };
                assert_eq!(out, expected);
            }
        }
    }
}

/// What `verify` allocates is what a loaded provider pays for in malloc: at most 4 (issue 31),
/// asserted for each request the benchmark measures.
#[test]
fn verifying_allocations() {
    use oauth1_bench::{AcceptAll, Credentials};
    use oauth1_core::Verifier;

    let signer = signer(SignatureMethodName::HmacSha1);
    // With a key cache, once the key is in it (the call before the one counted), the same.
    for verifier in [Verifier::new(), Verifier::new().cache_keys(16)] {
        for (name, request) in [
            ("a", request_a()),
            ("b", request_b()),
            ("e", request_e()),
            ("f", request_f()),
        ] {
            let signed = signer.sign(&request, NONCE, TIMESTAMP).unwrap();
            let authorization = signed.authorization().unwrap().to_string();
            let verify = || {
                verifier
                    .verify(
                        &request,
                        Some(&authorization),
                        &Credentials,
                        &AcceptAll,
                        TIMESTAMP,
                    )
                    .unwrap()
            };
            drop(verify());
            let n = allocations(|| {
                std::hint::black_box(verify());
            });
            // 2 are the test credential store's (the secrets it returns as `String`s); 2 are the
            // returned `Verified` (one buffer for the base string and every text, one list of
            // parameter positions). The parsed header's parameters and the HMAC key are on the
            // stack (6 before, 22 before `Verified` kept its texts in one buffer).
            assert_eq!(
                n, 4,
                "allocations per verify of request ({name}), {verifier:?}"
            );
        }
    }
}
