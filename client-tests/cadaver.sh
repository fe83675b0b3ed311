#!/usr/bin/env bash
# A scripted cadaver session: mkcol, put, get, copy, move, lock, discover, propset, propget,
# unlock, delete. cadaver exits 0 even when a command fails, so each command's answer is checked.
# Over HTTPS (DAV_USER, DAV_PASS, DAV_CA set) it logs in from a ~/.netrc in a HOME of its own and
# trusts the test CA through the system bundle, as cadaver has no option for a CA.
# usage: cadaver.sh URL WORKDIR
set -uo pipefail
URL=$1 W=$2 CLIENT=cadaver
. "$(dirname "$0")/check.sh"
need cadaver cadaver
need curl curl
col="cadaver-$$"
cd "$W" || exit 1
printf 'cadaver was here: %s\n' "$col" > local.txt
mkdir -p home
run=()
if [ -n "${DAV_USER:-}" ]; then
  host=${URL#*://}
  host=${host%%[:/]*}
  printf 'machine %s login %s password %s\n' "$host" "$DAV_USER" "$DAV_PASS" >home/.netrc
  chmod 600 home/.netrc
fi
[ -n "${DAV_CA:-}" ] && run=(trusting "$DAV_CA")
HOME="$W/home" "${run[@]}" timeout 120 cadaver "$URL" >session.log 2>&1 <<EOC
mkcol $col
cd $col
put local.txt a.txt
get a.txt back.txt
copy a.txt b.txt
move b.txt c.txt
lock c.txt
discover c.txt
propset c.txt colour blue
propget c.txt colour
unlock c.txt
delete a.txt
ls
quit
EOC
sed 's/^/    /' session.log
STEP=connect
grep -q 'Untrusted server certificate' session.log && fail "cadaver did not trust the certificate"
grep -qE 'Authentication required|Could not authenticate' session.log && fail "cadaver was refused"
expect() { STEP=$2; grep -qE "$1" session.log || fail "no '$1' in the session"; say "ok $2"; }
expect "Creating .$col.: succeeded" mkcol
expect "Uploading local.txt to .*a.txt.: .*succeeded" put
expect "Downloading .*a.txt. to back.txt: .*succeeded" get
expect "Copying .*a.txt. to .*b.txt.: .*succeeded" copy
expect "Moving .*b.txt. to .*c.txt.: .*succeeded" move
expect "Locking .c.txt.: succeeded" lock
expect "Lock token <urn:uuid:" discover
expect "Setting property on .c.txt.: succeeded" propset
expect "Value of colour is: blue" propget
expect "Unlocking .c.txt.: succeeded" unlock
expect "Deleting .a.txt.: succeeded" delete
STEP=content; cmp -s local.txt back.txt || fail "GET returned other bytes than PUT sent"
STEP=server; [ "$(dav_curl -sf "${URL}$col/c.txt")" = "$(cat local.txt)" ] || fail "c.txt on the server differs"
STEP=server; [ "$(dav_curl -s -o /dev/null -w '%{http_code}' "${URL}$col/a.txt")" = 404 ] || fail "a.txt still exists"
STEP=server; dav_curl -sf -X PROPFIND -H 'Depth: 0' "${URL}$col/c.txt" | grep -q 'lockdiscovery/>' || fail "c.txt still locked"
say "OK: every command succeeded"
