"""A bigger Stack Exchange dump from a small one, to time the importer.

Writes COPIES copies of every row of a site's dump (Users, Posts,
Comments, PostHistory, PostLinks, Votes, Badges) with new ids, one
``<row>`` a line as the real dumps have them: copy k adds k times a
stride to every post, user, comment, history, link, vote and badge id
(and to the ids that point at them), and gives each edit a new
RevisionGUID. Tags.xml is written once (the tag wikis stay those of the
first copy); the Community user (id -1) once. The text is the real
site's, so bodies cost what real bodies cost.

    .venv/bin/python bench/se_scale.py \\
        ../shared/data/stackexchange/bicycles.meta.stackexchange.com \\
        /tmp/se-big/bicycles.meta.stackexchange.com --copies 20

then ``practica import stackexchange /tmp/se-big/... --community big``,
or, to time it phase by phase into a new SQLite database::

    .venv/bin/python bench/se_scale.py --measure /tmp/se-big/... \\
        --db /tmp/se-big.sqlite3

which prints, per phase, the CPU seconds of this process and of each
worker process (from /proc), the wall time and the load average, then
the whole import's CPU (``getrusage`` of this process and of its
children) and their peak resident memory. Run the old code the same way
with ``PYTHONPATH=<old checkout>/src`` in front.
"""

import argparse
import os
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

# attribute → which id space it points into
POST, USER, OWN = "post", "user", "own"
ATTRIBUTES: dict[str, dict[str, str]] = {
    "Users.xml": {"Id": USER, "AccountId": USER},
    "Posts.xml": {
        "Id": POST,
        "ParentId": POST,
        "AcceptedAnswerId": POST,
        "OwnerUserId": USER,
        "LastEditorUserId": USER,
    },
    "Comments.xml": {"Id": OWN, "PostId": POST, "UserId": USER},
    "PostHistory.xml": {"Id": OWN, "PostId": POST, "UserId": USER},
    "PostLinks.xml": {"Id": OWN, "PostId": POST, "RelatedPostId": POST},
    "Votes.xml": {"Id": OWN, "PostId": POST, "UserId": USER},
    "Badges.xml": {"Id": OWN, "UserId": USER},
}
_ID = re.compile(r' (\w+)="(-?\d+)"')
_GUID = re.compile(r'RevisionGUID="([0-9a-f]{8})')


def _stride(path: Path) -> int:
    """A round number above the file's largest Id."""
    top = 0
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            found = re.search(r'<row Id="(\d+)"', line)
            if found:
                top = max(top, int(found.group(1)))
    return 10 ** len(str(top + 1))


def scale(source: Path, out: Path, copies: int) -> dict[str, int]:
    """Write the scaled dump; rows written per file."""
    out.mkdir(parents=True, exist_ok=True)
    strides = {
        POST: _stride(source / "Posts.xml"),
        USER: _stride(source / "Users.xml"),
    }
    written: dict[str, int] = {}
    tags = (source / "Tags.xml").read_bytes()
    (out / "Tags.xml").write_bytes(tags)
    written["Tags.xml"] = tags.count(b"<row ")
    for name, attributes in ATTRIBUTES.items():
        own = _stride(source / name)
        lines = (source / name).read_text(encoding="utf-8-sig").splitlines()
        head = [ln for ln in lines if "<row " not in ln and "</" not in ln]
        rows = [ln for ln in lines if "<row " in ln]
        tail = [ln for ln in lines if "</" in ln and "<row " not in ln]
        n = 0
        with (out / name).open("w", encoding="utf-8", newline="\r\n") as f:
            f.write("\n".join(head) + "\n")
            for k in range(copies):

                def shift(
                    m: re.Match[str],
                    k: int = k,
                    attributes: dict[str, str] = attributes,
                    own: int = own,
                ) -> str:
                    kind = attributes.get(m.group(1))
                    value = int(m.group(2))
                    if kind is None or value < 0:
                        return m.group(0)
                    step = own if kind == OWN else strides[kind]
                    return f' {m.group(1)}="{value + k * step}"'

                for row in rows:
                    if k and name == "Users.xml" and 'Id="-1"' in row[:20]:
                        continue
                    row = _ID.sub(shift, row)
                    if k and name == "PostHistory.xml":
                        row = _GUID.sub(f'RevisionGUID="{k:08x}', row)
                    f.write(row + "\n")
                    n += 1
            f.write("\n".join(tail) + "\n")
        written[name] = n
    return written


PHASES: tuple[str, ...] = (
    "users",
    "tag_list",
    "posts",
    "comments",
    "history",
    "post_links",
    "finish",
)
TICK = os.sysconf("SC_CLK_TCK")


