#!/usr/bin/env bash
# Small-PUT rate with concurrent clients against one depthdav jar on a fresh data folder:
#   bench/put-rate.sh JAR [CLIENTS] [SECONDS] [server flags...]
# Starts the jar on a free loopback port, warms up for 5 s, then runs `bench/Load.java rate put`
# (4 KiB PUTs to new names) and prints its line, the server's CPU time per request and the size
# of the database file afterwards; stops the server.
set -euo pipefail
jar=$1; clients=${2:-8}; seconds=${3:-15}; shift $(( $# < 3 ? $# : 3 ))
here=$(cd "$(dirname "$0")" && pwd)
data=$(mktemp -d /tmp/put-rate.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -jar "$jar" --port "$port" --data "$data" "$@" > "$data.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
curl -s -o /dev/null -X MKCOL "http://127.0.0.1:$port/new/"
java "$here/Load.java" rate put "http://127.0.0.1:$port/" "$clients" 5 > /dev/null
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks)
out=$(java "$here/Load.java" rate put "http://127.0.0.1:$port/" "$clients" "$seconds")
after=$(ticks)
echo "$out"
n=$(echo "$out" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
hz=$(getconf CLK_TCK)
[ "${n:-0}" -gt 0 ] && echo "server CPU per request: $(( (after - before) * 1000000 / hz / n )) µs"
echo "database file: $(du -k "$data/db" | tail -1 | cut -f1) KiB after $(find "$data/blobs" -type f | wc -l) blobs"
