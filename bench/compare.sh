#!/usr/bin/env bash
# depthdav against Apache mod_dav, rclone serve webdav and nginx (dav + dav-ext), side by side in
# one run on this machine: each server on loopback with a fresh data folder, identical workloads
# over HTTP (bench/Load.java), medians with min-max over repeats, ratios against Apache.
#
# usage: bench/compare.sh [--quick] [--servers "depthdav depthdav-nofsync apache rclone nginx"]
#                         [--repeat N]
# Needs root to install and run the reference servers; writes bench/results/compare-<date>.md.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$here/../target/depthdav.jar}
servers="depthdav depthdav-nofsync apache rclone nginx"
repeat=3
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; servers=depthdav; repeat=1 ;;
    --servers) servers=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
secs=$([ $quick = 1 ] && echo 3 || echo 8)
bigmib=$([ $quick = 1 ] && echo 32 || echo 1024)
[ -f "$JAR" ] || (cd "$here/.." && mvn -q -B package -DskipTests) || exit 1
need=()
for pc in apache2:apache2 nginx:nginx libnginx-mod-http-dav-ext:/usr/lib/nginx/modules/ngx_http_dav_ext_module.so rclone:rclone curl:curl; do
  p=${pc%%:*} c=${pc#*:}
  { [ -e "$c" ] || command -v "$c" >/dev/null; } || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "missing ${need[*]}; run as root to install" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" || exit 1
fi
. "$here/servers/start.sh"
work=$(mktemp -d /tmp/depthdav-compare.XXXXXX)
chmod 755 "$work"
running=()
cleanup() { for s in "${running[@]}"; do stop_server "$s" "$work/$s"; done; sleep 1; rm -rf "$work"; }
trap cleanup EXIT
load() { java -Xmx1g "$here/Load.java" "$@"; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p"; }
declare -A R   # R[workload|server] = "value value value"
record() { R["$1|$2"]="${R["$1|$2"]:-} $3"; }
# grow FROM TO: MKCOL TO, then COPY FROM into it ten times (TO holds 1 + 10 x FROM resources).
grow() {
  local c
  c=$(curl -s -o /dev/null -w '%{http_code}' -X MKCOL "${url}$2/")
  [ "$c" = 201 ] || { echo "$s: MKCOL $2 answered $c" >&2; return 1; }
  for k in $(seq 0 9); do
    c=$(curl -s -o /dev/null -w '%{http_code}' -X COPY -H 'Depth: infinity' \
      -H "Destination: ${url}$2/c$k/" "${url}$1/")
    [ "$c" = 201 ] || { echo "$s: COPY $1 to $2/c$k answered $c" >&2; return 1; }
  done
}

# settle: waits until the server is idle (under 5% of one core over a second; at most 10 minutes)
# and prints the seconds it waited. Every measurement starts from an idle server, and work a
# server defers (depthdav's purge after DELETE) is reported instead of slowing what comes next.
settle() {
  local t0 c0 c1 waited=0
  t0=$(date +%s.%N)
  c0=$(server_cpu "$s" "$work/$s")
  while :; do
    sleep 1
    c1=$(server_cpu "$s" "$work/$s")
    [ $((c1 - c0)) -lt 5 ] && break
    c0=$c1
    waited=$((waited + 1))
    [ $waited -ge 600 ] && break
  done
  awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f\n", b - a - 1}'
}

# tree_ops T N: COPY, MOVE and DELETE of tree T (N resources), each from an idle server; after
# DELETE, the seconds until the server is idle again.
tree_ops() {
  local t=$1 n=$2 op out st
  for op in COPY MOVE DELETE; do
    settle >/dev/null
    case $op in
      COPY) out=$(load time COPY "${url}$t/" "${url}c-$t/") ;;
      MOVE) out=$(load time MOVE "${url}c-$t/" "${url}m-$t/") ;;
      DELETE) out=$(load time DELETE "${url}m-$t/") ;;
    esac
    st=$(field status <<<"$out")
    if [ "${st:0:1}" = 2 ]; then record "$op $n s" "$s" "$(field seconds <<<"$out")"
    else record "$op $n s" "$s" "failed:$st"; fi
  done
  record "DELETE $n: busy after it, s" "$s" "$(settle)"
}

