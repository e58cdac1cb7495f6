"""CPU time per request, in-process, against the hello floor.

Serves each path through django.test.Client with the benchmark server's
settings (production, the bench database) as an anonymous visitor,
interleaving every request with the hello view, and prints the first
quartile of CPU milliseconds per request and the share of the floor
(hello's CPU over the page's). The figure a busy machine moves least: use
it to compare code before and after a change, in the same minute.

    .venv/bin/python bench/cpu.py /c/bench/questions/ /q/2501/ \
        [--data var/bench/small/data] [--n 60] [--profile]

``--profile`` prints the top functions of the first path (cProfile,
cumulative) after the timing.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402


def _cpu_ms(client: object, path: str) -> float:
    start = time.process_time()
    response = client.get(path)  # type: ignore[attr-defined]
    spent = (time.process_time() - start) * 1000
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    return spent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument(
        "--data", default=str(HERE.parent / "var/bench/small/data")
    )
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    os.environ.update(run.server_env(Path(args.data), 600))
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST=run.HOST)
    hello = "/bench/hello/"
    for path in [hello, *args.paths]:
        for _ in range(3):
            _cpu_ms(client, path)  # warm: caches, connections, templates
    print(f"{'path':50} {'CPU ms':>8} {'hello ms':>8} {'share':>6}")
    for path in args.paths:
        page, floor = [], []
        for _ in range(args.n):
            floor.append(_cpu_ms(client, hello))
            page.append(_cpu_ms(client, path))
        p = statistics.quantiles(page, n=4)[0]
        f = statistics.quantiles(floor, n=4)[0]
        print(f"{path:50} {p:8.2f} {f:8.2f} {f / p:6.0%}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            client.get(args.paths[0])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
