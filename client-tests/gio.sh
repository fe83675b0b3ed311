#!/usr/bin/env bash
# gio over gvfs (GNOME's file layer; Files and every GTK application use it): mount, make a
# folder, copy a file in, list, move, read back, remove, unmount; each checked over HTTP too.
# gvfs needs a D-Bus session, so the whole session runs under dbus-run-session.
# usage: gio.sh URL WORKDIR
set -uo pipefail
URL=$1 W=$2 CLIENT=gio
. "$(dirname "$0")/check.sh"
need gio libglib2.0-bin
need dbus-run-session dbus
need curl curl
[ -e /usr/libexec/gvfsd-dav ] || fail "gvfsd-dav is missing (apt-get install gvfs-backends)"
DAV=${URL/http:/dav:}
col="gio-$$"
cd "$W" || exit 1
printf 'gio was here\n' > local.txt
STEP=session
timeout 120 dbus-run-session -- bash -c "set -e
  gio mount '$DAV' </dev/null
  gio mkdir '$DAV$col'
  gio copy local.txt '$DAV$col/a.txt'
  gio list '$DAV$col/' > listed.txt
  gio move '$DAV$col/a.txt' '$DAV$col/b.txt'
  gio cat '$DAV$col/b.txt' > back.txt
  curl -sf '$URL$col/b.txt' > seen.txt
  gio remove '$DAV$col/b.txt'
  gio mount -u '$DAV'
" >session.log 2>&1 || { cat session.log; fail "a gio command failed"; }
STEP=check
grep -qx 'a.txt' listed.txt || fail "gio list did not show a.txt: $(cat listed.txt)"
[ "$(cat back.txt)" = "gio was here" ] || fail "gio cat read: $(cat back.txt)"
[ "$(cat seen.txt)" = "gio was here" ] || fail "over HTTP after the move: $(cat seen.txt)"
curl -s -o /dev/null -w '%{http_code}' "$URL$col/b.txt" | grep -q 404 || fail "remove missed b.txt"
curl -sf -X DELETE "$URL$col/" >/dev/null
say "OK: mount, mkdir, copy, list, move, cat, remove, unmount"
