#!/usr/bin/env bash
# Installs dependencies, builds, and runs `renkei demo`: a region on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec build/apps/renkei demo "$@"
