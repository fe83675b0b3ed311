# Sourced by the test scripts: start_depthdav JAR WORKDIR [server flags...] starts the jar on a free
# loopback port with a fresh data folder under WORKDIR, sets DAV_URL and DAV_PID, and registers a
# stop on exit. The server announces its URL in its start-up line; the scripts read it from there.

start_depthdav() {
  local jar=$1 work=$2
  shift 2
  [ -f "$jar" ] || { echo "no server jar at $jar (run mvn package)" >&2; return 2; }
  java -Xmx512m -jar "$jar" --port 0 --bind 127.0.0.1 --data "$work/data" "$@" \
    >"$work/server.log" 2>&1 &
  DAV_PID=$!
  DAV_URL=
  for _ in $(seq 1 600); do
    DAV_URL=$(sed -n 's/.*depthdav serving \(http:[^ ]*\) from.*/\1/p' "$work/server.log" | head -1)
    [ -n "$DAV_URL" ] && return 0
    kill -0 "$DAV_PID" 2>/dev/null || { echo "the server exited:" >&2; cat "$work/server.log" >&2; return 1; }
    sleep 0.1
  done
  echo "the server did not start within 60s" >&2
  return 1
}

stop_depthdav() {
  if [ -n "${DAV_PID:-}" ] && kill -0 "$DAV_PID" 2>/dev/null; then
    kill "$DAV_PID" 2>/dev/null || true
    wait "$DAV_PID" 2>/dev/null || true
  fi
}
