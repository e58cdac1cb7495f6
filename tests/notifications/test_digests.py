from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from practica.communities.models import Role, Status
from practica.conversations import services as conversations
from practica.notifications import digests
from practica.notifications.models import (
    Delivery,
    DeliveryState,
    Digest,
    Frequency,
    Notification,
    Preference,
    Reason,
)
from practica.repertoire import services as repertoire
from tests.conversations.factories import answer, ask
from tests.factories import MembershipFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def due(*people, frequency=Frequency.DAILY, days=1):
    """Make everyone's digest due now, covering the last ``days``."""
    now = timezone.now()
    digests.ensure_preferences(now=now)
    Preference.objects.filter(user__in=people).update(
        digest=frequency,
        next_digest_at=now - timedelta(minutes=1),
        last_digest_at=now - timedelta(days=days),
    )


def test_next_due_is_the_persons_morning():
    monday_noon = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 12:00 Berlin
    assert digests.next_due(
        "daily",
        hour=8,
        weekday=0,
        time_zone="Europe/Berlin",
        after=monday_noon,
    ) == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert digests.next_due(
        "weekly",
        hour=8,
        weekday=0,
        time_zone="Europe/Berlin",
        after=monday_noon,
    ) == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert digests.next_due(
        "weekly",
        hour=8,
        weekday=2,
        time_zone="America/New_York",
        after=monday_noon,
    ) == datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    assert (
        digests.next_due(
            "off", hour=8, weekday=0, time_zone="UTC", after=monday_noon
        )
        is None
    )


def test_a_digest_gathers_what_matters_once(community, smtp_sink):
    reader = member(community, Role.COORDINATOR)
    asker, answerer = member(community), member(community)
    fresh = ask(asker, community, title="Why does the die crack in winter?")
    solved = ask(asker, community, title="Hydraulic oil smells burnt again")
    reply = answer(answerer, solved)
    conversations.reply_accept(actor=asker, reply=reply)
    artifact = repertoire.artifact_create(
        author=reader,
        community=community,
        title="Winter start-up checklist",
        body="Warm the oil first.",
        status="published",
    )
    due(reader)
    stats = digests.run()
    # only the reader is due; the others' first digest is next week
    assert (stats.people, stats.digests, stats.sent) == (1, 1, 1)
    [message] = smtp_sink.wait(1)
    assert message.envelope_to == [reader.email]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert fresh.title in text
    assert solved.title in text  # as an accepted solution
    assert text.count(solved.title) == 1  # answered: not "unanswered"
    assert artifact.title in text and "never verified" in text
    assert asker.name in text and answerer.name in text  # new members
    html = message.get_body(("html",)).get_content()
    assert f"/q/{fresh.pk}/" in html
    pref = Preference.objects.get(user=reader)
    assert pref.next_digest_at > timezone.now()
    assert Delivery.objects.get().state == DeliveryState.SENT

    # Next time: nothing repeated, so nothing sent at all.
    due(reader, days=2)
    stats = digests.run()
    assert (stats.digests, stats.sent) == (0, 0)
    assert len(smtp_sink.messages) == 1
    assert Digest.objects.count() == 1


def test_questions_from_followed_tags_outside_the_persons_communities(
    community, smtp_sink
):
    from practica.conversations.models import Tag
    from tests.notifications.factories import follow

    outsider = UserFactory()
    tag = Tag.objects.create(
        community=community, name="Presses", slug="presses"
    )
    follow(outsider, tag)
    q = ask(member(community), community, tags=["Presses"])
    ask(member(community), community, title="Untagged question about lunch")
    due(outsider)
    digests.run()
    text = smtp_sink.wait(1)[0].get_body(("plain",)).get_content()
    assert q.title in text
    assert "lunch" not in text


def test_muted_community_and_off_digest_get_nothing(community, smtp_sink):
    from tests.notifications.factories import follow

    muted, off = member(community), member(community)
    follow(muted, community, "mute")
    ask(member(community), community)
    due(muted, off)
    Preference.objects.filter(user=off).update(digest=Frequency.OFF)
    stats = digests.run()
    assert stats.digests == 0
    assert smtp_sink.messages == []


def test_empty_digests_are_skipped_but_rescheduled(user, smtp_sink):
    due(user)
    stats = digests.run()
    assert (stats.people, stats.digests) == (1, 0)
    assert Preference.objects.get(user=user).next_digest_at > timezone.now()


def test_queries_per_batch_do_not_grow_with_people(
    community, smtp_sink, django_assert_max_num_queries
):
    def crowd(n):
        people = [member(community) for _ in range(n)]
        ask(member(community), community, title=f"Fresh question for {n}")
        due(*people)
        return people

    crowd(3)
    Preference.objects.exclude(next_digest_at__lte=timezone.now()).update(
        digest=Frequency.OFF
    )
    with django_assert_max_num_queries(60) as small:
        digests.run(batch=500)
    baseline = len(small.captured_queries)
    Preference.objects.all().delete()
    crowd(12)
    Preference.objects.exclude(next_digest_at__lte=timezone.now()).update(
        digest=Frequency.OFF
    )
    with django_assert_max_num_queries(baseline):
        stats = digests.run(batch=500)
    assert stats.digests >= 12


def test_review_notices_reach_owners_once_per_due_date(community):
    owner = member(community)
    a = repertoire.artifact_create(
        author=owner,
        community=community,
        title="Die change routine",
        body="Step by step.",
        status="published",
    )
    soon = timezone.now() + timedelta(days=3)
    type(a).objects.filter(pk=a.pk).update(verified_until=soon)
    assert digests.review_notices() == 1
    assert digests.review_notices() == 0
    n = Notification.objects.get(user=owner)
    assert n.reason == Reason.REQUEST and "Review due" in n.text
    owner.refresh_from_db()
    assert owner.inbox_unread == 1
    # An owner who left the community is not asked.
    leaver = MembershipFactory(community=community, status=Status.LEFT).user
    a.owners.add(leaver)
    assert digests.review_notices() == 0


def test_sessions_they_go_to_are_in_the_digest_and_rsvp_follows(
    community, smtp_sink
):
    from practica.events import services as events
    from practica.notifications.models import Follow
    from tests.events.factories import event
    from tests.notifications.factories import fan_out

    host = member(community, Role.COORDINATOR)
    goer = member(community)
    e = event(community, host, title="Die change clinic")
    events.event_rsvp(
        user=goer, event=e, original_start=e.starts_at, status="going"
    )
    fan_out()
    assert Follow.objects.filter(user=goer, target_id=e.pk, auto=True).exists()
    due(goer)
    digests.run()
    text = smtp_sink.wait(1)[0].get_body(("plain",)).get_content()
    assert "Sessions you are going to" in text
    assert "Die change clinic" in text
    # The host cancelling it tells the goer (they follow the event).
    row = e.occurrences.get()
    events.occurrence_cancel(
        actor=host, event=e, original_start=row.original_start, reason="Ill"
    )
    fan_out()
    [n] = Notification.objects.filter(user=goer)
    assert n.verb == "occurrence.cancelled"
    assert n.url == f"/events/{e.pk}/"
