#!/usr/bin/env bash
# Issue 32: the edge. oauth1-core and oauth1-reqwest on wasm32-unknown-unknown, tested for real
# under Node.js with wasm-bindgen-test: the core's vectors (crates/oauth1-core/tests/wasm.rs), and
# signed requests from the wasm client to `oauth1 serve` on 127.0.0.1, which this script starts and
# stops (crates/oauth1-reqwest/tests/wasm.rs); the Worker example builds. Run by .ci/run; needs
# node and wasm-bindgen-test-runner at the lockfile's wasm-bindgen version (.ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
WASM=wasm32-unknown-unknown
EDGE_FEATURES=getrandom,http,sha1,sha2

# A library user on this target enables getrandom's JavaScript backend (docs/edge.md), as here.
cargo build --locked --target "$WASM" -p oauth1-core --no-default-features --features "$EDGE_FEATURES,getrandom/wasm_js"
cargo build --locked --target "$WASM" -p oauth1-reqwest -p edge-worker-example
cargo test --locked --target "$WASM" -p oauth1-core --no-default-features --features "$EDGE_FEATURES" --test wasm

cargo build --locked -p oauth1-cli
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
out=$(mktemp)
"$target/debug/oauth1" serve --client ck=cs --token tk=ts@ck >"$out" 2>/dev/null &
serve=$!
trap 'kill "$serve" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do
    grep -q '^listening on ' "$out" && break
    sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$out")
[ -n "$url" ] || { echo "oauth1 serve did not start" >&2; exit 1; }
echo "oauth1 serve at $url"
OAUTH1_SERVE_URL="$url" cargo test --locked --target "$WASM" -p oauth1-reqwest --test wasm
