#!/usr/bin/env bash
# JSON records: a record with four extras (str, int, float, bool) through
# sawmill.JSONFormatter beside spdlog with a JSON-shaped pattern (the values
# formatted into the message by fmt: spdlog has no per-call extras), to a
# file and format-only. Writes bench/results/json.md.
#   bench/json.sh           full run (1M records, 9 repetitions)
#   bench/json.sh --quick   smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
for pkg in libspdlog-dev libfmt-dev g++; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    echo "bench/json.sh: $pkg missing (bench/run.sh installs the peers)" >&2
    exit 1
  fi
done
cargo build --quiet --release --lib
BIN=bench/results/bin
mkdir -p "$BIN"
LIB=target/release
gcc -O2 -Wall -Wextra -Werror -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude bench/bench_json.c \
  -o "$BIN/bench_json" -L"$LIB" -lsawmill -Wl,-rpath,"$PWD/$LIB"
g++ -O2 -Wall -Wextra -Werror -std=c++17 -DSPDLOG_COMPILED_LIB -DSPDLOG_FMT_EXTERNAL \
  bench/bench_json_spdlog.cpp -o "$BIN/bench_json_spdlog" $(pkg-config --libs spdlog) -lfmt -lpthread
exec python3 bench/run_json.py "$@"
