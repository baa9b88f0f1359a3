#!/usr/bin/env python3
"""A throwaway PostgreSQL cluster in a temporary folder, on a free loopback port.

The server's tests on PostgreSQL, the cluster script and the benchmarks start one with
initdb/pg_ctl (Debian's postgresql package), as an unprivileged user (`postgres` when run as
root: initdb refuses root), and remove it afterwards.

  scripts/postgres_cluster.py [--max-connections N] -- COMMAND [ARGS...]
      runs COMMAND with CONTINUATA_TEST_DATABASE=postgresql://... set, then stops the cluster
      and removes its folder; exits with COMMAND's status.

As a module: `with TempCluster() as pg: pg.url` (see TempCluster).
"""
import argparse
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile


def bin_dir():
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        if os.path.exists(os.path.join(out, "initdb")):
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("postgres_cluster: initdb not found: install Debian's postgresql package (scripts/setup does)")
    return os.path.dirname(found[-1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempCluster:
    """Starts on __enter__, stops and deletes on __exit__. `url` is the libpq URI of the
    `postgres` database as the superuser `continuata` (trust authentication on loopback)."""

    def __init__(self, max_connections=400, port=None):
        self.max_connections = max_connections
        self.port = port or free_port()
        self.bin = bin_dir()
        self.dir = None
        self.user = None  # run as this user when we are root

    def _run(self, args, **kw):
        cmd = [os.path.join(self.bin, args[0])] + args[1:]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--"] + cmd
        return subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="continuata-pg-")
        if os.geteuid() == 0:
            self.user = "postgres"
            pw = pwd.getpwnam(self.user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        data = os.path.join(self.dir, "data")
        try:
            self._run(["initdb", "-D", data, "-U", "continuata", "-A", "trust", "-E", "UTF8", "--no-locale",
                       "--no-sync"])
            options = (f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir}"
                       f" -c max_connections={self.max_connections} -c shared_buffers=128MB")
            self._run(["pg_ctl", "-D", data, "-l", os.path.join(self.dir, "log"), "-w", "-o", options, "start"])
        except subprocess.CalledProcessError as e:
            log = os.path.join(self.dir, "log")
            detail = open(log).read()[-2000:] if os.path.exists(log) else ""
            shutil.rmtree(self.dir, ignore_errors=True)
            sys.exit(f"postgres_cluster: {e.cmd[-1]} failed: {e.stderr.decode(errors='replace')}{detail}")
        self.url = f"postgresql://continuata@127.0.0.1:{self.port}/postgres"
        return self

    def psql(self, sql):
        """Runs SQL with psql and returns its unaligned output."""
        out = subprocess.run([os.path.join(self.bin, "psql"), self.url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def __exit__(self, *exc):
        try:
            self._run(["pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "immediate", "-w", "stop"])
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-connections", type=int, default=400)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command after --")
    with TempCluster(args.max_connections) as pg:
        env = dict(os.environ, CONTINUATA_TEST_DATABASE=pg.url)
        sys.exit(subprocess.run(command, env=env).returncode)


if __name__ == "__main__":
    main()
