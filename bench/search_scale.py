"""Search at a million posts: the tantivy engine on the shared corpus.

    .venv/bin/python bench/search_scale.py   # 250 k threads, 1 M posts
    .venv/bin/python bench/search_scale.py --threads 20000   # a look

1. **Corpus.** ``../shared/bench/corpus.py --users 5000 --threads 250000
   --replies 3`` into ``var/bench/search-1m/`` unless it is there (the
   generator other systems are measured with: 250 k threads of 1 question
   and 3 replies, 1 M posts). It takes a few minutes once; the run below
   does not count it.
2. **Index.** Streams the threads and their replies into a temporary
   index directory with Practica's own engine (``practica.search.engine``:
   its schema, analysers and documents), one document per thread, as
   ``practica reindex`` builds them: the question and every reply as the
   body, the first reply as the best answer (accepted on two threads in
   five), tags, author names, dates. Threads are spread over 20
   communities. Measured: posts and documents per second, with one
   writer (``--writer-threads``, ``--heap``). The corpus bodies are
   Markdown; the database path renders them and indexes the text, which
   this leaves out (it measures the engine, not Markdown).
3. **Query.** Runs ``engine.search`` — the function behind the search
   page and ``/api/v1/search``: permission filter, top 20, highlighted
   excerpts for the body and the best answer, facet counts by type, tag
   and community — as a viewer who may see 12 of the 20 communities, for
   each kind of query below, ``--rounds`` times each after one warm-up,
   and reports p50/p95/p99 in milliseconds. The rare token must find
   exactly the corpus's ``rare_thread_ids`` (the run fails otherwise).
4. **Report.** A table on stdout and ``bench/results/<date>-<commit>-
   search-scale.json`` (machine, corpus, settings, figures, peak memory).

``--backend postgres`` measures PostgreSQL's full-text search instead
(``SEARCH_BACKEND=postgres``), in the database of ``DATABASE_URL`` (which
must be migrated; its ``search_document`` table is emptied before and
after): the indexer's write path, 500 documents a transaction, then the
same queries through ``postgres.search``. Its CPU time is this process's
only; the work is the server's. It is slow at a million posts: use
``--threads 25000`` or so.

Memory stays bounded: threads are read and indexed one at a time (the
writer's heap is ``--heap`` MB) and nothing else is kept.
"""

import argparse
import gc
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run as bench_run  # noqa: E402

COMMUNITIES = 20
VISIBLE = 12  # the viewer may see communities 1..12 of 20
QUERIES: dict[str, list[str]] = {
    "common word": ["database", "error", "server", "query", "config"],
    "two common words": [
        "database error",
        "server timeout",
        "query cache",
        "migration failed",
        "connection pool",
    ],
    "rare word": ["zanzibarite", "postmortem", "runbook", "quorum", "brotli"],
    "phrase": [
        '"connection pool exhausted"',
        '"database migration failed"',
        '"race condition"',
        '"stack trace"',
        '"read replica"',
    ],
    "prefix": ["data*", "migr*", "conn*", "repl*", "deplo*"],
    "filter: community": [
        "database community:c3",
        "error in:c7",
        "timeout community:c11",
        "cache community:c1",
        "deploy community:c5",
    ],
    "filter: tag": [
        "error tag:python",
        "database tag:postgresql",
        "timeout tag:docker",
        "cache tag:redis",
        "deploy tag:kubernetes",
    ],
    "filter: is:solved": [
        "database is:solved",
        "error is:solved",
        "timeout is:solved tag:docker",
        "cache is:unsolved",
        "query is:solved",
    ],
    "filters only, newest": [
        "tag:python",
        "community:c2",
        "is:solved tag:redis",
        "tag:docker after:2025-01-01",
        "type:question community:c9",
    ],
    "common word, newest": ["database", "error", "server", "query", "config"],
}
NEWEST = {"filters only, newest", "common word, newest"}


