#!/usr/bin/env bash
# Real WebDAV clients against depthdav, each step checked: cadaver, rclone sync/check, a davfs2
# mount, an rclone (FUSE) mount, lftp, gio (gvfs), git http-push, and cadaver under 102s. Starts
# the jar on a free loopback port with a fresh data folder and stops it at the end. Needs root
# (mounts) and the Debian packages cadaver, rclone, davfs2, fuse3, lftp, gvfs-backends,
# libglib2.0-bin, dbus and git; a missing client is a failure, never a skip.
#
# With DAV_HTTPS=1 the server speaks TLS with a certificate from a throwaway test CA and has one
# user (litmus-tests/tls-fixture.sh); the clients log in with it and trust that CA, each by its
# own means (cadaver: ~/.netrc; rclone: obscured password, --ca-cert; davfs2: secrets file,
# trust_ca_cert). Only the clients in its default list below know how. It needs openssl,
# ca-certificates and unshare (util-linux) too.
#
# usage: client-tests/run.sh [JAR]      env: CLIENTS (default: all of them), DAV_HTTPS
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../target/depthdav.jar}
over=
if [ "${DAV_HTTPS:-}" = 1 ]; then
  clients=${CLIENTS:-cadaver rclone-sync davfs2 rclone-mount}
  over=" over https"
else
  clients=${CLIENTS:-cadaver rclone-sync davfs2 rclone-mount lftp gio git processing}
fi
export DEPTHDAV_JAR=$jar

work=$(mktemp -d /tmp/depthdav-clients.XXXXXX)
chmod 755 "$work"
. "$here/../litmus-tests/serve.sh"
ensure_tools cadaver:cadaver rclone:rclone davfs2:mount.davfs fuse3:fusermount3 curl:curl \
  lftp:lftp libglib2.0-bin:gio dbus:dbus-run-session gvfs-backends:/usr/libexec/gvfsd-dav git:git \
  || { echo "client-tests: clients missing" >&2; exit 1; }
trap 'stop_depthdav; rm -rf "$work"' EXIT
if [ -n "$over" ]; then
  . "$here/../litmus-tests/tls-fixture.sh"
  ensure_tools ca-certificates:update-ca-certificates util-linux:unshare || exit 1
  start_depthdav_https "$jar" "$work" || exit 1
  echo "client-tests: depthdav at $DAV_URL, user $DAV_USER, test CA $DAV_CA"
else
  start_depthdav "$jar" "$work" || exit 1
  echo "client-tests: depthdav at $DAV_URL"
fi

passed=0
failed=0
for c in $clients; do
  mkdir -p "$work/$c"
  if timeout 600 bash "$here/$c.sh" "$DAV_URL" "$work/$c" >"$work/$c.log" 2>&1; then
    echo "client $c: PASS ($(tail -1 "$work/$c.log"))"
    passed=$((passed + 1))
  else
    echo "client $c: FAIL; its log:"
    sed 's/^/    /' "$work/$c.log"
    failed=$((failed + 1))
  fi
done
echo "client-tests$over: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
