#!/usr/bin/env python3
"""Fault test: kill -9 continuata-server under concurrent webhooks and uploads, restart it on the
same data folder, and check what survived.

Run by ctest (tests/CMakeLists.txt) as
    python3 tests/fault/test_kill_restart.py --server build/native/continuata-server
and on PostgreSQL (ctest fault_kill_restart_postgresql) inside a throwaway cluster:
    scripts/postgres_cluster.py -- python3 tests/fault/test_kill_restart.py --server ... --postgresql
which passes the cluster's URL (CONTINUATA_TEST_DATABASE) to the server as --database; the
database is then read with psql, the integrity checks below are SQLite's only (PostgreSQL
recovers its own WAL: what is checked is that the server acknowledged nothing it had not committed),
and the killed uploads' .part files are aged two hours before the restart (on PostgreSQL the
start-up sweep keeps younger ones: other instances share the folder).
Options: --cycles N (default 5), --workers N (default 24), --seed N (default: random, printed),
--keep (keep the data folder), --corrupt-one (self-check: damage the data after the first kill; the
test must then report failures).

Each cycle: a fresh draft version of product "fault-p1"; WORKERS threads, each on its own
keep-alive connection, send signed purchase webhooks (a unique orderId each, one or two items)
and uploads of 4 KiB..512 KiB files (half of them sent slowly, 32 KiB every 10 ms, so uploads are in
flight when the kill comes); every 2xx answer is recorded. After a random 0.4..2.4 s the server
gets SIGKILL. Then, before the restart, the database files are copied and the copy must pass
PRAGMA integrity_check; after the restart:
  - every acknowledged purchase is in GET /api/purchases (and every unacknowledged webhook, sent
    again, is answered 2xx and recorded exactly once: idempotency on (org, orderId, productId));
  - every file of every manifest (GET /api/products/fault-p1/versions/V) is an upload we sent in
    full (size and sha256 of what we sent), every acknowledged upload is in its manifest, and the
    bytes on disk (files/<version id>/<storage name>, from the database) hash to the manifest's
    sha256; one file a cycle is also downloaded through /download after activating the version;
  - no "*.part" file is left under files/ (needs the start-up sweep of leftover partial uploads);
  - PRAGMA integrity_check of the live database is "ok".
An upload the server committed but whose answer the kill cut off may be in the manifest: that is
allowed (the client retries), a partial one is not. The test also fails if the kills never
caught an upload in flight (no .part file before any restart), since then it tested nothing.

Only 127.0.0.1 is contacted. Python 3 standard library only.
"""
import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import quote

ORG = "fault"
PRODUCT = "fault-p1"
PRODUCT2 = "fault-p2"

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


