"""The in-process half of the benchmark (run with the server's settings).

Finds the pages to measure in the imported corpus, checks that the rare
word finds exactly the threads meta.json names, and counts the queries
each page makes (one warm request through django.test.Client). Prints one
JSON object.

    PRACTICA_ENV=production ... python bench/probe.py CORPUS_DIR SLUG \
        [SEARCH_PATH [MADE_JSON [SE_SLUG]]]
"""

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

TIMED = 15  # warm requests timed per page


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
    import django

    django.setup()


def pages(
    meta: dict[str, Any],
    slug: str,
    search_path: str,
    made: dict[str, Any] | None = None,
    se_slug: str = "",
) -> dict:
    """name -> {path, ...}: what the benchmark loads. ``made`` is what
    bench/setup.py added (an artifact, events); ``se_slug`` the community
    the Stack Exchange dump went into (empty: not imported)."""
    from django.urls import Resolver404, resolve

    from practica.conversations.models import Conversation

    detail = Conversation.objects.get(
        community__slug=slug, import_key=str(meta["detail_thread_id"])
    )
    found: dict[str, dict[str, Any]] = {
        "hello": {"path": "/bench/hello/", "label": "floor: hello view"},
        "home": {"path": "/", "label": "home"},
        "community": {"path": f"/c/{slug}/", "label": "community page"},
        "questions": {
            "path": f"/c/{slug}/questions/",
            "label": "question list",
        },
        "question": {
            "path": f"/q/{detail.pk}/",
            "label": f"question page (thread {meta['detail_thread_id']})",
        },
    }
    try:
        resolve(search_path)
    except Resolver404:
        search = None
    else:
        search = search_path
    for name, word in (
        ("search_common", meta["common_word"]),
        ("search_rare", meta["rare_token"]),
    ):
        found[name] = {
            "path": f"{search}?{urlencode({'q': word})}" if search else None,
            "label": f"search '{word}'",
        }
    made = made or {}
    found["artifact"] = {
        "path": f"/r/{made['artifact']}/" if made.get("artifact") else None,
        "label": "artifact page",
    }
    found["events"] = {
        "path": _route(f"/c/{slug}/events/") if made.get("events") else None,
        "label": "event calendar (month)",
    }
    found["api_list"] = {
        "path": f"/api/v1/communities/{slug}/conversations",
        "label": "API: question list",
    }
    if se_slug:
        found.update(se_pages(se_slug))
    return found


def _route(path: str) -> str | None:
    """``path`` when this build serves it, else None (skipped)."""
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def se_pages(se_slug: str) -> dict[str, dict[str, Any]]:
    """The Stack Exchange community's list, and its question in the
    middle (by id) among those with at least two answers."""
    from practica.conversations.models import Conversation

    ids = list(
        Conversation.objects.filter(
            community__slug=se_slug, reply_count__gte=2
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    mid = ids[len(ids) // 2] if ids else None
    return {
        "se_questions": {
            "path": f"/c/{se_slug}/questions/",
            "label": "Stack Exchange: question list",
        },
        "se_question": {
            "path": f"/q/{mid}/" if mid else None,
            "label": f"Stack Exchange: question page (#{mid})",
        },
    }


def rare_check(meta: dict[str, Any], slug: str) -> dict[str, Any]:
    """Does the search interface return exactly the rare threads?"""
    from django.contrib.auth.models import AnonymousUser

    from practica.conversations.models import Conversation
    from practica.search import backends

    expected = dict(
        Conversation.objects.filter(
            community__slug=slug,
            import_key__in=[str(i) for i in meta["rare_thread_ids"]],
        ).values_list("pk", "import_key")
    )
    page = backends.search(
        viewer=AnonymousUser(),
        text=meta["rare_token"],
        limit=len(meta["rare_thread_ids"]) + 20,
    )
    got = sorted(h.id for h in page.hits)
    return {
        "expected": sorted(expected),
        "got": got,
        "total": page.total,
        "ok": set(got) == set(expected)
        and page.total == len(meta["rare_thread_ids"]),
    }


def measure(found: dict[str, dict[str, Any]]) -> None:
    """Status, size and queries of one warm request to each page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    for page in found.values():
        if page["path"] is None:
            continue
        client.get(page["path"])  # warm: caches, templates, content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"])
        page["status"] = response.status_code
        page["bytes"] = len(response.content)
        page["queries"] = len(queries.captured_queries)
        page["body"] = response.content.decode(errors="replace")
        # Time to serve it in this process, no server and no network:
        # the median of a few warm requests.
        took = []
        for _ in range(TIMED):
            began = time.perf_counter()
            client.get(page["path"])
            took.append((time.perf_counter() - began) * 1000)
        page["in_process_ms"] = round(statistics.median(took), 2)


def search_page_check(
    found: dict[str, dict[str, Any]], rare: dict[str, Any]
) -> None:
    """The rare search page links to exactly the rare threads."""
    page = found.get("search_rare", {})
    if "body" not in page:
        rare["page_ok"] = None
        return
    linked = {int(pk) for pk in re.findall(r'href="/q/(\d+)/', page["body"])}
    rare["page_linked"] = sorted(linked)
    rare["page_ok"] = page_ok(linked, set(rare["expected"]))


def page_ok(linked: set[int], expected: set[int], size: int = 20) -> bool:
    """The page shows only rare threads: all of them, or a full first
    page of them when there are more than a page holds."""
    return linked <= expected and len(linked) == min(len(expected), size)


def counts(slug: str) -> dict[str, Any]:
    from practica.accounts.models import User
    from practica.communities.models import Community
    from practica.conversations import importer
    from practica.conversations.models import Conversation, Reply

    community = Community.objects.get(slug=slug)
    return {
        "users": User.objects.count(),
        "questions": Conversation.objects.filter(community=community).count(),
        "answers": Reply.objects.filter(
            conversation__community=community
        ).count(),
        "members": community.member_count,
        "counter_problems": importer.check_counters(community),
    }


def main(argv: list[str]) -> int:
    corpus, slug = Path(argv[0]), argv[1]
    search_path = argv[2] if len(argv) > 2 else "/search/"
    made = json.loads(argv[3]) if len(argv) > 3 else {}
    se_slug = argv[4] if len(argv) > 4 else ""
    _setup()
    meta = json.loads((corpus / "meta.json").read_text())
    found = pages(meta, slug, search_path, made, se_slug)
    measure(found)
    rare = rare_check(meta, slug)
    search_page_check(found, rare)
    for page in found.values():
        page.pop("body", None)
    counted = counts(slug)
    if se_slug:
        se = counts(se_slug)
        counted["stackexchange"] = {
            k: se[k] for k in ("questions", "answers", "counter_problems")
        }
    json.dump({"pages": found, "rare": rare, "counts": counted}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
