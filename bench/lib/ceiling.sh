# Shared shell functions of the HTTP benchmarks (bench/*/run.sh): processes stopped by pid,
# a free loopback port, nginx (one worker) as the ceiling, and wrk runs that print one
# RESULT line (bench/registry/common.lua). Source it; it defines functions only.
#
#   stop_pid PID                       TERM, wait up to 10 s, then KILL
#   free_port                          a free TCP port on 127.0.0.1
#   start_nginx DIR CONTENT_TYPE       nginx serving DIR/root on 127.0.0.1:$NGINX_PORT
#                                      (POST answered as GET of the same path); sets
#                                      NGINX_PORT, NGINX_PID
#   require_tools TOOL...; wait_ready OUT ERR PID [ROLE]   (below)
#   wrk_run URL CONNECTIONS SCRIPT ARGS...   needs DURATION and LOG; sets R_QPS R_P50 R_P99
#                                      R_FAIL R_WRAPS

stop_pid() {
  local pid="$1"
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_nginx() {
  local ngx="$1" content_type="$2"
  rm -rf "$ngx"; mkdir -p "$ngx/root" "$ngx/tmp"
  NGINX_PORT="$(free_port)"
  cat > "$ngx/nginx.conf" <<EOF2
worker_processes 1;
daemon off;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $ngx/tmp/body;
  proxy_temp_path $ngx/tmp/proxy;
  fastcgi_temp_path $ngx/tmp/fastcgi;
  uwsgi_temp_path $ngx/tmp/uwsgi;
  scgi_temp_path $ngx/tmp/scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_max_body_size 64m;
  default_type $content_type;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $ngx/root;
    # POST requests are answered by the static module with 405: redirected to the file.
    location / { error_page 405 =200 \$uri; }
  }
}
EOF2
  echo ok > "$ngx/root/ping"
  nginx -c "$ngx/nginx.conf" -p "$ngx" 2>"$ngx/stderr" &
  NGINX_PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$NGINX_PORT/ping" >/dev/null && break; sleep 0.05; done
  curl -sf "http://127.0.0.1:$NGINX_PORT/ping" >/dev/null || { echo "nginx did not start" >&2; cat "$ngx/stderr" >&2; return 1; }
}

wrk_run() {
  local url="$1" conns="$2" script="$3"; shift 3
  local threads=2
  [[ "$conns" -lt 2 ]] && threads=1  # wrk needs connections >= threads
  local out
  out="$(wrk -t"$threads" -c"$conns" -d"$DURATION" --latency -s "$script" "$url" -- "$@")"
  echo "$out" >> "$LOG"
  local line
  line="$(grep '^RESULT ' <<<"$out" || true)"
  [[ -n "$line" ]] || { echo "wrk gave no RESULT line" >&2; echo "$out" >&2; return 1; }
  eval "$(sed 's/^RESULT //' <<<"$line")"  # requests= duration_us= bytes= p50_us= ...
  R_QPS=$(python3 -c "print(round($requests / ($duration_us / 1e6)))")
  R_P50=$(python3 -c "print('%.2f' % ($p50_us / 1000))")
  R_P99=$(python3 -c "print('%.2f' % ($p99_us / 1000))")
  R_FAIL=$((failures + socket_errors + http_errors))
  R_WRAPS=$wraps
  if grep -q '^FIRST_FAILURE' <<<"$out"; then grep '^FIRST_FAILURE' <<<"$out" | head -1 >&2; fi
}

# require_tools TOOL...: exits 2 naming the first one missing from PATH.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool not installed" >&2; exit 2; }
  done
}

# wait_ready OUT ERR PID [ROLE]: waits (up to 15 s) for the `ready ROLE` line (default
# centre) in file OUT of the process PID; exits 1 with its stderr (file ERR) when it dies first.
wait_ready() {
  local out="$1" err="$2" pid="$3" role="${4:-centre}"
  for _ in $(seq 3000); do
    grep -q "^ready $role " "$out" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "the $role exited" >&2; cat "$err" >&2; exit 1; }
    sleep 0.005
  done
}
