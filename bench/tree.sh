#!/usr/bin/env bash
# tree.sh BASE DIRS FILES PARALLEL: builds BASE/d<i>/f<j>.txt (4 KiB each) over HTTP with curl's
# parallel transfers (one process, PARALLEL keep-alive connections): MKCOL BASE, then the DIRS
# collections, then every file, each batch once the one before it has been answered. Prints
# resources=, seconds=, per_second= and errors= (answers outside 2xx), the line bench/compare.sh
# reads; the bodies are made before the clock starts. curl does little per request, so the server, not the client, sets the rate.
set -uo pipefail
base=$1 dirs=$2 files=$3 par=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A body of its own for every file (random bytes): no server can skip storing one as a duplicate.
mkdir "$tmp/body"
head -c $((dirs * files * 4096)) /dev/urandom | split -b 4096 -d -a 7 - "$tmp/body/"
for d in $(seq 0 $((dirs - 1))); do printf 'url = "%sd%d/"\noutput = "/dev/null"\n' "$base" "$d"; done >"$tmp/mkcol.cfg"
awk -v d="$dirs" -v f="$files" -v b="$base" -v t="$tmp/body" 'BEGIN {
  for (i = 0; i < d; i++) for (j = 0; j < f; j++)
    printf "upload-file = \"%s/%07d\"\nurl = \"%sd%d/f%d.txt\"\noutput = \"/dev/null\"\n", t, i * f + j, b, i, j
}' >"$tmp/put.cfg"
t0=$EPOCHREALTIME
{
  curl -s -o /dev/null -w '%{http_code}\n' -X MKCOL "$base"
  curl -s -Z --parallel-max "$par" -X MKCOL -w '%{http_code}\n' -K "$tmp/mkcol.cfg"
  curl -s -Z --parallel-max "$par" -w '%{http_code}\n' -K "$tmp/put.cfg"
} >"$tmp/codes" 2>/dev/null
t1=$EPOCHREALTIME
awk -v a="$t0" -v b="$t1" '{n++} !/^2/ {e++} END {
  printf "resources=%d seconds=%.2f per_second=%.0f errors=%d\n", n, b - a, n / (b - a), e}' "$tmp/codes"
