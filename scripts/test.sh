#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (unit, conformance replay, end to end,
# third-party clients) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build && ctest --output-on-failure -j "$(nproc)" --timeout 900
