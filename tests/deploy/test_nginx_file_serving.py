#!/usr/bin/env python3
"""nginx in front of continuata-server (--file-serving nginx), as deploy/ sets it up.

Run by ctest (tests/CMakeLists.txt) as
    python3 tests/deploy/test_nginx_file_serving.py --server build/native/continuata-server

One server instance (--demo --file-serving nginx --trusted-proxy 127.0.0.1) and Debian's nginx
with the configuration deploy/render-nginx-conf renders (storage root DATA/files, a small portal
folder with precompressed copies as web root), both on free loopback ports. Through nginx:
a full GET (sha256 of the manifest), HEAD, every Range form of RFC 9110 (first-last, first-,
suffix, several parts as multipart/byteranges, unsatisfiable 416, invalid syntax ignored: 200),
If-Range with the ETag (match 206, mismatch or a date 200), If-None-Match 304, the headers a
download carries (Content-Disposition with a non-ASCII name, Referrer-Policy, ETag = sha256),
the per-file form of a multi-file product, unknown, expired and wrong-file links answered by the
server, an upload streamed through nginx, bodies over 1 MiB refused as JSON, /metrics and /readyz
hidden, the portal's static files; then aria2c -x8 and curl -C - through nginx. Every request has
its own User-Agent, so the seller's download report is checked row by row: only requests from
byte 0 count, probes and HEAD write nothing, and the address is X-Real-IP only from the trusted
peer (nginx overwrites a client's). The server must never send a file's bytes itself (its access
log's byte counts for /download, and a request straight to it).
Python 3 standard library; the brotli command line (Debian's brotli) makes and reads the .br copies.
"""
import argparse
import csv
import gzip
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from email.parser import BytesParser
from urllib.parse import quote, urlsplit


HERE = os.path.dirname(os.path.abspath(__file__))
RENDER = os.path.join(HERE, "..", "..", "deploy", "render-nginx-conf")

passed, failed = 0, 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
        print("ok: " + what, flush=True)
    else:
        failed += 1
        print("FAIL: " + what, flush=True)
    return cond


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        values = self.all(name)
        return values[0] if values else None

    def all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]


