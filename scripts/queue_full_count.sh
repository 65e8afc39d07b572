#!/usr/bin/env bash
# The issue's full count for the QueueHandler tests: 4 threads x 1,000,000
# records into 1,024 slots with a slow handler, for every overflow policy,
# in a release build (the test command runs 50,000 per thread for the Rust
# API's shared queue and 20,000 per thread for the C macros' deferred path).
#   1. the Rust API (shared queue): tests/queue_async.rs
#   2. the C macros' deferred path (per-thread rings): ctests/queue_deferred_storm.c
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
RECORDS=${SAWMILL_QUEUE_RECORDS:-1000000}
SAWMILL_QUEUE_RECORDS=$RECORDS \
  cargo test --release --test queue_async -- --nocapture --test-threads 1
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target queue_deferred_storm >/dev/null
SAWMILL_QUEUE_RECORDS=$RECORDS build/ctests/queue_deferred_storm
