#!/usr/bin/env bash
# Benchmark (not a test): continuata-server behind nginx (--file-serving nginx, the config of
# deploy/render-nginx-conf) against the server alone, side by side in one run.
#  (a) CLIENTS slow downloads at once (64 KB/s each, a MB-sized file; bench/slow_downloads.py) straight
#      to the server, then through nginx; meanwhile GET /healthz and POST /api/generate-download-url
#      at a modest rate on fresh connections, timed (target through nginx: p99 < 50 ms).
#  (b) wrk -t2 -c64 on loopback: a 64 MB file through nginx by X-Accel-Redirect against the same
#      nginx sending the same file as a plain static file (target >= 0.9x).
# Usage: bench/downloads_nginx.sh [seconds per phase, default 30] [clients, default 1000] [MB, default 3]
# A file within the kernel's socket send buffer (tcp_wmem's maximum, 4 MB here) leaves the server's
# thread at once in direct mode; a larger one (16) holds a thread for as long as the client reads.
source "$(dirname "$0")/lib.sh"
secs=${1:-30}
clients=${2:-1000}
mb=${3:-3}
for tool in nginx wrk python3; do
  command -v $tool >/dev/null || { echo "needs $tool (scripts/setup)" >&2; exit 1; }
done
ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) <= clients * 2 + 512 )); then
  echo "open-files limit $(ulimit -n) is too low for $clients clients" >&2
  exit 1
fi
slow="python3 $root/bench/slow_downloads.py"

start_server
api POST /api/products -H 'Content-Type: application/json' -d '{"name":"Slow","slug":"slow"}' >/dev/null
api POST /api/products/slow/versions -d '{"version":"1.0.0"}' >/dev/null
head -c "${mb}M" /dev/urandom >"$work/slow.bin"
api PUT /api/products/slow/versions/1.0.0/files/slow.bin -T "$work/slow.bin" >/dev/null
api POST /api/products/slow/versions/1.0.0/activate -d "{}" >/dev/null
api POST /api/products -d '{"name":"Big","slug":"big"}' >/dev/null
api POST /api/products/big/versions -d '{"version":"1.0.0"}' >/dev/null
head -c 64M /dev/urandom >"$work/big.bin"
api PUT /api/products/big/versions/1.0.0/files/big.bin -T "$work/big.bin" >/dev/null
api POST /api/products/big/versions/1.0.0/activate -d "{}" >/dev/null
link() {
  api POST /api/generate-download-url -d "{\"productId\":\"$1\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["downloadUrl"])'
}
slow_path=$(link slow | sed 's|^http://[^/]*||')
big_path=$(link big | sed 's|^http://[^/]*||')
mint_body='{"productId":"slow"}'

phase() {  # label base: slow downloads from $base, probes alongside; one JSON line each into $work/label.*
  local label=$1 b=$2 half=$((clients / 2))
  $slow slow "$b$slow_path" --clients "$half" --seconds "$secs" >"$work/$label.slow1" &
  local s1=$!
  $slow slow "$b$slow_path" --clients "$((clients - half))" --seconds "$secs" >"$work/$label.slow2" &
  local s2=$!
  sleep 5  # every connection open and streaming before the API is timed
  $slow probe "$b" --seconds $((secs - 8)) --rate 20 --get /healthz >"$work/$label.healthz" &
  local p1=$!
  $slow probe "$b" --seconds $((secs - 8)) --rate 10 --header "Authorization: Bearer $key" \
    --header 'Content-Type: application/json' --post /api/generate-download-url "$mint_body" >"$work/$label.mint" &
  local p2=$!
  sleep $((secs / 2))
  echo "$(ls /proc/$server_pid/task | wc -l) $(awk '/VmRSS/{print $2}' /proc/$server_pid/status)" >"$work/$label.server"
  wait $s1 $s2 $p1 $p2
}

restart_server() {  # flags: the same data folder, a new process; sets $base
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  launch_server "$@"
}

