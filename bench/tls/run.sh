#!/usr/bin/env bash
# The cost of mutual TLS (issue 5; budget: FindDocuments over mutual TLS with keep-alive
# >= 70 % of the plain run) and of access tickets. Loads a registry of N synthetic entries
# (bench_registry load), then measures ITI-18 FindDocuments (ObjectRef and LeafClass) with
# bench_tls at 1 and 16 connections against `renkei centre` on that store, over plain HTTP
# (insecure loopback) and over mutual TLS with certificates from `renkei ca`, both as the
# same facility (hospital 1 of the synthetic region: it sees its own entries of each
# patient). Then bench_tickets (ticket issue and verify per second). Prints a markdown table.
# A benchmark: prints figures, asserts none.
#
# The plain and the TLS centre run side by side (each on its own copy of the store) and the
# runs alternate, plain/TLS then TLS/plain, --rounds times: on a machine shared with builds
# both modes see the same load. The table gives the median of the rounds; every run is
# listed below it.
#
#   bench/tls/run.sh [--entries 100000] [--seconds 8] [--rounds 2] [--build-dir build]
#                    [--renkei PATH] [--work-dir var/bench-tls] [--reuse]
#
# --renkei: the centre binary (default: the build dir's; for A/B runs of two builds).
# --reuse: keep the loaded store of an earlier run with the same --entries.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ENTRIES=100000
SECONDS_PER_RUN=8
ROUNDS=2
BUILD_DIR="$ROOT/build"
WORK="$ROOT/var/bench-tls"
RENKEI=""
REUSE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --entries) ENTRIES="$2"; shift 2 ;;
    --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --build-dir) BUILD_DIR="$2"; shift 2 ;;
    --renkei) RENKEI="$2"; shift 2 ;;
    --work-dir) WORK="$2"; shift 2 ;;
    --reuse) REUSE=1; shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$RENKEI" ]] || RENKEI="$BUILD_DIR/apps/renkei"
BENCH="$BUILD_DIR/bench/registry/bench_registry"
CLIENT="$BUILD_DIR/bench/tls/bench_tls"
TICKETS="$BUILD_DIR/trust/bench_tickets"
FACILITY=1.2.392.100495.20.3.51.12410000017  # hospital 1 of bench/registry/synthetic_region.cc
declare -A PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

STORE="$WORK/store-$ENTRIES"
if [[ $REUSE == 0 || ! -f "$STORE/complete" ]]; then
  rm -rf "$WORK" && mkdir -p "$STORE"
  echo "loading $ENTRIES entries..." >&2
  "$BENCH" load --data-dir "$STORE/data" --entries "$ENTRIES" > "$STORE/load.txt"
  "$BENCH" patients --entries "$ENTRIES" --xml --out "$STORE/patients.txt"
  touch "$STORE/complete"
fi
RUN="$WORK/run"
rm -rf "$RUN" && mkdir -p "$RUN"
"$RENKEI" ca init --dir "$RUN/ca" --name "bench region" > /dev/null
"$RENKEI" ca issue --dir "$RUN/ca" --facility 2.999.392.88.1 --name centre --ip 127.0.0.1 \
  --out "$RUN/centre" > /dev/null
"$RENKEI" ca issue --dir "$RUN/ca" --facility "$FACILITY" --name hospital-1 --client \
  --out "$RUN/client" > /dev/null

declare -A URL=()
start_centre() {  # start_centre MODE --set ... ; sets PIDS[MODE] and URL[MODE]
  local mode="$1"; shift
  local out="$RUN/centre-$mode.out"
  cp -r "$STORE/data" "$RUN/data-$mode"
  "$RENKEI" centre --set "data_dir=$RUN/data-$mode" --set http.listen=127.0.0.1:0 \
    --set mllp.listen=127.0.0.1:0 --set log.level=warning "$@" > "$out" 2> "$out.err" &
  PIDS[$mode]=$!
  for _ in $(seq 1 300); do grep -q '^ready' "$out" && break; sleep 0.1; done
  URL[$mode]="$(awk '{print $3}' "$out")"
  [[ -n "${URL[$mode]}" ]] || { echo "centre did not start: $(cat "$out.err")" >&2; exit 1; }
}
start_centre plain --set tls.insecure_loopback=true --set "registry.default_facility=$FACILITY"
start_centre tls --set tls.insecure_loopback=false \
  --set "tls.cert=$RUN/centre.cert.pem" --set "tls.key=$RUN/centre.key.pem" \
  --set "tls.ca=$RUN/ca/ca.cert.pem" --set "tls.crl=$RUN/ca/ca.crl.pem"
