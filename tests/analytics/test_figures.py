"""Each health figure on hand-built history where the right number is
known. ``NOW`` lies in the past so that what the services record at the
real now falls outside every period."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from practica.analytics import figures
from practica.analytics.models import Period
from practica.communities.models import Membership, Role, Status
from practica.repertoire.models import Artifact
from tests.analytics.factories import artifact, at, happened, question
from tests.factories import CommunityFactory, UserFactory, member

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)  # a Sunday
BERLIN = ZoneInfo("Europe/Berlin")
LA = ZoneInfo("America/Los_Angeles")
UTCZ = ZoneInfo("UTC")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_month_buckets_are_the_twelve_complete_months_in_the_zone():
    bs = figures.buckets(Period.MONTH, BERLIN, NOW)
    assert len(bs) == 12
    assert bs[0].start == datetime(2025, 3, 1, tzinfo=BERLIN)
    assert bs[-1].start == datetime(2026, 2, 1, tzinfo=BERLIN)
    assert bs[-1].end == datetime(2026, 3, 1, tzinfo=BERLIN)
    # Berlin's midnight on 1 March is 23:00 UTC the day before.
    assert bs[-1].end.astimezone(UTC) == utc(2026, 2, 28, 23)


def test_week_buckets_start_on_monday_and_follow_daylight_saving():
    bs = figures.buckets(Period.WEEK, BERLIN, datetime(2026, 4, 1, tzinfo=UTC))
    assert [b.start.weekday() for b in bs] == [0] * 12
    # The week of the change to summer time (29 March 2026) is 167 hours.
    week = next(b for b in bs if b.first_day == date(2026, 3, 23))
    assert (week.end - week.start) == timedelta(days=7)
    assert week.end.astimezone(UTC) - week.start.astimezone(UTC) == (
        timedelta(hours=167)
    )


def test_now_just_after_midnight_local_is_already_the_next_period():
    # 23:30 UTC on 31 Jan is 00:30 on 1 Feb in Berlin: January is over
    # there, not yet in UTC.
    moment = utc(2026, 1, 31, 23, 30)
    assert figures.buckets(Period.MONTH, BERLIN, moment)[-1].first_day == (
        date(2026, 1, 1)
    )
    assert figures.buckets(Period.MONTH, UTCZ, moment)[-1].first_day == (
        date(2025, 12, 1)
    )


@pytest.mark.django_db
def test_a_question_at_a_period_edge_counts_in_the_viewers_zone():
    c = CommunityFactory()
    asker = member(c)
    # 23:30 UTC on 31 January: February in Berlin, still January in UTC
    # and in Los Angeles (15:30).
    question(asker, c, utc(2026, 1, 31, 23, 30))
    for zone, month in ((BERLIN, 2), (UTCZ, 1), (LA, 1)):
        bs = figures.buckets(Period.MONTH, zone, NOW)
        got = figures.question_series([c.pk], bs)["asked"]
        labels = [b.first_day.month for b in bs]
        assert got[labels.index(month)] == 1, zone
        assert sum(got) == 1


@pytest.mark.django_db
def test_questions_answered_solved_and_their_shares():
    c = CommunityFactory()
    asker, helper = member(c), member(c)
    feb = utc(2026, 2, 10, 9)
    question(asker, c, feb, [(helper, feb + timedelta(hours=2))], accept=0)
    question(asker, c, feb, [(helper, feb + timedelta(hours=5))])
    question(asker, c, feb)
    question(asker, c, feb, kind="discussion")  # not a question
    question(asker, c, utc(2026, 1, 5))
    f = figures.compute([c.pk], period=Period.MONTH, tz=UTCZ, now=NOW)
    assert f.get("asked").values[-2:] == [1, 3]
    assert f.get("answered_share").current == pytest.approx(2 / 3)
    assert f.get("solved_share").current == pytest.approx(1 / 3)
    assert f.get("answered_share").previous == 0
    assert f.get("asked").change == 2
    assert f.get("asked").change_pct == 200
    assert f.get("solved_share").values[0] is None  # nothing asked


def _four_questions(c, asker, helper):
    """Answered after 1, 3, 10 and 20 hours; solved after 3 and 20.

    The asker's own reply (after 30 minutes) is not a first answer."""
    base = utc(2026, 2, 2, 8)
    for i, hours in enumerate((1, 3, 10, 20)):
        asked = base + timedelta(days=i)
        question(
            asker,
            c,
            asked,
            [
                (asker, asked + timedelta(minutes=30)),
                (helper, asked + timedelta(hours=hours)),
            ],
            accept=1 if hours in (3, 20) else None,
        )
    # One more in January, answered after 7 hours.
    jan = utc(2026, 1, 20, 8)
    question(asker, c, jan, [(helper, jan + timedelta(hours=7))])


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["window", "percentile"])
def test_median_hours_to_first_answer_and_to_solution(method):
    if method == "percentile" and connection.vendor != "postgresql":
        pytest.skip("percentile_cont is PostgreSQL's")
    c = CommunityFactory()
    asker, helper = member(c), member(c)
    _four_questions(c, asker, helper)
    bs = figures.buckets(Period.MONTH, UTCZ, NOW)
    first = figures.medians([c.pk], bs, "first_answer", method=method)
    solved = figures.medians([c.pk], bs, "solution", method=method)
    assert first[-1] == pytest.approx(6.5)  # (3 + 10) / 2
    assert first[-2] == pytest.approx(7)  # one question: its own time
    assert first[:-2] == [None] * 10
    assert solved[-1] == pytest.approx(11.5)  # (3 + 20) / 2
    assert solved[-2] is None


