#!/usr/bin/env bash
# one.sh METHOD URL [DESTINATION]: one COPY, MOVE or DELETE with Depth: infinity (and, for COPY
# and MOVE, Overwrite: T) by curl; prints status= and seconds= (curl's time_total: from the start
# of the TCP connect, about 0.2 ms on loopback, to the last byte of the answer). curl rather than
# bench/Load.java: a JVM started for one request compiles its HTTP client while the server works
# and takes CPU from it; on 2026-12-03 Load.java's MOVE of a tree of 1,011 took 16-44 ms where
# the server logged 8-28 ms, and curl's 7-15 ms where it logged 3-10 ms (bench/README.md).
set -uo pipefail
method=$1 url=$2 dest=${3:-}
args=(-s -o /dev/null -X "$method" -H 'Depth: infinity')
[ -n "$dest" ] && args+=(-H "Destination: $dest" -H 'Overwrite: T')
curl "${args[@]}" -w 'status=%{http_code} seconds=%{time_total}\n' "$url"
