#!/usr/bin/env bash
# Every test suite of sawmill, with all set-up on a fresh machine:
# style and lints, Rust unit tests, the CPython formatter differential test,
# the header drift check, the C/C++ tests and cookbook recipes (ctest), the
# same against an AddressSanitizer build, and a short run of every fuzz
# target (SAWMILL_FUZZ_SECONDS each, default 5; scripts/fuzz.sh for long runs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh --with-cbindgen

# Each step's time is printed when the next one starts (bash's SECONDS).
step_name=""
step_start=0
step() {
  [ -n "$step_name" ] && printf '    (%s: %d s)\n' "$step_name" $((SECONDS - step_start))
  step_name="$*"
  step_start=$SECONDS
  printf '\n==> %s\n' "$*"
}
step "cargo fmt --check";           cargo fmt --check
step "cargo clippy";                cargo clippy --quiet --all-targets -- -D warnings
step "cargo test";                  cargo test --quiet
step "header drift check";          bash scripts/check-header.sh
step "cmake build";                 cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
                                    cmake --build build -j"$(nproc)"
step "ctest";                       ctest --test-dir build --output-on-failure
step "python package (pytest)";    bash scripts/test-python.sh
step "ctest under AddressSanitizer"; bash scripts/sanitize.sh
step "cargo fmt --check (fuzz/)";   cargo fmt --check --manifest-path fuzz/Cargo.toml
step "cargo clippy (fuzz/)";        (cd fuzz && cargo +nightly clippy --quiet --all-targets \
                                      --target-dir target/clippy -- -D warnings)
step "fuzz targets";                bash scripts/fuzz.sh --fresh "${SAWMILL_FUZZ_SECONDS:-5}"
step "done"
printf '\nall test suites passed\n'