# (a) straight to the server (direct mode: every download holds one of --download-threads),
# with the default 128 and with a thread for every client; then behind nginx.
phase direct "$base"
restart_server --download-threads "$clients"
phase direct_threads "$base"
restart_server --file-serving nginx --trusted-proxy 127.0.0.1
chmod 711 "$work" "$work/data"
mkdir -p "$work/www"
ln "$(find "$work/data/files" -type f -size +60M | head -1)" "$work/www/big.bin"
chmod -R a+rX "$work/www" "$work/data/files"
nport=$(free_port)
conf=$("$root/deploy/render-nginx-conf" --listen "127.0.0.1:$nport" --upstream "${base#http://}" \
  --web-root "$work/www" --storage-root "$work/data/files" --run-dir "$work/nginx-run")
nginx -p "$work/nginx-run" -c "$conf" -g 'daemon off;' &
pids+=("$!")
nbase="http://127.0.0.1:$nport"
for _ in $(seq 50); do curl -sf -o /dev/null "$nbase/healthz" && break; sleep 0.1; done
phase nginx "$nbase"

# (b) aggregate throughput, same nginx, same file, each side twice in turn (the machine is shared).
wrk_mb() {  # label url -> "req/s MB/s"
  wrk -t2 -c64 -d"$((secs / 2))s" "$2" >"$work/$1.wrk"
  wrk_transfer "$work/$1.wrk" 1
}
printf '\n(b) a 64 MB file, wrk -t2 -c64 -d%ss, loopback, the same nginx, each side three times in turn\n' \
  "$((secs / 2))" >"$work/b.txt"
printf '%-28s %10s %10s %10s %10s %7s\n' "" "X-Accel r/s" "MB/s" "static r/s" "MB/s" "ratio" >>"$work/b.txt"
ratios=()
for round in 1 2 3; do
  read -r accel_rps accel_mb < <(wrk_mb "accel$round" "$nbase$big_path")
  read -r static_rps static_mb < <(wrk_mb "static$round" "$nbase/my/big.bin")
  ratio=$(python3 -c "print(f'{$accel_mb/$static_mb:.2f}')")
  ratios+=("$ratio")
  printf '%-28s %10s %10s %10s %10s %7s\n' "round $round" "$accel_rps" "$accel_mb" "$static_rps" "$static_mb" "$ratio" \
    >>"$work/b.txt"
done
python3 - "$work" "$clients" "$secs" "$mb" <<'PY'
import json, sys
work, clients, secs, mb = sys.argv[1:5]
def load(name):
    return json.loads(open(f"{work}/{name}").read())
print(f"\n(a) {clients} downloads at 64 KB/s of a {mb} MB file for {secs} s, the API probed alongside")
print(f"{'':24} {'started':>8} {'failed':>7} {'ttfb p50/p99 ms':>17} {'MB/s':>6} {'healthz p50/p99':>16} "
      f"{'mint p50/p99':>14} {'threads, RSS':>14}")
for label, name in (("direct", "server alone"), ("direct_threads", f"alone, {clients} threads"),
                    ("nginx", "behind nginx")):
    s1, s2 = load(f"{label}.slow1"), load(f"{label}.slow2")
    h, m = load(f"{label}.healthz"), load(f"{label}.mint")
    threads, rss = open(f"{work}/{label}.server").read().split()
    worse = lambda k: max(s1[k] or 0, s2[k] or 0)  # the worse of the two client processes
    ttfb = f"{worse('ttfb_p50_ms'):.0f}/{worse('ttfb_p99_ms'):.0f}"
    def fmt(p):
        bad = p["non_2xx"] + p["errors"]
        return f"{p['p50_ms']}/{p['p99_ms']}" + (f" ({bad} bad)" if bad else "")
    print(f"{name:24} {s1['started'] + s2['started']:>8} {s1['failed'] + s2['failed']:>7} {ttfb:>17} "
          f"{s1['mb_per_s'] + s2['mb_per_s']:>6.1f} {fmt(h):>16} {fmt(m):>14} "
          f"{threads + ', ' + str(int(rss) // 1024) + ' MB':>14}")
PY
cat "$work/b.txt"
median=$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 2p)
echo "ratio X-Accel-Redirect / static, median of the rounds: $median  (target >= 0.90)"
