# Sourced by bench/compare.sh: start_server NAME PORT DIR starts one server on 127.0.0.1:PORT with
# its data under DIR and prints its base URL; every server is configured here, by the harness.
MODDIR=/usr/lib/apache2/modules
# depthdav runs as README.md starts it: the JVM options of its quick start.
DEPTHDAV_JVM="-Xmx192m -XX:+UseSerialGC"
. "$(dirname "${BASH_SOURCE[0]}")/../../litmus-tests/postgres.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../../litmus-tests/s3proxy.sh"

start_server() {
  local name=$1 port=$2 dir=$3
  mkdir -p "$dir/data"
  case $name in
    depthdav|depthdav-nofsync)
      java $DEPTHDAV_JVM -jar "$JAR" --port "$port" --bind 127.0.0.1 --data "$dir/data" \
        --processing off --propfind-budget 2000000 \
        --fsync "$([ "$name" = depthdav ] && echo on || echo off)" >"$dir/server.log" 2>&1 &
      echo $! >"$dir/pid"
      wait_http "http://127.0.0.1:$port/" && echo "http://127.0.0.1:$port/" ;;
    depthdav-before)
      # An earlier build for the before/after table, started as its own README started it
      # (BEFORE_JAR, BEFORE_JVM: at 6a98e6f plain `java -jar`, the JVM's default heap).
      java ${BEFORE_JVM:-} -jar "${BEFORE_JAR:?set BEFORE_JAR to the jar of the earlier build}" \
        --port "$port" --bind 127.0.0.1 --data "$dir/data" \
        --processing off --propfind-budget 2000000 --fsync on >"$dir/server.log" 2>&1 &
      echo $! >"$dir/pid"
      wait_http "http://127.0.0.1:$port/" && echo "http://127.0.0.1:$port/" ;;
    depthdav-pg|depthdav-2nodes|depthdav-pg-s3|depthdav-2nodes-s3)
      # The scale-out engines (docs/DEPLOY.md): the namespace in a throwaway PostgreSQL cluster
      # (fsync on, its default), the blobs in one folder or, for the -s3 names, in a bucket of
      # s3proxy (its filesystem backend); the 2nodes names run two servers on them behind nginx
      # as a round-robin balancer that keeps connections to them open.
      start_postgres "$dir" || return 1
      echo "$PG_DIR" >"$dir/pgdir"
      local n np ports=() blobs=(--blobs "file:$dir/data")
      if [[ $name == *-s3 ]]; then
        start_s3proxy "$dir" "$(dirname "$JAR")/s3proxy.jar" >&2 || return 1
        echo "$S3_PID" >"$dir/s3pid"
        blobs=(--blobs "s3://$S3_BUCKET" --s3-endpoint "$S3_ENDPOINT" --s3-path-style)
      fi
      for n in a b; do
        [ "$n" = b ] && [[ $name != *2nodes* ]] && break
        np=$port; [[ $name == *2nodes* ]] && np=$((port + ${#ports[@]} + 1000))
        mkdir -p "$dir/$n"
        java $DEPTHDAV_JVM -jar "$JAR" --port "$np" --bind 127.0.0.1 --data "$dir/$n" \
          --processing off --propfind-budget 2000000 --db "$PG_URL" --db-user "$PG_USER" \
          "${blobs[@]}" >"$dir/server-$n.log" 2>&1 &
        echo $! >>"$dir/pid"
        wait_http "http://127.0.0.1:$np/" >/dev/null || return 1
        ports+=("$np")
      done
      if [[ $name == *2nodes* ]]; then
        mkdir -p "$dir/lb"
        cat >"$dir/lb/nginx.conf" <<CONF
worker_processes 1;
pid $dir/lb/nginx.pid;
error_log $dir/lb/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/lb/body;
  proxy_temp_path $dir/lb/proxy;
  upstream depthdav { server 127.0.0.1:${ports[0]}; server 127.0.0.1:${ports[1]}; keepalive 32; }
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 0;
    location / {
      proxy_pass http://depthdav;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_request_buffering off;
      proxy_buffering off;
    }
  }
}
CONF
        nginx -c "$dir/lb/nginx.conf" -p "$dir/lb" >"$dir/lb/start.log" 2>&1 || return 1
      fi
      wait_http "http://127.0.0.1:$port/" && echo "http://127.0.0.1:$port/" ;;
    apache)
      mkdir -p "$dir/lock" "$dir/logs"
      chown -R www-data "$dir/data" "$dir/lock"
      cat >"$dir/httpd.conf" <<CONF
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/httpd.pid"
ErrorLog "$dir/logs/error.log"
LoadModule mpm_event_module $MODDIR/mod_mpm_event.so
LoadModule authz_core_module $MODDIR/mod_authz_core.so
LoadModule mime_module $MODDIR/mod_mime.so
LoadModule dav_module $MODDIR/mod_dav.so
LoadModule dav_fs_module $MODDIR/mod_dav_fs.so
LoadModule dav_lock_module $MODDIR/mod_dav_lock.so
User www-data
Group www-data
TypesConfig /etc/mime.types
KeepAlive On
MaxKeepAliveRequests 0
DavLockDB "$dir/lock/DavLock"
DocumentRoot "$dir/data"
<Directory "$dir/data">
  Dav On
  DavDepthInfinity On
  Require all granted
