#!/usr/bin/env bash
# Benchmark (not a test): what idle and slow ("slowloris") connections do to everyone else.
# A hostile client on loopback holds 1,000 idle connections (connected, nothing sent; reopened
# when the server closes one) and/or 1,000 slow ones (a request head sent one byte every 3 s,
# never finished; reopened when closed), while a separate client measures the API from 4 threads,
# each request on a fresh connection as a new visitor's would be: GET /api/products and POST
# /api/generate-download-url, p50/p99/max, with a request timeout (default 30 s: a request still
# waiting then counts as a timeout, and the percentiles include it at the timeout). Phases:
# baseline (nothing held), idle only, slow only, both; after each phase the hostile sockets close
# and the time until the API answers again is reported.
#
# Usage: bench/idle_connections.sh [seconds per phase, default 30] [server binary ...]
#   IDLE_N / SLOW_N (default 1000 each), IDLE_TIMEOUT (per request, default 30 s).
# Python 3 standard library (selectors/epoll for the 2,000 hostile sockets, threads for the
# measuring client); only 127.0.0.1 is contacted and every loop is bounded by the phase time.
source "$(dirname "$0")/lib.sh"
secs=${1:-30}
shift || true
servers=("$@")
((${#servers[@]})) || servers=("$server_bin")
ulimit -n "$(ulimit -Hn)"
(( $(ulimit -n) > 2 * ${IDLE_N:-1000} + ${SLOW_N:-1000} )) || { echo "the open-files limit $(ulimit -n) is too low" >&2; exit 1; }

for s in "${servers[@]}"; do
  [[ -x $s ]] || { echo "not an executable: $s" >&2; exit 1; }
  server_bin=$s
  rm -rf "$work/data"
  : >"$work/server.log"
  start_server --demo
  echo
  echo "$s (--threads default), $(grep -c ^processor /proc/cpuinfo) cores"
  python3 - "$base" "$(cat "$work/data/demo-admin.key")" "$secs" "$server_pid" \
    "${IDLE_N:-1000}" "${SLOW_N:-1000}" "${IDLE_TIMEOUT:-30}" <<'PY'
import http.client, json, selectors, socket, sys, threading, time, urllib.parse
base, key, secs, pid, idle_n, slow_n, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
u = urllib.parse.urlparse(base)
HOST, PORT = u.hostname, u.port
HEAD = (b"GET /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key.encode() +
        b"\r\n" + b"".join(b"X-Slow-%d: %s\r\n" % (i, b"a" * 40) for i in range(200)))  # never the blank line

def proc_status():
    d = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        d[k] = v.strip()
    return int(d["Threads"]), int(d["VmRSS"].split()[0]) / 1024

class Hostile:
    """Holds idle and slow connections until stopped; reopens those the server closes."""
    def __init__(self, n_idle, n_slow):
        self.sel = selectors.DefaultSelector()
        self.stop = threading.Event()
        self.reopened = {"idle": 0, "slow": 0}
        self.connect_failures = 0
        self.want = [("idle", i) for i in range(n_idle)] + [("slow", i) for i in range(n_slow)]
        self.socks = {}
        self.t = threading.Thread(target=self.run, daemon=True)
    def open(self, kind, i):
        s = socket.socket()
        s.settimeout(5)
        try:
            s.connect((HOST, PORT))
        except OSError:
            self.connect_failures += 1
            s.close()
            return
        s.setblocking(False)
        # slow ones start at a random-ish offset so the bytes are spread over the 3 s
        self.socks[s] = [kind, i, 0, time.monotonic() + (i % 30) * 0.1]
        self.sel.register(s, selectors.EVENT_READ)
    def start(self):
        for kind, i in self.want:
            self.open(kind, i)
        self.t.start()
    def run(self):
        while not self.stop.is_set():
            for key_, _ in self.sel.select(timeout=0.05):
                s = key_.fileobj
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:  # closed by the server (or an error answer and then closed)
                    kind, i = self.socks.pop(s)[:2]
                    self.sel.unregister(s)
                    s.close()
                    self.reopened[kind] += 1
                    if not self.stop.is_set():
                        self.open(kind, i)
            now = time.monotonic()
            for s, st in list(self.socks.items()):
                if st[0] == "slow" and now >= st[3]:
                    try:
                        s.send(HEAD[st[2] % len(HEAD):st[2] % len(HEAD) + 1])
                    except OSError:
                        pass
                    st[2] += 1
                    st[3] = now + 3.0
    def close(self):
        self.stop.set()
        self.t.join(timeout=10)
        for s in list(self.socks):
            self.sel.unregister(s)
            s.close()
        self.socks.clear()
    def held(self):
        c = {"idle": 0, "slow": 0}
        for st in self.socks.values():
            c[st[0]] += 1
        return c

def one(route):
    c = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    t0 = time.monotonic()
    try:
        if route == "GET /api/products":
            c.request("GET", "/api/products", headers={"Authorization": "Bearer " + key, "Connection": "close"})
        else:
            c.request("POST", "/api/generate-download-url", body=b'{"productId":"epic-drums-v1"}',
                      headers={"Authorization": "Bearer " + key, "Content-Type": "application/json",
                               "Connection": "close"})
        r = c.getresponse()
        r.read()
        return (time.monotonic() - t0) * 1000, r.status
    except socket.timeout:
        return timeout * 1000, "timeout"
    except OSError as e:
        return (time.monotonic() - t0) * 1000, type(e).__name__
    finally:
        c.close()

ROUTES = ["GET /api/products", "POST /api/generate-download-url"]
def measure(duration, n_threads=4):
    results = {r: [] for r in ROUTES}
    lock = threading.Lock()
    end = time.monotonic() + duration
    def worker(w):
        k = w
        while time.monotonic() < end:
            route = ROUTES[k % 2]; k += 1
            ms, status = one(route)
            with lock:
                results[route].append((ms, status))
    ts = [threading.Thread(target=worker, args=(w,)) for w in range(n_threads)]
    for t in ts: t.start()
    for t in ts: t.join()
    return results

def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")

def recovery():
    t0 = time.monotonic()
    while time.monotonic() - t0 < 120:
        ms, st = one("GET /api/products")
        if st == 200:
            return time.monotonic() - t0
    return float("inf")

print(f"fresh connection per request, 4 measuring threads, request timeout {timeout:.0f} s, {secs:.0f} s per phase")
print(f"{'phase':<22} {'route':<32} {'requests':>8} {'ok':>5} {'timeouts':>8} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9}")
phases = [("baseline", 0, 0), (f"{idle_n} idle", idle_n, 0), (f"{slow_n} slow", 0, slow_n),
          (f"{idle_n} idle+{slow_n} slow", idle_n, slow_n)]
for name, ni, ns in phases:
    h = Hostile(ni, ns)
    t_open = time.monotonic()
    h.start()
    t_open = time.monotonic() - t_open
    time.sleep(1.0)
    threads0, rss0 = proc_status()
    res = measure(secs if ni or ns else min(secs, 10))
    threads1, rss1 = proc_status()
    held = h.held()
    h.close()
    for route in ROUTES:
        rs = res[route]
        lat = [ms for ms, _ in rs]
        ok = sum(1 for _, st in rs if isinstance(st, int) and 200 <= st < 300)
        to = sum(1 for _, st in rs if st == "timeout")
        other = sorted({str(st) for _, st in rs if not (isinstance(st, int) and 200 <= st < 300) and st != "timeout"})
        print(f"{name:<22} {route:<32} {len(rs):>8} {ok:>5} {to:>8} {pct(lat, .5):>9.1f} {pct(lat, .99):>9.1f} "
              f"{max(lat) if lat else float('nan'):>9.1f}" + (f"  other: {','.join(other)}" if other else ""))
    if ni or ns:
        rec = recovery()
        print(f"{'':<22} held at the end: {held['idle']} idle, {held['slow']} slow (opened in {t_open:.1f} s; "
              f"connect failures {h.connect_failures}); the server closed idle ones {h.reopened['idle']} times, "
              f"slow ones {h.reopened['slow']} times; server threads {threads0}->{threads1}, RSS {rss0:.1f}->{rss1:.1f} MB; "
              f"after closing them the API answered again in {rec:.2f} s")
    else:
        print(f"{'':<22} server threads {threads1}, RSS {rss1:.1f} MB")
PY
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
done
