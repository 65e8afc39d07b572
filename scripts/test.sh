#!/usr/bin/env bash
# Every test suite of sawmill, with all set-up on a fresh machine:
# style and lints, Rust unit tests, the CPython formatter differential test,
# the header drift check, then the C/C++ tests and cookbook recipes (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh --with-cbindgen

step() { printf '\n==> %s\n' "$*"; }
step "cargo fmt --check";           cargo fmt --check
step "cargo clippy";                cargo clippy --quiet --all-targets -- -D warnings
step "cargo test";                  cargo test --quiet
step "header drift check";          bash scripts/check-header.sh
step "cmake build";                 cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
                                    cmake --build build -j"$(nproc)"
step "ctest";                       ctest --test-dir build --output-on-failure
printf '\nall test suites passed\n'
