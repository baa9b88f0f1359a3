#!/usr/bin/env bash
# Soak benchmark (not a test): 64 connections mixing every route of continuata-server for a
# bounded time, reporting requests, unexpected statuses (must be 0; 429 counts as expected only on
# the rate-limited portal verification and session routes), p50/p99 per route, socket errors, and
# the server's RSS sampled every second (flat = RSS at the end within max(10 %, 5 MB) of RSS after
# the warm-up, the first sixth of the run but at least 5 s).
#
# Usage: bench/soak.sh [seconds, default 60] [server binary ...]
#   With several binaries (e.g. the same server built against two httplib versions) each gets the
#   same soak in turn, on a fresh --demo data folder; default build/native/continuata-server.
#   SOAK_REFERENCE=0 skips the nginx reference.
#
# Load client: wrk (Debian) with bench/soak.lua, run as -t64 -c64 so that each wrk thread owns one
# connection: the thread's Lua state then sees one request in flight at a time and can time every
# request itself (clock_gettime through LuaJIT's ffi) and keep per-route histograms and statuses,
# which wrk's own figures cannot split. wrk's C event loop costs far less CPU per request than a
# Python client would on this 2-core machine (where the client shares the cores with the server),
# and the ffi also reaches OpenSSL's HMAC, so each webhook is signed with a fresh timestamp.
# Routes: seller reads (products, manifest, purchases, CSV report) and writes (product update,
# product and version create with 409 duplicates, 16 KiB uploads re-sent to 8 paths a
# connection), mint, /download (whole 300 KiB file, listing, 64 KiB Range, suffix Range, 416,
# 304), signed webhooks (500 orders a run, then idempotent replays) and a bad signature (401), the
# portal's purchases and download-url with a session, a full sign-in (verification, code from the
# --demo dev outbox, session, purchases, sign-out, the revoked token refused), static /my.
# Reference in the same run: nginx serving the portal's main JS file, against continuata-server's
# /my/ copy of it, under the same 64 connections for 10 s each.
source "$(dirname "$0")/lib.sh"
secs=${1:-60}
shift || true
servers=("$@")
((${#servers[@]})) || servers=("$server_bin")
command -v wrk >/dev/null || { echo "needs wrk (scripts/setup)" >&2; exit 1; }
web_dir="$root/build/web/portal"
web_flags=()
has_web=0
static_file=$(cd "$web_dir" 2>/dev/null && ls portal.js portal.*.js 2>/dev/null | head -1 || true)  # names may carry a content hash
if [[ -n $static_file ]]; then web_flags=(--web "$web_dir"); has_web=1; fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
warm=$((secs / 6 > 5 ? secs / 6 : 5))

soak_one() {  # server binary; prints its report
  server_bin=$1
  rm -rf "$work/data"
  : >"$work/server.log"
  start_server --demo "${web_flags[@]}"
  local pid=$server_pid
  local secret
  secret=$("$server_bin" --data "$work/data" admin create-webhook-secret --org audio-company)
  # Set-up through the API: a customer session (verification, outbox code, session), download
  # tokens, products and a draft version for the writes, one purchase per sign-in email.
  python3 - "$base" "$(cat "$work/data/demo-admin.key")" "$secret" >"$work/soak.env" <<'PY'
import hashlib, hmac, http.client, json, re, sys, time, urllib.parse
base, key, secret = sys.argv[1:4]
u = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
def call(method, path, body=None, headers=None, expect=(200, 201, 202)):
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers or {})
    r = c.getresponse(); data = r.read()
    if r.status not in expect: sys.exit(f"set-up: {method} {path} -> {r.status} {data[:200]!r}")
    return json.loads(data) if data else None
admin = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
call("POST", "/api/portal/verification", {"email": "demo@example.com"})
text = call("GET", "/api/dev/outbox?to=demo@example.com")[0]["text"]
code = re.search(r"\b(\d{6})\b", text).group(1)
session = call("POST", "/api/portal/session", {"email": "demo@example.com", "code": code})["sessionToken"]
cust = {"Authorization": "Bearer " + session}
purchase_id = call("GET", "/api/portal/purchases", headers=cust)["purchases"][0]["purchaseId"]
mint = lambda p: call("POST", "/api/generate-download-url", {"productId": p}, admin)["downloadToken"]
big = call("GET", "/api/products/orchestral-strings/versions/3.2.0", headers=admin)["files"][0]
for t in range(1, 65):
    call("POST", "/api/products", {"name": f"Soak {t}", "slug": f"soak-t{t}"}, admin)
call("POST", "/api/products", {"name": "Soak uploads", "slug": "soak-uploads"}, admin)
call("POST", "/api/products/soak-uploads/versions", {"version": "1.0.0"}, admin)
for i in range(8):
    body = json.dumps({"orderId": f"soak-setup-{i}", "email": f"soak{i}@example.com",
                       "items": [{"productId": "analog-synth-presets"}]}).encode()
    ts = str(int(time.time()))
    sig = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    c.request("POST", "/api/webhooks/audio-company/purchase", body=body, headers={
        "Content-Type": "application/json", "X-Continuata-Timestamp": ts, "X-Continuata-Signature": sig})
    r = c.getresponse(); r.read()
    if r.status != 200: sys.exit(f"set-up webhook -> {r.status}")
env = dict(SOAK_KEY=key, SOAK_SESSION=session, SOAK_ORG="audio-company", SOAK_SECRET=secret,
           SOAK_TOKEN_MULTI=mint("analog-synth-presets"), SOAK_TOKEN_BIG=mint("orchestral-strings"),
           SOAK_PURCHASE_ID=str(purchase_id), SOAK_BIG_ETAG='"' + big["sha256"] + '"', SOAK_BIG_SIZE=str(big["size"]))
for k, v in env.items(): print(f"export {k}='{v}'")
PY
  source "$work/soak.env"
  export SOAK_WEB=$has_web SOAK_STATIC="/my/$static_file" SOAK_OUT="$work/soak-stats.tsv"
  # RSS every second, bounded: stops by itself after the run
  ( for ((i = 0; i <= secs + 2; i++)); do
      awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || break
      sleep 1
    done ) >"$work/rss.txt" &
  local sampler=$!
  local cpu0 wrk_cpu
  cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  TIMEFORMAT='%U %S'
  wrk_cpu=$( { time wrk -t64 -c64 -d"${secs}s" --timeout 10s -s "$root/bench/soak.lua" "$base" >"$work/wrk.txt" 2>&1; } 2>&1 )
  local server_cpu=$(( $(awk '{print $14 + $15}' "/proc/$pid/stat") - cpu0 ))
  wait "$sampler" || true
  local files_on_disk rows
  files_on_disk=$(find "$work/data/files" -type f | wc -l)
  rows=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from files").fetchone()[0])' "$work/data/continuata.db")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local label
  label="$("$server_bin" --version 2>/dev/null | head -1 || true)"
  python3 - "$work/soak-stats.tsv" "$work/rss.txt" "$secs" "$warm" "$1" "$files_on_disk" "$rows" "$server_cpu" "$wrk_cpu" <<'PY'
import math, sys
stats, rss_path, secs, warm, binary, on_disk, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6]), int(sys.argv[7])
server_cpu = int(sys.argv[8]) / 100.0  # clock ticks
wrk_cpu = sum(map(float, sys.argv[9].split()))
socket, agg = None, {}
for line in open(stats):
    f = line.rstrip("\n").split("\t")
    if f[0] == "socket":
        socket = dict(zip(["requests", "connect", "read", "write", "timeout", "duration_us"], map(int, f[1:])))
        continue
    kind, rest = f[0].split("|", 1)
    name = rest.split("|")[0]
    r = agg.setdefault(name, {"n": 0, "bad": 0, "st": {}, "h": {}, "sample": ""})
    if kind == "n": r["n"] = int(f[1])
    elif kind == "bad": r["bad"] = int(f[1])
    elif kind == "st": r["st"][rest.split("|")[1]] = int(f[1])
    elif kind == "h": r["h"][int(rest.split("|")[1])] = int(f[1])
    elif kind == "sample": r["sample"] = f[1]
routes = [(name, r["n"], r["bad"], ",".join(f"{k}:{v}" for k, v in sorted(r["st"].items())),
           sorted(r["h"].items()), r["sample"]) for name, r in agg.items()]
def pct(hist, q):
    total = sum(v for _, v in hist); want = q * total; acc = 0
    for b, v in hist:
        acc += v
        if acc >= want: return 1.02 ** (b + 0.5) / 1000.0
    return float("nan")
dur = socket["duration_us"] / 1e6
print(f"\n{binary}\nwrk -t64 -c64 -d{secs}s (one connection per wrk thread), bench/soak.lua, loopback")
print(f"{'route':<24} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'unexpected':>10}  statuses")
tot = bad_tot = 0
for name, n, bad, st, hist, sample in sorted(routes):
    tot += n; bad_tot += bad
    sts = " ".join(sorted(st.split(",")))
    print(f"{name:<24} {n:>9} {n / dur:>8.1f} {pct(hist, .5):>8.2f} {pct(hist, .99):>8.2f} {bad:>10}  {sts}")
    if bad: print(f"{'':<24} first unexpected: {sample}")
allh = {}
for r in routes:
    for b, v in r[4]: allh[b] = allh.get(b, 0) + v
allh = sorted(allh.items())
print(f"{'all':<24} {tot:>9} {tot / dur:>8.1f} {pct(allh, .5):>8.2f} {pct(allh, .99):>8.2f} {bad_tot:>10}")
print(f"CPU seconds over the run: server {server_cpu:.1f}, wrk {wrk_cpu:.1f} (2 cores x {dur:.0f} s = {2 * dur:.0f})")
print(f"socket errors: connect {socket['connect']} read {socket['read']} write {socket['write']} timeout {socket['timeout']}")
rss = [int(x) / 1024 for x in open(rss_path).read().split()]
if len(rss) > warm:
    w, end, peak = rss[warm], rss[-1], max(rss)
    margin = max(0.10 * w, 5.0)
    flat = end <= w + margin
    print(f"RSS MB: start {rss[0]:.1f}, after warm-up ({warm} s) {w:.1f}, end {end:.1f}, peak {peak:.1f}; "
          f"{'flat' if flat else 'GROWING'} (end - warm-up {end - w:+.1f} MB, margin {margin:.1f} MB)")
    step = max(1, len(rss) // 12)
    print("RSS every %d s: %s" % (step, " ".join(f"{x:.0f}" for x in rss[::step])))
else:
    print("RSS: too few samples")
print(f"stored files on disk {on_disk}, file rows in the database {rows} (re-uploads to one path leave the old file behind when these differ)")
ok = bad_tot == 0 and sum(socket[k] for k in ("connect", "read", "write", "timeout")) == 0
print("verdict: " + ("0 unexpected statuses, 0 socket errors" if ok else "ERRORS (see above)"))
PY
}

for s in "${servers[@]}"; do
  [[ -x $s ]] || { echo "not an executable: $s" >&2; exit 1; }
  soak_one "$s"
done

if [[ ${SOAK_REFERENCE:-1} != 0 && $has_web == 1 ]]; then
  # Reference, same run: the same static file from nginx and from each server, 64 connections.
  mkdir -p "$work/www"
  cp "$web_dir/$static_file" "$work/www/$static_file"
  start_nginx "$work/www"
  ref() {  # label url
    wrk -t2 -c64 -d10s --latency "$2" >"$work/ref.txt"
    wrk_row "$work/ref.txt" "$1" 58
  }
  printf '\nreference: GET %s (%s bytes), wrk -t2 -c64 -d10s --latency\n' "$static_file" "$(stat -c %s "$web_dir/$static_file")"
  printf '%-58s %10s %9s %9s %8s\n' "server" "req/s" "p50 ms" "p99 ms" "non-2xx"
  ref "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///')" "$nginx_base/$static_file"
  for s in "${servers[@]}"; do
    server_bin=$s
    rm -rf "$work/data"
    : >"$work/server.log"
    start_server --demo "${web_flags[@]}"
    ref "$s /my/$static_file" "$base/my/$static_file"
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  done
fi
