#!/usr/bin/env bash
# The backup that docs/DEPLOY.md prescribes, taken from a running server on PostgreSQL and a blob
# folder, then restored into a new database and served: copy the blob folder, dump the database,
# copy the blob folder again (adding, never overwriting or deleting), all within the orphan grace
# period. Files written before, between and after the steps, and files deleted after the dump,
# must read back from the restored copy exactly as they were when the dump was taken, and
# `depthdav check` must pass on it. Prints the counts; exits non-zero on any difference.
#
# usage: litmus-tests/backup.sh [JAR]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../target/depthdav.jar}
work=$(mktemp -d /tmp/depthdav-backup.XXXXXX)
chmod 755 "$work"
. "$here/serve.sh"
. "$here/postgres.sh"
ensure_tools curl:curl || { echo "backup: tools missing" >&2; exit 2; }

restored_pid=
cleanup() {
  stop_depthdav
  [ -n "$restored_pid" ] && { kill "$restored_pid" 2>/dev/null; wait "$restored_pid" 2>/dev/null; }
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT

start_postgres "$work" || exit 1
port=${PG_URL#*127.0.0.1:}; port=${port%%/*}
pg() { "${PG_AS[@]}" "$PG_BIN/$1" -h 127.0.0.1 -p "$port" -U dav "${@:2}"; }
start_depthdav "$jar" "$work" --db "$PG_URL" --db-user dav --blobs "file:$work/blobs" \
  --processing off || exit 1
base=$DAV_URL
put() { [ "$(curl -s -o /dev/null -w '%{http_code}' -T - "${base}$1" <<<"$2")" = 201 ] || { echo "backup: PUT $1 failed"; exit 1; }; }
for d in early middle late; do curl -s -o /dev/null -X MKCOL "${base}$d/"; done
for i in $(seq 1 30); do put "early/$i" "early $i $RANDOM"; done

# 1. The blob folder, as it is.
mkdir -p "$work/backup"
cp -a "$work/blobs" "$work/backup/blobs"
# Written after the first copy: their content is in no copy yet.
for i in $(seq 1 20); do put "middle/$i" "middle $i $RANDOM"; done
# 2. The database.
pg pg_dump -Fc -f "$PG_DIR/db.dump" postgres || exit 1
# What the dump holds, to compare the restored copy with.
for f in $(seq 1 30 | sed 's|^|early/|') $(seq 1 20 | sed 's|^|middle/|'); do
  printf '%s\t%s\n' "$f" "$(curl -s "${base}$f" | sha256sum | cut -c1-64)"
done >"$work/expected"
# After the dump: changes the backup must not show, and deletions it must survive.
for i in $(seq 1 10); do put "late/$i" "late $i"; done
curl -s -o /dev/null -X DELETE "${base}early/"
curl -s -o /dev/null -X DELETE "${base}middle/"
sleep 2
# 3. The blob folder again, adding what is new, overwriting and deleting nothing.
cp -a -n "$work/blobs/." "$work/backup/blobs/"

# The restore: a new database from the dump, a new server on it and on the copied blobs.
pg createdb restored || exit 1
pg pg_restore -d restored --no-owner "$PG_DIR/db.dump" || exit 1
restored_url=${PG_URL%/postgres}/restored
mkdir -p "$work/r"
# start_depthdav keeps one server's pid: the first one's is kept aside for the cleanup.
first_pid=$DAV_PID
start_depthdav "$jar" "$work/r" --db "$restored_url" --db-user dav \
  --blobs "file:$work/backup/blobs" --processing off || exit 1
restored_pid=$DAV_PID DAV_PID=$first_pid rurl=$DAV_URL

status=0 same=0
while IFS=$'\t' read -r f sum; do
  if [ "$(curl -s "${rurl}$f" | sha256sum | cut -c1-64)" = "$sum" ]; then same=$((same + 1))
  else echo "backup: $f differs or is missing in the restored copy"; status=1; fi
done <"$work/expected"
late=$(curl -s -o /dev/null -w '%{http_code}' "${rurl}late/1")
[ "$late" = 404 ] || { echo "backup: a file written after the dump is in the restore ($late)"; status=1; }
echo "backup: $same of $(wc -l <"$work/expected") files as they were at the dump, read from the restored copy"
kill "$restored_pid"; wait "$restored_pid" 2>/dev/null; restored_pid=
if java -jar "$jar" check --data "$work/r/data" --db "$restored_url" --db-user dav \
    --blobs "file:$work/backup/blobs" >"$work/check.log" 2>&1; then
  echo "backup: $(tail -1 "$work/check.log") on the restored copy"
else
  echo "backup: check failed on the restored copy:"; cat "$work/check.log"; status=1
fi
exit $status