def _children_cpu() -> dict[int, float]:
    """CPU seconds (user + system) of each live child of this process."""
    me = os.getpid()
    found: dict[int, float] = {}
    try:
        with open(f"/proc/{me}/task/{me}/children") as handle:
            pids = [int(p) for p in handle.read().split()]
    except OSError:
        return found
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return found


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM), in MB."""
    with open("/proc/self/status") as handle:
        for row in handle:
            if row.startswith("VmHWM:"):
                return int(row.split()[1]) / 1024
    return 0.0


def measure(dump: Path, db: Path, workers: int | None) -> int:
    """Import ``dump`` into a new SQLite database ``db``, phase by phase
    timed; prints the table."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from practica.transfer import stackexchange

    call_command("migrate", verbosity=0)
    print(f"code: {stackexchange.__file__}")
    rows: list[tuple[str, float, dict[int, float], float, float, float]] = []

    def timed(name: str, real: Any) -> Any:
        def run(*args: Any, **kw: Any) -> Any:
            workers_before = _children_cpu()
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return real(*args, **kw)
            finally:
                after = _children_cpu()
                rows.append(
                    (
                        name,
                        time.process_time() - cpu,
                        {
                            pid: after[pid] - workers_before.get(pid, 0.0)
                            for pid in after
                        },
                        time.perf_counter() - wall,
                        os.getloadavg()[0],
                        _peak_rss_mb(),
                    )
                )

        return run

    # The check is a function of the module, the rest the job's methods.
    stackexchange.check = timed("check", stackexchange.check)
    job = stackexchange.StackExchangeImport
    for name in PHASES:
        setattr(job, name, timed(name, getattr(job, name)))
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    result = stackexchange.import_stackexchange(
        dump, community="big", index=False, workers=workers
    )
    wall = time.perf_counter() - wall
    me2 = resource.getrusage(resource.RUSAGE_SELF)
    kids2 = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"{'phase':12} {'main CPU':>9} {'workers CPU':>18} {'wall':>7} "
        "load  peak RSS (MB)"
    )
    for name, cpu, per, took, load, peak in rows:
        each = " ".join(f"{v:.2f}" for v in sorted(per.values()) if v)
        print(
            f"{name:12} {cpu:9.2f} {each or '-':>18} {took:7.2f} "
            f"{load:4.1f}  {peak:.0f}"
        )
    posts = result.created.get("questions", 0) + result.created.get(
        "answers", 0
    )
    phase = next(r for r in rows if r[0] == "posts")
    both = phase[1] + sum(phase[2].values())
    path = max([phase[1], *phase[2].values()])
    print(
        f"posts {posts:,}: main {phase[1]:.2f} CPU-s "
        f"({posts / phase[1]:,.0f} posts per CPU-s), critical path "
        f"{path:.2f} CPU-s ({posts / path:,.0f} posts/s with a core "
        f"each); all processes {both:.2f} CPU-s ({2 * posts / both:,.0f} "
        "posts/s on two idle cores)"
    )
    main_cpu = me2.ru_utime + me2.ru_stime - me.ru_utime - me.ru_stime
    kids_cpu = kids2.ru_utime + kids2.ru_stime - kids.ru_utime - kids.ru_stime
    print(
        f"whole import: {wall:.1f} s wall, {main_cpu:.1f} CPU-s main + "
        f"{kids_cpu:.1f} CPU-s workers, load {os.getloadavg()[0]:.1f}; "
        f"peak RSS main {me2.ru_maxrss / 1024:.0f} MB, "
        f"workers {kids2.ru_maxrss / 1024:.0f} MB; "
        f"{result.rows:,} rows written"
    )
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "source", type=Path, help="A site's dump folder.", nargs="?"
    )
    parser.add_argument(
        "out", type=Path, help="The folder to write.", nargs="?"
    )
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument(
        "--measure",
        type=Path,
        metavar="DUMP",
        help="Import this dump into a new SQLite database and time it.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path("/tmp/se-measure.sqlite3"),
        help="The SQLite database --measure creates (replaced).",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="Worker processes for --measure (default: the importer's).",
    )
    args = parser.parse_args(argv)
    if args.measure:
        return measure(args.measure, args.db, args.workers)
    if args.source is None or args.out is None:
        parser.error("give SOURCE and OUT, or --measure DUMP")
    if not (args.source / "Posts.xml").exists():
        parser.error(f"{args.source} holds no Posts.xml")
    counts = scale(args.source, args.out, args.copies)
    for name, n in counts.items():
        print(f"{name:16} {n:>10,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
