#!/usr/bin/env bash
# Repository benchmark driver (architecture §8 budgets, issue 4): ITI-41 Provide and Register
# with 100 KB documents end to end (node → centre registry, durable), and ITI-43 Retrieve of
# a 10 MB and a 1 GB document, each next to its ceiling: nginx (one worker) taking a POST of
# the same size / serving a file of the same size, with the same client in the same run.
# Also the node's peak RSS (VmHWM) after the large documents. Prints a markdown table.
# A benchmark: prints figures, asserts none. See bench/README.md.
#
#   bench/repository/run.sh [--seconds 10] [--connections "1 16"] [--big-mb 1024]
#                           [--build-dir DIR] [--work-dir DIR] [--keep]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../lib/ceiling.sh
source "$ROOT/bench/lib/ceiling.sh"
SECONDS_PER_RUN=10
CONNECTIONS="1 16"
BIG_MB=1024
BUILD_DIR="$ROOT/build"
WORK="$ROOT/var/bench-repository"
KEEP=0
DOMAIN="1.2.392.200119.6.102.1"
PATIENTS=100

while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --big-mb) BIG_MB="$2"; shift 2 ;;
    --build-dir) BUILD_DIR="$2"; shift 2 ;;
    --work-dir) WORK="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

BENCH="$BUILD_DIR/bench/repository/bench_repository"
RENKEI="$BUILD_DIR/apps/renkei"
for bin in "$BENCH" "$RENKEI"; do
  [[ -x "$bin" ]] || { echo "run.sh: $bin missing; build with: ninja -C $BUILD_DIR bench_repository renkei" >&2; exit 2; }
done
require_tools nginx curl python3

rm -rf "$WORK"; mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
CENTRE_PID=""; NODE_PID=""; NGINX_PID=""
cleanup() {
  stop_pid "$NODE_PID"; NODE_PID=""
  stop_pid "$CENTRE_PID"; CENTRE_PID=""
  stop_pid "$NGINX_PID"; NGINX_PID=""
  [[ $KEEP -eq 1 ]] || rm -rf "$WORK/centre" "$WORK/node" "$WORK/nginx"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

NGX="$WORK/nginx"
start_nginx "$NGX" "application/octet-stream" || exit 1

# ---- a centre that knows the bench patients, and one node registering there ----
python3 - "$WORK" "$DOMAIN" "$PATIENTS" <<'PY'
import json, sys
w, domain, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
ids = ["BP%d^^^&%s&ISO" % (i, domain) for i in range(n)]
json.dump({"data_dir": w + "/centre", "http": {"listen": "127.0.0.1:0"},
           "mllp": {"listen": "127.0.0.1:0"}, "tls": {"insecure_loopback": True},
           "pix": {"regional_domain": {"oid": domain}},
           "registry": {"known_patient_ids": ids}, "log": {"level": "warning"}},
          open(w + "/centre.json", "w"), indent=1)
PY
"$RENKEI" centre --config "$WORK/centre.json" >"$WORK/centre.out" 2>"$WORK/centre.err" &
CENTRE_PID=$!
wait_ready "$WORK/centre.out" "$WORK/centre.err" "$CENTRE_PID" centre
CENTRE_URL="$(grep -m1 '^ready centre ' "$WORK/centre.out" | awk '{print $3}')"
REPO_ID="1.2.392.200119.6.102.2.1"
"$RENKEI" node --set data_dir="$WORK/node" --set http.listen=127.0.0.1:0 \
  --set tls.insecure_loopback=true --set registry.url="$CENTRE_URL/xds/registry" \
  --set repository.unique_id="$REPO_ID" --set log.level=warning \
  >"$WORK/node.out" 2>"$WORK/node.err" &
NODE_PID=$!
wait_ready "$WORK/node.out" "$WORK/node.err" "$NODE_PID" node
NODE_URL="$(grep -m1 '^ready node ' "$WORK/node.out" | awk '{print $3}')"
echo "centre $CENTRE_URL, node $NODE_URL" >&2

# run_bench ARGS...: sets R_N R_QPS R_MBS R_P50 R_P99 R_FAIL R_UID from the RESULT line.
run_bench() {
  local out
  out="$("$BENCH" "$@")"
  echo "$out" >> "$WORK/bench.log"
  local line; line="$(grep '^RESULT ' <<<"$out")"
  eval "$(sed 's/^RESULT //' <<<"$line")"
  R_N=$requests
  R_QPS=$(python3 -c "print(round($requests / ($duration_us / 1e6)))")
  R_MBS=$(python3 -c "print(round(max($bytes_up, $bytes_down) / 1e6 / ($duration_us / 1e6)))")
  R_P50=$(python3 -c "print('%.1f' % ($p50_us / 1000))")
  R_P99=$(python3 -c "print('%.1f' % ($p99_us / 1000))")
  R_FAIL=$failures
  R_UID="$(grep -m1 '^unique_id=' <<<"$out" | cut -d= -f2 || true)"
}
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$NODE_PID/status"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$NODE_PID/status"; }

DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
TABLE="$WORK/results.md"
{
  echo "### Repository, $DATE"
  echo
  echo "Host: $(nproc) cores, $(uname -r); $SECONDS_PER_RUN s per run; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| operation | connections | requests/s | MB/s | p50 ms | p99 ms | nginx (same client) | fraction of ceiling | failures |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$TABLE"

# ---- ITI-41, 100 KB, end to end incl. the registry ----
for c in $CONNECTIONS; do
  run_bench provide --url "$NODE_URL" --domain "$DOMAIN" --patients "$PATIENTS" --size 102400 \
    --connections "$c" --seconds "$SECONDS_PER_RUN"
  Q=$R_QPS; M=$R_MBS; P50=$R_P50; P99=$R_P99; F=$R_FAIL
  run_bench post --url "http://127.0.0.1:$NGINX_PORT/ping" --size 102400 --connections "$c" --seconds "$SECONDS_PER_RUN"
  FRAC=$(python3 -c "print('%.0f %%' % (100.0 * $Q / max($R_QPS, 1)))")
  echo "| ITI-41 100 KB document (durable, registered) | $c | $Q | $M | $P50 | $P99 | $R_QPS req/s | $FRAC | $F |" >> "$TABLE"
  echo "ITI-41 100 KB c=$c: $Q docs/s p99 $P99 ms; nginx POST $R_QPS/s" >&2
done

# ---- ITI-43 of a 10 MB and a big document ----
for mb in 10 "$BIG_MB"; do
  bytes=$((mb * 1024 * 1024))
  HWM0=$(hwm_kb)
  run_bench provide --url "$NODE_URL" --domain "$DOMAIN" --patients 1 --size "$bytes" --count 1
  UID_="$R_UID"; IN_MBS=$R_MBS
  HWM1=$(hwm_kb)
  [[ -n "$UID_" ]] || { echo "run.sh: ITI-41 of $mb MB failed" >&2; exit 1; }
  echo "| ITI-41 $mb MB document, once | 1 | | $IN_MBS | | | | | $R_FAIL |" >> "$TABLE"
  python3 -c "import sys; f=open(sys.argv[1],'wb'); f.truncate($bytes)" "$NGX/root/big-$mb.bin"
  count=$(( mb >= 100 ? 3 : 100 ))
  run_bench retrieve --url "$NODE_URL" --repository "$REPO_ID" --unique-id "$UID_" --count "$count"
  Q=$R_QPS; M=$R_MBS; P50=$R_P50; P99=$R_P99; F=$R_FAIL
  HWM2=$(hwm_kb)
  run_bench get --url "http://127.0.0.1:$NGINX_PORT/big-$mb.bin" --count "$count"
  FRAC=$(python3 -c "print('%.0f %%' % (100.0 * $M / max($R_MBS, 1)))")
  echo "| ITI-43 $mb MB document | 1 | $Q | $M | $P50 | $P99 | $R_MBS MB/s | $FRAC | $F |" >> "$TABLE"
  echo "   node peak RSS (VmHWM): before ITI-41 $mb MB ${HWM0} kB, after it ${HWM1} kB, after ITI-43 ${HWM2} kB; RSS now $(rss_kb) kB" >> "$WORK/rss.txt"
  echo "ITI-43 $mb MB: $M MB/s; nginx $R_MBS MB/s; HWM $HWM0 -> $HWM1 -> $HWM2 kB" >&2
  rm -f "$NGX/root/big-$mb.bin"
done
{ echo; cat "$WORK/rss.txt"; } >> "$TABLE"
cat "$TABLE"
