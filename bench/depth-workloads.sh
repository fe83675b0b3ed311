#!/usr/bin/env bash
# The Depth engine's workloads, over HTTP only, against a fresh depthdav: trees of 10,000,
# 100,000 and 1,000,000 resources (built with PUT/MKCOL, then multiplied with COPY), and for each
# the time of COPY, MOVE, DELETE and PROPFIND Depth: infinity (time to first byte, total,
# resources per second), with the server's heap sampled during the PROPFIND.
#
# usage: bench/depth-workloads.sh [JAR] [SIZES]   (SIZES default "10000 100000 1000000")
# writes bench/results/depth-<date>.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../target/depthdav.jar}
sizes=${2:-10000 100000 1000000}
work=$(mktemp -d /tmp/depthdav-bench.XXXXXX)
. "$here/../litmus-tests/serve.sh"
trap 'stop_depthdav; rm -rf "$work"' EXIT
start_depthdav "$jar" "$work" --propfind-budget 2000000 --processing off
url=${DAV_URL%/}
out="$here/results/depth-$(date -u +%Y%m%dT%H%M%SZ).md"

secs() { # METHOD PATH [headers...] -> prints seconds, fails on a non-2xx status
  local m=$1 p=$2; shift 2
  local r
  r=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X "$m" "$@" "$url$p")
  case "${r%% *}" in 2*) echo "${r#* }";; *) echo "FAILED ${r%% *} for $m $p" >&2; return 1;; esac
}

# 10,000 resources: 1 + 100 collections + 9,899 files, through HTTP.
build10k() {
  curl -sf -X MKCOL "$url/t10000/" >/dev/null
  seq 0 99 | xargs -P 8 -I{} curl -sf -X MKCOL "$url/t10000/d{}/" -o /dev/null
  # Eight curl processes, each uploading its share over one kept-alive connection.
  printf 'x' >"$work/x.txt"
  seq 0 9898 | awk -v u="$url" -v f="$work/x.txt" -v dir="$work" '{
      printf "upload-file = \"%s\"\nurl = \"%s/t10000/d%d/f%d.txt\"\noutput = \"/dev/null\"\n",
        f, u, $1 % 100, $1 > (dir "/put" ($1 % 8) ".cfg") }'
  local pids=()
  for i in 0 1 2 3 4 5 6 7; do curl -sf -K "$work/put$i.cfg" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || return 1; done
}
t0=$(date +%s.%N); build10k; t1=$(date +%s.%N)
build_rate=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print 9999 / (b - a)}')

# Bigger trees: a collection of ten copies of the one below it.
declare -A real=([10000]=10000)
prev=10000
for n in $sizes; do
  [ "$n" -le 10000 ] && continue
  real[$n]=$((1 + 10 * ${real[$prev]}))
  curl -sf -X MKCOL "$url/t$n/" >/dev/null
  for i in $(seq 0 9); do secs COPY "/t$prev/" -H "Destination: $url/t$n/c$i" >/dev/null; done
  prev=$n
done

# Heap in use (KiB): survivor, eden and old generation, as jstat samples them.
heap_used() { jstat -gc "$DAV_PID" | awk 'NR==2 {printf "%.0f\n", $3 + $4 + $6 + $8}'; }

{
  echo "# Depth workloads, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -r); $(java -version 2>&1 | head -1)."
  echo "Server: \`java -Xmx512m -jar depthdav.jar --propfind-budget 2000000 --processing off\`, H2 store on $(df -h /tmp | awk 'NR==2 {print $1}')."
  echo "Command: \`bench/depth-workloads.sh\`. Tree of 10,000 built with PUT/MKCOL through HTTP (8 curl processes, each on one kept-alive connection; every PUT durable before its 201): $(printf '%.0f' "$build_rate") resources/s."
  echo
  echo "| resources | COPY s | COPY res/s | MOVE s | DELETE s | PROPFIND ttfb s | PROPFIND total s | PROPFIND res/s | heap used before / max during (KiB) |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$out"

for n in $sizes; do
  copy=$(secs COPY "/t$n/" -H "Destination: $url/copy$n")
  move=$(secs MOVE "/copy$n/" -H "Destination: $url/moved$n")
  del=$(secs DELETE "/moved$n/")
  before=$(heap_used)
  max=$before
  jstat -gc "$DAV_PID" 50 | awk 'NR > 1 {printf "%.0f\n", $3 + $4 + $6 + $8; fflush()}' >"$work/heap" &
  sampler=$!
  pf=$(curl -s -o "$work/pf.xml" -w '%{http_code} %{time_starttransfer} %{time_total}' -X PROPFIND -H 'Depth: infinity' "$url/t$n/")
  kill "$sampler" 2>/dev/null || true
  max=$(sort -n "$work/heap" | tail -1)
  count=$(grep -o '<D:response>' "$work/pf.xml" | wc -l)
  read -r code ttfb total <<<"$pf"
  [ "$code" = 207 ] && [ "$count" = "${real[$n]}" ] || { echo "PROPFIND of $n answered $code with $count responses" >&2; exit 1; }
  n=${real[$n]}
  printf '| %s | %.2f | %.0f | %.3f | %.3f | %.2f | %.2f | %.0f | %s / %s |\n' "$n" "$copy" \
    "$(awk -v n="$n" -v t="$copy" 'BEGIN {print n / t}')" "$move" "$del" "$ttfb" "$total" "$(awk -v n="$n" -v t="$total" 'BEGIN {print n / t}')" \
    "$before" "${max:-$before}" >>"$out"
done
echo >>"$out"
echo "MOVE and DELETE are one row update each (DELETE detaches; the purger frees rows later)." >>"$out"
cat "$out"
cp "$out" "$here/results/depth-latest.md"
