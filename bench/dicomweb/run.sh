#!/usr/bin/env bash
# DICOMweb at a `renkei node` against Orthanc with its DICOMweb plugin (Debian's orthanc and
# orthanc-dicomweb), on the same data and machine, with the shared kit
# ../shared/bench/dicomweb (dataset.sh, bench.sh, probe.sh): STOW instances/s, QIDO q/s at 1
# and 8 connections, WADO-RS instance/frame/series MB/s, metadata q/s, peak RSS. And the
# WADO ceiling: nginx (one worker) serving the same instance files at 8 connections.
# Prints one table with the Renkei / Orthanc ratio of each row; raw TSVs in var/bench-dicomweb.
#
# usage: bench/dicomweb/run.sh        (build first: ninja -C build renkei)
#   N=20 (studies in the dataset), DURATION=10, SERVERS="renkei orthanc"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench/dicomweb}
# shellcheck source=../lib/ceiling.sh
source "$ROOT/bench/lib/ceiling.sh"
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
RENKEI=$BUILD_DIR/apps/renkei
OUT=${OUT_DIR:-$ROOT/var/bench-dicomweb}
export DATASET=${DATASET:-/tmp/dicomweb-bench/dataset}
export DURATION=${DURATION:-10}
N=${N:-20}
SERVERS=${SERVERS:-renkei orthanc}
require_tools wrk nginx curl python3 dump2dcm
[[ -x "$KIT/bench.sh" ]] || { echo "run.sh: no kit at $KIT" >&2; exit 2; }
[[ -x "$RENKEI" ]] || { echo "run.sh: $RENKEI missing; ninja -C $BUILD_DIR renkei" >&2; exit 2; }
mkdir -p "$OUT"
[[ -f "$DATASET/manifest.tsv" ]] || "$KIT/dataset.sh" "$N" "$DATASET"

for server in $SERVERS; do
  rm -f "$OUT/$server.tsv"
  case $server in
    renkei)
      rm -rf "$OUT/renkei-data"
      "$RENKEI" node --set data_dir="$OUT/renkei-data" --set http.listen=127.0.0.1:0 \
        --set tls.insecure_loopback=true --set registry.url=http://127.0.0.1:9/xds/registry \
        --set log.level=warning > "$OUT/renkei.out" 2> "$OUT/renkei.err" &
      PID=$!
      wait_ready "$OUT/renkei.out" "$OUT/renkei.err" "$PID" node
      URL="$(awk '/^ready node/ { print $3 }' "$OUT/renkei.out")/dicomweb"
      SERVER_PID=$PID OUT="$OUT/renkei.tsv" "$KIT/bench.sh" "$URL" > /dev/null
      "$KIT/probe.sh" "$URL" > "$OUT/renkei.probe.tsv" 2> /dev/null || true
      stop_pid "$PID"
      ;;
    orthanc)
      "$KIT/orthanc.sh" start > /dev/null
      SERVER_PID=$("$KIT/orthanc.sh" pid) OUT="$OUT/orthanc.tsv" \
        "$KIT/bench.sh" http://127.0.0.1:18042/dicom-web > /dev/null
      "$KIT/probe.sh" http://127.0.0.1:18042/dicom-web > "$OUT/orthanc.probe.tsv" 2> /dev/null || true
      "$KIT/orthanc.sh" stop > /dev/null
      ;;
  esac
done

# ---- ceiling: nginx serving the dataset's instance files, 8 connections (as wado_instance) ----
NGX="$OUT/nginx"
start_nginx "$NGX" "application/dicom"
awk -F'\t' 'NR > 1 { print $1 }' "$DATASET/manifest.tsv" | while read -r f; do
  mkdir -p "$NGX/root/$(dirname "$f")"
  ln -sf "$DATASET/$f" "$NGX/root/$f"
done
awk -F'\t' 'NR > 1 { print "/" $1 }' "$DATASET/manifest.tsv" > "$NGX/paths"
BENCH_PATHS="$NGX/paths" BENCH_NAME=nginx_instance BENCH_CONC=8 \
  wrk -t 2 -c 8 -d "${DURATION}s" --timeout 60s -s "$KIT/lib/paths.lua" \
  "http://127.0.0.1:$NGINX_PORT" | grep '^nginx_instance' > "$OUT/nginx.tsv" || true
stop_pid "$NGINX_PID"

python3 "$ROOT/bench/dicomweb/compare.py" "$OUT"