</Directory>
LimitXMLRequestBody 0
CONF
      apache2 -f "$dir/httpd.conf" -k start >"$dir/server.log" 2>&1
      wait_http "http://127.0.0.1:$port/" && echo "http://127.0.0.1:$port/" ;;
    rclone)
      rclone serve webdav "$dir/data" --addr "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
      echo $! >"$dir/pid"
      wait_http "http://127.0.0.1:$port/" && echo "http://127.0.0.1:$port/" ;;
    nginx)
      mkdir -p "$dir/logs" "$dir/tmp"
      chown -R www-data "$dir/data" "$dir/tmp"
      cat >"$dir/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
user www-data;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$port;
    root $dir/data;
    dav_methods PUT DELETE MKCOL COPY MOVE;
    dav_ext_methods PROPFIND OPTIONS;
    create_full_put_path on;
    dav_access user:rw group:rw all:r;
  }
}
CONF
      nginx -c "$dir/nginx.conf" -p "$dir" >"$dir/server.log" 2>&1
      wait_http "http://127.0.0.1:$port/" && echo "http://127.0.0.1:$port/" ;;
  esac
}

stop_server() {
  local name=$1 dir=$2
  case $name in
    apache) apache2 -f "$dir/httpd.conf" -k stop >/dev/null 2>&1 || true ;;
    nginx) [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true ;;
    depthdav-pg*|depthdav-2nodes*)
      [ -f "$dir/lb/nginx.pid" ] && kill "$(cat "$dir/lb/nginx.pid")" 2>/dev/null
      [ -f "$dir/pid" ] && kill $(cat "$dir/pid") 2>/dev/null
      [ -f "$dir/s3pid" ] && kill "$(cat "$dir/s3pid")" 2>/dev/null
      sleep 1
      # start_server ran in a subshell: PostgreSQL's folder comes from the file it left.
      PG_DIR=$(cat "$dir/pgdir" 2>/dev/null) PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
      PG_AS=(); [ "$(id -u)" = 0 ] && PG_AS=(runuser -u postgres --)
      stop_postgres ;;
    *) [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null || true ;;
  esac
}

# The server's process ids: Apache's and nginx's master and workers, the others' one process.
server_pids() {
  local name=$1 dir=$2 m
  case $name in
    apache) pgrep -f "apache2 -f $dir/httpd.conf" ;;
    nginx) m=$(cat "$dir/nginx.pid" 2>/dev/null) && { echo "$m"; pgrep -P "$m"; } ;;
    depthdav-pg*|depthdav-2nodes*)
      # Everything the deployment runs: the servers, PostgreSQL's processes, the balancer's, s3proxy.
      cat "$dir/pid"
      cat "$dir/s3pid" 2>/dev/null
      m=$(head -1 "$(cat "$dir/pgdir")/data/postmaster.pid" 2>/dev/null) && { echo "$m"; pgrep -P "$m"; }
      m=$(cat "$dir/lb/nginx.pid" 2>/dev/null) && { echo "$m"; pgrep -P "$m"; }
      true ;;
    *) cat "$dir/pid" ;;
  esac
}

# The peak resident memory of the server's processes in KiB (VmHWM, summed over its processes:
# for several processes an upper bound, their peaks need not coincide).
server_hwm() {
  for p in $(server_pids "$1" "$2"); do awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'
}

# The CPU ticks per second under which the server counts as idle: 5% of a core, and 5% more for
# each further part of a deployment (PostgreSQL, a second node), whose idle housekeeping adds up.
idle_ticks() {
  local hz=${hz:-100}
  case $1 in
    depthdav-pg) echo $((hz / 10)) ;;
    depthdav-pg-s3|depthdav-2nodes) echo $((hz * 3 / 20)) ;;
    depthdav-2nodes-s3) echo $((hz / 5)) ;;
    *) echo $((hz / 20)) ;;
  esac
}

# The server's processes' resident memory in KiB (Apache and nginx: all their processes).
server_rss() {
  for p in $(server_pids "$1" "$2"); do awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'
}

wait_http() {
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "server at $1 did not answer" >&2
  return 1
}

# The CPU time (clock ticks, user + system) the server's processes have used so far, with that of
# their children that have exited (Apache and nginx may retire worker processes during a run).
server_cpu() {
  for p in $(server_pids "$1" "$2"); do awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'
}
