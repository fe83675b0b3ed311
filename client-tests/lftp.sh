#!/usr/bin/env bash
# lftp resolves names against the URL it was given: after `cd folder` every put, mv, rm and get
# must happen inside the folder, never to the same-named file in its parent. The parent holds a
# file of the same name as the one put, which must come out untouched.
# usage: lftp.sh URL WORKDIR
set -uo pipefail
URL=$1 W=$2 CLIENT=lftp
. "$(dirname "$0")/check.sh"
need lftp lftp
need curl curl
col="lftp-$$"
cd "$W" || exit 1
printf 'in the folder\n' > a.txt
STEP=setup
curl -sf -X MKCOL "$URL$col/" >/dev/null || fail "MKCOL"
printf 'parent, keep me\n' | curl -sf -T - "${URL}a.txt" >/dev/null || fail "PUT parent a.txt"
STEP=session
timeout 120 lftp -c "set net:max-retries 1; set net:timeout 20; open $URL; cd $col; \
  put a.txt; mv a.txt b.txt; put a.txt; get b.txt -o back.txt; rm a.txt; ls" \
  >session.log 2>&1 || { cat session.log; fail "lftp failed"; }
sed 's/^/    /' session.log
STEP=check
[ "$(cat back.txt)" = "in the folder" ] || fail "get brought back: $(cat back.txt)"
[ "$(curl -sf "$URL$col/b.txt")" = "in the folder" ] || fail "b.txt is not in the folder"
curl -s -o /dev/null -w '%{http_code}' "$URL$col/a.txt" | grep -q 404 || fail "rm missed a.txt"
[ "$(curl -sf "${URL}a.txt")" = "parent, keep me" ] || fail "the parent's a.txt was changed"
curl -s -o /dev/null -w '%{http_code}' "${URL}b.txt" | grep -q 404 || fail "b.txt leaked to the parent"
curl -sf -X DELETE "$URL$col/" >/dev/null; curl -sf -X DELETE "${URL}a.txt" >/dev/null
say "OK: cd, put, mv, get, rm all inside the folder; the parent's file untouched"
