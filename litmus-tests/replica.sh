#!/usr/bin/env bash
# A depthdav server on a PostgreSQL primary with a synchronous streaming replica, as
# docs/DEPLOY.md describes: writers PUT files without pause, the primary is killed (SIGKILL of
# every PostgreSQL process) while they do, the replica is promoted, and the server, which names
# both in its JDBC URL (targetServerType=primary), serves again by itself. Every PUT that was
# answered 2xx before, during or after the switch must then read back byte for byte, and
# `depthdav check` must pass on the promoted database. Prints the counts; exits non-zero on any
# lost write, on a 5xx other than 503 during the outage, or when the server does not recover.
#
# usage: litmus-tests/replica.sh [JAR]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../target/depthdav.jar}
work=$(mktemp -d /tmp/depthdav-replica.XXXXXX)
chmod 755 "$work"
. "$here/serve.sh"
. "$here/postgres.sh"
ensure_tools curl:curl || { echo "replica: tools missing" >&2; exit 2; }

writers=()
cleanup() {
  for p in "${writers[@]}"; do kill "$p" 2>/dev/null; done
  stop_depthdav
  [ -n "${standby:-}" ] && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$standby" -w -m immediate stop >/dev/null 2>&1
  stop_postgres
  [ -n "${KEEP:-}" ] && echo "replica: kept $work" || rm -rf "$work"
}
trap cleanup EXIT

start_postgres "$work" || exit 1
primary_port=${PG_URL#*127.0.0.1:}; primary_port=${primary_port%%/*}
psql_at() { "${PG_AS[@]}" "$PG_BIN/psql" -X -q -t -A -h 127.0.0.1 -p "$1" -U dav -d postgres -c "$2"; }

# The replica: a base backup of the primary, streaming from it under the name "standby".
standby_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
standby=$PG_DIR/standby
"${PG_AS[@]}" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U dav -D "$standby" -R \
  -X stream >"$work/basebackup.log" 2>&1 || { cat "$work/basebackup.log" >&2; exit 1; }
echo "primary_conninfo = 'host=127.0.0.1 port=$primary_port user=dav application_name=standby'" \
  | "${PG_AS[@]}" tee -a "$standby/postgresql.auto.conf" >/dev/null
"${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$standby" -w -l "$PG_DIR/standby.log" \
  -o "-p $standby_port -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
  || { cat "$PG_DIR/standby.log" >&2; exit 1; }
# Synchronous: the primary answers a commit once the replica has it on disk.
psql_at "$primary_port" "ALTER SYSTEM SET synchronous_standby_names = 'standby'" || exit 1
psql_at "$primary_port" "SELECT pg_reload_conf()" >/dev/null || exit 1
for _ in $(seq 1 100); do
  [ "$(psql_at "$primary_port" "SELECT sync_state FROM pg_stat_replication")" = sync ] && break
  sleep 0.1
done
state=$(psql_at "$primary_port" "SELECT sync_state FROM pg_stat_replication")
[ "$state" = sync ] || { echo "replica: the standby is not synchronous ($state)" >&2; exit 1; }
echo "replica: primary on $primary_port, synchronous standby on $standby_port"

url="jdbc:postgresql://127.0.0.1:$primary_port,127.0.0.1:$standby_port/postgres?targetServerType=primary"
start_depthdav "$jar" "$work" --db "$url" --db-user dav --blobs "file:$work/blobs" \
  --processing off || exit 1
base=$DAV_URL
curl -s -o /dev/null -X MKCOL "${base}w/"

# writer K: PUTs w/K-N with body "K-N" until stopped; logs "N STATUS" per request.
writer() {
  local k=$1 n=0 code
  while :; do
    n=$((n + 1))
    code=$(curl -s -o /dev/null -m 30 -w '%{http_code}' -T - "${base}w/$k-$n" <<<"$k-$n")
    echo "$n $code" >>"$work/writer-$k.log"
  done
}
for k in 1 2 3 4; do writer "$k" & writers+=($!); done
sleep 3

# The crash: every process of the primary at once, then the promotion of the standby.
pm=$(head -1 "$PG_DIR/data/postmaster.pid")
kill -9 "$pm" $(pgrep -P "$pm") 2>/dev/null
echo "replica: primary killed (SIGKILL) after $(cat "$work"/writer-*.log | wc -l) requests"
sleep 2
during=$(curl -s -o /dev/null -m 30 -w '%{http_code}' -T - "${base}outage" <<<"x")
"${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$standby" -w promote >/dev/null || exit 1
recovered=
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -m 30 -w '%{http_code}' -T - "${base}after" <<<"y")" = 201 ] \
    && { recovered=1; break; }
  sleep 0.5
done
sleep 3
for p in "${writers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
writers=()

status=0
[ -n "$recovered" ] || { echo "replica: the server did not serve again within 60 s"; status=1; }
[ "$during" = 503 ] || { echo "replica: a PUT while no primary was up answered $during, not 503"; status=1; }
acked=0 lost=0 other=0
for k in 1 2 3 4; do
  while read -r n code; do
    case $code in
      2*) acked=$((acked + 1))
          [ "$(curl -s -m 30 "${base}w/$k-$n")" = "$k-$n" ] || { lost=$((lost + 1)); echo "replica: lost w/$k-$n"; } ;;
      503|000) ;;
      *) other=$((other + 1)); echo "replica: w/$k-$n answered $code" ;;
    esac
  done <"$work/writer-$k.log"
done
refused=$(cat "$work"/writer-*.log | awk '$2 == 503' | wc -l)
echo "replica: $acked PUTs acknowledged, $refused answered 503 during the switch, lost: $lost"
[ "$lost" = 0 ] && [ "$other" = 0 ] || status=1
[ "$refused" -gt 0 ] || { echo "replica: no writer saw the outage (the kill came too late?)"; status=1; }
stop_depthdav
if java -jar "$jar" check --data "$work/data" --db "$url" --db-user dav \
    --blobs "file:$work/blobs" >"$work/check.log" 2>&1; then
  echo "replica: $(tail -1 "$work/check.log") on the promoted standby"
else
  echo "replica: check failed:"; cat "$work/check.log"; status=1
fi
exit $status
