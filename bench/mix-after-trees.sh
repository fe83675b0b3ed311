#!/usr/bin/env bash
# mix-after-trees.sh JAR PORT DIR [--no-trees]: the harness's mixed workload (bench/wrk/mixed.lua)
# on a server that has just copied, moved and deleted trees of 10,001 and 100,011 resources, as
# bench/compare.sh does between its repeats: 3 rounds of 8 s, each from an idle server, with the
# server's log, a jstack 4 s into each round and the database's size kept in DIR. It shows what
# work the server defers after large trees (purging, compaction) does to the latency of others.
# Started as README starts the server; needs wrk and curl.
set -uo pipefail
JAR=$1 port=$2 dir=$3 trees=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
# The server as bench/compare.sh starts it (start_server depthdav), and its CPU and idle measure.
. "$here/servers/start.sh"
rm -rf "$dir" && mkdir -p "$dir"
url=$(start_server depthdav "$port" "$dir") || exit 1
trap 'stop_server depthdav "$dir"' EXIT
pid=$(cat "$dir/pid")
hz=$(getconf CLK_TCK)
cpu() { server_cpu depthdav "$dir"; }
# settle: until the server used under 5% of a core over a second (at most 5 minutes)
settle() {
  local c0 c1 w=0
  c0=$(cpu)
  while sleep 1; do
    c1=$(cpu); [ $((c1 - c0)) -lt "$(idle_ticks depthdav)" ] && break
    c0=$c1; w=$((w + 1)); [ $w -ge 300 ] && break
  done
  echo "settled after $w s"
}
bash "$here/tree.sh" "${url}w/" 10 100 8
curl -s -X MKCOL "${url}w/new/" -o /dev/null
if [ "$trees" != --no-trees ]; then
  bash "$here/tree.sh" "${url}t10k/" 100 99 8
  settle
  curl -s -o /dev/null -X MKCOL "${url}t100k/"
  for k in $(seq 0 9); do
    curl -s -o /dev/null -w '%{http_code} ' -X COPY -H 'Depth: infinity' \
      -H "Destination: ${url}t100k/c$k/" "${url}t10k/"
  done
  echo
  for t in t10k t100k; do
    settle; bash "$here/one.sh" COPY "${url}$t/" "${url}c-$t/"
    settle; bash "$here/one.sh" MOVE "${url}c-$t/" "${url}m-$t/"
    settle; bash "$here/one.sh" DELETE "${url}m-$t/"
  done
fi
settle
echo "database folder: $(du -sh "$dir/data/db" | cut -f1)"
for r in 1 2 3; do
  settle
  c0=$(cpu)
  ( sleep 4; jstack $pid >"$dir/jstack-$r.txt" 2>&1 ) &
  wrk -t2 -c8 -d8s --timeout 10s -s "$here/wrk/mixed.lua" "$url" -- /w/ "${EPOCHREALTIME/./}" \
    >"$dir/wrk-$r.out" 2>&1
  c1=$(cpu)
  echo "round $r: $(grep '^result:' "$dir/wrk-$r.out") server_cpu_s=$(((c1 - c0) / hz))"
done
echo "database folder after: $(du -sh "$dir/data/db" | cut -f1)"
grep 'compacted' "$dir/server.log" | tail -3
