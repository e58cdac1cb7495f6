"""Write the results: bench/results/<date>-<commit>.md and .json, and the
summary table in docs/performance.md (between this size's markers)."""

import json
from pathlib import Path
from typing import Any

GOAL_RATIO = 0.40  # of the floor's requests/s
GOAL_P99_MS = 50.0
NONE = "\N{EN DASH}"
# The table's rows, in this order (the JSON keeps its keys sorted).
ORDER = (
    "hello", "home", "community", "questions", "question",
    "search_common", "search_rare", "artifact", "events", "api_list",
    "se_questions", "se_question",
)  # fmt: skip
TIMES = "\N{MULTIPLICATION SIGN}"


def marker(size: str, end: bool = False) -> str:
    return f"<!-- bench:{size}:{'end' if end else 'start'} -->"


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _pct(value: float | None) -> str:
    return NONE if value is None else f"{value * 100:.0f} %"


def verdict(page: dict[str, Any], connections: list[int]) -> str:
    """Does the page meet both goals at every connection count?"""
    misses = []
    for c in connections:
        run = page["runs"].get(str(c))
        if run is None:
            return "not measured"
        if run["ratio"] < GOAL_RATIO:
            misses.append(f"{_pct(run['ratio'])} of floor @{c}")
        if run["latency_ms"]["p99"] >= GOAL_P99_MS:
            misses.append(f"p99 {_ms(run['latency_ms']['p99'])} ms @{c}")
    return "meets both" if not misses else "misses: " + ", ".join(misses)


def table(result: dict[str, Any]) -> str:
    conns = result["config"]["connections"]
    head = ["page", "queries", "ms in-process"]
    for c in conns:
        head += [f"req/s c{c}", f"of floor c{c}", f"p50 / p99 ms c{c}"]
    head += [f"CPU ms/req c{conns[0]}", "of floor by CPU"]
    head.append("goal (≥ 40 %, p99 < 50 ms)")
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(head) - 2) + ["---"]) + "|",
    ]
    pages = result["pages"]
    names = [n for n in ORDER if n in pages] + [
        n for n in pages if n not in ORDER
    ]
    for name in names:
        page = pages[name]
        row = [
            page["label"],
            str(page.get("queries", NONE)),
            f"{page['in_process_ms']:.1f}"
            if "in_process_ms" in page
            else NONE,
        ]
        for c in conns:
            run = page["runs"].get(str(c))
            if run is None:
                row += [NONE, NONE, NONE]
                continue
            lat = run["latency_ms"]
            row += [
                f"{run['rps']:,.0f}",
                "floor" if name == "hello" else _pct(run["ratio"]),
                f"{_ms(lat['p50'])} / {_ms(lat['p99'])}",
            ]
        first = page["runs"].get(str(conns[0])) or {}
        row += [
            f"{first['cpu_ms']:.2f}" if first.get("cpu_ms") else NONE,
            "floor"
            if name == "hello"
            else _pct(first.get("cpu_ratio"))
            if first
            else NONE,
        ]
        row.append(
            "—"
            if name == "hello"
            else page.get("skipped") or verdict(page, conns)
        )
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def conns_text(cfg: dict[str, Any]) -> str:
    return str(cfg["connections"][0])


