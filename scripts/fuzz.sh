#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS each (default 600) and
# prints the executions per target. Fails if any target finds a crash; the
# input is kept in fuzz/artifacts/<target>/ and the last lines of the run's
# log are printed (full log: fuzz/logs/<target>.log).
#
#   scripts/fuzz.sh [--fresh] [--keep-going] [SECONDS] [TARGET...]
#
# Every target unless some are named. --fresh starts from the seeds alone
# in a temporary corpus (the test command uses it: a run's length does not
# grow with the kept corpus) and a fixed random seed, so the test command
# replays the same mutations each run; long runs draw a new seed each time.
# SAWMILL_FUZZ_SANITIZER=none builds without AddressSanitizer (several
# times the executions per second, for the long runs; the Rust code is
# still built with debug assertions, and the C shim without ASan) into its
# own target dir, so the ASan build the test command uses stays warm.
# SAWMILL_FUZZ_RUNS=N stops each target after N executions (or SECONDS,
# whichever comes first): the long runs ask for 10000000.
# --keep-going runs each target in libFuzzer's
# fork mode and goes on after a crash, hang or out-of-memory, so that one
# run collects every failing input in fuzz/artifacts/ (still a failure).
#
# Installs what it needs on a fresh machine: the nightly toolchain (rustup)
# and cargo-fuzz (crates.io). The corpus each run grows is kept in
# fuzz/corpus/<target>/ (not committed); the checked-in seeds in
# fuzz/seeds/<target>/ are read on every run. A target is a file in
# fuzz/fuzz_targets/ plus a [[bin]] entry in fuzz/Cargo.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

fresh=""
keep_going=()
seed=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fresh) fresh=$(mktemp -d); trap 'rm -rf "$fresh"' EXIT; seed=(-seed=1) ;;
    --keep-going) keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1) ;;
    *) break ;;
  esac
  shift
done
seconds="${1:-600}"
shift || true
case "$seconds" in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [--fresh] [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

if ! rustup toolchain list | grep '^nightly' >/dev/null; then
  echo "fuzz: installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install --quiet cargo-fuzz --locked
fi

cd fuzz
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

# -a: debug assertions (integer overflow panics) in the library too.
# cargo-fuzz instruments the Rust code with ASan; CFLAGS does the same for
# the C shim (gcc's instrumentation, served by the Rust runtime).
sanitizer="${SAWMILL_FUZZ_SANITIZER:-address}"
case "$sanitizer" in
  address) build=(-a)
           export CFLAGS="${CFLAGS:-} -fsanitize=address -fno-omit-frame-pointer" ;;
  none) build=(-a -s none --target-dir target/no-sanitizer) ;;
  *) echo "fuzz: SAWMILL_FUZZ_SANITIZER is address or none" >&2; exit 2 ;;
esac
echo "fuzz: building ${#targets[@]} targets (sanitizer: $sanitizer)"
cargo +nightly fuzz build "${build[@]}" >/dev/null 2>logs.build || { cat logs.build >&2; exit 1; }

# Local time with DST changes, so datefmt and asctime see both.
export TZ="${TZ:-America/New_York}"
mkdir -p logs
failed=()
printf '%-18s %8s %12s %10s %8s  %s\n' target seconds executions exec/s corpus result
for t in "${targets[@]}"; do
  corpus="${fresh:-corpus}/$t"
  mkdir -p "$corpus" "artifacts/$t" "seeds/$t"
  log="logs/$t.log"
  # Inputs up to 4 KiB; a single allocation over 512 MB or 2 GB resident
  # is a failure (no allocation may be sized by input without a limit);
  # 10 s for one input is a hang.
  if cargo +nightly fuzz run "${build[@]}" "$t" "$corpus" "seeds/$t" -- \
      -max_total_time="$seconds" -max_len=4096 -timeout=10 \
      -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 \
      -artifact_prefix="artifacts/$t/" -runs="${SAWMILL_FUZZ_RUNS:--1}" \
      "${seed[@]}" "${keep_going[@]}" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ ${#keep_going[@]} -gt 0 ]; then
    # Fork mode's status line: "#N: cov: … exec/s: R oom/timeout/crash: a/b/c …"
    last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)
    execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
    rate=$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$last")
    bad=$(sed -nE 's/.*oom\/timeout\/crash: ([0-9]+\/[0-9]+\/[0-9]+).*/\1/p' <<<"$last")
    if [ -n "$bad" ] && [ "$bad" != "0/0/0" ]; then
      result="FAILED (oom/timeout/crash $bad)"
    fi
  fi
  [ "$result" = ok ] || failed+=("$t")
  size=$(find "$corpus" -type f | wc -l)
  printf '%-18s %8s %12s %10s %8s  %s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "$size" "$result"
done

if [ ${#failed[@]} -gt 0 ]; then
  for t in "${failed[@]}"; do
    printf '\n--- %s (fuzz/logs/%s.log) ---\n' "$t" "$t"
    grep -v '^#[0-9]' "logs/$t.log" | tail -60
  done
  echo "fuzz: crashes in: ${failed[*]}" >&2
  exit 1
fi