class Store:
    """The server's database, read by the checks: the SQLite file in the data folder, or PostgreSQL
    at `url` through psql (parameters as psql variables, quoted by psql: :'p1', :'p2', ...)."""

    def __init__(self, data, url=None):
        self.path, self.url = os.path.join(data, "continuata.db"), url

    def rows(self, sql, params=()):
        if self.url is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                return con.execute(sql, params).fetchall()
            finally:
                con.close()
        for i in range(len(params)):
            sql = sql.replace("?", f":'p{i + 1}'", 1)
        args = ["psql", self.url, "-XAtq", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
        for i, v in enumerate(params):
            args += ["-v", f"p{i + 1}={v}"]
        out = subprocess.run(args, input=sql + ";\n", capture_output=True, text=True, check=True, timeout=60)
        return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]  # text: int() what counts

    def write(self, sql):
        if self.url is None:
            con = sqlite3.connect(self.path, timeout=30)
            con.execute(sql)
            con.commit()
            con.close()
        else:
            subprocess.run(["psql", self.url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                           capture_output=True, timeout=60)


class Server:
    def __init__(self, binary, data, database=None):
        self.binary, self.data, self.proc, self.port = binary, data, None, None
        self.database = ["--database", database] if database else []
        self.log_path = os.path.join(data, "..", "server.log")

    def admin(self, *args):
        out = subprocess.run([self.binary, "--data", self.data, *self.database, "admin", *args], check=True,
                             capture_output=True, text=True, timeout=30)
        return out.stdout.strip()

    def start(self):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "--data", self.data, *self.database, "--port", "0",
                                      "--host", "127.0.0.1"],
                                     stdout=subprocess.PIPE, stderr=log)
        deadline = time.time() + 20
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            log.write(line)
            m = re.search(rb"listening on http://[^:]+:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                # keep draining stdout (the access log) so the server never blocks on the pipe
                threading.Thread(target=self._drain, args=(self.proc.stdout, log), daemon=True).start()
                return
        raise RuntimeError("server did not start; see " + self.log_path)

    @staticmethod
    def _drain(pipe, log):
        for line in pipe:
            pass
        log.close()

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def request(port, method, path, body=None, headers=None, timeout=20):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read(), dict(r.getheaders())
    finally:
        c.close()


def content_for(seed, size):
    """Deterministic bytes for an upload: cheap to regenerate, differs per seed."""
    block = hashlib.sha256(str(seed).encode()).digest() * 2048  # 64 KiB
    reps = size // len(block) + 1
    return (block * reps)[:size]


def sign(secret, ts, body):
    return "sha256=" + hmac.new(secret.encode(), (ts + ".").encode() + body, hashlib.sha256).hexdigest()


class Load:
    """Concurrent webhooks and uploads against one server life; records what was acknowledged."""

    def __init__(self, port, key, secret, version, rng_seed, workers, cycle):
        self.port, self.key, self.secret, self.version = port, key, secret, version
        self.workers, self.cycle = workers, cycle
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.webhooks = {}  # orderId -> (body bytes, [productIds], acked bool)
        self.uploads = {}   # path -> {"size", "sha256", "acked", "seed"}
        self.unexpected = []  # (what, status, body) for answers that are neither 2xx nor a cut
        self.rng_seed = rng_seed
        self.threads = [threading.Thread(target=self.worker, args=(i,), daemon=True) for i in range(workers)]

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)

    def worker(self, wid):
        rng = random.Random(self.rng_seed * 1000 + wid)
        conn = None
        n = 0
        while not self.stop.is_set():
            n += 1
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                if rng.random() < 0.6:
                    self.webhook(conn, rng, wid, n)
                else:
                    self.upload(conn, rng, wid, n)
            except (OSError, http.client.HTTPException):
                # the kill (or a connection the server closed): not acknowledged; reconnect, and
                # once the server is gone, stop
                conn.close()
                conn = None
                try:
                    request(self.port, "GET", "/healthz", timeout=2)
                except OSError:
                    return

    def webhook(self, conn, rng, wid, n):
        order = f"c{self.cycle}-w{wid}-{n}"
        items = [{"productId": PRODUCT}] + ([{"productId": PRODUCT2}] if rng.random() < 0.3 else [])
        body = json.dumps({"orderId": order, "email": f"buyer{wid}@example.com", "items": items}).encode()
        with self.lock:
            self.webhooks[order] = (body, [i["productId"] for i in items], False)
        ts = str(int(time.time()))
        conn.request("POST", f"/api/webhooks/{ORG}/purchase", body=body,
                     headers={"Content-Type": "application/json", "X-Continuata-Timestamp": ts,
                              "X-Continuata-Signature": sign(self.secret, ts, body)})
        r = conn.getresponse()
        data = r.read()
        if 200 <= r.status < 300:
            with self.lock:
                self.webhooks[order] = (body, self.webhooks[order][1], True)
        else:
            self.unexpected.append(("webhook " + order, r.status, data[:200]))

    def upload(self, conn, rng, wid, n):
        path = f"c{self.cycle}/w{wid}/f{n}.bin"
        size = rng.choice([4096, 65536, 200_000, 524_288])
        seed = f"{self.cycle}-{wid}-{n}"
        data = content_for(seed, size)
        sha = hashlib.sha256(data).hexdigest()
        with self.lock:
            self.uploads[path] = {"size": size, "sha256": sha, "acked": False, "seed": seed}
        slow = rng.random() < 0.5
        conn.putrequest("PUT", f"/api/products/{PRODUCT}/versions/{self.version}/files/{path}")
        conn.putheader("Authorization", "Bearer " + self.key)
        conn.putheader("Content-Type", "application/octet-stream")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        step = 32768
        for off in range(0, size, step):
            conn.send(data[off:off + step])
            if slow:
                time.sleep(0.01)
        r = conn.getresponse()
        body = r.read()
        if 200 <= r.status < 300:
            got = json.loads(body)
            if got.get("sha256") != sha or got.get("size") != size:
                self.unexpected.append(("upload " + path + " answered with other sha/size", r.status, body[:200]))
            with self.lock:
                self.uploads[path]["acked"] = True
        else:
            self.unexpected.append(("upload " + path, r.status, body[:200]))


