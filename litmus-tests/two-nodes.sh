#!/usr/bin/env bash
# Two depthdav servers on one PostgreSQL database (a throwaway cluster) and one blob folder,
# behind nginx as a round-robin load balancer on loopback, as docs/DEPLOY.md describes: litmus,
# then the rclone sync and cadaver round trips, through the balancer, so that consecutive
# requests land on different servers. Prints how many requests each server answered; exits
# non-zero when any part fails or when one server answered none.
#
# With DAV_BLOBS=s3 the blobs are in an S3 bucket instead of a folder: s3proxy (target/s3proxy.jar)
# on loopback, the servers given --blobs s3://depthdav/blobs and the credentials in the AWS
# variables, as docs/DEPLOY.md describes.
#
# usage: litmus-tests/two-nodes.sh [JAR]
# env:   DAV_BLOBS  file (default) or s3
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../target/depthdav.jar}
work=$(mktemp -d /tmp/depthdav-two-nodes.XXXXXX)
chmod 755 "$work"
. "$here/serve.sh"
. "$here/postgres.sh"
. "$here/s3proxy.sh"
blobs_mode=${DAV_BLOBS:-file}
ensure_tools nginx:nginx rclone:rclone cadaver:cadaver curl:curl \
  || { echo "two-nodes: tools missing" >&2; exit 2; }

pids=()
cleanup() {
  [ -f "$work/nginx.pid" ] && nginx -c "$work/nginx.conf" -s stop 2>/dev/null
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  stop_postgres
  stop_s3proxy
  rm -rf "$work"
}
trap cleanup EXIT

start_postgres "$work" || exit 1
if [ "$blobs_mode" = s3 ]; then
  start_s3proxy "$work" "$(dirname "$jar")/s3proxy.jar" || exit 1
  blob_flags=(--blobs "s3://$S3_BUCKET/blobs" --s3-endpoint "$S3_ENDPOINT" --s3-path-style)
  blobs_said="one S3 bucket at $S3_ENDPOINT"
else
  mkdir -p "$work/blobs"
  blob_flags=(--blobs "file:$work/blobs")
  blobs_said="one blob folder"
fi
ports=()
for node in a b; do
  mkdir -p "$work/$node"
  DAV_PID=
  start_depthdav "$jar" "$work/$node" "${blob_flags[@]}" --db "$PG_URL" \
    --db-user "$PG_USER" --processing off || exit 1
  pids+=("$DAV_PID")
  ports+=("${DAV_URL##*:}")
done
lb=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 256; }
http {
  access_log $work/nginx-access.log;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  upstream depthdav { server 127.0.0.1:${ports[0]%/}; server 127.0.0.1:${ports[1]%/}; }
  server {
    listen 127.0.0.1:$lb;
    client_max_body_size 0;
    location / {
      proxy_pass http://depthdav;
      proxy_http_version 1.1;
      proxy_set_header Host \$http_host;
      proxy_request_buffering off;
      proxy_buffering off;
    }
  }
}
CONF
nginx -c "$work/nginx.conf" || { cat "$work/nginx-error.log" >&2; exit 1; }
url=http://127.0.0.1:$lb/
echo "two-nodes: nginx at $url over depthdav on ports ${ports[0]%/} and ${ports[1]%/}, one database, $blobs_said"

status=0
DAV_URL_GIVEN=$url bash "$here/run.sh" "$jar" || status=1
for c in rclone-sync cadaver; do
  mkdir -p "$work/$c"
  if timeout 600 bash "$here/../client-tests/$c.sh" "$url" "$work/$c" >"$work/$c.log" 2>&1; then
    echo "two-nodes client $c: PASS ($(tail -1 "$work/$c.log"))"
  else
    echo "two-nodes client $c: FAIL; its log:"; sed 's/^/    /' "$work/$c.log"; status=1
  fi
done
na=$(grep -c RequestLog "$work/a/server.log" || true)
nb=$(grep -c RequestLog "$work/b/server.log" || true)
echo "two-nodes: requests answered by the first server $na, by the second $nb"
{ [ "$na" -gt 0 ] && [ "$nb" -gt 0 ]; } || { echo "two-nodes: one server answered nothing"; status=1; }
if [ "$blobs_mode" = s3 ]; then
  # the contents went to the bucket, and no server kept a blob folder of its own
  objects=$(find "$work/s3/objects/$S3_BUCKET/blobs" -type f 2>/dev/null | wc -l)
  echo "two-nodes: $objects objects in the bucket"
  [ "$objects" -gt 0 ] || { echo "two-nodes: nothing was stored in the bucket"; status=1; }
  for node in a b; do
    [ ! -e "$work/$node/data/blobs" ] || { echo "two-nodes: $node has a blob folder"; status=1; }
  done
fi
exit $status
