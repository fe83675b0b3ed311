#!/usr/bin/env bash
# depthdav against Apache mod_dav, rclone serve webdav and nginx (dav + dav-ext), side by side in
# one run on this machine: each server on loopback with a fresh data folder, identical workloads
# over HTTP, medians with min-max over repeats, ratios against Apache. Rate workloads are driven by
# wrk (bench/wrk/*.lua), large files and tree builds by curl (bench/tree.sh), COPY, MOVE, DELETE
# by curl (bench/one.sh), PROPFIND of trees by bench/Load.java (one request each).
#
# usage: bench/compare.sh [--quick] [--servers "depthdav depthdav-nofsync apache rclone nginx
#                         depthdav-pg depthdav-2nodes depthdav-pg-s3 depthdav-2nodes-s3
#                         depthdav-before"]
#                         [--repeat N] [--no-trees]
# depthdav-before is an earlier build for a before/after table in the same run: BEFORE_JAR=its
# jar, BEFORE_REV=its commit (for the results), BEFORE_JVM=the JVM options its README gave.
# --no-trees leaves out the PROPFIND Depth infinity, COPY, MOVE and DELETE of large trees.
# Needs root to install and run the reference servers; writes bench/results/compare-<date>.md.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$here/../target/depthdav.jar}
servers="depthdav depthdav-nofsync apache rclone nginx"
args=""; [ $# -gt 0 ] && args=$(printf " %q" "$@")   # for the results file
repeat=3
quick=0
notrees=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; servers=depthdav; repeat=1 ;;
    --no-trees) notrees=1 ;;
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
for pc in apache2:apache2 nginx:nginx libnginx-mod-http-dav-ext:/usr/lib/nginx/modules/ngx_http_dav_ext_module.so rclone:rclone curl:curl wrk:wrk; do
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
cleanup() { kill "$sampler" 2>/dev/null; for s in "${running[@]}"; do stop_server "$s" "$work/$s"; done; sleep 1; rm -rf "$work"; }
trap cleanup EXIT
load() { java -Xmx1g "$here/Load.java" "$@"; }
# tree BASE DIRS FILES PARALLEL: a tree built by curl's parallel transfers (bench/tree.sh).
tree() { bash "$here/tree.sh" "$@"; }
# client_cpu CMD...: runs CMD, prints its output and client_pct=, the CPU time of CMD's processes
# over the wall time, in % of one core (from `times` in the subshell that runs it).
client_cpu() {
  local t0=$EPOCHREALTIME out
  out=$("$@"; times >"$work/cmd.times") || return 1
  awk -v o="$out" -v a="$t0" -v b="$EPOCHREALTIME" 'NR == 2 {split($1, u, /[ms]/); split($2, k, /[ms]/)
    printf "%s client_pct=%.0f\n", o, (u[1] * 60 + u[2] + k[1] * 60 + k[2]) * 100 / (b - a)}' "$work/cmd.times"
}
hz=$(getconf CLK_TCK)
last_cpu=$(($(nproc) - 1))
# Other heavy jobs on the machine (builds, tests, browsers), sampled every 30 s for the results:
# one line per sample, the kinds of job seen in it.
( while :; do ps -eo comm=,args= | awk '$1 == "awk" {next} /surefire/ {k["tests (surefire)"]}
    /plexus-classworlds|bin\/mvn/ {k["maven"]} /chromium/ {k["chromium"]}
    END {s = ""; for (j in k) s = s j ","; print s}'; sleep 30; done >"$work/others.log" ) &
sampler=$!
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
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

# settle: waits until the server is idle (under 5% of one core over a second, 5% more for each
# further process of a deployment: its database, a second node; at most 10 minutes)
# and prints the seconds it waited. Every measurement starts from an idle server, and work a
# server defers (depthdav's purge after DELETE) is reported instead of slowing what comes next.
settle() {
  local t0 c0 c1 waited=0
  t0=$(date +%s.%N)
  c0=$(server_cpu "$s" "$work/$s")
  while :; do
    sleep 1
    c1=$(server_cpu "$s" "$work/$s")
    [ $((c1 - c0)) -lt "$(idle_ticks "$s" "$work/$s")" ] && break
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
      COPY) out=$(bash "$here/one.sh" COPY "${url}$t/" "${url}c-$t/") ;;
      MOVE) out=$(bash "$here/one.sh" MOVE "${url}c-$t/" "${url}m-$t/") ;;
      DELETE) out=$(bash "$here/one.sh" DELETE "${url}m-$t/") ;;
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

