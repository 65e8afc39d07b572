#!/usr/bin/env bash
# The Python package's tests (issue 14): a fresh venv, `pip install
# ./bindings/python` (which runs `cargo build --release --lib`; the repo's
# target/ dir is reused through CARGO_TARGET_DIR), then pytest on
# bindings/python/tests. The venv sees the system's site-packages for pytest
# and the build backend (scripts/setup.sh installs them), so nothing is
# downloaded here.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
# --without-pip: the system's pip (seen through the system site-packages)
# installs into the venv; making the venv takes a second instead of fifteen.
python3 -m venv --without-pip --system-site-packages "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-build-isolation \
  ./bindings/python
rm -rf bindings/python/build bindings/python/*.egg-info
# Run from outside the source tree, so `import sawmill` is the installed package.
cd "$venv"
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$OLDPWD/bindings/python/tests"
