"""Practica's benchmark: ``make bench`` (small) or ``make bench SIZE=large``.

1. Generates the shared corpus (../shared/bench/corpus.py) into
   var/bench/<size>/ unless it is there already.
2. Imports it into a fresh database under var/bench/<size>/data with
   ``practica import_corpus`` (``--reuse-db`` keeps an earlier import).
3. Checks the pages in-process (bench/probe.py): the rare word must find
   exactly meta.json's rare_thread_ids; counts queries per page.
4. Starts gunicorn as in production on 127.0.0.1 and loads each page
   with wrk at each connection count, the floor (a bare hello view in the
   same server) before and after the pages.
5. Writes bench/results/<date>-<commit>-<size>.md and .json and the
   summary in docs/performance.md.

Every loop is bounded; only 127.0.0.1 is ever a target; the server is
stopped on the way out whatever happens.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
import wrk  # noqa: E402

SIZES = {
    "small": {"users": 500, "threads": 5000, "replies": 3},
    "large": {"users": 5000, "threads": 100_000, "replies": 4},
}
SLUG = "bench"
SE_SLUG = "stackexchange"
HOST = "127.0.0.1"
BIN = Path(sys.executable).parent


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def corpus_script() -> Path:
    found = Path(
        os.environ.get(
            "PRACTICA_BENCH_CORPUS", ROOT.parent / "shared/bench/corpus.py"
        )
    )
    if not found.exists():
        sys.exit(
            f"{found} is missing: the shared corpus generator lives in "
            "../shared/bench/ (or set PRACTICA_BENCH_CORPUS)."
        )
    return found


def ensure_corpus(size: str, where: Path) -> dict[str, Any]:
    spec = SIZES[size]
    meta_path = where / "meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if (
            meta.get("users"),
            meta.get("threads"),
            meta.get("replies_per_thread"),
        ) == (spec["users"], spec["threads"], spec["replies"]):
            log(f"corpus in {where} is there already")
            return meta
    log(f"generating the {size} corpus into {where}")
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            str(corpus_script()),
            "--users",
            str(spec["users"]),
            "--threads",
            str(spec["threads"]),
            "--replies",
            str(spec["replies"]),
            "--out",
            str(where),
        ],
        check=True,
        timeout=3600,
    )
    return json.loads(meta_path.read_text())


def server_env(data: Path, conn_max_age: int) -> dict[str, str]:
    """Production settings, embedded SQLite, the floor view mounted."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SEARCH_INDEX_DIR"}
    }
    env.update(
        PRACTICA_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),  # throwaway
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        PRACTICA_DATA_DIR=str(data),
        SEARCH_BACKEND="tantivy",
        SEARCH_INDEX_ON_READ="false",
        CONN_MAX_AGE=str(conn_max_age),
        PRACTICA_BENCH="1",
        EMAIL_URL="file:",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="practica.settings",
    )
    return env


