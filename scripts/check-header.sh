#!/usr/bin/env bash
# Fails if include/sawmill.h differs from what the pinned cbindgen generates.
set -euo pipefail
cd "$(dirname "$0")/.."
want="cbindgen 0.27.0"
if [ "$(cbindgen --version 2>/dev/null)" != "$want" ]; then
  echo "check-header: need $want (cargo install cbindgen --version 0.27.0 --locked)" >&2
  exit 1
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cbindgen --quiet --config cbindgen.toml --crate sawmill --output "$tmp" .
if ! diff -u include/sawmill.h "$tmp"; then
  echo "check-header: include/sawmill.h is stale; regenerate it with:" >&2
  echo "  cbindgen --config cbindgen.toml --crate sawmill --output include/sawmill.h ." >&2
  exit 1
fi
echo "check-header: include/sawmill.h matches cbindgen"
