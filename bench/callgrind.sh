#!/usr/bin/env bash
# Instructions per record on sawmill's hot path, counted by callgrind (exact
# and repeatable, unlike wall time on this machine): the difference between a
# run of 200k and one of 100k records, divided by 100k, so start-up and exit
# costs cancel. Workloads: buffered (file, 64 KiB buffer) and format_only.
#   bench/callgrind.sh [workload ...]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --quiet --release --lib
BIN=bench/results/bin
mkdir -p "$BIN"
gcc -O2 -Wall -Wextra -Werror -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude bench/bench_sawmill.c \
  -o "$BIN/bench_sawmill" -Ltarget/release -lsawmill -Wl,-rpath,"$PWD/target/release" -lpthread
out=$(mktemp -d /dev/shm/sawmill-callgrind.XXXXXX)
trap 'rm -rf "$out"' EXIT
count() { # workload records -> total instructions
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$BIN/bench_sawmill" "$1" "$2" "$out" \
    >/dev/null 2>"$out/log"
  sed -n 's/^==[0-9]*== Collected : //p' "$out/log"
}
for workload in "${@:-buffered format_only}"; do
  for w in $workload; do
    small=$(count "$w" 100000)
    large=$(count "$w" 200000)
    # Two decimals: the totals move by a few instructions from run to run,
    # which truncation to an integer could turn into a whole one.
    echo "$w: $(awk -v d=$((large - small)) 'BEGIN { printf "%.2f", d / 100000 }') instructions per record"
  done
done