def summary(result: dict[str, Any]) -> str:
    """Setup, table and the facts under it (Markdown)."""
    cfg, corpus, env = result["config"], result["corpus"], result["machine"]
    rss = result["rss_mb"]
    rare = result["rare"]
    shown = len(rare.get("page_linked", []))
    imp = result.get("import") or {}
    lines = [
        f"**{cfg['size']}** corpus: {corpus['threads']:,} questions {TIMES} "
        f"{corpus['replies_per_thread']} answers, {corpus['users']:,} people"
        f" — {result['date']}, commit `{result['commit']}`"
        + (" (uncommitted changes)" if result["dirty"] else ""),
        "",
        table(result),
        "",
        f"- Server: gunicorn {env['gunicorn']}, {cfg['workers']} sync "
        "workers, PRACTICA_ENV=production (DEBUG off, cached templates), "
        f"SQLite (WAL), CONN_MAX_AGE={cfg['conn_max_age']}, "
        "locmem cache, SEARCH_INDEX_ON_READ=false; 127.0.0.1.",
        f"- Load: wrk {env['wrk']}, 1 thread, {cfg['seconds']} s per run "
        f"after a {cfg['warmup']} s warm-up. The floor runs before and "
        "after each page, and each page's share is against the mean of "
        "the two around it; the floor row shows the mean of all of them "
        + "; ".join(
            f"(c{c}: {min(fl['runs']):,.0f} to {max(fl['runs']):,.0f} req/s)"
            for c, fl in result["floor"].items()
        )
        + ".",
        f"- *CPU ms/req*: the gunicorn workers' CPU time per request at "
        f"{conns_text(cfg)} connection (user + system, from /proc), and the "
        "floor's CPU per request over the page's: the share least moved by "
        "whatever else the machine runs, since a busy machine lowers "
        "requests/s but hardly the work each request takes.",
        "- *ms in-process*: median time to serve the page through "
        "django.test.Client in one process (no server, no network), the "
        "figure least moved by the machine's load; the floor's is the "
        "hello view's.",
        f"- Machine: {env['cpus']} CPUs, load average "
        f"{env['load_before']:.2f} before, {env['load_after']:.2f} after "
        "(wrk and the server share the CPUs).",
        "- Worker RSS after the run: "
        + ", ".join(
            f"{w['rss_mb']:.0f} MB (peak {w['peak_mb']:.0f})"
            for w in rss["workers"]
        )
        + ".",
        "- Search: the rare word "
        f"'{result['rare_token']}' returns "
        + (
            f"exactly the {len(rare['expected'])} threads in meta.json"
            if rare["ok"]
            else f"WRONG threads: {rare['got']} for {rare['expected']}"
        )
        + (
            ""
            if rare.get("page_ok") is None
            else (
                "; the search page's first page links to "
                + (
                    "exactly them"
                    if shown == len(rare["expected"])
                    else f"{shown} of them and no other"
                )
                if rare["page_ok"]
                else "; the search page links to other threads: "
                f"{rare.get('page_linked')}"
            )
        )
        + ".",
    ]
    if imp.get("rows"):
        lines.append(
            (
                "- Import (reused from an earlier run; it took"
                if imp.get("reused")
                else "- Import:"
            )
            + f" {imp['rows']:,} rows in {imp['load_seconds']:.0f} s "
            f"({imp['rows_per_second']:,.0f} rows/s), search index "
            f"{imp.get('index_seconds', 0):.0f} s"
            + (")." if imp.get("reused") else ".")
        )
    se = imp.get("stackexchange") or {}
    se_counts = result["counts"].get("stackexchange") or {}
    if se_counts:
        lines.append(
            f"- Stack Exchange dump {se.get('site', '')}: "
            f"{se_counts['questions']:,} questions and "
            f"{se_counts['answers']:,} answers in their own community "
            f"(`practica import stackexchange`"
            + (
                f", {se['wall_seconds']:.0f} s"
                if se.get("wall_seconds") is not None
                else ""
            )
            + (", reused" if se.get("reused") else "")
            + ")."
        )
    problems = result["counts"].get("counter_problems") or []
    if problems:
        lines.append("- Counter problems: " + "; ".join(problems))
    return "\n".join(lines)


def write(result: dict[str, Any], results_dir: Path, docs: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{result['date']}-{result['commit']}-{result['config']['size']}"
    (results_dir / f"{stem}.json").write_text(
        json.dumps(result, indent=1, sort_keys=True) + "\n"
    )
    md = results_dir / f"{stem}.md"
    md.write_text(
        "# Practica benchmark\n\n"
        "Each page's requests/s is given as a share of the floor: a bare "
        "Django view served by the same gunicorn workers, settings and "
        "middleware (`/bench/hello/`, mounted only with PRACTICA_BENCH=1)."
        " Goals: every hot page at least 40 % of the floor and p99 under "
        "50 ms.\n\n" + summary(result) + "\n"
    )
    update_docs(docs, result["config"]["size"], summary(result))
    return md


def update_docs(docs: Path, size: str, text: str) -> None:
    """Replace this size's block in docs/performance.md (added at the
    end when the markers are missing)."""
    start, end = marker(size), marker(size, end=True)
    block = f"{start}\n{text}\n{end}"
    current = docs.read_text() if docs.exists() else "# Performance\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        _, after = rest.split(end, 1)
        docs.write_text(before + block + after)
    else:
        docs.write_text(current.rstrip() + "\n\n" + block + "\n")


if __name__ == "__main__":
    # Render a results .json again: python bench/report.py RESULT.json
    import sys

    source = Path(sys.argv[1])
    data = json.loads(source.read_text())
    here = Path(__file__).resolve().parent
    print(write(data, source.parent, here.parent / "docs/performance.md"))