def practica(env: dict[str, str], *args: str, timeout: int) -> str:
    done = subprocess.run(
        [str(BIN / "practica"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(
            f"practica {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
        )
    return done.stdout


def ensure_database(
    env: dict[str, str], corpus: Path, data: Path, *, reuse: bool, size: str
) -> dict[str, Any]:
    marker = data / "bench-import.json"
    if reuse and marker.exists():
        log(f"reusing the database in {data}")
        practica(env, "migrate", "--no-input", "-v0", timeout=3600)
        return {"reused": True, **json.loads(marker.read_text())}
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    practica(env, "migrate", "--no-input", "-v0", timeout=600)
    log(f"importing the {size} corpus (this is the slow part)")
    began = time.perf_counter()
    out = practica(
        env,
        "import_corpus",
        str(corpus),
        "--community",
        SLUG,
        "--name",
        "Benchmark corpus",
        timeout=6 * 3600,
    )
    wall = time.perf_counter() - began
    print(out, end="", flush=True)
    stats: dict[str, Any] = {"wall_seconds": round(wall, 1)}
    out = " ".join(out.split())  # however the console wrapped it
    m = re.search(r"(\d+) rows in ([\d.]+) s \(([\d,]+) rows/s\)", out)
    if m:
        stats.update(
            rows=int(m.group(1)),
            load_seconds=float(m.group(2)),
            rows_per_second=float(m.group(3).replace(",", "")),
        )
    m = re.search(r"(\d+) documents in ([\d.]+) s", out)
    if m:
        stats.update(indexed=int(m.group(1)), index_seconds=float(m.group(2)))
    marker.write_text(json.dumps(stats))
    return stats


def stackexchange_dump() -> Path | None:
    """The Stack Exchange dump's site folder (../shared/data/stackexchange
    or PRACTICA_BENCH_SE), or None when it is not there."""
    base = Path(
        os.environ.get(
            "PRACTICA_BENCH_SE", ROOT.parent / "shared/data/stackexchange"
        )
    )
    if (base / "Posts.xml").exists():
        return base
    sites = sorted(p.parent for p in base.glob("*/Posts.xml"))
    return sites[0] if sites else None


def ensure_stackexchange(env: dict[str, str], data: Path) -> dict[str, Any]:
    """Import the Stack Exchange dump into its own community (once per
    database: the importer is idempotent, but a second run still reads
    the whole dump). {} when there is no dump or no importer."""
    marker = data / "bench-stackexchange.json"
    if marker.exists():
        return {"reused": True, **json.loads(marker.read_text())}
    dump = stackexchange_dump()
    if dump is None:
        log("no Stack Exchange dump found: its pages are skipped")
        return {}
    log(f"importing the Stack Exchange dump {dump.name}")
    began = time.perf_counter()
    done = subprocess.run(
        [
            str(BIN / "practica"),
            "import",
            "stackexchange",
            str(dump),
            "--community",
            SE_SLUG,
            "--name",
            "Stack Exchange: " + dump.name,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if done.returncode != 0:
        if "invalid choice" in done.stderr or "Unknown command" in done.stderr:
            log("this build has no 'practica import stackexchange': skipped")
            return {}
        sys.exit(
            "the Stack Exchange import failed:\n" + done.stdout + done.stderr
        )
    stats = {
        "site": dump.name,
        "wall_seconds": round(time.perf_counter() - began, 1),
    }
    marker.write_text(json.dumps(stats))
    return stats


def setup_pages(env: dict[str, str], corpus: Path) -> dict[str, Any]:
    """An artifact and events in the bench community (bench/setup.py)."""
    done = subprocess.run(
        [sys.executable, str(HERE / "setup.py"), str(corpus), SLUG],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"bench/setup.py failed:\n{done.stdout}{done.stderr}")
    made: dict[str, Any] = json.loads(done.stdout)
    return made


def probe(
    env: dict[str, str],
    corpus: Path,
    search_path: str,
    made: dict[str, Any],
    se_slug: str,
) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "probe.py"),
            str(corpus),
            SLUG,
            search_path,
            json.dumps(made),
            se_slug,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"bench/probe.py failed:\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """gunicorn on 127.0.0.1, started and stopped by us only."""

    def __init__(self, env: dict[str, str], workers: int, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "practica.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--no-control-socket",
                "--error-logfile",
                "-",
            ],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def wait(self, workers: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(
                    "gunicorn stopped:\n" + self.log_path.read_text()[-3000:]
                )
            try:
                with urllib.request.urlopen(
                    self.url("/bench/hello/"), timeout=2
                ) as r:
                    if r.status == 200 and len(self.workers()) >= workers:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        sys.exit(f"gunicorn did not answer within {seconds:.0f} s")

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout
        return [int(p) for p in out.split()]

    def cpu_seconds(self) -> float:
        """User + system CPU the workers have used so far (seconds)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            parts = fields[1].split()
            total += int(parts[11]) + int(parts[12])  # utime, stime
        return total / tick

    def memory(self) -> list[dict[str, float]]:
        """Resident and peak resident memory of each worker (MB)."""
        found = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = dict(
                line.split(":", 1)
                for line in status.splitlines()
                if ":" in line
            )

            def mb(name: str, fields: dict[str, str] = fields) -> float:
                return int(fields.get(name, "0 kB").split()[0]) / 1024

            found.append(
                {"pid": pid, "rss_mb": mb("VmRSS"), "peak_mb": mb("VmHWM")}
            )
        return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


def check_page(url: str, name: str) -> None:
    """One request: the page must answer 200 before it is measured."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            if r.status != 200:
                sys.exit(f"{name}: {url} answered {r.status}")
    except urllib.error.HTTPError as exc:
        sys.exit(f"{name}: {url} answered {exc.code}")


def git(*args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    return done.stdout.strip()


def version(cmd: list[str]) -> str:
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return "?"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "?"


def measure(
    server: Server,
    pages: dict[str, dict[str, Any]],
    connections: list[int],
    seconds: float,
    warmup: float,
) -> list[wrk.Run]:
    """At each connection count: the floor, then each page followed by
    the floor again, so every page is bracketed by two floor runs taken
    seconds apart (the machine's load drifts; the ratio should not)."""
    measured = [n for n, p in pages.items() if p.get("path")]
    for name in measured:
        check_page(server.url(pages[name]["path"]), name)
        wrk.run(
            server.url(pages[name]["path"]),
            connections=max(2, min(connections)),
            seconds=warmup,
        )
    runs: list[wrk.Run] = []
    order = ["hello"]
    for name in measured:
        if name != "hello":
            order += [name, "hello"]
    for c in connections:
        for name in order:
            began = server.cpu_seconds()
            run = wrk.run(
                server.url(pages[name]["path"]), connections=c, seconds=seconds
            )
            run.name = name
            # The workers' CPU per request: what the page costs, whatever
            # else the machine runs (requests/s moves with that).
            run.cpu_ms = (
                (server.cpu_seconds() - began) * 1000 / run.requests
                if run.requests
                else 0.0
            )
            log(
                f"c{c} {name:<14} {run.rps:8.0f} req/s  p50 {run.p50:6.1f} ms"
                f"  p99 {run.p99:6.1f} ms  cpu {run.cpu_ms:5.2f} ms/req"
                + (f"  {run.errors} ERRORS" if run.errors else "")
            )
            runs.append(run)
    return runs


def assemble(
    *,
    args: argparse.Namespace,
    meta: dict[str, Any],
    probed: dict[str, Any],
    runs: list[wrk.Run],
    memory: list[dict[str, float]],
    imported: dict[str, Any],
    loads: tuple[float, float],
) -> dict[str, Any]:
    floor: dict[str, Any] = {}
    for c in args.connections:
        hello = [r for r in runs if r.name == "hello" and r.connections == c]
        rps = [r.rps for r in hello]
        cpu = sorted(r.cpu_ms for r in hello)
        floor[str(c)] = {
            "runs": rps,
            "rps": sum(rps) / len(rps),
            "cpu_ms": cpu[len(cpu) // 2],
            "p50_ms": sorted(r.p50 for r in hello)[len(hello) // 2],
            "p99_ms": sorted(r.p99 for r in hello)[len(hello) // 2],
        }
    pages: dict[str, Any] = {
        name: {**page, "runs": {}} for name, page in probed["pages"].items()
    }
    for i, run in enumerate(runs):
        key = str(run.connections)
        data = run.to_dict()
        if run.name == "hello":
            # The floor's row: mean requests/s, median latencies.
            data["rps"] = floor[key]["rps"]
            data["latency_ms"].update(
                p50=floor[key]["p50_ms"], p99=floor[key]["p99_ms"]
            )
            data["ratio"] = 1.0
            data["cpu_ms"] = floor[key]["cpu_ms"]
            data["cpu_ratio"] = 1.0
        else:
            # Against the mean of the two floor runs around this one.
            around = (runs[i - 1].rps + runs[i + 1].rps) / 2
            data["floor_rps"] = around
            data["ratio"] = run.rps / around
            cpu_floor = (runs[i - 1].cpu_ms + runs[i + 1].cpu_ms) / 2
            data["cpu_ratio"] = cpu_floor / run.cpu_ms if run.cpu_ms else None
        pages[run.name]["runs"][key] = data
    for entry in pages.values():
        if not entry.get("path"):
            entry["skipped"] = "not in this build"
    commit = git("rev-parse", "--short", "HEAD") or "nocommit"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "config": {
            "size": args.size,
            "connections": args.connections,
            "seconds": args.duration,
            "warmup": args.warmup,
            "workers": args.workers,
            "conn_max_age": args.conn_max_age,
        },
        "corpus": {
            "users": meta["users"],
            "threads": meta["threads"],
            "posts": meta["posts"],
            "replies_per_thread": meta["replies_per_thread"],
        },
        "rare_token": meta["rare_token"],
        "rare": probed["rare"],
        "counts": probed["counts"],
        "import": imported,
        "floor": floor,
        "pages": pages,
        "rss_mb": {"workers": memory},
        "machine": {
            "cpus": os.cpu_count(),
            "load_before": loads[0],
            "load_after": loads[1],
            "python": sys.version.split()[0],
            "gunicorn": version([str(BIN / "gunicorn"), "--version"])
            .split()[-1]
            .strip("()"),
            "wrk": version(["wrk", "--version"]).split()[1].split("/")[-1],
        },
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", choices=SIZES, default="small")
    ap.add_argument(
        "--duration", type=float, default=5, help="seconds per wrk run"
    )
    ap.add_argument(
        "--warmup", type=float, default=1, help="seconds of warm-up per page"
    )
    ap.add_argument(
        "--connections",
        type=lambda s: [int(c) for c in s.split(",")],
        default=[1, 8],
        help="comma-separated connection counts (default 1,8)",
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--conn-max-age", type=int, default=600)
    ap.add_argument(
        "--reuse-db",
        action="store_true",
        help="keep the database of an earlier import of this size",
    )
    ap.add_argument("--search-path", default="/search/")
    ap.add_argument("--results", type=Path, default=HERE / "results")
    ap.add_argument("--docs", type=Path, default=ROOT / "docs/performance.md")
    args = ap.parse_args(argv)
    if args.duration > 120 or args.duration < 1:
        ap.error("--duration is 1 to 120 seconds")
    if any(c < 1 or c > 256 for c in args.connections):
        ap.error("--connections are 1 to 256")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    where = ROOT / "var" / "bench" / args.size
    data = where / "data"
    meta = ensure_corpus(args.size, where)
    env = server_env(data, args.conn_max_age)
    imported = ensure_database(
        env, where, data, reuse=args.reuse_db, size=args.size
    )
    se = ensure_stackexchange(env, data)
    made = setup_pages(env, where)
    practica(env, "collectstatic", "--no-input", "-v0", timeout=600)
    log("checking pages and counting queries")
    probed = probe(env, where, args.search_path, made, SE_SLUG if se else "")
    if not probed["rare"]["ok"]:
        log(f"SEARCH IS WRONG for the rare word: {probed['rare']}")
    for name, page in probed["pages"].items():
        if page.get("path") and page.get("status") != 200:
            sys.exit(f"{name}: {page['path']} answered {page.get('status')}")
    load_before = os.getloadavg()[0]
    server = Server(env, args.workers, where / "gunicorn.log")
    try:
        server.wait(args.workers)
        log(f"gunicorn on {server.url('/')} with {args.workers} workers")
        runs = measure(
            server,
            probed["pages"],
            args.connections,
            args.duration,
            args.warmup,
        )
        memory = server.memory()
    finally:
        server.stop()
    result = assemble(
        args=args,
        meta=meta,
        probed=probed,
        runs=runs,
        memory=memory,
        imported={**imported, "stackexchange": se},
        loads=(load_before, os.getloadavg()[0]),
    )
    md = report.write(result, args.results, args.docs)
    print()
    print(report.summary(result))
    log(f"wrote {md} and its .json; updated {args.docs}")
    return 0 if probed["rare"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
