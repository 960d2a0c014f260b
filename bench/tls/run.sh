#!/usr/bin/env bash
# The cost of mutual TLS (issue 5; budget: FindDocuments over mutual TLS with keep-alive
# >= 70 % of the plain run) and of access tickets. Loads a registry of N synthetic entries
# (bench_registry load), then measures ITI-18 FindDocuments (ObjectRef and LeafClass) with
# bench_tls at 1 and 16 connections against `renkei centre` on that store, once over plain
# HTTP (insecure loopback) and once over mutual TLS with certificates from `renkei ca`, both
# as the same facility (hospital 1 of the synthetic region: it sees its own entries of each
# patient). Then bench_tickets (ticket issue and verify per second). Prints a markdown table.
# A benchmark: prints figures, asserts none.
#
#   bench/tls/run.sh [--entries 100000] [--seconds 8] [--build-dir build] [--work-dir var/bench-tls]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ENTRIES=100000
SECONDS_PER_RUN=8
BUILD_DIR="$ROOT/build"
WORK="$ROOT/var/bench-tls"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --entries) ENTRIES="$2"; shift 2 ;;
    --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
    --build-dir) BUILD_DIR="$2"; shift 2 ;;
    --work-dir) WORK="$2"; shift 2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
RENKEI="$BUILD_DIR/apps/renkei"
BENCH="$BUILD_DIR/bench/registry/bench_registry"
CLIENT="$BUILD_DIR/bench/tls/bench_tls"
TICKETS="$BUILD_DIR/trust/bench_tickets"
FACILITY=1.2.392.100495.20.3.51.12410000017  # hospital 1 of bench/registry/synthetic_region.cc
CENTRE_PID=""
cleanup() { if [[ -n "$CENTRE_PID" ]]; then kill "$CENTRE_PID" 2>/dev/null || true; wait "$CENTRE_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT

rm -rf "$WORK" && mkdir -p "$WORK"
echo "loading $ENTRIES entries..." >&2
"$BENCH" load --data-dir "$WORK/data" --entries "$ENTRIES" > "$WORK/load.txt"
"$BENCH" patients --entries "$ENTRIES" --xml --out "$WORK/patients.txt"
"$RENKEI" ca init --dir "$WORK/ca" --name "bench region" > /dev/null
"$RENKEI" ca issue --dir "$WORK/ca" --facility 2.999.392.88.1 --name centre --ip 127.0.0.1 \
  --out "$WORK/centre" > /dev/null
"$RENKEI" ca issue --dir "$WORK/ca" --facility "$FACILITY" --name hospital-1 --client \
  --out "$WORK/client" > /dev/null

start_centre() {  # start_centre OUT_FILE --set ... ; sets CENTRE_PID and URL
  local out="$1"; shift
  "$RENKEI" centre --set "data_dir=$WORK/data" --set http.listen=127.0.0.1:0 \
    --set mllp.listen=127.0.0.1:0 --set log.level=warning "$@" > "$out" 2> "$out.err" &
  CENTRE_PID=$!
  for _ in $(seq 1 300); do grep -q '^ready' "$out" && break; sleep 0.1; done
  URL="$(awk '{print $3}' "$out")"
  [[ -n "$URL" ]] || { echo "centre did not start: $(cat "$out.err")" >&2; exit 1; }
}
stop_centre() { kill "$CENTRE_PID"; wait "$CENTRE_PID" 2>/dev/null || true; CENTRE_PID=""; }

declare -A R
for mode in plain tls; do
  if [[ $mode == plain ]]; then
    start_centre "$WORK/centre-$mode.out" --set tls.insecure_loopback=true \
      --set "registry.default_facility=$FACILITY"
    tls_args=()
  else
    start_centre "$WORK/centre-$mode.out" --set tls.insecure_loopback=false \
      --set "tls.cert=$WORK/centre.cert.pem" --set "tls.key=$WORK/centre.key.pem" \
      --set "tls.ca=$WORK/ca/ca.cert.pem" --set "tls.crl=$WORK/ca/ca.crl.pem"
    tls_args=(--cert "$WORK/client.cert.pem" --key "$WORK/client.key.pem" --ca "$WORK/ca/ca.cert.pem")
  fi
  sleep 2  # the centre's prewarm
  for kind in find-objectref find-leafclass; do
    "$BENCH" template --kind "$kind" --to "$URL/xds/registry" --out "$WORK/$kind.tpl"
    for c in 1 16; do
      R[$mode,$kind,$c]="$("$CLIENT" --url "$URL/xds/registry" --template "$WORK/$kind.tpl" \
        --values "$WORK/patients.txt" --connections "$c" --seconds "$SECONDS_PER_RUN" "${tls_args[@]}")"
      echo "$mode $kind $c: ${R[$mode,$kind,$c]}" >&2
    done
  done
  stop_centre
done

field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" <<< "$1"; }
echo "### Mutual TLS vs plain HTTP, $ENTRIES entries, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Host: $(nproc) cores; ${SECONDS_PER_RUN} s per run; bench_tls (Poco, one keep-alive connection per thread, same client both ways); load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| operation | connections | plain q/s | p50 / p99 ms | mutual TLS q/s | p50 / p99 ms | TLS / plain | answer bytes | failures |"
echo "|---|---|---|---|---|---|---|---|---|"
for kind in find-objectref find-leafclass; do
  for c in 1 16; do
    p="${R[plain,$kind,$c]}"; t="${R[tls,$kind,$c]}"
    pq=$(field "$p" qps); tq=$(field "$t" qps)
    ratio=$(awk -v a="$tq" -v b="$pq" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b }')
    echo "| ITI-18 FindDocuments $kind | $c | $pq | $(field "$p" p50_ms) / $(field "$p" p99_ms) | $tq | $(field "$t" p50_ms) / $(field "$t" p99_ms) | $ratio | $(field "$t" bytes) | $(( $(field "$p" failures) + $(field "$t" failures) )) |"
  done
done
echo
if [[ -x "$TICKETS" ]]; then
  echo "Access tickets (bench_tickets, ES256, one thread):"
  echo
  echo '```'
  "$TICKETS"
  echo '```'
fi
