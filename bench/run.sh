#!/usr/bin/env bash
# Side-by-side benchmarks: sawmill against spdlog, glog, log4c, a raw
# write(2) loop and CPython logging, all built with -O2 and run in one
# session. Writes bench/results/results.md and bench/results/chart.svg.
#   bench/run.sh           full run (1M records, 100M disabled calls, 5 reps)
#   bench/run.sh --quick   smoke run (fewer records and repetitions)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

missing=()
for pkg in libspdlog-dev libfmt-dev libgoogle-glog-dev liblog4c-dev g++; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo build --quiet --release --lib
BIN=bench/results/bin
mkdir -p "$BIN"
LIB=target/release
CFLAGS=(-O2 -Wall -Wextra -Werror)
gcc "${CFLAGS[@]}" -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude bench/bench_sawmill.c -o "$BIN/bench_sawmill" \
  -L"$LIB" -lsawmill -Wl,-rpath,"$PWD/$LIB" -lpthread
g++ "${CFLAGS[@]}" -std=c++17 -DSPDLOG_COMPILED_LIB -DSPDLOG_FMT_EXTERNAL bench/bench_spdlog.cpp \
  -o "$BIN/bench_spdlog" $(pkg-config --libs spdlog) -lfmt -lpthread
g++ -O2 -std=c++17 bench/bench_glog.cpp -o "$BIN/bench_glog" -lglog
gcc -O2 -Wall -std=gnu99 bench/bench_log4c.c -o "$BIN/bench_log4c" -llog4c
gcc "${CFLAGS[@]}" -std=gnu99 bench/bench_write.c -o "$BIN/bench_write"

exec python3 bench/run.py "$@"