sleep 3  # the centres' prewarm

measure() {  # measure MODE KIND CONNECTIONS -> one bench_tls line
  local mode="$1" kind="$2" c="$3"
  local tls_args=()
  if [[ $mode == tls ]]; then
    tls_args=(--cert "$RUN/client.cert.pem" --key "$RUN/client.key.pem" --ca "$RUN/ca/ca.cert.pem")
  fi
  "$CLIENT" --url "${URL[$mode]}/xds/registry" --template "$RUN/$kind-$mode.tpl" \
    --values "$STORE/patients.txt" --connections "$c" --seconds "$SECONDS_PER_RUN" "${tls_args[@]}"
}
field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" <<< "$1"; }
median() {  # median FORMAT < numbers
  sort -g | awk -v f="$1" '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf f "\n", m }'
}

declare -A R=()
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for kind in find-objectref find-leafclass; do
  for mode in plain tls; do
    "$BENCH" template --kind "$kind" --to "${URL[$mode]}/xds/registry" --out "$RUN/$kind-$mode.tpl"
  done
  for c in 1 16; do
    for round in $(seq 1 "$ROUNDS"); do
      order="plain tls"; (( round % 2 == 0 )) && order="tls plain"
      for mode in $order; do
        R[$mode,$kind,$c,$round]="$(measure "$mode" "$kind" "$c")"
        echo "round $round $mode $kind $c: ${R[$mode,$kind,$c,$round]} load $(cut -d' ' -f1 /proc/loadavg)" >&2
      done
    done
  done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# The median over the rounds of field $4 of mode $1, kind $2, connections $3.
med() {
  local format="%.0f"; [[ $4 == *_ms ]] && format="%.2f"
  for round in $(seq 1 "$ROUNDS"); do field "${R[$1,$2,$3,$round]}" "$4"; done | median "$format"
}
sum() { local s=0; for round in $(seq 1 "$ROUNDS"); do s=$(( s + $(field "${R[$1,$2,$3,$round]}" "$4") )); done; echo "$s"; }

echo "### Mutual TLS vs plain HTTP, $ENTRIES entries, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Host: $(nproc) cores; ${SECONDS_PER_RUN} s per run, $ROUNDS rounds (plain and TLS alternating, medians); bench_tls (Poco, one keep-alive connection per thread, same client both ways); load average before: $LOAD_BEFORE, after: $LOAD_AFTER."
echo
echo "| operation | connections | plain q/s | p50 / p99 ms | mutual TLS q/s | p50 / p99 ms | TLS / plain | answer bytes | failures |"
echo "|---|---|---|---|---|---|---|---|---|"
for kind in find-objectref find-leafclass; do
  for c in 1 16; do
    pq=$(med plain "$kind" "$c" qps); tq=$(med tls "$kind" "$c" qps)
    ratio=$(awk -v a="$tq" -v b="$pq" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b }')
    echo "| ITI-18 FindDocuments $kind | $c | $pq | $(med plain "$kind" "$c" p50_ms) / $(med plain "$kind" "$c" p99_ms) | $tq | $(med tls "$kind" "$c" p50_ms) / $(med tls "$kind" "$c" p99_ms) | $ratio | $(med tls "$kind" "$c" bytes) | $(( $(sum plain "$kind" "$c" failures) + $(sum tls "$kind" "$c" failures) )) |"
  done
done
echo
echo "Every run (q/s, plain / TLS, in the order run):"
echo
for kind in find-objectref find-leafclass; do
  for c in 1 16; do
    line="- $kind, $c connection(s):"
    for round in $(seq 1 "$ROUNDS"); do
      pq=$(field "${R[plain,$kind,$c,$round]}" qps); tq=$(field "${R[tls,$kind,$c,$round]}" qps)
      line+=" $pq / $tq ($(awk -v a="$tq" -v b="$pq" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b }'));"
    done
    echo "${line%;}"
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
