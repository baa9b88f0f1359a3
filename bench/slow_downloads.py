#!/usr/bin/env python3
"""Load for bench/downloads_nginx.sh (not a test). Two modes, run as separate processes:

  slow_downloads.py slow URL --clients N --rate BYTES_PER_S --seconds S
      N connections, each downloading URL over and over, reading at most RATE bytes a second
      (small receive buffers, so the sender really waits). Prints one JSON line: downloads
      started (first body byte seen), finished, failed, time to first byte p50/p99 (ms), the
      aggregate body bytes per second.
  slow_downloads.py probe BASE --seconds S --rate R [--header K:V]... --get PATH | --post PATH BODY
      R requests a second, each on its own fresh connection, timed; prints p50/p99 (ms),
      count, non-2xx and errors as one JSON line.
Python 3 standard library only (asyncio for the many slow readers).
"""
import argparse
import asyncio
import http.client
import json
import socket
import sys
import time
from urllib.parse import urlsplit


def pct(values, q):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 2)


async def slow_client(url, rate, deadline, stats):
    u = urlsplit(url)
    target = u.path + ("?" + u.query if u.query else "")
    chunk = max(1024, rate // 4)  # 4 reads a second: the clients must not be what is measured
    while time.monotonic() < deadline:
        writer = None
        try:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, (u.hostname, u.port))
            reader, writer = await asyncio.open_connection(sock=sock, limit=1 << 20)
            started = time.monotonic()
            writer.write(f"GET {target} HTTP/1.1\r\nHost: {u.netloc}\r\nUser-Agent: bench-slow\r\n\r\n".encode())
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), deadline - time.monotonic() + 1)
            status = int(head.split(b" ", 2)[1])
            length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
            if status != 200:
                stats["failed"] += 1
                await asyncio.sleep(1)
                continue
            got, first = 0, True
            tick = time.monotonic()
            while got < length and time.monotonic() < deadline:
                data = await asyncio.wait_for(reader.read(min(chunk, length - got)), 60)
                if not data:
                    raise ConnectionError("closed early")
                if first:
                    stats["ttfb"].append((time.monotonic() - started) * 1000)
                    stats["started"] += 1
                    first = False
                got += len(data)
                stats["bytes"] += len(data)
                tick += len(data) / rate
                pause = tick - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)
            if got >= length:
                stats["finished"] += 1
        except (OSError, ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
            if time.monotonic() < deadline:
                stats["failed"] += 1
                await asyncio.sleep(0.5)
        finally:
            if writer:
                writer.close()


async def slow(args):
    stats = {"started": 0, "finished": 0, "failed": 0, "bytes": 0, "ttfb": []}
    t0 = time.monotonic()
    deadline = t0 + args.seconds
    tasks = []
    for _ in range(args.clients):  # connect in a ramp of about a second, as a crowd would
        tasks.append(asyncio.create_task(slow_client(args.url, args.rate, deadline, stats)))
        await asyncio.sleep(1.0 / args.clients)
    await asyncio.gather(*tasks)
    secs = time.monotonic() - t0
    print(json.dumps({"clients": args.clients, "started": stats["started"], "finished": stats["finished"],
                      "failed": stats["failed"], "ttfb_p50_ms": pct(stats["ttfb"], 0.5),
                      "ttfb_p99_ms": pct(stats["ttfb"], 0.99), "mb_per_s": round(stats["bytes"] / secs / 1e6, 1)}))


def probe(args):
    u = urlsplit(args.base)
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    method, path, body = ("GET", args.get, None) if args.get else ("POST", args.post[0], args.post[1])
    lat, bad, errors = [], 0, 0
    t0 = time.monotonic()
    n = 0
    while time.monotonic() - t0 < args.seconds:
        n += 1
        start = time.monotonic()
        try:
            c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse()
            r.read()
            c.close()
            lat.append((time.monotonic() - start) * 1000)
            bad += not (200 <= r.status < 300)
        except OSError:
            errors += 1
        pause = t0 + n / args.rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    print(json.dumps({"path": path, "count": len(lat), "p50_ms": pct(lat, 0.5), "p99_ms": pct(lat, 0.99),
                      "non_2xx": bad, "errors": errors}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("slow")
    s.add_argument("url")
    s.add_argument("--clients", type=int, default=1000)
    s.add_argument("--rate", type=int, default=64 * 1024)
    s.add_argument("--seconds", type=float, default=30)
    p = sub.add_parser("probe")
    p.add_argument("base")
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--rate", type=float, default=20)
    p.add_argument("--header", action="append", default=[])
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--get")
    g.add_argument("--post", nargs=2)
    args = ap.parse_args()
    if args.mode == "slow":
        asyncio.run(slow(args))
    else:
        probe(args)


if __name__ == "__main__":
    sys.exit(main())
