#!/usr/bin/env bash
# Benchmark (not a test): generate-download-url and the portal's purchase listing under 64
# connections with wrk, reporting requests/s and p99 latency. Budget: thousands of requests a
# second, p99 under 20 ms; nginx serving the same JSON is the reference in the same run.
#
# Usage: bench/api_load.sh [seconds per run, default 10] [server binary ...]
#   With several binaries (say, the server before and after a change) each gets the same runs in
#   turn on a fresh --demo data folder; default build/native/continuata-server.
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
shift || true
servers=("$@")
((${#servers[@]})) || servers=("$server_bin")
command -v nginx >/dev/null && command -v wrk >/dev/null || { echo "needs nginx and wrk (scripts/setup)" >&2; exit 1; }

run() {  # label script path
  wrk -t2 -c64 -d"${secs}s" --latency -s "$2" "$base$3" >"$work/$1.txt"
  wrk_row "$work/$1.txt" "$1" 34
}
printf '\nwrk -t2 -c64 -d%ss --latency, loopback, same machine\n' "$secs"
printf '%-34s %10s %9s %9s %8s\n' "endpoint" "req/s" "p50 ms" "p99 ms" "non-2xx"
for server_bin in "${servers[@]}"; do
  ((${#servers[@]} == 1)) || printf '%s\n' "$server_bin"
  rm -rf "$work/data"
  start_server --demo
  demo_key=$(cat "$work/data/demo-admin.key")
  # A customer session through the real flow: verification, code from the dev outbox, session.
  curl -sS -f -X POST "$base/api/portal/verification" -d '{"email":"demo@example.com"}' >/dev/null
  code=$(curl -sS "$base/api/dev/outbox?to=demo@example.com" | python3 -c 'import json,re,sys; print(re.search(r"\b(\d{6})\b", json.load(sys.stdin)[0]["text"]).group(1))')
  session=$(curl -sS -f -X POST "$base/api/portal/session" -d "{\"email\":\"demo@example.com\",\"code\":\"$code\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessionToken"])')

  cat >"$work/mint.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"productId":"epic-drums-v1"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $demo_key"
LUA
  cat >"$work/list.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $session"
LUA

  run mint "$work/mint.lua" /api/generate-download-url
  run list "$work/list.lua" /api/portal/purchases
  if [[ ! -f $work/www/purchases.json ]]; then  # for the reference below
    mkdir -p "$work/www"
    curl -sS -f -H "Authorization: Bearer $session" "$base/api/portal/purchases" >"$work/www/purchases.json"
  fi
  kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
done
# The floor of this machine under the same load: nginx sending the very same purchase list as a
# static file (no auth, no database), measured in the same run.
start_nginx "$work/www"
: >"$work/plain.lua"
base=$nginx_base run "nginx, same JSON as a file" "$work/plain.lua" /purchases.json
