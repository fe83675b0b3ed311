#!/usr/bin/env bash
# small-writes.sh JAR PORT DIR [server flags...]: one depthdav jar on small durable writes, alone
# on the machine. Starts JAR as README starts it (plus the harness's flags and any given) on
# 127.0.0.1:PORT with its data in DIR/data, then: PUT of 4 KiB to new paths with wrk (2 threads,
# 8 connections, bench/wrk/put.lua) for 10 s of warm-up and three runs of 8 s, each with its
# rate, p99 and the server's CPU per request; then a tree of 10,011 by bench/tree.sh (8
# connections) and the size of the database file. JAVA_OPTS adds JVM options (timers, GC logs).
# bench/results/small-writes-20261202.md has what it measured.
set -euo pipefail
jar=$1 port=$2 dir=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir"
mkdir -p "$dir/data"
# shellcheck disable=SC2086
java -Xmx192m -XX:+UseSerialGC ${JAVA_OPTS:-} -jar "$jar" --port "$port" --bind 127.0.0.1 \
  --data "$dir/data" --processing off --propfind-budget 2000000 "$@" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
url=http://127.0.0.1:$port
for _ in $(seq 100); do curl -s -o /dev/null "$url/" && break; sleep 0.2; done
curl -s -o /dev/null -X MKCOL "$url/new/"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # user + system, in clock ticks
wrk -t2 -c8 -d10s -s "$here/wrk/put.lua" "$url" -- / warm >/dev/null
for r in 1 2 3; do
  c0=$(cpu)
  out=$(wrk -t2 -c8 -d8s --latency -s "$here/wrk/put.lua" "$url" -- / "r$r")
  c1=$(cpu)
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "put run $r: $(awk '/Requests\/sec/ {print $2}' <<<"$out") req/s," \
    "p99 $(awk '$1 == "99%" {print $2}' <<<"$out")," \
    "server CPU $(( (c1 - c0) * 1000000 / $(getconf CLK_TCK) / n )) us/request"
done
echo "build: $(bash "$here/tree.sh" "$url/tree/" 10 1000 8)"
echo "database file: $(du -k "$dir/data/db" | cut -f1) KiB"
