"""Run wrk against one URL on 127.0.0.1 and read what it prints."""

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = re.compile(r"^([\d.]+)(us|ms|s|m|h)$")
_PERCENTILE = re.compile(r"^\s*(50|75|90|99)(?:\.0+)?%\s+(\S+)\s*$")


@dataclass
class Run:
    url: str
    connections: int
    seconds: float
    requests: int = 0
    rps: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)
    non_2xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    transfer_per_sec: str = ""
    name: str = ""
    cpu_ms: float = 0.0  # the server's CPU per request (bench/run.py)

    @property
    def p50(self) -> float:
        return self.latency_ms.get("p50", 0.0)

    @property
    def p99(self) -> float:
        return self.latency_ms.get("p99", 0.0)

    @property
    def errors(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def milliseconds(text: str) -> float:
    """'812.00us', '1.23ms', '2.01s' -> milliseconds."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse(output: str, run: Run) -> Run:
    """Fill ``run`` from wrk's text (``--latency`` for percentiles)."""
    for line in output.splitlines():
        stripped = line.strip()
        if m := _PERCENTILE.match(line):
            run.latency_ms[f"p{m.group(1)}"] = milliseconds(m.group(2))
        elif stripped.startswith("Requests/sec:"):
            run.rps = float(stripped.split(":", 1)[1])
        elif m := re.match(r"^(\d+) requests in", stripped):
            run.requests = int(m.group(1))
        elif stripped.startswith("Non-2xx or 3xx responses:"):
            run.non_2xx = int(stripped.split(":", 1)[1])
        elif stripped.startswith("Socket errors:"):
            for part in stripped.split(":", 1)[1].split(","):
                name, _, value = part.strip().partition(" ")
                run.socket_errors[name] = int(value)
        elif stripped.startswith("Transfer/sec:"):
            run.transfer_per_sec = stripped.split(":", 1)[1].strip()
    if not run.requests or "p99" not in run.latency_ms:
        raise RuntimeError(f"wrk printed no result for {run.url}:\n{output}")
    return run


def check_local(url: str) -> None:
    """Only this machine is ever a target."""
    host = urlsplit(url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError(f"refusing to load {url}: only 127.0.0.1 is a target")


def run(url: str, *, connections: int, seconds: float) -> Run:
    """One wrk run: one thread, ``connections`` connections, a fixed time
    (wrk stops by itself; the timeout is a safety net)."""
    check_local(url)
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is missing: apt-get install -y wrk")
    duration = max(1, round(seconds))
    cmd = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    done = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=duration + 30,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"wrk failed on {url}: {done.stderr or done.stdout}"
        )
    return parse(done.stdout, Run(url, connections, duration))