# pin_server CPUS: moves every thread of the server's processes onto CPUS (taskset list).
pin_server() {
  local p
  for p in $(server_pids "$s" "$work/$s"); do taskset -a -p -c "$1" "$p" >/dev/null 2>&1; done
}

# wrk_rate M SECONDS [pinned]: one wrk run of workload M (bench/wrk/M.lua: 2 threads, 8
# connections) against the current server; prints wrk's result line and, measured around it,
# client_pct and server_pct (CPU time over wall time, in % of one core) and server_us (the
# server's CPU per request). "pinned": wrk on core 0, the server on the other core(s).
wrk_rate() {
  local m=$1 d=$2 pin=${3:-} path=/w/ c0 c1 t0 t1 out client
  [ "$m" = propfind1 ] && path=/flat/d0/
  [ -n "$pin" ] && pin_server "1-$last_cpu"
  c0=$(server_cpu "$s" "$work/$s"); t0=$(date +%s.%N)
  # `times` in the subshell gives the CPU time of its one child, wrk.
  ( ${pin:+taskset -c 0} wrk -t2 -c8 -d"${d}s" --timeout 10s -s "$here/wrk/$m.lua" "$url" -- \
      "$path" "${EPOCHREALTIME/./}" >"$work/wrk.out" 2>&1; times >"$work/wrk.times" )
  c1=$(server_cpu "$s" "$work/$s"); t1=$(date +%s.%N)
  [ -n "$pin" ] && pin_server "0-$last_cpu"
  out=$(grep '^result:' "$work/wrk.out") || { echo "$s: wrk $m failed: $(tail -3 "$work/wrk.out")" >&2; return 1; }
  client=$(awk 'NR == 2 {split($1, u, /[ms]/); split($2, k, /[ms]/); print u[1] * 60 + u[2] + k[1] * 60 + k[2]}' "$work/wrk.times")
  awk -v o="$out" -v cl="$client" -v c="$((c1 - c0))" -v hz="$hz" -v a="$t0" -v b="$t1" \
    -v n="$(field requests <<<"$out")" 'BEGIN {
      printf "%s client_pct=%.0f server_pct=%.0f server_us=%.0f\n", o, cl * 100 / (b - a),
        c / hz * 100 / (b - a), (n > 0) ? c / hz * 1e6 / n : 0 }'
}

# rate_round M SECONDS [pinned]: one recorded wrk run; the pinned runs go under their own names.
rate_round() {
  local m=$1 k=$1 out e
  [ -n "${3:-}" ] && k="$1 pinned"
  out=$(wrk_rate "$1" "$2" "${3:-}") || { record "$k req/s" "$s" failed:wrk; return; }
  record "$k req/s" "$s" "$(field per_second <<<"$out")"
  record "$k p50 ms" "$s" "$(field p50_ms <<<"$out")"
  record "$k p99 ms" "$s" "$(field p99_ms <<<"$out")"
  record "$k server CPU µs/request" "$s" "$(field server_us <<<"$out")"
  record "$k client CPU %" "$s" "$(field client_pct <<<"$out")"
  record "$k server CPU %" "$s" "$(field server_pct <<<"$out")"
  e=$(( $(field status_errors <<<"$out") + $(field socket_errors <<<"$out") ))
  [ "$e" = 0 ] || record "$k errors (HTTP ≥ 400 + socket)" "$s" "$e"
}

