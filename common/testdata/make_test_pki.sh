#!/usr/bin/env bash
# Test PKI for common/tls_test.cc, made with the openssl command line (a third-party CA, so
# the TLS code is not only tested against certificates of Renkei's own CA):
#   ca.{key,cert}.pem  the regional CA          other-ca.*  an unrelated CA
#   server.*           127.0.0.1 / localhost, facility 1.2.392.100495.20.3.51.1.99
#   good.*             client of facility 1.2.392.100495.20.3.51.1.11
#   revoked.*          client of facility 1.2.392.100495.20.3.51.1.12, revoked in crl-revoked.pem
#   expired.*          client of facility 1.2.392.100495.20.3.51.1.13, valid only in 2020
#   nooid.*            client without a facility OID
#   stranger.*         client of facility 1.2.392.100495.20.3.51.1.14 signed by other-ca
#   crl.pem            the CA's CRL without revocations; crl-revoked.pem with revoked.*
set -euo pipefail
# A second use, for end-to-end tests against a CA directory of `renkei ca` (which cannot issue
# a certificate that is already expired, and must not):
#   make_test_pki.sh --expired-leaf CA_DIR OUT FACILITY_OID COMMON_NAME
# signs with CA_DIR/ca.{key,cert}.pem a client certificate OUT.{key,cert}.pem of FACILITY_OID
# (subject OU and SAN URI urn:oid:, as `renkei ca issue --client` names it) valid only in
# January 2020.
if [ "${1:-}" = --expired-leaf ]; then
  [ $# -eq 5 ] || { echo "usage: $0 --expired-leaf CA_DIR OUT FACILITY_OID COMMON_NAME" >&2; exit 2; }
  ca_dir=$2 out=$3 oid=$4 cn=$5
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  : > "$work/index.txt"
  openssl rand -hex 16 > "$work/serial"
  cat > "$work/ca.cnf" <<CNF
[ ca ]
default_ca = expired
[ expired ]
database = $work/index.txt
serial = $work/serial
new_certs_dir = $work
certificate = $ca_dir/ca.cert.pem
private_key = $ca_dir/ca.key.pem
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
preserve = yes
[ any ]
commonName = supplied
organizationalUnitName = optional
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = URI:urn:oid:$oid
CNF
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out.key.pem" 2>/dev/null
  openssl req -new -key "$out.key.pem" -out "$work/leaf.csr" -subj "/OU=$oid/CN=$cn"
  openssl ca -batch -config "$work/ca.cnf" -extensions leaf -in "$work/leaf.csr" \
    -out "$out.cert.pem" -startdate 20200101000000Z -enddate 20200201000000Z -notext 2>/dev/null
  exit 0
fi
dir="$1"
mkdir -p "$dir" && cd "$dir"
mkdir -p db && : > db/index.txt && echo 1000 > db/serial && echo 1000 > db/crlnumber
cat > ca.cnf <<'CNF'
[ ca ]
default_ca = test
[ test ]
dir = .
database = ./db/index.txt
serial = ./db/serial
crlnumber = ./db/crlnumber
new_certs_dir = ./db
certificate = ./ca.cert.pem
private_key = ./ca.key.pem
default_md = sha256
default_crl_days = 7
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
organizationalUnitName = optional
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = ${ENV::SAN}
CNF
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ec ca.key.pem
openssl req -new -x509 -key ca.key.pem -out ca.cert.pem -days 3650 -subj "/C=JP/O=Test Region/CN=Test Regional CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
ec other-ca.key.pem
openssl req -new -x509 -key other-ca.key.pem -out other-ca.cert.pem -days 3650 -subj "/CN=Other CA"
leaf() {  # name facility-oid cn san [ca-prefix] [startdate enddate]
  local name=$1 oid=$2 cn=$3 san=$4 ca=${5:-ca}
  ec "$name.key.pem"
  local subj="/CN=$cn"; [ -n "$oid" ] && subj="/OU=$oid/CN=$cn"
  openssl req -new -key "$name.key.pem" -out "$name.csr" -subj "$subj"
  if [ "$ca" = ca ]; then
    local dates=(-days 30)
    [ $# -ge 7 ] && dates=(-startdate "$6" -enddate "$7")
    SAN="$san" openssl ca -batch -config ca.cnf -extensions leaf -in "$name.csr" -out "$name.cert.pem" \
      "${dates[@]}" -notext 2>/dev/null
  else
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" > "$name.ext"
    openssl x509 -req -in "$name.csr" -CA "$ca.cert.pem" -CAkey "$ca.key.pem" -CAcreateserial \
      -days 30 -extfile "$name.ext" -out "$name.cert.pem" 2>/dev/null
  fi
}
leaf server 1.2.392.100495.20.3.51.1.99 localhost "URI:urn:oid:1.2.392.100495.20.3.51.1.99,DNS:localhost,IP:127.0.0.1"
leaf good 1.2.392.100495.20.3.51.1.11 "Good Clinic" "URI:urn:oid:1.2.392.100495.20.3.51.1.11"
leaf revoked 1.2.392.100495.20.3.51.1.12 "Revoked Clinic" "URI:urn:oid:1.2.392.100495.20.3.51.1.12"
leaf expired 1.2.392.100495.20.3.51.1.13 "Expired Clinic" "URI:urn:oid:1.2.392.100495.20.3.51.1.13" ca 20200101000000Z 20200201000000Z
leaf nooid "" "No OID Clinic" "DNS:nooid.example"
leaf stranger 1.2.392.100495.20.3.51.1.14 "Stranger Clinic" "URI:urn:oid:1.2.392.100495.20.3.51.1.14" other-ca
export SAN=none
openssl ca -batch -config ca.cnf -gencrl -out crl.pem 2>/dev/null
openssl ca -batch -config ca.cnf -revoke revoked.cert.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -batch -config ca.cnf -gencrl -out crl-revoked.pem 2>/dev/null
