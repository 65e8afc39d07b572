#!/usr/bin/env bash
# Network benchmark (issue 11): receiver ingest from 4 local senders,
# sawmill receive against CPython's cookbook receiver, and the
# SocketHandler cost per record beside CPython's. Writes
# bench/results/net.md.   bench/net.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --quiet --release --lib --bin sawmill
BIN=bench/results/bin
mkdir -p "$BIN"
LIB=target/release
gcc -O2 -Wall -Wextra -Werror -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude bench/net_sender.c \
  -o "$BIN/net_sender" -L"$LIB" -lsawmill -Wl,-rpath,"$PWD/$LIB" -lpthread
exec python3 bench/net_run.py "$BIN" "$LIB/sawmill" "$@"
