#!/usr/bin/env bash
# ITI-19 / BCP 195 check with third-party tools: testssl.sh (Debian package testssl.sh)
# scans a centre's HTTPS and MLLP listeners and a node's HTTPS listener, all started with
# certificates from `renkei ca`, and `openssl s_client` checks that a client certificate is
# required. Fails on any offered weak protocol (SSLv2/3, TLS 1.0/1.1) or cipher category
# (NULL, anonymous, export, LOW, 3DES/IDEA, "average": CBC without AEAD), or when a
# handshake without a client
# certificate succeeds.
#   usage: testssl_check.sh RENKEI_BINARY
set -euo pipefail
renkei="$1"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$renkei" ca init --dir "$work/ca" --name "testssl region" >/dev/null
"$renkei" ca issue --dir "$work/ca" --facility 2.999.392.77.1 --name centre --host localhost \
  --ip 127.0.0.1 --out "$work/centre" >/dev/null
"$renkei" ca issue --dir "$work/ca" --facility 2.999.392.77.2 --name node --ip 127.0.0.1 \
  --out "$work/node" >/dev/null
tls() {  # the --set options of a role presenting $1's certificate
  echo --set tls.insecure_loopback=false --set "tls.cert=$work/$1.cert.pem" \
    --set "tls.key=$work/$1.key.pem" --set "tls.ca=$work/ca/ca.cert.pem" \
    --set "tls.crl=$work/ca/ca.crl.pem"
}
# shellcheck disable=SC2046
"$renkei" centre --set "data_dir=$work/centre-data" --set http.listen=127.0.0.1:0 \
  --set mllp.listen=127.0.0.1:0 --set log.level=warning $(tls centre) > "$work/centre.out" 2> "$work/centre.err" &
pids+=($!)
wait_ready() {
  for _ in $(seq 1 100); do
    if grep -q "^ready " "$1"; then return 0; fi
    sleep 0.1
  done
  fail "no ready line in $1: $(cat "$1" "${1%.out}.err")"
}
wait_ready "$work/centre.out"
read -r _ _ centre_url mllp_url < "$work/centre.out"
# shellcheck disable=SC2046
"$renkei" node --set "data_dir=$work/node-data" --set http.listen=127.0.0.1:0 \
  --set facility.oid=2.999.392.77.2 --set repository.unique_id=2.999.392.77.2.1 \
  --set "registry.url=$centre_url/xds/registry" --set "centre.url=$centre_url" \
  --set log.level=warning $(tls node) > "$work/node.out" 2> "$work/node.err" &
pids+=($!)
wait_ready "$work/node.out"
read -r _ _ node_url < "$work/node.out"
targets=("${centre_url#https://}" "${mllp_url#mllps://}" "${node_url#https://}")

# testssl.sh: protocols (-p) and cipher categories (-s) of each listener, in parallel.
for t in "${targets[@]}"; do
  testssl --quiet --color 0 --warnings off --fast -p -s --jsonfile-pretty "$work/$t.json" "$t" \
    > "$work/$t.log" 2>&1 &
  scans+=($!)
done
for s in "${scans[@]}"; do wait "$s" || true; done
finding() {  # finding of id $2 in the JSON of target $1
  { grep -A4 "\"id\"[[:space:]]*:[[:space:]]*\"$2\"" "$work/$1.json" || true; } |
    { grep '"finding"' || true; } | head -1 |
    sed 's/.*"finding"[[:space:]]*:[[:space:]]*"\(.*\)".*/\1/'
}
for t in "${targets[@]}"; do
  [ -s "$work/$t.json" ] || fail "testssl wrote no findings for $t: $(cat "$work/$t.log")"
  for id in SSLv2 SSLv3 TLS1 TLS1_1; do
    f="$(finding "$t" "$id")"
    [[ "$f" == "not offered"* ]] || fail "$t: $id: '$f'"
  done
  for id in TLS1_2 TLS1_3; do
    f="$(finding "$t" "$id")"
    [[ "$f" == offered* ]] || fail "$t: $id: '$f'"
  done
  for id in cipherlist_NULL cipherlist_aNULL cipherlist_EXPORT cipherlist_LOW \
            cipherlist_3DES_IDEA cipherlist_AVERAGE; do
    f="$(finding "$t" "$id")"
    [[ "$f" == "not offered"* ]] || fail "$t: $id: '$f'"
  done
  f="$(finding "$t" cipherlist_STRONG)"
  [[ "$f" == offered* ]] || fail "$t: cipherlist_STRONG: '$f'"
  # A client certificate is required: without one the handshake fails (TLS 1.2 and 1.3);
  # with the node's certificate it succeeds.
  # (TLS 1.3: the server refuses after the client's Finished, so s_client must stay a
  # moment to read the alert.)
  for v in -tls1_2 -tls1_3; do
    if (sleep 1; echo) | timeout 10 openssl s_client -connect "$t" $v -CAfile "$work/ca/ca.cert.pem" \
         -verify_return_error > "$work/noclient.log" 2>&1 && \
       ! grep -qiE "alert|error" "$work/noclient.log"; then
      fail "$t: a $v handshake without a client certificate was accepted"
    fi
    echo | timeout 10 openssl s_client -connect "$t" $v -CAfile "$work/ca/ca.cert.pem" \
      -cert "$work/node.cert.pem" -key "$work/node.key.pem" -verify_return_error \
      > "$work/client.log" 2>&1 || fail "$t: $v with a client certificate failed: $(tail -5 "$work/client.log")"
  done
  echo "ok: $t: TLS 1.2/1.3 only, strong AEAD ciphers only, client certificate required"
done
