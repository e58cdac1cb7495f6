"""Pages the corpus does not make: an artifact and a calendar.

The shared corpus holds people, threads and replies only. The benchmark
also measures an artifact's page and a community's event calendar, so
this adds, through the same services the pages use and only once (it
looks for what it made before):

- one published best practice in the bench community, its body the
  Markdown of the corpus's detail thread plus a checklist, owned by the
  detail thread's author;
- a weekly problem-solving session in the community (a recurring event,
  so the month view shows four or five occurrences) and a one-off talk.

Run with the server's settings (bench/run.py does):

    PRACTICA_ENV=production ... python bench/setup.py CORPUS_DIR SLUG

Prints one JSON object: {"artifact": pk, "events": [pk, ...]}.
"""

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ARTIFACT_TITLE = "Benchmark: the checklist from the detail thread"
EVENT_TITLES = ("Benchmark: weekly problem-solving", "Benchmark: guest talk")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
    import django

    django.setup()


def artifact(meta: dict[str, Any], slug: str) -> int:
    from practica.communities.models import Community
    from practica.conversations.models import Conversation
    from practica.repertoire import services
    from practica.repertoire.models import Artifact, Status

    community = Community.objects.get(slug=slug)
    made = Artifact.objects.filter(
        community=community, title=ARTIFACT_TITLE
    ).first()
    if made is not None:
        return made.pk
    thread = Conversation.objects.select_related("author").get(
        community=community, import_key=str(meta["detail_thread_id"])
    )
    body = (
        thread.body
        + "\n\n## Checklist\n\n"
        + "\n".join(
            f"- [ ] Step {n}: check the {w}"
            for n, w in enumerate(
                ("index", "cache", "timeout", "pool", "locale"), start=1
            )
        )
    )
    author = thread.author
    if author is None:
        sys.exit("the detail thread has no author to own the artifact")
    a = services.artifact_create(
        author=author,
        community=community,
        title=ARTIFACT_TITLE,
        body=body,
        status=Status.PUBLISHED,
        tags=[],
    )
    return a.pk


def events(slug: str) -> list[int]:
    from django.utils import timezone

    from practica.communities.models import Community, Membership, Status
    from practica.events import services
    from practica.events.models import Event, Kind

    community = Community.objects.get(slug=slug)
    found = list(
        Event.objects.filter(
            community=community, title__in=EVENT_TITLES
        ).values_list("pk", flat=True)
    )
    if found:
        return found
    host = (
        Membership.objects.filter(community=community, status=Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if host is None:
        sys.exit(f"{slug} has no active member to host the events")
    today = timezone.localdate()
    start = datetime(
        today.year, today.month, 2, 16, 0, tzinfo=UTC
    )  # this month's calendar shows the series
    weekly = services.event_create(
        actor=host.user,
        community=community,
        title=EVENT_TITLES[0],
        start=start,
        time_zone="UTC",
        kind=Kind.PROBLEM_SOLVING,
        description="Bring a problem; leave with a next step.",
        duration=timedelta(hours=1),
        rrule="FREQ=WEEKLY;COUNT=52",
    )
    talk = services.event_create(
        actor=host.user,
        community=community,
        title=EVENT_TITLES[1],
        start=start + timedelta(days=9, hours=1),
        time_zone="UTC",
        kind=Kind.GUEST_TALK,
        description="A practitioner on what the corpus is about.",
        duration=timedelta(minutes=45),
    )
    return [weekly.pk, talk.pk]


def main(argv: list[str]) -> int:
    corpus, slug = Path(argv[0]), argv[1]
    _setup()
    meta = json.loads((corpus / "meta.json").read_text())
    made: dict[str, Any] = {"artifact": artifact(meta, slug)}
    try:
        made["events"] = events(slug)
    except ImportError:  # a build without the events app
        made["events"] = []
    json.dump(made, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
