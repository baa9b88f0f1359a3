#!/usr/bin/env bash
# Benchmark (not a test): /download of continuata-server against nginx serving the very same
# 1 GiB file on the same machine, with wrk, side by side; plus the server's peak memory while it
# streams a 2 GiB file. Usage: bench/download_vs_nginx.sh [seconds per run, default 10]
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
command -v nginx >/dev/null && command -v wrk >/dev/null || { echo "needs nginx and wrk (scripts/setup)" >&2; exit 1; }

start_server
api POST /api/products -H 'Content-Type: application/json' -d '{"name":"Big","slug":"big"}' >/dev/null
api POST /api/products/big/versions -d '{"version":"1.0.0"}' >/dev/null
head -c 1G /dev/urandom >"$work/big.bin"
api PUT /api/products/big/versions/1.0.0/files/big.bin -T "$work/big.bin" >/dev/null
api POST /api/products/big/versions/1.0.0/activate -d "{}" >/dev/null
url=$(api POST /api/generate-download-url -d '{"productId":"big"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["downloadUrl"])')
stored=$(find "$work/data/files" -type f -size +1000M | head -1)

# nginx's workers run as an unprivileged user: let them reach the stored file (hard link, same disk).
mkdir -p "$work/www"
ln "$stored" "$work/www/big.bin"
start_nginx "$work/www"

run() {  # label url -> "req/s MB/s"
  wrk -t2 -c8 -d"${secs}s" "$2" >"$work/$1.txt"
  wrk_transfer "$work/$1.txt" 2
}
read -r ours_rps ours_mb < <(run ours "$url")
read -r nginx_rps nginx_mb < <(run nginx "$nginx_base/big.bin")

# Memory while streaming 2 GiB: peak RSS of the server before and after.
api POST /api/products -d '{"name":"Huge","slug":"huge"}' >/dev/null
api POST /api/products/huge/versions -d '{"version":"1.0.0"}' >/dev/null
cat "$work/big.bin" "$work/big.bin" | api PUT /api/products/huge/versions/1.0.0/files/huge.bin -T - >/dev/null
rm -f "$work/big.bin"
api POST /api/products/huge/versions/1.0.0/activate -d "{}" >/dev/null
hurl=$(api POST /api/generate-download-url -d '{"productId":"huge"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["downloadUrl"])')
rss_before=$(awk '/VmRSS/{print $2}' "/proc/$server_pid/status")
curl -s -o /dev/null "$hurl"
rss_peak=$(awk '/VmHWM/{print $2}' "/proc/$server_pid/status")

printf '\n/download of a 1 GiB file, wrk -t2 -c8 -d%ss, same machine, same run\n' "$secs"
printf '%-22s %10s %10s\n' "" "req/s" "MB/s"
printf '%-22s %10s %10s\n' "continuata-server" "$ours_rps" "$ours_mb" "nginx $(nginx -v 2>&1 | cut -d/ -f2)" "$nginx_rps" "$nginx_mb"
python3 -c "print(f'ratio (ours/nginx, MB/s): {$ours_mb/$nginx_mb:.2f}  (target >= 0.90)')"
printf 'server RSS before a 2 GiB download: %s KiB; peak RSS during the whole run: %s KiB\n' "$rss_before" "$rss_peak"