# big_put / big_get: one large file with curl, from and to the page cache; prints MB/s.
big() {
  local r
  if [ "$1" = put ]; then
    r=$(curl -s -T "$work/big.bin" -o /dev/null -w '%{http_code} %{size_upload} %{time_total}' "${url}big.bin")
  else
    r=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}' "${url}big.bin")
  fi
  set -- $r
  [ "${1:0:1}" = 2 ] || { echo "failed:$1"; return; }
  awk -v b="$2" -v t="$3" 'BEGIN {printf "%.0f\n", b / 1e6 / t}'
}
head -c "$((bigmib << 20))" /dev/urandom >"$work/big.bin"

port=18400
for s in $servers; do
  port=$((port + 1))
  mkdir -p "$work/$s"
  url=$(start_server "$s" "$port" "$work/$s") || { echo "$s did not start" >&2; continue; }
  running+=("$s")
  echo "== $s at $url" >&2
  out=$(tree "${url}w/" 10 100 8) && record "build 1,011 (PUT+MKCOL res/s)" "$s" "$(field per_second <<<"$out")"
  tree "${url}flat/" 1 1000 1 >/dev/null
  if out=$(client_cpu tree "${url}t10k/" 100 99 8); then
    record "build 10,001 (PUT+MKCOL res/s)" "$s" "$(field per_second <<<"$out")"
    record "build 10,001: client (curl) CPU, % of a core" "$s" "$(field client_pct <<<"$out")"
    [ "$(field errors <<<"$out")" = 0 ] || record "build 10,001 errors" "$s" "$(field errors <<<"$out")"
  fi
  curl -s -X MKCOL "${url}w/new/" -o /dev/null
  # Bigger trees by COPY, over HTTP like everything else: ten copies of the tree one size down.
  # depthdav-nofsync differs from depthdav only in how uploads reach the disk: no tree workloads.
  trees=""
  if [ "$s" != depthdav-nofsync ] && [ $notrees = 0 ]; then
    trees="flat:1,002 t10k:10,001"
    settle >/dev/null; grow t10k t100k && trees="$trees t100k:100,011"
  fi
  # Warm-up, not recorded: one short round of each rate workload (the JVM compiles its hot code).
  for m in propfind1 get put mixed; do wrk_rate "$m" "$((secs / 2))" >/dev/null; done
  for i in $(seq 1 "$repeat"); do
    for m in propfind1 get put mixed; do
      settle >/dev/null
      rate_round "$m" "$secs"
    done
    for tn in $trees; do propfind_inf "${tn%%:*}" "${tn#*:}"; done
    cat "$work/big.bin" >/dev/null   # into the page cache
    settle >/dev/null
    record "PUT ${bigmib} MiB MB/s" "$s" "$(big put)"
    settle >/dev/null
    record "GET ${bigmib} MiB MB/s" "$s" "$(big get)"
    for tn in $trees; do
      [ "${tn%%:*}" = flat ] || tree_ops "${tn%%:*}" "${tn#*:}"
    done
  done
  # Once more, each rate workload with wrk on core 0 and the server on the other: does the client
  # keep up when it has a core to itself?
  for m in propfind1 get put mixed; do
    settle >/dev/null
    rate_round "$m" "$secs" pinned
  done
  # depthdav alone: a million resources, once, after everything else.
  if [ "$s" = depthdav ] && [ $quick = 0 ] && [ $notrees = 0 ]; then
    settle >/dev/null
    if grow t100k t1m; then
      propfind_inf t1m 1,000,111
      tree_ops t1m 1,000,111
    fi
  fi
  record "server peak resident memory, MiB (VmHWM)" "$s" "$(( $(server_hwm "$s" "$work/$s") / 1024 ))"
  stop_server "$s" "$work/$s"
  running=("${running[@]/$s}")
  sleep 1
  rm -rf "${work:?}/$s"
