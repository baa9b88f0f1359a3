#!/usr/bin/env python3
"""Graceful stop of the real continuata-server binary, and its /metrics read by a real Prometheus
parser (Debian's python3-prometheus-client).

Run by ctest (tests/CMakeLists.txt) with Debian's python3 as
    /usr/bin/python3 tests/ops/test_graceful_stop.py --server build/native/continuata-server

Case 1, grace 20 s: a download of the demo's 150 MiB file is started and paused after a few KiB
(the client stops reading, so the server is blocked sending it), and a second connection has sent
half of a /readyz request head. /metrics, parsed by prometheus_client, must show the stream and
count requests under route patterns only. Then SIGTERM: new connections must be refused, the
half-sent /readyz, completed, must be answered 503 with the API's error shape, the paused
download, resumed, must arrive whole (length and sha256 of the manifest), and the process must
exit 0 on its own once it has.
Case 2, --shutdown-grace-seconds 2: a download paused for good is cut at the end of the grace
(the client gets less than Content-Length), the log says one request was cut, and the process
exits 0 soon after.
Case 3: SIGINT with nothing in flight: exit 0 at once (within generous bounds).

Only 127.0.0.1 is contacted.
"""
import argparse
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit("FAIL: needs Debian's python3-prometheus-client (scripts/setup installs it); run with /usr/bin/python3")

BIG_PRODUCT, BIG_VERSION = "orchestral-strings", "3.2.0"  # the demo's 150 MiB file

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg, flush=True)
    return cond


class Server:
    def __init__(self, binary, tmp, *flags):
        self.data = os.path.join(tmp, "data")
        self.lines = []
        self.proc = subprocess.Popen([binary, "--demo", "--data", self.data, "--port", "0", "--host", "127.0.0.1",
                                      *flags], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        self.port = None
        while time.time() < deadline and self.port is None:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line.decode(errors="replace"))
            m = re.search(rb"listening on http://[^:]+:(\d+)", line)
            if m:
                self.port = int(m.group(1))
        if self.port is None:
            raise RuntimeError("server did not start:\n" + "".join(self.lines))
        threading.Thread(target=self._drain, daemon=True).start()  # the access log; never block the server
        with open(os.path.join(self.data, "demo-admin.key")) as fh:
            self.key = fh.read().strip()

    def _drain(self):
        for line in self.proc.stdout:
            self.lines.append(line.decode(errors="replace"))

    def log_events(self, message):
        out = []
        for line in list(self.lines):
            try:
                j = json.loads(line)
            except ValueError:
                continue
            if isinstance(j, dict) and j.get("message", "").startswith(message):
                out.append(j)
        return out

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read(), dict(r.getheaders())
        finally:
            c.close()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    return s


def connection_refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        return False
    except ConnectionRefusedError:
        return True


def wait_refused(port):
    """New connections are refused soon after the signal (the listener closes on the event loop)."""
    for _ in range(500):
        if connection_refused(port):
            return True
        time.sleep(0.02)
    return False


def big_download(srv):
    """A fresh link to the demo's big file, and the manifest's size and sha256 for it."""
    auth = {"Authorization": "Bearer " + srv.key, "Content-Type": "application/json"}
    st, body, _ = srv.request("GET", f"/api/products/{BIG_PRODUCT}/versions/{BIG_VERSION}", headers=auth)
    assert st == 200, (st, body)
    f = json.loads(body)["files"][0]
    st, body, _ = srv.request("POST", "/api/generate-download-url",
                              json.dumps({"productId": BIG_PRODUCT}).encode(), auth)
    assert st == 200, (st, body)
    url = json.loads(body)["downloadUrl"]
    return url[url.index("/download"):], f["size"], f["sha256"]


class PausedDownload:
    """A GET on a raw socket with a small receive buffer: reads the head and a few KiB, then stops."""

    def __init__(self, port, path):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)  # before connect: a small window
        self.sock.settimeout(20)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("download closed before its head: %r" % buf)
            buf += chunk
        head, self.body = buf.split(b"\r\n\r\n", 1)
        self.head = head.decode()
        m = re.search(r"(?im)^content-length:\s*(\d+)", self.head)
        self.length = int(m.group(1)) if m else -1
        while len(self.body) < 8192:
            self.body += self.sock.recv(8192 - len(self.body))
        self.digest = hashlib.sha256(self.body)
        self.received = len(self.body)

    def finish(self):
        """Reads to EOF (or an error); returns the bytes received in all."""
        self.sock.settimeout(30)
        try:
            while True:
                chunk = self.sock.recv(1 << 20)
                if not chunk:
                    break
                self.digest.update(chunk)
                self.received += len(chunk)
        except OSError:  # reset, timeout: what arrived is what counts
            pass
        self.sock.close()
        return self.received


def families(text):
    return {f.name: f for f in text_string_to_metric_families(text)}


def sample(fams, family, name, **labels):
    for s in fams[family].samples:
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    return None


