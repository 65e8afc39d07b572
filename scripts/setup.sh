#!/usr/bin/env bash
# Installs what building and testing sawmill needs on a fresh Debian machine
# with the Rust toolchain and python3: cmake (apt) and the pinned cbindgen
# (cargo). Idempotent and quiet when everything is present.
set -euo pipefail

need_apt=()
command -v cmake >/dev/null 2>&1 || need_apt+=(cmake)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
# Recipe 16 (CommandHandler) speaks through espeak-ng.
command -v espeak-ng >/dev/null 2>&1 || need_apt+=(espeak-ng)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} with apt-get"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "${1:-}" = "--with-cbindgen" ] && [ "$(cbindgen --version 2>/dev/null)" != "cbindgen 0.27.0" ]; then
  echo "setup: installing cbindgen 0.27.0 with cargo"
  cargo install --quiet cbindgen --version 0.27.0 --locked
fi