done
kill "$sampler" 2>/dev/null

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
# cell W S: median (min–max) of workload W on server S, or its failure.
cell() {
  local v=${R["$1|$2"]:-}
  if [[ "$v" == *failed* ]]; then tr ' ' '\n' <<<"$v" | grep failed | head -1; else median <<<"$v"; fi
}
# per_server W [W2]: the median of W (and of W2, after a slash) for each server, in column order.
per_server() {
  local out="" s v
  for s in $servers; do
    v=$(mid <<<"${R["$1|$s"]:-}")
    [ $# -gt 1 ] && v="${v:--}/$(mid <<<"${R["$2|$s"]:-}")"
    out="$out${out:+ · }${v:--}"
  done
  echo "$out"
}
# ratio W rate|cost [S [T]]: S ÷ T for a rate, T ÷ S for a time or a cost (S: depthdav, T:
# Apache unless named), so above 1 means S is better.
ratio() {
  local d a
  d=$(mid <<<"${R["$1|${3:-depthdav}"]:-}"); a=$(mid <<<"${R["$1|${4:-apache}"]:-}")
  if [[ -z "$d" || -z "$a" || "$d" == *failed* || "$a" == *failed* ]]; then echo -; return; fi
  awk -v d="$d" -v a="$a" -v k="$2" 'BEGIN {
    x = (k == "rate") ? a : d; y = (k == "rate") ? d : a
    if (x > 0) printf "%.2f\n", y / x; else print "-" }'
}
rate_keys="^(get|put|propfind1|mixed)( pinned)? (req/s|p50 ms|p99 ms|server CPU µs/request|client CPU %|server CPU %)$|MiB MB/s$"
mkdir -p "$here/results"
res="$here/results/compare-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "# depthdav against reference servers, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Command: \`bench/compare.sh$args\` (repeats: $repeat; rate workloads ${secs} s each)."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, kernel $(uname -r), disk $(df -h /tmp | awk 'NR==2 {print $1, $2}'); $(java -version 2>&1 | head -1)."
  echo "Servers: depthdav $(cd "$here/.." && git rev-parse --short HEAD 2>/dev/null) ($DEPTHDAV_JVM as README starts it, --processing off, --propfind-budget 2000000; depthdav-nofsync: the same with --fsync off$([[ " $servers " == *" depthdav-before "* ]] && echo "; depthdav-before: ${BEFORE_REV:-an earlier build} as its README started it, java ${BEFORE_JVM:-}-jar, the same flags")); $(apache2 -v 2>/dev/null | head -1 | sed 's/Server version: //') mod_dav_fs; $(nginx -v 2>&1 | sed 's/nginx version: //') dav + dav-ext; $(rclone version 2>/dev/null | head -1)."
  echo
  echo "Every measurement starts once the server is idle (under 5% of a core over a second). \"DELETE n: busy after it\" is how long the server kept working after answering the DELETE (depthdav purges detached rows in the background). The 1,000,111-resource workloads ran once, after the others."
  echo
  echo "Other jobs on the machine during the run (\`ps\` every 30 s): $(awk -F, '{for (i = 1; i < NF; i++) c[$i]++} END {for (j in c) printf "%s in %d, ", j, c[j]; printf "of %d samples", NR}' "$work/others.log"); load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
  echo
  echo "Each cell: median (min–max) over the repeats. Ratio: depthdav ÷ Apache for rates and MB/s, Apache ÷ depthdav for seconds and CPU per request, so above 1 means depthdav is better. A failed workload shows its HTTP status."
  echo
  echo "## Rate workloads (wrk, 2 threads, 8 connections, ${secs} s) and large files (curl)"
  echo
  echo "The last three columns list one value per server, in the order of the columns (${servers// / · }): latency p50/p99 in ms (wrk's own percentiles); the server's CPU time (user + system of its processes, from \`/proc/PID/stat\`) divided by the requests answered, in µs; and CPU time over wall time, in % of one core, of the client (wrk, from \`times\` of its shell) / of the server. The machine has $(nproc) cores: in the plain rows wrk and the server share them as the scheduler likes; in the \"pinned\" rows (one run each) wrk runs on core 0 (\`taskset -c 0\`) and every thread of the server on core 1 (\`taskset -a -p -c 1\`), so a client below 100% of its core is not what limits the rate."
  echo
  printf '| workload |'; for s in $servers; do printf ' %s |' "$s"; done
  echo ' depthdav ÷ Apache | p50/p99 ms | server CPU µs/request | client/server CPU, % of a core |'
  printf '| --- |'; for s in $servers; do printf ' ---: |'; done; echo ' ---: | --- | --- | --- |'
  for m in get put propfind1 mixed "get pinned" "put pinned" "propfind1 pinned" "mixed pinned"; do
    case ${m% pinned} in
      get) l="GET 4 KiB, req/s" ;; put) l="PUT 4 KiB to new paths, req/s" ;;
      propfind1) l="PROPFIND Depth 1 of 1,000 files, req/s" ;; mixed) l="mixed, req/s" ;;
    esac
    [[ "$m" == *pinned ]] && l="$l, pinned"
    [ -n "$(for s in $servers; do echo "${R["$m req/s|$s"]:-}"; done | tr -d ' \n')" ] || continue
    printf '| %s |' "$l"
    for s in $servers; do printf ' %s |' "$(cell "$m req/s" "$s")"; done
    printf ' %s | %s | %s | %s |\n' "$(ratio "$m req/s" rate)" "$(per_server "$m p50 ms" "$m p99 ms")" \
      "$(per_server "$m server CPU µs/request")" "$(per_server "$m client CPU %" "$m server CPU %")"
  done
  for w in "PUT ${bigmib} MiB MB/s" "GET ${bigmib} MiB MB/s"; do
    printf '| %s |' "$w"
    for s in $servers; do printf ' %s |' "$(cell "$w" "$s")"; done
    printf ' %s | | | |\n' "$(ratio "$w" rate)"
  done
  echo
  echo "## Tree workloads (builds: curl, bench/tree.sh; COPY, MOVE, DELETE: curl, bench/one.sh; PROPFIND: bench/Load.java) and errors"
  echo
  printf '| workload |'; for s in $servers; do printf ' %s |' "$s"; done; echo ' depthdav vs Apache |'
  printf '| --- |'; for s in $servers; do printf ' ---: |'; done; echo ' ---: |'
  for k in "${!R[@]}"; do echo "${k%%|*}"; done | sort -u | grep -v -E "$rate_keys" | while read -r w; do
    printf '| %s |' "$w"
    for s in $servers; do printf ' %s |' "$(cell "$w" "$s")"; done
    if [[ "$w" == *responses* || "$w" == *RSS* || "$w" == *resident* || "$w" == *errors* || "$w" == *" MB" || "$w" == *busy* || "$w" == *client* ]]; then echo " - |"
    else
      case $w in *" s") echo " $(ratio "$w" cost) |" ;; *) echo " $(ratio "$w" rate) |" ;; esac
    fi
  done
  if [[ " $servers " == *" depthdav-before "* && " $servers " == *" depthdav "* ]]; then
    echo
    echo "## Before and after: depthdav at ${BEFORE_REV:-an earlier build} and at $(cd "$here/.." && git rev-parse --short HEAD 2>/dev/null), in this run"
    echo
    echo "Medians from the tables above. \"After vs before\": after ÷ before for rates, before ÷ after for times, latencies, CPU and memory, so above 1 means the change helped."
    echo
    echo "| workload | before | after | after vs before | before ÷ Apache | after ÷ Apache |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for w in "get req/s" "put req/s" "propfind1 req/s" "mixed req/s" \
      "get pinned req/s" "put pinned req/s" "propfind1 pinned req/s" "mixed pinned req/s" \
      "get server CPU µs/request" "put server CPU µs/request" "propfind1 server CPU µs/request" \
      "mixed server CPU µs/request" "get p99 ms" "put p99 ms" "propfind1 p99 ms" "mixed p99 ms" \
      "PUT ${bigmib} MiB MB/s" "GET ${bigmib} MiB MB/s" "build 10,001 (PUT+MKCOL res/s)" \
      "COPY 10,001 s" "COPY 100,011 s" "PROPFIND inf 100,011 total s" "PROPFIND inf 100,011 ttfb s" \
      "MOVE 100,011 s" "DELETE 100,011 s" "server peak resident memory, MiB (VmHWM)"; do
      [ -n "${R["$w|depthdav-before"]:-}" ] && [ -n "${R["$w|depthdav"]:-}" ] || continue
      case $w in *req/s|*MB/s|*res/s*) k=rate ;; *) k=cost ;; esac
      printf '| %s | %s | %s | %s | %s | %s |\n' "$w" "$(cell "$w" depthdav-before)" "$(cell "$w" depthdav)" \
        "$(ratio "$w" "$k" depthdav depthdav-before)" "$(ratio "$w" "$k" depthdav-before)" "$(ratio "$w" "$k")"
    done
  fi
  if [[ " $servers " == *" depthdav "* && " $servers " == *" apache "* ]]; then
    echo
    echo "## First aims of the performance issue, from the medians above"
    echo
    echo "| aim | measured | met |"
    echo "| --- | ---: | :---: |"
    ratio_aim "GET 4 KiB req/s ≥ 1.0× Apache" "get req/s" rate 1
    ratio_aim "PUT 4 KiB req/s ≥ 1.0× Apache (depthdav's PUT durable)" "put req/s" rate 1
    if [[ -n "${R["put req/s|depthdav-nofsync"]:-}" ]]; then
      awk -v d="$(mid <<<"${R["put req/s|depthdav-nofsync"]}")" \
        -v a="$(mid <<<"${R["put req/s|apache"]:-0}")" 'BEGIN {
        if (a > 0) printf "| (for comparison: PUT 4 KiB req/s with --fsync off) | %.2f× | %s |\n", d / a, (d >= a) ? "yes" : "no" }'
    fi
    ratio_aim "PROPFIND Depth 1 of 1,000 files req/s ≥ 3× Apache" "propfind1 req/s" rate 3
    ratio_aim "mixed small operations ≥ 1.0× Apache" "mixed req/s" rate 1
    ratio_aim "tree build by MKCOL + PUT (10,001) ≥ 1.0× Apache" "build 10,001 (PUT+MKCOL res/s)" rate 1
    ratio_aim "COPY 10,001 ≥ 3× faster than Apache" "COPY 10,001 s" secs 3
    ratio_aim "COPY 100,011 ≥ 3× faster than Apache" "COPY 100,011 s" secs 3
    ratio_aim "PUT ${bigmib} MiB MB/s ≥ 0.9× Apache" "PUT ${bigmib} MiB MB/s" rate 0.9
    ratio_aim "GET ${bigmib} MiB MB/s ≥ 0.9× Apache" "GET ${bigmib} MiB MB/s" rate 0.9
    ratio_aim "PROPFIND Depth infinity 100,011: time to first byte ≤ Apache's" "PROPFIND inf 100,011 ttfb s" secs 1
    for n in 100,011 1,000,111; do
      g=$(mid <<<"${R["PROPFIND inf $n RSS growth MiB|depthdav"]:-}")
      [ -n "$g" ] && echo "| PROPFIND Depth infinity, $n: server memory growth < 64 MiB | $g MiB | $(awk -v g="$g" 'BEGIN {print (g < 64) ? "yes" : "no"}') |"
    done
    m=$(mid <<<"${R["server peak resident memory, MiB (VmHWM)|depthdav"]:-}")
    [ -n "$m" ] && echo "| depthdav's peak resident memory through the run < 384 MiB | $m MiB | $(awk -v m="$m" 'BEGIN {print (m < 384) ? "yes" : "no"}') |"
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
