"""How fast digests are composed and sent, at 10 000 people.

Builds a throwaway SQLite database (in a temporary directory, removed
afterwards) with an organisation of ``--people`` people in 40
communities: memberships and coordinators, followed tags, a fortnight of
questions (half unanswered), accepted solutions, artifacts due for
review, sessions people said they are going to and new members. Then
makes everyone's weekly digest due and times one digest run (compose,
write, send to Django's in-memory mail backend), counting its queries.

    .venv/bin/python bench/digest.py                 # 10 000 people
    .venv/bin/python bench/digest.py --people 2000 --batch 250

Prints people/s and queries per batch; the numbers go into
docs/performance.md.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZONES = [
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Sydney",
    "UTC",
]


def _setup(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'digest.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
    os.environ.setdefault("PRACTICA_DATA_DIR", str(folder))
    os.environ.setdefault("EMAIL_URL", "memory:")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # A worker imports the URLconf once, at its first task; not timed.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018


def build(people: int, rng: random.Random) -> dict[str, int]:
    """The organisation, written with bulk inserts."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from practica.accounts.models import User
    from practica.communities.models import (
        Community,
        Membership,
        Role,
        Status,
        Visibility,
    )
    from practica.conversations.models import Conversation, Tag
    from practica.core.models import Activity
    from practica.events.models import Event, Occurrence, Rsvp
    from practica.notifications.models import Follow
    from practica.repertoire.models import Artifact

    now = timezone.now()
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"person{i}@example.org",
                display_name=f"Person {i}",
                handle=f"person-{i}",
                time_zone=rng.choice(ZONES),
                password=password,
            )
            for i in range(people)
        ],
        batch_size=2000,
    )
    visibilities = [Visibility.PUBLIC, Visibility.ORGANISATION]
    communities = Community.objects.bulk_create(
        [
            Community(
                name=f"Community {i}",
                slug=f"community-{i}",
                tagline="Practitioners sharing what works.",
                visibility=(
                    Visibility.PRIVATE
                    if i % 8 == 0
                    else rng.choice(visibilities)
                ),
            )
            for i in range(40)
        ]
    )
    tags = Tag.objects.bulk_create(
        [
            Tag(
                community=c, name=f"Topic {c.pk}-{j}", slug=f"topic-{c.pk}-{j}"
            )
            for c in communities
            for j in range(8)
        ]
    )
    by_community: dict[int, list[Tag]] = {}
    for t in tags:
        by_community.setdefault(t.community_id, []).append(t)
    members: dict[int, list[int]] = {c.pk: [] for c in communities}
    rows = []
    for u in users:
        for c in rng.sample(communities, rng.choice([1, 1, 2, 3])):
            joined = now - timedelta(days=rng.uniform(0, 400))
            rows.append(
                Membership(
                    user=u,
                    community=c,
                    role=Role.COORDINATOR
                    if len(members[c.pk]) < 3
                    else Role.MEMBER,
                    status=Status.ACTIVE,
                    joined_at=joined,
                )
            )
            members[c.pk].append(u.pk)
    Membership.objects.bulk_create(rows, batch_size=5000)
    tag_ct = ContentType.objects.get_for_model(Tag)
    Follow.objects.bulk_create(
        [
            Follow(user=u, target_type=tag_ct, target_id=t.pk)
            for u in users
            if rng.random() < 0.3
            for t in rng.sample(tags, rng.choice([1, 2]))
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    questions = []
    for c in communities:
        for _ in range(150):
            chosen = rng.sample(by_community[c.pk], rng.choice([0, 1, 2]))
            answered = rng.random() < 0.5
            questions.append(
                Conversation(
                    community=c,
                    author_id=rng.choice(members[c.pk] or [users[0].pk]),
                    title=f"How do we keep line {rng.randint(1, 99)} "
                    f"running after change {rng.randint(1, 9999)}?",
                    body="What we tried, and what happened.",
                    body_html="<p>What we tried, and what happened.</p>",
                    tag_names=[t.name for t in chosen],
                    reply_count=rng.randint(1, 5) if answered else 0,
                    last_activity_at=now,
                )
            )
    questions = Conversation.objects.bulk_create(questions, batch_size=2000)
    for q in questions:
        q.created_at = now - timedelta(days=rng.uniform(0, 14))
    Conversation.objects.bulk_update(
        questions, ["created_at"], batch_size=2000
    )
    conv_ct = ContentType.objects.get_for_model(Conversation)
    Activity.objects.bulk_create(
        [
            Activity(
                verb="reply.accepted",
                target_type=conv_ct,
                target_id=q.pk,
                community_id=q.community_id,
                summary=q.title,
                data={"conversation": q.pk},
            )
            for q in questions
            if q.reply_count and rng.random() < 0.3
        ],
        batch_size=2000,
    )
    artifacts = Artifact.objects.bulk_create(
        [
            Artifact(
                community=c,
                title=f"Routine {c.pk}-{j}",
                body="Step by step.",
                body_html="<p>Step by step.</p>",
                status="published",
                verified_until=rng.choice(
                    [
                        None,
                        now - timedelta(days=rng.randint(1, 60)),
                        now + timedelta(days=rng.randint(1, 13)),
                        now + timedelta(days=rng.randint(15, 200)),
                    ]
                ),
            )
            for c in communities
            for j in range(60)
        ],
        batch_size=2000,
    )
    through = Artifact.owners.through
    through.objects.bulk_create(
        [
            through(artifact_id=a.pk, user_id=owner)
            for a in artifacts
            for owner in rng.sample(
                members[a.community_id], min(2, len(members[a.community_id]))
            )
        ],
        batch_size=5000,
    )
    events = Event.objects.bulk_create(
        [
            Event(
                community=c,
                title=f"Problem-solving hour {c.pk}",
                starts_at=now + timedelta(days=rng.uniform(0.5, 6)),
            )
            for c in communities
        ]
    )
    occurrences = Occurrence.objects.bulk_create(
        [
            Occurrence(
                event=e,
                original_start=e.starts_at,
                starts_at=e.starts_at,
                ends_at=e.starts_at + timedelta(hours=1),
            )
            for e in events
        ]
    )
    Rsvp.objects.bulk_create(
        [
            Rsvp(occurrence=o, user_id=uid, status="going")
            for o in occurrences
            for uid in rng.sample(
                members[o.event.community_id],
                min(30, len(members[o.event.community_id])),
            )
        ],
        batch_size=5000,
    )
    return {
        "people": len(users),
        "memberships": len(rows),
        "questions": len(questions),
        "artifacts": len(artifacts),
    }


def run(batch: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from practica.notifications import digests
    from practica.notifications.models import Frequency, Preference

    now = timezone.now()
    digests.ensure_preferences(now=now)
    Preference.objects.update(
        digest=Frequency.WEEKLY,
        next_digest_at=now - timedelta(minutes=1),
        last_digest_at=now - timedelta(days=7),
    )
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        cpu = time.process_time()
        stats = digests.run(now=now, batch=batch)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    from django.core import mail

    return {
        "people": stats.people,
        "digests": stats.digests,
        "sent": stats.sent,
        "outbox": len(getattr(mail, "outbox", [])),
        "batches": stats.batches,
        "seconds": seconds,
        "people_per_s": stats.people / seconds if seconds else 0.0,
        # On a shared machine wall time waits for the CPU; this does not.
        "cpu": cpu,
        "people_per_cpu_s": stats.people / cpu if cpu else 0.0,
        "queries": len(queries),
        "queries_per_batch": len(queries) / max(stats.batches, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--keep", action="store_true", help="Keep the database afterwards."
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="practica-digest-"))
    try:
        _setup(folder)
        started = time.perf_counter()
        built = build(args.people, random.Random(args.seed))
        print(f"Built {built} in {time.perf_counter() - started:.1f} s")
        r = run(args.batch)
        print(
            f"Digest run: {r['people']} people in {r['batches']} batches of "
            f"{args.batch}: {r['digests']} digests composed, {r['sent']} "
            f"sent ({r['outbox']} in the in-memory outbox) in "
            f"{r['seconds']:.1f} s = {r['people_per_s']:.0f} people/s "
            f"({r['cpu']:.1f} s of CPU = {r['people_per_cpu_s']:.0f} "
            "people per CPU second); "
            f"{r['queries']} queries, {r['queries_per_batch']:.1f} per batch."
        )
    finally:
        if args.keep:
            print(f"Database kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
