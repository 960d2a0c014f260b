#!/usr/bin/env bash
# PIX Manager benchmark (issue 3; architecture §8: PIXm $ihe-pix >= 10,000 queries/s):
# PIXm queries/s with p50/p99 at 1 and 16 connections against `renkei centre` with N
# patients, each next to its ceiling (nginx, one worker, serving the same answer as a static
# file, same wrk settings, same run), and ITI-8 feed messages/s over MLLP at 1 and 16
# connections. Prints one markdown table. A benchmark: prints figures, asserts none.
#
#   bench/pix/run.sh [--patients 1000000] [--duration 8s] [--connections "1 16"]
#                    [--feed-messages 20000] [--build-dir DIR] [--work-dir DIR] [--reuse]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../lib/ceiling.sh
source "$ROOT/bench/lib/ceiling.sh"
PATIENTS=1000000
DURATION=8s
CONNECTIONS="1 16"
FEED_MESSAGES=20000
BUILD_DIR="$ROOT/build"
WORK="$ROOT/var/bench-pix"
REUSE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --patients) PATIENTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --feed-messages) FEED_MESSAGES="$2"; shift 2 ;;
    --build-dir) BUILD_DIR="$2"; shift 2 ;;
    --work-dir) WORK="$2"; shift 2 ;;
    --reuse) REUSE=1; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
BENCH="$BUILD_DIR/bench/pix/bench_pix"
RENKEI="$BUILD_DIR/apps/renkei"
for bin in "$BENCH" "$RENKEI"; do
  [[ -x "$bin" ]] || { echo "run.sh: $bin missing; build with: ninja -C $BUILD_DIR bench_pix renkei" >&2; exit 2; }
done
require_tools wrk nginx curl python3

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
D="$WORK/p$PATIENTS"
LOG="$WORK/wrk.log"
: > "$LOG"
CENTRE_PID=""
NGINX_PID=""
cleanup() { stop_pid "$CENTRE_PID"; CENTRE_PID=""; stop_pid "$NGINX_PID"; NGINX_PID=""; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $REUSE -eq 1 && -s "$D/load.txt" ]]; then
  echo "== reusing $D" >&2
else
  rm -rf "$D"; mkdir -p "$D/data"
  echo "== loading $PATIENTS patients into $D/data" >&2
  "$BENCH" load --data-dir "$D/data" --patients "$PATIENTS" > "$D/load.txt"
fi
LOAD_LINE="$(grep '^load ' "$D/load.txt")"
eval "$(sed 's/^load //' <<<"$LOAD_LINE")"  # patients= seconds= feeds_per_s= region= hosp_a= hosp_b=
LOAD_S=$seconds; LOAD_RATE=$feeds_per_s
"$BENCH" sources --patients "$PATIENTS" --out "$D/sources.txt"
TARGET="urn%3Aoid%3A$hosp_b"

"$RENKEI" centre --set "data_dir=$D/data" --set http.listen=127.0.0.1:0 \
  --set mllp.listen=127.0.0.1:0 --set tls.insecure_loopback=true \
  --set "pix.regional_domain.oid=$region" --set log.level=warning \
  >"$D/centre.out" 2>"$D/centre.err" &
CENTRE_PID=$!
wait_ready "$D/centre.out" "$D/centre.err" "$CENTRE_PID"
URL="$(grep -m1 '^ready centre ' "$D/centre.out" | awk '{print $3}')"
MLLP_PORT="$(grep -m1 '^ready centre ' "$D/centre.out" | awk '{print $4}' | sed 's/.*://')"
[[ -n "$URL" ]] || { echo "run.sh: centre not ready" >&2; exit 1; }

# The ceiling serves the exact bytes of one PIXm answer.
start_nginx "$WORK/nginx" "application/fhir+json"
FIRST="$(head -1 "$D/sources.txt")"
mkdir -p "$WORK/nginx/root/fhir/Patient"
curl -sf -o "$WORK/nginx/root/fhir/Patient/\$ihe-pix" \
  "$URL/fhir/Patient/\$ihe-pix?sourceIdentifier=$FIRST&targetSystem=$TARGET"
BYTES=$(stat -c %s "$WORK/nginx/root/fhir/Patient/\$ihe-pix")

DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
{
  echo "### PIX Manager, $PATIENTS patients, $DATE"
  echo
  echo "Host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); wrk duration $DURATION; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| operation | connections | per s | p50 ms | p99 ms | response bytes | nginx per s | fraction of ceiling | failures |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for c in $CONNECTIONS; do
    wrk_run "$URL" "$c" "$HERE/pixm.lua" "$D/sources.txt" "$TARGET"
    Q=$R_QPS; P50=$R_P50; P99=$R_P99; F=$R_FAIL
    wrk_run "http://127.0.0.1:$NGINX_PORT" "$c" "$HERE/pixm.lua" "$D/sources.txt" "$TARGET"
    echo "| PIXm \$ihe-pix (GET) | $c | $Q | $P50 | $P99 | $BYTES | $R_QPS | $(( 100 * Q / R_QPS )) % | $F |"
  done
  FIRST_NEW=$((PATIENTS + 1000000))
  for c in $CONNECTIONS; do
    line="$("$BENCH" feed --port "$MLLP_PORT" --messages "$FEED_MESSAGES" --connections "$c" --first "$FIRST_NEW")"
    FIRST_NEW=$((FIRST_NEW + FEED_MESSAGES))
    eval "$(sed 's/^feed //' <<<"$line")"
    echo "| ITI-8 ADT^A01 over MLLP (new patient, 2 ids) | $c | $msgs_per_s | $p50_ms | $p99_ms | | | | $rejected |"
  done
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| load (bench_pix load, one transaction per feed) | $LOAD_S s, $LOAD_RATE feeds/s |"
  echo "| identities.sqlite | $(du -m "$D/data/identities.sqlite" | cut -f1) MB |"
} | tee "$WORK/results.md"