@pytest.mark.django_db
def test_median_of_an_odd_count_is_the_middle_one():
    c = CommunityFactory()
    asker, helper = member(c), member(c)
    base = utc(2026, 2, 2, 8)
    for i, hours in enumerate((9, 1, 4)):
        asked = base + timedelta(days=i)
        question(asker, c, asked, [(helper, asked + timedelta(hours=hours))])
    bs = figures.buckets(Period.MONTH, UTCZ, NOW)
    assert figures.medians([c.pk], bs, "first_answer")[-1] == 4


@pytest.mark.django_db
def test_active_members_are_distinct_actors_per_period():
    c, other = CommunityFactory(), CommunityFactory()
    a, b, d = UserFactory(), UserFactory(), UserFactory()
    week = utc(2026, 3, 3, 10)  # the week of Monday 2 March
    happened(a, c, week)
    happened(a, c, week + timedelta(days=1))
    happened(b, c, week + timedelta(days=2))
    happened(d, other, week)  # another community
    happened(None, c, week)  # a system action: no actor
    happened(b, c, utc(2026, 2, 24))  # the week before
    bs = figures.buckets(Period.WEEK, UTCZ, NOW)
    got = figures.activity_series([c.pk], bs)
    assert got["active"][-2:] == [1, 2]
    both = figures.activity_series([c.pk, other.pk], bs)
    assert both["active"][-1] == 3


@pytest.mark.django_db
def test_members_joined_left_at_period_end_and_cohorts():
    c = CommunityFactory()
    jan, feb = utc(2026, 1, 10), utc(2026, 2, 10)

    def joined(when, status=Status.ACTIVE, left=None):
        u = member(c, status=status, joined_at=when)
        m = Membership.objects.get(user=u, community=c)
        if left:
            Membership.objects.filter(pk=m.pk).update(updated_at=left)
        return u

    joined(jan)
    joined(jan, Status.LEFT, left=feb)  # joined Jan, left Feb
    joined(jan, Status.REMOVED, left=utc(2026, 1, 20))  # left Jan
    joined(feb)
    joined(feb, Status.LEFT, left=utc(2026, 3, 2))  # left after the year
    member(c, status=Status.PENDING, joined_at=None)  # never joined
    bs = figures.buckets(Period.MONTH, UTCZ, NOW)
    got = figures.member_series([c.pk], bs)
    assert got["joined"][-2:] == [3, 2]
    assert got["left"][-2:] == [1, 1]
    # End of Jan: 3 joined, 1 removed → 2; end of Feb: 2 + 2 - 1 = 3.
    assert got["members"][-2:] == [2, 3]
    cohorts = figures.cohorts([c.pk], bs, Period.MONTH)
    jan_c, feb_c = cohorts[-2], cohorts[-1]
    assert (jan_c.joined, jan_c.stayed, jan_c.left) == (3, 1, 2)
    assert jan_c.retention == pytest.approx(1 / 3)
    assert (feb_c.joined, feb_c.stayed, feb_c.left) == (2, 1, 1)
    assert cohorts[0].retention is None


@pytest.mark.django_db
def test_artifacts_created_verified_and_expired():
    c = CommunityFactory()
    owner = member(c, Role.COORDINATOR)
    a1 = at(artifact(owner, c), utc(2026, 2, 3))
    at(artifact(owner, c, status="draft"), utc(2026, 2, 3))  # a draft
    a3 = at(artifact(owner, c), utc(2026, 1, 3))
    # a1 ran out in February; a3 is verified until after NOW.
    Artifact.objects.filter(pk=a1.pk).update(verified_until=utc(2026, 2, 20))
    Artifact.objects.filter(pk=a3.pk).update(verified_until=utc(2026, 5, 1))
    happened(owner, c, utc(2026, 2, 5), verb="artifact.verified")
    happened(owner, c, utc(2026, 2, 6), verb="artifact.verified")
    f = figures.compute([c.pk], period=Period.MONTH, tz=UTCZ, now=NOW)
    assert f.get("artifacts_created").values[-2:] == [1, 1]
    assert f.get("artifacts_expired").values[-2:] == [0, 1]
    assert f.get("artifacts_verified").values[-2:] == [0, 2]
    assert f.now["artifacts"] == 3 - 1
    assert f.now["expired"] == 1
    assert f.now["verified"] == 1


@pytest.mark.django_db
def test_backlog_counts_open_unanswered_questions_by_age():
    c = CommunityFactory()
    asker, helper = member(c), member(c)
    now = NOW
    question(asker, c, now - timedelta(hours=3))
    question(asker, c, now - timedelta(days=3))
    question(asker, c, now - timedelta(days=40))
    question(asker, c, now - timedelta(days=50), [(helper, now)])  # answered
    snap = figures.snapshot([c.pk], now)
    assert snap["unanswered"] == 3
    assert snap["older_than_day"] == 2
    assert snap["older_than_week"] == 1
    assert snap["older_than_month"] == 1
    assert snap["oldest_days"] == 40.0
    assert snap["members"] == 2


@pytest.mark.django_db
def test_an_empty_community_has_zeros_and_no_medians():
    c = CommunityFactory()
    f = figures.compute([c.pk], period=Period.WEEK, tz=BERLIN, now=NOW)
    assert f.is_empty
    assert f.get("asked").values == [0] * 12
    assert f.get("first_answer_hours").values == [None] * 12
    assert f.now["oldest_days"] is None
    assert figures.compute([], period="month", tz=BERLIN, now=NOW).is_empty
