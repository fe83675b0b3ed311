#!/usr/bin/env bash
# copy-trees.sh JAR PORT DIR: a tree of 10,001 resources built with bench/tree.sh, grown to
# 100,011 by ten COPYs (as bench/compare.sh grows it), then two timed COPYs of each size, on a
# server started as README starts it. Prints one line: the build's rate, each COPY's status and
# seconds, the data folder's and the database file's size in MB and the server's CPU seconds.
# For comparing two jars one after the other (bench/results/blob-order-20261202.md).
set -uo pipefail
JAR=$1 port=$2 dir=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/servers/start.sh"
rm -rf "$dir" && mkdir -p "$dir"
url=$(start_server depthdav "$port" "$dir") || exit 1
trap 'stop_server depthdav "$dir"' EXIT
copy() {
  curl -s -o /dev/null -w "%{http_code} %{time_total}" -X COPY -H 'Depth: infinity' \
    -H "Destination: $url$2" "$url$1"
}
build=$(bash "$here/tree.sh" "${url}t10k/" 100 99 8)
curl -s -o /dev/null -X MKCOL "${url}t100k/"
for k in $(seq 0 9); do copy t10k/ "t100k/c$k/" >/dev/null; done
c10="$(copy t10k/ x1/), $(copy t10k/ x2/)"
c100="$(copy t100k/ c1/), $(copy t100k/ c2/)"
data=$(du -sm "$dir/data" | cut -f1)
db=$(find "$dir/data" -name '*.mv.db' -exec du -m {} + | cut -f1)
echo "build: $build | COPY 10,001: $c10 | COPY 100,011: $c100 | data ${data} MB, database ${db} MB," \
  "server CPU $(( $(server_cpu depthdav "$dir") / $(getconf CLK_TCK) )) s"
