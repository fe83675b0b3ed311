#!/usr/bin/env bash
# 102 Processing below each client's breaking point, proved with the real client: a server of
# its own sends a 102 every millisecond (no cap of its own), and cadaver (neon 0.32, which fails
# a request at its 128th interim response) copies a tree large enough for hundreds of them. The
# copy must succeed, and the server's operation log must show that cadaver got exactly its cap.
# usage: processing.sh URL WORKDIR   (the URL is not used: this script starts its own server)
# PROCESSING_FLAGS adds server flags: "--processing-clients neon/=128" (the old cap) fails.
set -uo pipefail
W=$2 CLIENT=processing
here=$(cd "$(dirname "$0")" && pwd)
. "$here/check.sh"
. "$here/../litmus-tests/serve.sh"
need cadaver cadaver
need curl curl
jar=${DEPTHDAV_JAR:-$here/../target/depthdav.jar}
trap 'stop_depthdav' EXIT
STEP=start
start_depthdav "$jar" "$W" --processing-after 1ms --processing-interval 1ms \
  --processing-max 100000 ${PROCESSING_FLAGS:-} || fail "the server did not start"
URL=$DAV_URL
say "server at $URL, a 102 due every millisecond"

# A tree of 2^13 files and their folders, built by doubling with COPY (curl takes any 102s).
STEP=build
curl -sf -X MKCOL "${URL}big/" >/dev/null || fail "MKCOL big"
curl -sf -T /etc/hostname "${URL}big/f.txt" >/dev/null || fail "PUT big/f.txt"
for i in $(seq 1 13); do
  curl -sf -X COPY -H "Destination: ${URL}tmp/" "${URL}big/" >/dev/null || fail "COPY $i"
  curl -sf -X MOVE -H "Destination: ${URL}big/d$i/" "${URL}tmp/" >/dev/null || fail "MOVE $i"
done
count=$(curl -sf -X PROPFIND -H 'Depth: infinity' "${URL}big/" | grep -o '<D:response>' | wc -l)
say "built big/ with $count resources"
[ "$count" -gt 8000 ] || fail "the tree is too small: $count"

STEP=cadaver-copy
mkdir -p "$W/home"
cd "$W" || exit 1
HOME="$W/home" timeout 300 cadaver "$URL" >session.log 2>&1 <<EOC
copy big big-cadaver
quit
EOC
sed 's/^/    /' session.log
grep -qE "Copying .*big.* succeeded" session.log || fail "cadaver's COPY failed"
line=$(grep 'COPY /big ended 201' "$W/server.log" | tail -1)
say "server: ${line#*MiltonSetup - }"
case "$line" in
  *"102s sent: 120)"*) ;;
  *) fail "cadaver did not get exactly its cap of 120 102s: $line" ;;
esac
count2=$(curl -sf -X PROPFIND -H 'Depth: infinity' "${URL}big-cadaver/" | grep -o '<D:response>' | wc -l)
[ "$count2" -eq "$count" ] || fail "the copy holds $count2 resources, not $count"
say "OK: cadaver got 120 102s (neon fails at 128) and its COPY of $count resources succeeded"