def part_files(data):
    out = []
    for root, _, files in os.walk(os.path.join(data, "files")):
        out += [os.path.join(root, f) for f in files if f.endswith(".part")]
    return out


def integrity(db_path):
    con = sqlite3.connect(db_path, timeout=30)
    try:
        return [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
    finally:
        con.close()


def corrupt(data, store):
    """Self-check: damage what the checks look at, as a bug would."""
    vid, storage = store.rows("SELECT version_id, storage_name FROM files ORDER BY size DESC LIMIT 1")[0]
    with open(os.path.join(data, "files", vid, storage), "r+b") as fh:
        fh.truncate(100)
    store.write("DELETE FROM purchases WHERE id = (SELECT MAX(id) FROM purchases)")
    print(f"--corrupt-one: truncated {vid}/{storage}, deleted the newest purchase", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--cycles", type=int, default=5)
    ap.add_argument("--workers", type=int, default=24)
    ap.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--postgresql", action="store_true",
                    help="the server on PostgreSQL at $CONTINUATA_TEST_DATABASE (scripts/postgres_cluster.py sets it)")
    ap.add_argument("--corrupt-one", action="store_true",
                    help="self-check: after the first kill, truncate one stored file and drop one acknowledged purchase; the test must then fail")
    args = ap.parse_args()
    print(f"seed {args.seed} (rerun with --seed {args.seed})", flush=True)
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="continuata-fault.")
    data = os.path.join(tmp, "data")
    url = os.environ.get("CONTINUATA_TEST_DATABASE") if args.postgresql else None
    if args.postgresql and not url:
        sys.exit("--postgresql needs CONTINUATA_TEST_DATABASE (run it under scripts/postgres_cluster.py)")
    srv = Server(os.path.abspath(args.server), data, url)
    store = Store(data, url)
    started = time.time()
    try:
        srv.admin("create-org", "--id", ORG, "--name", "Fault Org")
        key = srv.admin("create-key", "--org", ORG, "--role", "admin")
        secret = srv.admin("create-webhook-secret", "--org", ORG)
        srv.start()
        auth = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
        for pid in (PRODUCT, PRODUCT2):
            st, body, _ = request(srv.port, "POST", "/api/products",
                                  json.dumps({"name": pid, "slug": pid}).encode(), auth)
            assert st == 201, (st, body)

        all_webhooks = {}   # orderId -> (body, productIds, acked)
        all_uploads = {}    # version -> {path: info}
        parts_seen_before_restart = 0
        for cycle in range(args.cycles):
            version = f"{cycle + 1}.0.0"
            st, body, _ = request(srv.port, "POST", f"/api/products/{PRODUCT}/versions",
                                  json.dumps({"version": version}).encode(), auth)
            assert st == 201, (st, body)
            load = Load(srv.port, key, secret, version, rng.randrange(1 << 30), args.workers, cycle)
            kill_after = rng.uniform(0.4, 2.4)
            load.start()
            time.sleep(kill_after)
            srv.kill9()
            load.join()
            parts = part_files(data)
            parts_seen_before_restart += len(parts)
            acked_w = sum(1 for v in load.webhooks.values() if v[2])
            acked_u = sum(1 for v in load.uploads.values() if v["acked"])
            print(f"cycle {cycle + 1}: killed after {kill_after:.2f} s; webhooks sent {len(load.webhooks)} "
                  f"acked {acked_w}; uploads sent {len(load.uploads)} acked {acked_u}; "
                  f".part files under files/ at the kill {len(parts)} (cumulative until swept)", flush=True)
            for what, status, b in load.unexpected:
                fail(f"cycle {cycle + 1}: {what}: unexpected status {status}: {b!r}")
            all_webhooks.update(load.webhooks)
            all_uploads[version] = load.uploads

            # the SQLite database as the kill left it (main file + WAL), checked on a copy
            if url is None:
                copy = os.path.join(tmp, f"copy{cycle}")
                os.makedirs(copy)
                for suffix in ("", "-wal"):
                    src = os.path.join(data, "continuata.db" + suffix)
                    if os.path.exists(src):
                        shutil.copy(src, os.path.join(copy, "continuata.db" + suffix))
                res = integrity(os.path.join(copy, "continuata.db"))
                check(res == ["ok"], f"cycle {cycle + 1}: integrity_check of the killed database: {res[:5]}")

            if args.corrupt_one and cycle == 0:
                corrupt(data, store)
            if url is not None:
                # Instances on PostgreSQL share the storage folder, so the start-up sweep leaves
                # unreferenced files younger than an hour (another instance may be writing them):
                # the killed uploads are made two hours old, as after a crash long ago.
                old = time.time() - 2 * 3600
                for f in parts:
                    os.utime(f, (old, old))
            srv.start()
            verify(srv, key, secret, data, store, all_webhooks, all_uploads, cycle, version)

        check(parts_seen_before_restart > 0,
              "no kill caught an upload in flight (no .part file before any restart): the test tested nothing")
        if url is None:
            res = integrity(os.path.join(data, "continuata.db"))
            check(res == ["ok"], f"integrity_check of the live database after the last restart: {res[:5]}")
    finally:
        srv.stop()
        if args.keep:
            print("data kept in " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s) in {time.time() - started:.1f} s")
    return 1 if failures else 0