# propfind_inf T N: one PROPFIND Depth: infinity of tree T with the server's memory sampled.
propfind_inf() {
  local t=$1 n=$2 rss0 peak lp r out
  settle >/dev/null
  rss0=$(server_rss "$s" "$work/$s"); peak=$rss0
  load propfind "${url}$t/" >"$work/pf.out" &
  lp=$!
  while kill -0 $lp 2>/dev/null; do r=$(server_rss "$s" "$work/$s"); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.05; done
  out=$(cat "$work/pf.out")
  if [ "$(field status <<<"$out")" = 207 ]; then
    record "PROPFIND inf $n total s" "$s" "$(field total_s <<<"$out")"
    record "PROPFIND inf $n ttfb s" "$s" "$(field ttfb_s <<<"$out")"
    record "PROPFIND inf $n responses" "$s" "$(field responses <<<"$out")"
    record "PROPFIND inf $n MB" "$s" "$(awk -v b="$(field bytes <<<"$out")" 'BEGIN {printf "%.1f", b / 1e6}')"
    record "PROPFIND inf $n RSS growth MiB" "$s" "$(( (peak - rss0) / 1024 ))"
  else
    record "PROPFIND inf $n total s" "$s" "failed:$(field status <<<"$out")"
  fi
}

port=18400
for s in $servers; do
  port=$((port + 1))
  mkdir -p "$work/$s"
  url=$(start_server "$s" "$port" "$work/$s") || { echo "$s did not start" >&2; continue; }
  running+=("$s")
  echo "== $s at $url" >&2
  out=$(load tree "${url}w/" 10 100 8) && record "build 1,011 (PUT+MKCOL res/s)" "$s" "$(field per_second <<<"$out")"
  load tree "${url}flat/" 1 1000 1 >/dev/null
  out=$(load tree "${url}t10k/" 100 99 8) && record "build 10,001 (PUT+MKCOL res/s)" "$s" "$(field per_second <<<"$out")"
  curl -s -X MKCOL "${url}w/new/" -o /dev/null
  # Bigger trees by COPY, over HTTP like everything else: ten copies of the tree one size down.
  # depthdav-nofsync differs from depthdav only in how uploads reach the disk: no tree workloads.
  trees=""
  if [ "$s" != depthdav-nofsync ]; then
    trees="flat:1,002 t10k:10,001"
    settle >/dev/null; grow t10k t100k && trees="$trees t100k:100,011"
  fi
  # Warm-up, not recorded: one short round of each rate workload (the JVM compiles its hot code).
  for m in propfind1 get put mixed; do
    load rate "$m" "$( [ $m = propfind1 ] && echo "${url}flat/" || echo "${url}w/")" 8 "$((secs / 2))" >/dev/null
  done
  for i in $(seq 1 "$repeat"); do
    for m in propfind1 get put mixed; do
      settle >/dev/null
      c0=$(server_cpu "$s" "$work/$s")
      out=$(load rate "$m" "$( [ $m = propfind1 ] && echo "${url}flat/" || echo "${url}w/")" 8 "$secs")
      c1=$(server_cpu "$s" "$work/$s")
      record "$m req/s (8 clients)" "$s" "$(field per_second <<<"$out")"
      # The server's own CPU time per request, whatever the client's share of the machine.
      n=$(field requests <<<"$out")
      [ "${n:-0}" -gt 0 ] && record "$m server CPU ms per request" "$s" \
        "$(awk -v c=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", c * 1000 / hz / n}')"
      [ "$(field errors <<<"$out")" = 0 ] || record "$m errors (status x count)" "$s" "$(field error_statuses <<<"$out")"
    done
    for tn in $trees; do propfind_inf "${tn%%:*}" "${tn#*:}"; done
    settle >/dev/null
    out=$(load bigput "${url}big.bin" "$bigmib") && record "PUT ${bigmib} MiB MB/s" "$s" "$(field mb_per_s <<<"$out")"
    settle >/dev/null
    out=$(load bigget "${url}big.bin") && record "GET ${bigmib} MiB MB/s" "$s" "$(field mb_per_s <<<"$out")"
    for tn in $trees; do
      [ "${tn%%:*}" = flat ] || tree_ops "${tn%%:*}" "${tn#*:}"
    done
  done
  # depthdav alone: a million resources, once, after everything else.
  if [ "$s" = depthdav ] && [ $quick = 0 ]; then
    settle >/dev/null
    if grow t100k t1m; then
      propfind_inf t1m 1,000,111
      tree_ops t1m 1,000,111
    fi
  fi
  stop_server "$s" "$work/$s"
  running=("${running[@]/$s}")
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "-"; exit} m=a[int((NR+1)/2)]; if (NR>1) printf "%s (%s–%s)", m, a[1], a[NR]; else print m}'; }
mid() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
# ratio_aim LABEL WORKLOAD rate|secs TARGET: one row of the aims table, depthdav against Apache.
ratio_aim() {
  local d a
  d=$(mid <<<"${R["$2|depthdav"]:-}"); a=$(mid <<<"${R["$2|apache"]:-}")
  if [[ -z "$d" || -z "$a" || "$d" == *failed* || "$a" == *failed* ]]; then echo "| $1 | not measured | - |"; return; fi
  awk -v d="$d" -v a="$a" -v k="$3" -v t="$4" -v l="$1" 'BEGIN {
    r = (k == "rate") ? d / a : a / d
    printf "| %s | %.2f× | %s |\n", l, r, (r >= t) ? "yes" : "no" }'
}
mkdir -p "$here/results"
res="$here/results/compare-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "# depthdav against reference servers, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Command: \`bench/compare.sh $([ $quick = 1 ] && echo --quick)\` (repeats: $repeat; rate workloads ${secs} s each)."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, kernel $(uname -r), disk $(df -h /tmp | awk 'NR==2 {print $1, $2}'); $(java -version 2>&1 | head -1)."
  echo "Servers: depthdav $(cd "$here/.." && git rev-parse --short HEAD 2>/dev/null) (-Xmx512m, --processing off, --propfind-budget 2000000; depthdav-nofsync: the same with --fsync off); $(apache2 -v 2>/dev/null | head -1 | sed 's/Server version: //') mod_dav_fs; $(nginx -v 2>&1 | sed 's/nginx version: //') dav + dav-ext; $(rclone version 2>/dev/null | head -1)."
  echo
  echo "Every measurement starts once the server is idle (under 5% of a core over a second). \"DELETE n: busy after it\" is how long the server kept working after answering the DELETE (depthdav purges detached rows in the background). The 1,000,111-resource workloads ran once, after the others."
  echo
  echo "Each cell: median (min–max) over the repeats. Ratio: depthdav ÷ Apache for rates and MB/s, Apache ÷ depthdav for seconds and CPU per request, so above 1 means depthdav is better. \"server CPU ms per request\" is the CPU time (user + system) the server's processes used during a rate workload divided by the requests it answered. A failed workload shows its HTTP status."
  echo
  printf '| workload |'; for s in $servers; do printf ' %s |' "$s"; done; echo ' depthdav vs Apache |'
  printf '| --- |'; for s in $servers; do printf ' ---: |'; done; echo ' ---: |'
  for k in "${!R[@]}"; do echo "${k%%|*}"; done | sort -u | while read -r w; do
    printf '| %s |' "$w"
    for s in $servers; do v=${R["$w|$s"]:-}; if [[ "$v" == *failed* ]]; then printf ' %s |' "$(echo $v | tr ' ' '\n' | head -1)"; else printf ' %s |' "$(median <<<"$v")"; fi; done
    d=$(mid <<<"${R["$w|depthdav"]:-}"); a=$(mid <<<"${R["$w|apache"]:-}")
    if [[ -n "$d" && -n "$a" && "$d" != *failed* && "$a" != *failed* && "$w" != *responses* && "$w" != *RSS* && "$w" != *errors* && "$w" != *" MB" && "$w" != *busy* ]]; then
      case $w in *" s"|*" per request") awk -v a="$a" -v d="$d" 'BEGIN {if (d > 0) printf " %.2f |\n", a / d; else print " - |"}' ;;
        *) awk -v a="$a" -v d="$d" 'BEGIN {if (a > 0) printf " %.2f |\n", d / a; else print " - |"}' ;; esac
    else echo " - |"; fi
  done
  if [[ " $servers " == *" depthdav "* && " $servers " == *" apache "* ]]; then
    echo
    echo "## Aims (issue 5), from the medians above"
    echo
    echo "| aim | measured | met |"
    echo "| --- | ---: | :---: |"
    ratio_aim "PROPFIND Depth 1 req/s ≥ 3× Apache" "propfind1 req/s (8 clients)" rate 3
    ratio_aim "PROPFIND Depth infinity, 100,011 resources, ≥ 2× faster" "PROPFIND inf 100,011 total s" secs 2
    ratio_aim "GET 4 KiB req/s ≥ Apache" "get req/s (8 clients)" rate 1
    ratio_aim "PUT 4 KiB req/s ≥ Apache (depthdav's PUT durable)" "put req/s (8 clients)" rate 1
    if [[ -n "${R["put req/s (8 clients)|depthdav-nofsync"]:-}" ]]; then
      awk -v d="$(mid <<<"${R["put req/s (8 clients)|depthdav-nofsync"]}")" \
        -v a="$(mid <<<"${R["put req/s (8 clients)|apache"]:-0}")" 'BEGIN {
        if (a > 0) printf "| (for comparison: PUT 4 KiB req/s with --fsync off) | %.2f× | %s |\n", d / a, (d >= a) ? "yes" : "no" }'
    fi
    ratio_aim "PUT ${bigmib} MiB MB/s ≥ 0.9× Apache" "PUT ${bigmib} MiB MB/s" rate 0.9
    ratio_aim "GET ${bigmib} MiB MB/s ≥ 0.8× Apache" "GET ${bigmib} MiB MB/s" rate 0.8
    ratio_aim "COPY 10,001 ≥ 10× faster" "COPY 10,001 s" secs 10
    ratio_aim "COPY 100,011 ≥ 10× faster" "COPY 100,011 s" secs 10
    for n in 100,011 1,000,111; do
      g=$(mid <<<"${R["PROPFIND inf $n RSS growth MiB|depthdav"]:-}")
      [ -n "$g" ] && echo "| PROPFIND Depth infinity, $n: server memory growth < 64 MiB | $g MiB | $(awk -v g="$g" 'BEGIN {print (g < 64) ? "yes" : "no"}') |"
    done
    for op in MOVE DELETE; do
      for n in 10,001 100,011 1,000,111; do
        v=${R["$op $n s|depthdav"]:-}
        [ -z "$v" ] || [[ "$v" == *failed* ]] && continue
        hi=$(tr ' ' '\n' <<<"$v" | grep -v '^$' | sort -g | tail -1)
        echo "| $op $n < 20 ms | median $(awk -v x="$(mid <<<"$v")" 'BEGIN {printf "%.1f", x * 1000}') ms, max $(awk -v x="$hi" 'BEGIN {printf "%.1f", x * 1000}') ms | $(awk -v x="$hi" 'BEGIN {print (x < 0.020) ? "yes" : "no"}') |"
      done
    done
  fi
} >"$res"
cp "$res" "$here/results/compare-latest.md"
cat "$res"
