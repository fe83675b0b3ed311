# Sourced by the test scripts after serve.sh, for the runs over HTTPS with a user:
#
#   start_depthdav_https JAR WORKDIR [server flags...]
#     makes a throwaway test CA and a certificate for localhost, 127.0.0.1 and ::1 with openssl in
#     WORKDIR/tls, adds one user to a fresh data folder with `depthdav user add --password-stdin`,
#     starts the jar with --tls-cert/--tls-key on a free loopback port (stop_depthdav stops it),
#     checks with curl that the chain and the credentials are what decides, and exports
#     DAV_URL (https://localhost:PORT/), DAV_USER, DAV_PASS, DAV_CA (the CA's PEM file) and
#     DAV_OTHER_CA (a CA of the same name with another key: a client must refuse the server
#     when told to trust only that one).
#
# env: DAV_CLIENT_PASS  the password handed to the clients instead of the user's real one; set it
#                       to a wrong one to see every client check fail (the fixture's own curl
#                       checks use the real one).

# make_test_pki DIR: DIR/ca.pem, DIR/fullchain.pem + DIR/privkey.pem for the server, and
# DIR/other-ca.pem, a CA with the same name but another key, which must not be trusted for it.
make_test_pki() {
  local d=$1
  mkdir -p "$d" || return 1
  # The CA may only vouch for loopback names (name constraints, honoured by OpenSSL, GnuTLS and
  # Go), lives two days, and its key is deleted as soon as the server certificate is signed: a
  # client that trusts it cannot be fooled by it about any other site.
  local constraints="nameConstraints=critical,permitted;DNS:localhost"
  constraints+=",permitted;IP:127.0.0.1/255.255.255.255"
  constraints+=",permitted;IP:::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
  local ca
  for ca in ca other-ca; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -subj "/CN=depthdav throwaway test CA" -keyout "$d/$ca.key" -out "$d/$ca.pem" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" -addext "$constraints" \
      >"$d/openssl.log" 2>&1 || { cat "$d/openssl.log" >&2; return 1; }
  done
  printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" >"$d/server.ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$d/privkey.pem" -out "$d/server.csr" >"$d/openssl.log" 2>&1 &&
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
      -days 2 -extfile "$d/server.ext" -out "$d/fullchain.pem" >>"$d/openssl.log" 2>&1 ||
    { cat "$d/openssl.log" >&2; return 1; }
  rm -f "$d/ca.key" "$d/other-ca.key" "$d/server.csr"
  chmod 644 "$d/ca.pem" "$d/other-ca.pem"
  openssl verify -CAfile "$d/ca.pem" "$d/fullchain.pem" >/dev/null
}

start_depthdav_https() {
  local jar=$1 work=$2
  shift 2
  ensure_tools openssl:openssl curl:curl || return 1
  make_test_pki "$work/tls" || { echo "could not make the test certificates" >&2; return 1; }
  local user=davtest pass
  pass="pw-$(openssl rand -hex 12)"
  printf '%s\n' "$pass" | java -jar "$jar" user add "$user" --password-stdin --data "$work/data" \
    >"$work/user-add.log" 2>&1 || { cat "$work/user-add.log" >&2; return 1; }
  start_depthdav "$jar" "$work" --tls-cert "$work/tls/fullchain.pem" \
    --tls-key "$work/tls/privkey.pem" "$@" || return 1
  case "$DAV_URL" in
    https://127.0.0.1:*) DAV_URL="https://localhost:${DAV_URL#https://127.0.0.1:}" ;;
    *) echo "expected an https URL on 127.0.0.1, the server said $DAV_URL" >&2; return 1 ;;
  esac
  export DAV_URL DAV_USER=$user DAV_PASS=${DAV_CLIENT_PASS:-$pass} DAV_CA=$work/tls/ca.pem \
    DAV_OTHER_CA=$work/tls/other-ca.pem
  check_https_gate "$pass"
}

# check_https_gate PASSWORD: the server answers only through the test CA's chain, and only to
# the right credentials; prints one line saying what it saw.
check_https_gate() {
  local pass=$1 seen code
  code=$(curl -sS --cacert "$DAV_CA" -o /dev/null -w '%{http_code}' "$DAV_URL") || return 1
  seen="no credentials $code"
  code=$(curl -sS --cacert "$DAV_CA" -u "$DAV_USER:wrong-$pass" -o /dev/null -w '%{http_code}' \
    "$DAV_URL") || return 1
  seen+=", wrong password $code"
  code=$(curl -sS --cacert "$DAV_CA" -u "$DAV_USER:$pass" -X PROPFIND -H 'Depth: 0' \
    -o /dev/null -w '%{http_code} over HTTP/%{http_version}' "$DAV_URL") || return 1
  seen+=", $DAV_USER $code"
  code=0
  curl -sS --cacert "$DAV_OTHER_CA" -o /dev/null "$DAV_URL" 2>/dev/null || code=$?
  seen+=", another CA: curl exit $code"
  echo "https gate at $DAV_URL: $seen"
  local want="no credentials 401, wrong password 401, $DAV_USER 207 over HTTP/2"
  want+=", another CA: curl exit 60"
  [ "$seen" = "$want" ] || { echo "  expected: $want (60: certificate not trusted)"; return 1; }
  curl -sS --cacert "$DAV_CA" -D - -o /dev/null "$DAV_URL" |
    grep -qi '^www-authenticate: Basic realm="depthdav"' || { echo "  no Basic challenge"; return 1; }
}
