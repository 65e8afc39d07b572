#!/usr/bin/env bash
# Builds libsawmill and the C examples with CMake, then runs the cookbook tour.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target cookbook_tour -j"$(nproc)"
exec ./build/examples/cookbook_tour
