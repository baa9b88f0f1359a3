# Shared by the benchmark scripts: start continuata-server on a free port in a temporary data
# folder, set up an org and an admin key through the admin command line, and clean up on exit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server_bin="$root/build/native/continuata-server"
[[ -x $server_bin ]] || { echo "build first: scripts/build" >&2; exit 1; }
work=$(mktemp -d /tmp/continuata-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_server() {  # sets $base and $key; extra flags in "$@"
  "$server_bin" --data "$work/data" admin create-org --id bench --name "Bench Org" >/dev/null
  key=$("$server_bin" --data "$work/data" admin create-key --org bench --role admin)
  "$server_bin" --data "$work/data" --port 0 "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 100); do
    base=$(grep -o 'listening on http://[^ ]*' "$work/server.log" | head -1 | cut -d' ' -f3 || true)
    [[ -n $base ]] && break
    sleep 0.1
  done
  [[ -n $base ]] || { cat "$work/server.log"; exit 1; }
}

api() {  # METHOD PATH [curl args...]
  local method=$1 path=$2; shift 2
  curl -sS -f -X "$method" -H "Authorization: Bearer $key" "$base$path" "$@"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_nginx() {  # serve folder $1 with nginx (Debian package) on a free loopback port; sets $nginx_base
  local port; port=$(free_port)
  mkdir -p "$work/nginx/logs"
  chmod 755 "$work" "$1"
  chmod -R a+r "$1"
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$port; root $1; }
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  pids+=("$!")
  nginx_base="http://127.0.0.1:$port"
  for _ in $(seq 50); do curl -s -o /dev/null "$nginx_base/" && return; sleep 0.1; done
  echo "nginx did not start" >&2; exit 1
}