def verify(srv, key, secret, data, store, all_webhooks, all_uploads, cycle, version):
    tag = f"after restart {cycle + 1}"
    auth = {"Authorization": "Bearer " + key}
    # 1. every acknowledged purchase is there
    st, body, _ = request(srv.port, "GET", "/api/purchases", headers=auth)
    check(st == 200, f"{tag}: GET /api/purchases answered {st}")
    rows = json.loads(body) if st == 200 else []
    have = {}
    for p in rows:
        k = (p.get("orderId"), p.get("productId"))
        have[k] = have.get(k, 0) + 1
    missing = [(o, pid) for o, (b, pids, acked) in all_webhooks.items() if acked for pid in pids
               if (o, pid) not in have]
    check(not missing, f"{tag}: {len(missing)} acknowledged purchase(s) missing, e.g. {missing[:3]}")
    # 2. unacknowledged webhooks sent again: answered 2xx, then each purchase exactly once
    for order, (b, pids, acked) in list(all_webhooks.items()):
        if acked:
            continue
        ts = str(int(time.time()))
        st, rb, _ = request(srv.port, "POST", f"/api/webhooks/{ORG}/purchase", b,
                            {"Content-Type": "application/json", "X-Continuata-Timestamp": ts,
                             "X-Continuata-Signature": sign(secret, ts, b)})
        if check(200 <= st < 300, f"{tag}: retried webhook {order} answered {st}: {rb[:200]!r}"):
            all_webhooks[order] = (b, pids, True)
    st, body, _ = request(srv.port, "GET", "/api/purchases", headers=auth)
    rows = json.loads(body) if st == 200 else []
    have = {}
    for p in rows:
        k = (p.get("orderId"), p.get("productId"))
        have[k] = have.get(k, 0) + 1
    expected = {(o, pid) for o, (b, pids, _) in all_webhooks.items() for pid in pids}
    check(set(have) == expected, f"{tag}: purchases after retries differ from those sent: "
          f"missing {sorted(expected - set(have))[:3]}, extra {sorted(set(have) - expected)[:3]}")
    dups = [k for k, n in have.items() if n > 1]
    check(not dups, f"{tag}: purchases recorded twice: {dups[:3]}")

    # 3. manifests: only complete uploads we sent, every acknowledged one; disk bytes match
    for ver, sent in all_uploads.items():
        st, body, _ = request(srv.port, "GET", f"/api/products/{PRODUCT}/versions/{ver}", headers=auth)
        if not check(st == 200, f"{tag}: manifest of {ver} answered {st}"):
            continue
        man = json.loads(body)
        files = {f["path"]: f for f in man.get("files", [])}
        for path, f in files.items():
            s = sent.get(path)
            if not check(s is not None, f"{tag}: {ver} manifest has {path}, which was never sent"):
                continue
            check(f["size"] == s["size"] and f["sha256"] == s["sha256"],
                  f"{tag}: {ver}/{path} in the manifest is partial or wrong: size {f['size']} of "
                  f"{s['size']}, sha256 {f['sha256'][:12]} vs {s['sha256'][:12]} "
                  f"(acknowledged: {s['acked']})")
        lost = [p for p, s in sent.items() if s["acked"] and p not in files]
        check(not lost, f"{tag}: {ver}: {len(lost)} acknowledged upload(s) missing from the manifest: {lost[:3]}")
        rows = store.rows("SELECT f.path, f.storage_name, f.size, f.sha256, f.version_id FROM files f "
                          "JOIN versions v ON v.id = f.version_id WHERE v.org_id = ? AND v.product_id = ? "
                          "AND v.version = ?", (ORG, PRODUCT, ver))
        check(len(rows) == len(files), f"{tag}: {ver}: database has {len(rows)} files, manifest {len(files)}")
        for path, storage, size, sha, vid in rows:
            p = os.path.join(data, "files", vid, storage)
            try:
                with open(p, "rb") as fh:
                    got = fh.read()
            except OSError as e:
                fail(f"{tag}: {ver}/{path}: stored file {p} unreadable: {e}")
                continue
            check(len(got) == int(size) and hashlib.sha256(got).hexdigest() == sha,
                  f"{tag}: {ver}/{path}: bytes on disk ({len(got)}) do not match the manifest ({size}, {sha[:12]})")
    # one file of the previous cycle's version through /download (activating it: no more uploads there)
    ver = version
    st, body, _ = request(srv.port, "GET", f"/api/products/{PRODUCT}/versions/{ver}", headers=auth)
    files = json.loads(body).get("files", []) if st == 200 else []
    if files:
        f = max(files, key=lambda x: x["size"])
        st, body, _ = request(srv.port, "POST", f"/api/products/{PRODUCT}/versions/{ver}/activate",
                              b"{}", dict(auth, **{"Content-Type": "application/json"}))
        check(st == 200, f"{tag}: activate {ver} answered {st}: {body[:200]!r}")
        st, body, _ = request(srv.port, "POST", "/api/generate-download-url",
                              json.dumps({"productId": PRODUCT, "version": ver}).encode(),
                              dict(auth, **{"Content-Type": "application/json"}))
        if check(st == 200, f"{tag}: generate-download-url answered {st}: {body[:200]!r}"):
            token = json.loads(body)["downloadToken"]
            st, got, _ = request(srv.port, "GET", f"/download?token={token}&file={quote(f['path'])}")
            check(st == 200 and hashlib.sha256(got).hexdigest() == f["sha256"],
                  f"{tag}: /download of {ver}/{f['path']}: status {st}, {len(got)} bytes, sha256 mismatch or error")
    else:
        print(f"{tag}: version {ver} got no file before the kill; nothing to download this cycle")

    # 4. no leftover partial uploads
    parts = part_files(data)
    check(not parts, f"{tag}: {len(parts)} leftover .part file(s) under files/ after the restart, e.g. "
          f"{[os.path.relpath(p, data) for p in parts[:2]]} (the start-up sweep of partial uploads is missing)")
    # 5. orphans (renamed into place, no database row): reported, not failed
    known = {(v, s) for v, s in store.rows("SELECT version_id, storage_name FROM files")}
    orphans = 0
    for root, _, names in os.walk(os.path.join(data, "files")):
        for n in names:
            if not n.endswith(".part") and (os.path.basename(root), n) not in known:
                orphans += 1
    print(f"{tag}: {len(all_webhooks)} orders, {sum(len(v) for v in all_uploads.values())} uploads sent so far; "
          f"{orphans} complete file(s) on disk without a database row (info)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
