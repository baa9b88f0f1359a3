#!/usr/bin/env bash
# Benchmark (not a test): the two stores side by side in one run. generate-download-url (a
# write) and the portal's purchase listing (a read) under 64 connections with wrk, on
#   - SQLite, one instance (the embedded default), straight to the server;
#   - PostgreSQL, one instance, straight to the server;
#   - PostgreSQL, two instances behind nginx (scripts/cluster), through nginx;
# and nginx sending the same listing as a static file, the machine's floor, in the same run.
#
# Usage: bench/store_load.sh [seconds per run, default 10]
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
command -v nginx >/dev/null && command -v wrk >/dev/null || { echo "needs nginx and wrk (scripts/setup)" >&2; exit 1; }

session_for() {  # BASE: a portal session for demo@example.com through the real sign-in
  curl -sS -f -X POST "$1/api/portal/verification" -d '{"email":"demo@example.com"}' >/dev/null
  local code
  code=$(curl -sS "$1/api/dev/outbox?to=demo@example.com" | python3 -c 'import json,re,sys; print(re.search(r"\b(\d{6})\b", json.load(sys.stdin)[0]["text"]).group(1))')
  curl -sS -f -X POST "$1/api/portal/session" -d "{\"email\":\"demo@example.com\",\"code\":\"$code\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["sessionToken"])'
}

measure() {  # LABEL BASE ADMIN_KEY
  local label=$1 url=$2 admin=$3 session
  session=$(session_for "$url")
  printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer %s"\n' \
    "'{\"productId\":\"epic-drums-v1\"}'" "$admin" >"$work/mint.lua"
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$session" >"$work/list.lua"
  wrk -t2 -c64 -d"${secs}s" --latency -s "$work/mint.lua" "$url/api/generate-download-url" >"$work/mint.txt"
  wrk_row "$work/mint.txt" "mint, $label" 46
  wrk -t2 -c64 -d"${secs}s" --latency -s "$work/list.lua" "$url/api/portal/purchases" >"$work/list.txt"
  wrk_row "$work/list.txt" "list, $label" 46
  if [[ ! -f $work/www/purchases.json ]]; then
    mkdir -p "$work/www"
    curl -sS -f -H "Authorization: Bearer $session" "$url/api/portal/purchases" >"$work/www/purchases.json"
  fi
}

cluster() {  # N: starts scripts/cluster with N instances; sets cluster_pid, cluster_out
  local port; port=$(free_port)
  cluster_out="$work/cluster-$1.txt"
  python3 "$root/scripts/cluster" --instances "$1" --port "$port" --no-build >"$cluster_out" 2>&1 &
  cluster_pid=$!
  for _ in $(seq 600); do grep -q 'Ctrl-C stops it all' "$cluster_out" && return; sleep 0.1; done
  cat "$cluster_out" >&2; exit 1
}
stop_cluster() { kill -TERM "$cluster_pid"; wait "$cluster_pid" 2>/dev/null || true; }

printf '\nwrk -t2 -c64 -d%ss --latency, loopback, same machine (%s)\n' "$secs" "$(nproc) cores"
printf '%-46s %10s %9s %9s %8s\n' "endpoint, store" "req/s" "p50 ms" "p99 ms" "non-2xx"

rm -rf "$work/data"
start_server --demo
measure "SQLite, 1 instance" "$base" "$(cat "$work/data/demo-admin.key")"
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true

cluster 1
measure "PostgreSQL, 1 instance" "http://127.0.0.1:$(sed -n 's/^instance 1 pid [0-9]* port //p' "$cluster_out")" \
  "$(sed -n 's/^  demo admin key: //p' "$cluster_out")"
stop_cluster

cluster 2
measure "PostgreSQL, 2 instances via nginx" "$(sed -n 's|^  portal: *\(http://[^/]*\)/my.*|\1|p' "$cluster_out" | sed 's/localhost/127.0.0.1/')" \
  "$(sed -n 's/^  demo admin key: //p' "$cluster_out")"
stop_cluster

start_nginx "$work/www"
: >"$work/plain.lua"
wrk -t2 -c64 -d"${secs}s" --latency -s "$work/plain.lua" "$nginx_base/purchases.json" >"$work/plain.txt"
wrk_row "$work/plain.txt" "nginx, same JSON as a file" 46
