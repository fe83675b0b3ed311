# Sourced by the test scripts: start_postgres WORKDIR makes a throwaway PostgreSQL cluster (Debian's
# postgresql package) under WORKDIR, on a free loopback port, trust authentication for the user
# "dav", and sets PG_URL and PG_USER; stop_postgres stops it. PostgreSQL refuses to run as root,
# so as root the cluster runs as the package's postgres user. A missing PostgreSQL fails.

start_postgres() {
  local work=$1 bin port
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; return 2; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PG_DIR=$work/pg
  mkdir -p "$PG_DIR"
  PG_AS=()
  if [ "$(id -u)" = 0 ]; then
    chmod o+x "$work" # the postgres user passes through to its own folder, sees nothing else
    chown postgres "$PG_DIR"
    PG_AS=(runuser -u postgres --)
  fi
  PG_BIN=$bin
  "${PG_AS[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U dav --no-sync >"$work/pg-init.log" 2>&1 \
    || { cat "$work/pg-init.log" >&2; return 1; }
  "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
    || { cat "$PG_DIR/log" >&2; return 1; }
  PG_URL="jdbc:postgresql://127.0.0.1:$port/postgres"
  PG_USER=dav
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -m fast stop >/dev/null 2>&1 || true
  fi
}
