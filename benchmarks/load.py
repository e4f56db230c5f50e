"""Load benchmark of the HTTP stack (issue 9, part 5): the search API and the search page under
concurrent clients on ``socialebasis serve`` (gunicorn, production settings) with PostgreSQL,
beside a bare view of the same server in the same run (the stack's own limit).

    .venv/bin/python benchmarks/load.py [--database-url URL] [--clients 10,50] [--duration 15]

Needs ``wrk`` (Debian: ``apt install wrk``) and ``psutil`` (``pip install -e '.[bench]'``).

What it does:

1. The database: ``--database-url`` (default ``postgres://postgres@127.0.0.1:5432/sb_http_bench``,
   created when missing) gets the real Amsterdam demo data (``socialebasis demo``: 1,671
   services; idempotent, so a second run reuses it).
2. ``collectstatic`` into a temporary folder and ``socialebasis serve`` on a free port with
   ``SB_PRODUCTION=1`` (the client sends ``X-Forwarded-Proto: https`` as the reverse proxy
   would), JSON logs to a file, and the rate limits lifted (a benchmark is one client address
   sending thousands of requests).
3. For each client count, ``wrk`` drives each target for ``--duration`` seconds, with one
   connection per client (closed loop): the bare view (``/.well-known/security.txt``, a
   Django view through the whole middleware stack without a query), the search API
   (``/api/v1/search/``) and the search page (``/zoeken/``), both rotating over the 46 Dutch
   queries of ``queries_nl.json``, every third one near a postcode.
4. During each run it samples CPU (percent of one core) and resident memory of the gunicorn
   processes and of PostgreSQL's backends (``psutil``).

Output: one table line per target and client count: requests per second, latency p50/p90/p99
in milliseconds (wrk's), errors (non-2xx/3xx answers plus socket errors), the search's share
of the bare view's requests per second, and CPU/memory per process. The targets of the issue:
search at least 50% of the bare view's requests per second, p99 under 200 ms at 50 clients,
zero errors. Client and server share the machine's cores, so the figures are a floor.
Exit status 0 when the run completed (the targets are reported, not asserted: a benchmark
reports speed, tests check correctness).
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sb_http_bench"
BARE = "/.well-known/security.txt"
PLACES = ("1055", "1053", "1091", "1102")  # Amsterdam postcodes (PC4) of the demo data

LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1],
    {["X-Forwarded-Proto"] = "https", ["Host"] = "127.0.0.1"})
end
"""


@dataclass
class Run:
    target: str
    clients: int
    rps: float = 0.0
    p50: float = 0.0
    p90: float = 0.0
    p99: float = 0.0
    errors: int = 0
    requests: int = 0
    cpu: dict = field(default_factory=dict)  # process kind -> percent of one core
    rss: dict = field(default_factory=dict)  # process kind -> MiB


def paths_for(target: str) -> list[str]:
    """The request paths of a target: the bare view, or the benchmark queries."""
    if target == "bare":
        return [BARE]
    queries = json.loads((ROOT / "benchmarks" / "queries_nl.json").read_text())["queries"]
    base = "/api/v1/search/" if target == "api" else "/zoeken/"
    paths = []
    for number, item in enumerate(queries):
        params = {"q": item["query"]}
        if number % 3 == 0:
            params["near"] = PLACES[number % len(PLACES)]
        paths.append(base + "?" + urllib.parse.urlencode(params))
    return paths


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str, run: Run) -> Run:
    """Fill ``run`` from wrk's ``--latency`` report; ValueError when it is not one."""
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", output, re.M))
    if len(percentiles) < 3:
        raise ValueError(f"not a wrk --latency report:\n{output}")
    run.p50, run.p90, run.p99 = (_ms(percentiles[p]) for p in ("50", "90", "99"))
    run.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    run.requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    run.errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )
    return run


class Sampler(threading.Thread):
    """CPU and memory of the server's processes, sampled every half second."""

    def __init__(self, server_pid: int):
        super().__init__(daemon=True)
        import psutil

        self.psutil = psutil
        self.server = psutil.Process(server_pid)
        self.stop = threading.Event()
        self.samples: list[dict] = []
        self.known: dict = {}

    def _groups(self) -> dict[str, list]:
        # The same Process objects each time: cpu_percent() measures since its last call.
        gunicorn = [self.server, *self.server.children(recursive=True)]
        postgres = [
            p
            for p in self.psutil.process_iter(["name", "cmdline"])
            if (p.info["name"] or "").startswith("postgres")
            and "sb_http_bench" in " ".join(p.info["cmdline"] or [])
        ]
        groups = {}
        for kind, found in (("gunicorn", gunicorn), ("postgres", postgres)):
            groups[kind] = [self.known.setdefault(p.pid, p) for p in found]
        return groups

    def run(self) -> None:
        for processes in self._groups().values():
            for process in processes:
                with contextlib.suppress(self.psutil.Error):
                    process.cpu_percent(None)
        while not self.stop.wait(0.5):
            sample = {}
            for kind, processes in self._groups().items():
                cpu = rss = 0.0
                for process in processes:
                    try:
                        cpu += process.cpu_percent(None)
                        rss += process.memory_info().rss / 2**20
                    except self.psutil.Error:
                        continue
                sample[kind] = (cpu, rss, len(processes))
            self.samples.append(sample)

    def summary(self) -> tuple[dict, dict]:
        """Mean CPU percent and peak memory (MiB) per kind, over the samples after the first."""
        cpu, rss = {}, {}
        usable = self.samples[1:] or self.samples
        for kind in ("gunicorn", "postgres"):
            values = [s[kind] for s in usable if kind in s]
            if values:
                cpu[kind] = sum(v[0] for v in values) / len(values)
                rss[kind] = max(v[1] for v in values)
        return cpu, rss


