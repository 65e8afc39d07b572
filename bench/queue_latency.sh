#!/usr/bin/env bash
# Async logging: sawmill's QueueHandler beside spdlog's async logger, run in
# one session. Latency: Quill's hot-path method (batches of 20 records timed
# together, BATCHES batches per thread with a 20 us pause), 1 and 4 threads,
# p50/p90/p99/p99.9/max per record in ns. Throughput: RECORDS records into a
# file, drained, 1 and 4 threads. Prints the figures.
#   bench/queue_latency.sh [BATCHES] [RECORDS]   (defaults 50000 and 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
BATCHES=${1:-50000}
RECORDS=${2:-2000000}
for pkg in libspdlog-dev libfmt-dev g++; do
  dpkg -s "$pkg" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
done
cargo build --quiet --release --lib
BIN=bench/results/bin
mkdir -p "$BIN"
LIB=target/release
gcc -O2 -Wall -Wextra -Werror -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude \
  bench/queue_latency_sawmill.c -o "$BIN/queue_latency_sawmill" \
  -L"$LIB" -lsawmill -Wl,-rpath,"$PWD/$LIB" -lpthread
g++ -O2 -Wall -Wextra -Werror -std=c++17 -DSPDLOG_COMPILED_LIB -DSPDLOG_FMT_EXTERNAL \
  bench/queue_latency_spdlog.cpp -o "$BIN/queue_latency_spdlog" $(pkg-config --libs spdlog) -lfmt -lpthread
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for threads in 1 4; do
  "$BIN/queue_latency_sawmill" latency "$threads" "$BATCHES" "$OUT"
  "$BIN/queue_latency_spdlog" latency "$threads" "$BATCHES" "$OUT"
done
for threads in 1 4; do
  "$BIN/queue_latency_sawmill" throughput "$threads" "$RECORDS" "$OUT"
  "$BIN/queue_latency_spdlog" throughput "$threads" "$RECORDS" "$OUT"
done
