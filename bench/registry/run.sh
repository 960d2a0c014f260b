#!/usr/bin/env bash
# Registry benchmark driver (architecture §8 budgets, issue 2): ITI-18 FindDocuments
# (ObjectRef, LeafClass), GetDocuments and ITI-42 Register Document Set-b against
# `renkei centre` over HTTP keep-alive with wrk, each next to its ceiling: nginx (one worker)
# serving a static file of the same bytes, same wrk settings, same run. Prints one markdown
# table per registry size. See bench/README.md. A benchmark: prints figures, asserts none.
# The queries run as a viewing clinic (--clinic) to which every hospital that registered a
# patient's entries granted all classes (bench_registry grants, in the centre's directory);
# an answer without objects counts as a failure. ITI-42 submissions come from the hospital
# whose repository they name.
#
#   bench/registry/run.sh [--entries "100000 1000000"] [--duration 10s] [--connections "1 16"]
#                         [--build-dir DIR] [--work-dir DIR] [--iti42-bodies 40000] [--keep]
#                         [--reuse] [--clinic 2.999.392.24.7.1]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../lib/ceiling.sh
source "$ROOT/bench/lib/ceiling.sh"
ENTRIES="100000 1000000"
DURATION=10s
CONNECTIONS="1 16"
BUILD_DIR="$ROOT/build"
WORK="$ROOT/var/bench-registry"
ITI42_BODIES=40000
KNOWN_PATIENTS=1000
KEEP=0
REUSE=0
CLINIC=2.999.392.24.7.1  # the bench viewing clinic (X-Renkei-Facility of every query)

while [[ $# -gt 0 ]]; do
  case "$1" in
    --entries) ENTRIES="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --build-dir) BUILD_DIR="$2"; shift 2 ;;
    --work-dir) WORK="$2"; shift 2 ;;
    --iti42-bodies) ITI42_BODIES="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --reuse) REUSE=1; KEEP=1; shift ;;
    --clinic) CLINIC="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

BENCH="$BUILD_DIR/bench/registry/bench_registry"
RENKEI="$BUILD_DIR/apps/renkei"
for bin in "$BENCH" "$RENKEI"; do
  [[ -x "$bin" ]] || { echo "run.sh: $bin missing; build with: ninja -C $BUILD_DIR bench_registry renkei" >&2; exit 2; }
done
require_tools wrk nginx curl python3

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
CENTRE_PID=""
NGINX_PID=""
DATA_DIRS=()