def wrk(url: str, paths: list[str], clients: int, seconds: int, run: Run, server_pid: int) -> Run:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ", ".join(json.dumps(p) for p in paths))
    sampler = Sampler(server_pid)
    sampler.start()
    try:
        done = subprocess.run(
            [
                "wrk",
                "--latency",
                f"-t{min(2, clients)}",
                f"-c{clients}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        sampler.stop.set()
        sampler.join()
        os.unlink(script.name)
    run.cpu, run.rss = sampler.summary()
    return parse_wrk(done.stdout, run)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str, env: dict) -> None:
    """Create the database when missing and load the demo data (idempotent)."""
    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    print(f"demo data into {name} (idempotent; the first time takes a few minutes) ...")
    subprocess.run(
        [str(BIN / "socialebasis"), "demo"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def start_server(env: dict, workers: int | None, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [str(BIN / "socialebasis"), "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    log = open(log_path, "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve exited:\n{log_path.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310 (local server)
            return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"serve did not answer in 60 s:\n{log_path.read_text()[-3000:]}")


def report(runs: list[Run]) -> None:
    header = (
        f"{'target':<8}{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'of bare':>9}   cpu% gunicorn/postgres   MiB gunicorn/postgres"
    )
    print(header)
    bare = {r.clients: r.rps for r in runs if r.target == "bare"}
    for r in runs:
        share = (
            f"{100 * r.rps / bare[r.clients]:.0f}%"
            if r.target != "bare" and bare.get(r.clients)
            else "-"
        )
        cpu = "/".join(f"{r.cpu.get(k, 0):.0f}" for k in ("gunicorn", "postgres"))
        rss = "/".join(f"{r.rss.get(k, 0):.0f}" for k in ("gunicorn", "postgres"))
        print(
            f"{r.target:<8}{r.clients:>8}{r.rps:>9.1f}{r.p50:>9.1f}{r.p90:>9.1f}{r.p99:>9.1f}"
            f"{r.errors:>8}{share:>9}   {cpu:<24} {rss}"
        )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=DEFAULT_DB, help=f"PostgreSQL (default {DEFAULT_DB})"
    )
    parser.add_argument(
        "--clients", default="10,50", help="comma-separated client counts (default 10,50)"
    )
    parser.add_argument(
        "--duration", type=int, default=15, help="seconds per target and count (default 15)"
    )
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: serve's, 2 x cores + 1)"
    )
    parser.add_argument("--json", metavar="OUT", help="also write the figures to this JSON file")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("benchmarks/load.py needs wrk: apt install wrk", file=sys.stderr)
        return 2
    try:
        import psutil  # noqa: F401
    except ImportError:
        print("benchmarks/load.py needs psutil: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    clients = [int(c) for c in args.clients.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="sb-http-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "SB_PRODUCTION": "1",
        "SB_SECRET_KEY": secrets.token_urlsafe(50),
        "SB_AUDIT_KEY": secrets.token_urlsafe(50),
        "SB_ALLOWED_HOSTS": "127.0.0.1",
        "SB_STATIC_ROOT": str(tmp / "static"),
        "SB_TILE_URL": "",
        "SB_RATE_LIMITS": "0",
        "SB_API_RATE_ANON": "off",
        "SB_API_RATE_USER": "off",
        "SB_LOG_FORMAT": "json",
        "SB_GEOCODER": "offline",
    }
    prepare_database(args.database_url, env)
    subprocess.run(
        [str(BIN / "socialebasis"), "collectstatic", "--noinput"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    server, url = start_server(env, args.workers, tmp / "server.log")
    runs: list[Run] = []
    try:
        for target in ("bare", "api", "page"):  # warm every worker's caches first
            wrk(url, paths_for(target), 4, 3, Run(target, 4), server.pid)
        for count in clients:
            for target in ("bare", "api", "page"):
                print(f"{target} with {count} clients for {args.duration} s ...", flush=True)
                runs.append(
                    wrk(
                        url, paths_for(target), count, args.duration, Run(target, count), server.pid
                    )
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(runs)
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in runs], indent=2))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
