# Sourced by bench/compare.sh: start_server NAME PORT DIR starts one server on 127.0.0.1:PORT with
# its data under DIR and prints its base URL; every server is configured here, by the harness.
MODDIR=/usr/lib/apache2/modules

start_server() {
  local name=$1 port=$2 dir=$3
  mkdir -p "$dir/data"
  case $name in
    depthdav|depthdav-nofsync)
      java -Xmx512m -jar "$JAR" --port "$port" --bind 127.0.0.1 --data "$dir/data" \
        --processing off --propfind-budget 2000000 \
        --fsync "$([ "$name" = depthdav ] && echo on || echo off)" >"$dir/server.log" 2>&1 &
      echo $! >"$dir/pid"
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
    *) [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null || true ;;
  esac
}

# The server's process ids: Apache's and nginx's master and workers, the others' one process.
server_pids() {
  local name=$1 dir=$2 m
  case $name in
    apache) pgrep -f "apache2 -f $dir/httpd.conf" ;;
    nginx) m=$(cat "$dir/nginx.pid" 2>/dev/null) && { echo "$m"; pgrep -P "$m"; } ;;
    *) cat "$dir/pid" ;;
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