cleanup() {
  stop_pid "$CENTRE_PID"; CENTRE_PID=""
  stop_pid "$NGINX_PID"; NGINX_PID=""
  if [[ $KEEP -eq 0 ]]; then
    for d in "${DATA_DIRS[@]+"${DATA_DIRS[@]}"}"; do rm -rf "$d"; done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- nginx, the ceiling: one worker, loopback, keep-alive, no access log. ----
NGX="$WORK/nginx"
start_nginx "$NGX" "application/soap+xml" || exit 1

# substitute TEMPLATE VALUE -> the request body on stdout
substitute() {
  python3 -c 'import sys; t=open(sys.argv[1]).read().rstrip("\n"); sys.stdout.write(t.replace("@VALUE@", sys.argv[2]))' "$1" "$2"
}

HOST_INFO="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r)"
DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
RESULTS="$WORK/results.md"
: > "$RESULTS"

for N in $ENTRIES; do
  D="$WORK/n$N"
  LOG="$WORK/wrk-n$N.log"
  : > "$LOG"
  if [[ $REUSE -eq 1 && -s "$D/load.txt" && -f "$D/data/registry.sqlite" ]]; then
    # A store loaded before (by this script or by `bench_registry load ... > $D/load.txt`).
    echo "== $N entries: reusing $D/data" >&2
    LOAD_LINE="$(cat "$D/load.txt")"
  else
    rm -rf "$D"; mkdir -p "$D/data"
    echo "== $N entries: loading ($D/data)" >&2
    LOAD_LINE="$("$BENCH" load --data-dir "$D/data" --entries "$N")"
    echo "$LOAD_LINE" > "$D/load.txt"
  fi
  DATA_DIRS+=("$D/data")
  # Every run starts with an empty audit trail (each query appends a record to it): the
  # trail of earlier runs on a --reuse store would make runs incomparable.
  rm -f "$D/data/audit.sqlite" "$D/data/audit.sqlite-wal" "$D/data/audit.sqlite-shm"
  echo "$LOAD_LINE" >&2
  eval "$(sed 's/^load //' <<<"$LOAD_LINE")"  # entries= patients= rows= seconds= ...
  LOAD_S=$seconds; LOAD_RATE=$entries_per_s; DB_BYTES=$db_bytes; PATIENTS=$patients
  # The clinic's grants in the centre's directory; on a reused store only what is missing
  # (none when a run granted them before).
  GRANTS_LINE="$("$BENCH" grants --data-dir "$D/data" --entries "$N" --grantee "$CLINIC")"
  echo "$GRANTS_LINE" >&2
  eval "$(sed 's/^grants //' <<<"$GRANTS_LINE")"  # patients= grants= written= grants_seconds= ...
  GRANTS=$grants; GRANTS_WRITTEN=$written; GRANTS_S=$grants_seconds

  "$BENCH" patients --entries "$N" --xml --out "$D/patients.xml.txt"
  "$BENCH" patients --entries "$N" --first "$KNOWN_PATIENTS" --out "$D/known.txt"
  "$BENCH" unique-ids --entries "$N" --sample 20000 --out "$D/unique-ids.xml.txt"
  python3 - "$D" <<'EOF'
import json, sys
d = sys.argv[1]
known = [l.strip() for l in open(d + "/known.txt") if l.strip()]
json.dump({"data_dir": d + "/data",
           "http": {"listen": "127.0.0.1:0", "max_threads": 64},
           "mllp": {"listen": "127.0.0.1:0"},
           "tls": {"insecure_loopback": True},
           "registry": {"known_patient_ids": known, "max_query_results": 10000},
           "log": {"level": "info"}}, open(d + "/centre.json", "w"), indent=1)
EOF

  # ---- the page cache as a running centre's: its indexes and fragments read once ----
  sync  # written pages clean, so that evict can drop them: every run starts from the disk
  "$BENCH" evict --data-dir "$D/data"

  # ---- start the centre: time to the ready line, RSS after start ----
  sync
  T0=$(date +%s%N)
  "$RENKEI" centre --config "$D/centre.json" >"$D/centre.out" 2>"$D/centre.err" &
  CENTRE_PID=$!
  wait_ready "$D/centre.out" "$D/centre.err" "$CENTRE_PID"
  T1=$(date +%s%N)
  URL="$(grep -m1 '^ready centre ' "$D/centre.out" | awk '{print $3}')"
  [[ -n "$URL" ]] || { echo "run.sh: centre not ready after 15 s" >&2; exit 1; }
  START_MS=$(( (T1 - T0) / 1000000 ))
  RSS_START_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$CENTRE_PID/status")
  REG="$URL/xds/registry"
  REG_PATH="/${REG#http://*/}"
  echo "   centre ready at $URL in $START_MS ms, RSS ${RSS_START_KB} kB" >&2
  # The centre's own prewarm (registry.prewarm): measure once it is done.
  PREWARM_S="?"
  for _ in $(seq 1 1800); do
    line="$(grep -m1 'registry: prewarmed' "$D/centre.err" || true)"
    if [[ -n "$line" ]]; then PREWARM_S="$(sed -E 's/.* in ([0-9.]+) s.*/\1/' <<<"$line")"; break; fi
    kill -0 "$CENTRE_PID" 2>/dev/null || { echo "run.sh: centre exited during prewarm" >&2; exit 1; }
    sleep 0.5
  done
  echo "   centre prewarmed in $PREWARM_S s" >&2

  TABLE="$D/table.md"
  {
    echo "### $N DocumentEntries ($PATIENTS patients), $DATE"
    echo
    echo "Host: $HOST_INFO; wrk duration $DURATION; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Queries as viewing clinic $CLINIC ($GRANTS grants of every class from the hospitals that registered each patient's entries); failures include answers without objects."
    echo
    echo "| operation | connections | q/s | p50 ms | p99 ms | response bytes | nginx q/s | fraction of ceiling | failures |"
    echo "|---|---|---|---|---|---|---|---|---|"
  } > "$TABLE"

  # ---- ITI-18 stored queries ----
  declare -A EXPECT=( [find-objectref]="<rim:ObjectRef " [find-leafclass]="<rim:ExtrinsicObject " [get-documents]="<rim:ExtrinsicObject " )
  declare -A EXPECT_N=( [find-objectref]=20 [find-leafclass]=20 [get-documents]=1 )
  declare -A OPNAME=( [find-objectref]="ITI-18 FindDocuments ObjectRef" [find-leafclass]="ITI-18 FindDocuments LeafClass" [get-documents]="ITI-18 GetDocuments (uniqueId) LeafClass" )
  for op in find-objectref find-leafclass get-documents; do
    "$BENCH" template --kind "$op" --to "$REG" --out "$D/$op.tpl"
    values="$D/patients.xml.txt"; [[ $op == get-documents ]] && values="$D/unique-ids.xml.txt"
    # One request by hand: its answer is the static file nginx serves for the ceiling. Its
    # patient is not one of the known patients, whose ITI-42 registrations (of earlier runs
    # on a --reuse store) would make the sample larger than a typical answer.
    sample_line=2
    [[ $op != get-documents && $PATIENTS -gt $((KNOWN_PATIENTS + 2)) ]] && sample_line=$((KNOWN_PATIENTS + 2))
    substitute "$D/$op.tpl" "$(sed -n "${sample_line}p" "$values")" > "$D/$op.req"
    # Asked as the clinic, as wrk asks: the ceiling serves the bytes the clinic gets.
    # The first one also has the directory load its grants into memory (DirectoryStore's
    # access index, on first use): its time is a figure of its own.
    SAMPLE_S="$(curl -s -o "$NGX/root/$op.xml" -w '%{time_total}' \
      -H 'Content-Type: application/soap+xml; charset=UTF-8' \
      -H "X-Renkei-Facility: $CLINIC" --data-binary @"$D/$op.req" "$REG")"
    [[ $op == find-objectref ]] && FIRST_QUERY_S=$SAMPLE_S
    BYTES=$(stat -c %s "$NGX/root/$op.xml")
    GOT=$(grep -o "${EXPECT[$op]}" "$NGX/root/$op.xml" | wc -l || true)
    if ! grep -q 'ResponseStatusType:Success' "$NGX/root/$op.xml" || [[ "$GOT" -eq 0 ]]; then
      echo "run.sh: $op sample answer to the clinic is not a Success with objects (got $GOT): no grants?" >&2
      head -c 800 "$NGX/root/$op.xml" >&2; echo >&2
      exit 1
    fi
    if [[ "$GOT" -ne "${EXPECT_N[$op]}" ]]; then
      echo "run.sh: $op sample answer holds $GOT objects, expected ${EXPECT_N[$op]}" >&2
    fi
    echo "   $op sample answer to the clinic: $GOT objects, $BYTES bytes" >&2
    for c in $CONNECTIONS; do
      wrk_run "$URL" "$c" "$HERE/query.lua" "$D/$op.tpl" "$values" "$REG_PATH" "$CLINIC" "${EXPECT[$op]}"
      Q=$R_QPS; P50=$R_P50; P99=$R_P99; F=$R_FAIL
      wrk_run "http://127.0.0.1:$NGINX_PORT" "$c" "$HERE/query.lua" "$D/$op.tpl" "$values" "/$op.xml" "$CLINIC" "${EXPECT[$op]}"
      FRAC=$(python3 -c "print('%.0f %%' % (100.0 * $Q / max($R_QPS, 1)))")
      echo "| ${OPNAME[$op]} | $c | $Q | $P50 | $P99 | $BYTES | $R_QPS | $FRAC | $F |" >> "$TABLE"
      echo "   $op c=$c: $Q q/s p50 $P50 ms p99 $P99 ms; nginx $R_QPS q/s; failures $F" >&2
    done
  done

  # ---- ITI-42, 1 document per submission, fresh uniqueIds for every request ----
  # To the patients the centre knows (registry.known_patient_ids: the first KNOWN_PATIENTS,
  # fewer in a small region; an unknown patient is an XDSUnknownPatientId Failure).
  SUBMIT_PATIENTS=$(( PATIENTS < KNOWN_PATIENTS ? PATIENTS : KNOWN_PATIENTS ))
  RUN_TAG="$(date +%s)"
  "$BENCH" register-requests --count 1 --tag "${RUN_TAG}0" --patients "$SUBMIT_PATIENTS" --to "$REG" --out "$D/iti42-sample.txt"
  # Lines "<hospital OID><TAB><body>": sent as that hospital, as bodies.lua does.
  cut -f2- "$D/iti42-sample.txt" > "$D/iti42-sample.req"
  curl -s -o "$NGX/root/iti42.xml" \
    -H 'Content-Type: application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:RegisterDocumentSet-b"' \
    -H "X-Renkei-Facility: $(cut -f1 "$D/iti42-sample.txt")" \
    --data-binary @"$D/iti42-sample.req" "$REG"
  BYTES=$(stat -c %s "$NGX/root/iti42.xml")
  if ! grep -q 'ResponseStatusType:Success' "$NGX/root/iti42.xml"; then
    echo "run.sh: ITI-42 sample answer is not a Success:" >&2; head -c 1500 "$NGX/root/iti42.xml" >&2; echo >&2
  fi
  i=0
  for c in $CONNECTIONS; do
    i=$((i + 1))
    "$BENCH" register-requests --count "$ITI42_BODIES" --tag "${RUN_TAG}$i" --patients "$SUBMIT_PATIENTS" --to "$REG" --out "$D/iti42-$c.txt"
    threads=2; [[ "$c" -lt 2 ]] && threads=1
    wrk_run "$URL" "$c" "$HERE/bodies.lua" "$D/iti42-$c.txt" "$REG_PATH" "$threads"
    Q=$R_QPS; P50=$R_P50; P99=$R_P99; F=$R_FAIL
    [[ "$R_WRAPS" -gt 0 ]] && echo "run.sh: ITI-42 c=$c ran out of bodies (raise --iti42-bodies); repeats fail as duplicates" >&2
    wrk_run "http://127.0.0.1:$NGINX_PORT" "$c" "$HERE/bodies.lua" "$D/iti42-$c.txt" "/iti42.xml" "$threads"
    FRAC=$(python3 -c "print('%.0f %%' % (100.0 * $Q / max($R_QPS, 1)))")
    echo "| ITI-42 register, 1 document | $c | $Q | $P50 | $P99 | $BYTES | $R_QPS | $FRAC | $F |" >> "$TABLE"
    echo "   iti42 c=$c: $Q q/s p50 $P50 ms p99 $P99 ms; nginx $R_QPS q/s; failures $F" >&2
    rm -f "$D/iti42-$c.txt"
  done

  RSS_END_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$CENTRE_PID/status")
  HWM_KB=$(awk '/^VmHWM/ {print $2}' "/proc/$CENTRE_PID/status")
  ANON_KB=$(awk '/^RssAnon/ {print $2}' "/proc/$CENTRE_PID/status")
  stop_pid "$CENTRE_PID"; CENTRE_PID=""
  {
    echo
    echo "| figure | value |"
    echo "|---|---|"
    echo "| load (bench_registry load, direct to the store) | $LOAD_S s, $LOAD_RATE entries/s |"
    echo "| disclosure grants to the clinic (bench_registry grants; written this run) | $GRANTS ($GRANTS_WRITTEN) in $GRANTS_S s |"
    echo "| centre prewarm after start, from the disk (registry.prewarm: leaves, uniqueId and patient indexes) | $PREWARM_S s |"
    echo "| first query as the clinic after the prewarm (loads the directory's grants into memory) | $FIRST_QUERY_S s |"
    echo "| database on disk | $(python3 -c "print('%.2f GB (%d bytes, %.0f bytes/entry)' % ($DB_BYTES/1e9, $DB_BYTES, $DB_BYTES/$N))") |"
    echo "| centre start, exec to ready line | $START_MS ms |"
    echo "| centre RSS after start | $((RSS_START_KB / 1024)) MB |"
    echo "| centre RSS after the run (peak) | $((RSS_END_KB / 1024)) MB ($((HWM_KB / 1024)) MB) |"
    echo "| of which anonymous (incl. the directory's grants in memory; the rest: pages of the store's file it maps) | $((ANON_KB / 1024)) MB |"
    echo
  } >> "$TABLE"
  cat "$TABLE" | tee -a "$RESULTS"
  if [[ $KEEP -eq 0 ]]; then rm -rf "$D/data"; fi
done
echo "results: $RESULTS (wrk output: $WORK/wrk-n*.log)" >&2