def log(message: str) -> None:
    stamp = datetime.now(UTC).strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ensure_corpus(where: Path, threads: int) -> dict[str, Any]:
    meta_file = where / "meta.json"
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta["threads"] >= threads:
            return meta
    script = Path(
        os.environ.get(
            "PRACTICA_BENCH_CORPUS", ROOT.parent / "shared/bench/corpus.py"
        )
    )
    log(f"generating the corpus into {where} (once; a few minutes)")
    subprocess.run(
        [
            sys.executable,
            str(script),
            "--users",
            "5000",
            "--threads",
            str(threads),
            "--replies",
            "3",
            "--out",
            str(where),
        ],
        check=True,
    )
    return json.loads(meta_file.read_text())


def community_of(thread_id: int) -> int:
    """1..20, spread evenly and deterministically."""
    return (thread_id * 7919) % COMMUNITIES + 1


def threads_with_replies(
    where: Path, limit: int
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each thread with its replies, streamed from the two files (posts
    are in thread order)."""
    with (
        open(where / "threads.jsonl") as threads,
        open(where / "posts.jsonl") as posts,
    ):
        pending: dict[str, Any] | None = None
        for n, line in enumerate(threads):
            if n >= limit:
                return
            thread = json.loads(line)
            replies = []
            while True:
                if pending is None:
                    raw = posts.readline()
                    if not raw:
                        break
                    pending = json.loads(raw)
                if pending["thread_id"] != thread["id"]:
                    break
                replies.append(pending)
                pending = None
            yield thread, replies


def build_docs(where: Path, limit: int, users: dict[int, list[str]]) -> Any:
    from practica.search.documents import Doc

    for thread, replies in threads_with_replies(where, limit):
        t = thread["id"]
        created = datetime.fromisoformat(thread["created"])
        solved = t % 5 < 2 and bool(replies)
        body = "\n\n".join([thread["body"], *(r["body"] for r in replies)])
        yield (
            Doc(
                key=f"conversation:{t}",
                type="question",
                id=t,
                community=community_of(t),
                title=thread["title"],
                body=body,
                answer=replies[0]["body"] if replies else "",
                tags=thread["tags"],
                authors=users.get(thread["author_id"], []),
                solved=solved,
                replies=len(replies),
                created=created,
                updated=(
                    datetime.fromisoformat(replies[-1]["created"])
                    if replies
                    else created
                ),
            ),
            1 + len(replies),
        )


def index_rows(where: Path, limit: int) -> dict[str, Any]:
    """PostgreSQL: the indexer's own write path, 500 documents a
    transaction, into an emptied search_document table."""
    from django.db import connection

    from practica.search import postgres

    users = {}
    with open(where / "users.jsonl") as fh:
        for line in fh:
            u = json.loads(line)
            users[u["id"]] = [u["display_name"], u["username"]]
    postgres.write({}, clear=True)
    docs = posts = 0
    engine_s = 0.0
    batch: dict[str, Any] = {}
    started = time.perf_counter()
    for doc, n_posts in build_docs(where, limit, users):
        batch[doc.key] = doc
        docs += 1
        posts += n_posts
        if len(batch) == 500:
            handed = time.perf_counter()
            postgres.write(batch)
            engine_s += time.perf_counter() - handed
            batch = {}
        if docs % 50_000 == 0:
            rate = posts / (time.perf_counter() - started)
            log(f"  {docs:,} threads, {posts:,} posts ({rate:,.0f} posts/s)")
    if batch:
        handed = time.perf_counter()
        postgres.write(batch)
        engine_s += time.perf_counter() - handed
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
        cursor.execute("SELECT pg_total_relation_size('search_document')")
        size = cursor.fetchone()[0]
    return {
        "threads": docs,
        "posts": posts,
        "seconds_to_commit": round(seconds, 1),
        "seconds_with_merges": round(seconds, 1),
        "posts_per_s": round(posts / seconds),
        "docs_per_s": round(docs / seconds),
        "engine_seconds": round(engine_s, 1),
        "engine_posts_per_s": round(posts / engine_s),
        # This process only: PostgreSQL's own work is in its server.
        "cpu_seconds": None,
        "posts_per_cpu_s": None,
        "index_mb": round(size / 1e6),
    }


def index_corpus(
    where: Path, limit: int, heap_mb: int, writer_threads: int
) -> dict[str, Any]:
    from practica.search import engine

    users = {}
    with open(where / "users.jsonl") as fh:
        for line in fh:
            u = json.loads(line)
            users[u["id"]] = [u["display_name"], u["username"]]
    idx = engine.index()
    writer = idx.writer(
        heap_size=heap_mb * 1_000_000, num_threads=writer_threads
    )
    docs = posts = 0
    started = time.perf_counter()
    spent = time.process_time()
    engine_s = 0.0  # building tantivy documents and handing them over
    for doc, n_posts in build_docs(where, limit, users):
        handed = time.perf_counter()
        writer.add_document(engine._document(doc))
        engine_s += time.perf_counter() - handed
        docs += 1
        posts += n_posts
        if docs % 50_000 == 0:
            rate = posts / (time.perf_counter() - started)
            log(f"  {docs:,} threads, {posts:,} posts ({rate:,.0f} posts/s)")
    committing = time.perf_counter()
    writer.commit()
    engine_s += time.perf_counter() - committing
    committed = time.perf_counter() - started
    cpu = time.process_time() - spent
    writer.wait_merging_threads()
    merged = time.perf_counter() - started
    idx.reload()
    size = sum(
        f.stat().st_size for f in engine.path().rglob("*") if f.is_file()
    )
    return {
        "threads": docs,
        "posts": posts,
        "seconds_to_commit": round(committed, 1),
        "seconds_with_merges": round(merged, 1),
        "posts_per_s": round(posts / committed),
        "docs_per_s": round(docs / committed),
        # Without reading and parsing the corpus files (JSON), which is
        # the benchmark's own cost, not the engine's: the time spent
        # building documents, handing them to the writer and committing.
        "engine_seconds": round(engine_s, 1),
        "engine_posts_per_s": round(posts / engine_s),
        # All threads' CPU time (reading, building, tokenising, writing).
        "cpu_seconds": round(cpu, 1),
        "posts_per_cpu_s": round(posts / cpu),
        "index_mb": round(size / 1e6),
    }


def incremental_rate(where: Path, sample: int) -> dict[str, Any]:
    """What the indexer's own write path does: engine.write() in batches
    of 500 documents, a commit each (as `practica reindex` and the
    catch-up do), into a fresh index."""
    from practica.search import engine

    batch: dict[str, Any] = {}
    docs = posts = 0
    started = time.perf_counter()
    for doc, n_posts in build_docs(where, sample, {}):
        batch[doc.key] = doc
        docs += 1
        posts += n_posts
        if len(batch) == 500:
            engine.write(batch)
            batch = {}
    if batch:
        engine.write(batch)
    seconds = time.perf_counter() - started
    return {
        "threads": docs,
        "posts": posts,
        "seconds": round(seconds, 1),
        "posts_per_s": round(posts / seconds),
        "docs_per_s": round(docs / seconds),
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_queries(rounds: int, meta: dict[str, Any]) -> dict[str, Any]:
    from practica.search.query import parse

    slugs = {f"c{i}": i for i in range(1, COMMUNITIES + 1)}
    visible = list(range(1, VISIBLE + 1))
    seen = {s: i for s, i in slugs.items() if i in visible}
    # Correctness first: the rare token, seen from every community.
    rare = store().search(
        parsed=parse(meta["rare_token"]),
        community_ids=list(slugs.values()),
        community_slugs=slugs,
        limit=1000,
        facets=False,
    )
    indexed = {h.id for h in rare.hits}
    expected = {i for i in meta["rare_thread_ids"] if i <= LIMIT}
    if indexed != expected or rare.total != len(expected):
        raise SystemExit(
            f"The rare token found {rare.total} threads, expected "
            f"{len(expected)}: the index is wrong."
        )
    results: dict[str, Any] = {}
    for category, texts in QUERIES.items():
        sort = "newest" if category in NEWEST else "relevance"
        parsed = [parse(t) for t in texts]
        totals = []
        sampled = []
        for p in parsed:  # warm-up (and the totals)
            found = store().search(
                parsed=p,
                community_ids=visible,
                community_slugs=seen,
                sort=sort,
                limit=20,
            )
            totals.append(found.total)
            # Facets counted on a sample (over 20,000 matches: tantivy).
            sampled.append(bool(getattr(found, "approximate", False)))
        timings: list[float] = []
        cpu: list[float] = []
        for _ in range(rounds):
            for p in parsed:
                _timed(
                    timings,
                    cpu,
                    lambda p=p, sort=sort: store().search(
                        parsed=p,
                        community_ids=visible,
                        community_slugs=seen,
                        sort=sort,
                        limit=20,
                    ),
                )
        results[category] = {
            "queries": texts,
            "matches": totals,
            "approximate_facets": sampled,
            **_figures(timings, cpu),
        }
        log(
            f"  {category}: p50 {results[category]['p50_ms']} ms, "
            f"p95 {results[category]['p95_ms']} ms"
        )
    return results


def _timed(timings: list[float], cpu: list[float], work: Any) -> Any:
    started = time.perf_counter()
    spent = time.process_time()
    done = work()
    timings.append((time.perf_counter() - started) * 1000)
    cpu.append((time.process_time() - spent) * 1000)
    return done


def _figures(timings: list[float], cpu: list[float]) -> dict[str, Any]:
    return {
        "samples": len(timings),
        "p50_ms": round(percentile(timings, 0.50), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "max_ms": round(max(timings), 2),
        # CPU time (it runs on the calling thread): what the wall time
        # would be on an idle machine, near enough.
        "cpu_p50_ms": round(percentile(cpu, 0.50), 2),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
        "cpu_p99_ms": round(percentile(cpu, 0.99), 2),
    }


def run_pages(rounds: int) -> dict[str, Any]:
    """The search page end to end (``/search/?q=``, the whole page as the
    server sends it: the engine, excerpts, facets with community names,
    templates), as a signed-out visitor, who may see the 12 public
    communities of the 20, with the production settings of the
    benchmark's server. Every request is a new address, so a new query
    for the page's cache (a repeated one is a cache hit)."""
    from django.core.management import call_command
    from django.test import Client

    from practica.communities.models import Community, Visibility

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    Community.objects.bulk_create(
        Community(
            id=i,
            name=f"Community {i}",
            slug=f"c{i}",
            visibility=(
                Visibility.PUBLIC if i <= VISIBLE else Visibility.PRIVATE
            ),
        )
        for i in range(1, COMMUNITIES + 1)
    )
    client = Client(HTTP_HOST=bench_run.HOST)
    nonce = itertools.count()
    results: dict[str, Any] = {}
    for category, texts in QUERIES.items():
        params = [
            {"q": t, **({"sort": "newest"} if category in NEWEST else {})}
            for t in texts
        ]

        def page(query: dict[str, str]) -> None:
            # A new address (the page caches by address), all else warm
            # as on a live site.
            response = client.get("/search/", {**query, "n": str(next(nonce))})
            if response.status_code != 200:
                raise SystemExit(f"/search/ {query}: {response.status_code}")

        for query in params:  # warm-up
            page(query)
        timings: list[float] = []
        cpu: list[float] = []
        for _ in range(rounds):
            for query in params:
                _timed(timings, cpu, lambda q=query: page(q))
        results[category] = {"queries": texts, **_figures(timings, cpu)}
        log(
            f"  page, {category}: p50 {results[category]['p50_ms']} ms, "
            f"p95 {results[category]['p95_ms']} ms"
        )
    return results


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import tantivy

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(
            os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        ),
        "python": platform.python_version(),
        "tantivy": getattr(tantivy, "__version__", ""),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def table(report: dict[str, Any]) -> str:
    ix = report["indexing"]
    lines = [
        f"Search at scale: {ix['threads']:,} threads, {ix['posts']:,} posts "
        f"({report['backend']}, viewer sees {VISIBLE} of {COMMUNITIES} "
        "communities)",
        "",
        f"{'':<24} {'':>9} {'wall time, ms':^26} {'CPU time, ms':^26}",
        f"{'query':<24} {'matches':>9} {'p50':>8} {'p95':>8} {'p99':>8} "
        f"{'p50':>8} {'p95':>8} {'p99':>8}",
    ]
    for category, r in report["queries"].items():
        matches = int(statistics.median(r["matches"]))
        lines.append(
            f"{category:<24} {matches:>9,} {r['p50_ms']:>8.1f} "
            f"{r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f} "
            f"{r['cpu_p50_ms']:>8.1f} {r['cpu_p95_ms']:>8.1f} "
            f"{r['cpu_p99_ms']:>8.1f}"
        )
    sampled = [
        category
        for category, r in report["queries"].items()
        if any(r.get("approximate_facets", []))
    ]
    if sampled:
        lines.append(
            "facets counted on a 1/16 sample for some queries of: "
            + ", ".join(sampled)
        )
    if report.get("pages"):
        lines += [
            "",
            "the search page, end to end (a new query each time):",
            f"{'query':<24} {'':>9} {'p50':>8} {'p95':>8} {'p99':>8} "
            f"{'p50':>8} {'p95':>8} {'p99':>8}",
        ]
        for category, r in report["pages"].items():
            lines.append(
                f"{category:<24} {'':>9} {r['p50_ms']:>8.1f} "
                f"{r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f} "
                f"{r['cpu_p50_ms']:>8.1f} {r['cpu_p95_ms']:>8.1f} "
                f"{r['cpu_p99_ms']:>8.1f}"
            )
    worst = max(r["p95_ms"] for r in report["queries"].values())
    page_worst = max(
        (r["p95_ms"] for r in (report.get("pages") or {}).values()),
        default=None,
    )
    worst_cpu = max(r["cpu_p95_ms"] for r in report["queries"].values())
    lines += [
        "",
        f"index build: {ix['engine_posts_per_s']:,} posts/s in the engine, "
        f"{ix['posts_per_s']:,} posts/s with reading the corpus "
        f"({ix['docs_per_s']:,} threads/s; {ix['seconds_to_commit']} s to "
        f"commit, {ix['seconds_with_merges']} s with merges; "
        f"{ix['index_mb']:,} MB on disk)"
        + (
            f"; {ix['posts_per_cpu_s']:,} posts per CPU-second"
            if ix["posts_per_cpu_s"]
            else ""
        ),
    ]
    inc = report.get("incremental")
    if inc:
        lines.append(
            f"indexer write path (500 per commit): {inc['posts_per_s']:,} "
            f"posts/s ({inc['docs_per_s']:,} threads/s)"
        )
    lines += [
        f"worst p95 in the engine: {worst:.1f} ms wall, {worst_cpu:.1f} ms "
        "CPU"
        + (
            f"; of the page: {page_worst:.1f} ms"
            if page_worst is not None
            else ""
        )
        + " (goal: the page < 30 ms); build goal >= 20,000 posts/s",
        f"load average at the end: {report['machine']['load_average']} "
        f"on {report['machine']['cores']} cores",
        f"peak memory: {report['peak_rss_mb']:,.0f} MB",
    ]
    return "\n".join(lines)


LIMIT = 0
BACKEND = "tantivy"


def store() -> Any:
    """The engine module measured: tantivy's or PostgreSQL's."""
    from practica.search import engine, postgres

    return postgres if BACKEND == "postgres" else engine


def main(argv: list[str] | None = None) -> None:
    global LIMIT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--corpus", type=Path, default=ROOT / "var/bench/search-1m"
    )
    ap.add_argument(
        "--threads",
        type=int,
        default=250_000,
        help="threads to index (each has 3 replies); default 250 000",
    )
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--heap", type=int, default=256, help="writer heap, MB")
    ap.add_argument("--writer-threads", type=int, default=2)
    ap.add_argument(
        "--incremental-sample",
        type=int,
        default=20_000,
        help="threads for the 500-per-commit write path; 0 skips it",
    )
    ap.add_argument("--keep", action="store_true", help="keep the index")
    ap.add_argument(
        "--no-pages", action="store_true", help="skip the search page"
    )
    ap.add_argument(
        "--backend",
        choices=("tantivy", "postgres"),
        default="tantivy",
        help="postgres: PostgreSQL full-text search, in the database of "
        "DATABASE_URL (migrated; its search_document table is emptied "
        "first and at the end); CPU time then leaves out the server's",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "bench/results")
    args = ap.parse_args(argv)
    LIMIT = args.threads
    global BACKEND
    BACKEND = args.backend
    meta = ensure_corpus(args.corpus, args.threads)

    tmp = Path(tempfile.mkdtemp(prefix="practica-search-scale-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
    if BACKEND == "tantivy":  # the page's too: the bench server's settings
        os.environ.update(bench_run.server_env(tmp / "data", 600))
    os.environ["SEARCH_INDEX_DIR"] = str(tmp / "bulk")
    os.environ["PRACTICA_DATA_DIR"] = str(tmp / "data")
    import django

    django.setup()
    from django.conf import settings

    from practica.search import engine

    started = time.perf_counter()
    try:
        log(f"indexing {args.threads:,} threads into {tmp}")
        if BACKEND == "postgres":
            indexing = index_rows(args.corpus, args.threads)
        else:
            indexing = index_corpus(
                args.corpus, args.threads, args.heap, args.writer_threads
            )
        log(
            f"indexed {indexing['posts']:,} posts: "
            f"{indexing['posts_per_s']:,} posts/s"
        )
        gc.collect()
        gc.freeze()  # as a web worker does at start (core.memory.settle)
        log("querying")
        queries = run_queries(args.rounds, meta)
        pages = None
        if BACKEND == "tantivy" and not args.no_pages:
            log("the search page")
            pages = run_pages(args.rounds)
        incremental = None
        if args.incremental_sample and BACKEND == "tantivy":
            settings.SEARCH_INDEX_DIR = str(tmp / "incremental")
            engine.forget()
            log(
                f"the indexer's write path on {args.incremental_sample:,} "
                "threads"
            )
            incremental = incremental_rate(
                args.corpus, min(args.incremental_sample, args.threads)
            )
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
            if BACKEND == "postgres":
                from practica.search import postgres

                postgres.write({}, clear=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "backend": BACKEND,
        "machine": machine(),
        "corpus": {
            "generator": "shared/bench/corpus.py",
            "path": str(args.corpus),
            "threads": indexing["threads"],
            "posts": indexing["posts"],
            "communities": COMMUNITIES,
            "visible_to_viewer": VISIBLE,
        },
        "settings": {
            "heap_mb": args.heap,
            "writer_threads": args.writer_threads,
            "rounds": args.rounds,
            "limit": 20,
            "facets": True,
            "snippets": True,
        },
        "indexing": indexing,
        "incremental": incremental,
        "queries": queries,
        "pages": pages,
        "peak_rss_mb": round(peak_rss_mb()),
        "seconds": round(time.perf_counter() - started),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if BACKEND == "tantivy" else f"-{BACKEND}"
    name = f"{datetime.now(UTC):%Y-%m-%d}-{commit}-search-scale{suffix}.json"
    (args.out / name).write_text(json.dumps(report, indent=1) + "\n")
    print(table(report))
    log(f"wrote {args.out / name}")


if __name__ == "__main__":
    main()
