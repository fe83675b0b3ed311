# Sourced by the client scripts: step/fail helpers that say which step broke.
STEP=start
say() { printf '[%s] %s\n' "$CLIENT" "$*"; }
fail() { say "FAIL at step '$STEP': $*"; exit 1; }
need() { command -v "$1" >/dev/null || fail "$1 is not installed (apt-get install $2)"; }
# step NAME COMMAND...: runs COMMAND, fails the script with NAME when it fails.
step() { STEP=$1; shift; "$@" || fail "command failed: $*"; }

# Over HTTPS the runner exports DAV_USER, DAV_PASS and DAV_CA (litmus-tests/tls-fixture.sh); over
# plain HTTP they are unset and these helpers add nothing.

# dav_curl ARGS...: curl with the run's credentials and CA.
dav_curl() {
  curl ${DAV_CA:+--cacert "$DAV_CA"} ${DAV_USER:+-u "$DAV_USER:$DAV_PASS"} "$@"
}

# trusting CA COMMAND...: runs COMMAND with CA added to the system trust bundle, for clients that
# have no option of their own to trust a CA (cadaver: neon reads GnuTLS's system bundle). The
# bundle is bind-mounted in a private mount namespace, so nothing outside COMMAND ever trusts the
# test CA and nothing is left to clean up (installing it with update-ca-certificates would also
# add it to Java's cacerts, which removing the file again does not undo). Needs root.
trusting() {
  local ca=$1 bundle=/etc/ssl/certs/ca-certificates.crt
  shift
  cat "$bundle" "$ca" >"$W/trust-bundle.pem" || return 1
  unshare --mount --propagation private -- \
    sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' "$W/trust-bundle.pem" "$bundle" "$@"
}

# rclone_remote: the rclone remote "dd:" for URL in a private config; over HTTPS with the run's
# user, the password obscured as rclone stores it, and the test CA as the only one trusted.
rclone_remote() {
  export RCLONE_CONFIG="$W/rclone.conf"
  : >"$RCLONE_CONFIG"
  export RCLONE_CONFIG_DD_TYPE=webdav RCLONE_CONFIG_DD_URL=$URL RCLONE_CONFIG_DD_VENDOR=other
  [ -n "${DAV_USER:-}" ] || return 0
  RCLONE_CONFIG_DD_USER=$DAV_USER
  RCLONE_CONFIG_DD_PASS=$(rclone obscure "$DAV_PASS") || return 1
  export RCLONE_CONFIG_DD_USER RCLONE_CONFIG_DD_PASS RCLONE_CA_CERT=$DAV_CA
}
