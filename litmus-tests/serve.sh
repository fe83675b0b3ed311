# Sourced by the test scripts: start_depthdav JAR WORKDIR [server flags...] starts the jar on a free
# loopback port with a fresh data folder under WORKDIR (https when the flags name TLS files), sets
# DAV_URL and DAV_PID, and registers a stop on exit. The server announces its URL in its start-up
# line; the scripts read it from there.

start_depthdav() {
  local jar=$1 work=$2
  shift 2
  [ -f "$jar" ] || { echo "no server jar at $jar (run mvn package)" >&2; return 2; }
  java -Xmx512m -jar "$jar" --port 0 --bind 127.0.0.1 --data "$work/data" "$@" \
    >"$work/server.log" 2>&1 &
  DAV_PID=$!
  DAV_URL=
  for _ in $(seq 1 600); do
    DAV_URL=$(sed -n 's/.*depthdav serving \(https\?:[^ ]*\) from.*/\1/p' "$work/server.log" | head -1)
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

# ensure_tools PACKAGE:COMMAND...: installs the Debian packages whose commands are missing when
# running as root with apt-get (so the test command works on a fresh machine); otherwise fails,
# naming what to install. Never skips.
ensure_tools() {
  local missing=()
  for pc in "$@"; do
    command -v "${pc#*:}" >/dev/null || missing+=("${pc%%:*}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || return 1
    for pc in "$@"; do command -v "${pc#*:}" >/dev/null || { echo "${pc#*:} is still missing" >&2; return 1; }; done
    return 0
  fi
  echo "missing: ${missing[*]} (apt-get install ${missing[*]})" >&2
  return 1
}
