"""How fast is a community's health dashboard over 100 k questions?

Builds a throwaway SQLite database (in a temporary directory, deleted at
the end; --keep DIR keeps it and reuses it next time) with one community
of 2 000 members, 100 000 questions over two years, about 160 000
answers (the first answer of 70 % of the answered questions accepted),
260 000 activity records and 2 000 artifacts, then requests the health
page, its weekly view, the JSON API and the people network through
django.test.Client as the coordinator. For each it prints the first
request (cache cleared: every figure computed; its time, queries and SQL
time) and the median of warm requests (figures and network from the
cache) with their queries.

    .venv/bin/python bench/analytics.py [--questions N] [--keep DIR]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TIMED = 5


def setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _no_auto_now(*models: Any) -> None:
    # bulk_create would stamp every row with now: keep the times given.
    for model in models:
        for f in model._meta.fields:
            if getattr(f, "auto_now_add", False) or getattr(
                f, "auto_now", False
            ):
                f.auto_now_add = f.auto_now = False


def build(questions: int, rng: random.Random) -> tuple[Any, Any]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from practica.accounts.models import Department, User
    from practica.communities.models import Community, Membership, Role
    from practica.conversations.models import Conversation, Reply
    from practica.core.models import Activity
    from practica.repertoire.models import Artifact

    _no_auto_now(User, Membership, Conversation, Reply, Activity, Artifact)
    now = datetime.now(UTC)
    two_years = 730 * 86400

    def past() -> datetime:
        return now - timedelta(seconds=rng.randint(0, two_years))

    depts = [
        Department.objects.create(name=f"Dept {i}", slug=f"d{i}")
        for i in range(9)
    ]
    c = Community.objects.create(
        name="Bench",
        slug="bench",
        tagline="A big one",
        created_at=now,
        updated_at=now,
    )
    users = User.objects.bulk_create(
        User(
            email=f"u{i}@bench.example",
            display_name=f"User {i}",
            handle=f"u{i}",
            department=depts[i % 9],
        )
        for i in range(2000)
    )
    users = list(User.objects.order_by("id"))
    members = []
    for i, u in enumerate(users):
        joined = past()
        left = i % 10 == 5
        members.append(
            Membership(
                user=u,
                community=c,
                role=Role.COORDINATOR if i == 0 else Role.MEMBER,
                status="left" if left else "active",
                joined_at=joined,
                created_at=joined,
                updated_at=joined + timedelta(days=30) if left else joined,
            )
        )
    Membership.objects.bulk_create(members)
    c.member_count = sum(1 for m in members if m.status == "active")
    c.save()
    ct_q = ContentType.objects.get_for_model(Conversation)
    ct_r = ContentType.objects.get_for_model(Reply)
    batch = 5000
    for start in range(0, questions, batch):
        convs = []
        for _ in range(min(batch, questions - start)):
            at = past()
            convs.append(
                Conversation(
                    community=c,
                    author=rng.choice(users),
                    title="How do we keep the line running?",
                    body="b",
                    body_html="<p>b</p>",
                    created_at=at,
                    updated_at=at,
                    last_activity_at=at,
                    reply_count=0,
                )
            )
        convs = Conversation.objects.bulk_create(convs)
        replies, acts = [], []
        for q in convs:
            acts.append(
                Activity(
                    actor=q.author,
                    verb="question.created",
                    target_type=ct_q,
                    target_id=q.pk,
                    community_id=c.pk,
                    created_at=q.created_at,
                )
            )
            for _ in range(rng.choice((0, 1, 1, 2, 2))):
                at = q.created_at + timedelta(minutes=rng.randint(5, 4000))
                replies.append(
                    Reply(
                        conversation=q,
                        author=rng.choice(users),
                        body="r",
                        body_html="<p>r</p>",
                        created_at=at,
                        updated_at=at,
                    )
                )
        replies = Reply.objects.bulk_create(replies)
        for r in replies:
            acts.append(
                Activity(
                    actor=r.author,
                    verb="reply.created",
                    target_type=ct_r,
                    target_id=r.pk,
                    community_id=c.pk,
                    created_at=r.created_at,
                )
            )
        Activity.objects.bulk_create(acts, batch_size=2000)
        print(f"  {start + len(convs)} questions", file=sys.stderr)
    # Counters and solutions in two statements: the first answer of about
    # 70 % of the answered questions is accepted.
    conv, reply = Conversation._meta.db_table, Reply._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {conv} SET reply_count = (SELECT COUNT(*) FROM "
            f"{reply} r WHERE r.conversation_id = {conv}.id)"
        )
        cursor.execute(
            f"UPDATE {conv} SET accepted_reply_id = (SELECT MIN(r.id) "
            f"FROM {reply} r WHERE r.conversation_id = {conv}.id) "
            f"WHERE id % 10 < 7"
        )
    arts = []
    for i in range(2000):
        at = past()
        arts.append(
            Artifact(
                community=c,
                title=f"Artifact {i}",
                body="a",
                body_html="<p>a</p>",
                status="published",
                created_at=at,
                updated_at=at,
                verified_until=at + timedelta(days=180),
            )
        )
    Artifact.objects.bulk_create(arts)
    return c, users[0]


def measure(path: str, user: Any) -> dict[str, Any]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the first request computes everything
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    with CaptureQueriesContext(connection) as first_ctx:
        first = time.perf_counter()
        r = client.get(path)
        cold = time.perf_counter() - first
    assert r.status_code == 200, r.status_code
    times = []
    for _ in range(TIMED):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - t)
    slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    return {
        "path": path,
        "first_ms": round(cold * 1000),
        "first_queries": len(first_ctx.captured_queries),
        "first_sql_ms": round(
            sum(float(q["time"]) for q in first_ctx.captured_queries) * 1000
        ),
        "median_ms": round(statistics.median(times) * 1000),
        "queries": len(ctx.captured_queries),
        "slowest_query_ms": round(float(slowest[0]["time"]) * 1000)
        if slowest
        else 0,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument(
        "--keep", metavar="DIR", help="Build the database here, keep it."
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(args.keep or tmp)
        where.mkdir(parents=True, exist_ok=True)
        db = where / "analytics-bench.sqlite3"
        fresh = not db.exists()
        setup(db)
        from practica.accounts.models import User
        from practica.communities.models import Community

        t = time.perf_counter()
        if fresh:
            c, coord = build(args.questions, random.Random(7))
            print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        else:
            c = Community.objects.get(slug="bench")
            coord = User.objects.get(email="u0@bench.example")
        for path in (
            f"/c/{c.slug}/health/",
            f"/c/{c.slug}/health/?period=week",
            f"/api/v1/communities/{c.slug}/health",
            f"/c/{c.slug}/health/people/",
        ):
            print(measure(path, coord))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
