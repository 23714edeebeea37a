//! Runs every fuzz target's body (`src/lib.rs`) over its committed seed corpus
//! (`fuzz/seeds/<target>`), so the invariants the fuzzers check also hold in `cargo test` (run
//! inside fuzz/).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

fn run(target: &str, f: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        f(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count > 0, "no seeds in {}", dir.display());
}

#[test]
fn header_seeds() {
    run("header", oauth1_fuzz::header);
}

#[test]
fn verify_seeds() {
    run("verify", oauth1_fuzz::verify);
}

#[test]
fn sign_seeds() {
    run("sign", oauth1_fuzz::sign);
}

#[test]
fn base_string_seeds() {
    run("base_string", oauth1_fuzz::base_string);
}

#[test]
fn token_response_seeds() {
    run("token_response", oauth1_fuzz::token_response);
}
