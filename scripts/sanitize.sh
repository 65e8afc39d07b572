#!/usr/bin/env bash
# The C/C++ tests and the cookbook recipes (ctest) against an
# AddressSanitizer build: the library built by nightly cargo with
# -Zsanitizer=address, every C/C++ program with gcc's -fsanitize=address.
# gcc's runtime (libasan) serves the instrumented library too, so one
# runtime watches both sides. Leaks are reported too (LeakSanitizer);
# scripts/lsan.supp lists the few objects meant to live for the process.
#
# Installs what it needs on a fresh Debian machine: the nightly toolchain
# (rustup) and gcc's libasan (apt). Builds into build-asan/ and
# target/asan/, reused between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh

if ! rustup toolchain list | grep '^nightly' >/dev/null; then
  echo "sanitize: installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
if ! echo 'int main(void) { return 0; }' | gcc -fsanitize=address -x c - -o "$probe/a" 2>/dev/null; then
  echo "sanitize: installing gcc's AddressSanitizer runtime with apt-get"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  gcc_major=$(gcc -dumpversion | cut -d. -f1)
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "libgcc-${gcc_major}-dev" libasan8 >/dev/null
fi

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSAWMILL_SANITIZE=address \
  -DSAWMILL_CARGO_PROFILE=dev -DSAWMILL_TARGET_DIR="$PWD/target/asan" >/dev/null
cmake --build build-asan -j"$(nproc)"

# A check that checks: the library must carry ASan's instrumentation and the
# test programs must load gcc's runtime, or every test below proves nothing.
lib="target/asan/$(uname -m)-unknown-linux-gnu/debug/libsawmill.so"
if ! nm -D --undefined-only "$lib" | grep __asan_report_load >/dev/null; then
  echo "sanitize: $lib is not instrumented" >&2
  exit 1
fi
if ! ldd build-asan/ctests/hierarchy | grep libasan >/dev/null; then
  echo "sanitize: the test programs do not load libasan" >&2
  exit 1
fi

# halt_on_error: the first error fails the test. exitcode 23 marks an
# ASan/LSan report apart from a test's own failure.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:exitcode=23:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:detect_invalid_pointer_pairs=1"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0:exitcode=23"
ctest --test-dir build-asan --output-on-failure "$@"
