#!/usr/bin/env bash
# The issue's full count for the QueueHandler test: 4 threads x 1,000,000
# records into 1,024 slots with a slow handler, for every overflow policy,
# in a release build (the test command runs 50,000 per thread in debug).
set -euo pipefail
cd "$(dirname "$0")/.."
SAWMILL_QUEUE_RECORDS=${SAWMILL_QUEUE_RECORDS:-1000000} \
  cargo test --release --test queue_async -- --nocapture --test-threads 1