def request(port, method, target, headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, target, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return Answer(r.status, r.getheaders(), data)


def target_of(url):
    u = urlsplit(url)
    return u.path + ("?" + u.query if u.query else "")


def wait_for(cond, what, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    sys.exit(f"FAIL: {what}")


def make_web_root(folder):
    """A deployed portal in miniature: a page, a content-hashed script, their .br/.gz copies."""
    os.makedirs(folder)
    files = {"index.html": b"<!doctype html><title>portal</title>" + b"<p>x</p>" * 200,
             "portal.0123456789.js": b"console.log('portal');" * 200}
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
        with open(os.path.join(folder, name + ".gz"), "wb") as f:
            f.write(gzip.compress(data, 9))
        subprocess.run(["brotli", "-q", "11", "-f", "-o", os.path.join(folder, name + ".br"),
                        os.path.join(folder, name)], check=True)
    return files


def unbrotli(data):
    return subprocess.run(["brotli", "-d", "-c"], input=data, capture_output=True, check=True).stdout


def parse_multipart(answer):
    boundary = re.search(r"boundary=(\S+)", answer.header("Content-Type")).group(1).encode()
    parts = []
    for chunk in answer.body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.lstrip(b"\r\n").partition(b"\r\n\r\n")
        fields = BytesParser().parsebytes(head + b"\r\n\r\n")
        parts.append((fields["Content-Range"], data[:-2] if data.endswith(b"\r\n") else data))
    return parts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    for tool in ("nginx", "aria2c", "curl", "brotli"):
        if not shutil.which(tool):
            sys.exit(f"FAIL: {tool} is missing (scripts/setup installs it)")

    work = tempfile.mkdtemp(prefix="continuata-nginx-")
    # nginx's workers run as nobody when the test runs as root: they may pass through the
    # folders (not list them) and read the stored files, as in production.
    os.chmod(work, 0o711)
    data, run_dir, web = (os.path.join(work, n) for n in ("data", "run", "web"))
    os.makedirs(data)
    os.chmod(data, 0o711)
    web_files = make_web_root(web)
    procs = []
    try:
        nport = free_port()
        server_log = open(os.path.join(work, "server.log"), "w+")
        server = subprocess.Popen([args.server, "--demo", "--data", data, "--port", "0", "--file-serving", "nginx",
                                   "--trusted-proxy", "127.0.0.1", "--public-url", f"http://127.0.0.1:{nport}"],
                                  stdout=server_log, stderr=subprocess.STDOUT)
        procs.append(server)

        def log_text():
            server_log.flush()
            with open(server_log.name) as f:
                return f.read()

        wait_for(lambda: "listening on" in log_text(), "the server did not start")
        sport = int(re.search(r"listening on http://127\.0\.0\.1:(\d+)", log_text()).group(1))
        os.chmod(os.path.join(data, "files"), 0o755)
        conf = subprocess.run([sys.executable, RENDER, "--listen", f"127.0.0.1:{nport}", "--upstream",
                               f"127.0.0.1:{sport}", "--web-root", web, "--storage-root",
                               os.path.join(data, "files"), "--run-dir", run_dir, "--worker-connections", "1024"],
                              check=True, capture_output=True, text=True).stdout.strip()
        nginx_err = open(os.path.join(work, "nginx.stderr"), "w")
        nginx = subprocess.Popen(["nginx", "-p", run_dir, "-c", conf, "-g", "daemon off;"], stderr=nginx_err)
        procs.append(nginx)

        def nginx_up():
            try:
                return request(nport, "GET", "/healthz").status == 200
            except OSError:
                return nginx.poll() is not None
        wait_for(nginx_up, "nginx did not start")
        if nginx.poll() is not None:
            sys.exit("FAIL: nginx exited: " + open(nginx_err.name).read())

        key = open(os.path.join(data, "demo-admin.key")).read().strip()
        auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

        def mint(product):
            a = request(nport, "POST", "/api/generate-download-url", auth, json.dumps({"productId": product}))
            assert a.status == 200, a.body
            return json.loads(a.body)["downloadUrl"]

        def manifest(product, version):
            a = request(nport, "GET", f"/api/products/{product}/versions/{version}", auth)
            return {f["path"]: f for f in json.loads(a.body)["files"]}

        # --- a single-file product through nginx --------------------------------------------
        url = mint("epic-drums-v1")
        check(url.startswith(f"http://127.0.0.1:{nport}/download?token="), "the link points at nginx (--public-url)")
        target = target_of(url)
        entry = manifest("epic-drums-v1", "1.1.0")["Epic-Drum-Kit-1.1.0.zip"]
        size, sha = entry["size"], entry["sha256"]
        etag = f'"{sha}"'
        expected = {}  # User-Agent -> "yes", "no" (a report row, counted or not) or None (no row)

        def get(label, headers=None, method="GET", expect_row=None):
            h = dict(headers or {})
            h["User-Agent"] = "check-" + label
            expected["check-" + label] = expect_row
            return request(nport, method, target, h)

        a = get("full", expect_row="yes")
        whole = a.body
        check(a.status == 200 and hashlib.sha256(whole).hexdigest() == sha, "full GET: 200, sha256 of the manifest")
        check(a.header("Content-Length") == str(size), "full GET: Content-Length is the file's size")
        check(a.header("ETag") == etag, "ETag is the file's sha256, as in direct mode")
        check(a.all("Accept-Ranges") == ["bytes"], "Accept-Ranges: bytes, once")
        check(a.header("Last-Modified") is None, "no Last-Modified (an If-Range date never matches)")
        check(a.header("Cache-Control") == "private, no-transform", "the server's Cache-Control is kept")
        check(a.header("Content-Type") == "application/octet-stream", "the server's Content-Type is kept")
        check(a.header("Content-Disposition") == 'attachment; filename="Epic-Drum-Kit-1.1.0.zip"; '
              "filename*=UTF-8''Epic-Drum-Kit-1.1.0.zip", "Content-Disposition as in direct mode")
        check(a.header("Referrer-Policy") == "no-referrer" and a.header("X-Content-Type-Options") == "nosniff",
              "Referrer-Policy no-referrer and nosniff")
        check(a.header("X-Accel-Redirect") is None, "X-Accel-Redirect does not reach the client")

        a = get("head", method="HEAD")
        check(a.status == 200 and a.body == b"" and a.header("Content-Length") == str(size) and
              a.header("ETag") == etag, "HEAD: 200, the headers, no body")

        def ranged(label, value, status, body, content_range, row, extra=None):
            h = {"Range": value, **(extra or {})}
            a = get(label, h, expect_row=row)
            ok = a.status == status and a.body == body
            if content_range is not None:
                ok = ok and a.header("Content-Range") == content_range
            check(ok, f"Range {value!r} {extra or ''}: {status}, the right bytes"
                  + (f", Content-Range {content_range}" if content_range else ""))
            return a

        ranged("r0-99", "bytes=0-99", 206, whole[:100], f"bytes 0-99/{size}", None)  # a probe: no row
        ranged("r100-", "bytes=100-", 206, whole[100:], f"bytes 100-{size - 1}/{size}", "no")
        ranged("r-100", "bytes=-100", 206, whole[-100:], f"bytes {size - 100}-{size - 1}/{size}", "no")
        ranged("r0-70000", "bytes=0-69999", 206, whole[:70000], f"bytes 0-69999/{size}", "yes")
        a = get("multi", {"Range": "bytes=0-9,1000-1009"})
        parts = parse_multipart(a) if a.status == 206 else []
        check(a.status == 206 and a.header("Content-Type").startswith("multipart/byteranges") and
              parts == [(f"bytes 0-9/{size}", whole[:10]), (f"bytes 1000-1009/{size}", whole[1000:1010])],
              "Range 'bytes=0-9,1000-1009': 206 multipart/byteranges with both parts exact")
        a = get("r416", {"Range": f"bytes={size}-"})
        check(a.status == 416 and a.header("Content-Range") == f"bytes */{size}",
              "unsatisfiable Range: 416, bytes */SIZE")
        ranged("rbad1", "bytes=x-9", 200, whole, None, "yes")
        ranged("rbad2", "bytes=5-2", 200, whole, None, "yes")
        ranged("rbad3", "bytes=0-1,,5-6", 200, whole, None, "yes")
        ranged("items", "items=0-5", 200, whole, None, "yes")
        # Ranges nginx would send differently from the server's decision: both send the whole file.
        ranged("overlap", "bytes=0-99999,50000-", 200, whole, None, "yes")
        ranged("unordered", "bytes=100000-,0-99999", 200, whole, None, "yes")
        ranged("ifrange-match", "bytes=100-", 206, whole[100:], f"bytes 100-{size - 1}/{size}", "no",
               {"If-Range": etag})
        ranged("ifrange-other", "bytes=100-", 200, whole, None, "yes", {"If-Range": '"0123"'})
        ranged("ifrange-date", "bytes=100-", 200, whole, None, "yes", {"If-Range": "Wed, 21 Oct 2015 07:28:00 GMT"})
        a = get("inm", {"If-None-Match": etag})
        check(a.status == 304 and a.body == b"" and a.header("ETag") == etag, "If-None-Match with the ETag: 304")
        a = get("spoof", {"X-Real-IP": "203.0.113.77"}, expect_row="yes")
        check(a.status == 200, "a client's own X-Real-IP through nginx: 200")

        # --- straight to the server: it never sends the bytes, and trusts X-Real-IP from 127.0.0.1
        expected["check-upstream"] = "yes"
        a = request(sport, "GET", target, {"User-Agent": "check-upstream", "X-Real-IP": "198.51.100.5"})
        accel = a.header("X-Accel-Redirect") or ""
        m = re.fullmatch(r"/_continuata_files/(version_[0-9a-f]+)/([0-9a-f]+)", accel)
        check(a.status == 200 and a.body == b"" and a.header("Content-Length") == "0" and m is not None,
              f"the server answers X-Accel-Redirect {accel!r} with no body")
        if m:
            on_disk = open(os.path.join(data, "files", m.group(1), m.group(2)), "rb").read()
            check(hashlib.sha256(on_disk).hexdigest() == sha, "X-Accel-Redirect names the stored file")
        a = request(sport, "GET", target, {"User-Agent": "check-upstream-whole", "Range": "bytes=x-1"})
        expected["check-upstream-whole"] = "yes"
        check((a.header("X-Accel-Redirect") or "").startswith("/_continuata_files/whole/version_"),
              "an ignored Range goes to the whole-file location")
        a = request(nport, "GET", accel)
        check(a.status == 404, "the internal location is not reachable from outside (404)")

        # --- a multi-file product: the listing, one file by &file=, a non-ASCII name ---------
        url2 = mint("analog-synth-presets")
        files = manifest("analog-synth-presets", "2.0.0")
        a = request(nport, "GET", target_of(url2))
        check(a.status == 200 and b"3 files" in a.body and a.header("Content-Type").startswith("text/html"),
              "several files without &file=: the server's listing")
        name = "Manual/Analog Synth Presets \u2013 Manual.txt"
        t2 = target_of(url2) + "&file=" + quote(name, safe="")
        expected["check-unicode"] = "yes"
        a = request(nport, "GET", t2, {"User-Agent": "check-unicode"})
        check(a.status == 200 and hashlib.sha256(a.body).hexdigest() == files[name]["sha256"],
              "&file= with a non-ASCII name: that file's bytes")
        check(a.header("Content-Disposition") == 'attachment; filename="Analog Synth Presets _ Manual.txt"; '
              "filename*=UTF-8''Analog%20Synth%20Presets%20%E2%80%93%20Manual.txt",
              "Content-Disposition: ASCII fallback and RFC 8187 filename*")
        a = request(nport, "GET", target_of(url2) + "&file=nope.txt")
        check(a.status == 404 and b"File not found" in a.body, "&file= naming no file: the server's 404")

        # --- links the server refuses -----------------------------------------------------------
        a = request(nport, "GET", "/download?token=" + "0" * 64)
        check(a.status == 404 and b"Download link not found" in a.body and
              "default-src 'none'" in (a.header("Content-Security-Policy") or ""),
              "unknown token: the server's 404 page")
        url3 = mint("epic-drums-v1")
        token3 = re.search(r"token=([0-9a-f]{64})", url3).group(1)
        db = sqlite3.connect(os.path.join(data, "continuata.db"), timeout=10)
        db.execute("UPDATE download_tokens SET expires_at = 1 WHERE token_hash = ?",
                   (hashlib.sha256(token3.encode()).hexdigest(),))
        db.commit()
        db.close()
        a = request(nport, "GET", target_of(url3), {"Range": "bytes=0-"})
        check(a.status == 410 and b"expired" in a.body and a.header("X-Accel-Redirect") is None,
              "expired token: the server's 410, no file")

        # --- an upload streamed through nginx, then downloaded ---------------------------------
        blob = os.urandom(3 << 20)
        request(nport, "POST", "/api/products", auth, json.dumps({"name": "Up", "slug": "up"}))
        request(nport, "POST", "/api/products/up/versions", auth, json.dumps({"version": "1.0.0"}))
        a = request(nport, "PUT", "/api/products/up/versions/1.0.0/files/up.bin",
                    {"Authorization": auth["Authorization"]}, blob)
        check(a.status in (200, 201) and json.loads(a.body).get("sha256") == hashlib.sha256(blob).hexdigest(),
              f"a 3 MiB upload through nginx: {a.status}, sha256 computed by the server")
        request(nport, "POST", "/api/products/up/versions/1.0.0/activate", auth, "{}")
        expected["check-up"] = "yes"
        a = request(nport, "GET", target_of(mint("up")), {"User-Agent": "check-up"})
        check(a.status == 200 and a.body == blob, "the uploaded file downloads through nginx")
        a = request(nport, "POST", "/api/generate-download-url", auth, b"{" + b" " * (1 << 20) + b"}")
        check(a.status == 413 and json.loads(a.body)["error"].startswith("Request body too large"),
              "a JSON body over 1 MiB: 413 as JSON, from nginx")

        # --- what nginx keeps for itself -------------------------------------------------------
        for path in ("/metrics", "/readyz"):
            check(request(nport, "GET", path).status == 404, f"{path} is not public (404)")
        a = request(nport, "GET", "/my/", {"Accept-Encoding": "br, gzip"})
        check(a.status == 200 and a.header("Content-Encoding") == "br" and
              unbrotli(a.body) == web_files["index.html"] and a.header("Cache-Control") == "no-cache" and
              "Accept-Encoding" in (a.header("Vary") or ""), "/my/: index.html's .br copy, no-cache, Vary")
        a = request(nport, "GET", "/my/portal.0123456789.js", {"Accept-Encoding": "gzip"})
        check(a.status == 200 and a.header("Content-Encoding") == "gzip" and
              gzip.decompress(a.body) == web_files["portal.0123456789.js"] and
              "immutable" in (a.header("Cache-Control") or ""), "a hashed asset: its .gz copy, immutable")
        check(request(nport, "GET", "/my/index.html.br").status == 404, "a .br copy by its own name: 404")

        # --- real download managers through nginx ------------------------------------------
        big_url = mint("orchestral-strings")
        big = manifest("orchestral-strings", "3.2.0")["Orchestral-Strings-3.2.0.zip"]
        subprocess.run(["aria2c", "-q", "-x8", "-s8", "-k1M", "--allow-overwrite=true", "-U", "check-aria",
                        "-d", work, "-o", "aria.bin", big_url], check=True, timeout=120)
        check(hashlib.sha256(open(os.path.join(work, "aria.bin"), "rb").read()).hexdigest() == big["sha256"],
              "aria2c -x8 through nginx: sha256 of the manifest")
        cut = os.path.join(work, "cut.bin")
        subprocess.run(["curl", "-sf", "-A", "check-curl-part", "-r", "0-49999999", "-o", cut, big_url],
                       check=True, timeout=120)
        subprocess.run(["curl", "-sf", "-A", "check-curl-resume", "-C", "-", "-o", cut, big_url],
                       check=True, timeout=120)
        check(hashlib.sha256(open(cut, "rb").read()).hexdigest() == big["sha256"],
              "curl -C - resuming after 50 MB through nginx: sha256 of the manifest")
        expected["check-curl-part"] = "yes"
        expected["check-curl-resume"] = "no"

        # --- the seller's report, row by row --------------------------------------------------
        a = request(nport, "GET", "/api/reports/downloads?from=2000-01-01&to=2100-01-01", auth)
        rows = list(csv.reader(io.StringIO(a.body.decode())))
        head, rows = rows[0], rows[1:]
        col = {n: i for i, n in enumerate(head)}
        ua, counted, ip = (col.get(n) for n in ("user_agent", "new_download", "ip"))
        if not check(None not in (ua, counted, ip), f"the report has user_agent, new_download and ip columns: {head}"):
            return
        by_agent = {}
        for r in rows:
            by_agent.setdefault(r[ua], []).append(r)
        for agent, want in sorted(expected.items()):
            got = [r[counted] for r in by_agent.get(agent, [])]
            check(got == ([] if want is None else [want]), f"report: {agent} -> {want or 'no row'} (got {got})")
        aria = [r[counted] for r in by_agent.get("check-aria", [])]
        check(aria.count("yes") == 1 and len(aria) >= 2, f"report: aria2c's segments, one counted ({aria})")
        check([r[ip] for r in by_agent.get("check-spoof", [])] == ["127.0.0.1"],
              "a client's X-Real-IP is overwritten by nginx (the report has nginx's peer)")
        check([r[ip] for r in by_agent.get("check-upstream", [])] == ["198.51.100.5"],
              "X-Real-IP from the trusted proxy is the client's address")

        # --- the server never sent a file's bytes ----------------------------------------------
        sent = [json.loads(l) for l in log_text().splitlines() if l.startswith("{") and '"path":"/download"' in l]
        big_answers = [l for l in sent if l.get("bytes", 0) > 4096]
        check(len(sent) > 20 and not big_answers,
              f"the server's {len(sent)} /download answers carried no file bytes ({big_answers[:2]})")
        check('"status":500' not in log_text(), "the server answered no 500")
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        if args.keep:
            print("kept " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
