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
  launch_server "$@"
}

launch_server() {  # runs the server on $work/data with flags "$@"; sets $server_pid and $base
  "$server_bin" --data "$work/data" --port 0 "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  base=
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

wrk_row() {  # FILE LABEL WIDTH: one table row (req/s, p50, p99, non-2xx) from wrk --latency output
  python3 - "$@" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
w = int(sys.argv[3])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
p50 = ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", t).groups())
p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", t).groups())
e = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
print(f"{sys.argv[2]:<{w}} {rps:>10.0f} {p50:>9.2f} {p99:>9.2f} {e.group(1) if e else 0:>8}")
PY
}

wrk_transfer() {  # FILE DECIMALS: "req/s MB/s" from a wrk run's output; fails on any non-2xx answer
  python3 - "$@" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", t)
mb = float(m.group(1)) * {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024}[m.group(2)]
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if bad: sys.exit(f"{sys.argv[1]}: {bad.group(1)} failed responses")
print(f"{rps:.{int(sys.argv[2])}f} {mb:.0f}")
PY
}
