#!/usr/bin/env bash
# Installs everything Renkei needs to build, test and benchmark, from Debian 12 packages
# (and npm for the third-party test clients). Idempotent and non-interactive.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

PKGS=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libpoco-dev libssl-dev rapidjson-dev libpugixml-dev libdcmtk-dev dcmtk
  googletest libgtest-dev libgmock-dev libsqlite3-dev sqlite3 libzstd-dev
  curl libxml2-utils openssl testssl.sh
  wrk nginx-light
)

# Node.js: Debian's nodejs + npm on a fresh machine; a machine that already has a Node.js
# bundling its own npm (nodesource) keeps it (the two packages conflict there).
if ! command -v node >/dev/null 2>&1; then PKGS+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then PKGS+=(npm); fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all Debian packages present"
fi

# Third-party test clients (npm), pinned in tests/clients/package.json.
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$here/tests/clients/package.json" ]; then
  if [ ! -d "$here/tests/clients/node_modules" ] || [ "$here/tests/clients/package.json" -nt "$here/tests/clients/node_modules" ]; then
    (cd "$here/tests/clients" && npm install --no-audit --no-fund --loglevel=error && touch node_modules)
  fi
fi
