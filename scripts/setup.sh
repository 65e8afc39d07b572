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
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)  # issue 13: ColorStreamHandler in a real terminal
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)  # issue 14: bindings/node (koffi)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)  # issue 11: the TLS tests make their certificates
# issue 14: the Python package's tests make a venv; Debian ships ensurepip in python3-venv.
python3 -c "import ensurepip" >/dev/null 2>&1 || need_apt+=(python3-venv)
# issue 14: the package's C extension (sawmill._speedups) compiles against Python.h.
[ -f "$(python3 -c 'import sysconfig; print(sysconfig.get_path("include"))')/Python.h" ] ||
  need_apt+=(python3-dev)
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

# Syslog daemons the syslog tests start on loopback: rsyslog from apt, and
# syslog-ng unpacked into a private folder (syslog-ng-core conflicts with
# rsyslog as a package; its library dependencies install normally).
if ! command -v rsyslogd >/dev/null 2>&1; then
  echo "setup: installing rsyslog with apt-get"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rsyslog >/dev/null
fi
SYSLOG_NG_DIR=${SAWMILL_SYSLOG_NG_DIR:-/opt/sawmill/syslog-ng}
if [ ! -x "$SYSLOG_NG_DIR/usr/sbin/syslog-ng" ]; then
  echo "setup: unpacking syslog-ng-core into $SYSLOG_NG_DIR"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libivykis0 libjson-c5 libnet1 \
    libpcre3 libwrap0 libglib2.0-0 libcap2 >/dev/null
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq syslog-ng-core >/dev/null 2>&1)
  $SUDO mkdir -p "$SYSLOG_NG_DIR"
  $SUDO dpkg -x "$tmp"/syslog-ng-core_*.deb "$SYSLOG_NG_DIR"
  rm -rf "$tmp"
fi
# issue 11: the SMTP handler's tests run a real SMTP server (aiosmtpd).
if ! python3 -c "import aiosmtpd" >/dev/null 2>&1; then
  echo "setup: installing aiosmtpd with pip"
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd==1.4.6
fi
# issue 14: koffi (version pinned by package-lock.json; its package ships the
# prebuilt native module) for the Node.js example, into bindings/node/node_modules.
node_dir="$(cd "$(dirname "$0")/.." && pwd)/bindings/node"
if [ ! -f "$node_dir/node_modules/koffi/package.json" ]; then
  echo "setup: installing koffi with npm"
  (cd "$node_dir" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
# issue 14: the Python package's tests (pytest; wheel lets pip build without
# downloading a backend) and its benchmark's peer (picologging).
if ! python3 -c "import pytest, wheel, setuptools, picologging, cffi, mypy" >/dev/null 2>&1; then
  echo "setup: installing pytest, wheel, setuptools, cffi, mypy and picologging with pip"
  python3 -m pip install --quiet --disable-pip-version-check pytest==9.2.0 wheel \
    "setuptools>=61" "cffi>=1.15" mypy==2.4.1 picologging==0.9.3
fi
