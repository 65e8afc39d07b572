#!/usr/bin/env bash
# Instructions per received record in `sawmill receive` (TCP, the cookbook
# receiver's format, a file with a 256 KiB buffer), counted by callgrind:
# exact and repeatable, unlike time on this shared machine. One C sender
# (SocketHandler, 64 KiB batches) sends N and then 2N records to two runs;
# the difference divided by N cancels start-up and exit. Also prints where
# the instructions of the larger run go (inclusive, per record).
#   bench/net_callgrind.sh [N]      (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
N=${1:-20000}
cargo build --quiet --release --lib --bin sawmill
BIN=bench/results/bin
mkdir -p "$BIN"
gcc -O2 -Wall -Wextra -Werror -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude bench/net_sender.c \
  -o "$BIN/net_sender" -Ltarget/release -lsawmill -Wl,-rpath,"$PWD/target/release" -lpthread
out=$(mktemp -d /dev/shm/sawmill-net-callgrind.XXXXXX)
trap 'rm -rf "$out"' EXIT
run() { # records -> total instructions of the receiver
  rm -f "$out/out.log" "$out/stdout"
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.$1" target/release/sawmill receive \
    --tcp 127.0.0.1:0 --file "$out/out.log" --buffer 262144 >"$out/stdout" 2>"$out/log" &
  local pid=$!
  until grep -q tcp= "$out/stdout" 2>/dev/null; do sleep 0.2; done
  local port
  port=$(sed -n 's/.*tcp=\([0-9]*\).*/\1/p' "$out/stdout")
  "$BIN/net_sender" "$port" "$1" 65536 >/dev/null
  until [ "$(wc -l <"$out/out.log" 2>/dev/null || echo 0)" -ge "$1" ]; do sleep 0.1; done
  kill -TERM "$pid"
  wait "$pid" || true
  sed -n 's/^==[0-9]*== Collected : //p' "$out/log"
}
small=$(run "$N")
large=$(run $((2 * N)))
echo "sawmill receive: $(((large - small) / N)) instructions per record"
cg="$out/cg.$((2 * N))"
per() { # function pattern -> inclusive instructions per record of the larger run
  callgrind_annotate --inclusive=yes "$cg" 2>/dev/null | grep -E "$1" | head -1 |
    awk -v n=$((2 * N)) '{gsub(",", "", $1); printf "%.0f", $1 / n}'
}
deliver=$(per 'receiver::deliver \[')
dispatch=$(per 'Logger::dispatch \[')
echo "per record, inclusive (run of $((2 * N)) records; the rest is reading the socket):"
echo "  $deliver  deliver: decode the frame, build the record, hand it to the logger"
echo "  $((deliver - dispatch))    of which decoding and building the record"
echo "  $(per 'converts::from_utf8 \[')     of which UTF-8 checks of the strings"
echo "  $dispatch  Logger::dispatch: the handler (filters, lock, format, write)"
echo "  $(per 'Formatter::format_pieces \[')  of which formatting"
echo "  $(per 'Sink>::emit \[')   of which the file sink's buffered write"