def case_drain(binary, tmp):
    print("case 1: SIGTERM with a download and a request head in flight (grace 20 s)", flush=True)
    srv = Server(binary, tmp, "--shutdown-grace-seconds", "20")
    try:
        path, size, sha = big_download(srv)
        srv.request("GET", "/no/such/path-7c1e?token=not-a-label")
        dl = PausedDownload(srv.port, path)
        check(dl.head.startswith("HTTP/1.1 200") and dl.length == size,
              f"download answered {dl.head.splitlines()[0]!r} with Content-Length {dl.length}, manifest {size}")
        half = connect(srv.port)
        half.sendall(b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the rest comes after SIGTERM

        st, body, headers = srv.request("GET", "/metrics")
        check(st == 200 and headers.get("Content-Type") == "text/plain; version=0.0.4; charset=utf-8",
              f"/metrics answered {st} {headers.get('Content-Type')}")
        fams = families(body.decode())
        check(sample(fams, "continuata_download_streams_active", "continuata_download_streams_active") == 1,
              "continuata_download_streams_active is not 1 while one download is paused")
        check(sample(fams, "continuata_http_requests", "continuata_http_requests_total", method="GET",
                     route="/api/products/([^/]+)/versions/([^/]+)", status="200") == 1,
              "the manifest request is not counted under its route pattern")
        check((sample(fams, "continuata_http_requests", "continuata_http_requests_total", method="GET",
                      route="other", status="404") or 0) >= 1, "the unknown path is not counted as route=\"other\"")
        routes = {s.labels.get("route") for f in fams.values() for s in f.samples if "route" in s.labels}
        check(not any("7c1e" in r or "token" in r for r in routes), f"a raw path reached a label: {routes}")
        hist = fams["continuata_http_request_duration_seconds"]
        check(hist.type == "histogram", f"duration family is a {hist.type}")
        for r in routes:
            for m in ("GET", "POST", "PUT"):
                buckets = [(s.labels["le"], s.value) for s in hist.samples
                           if s.name.endswith("_bucket") and s.labels.get("route") == r and s.labels.get("method") == m]
                count = [s.value for s in hist.samples
                         if s.name.endswith("_count") and s.labels.get("route") == r and s.labels.get("method") == m]
                if not buckets:
                    continue
                values = [v for _, v in buckets]
                check(values == sorted(values) and buckets[-1][0] == "+Inf" and count == [values[-1]],
                      f"histogram of {m} {r} is not cumulative or +Inf != _count: {buckets} {count}")

        srv.proc.send_signal(signal.SIGTERM)
        check(wait_refused(srv.port), "new connections are still accepted after SIGTERM")
        check(srv.proc.poll() is None, "the server exited with a download still in flight (grace 20 s)")
        answer = b""
        try:
            half.sendall(b"\r\n")
            half.settimeout(20)
            while True:
                chunk = half.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except OSError as e:
            check(False, f"the request under way when SIGTERM came was not answered: {e!r}")
        half.close()
        head, _, body = answer.partition(b"\r\n\r\n")
        check(head.startswith(b"HTTP/1.1 503"), f"/readyz while draining answered {head[:40]!r}")
        try:
            err = json.loads(body)
        except ValueError:
            err = {}
        check(isinstance(err.get("error"), str), f"/readyz while draining: not the error shape: {body[:200]!r}")

        got = dl.finish()
        check(got == size, f"the in-flight download got {got} of {size} bytes")
        check(dl.digest.hexdigest() == sha, "the in-flight download's sha256 differs from the manifest's")
        try:
            rc = srv.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            rc = None
        check(rc == 0, f"exit status {rc} after the drain (0 expected)")
        time.sleep(0.2)  # the reader thread takes the last lines
        stopped = srv.log_events("stopped")
        check(srv.log_events("draining") and stopped and stopped[-1].get("cut") == 0,
              f"log: draining/stopped lines missing or something was cut: {stopped}")
    finally:
        srv.kill()


def case_cut(binary, tmp):
    print("case 2: a download still running after --shutdown-grace-seconds 2 is cut", flush=True)
    srv = Server(binary, tmp, "--shutdown-grace-seconds", "2")
    try:
        path, size, _ = big_download(srv)
        dl = PausedDownload(srv.port, path)
        sent_at = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        try:
            rc = srv.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            rc = None
        waited = time.monotonic() - sent_at
        check(rc == 0, f"exit status {rc} after cutting at the end of the grace (0 expected)")
        # Not a timing measurement: the drain cannot end before its deadline while the download
        # is paused, so the exit comes at least 2 s after the signal.
        check(waited >= 1.9, f"exited {waited:.2f} s after SIGTERM, before the 2 s grace")
        got = dl.finish()
        check(got < size, f"the paused download got all {size} bytes: it was not cut")
        time.sleep(0.2)
        stopped = srv.log_events("stopped")
        check(stopped and stopped[-1].get("cut") == 1, f"log: the stop should report 1 cut request: {stopped}")
    finally:
        srv.kill()


def case_idle(binary, tmp):
    print("case 3: SIGINT with nothing in flight", flush=True)
    srv = Server(binary, tmp)
    try:
        st, body, _ = srv.request("GET", "/readyz")
        check(st == 200 and json.loads(body) == {"status": "ready"}, f"/readyz answered {st} {body[:100]!r}")
        srv.proc.send_signal(signal.SIGINT)
        try:
            rc = srv.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            rc = None
        check(rc == 0, f"exit status {rc} after SIGINT with nothing in flight")
    finally:
        srv.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    args = ap.parse_args()
    binary = os.path.abspath(args.server)
    started = time.time()
    for case in (case_drain, case_cut, case_idle):
        tmp = tempfile.mkdtemp(prefix="continuata-ops.")
        try:
            case(binary, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s) in {time.time() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
