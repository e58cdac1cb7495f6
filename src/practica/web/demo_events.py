"""The demo organisation's rhythm: events in every demo community.

Each community gets a recurring session (a weekly problem-solving clinic,
a fortnightly reading group, a monthly managers' meeting...) that began
some weeks ago, and a guest talk or workshop to come. Past occurrences
carry RSVPs, attendance, problems brought in advance and notes (What? So
what? Now what?) with action items; one past session was cancelled, one
notes page became a repertoire draft; upcoming ones have RSVPs, one is
full with a wait list and one was moved.

Built through the events services, except the RSVPs of past occurrences,
which the service (rightly) refuses and which are written directly.
Idempotent: an event that exists (same community and title) is left as
it is. ``load`` is wired into ``practica demo`` after the communities.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community, Membership
from practica.communities.models import Status as MemberStatus
from practica.events import services
from practica.events.models import (
    Event,
    Kind,
    Occurrence,
    Problem,
    Rsvp,
    RsvpStatus,
)
from practica.web.demo import COMMUNITIES, DOMAIN

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Series:
    slug: str
    title: str
    kind: str
    weekday: int  # 0 = Monday
    hour: int
    every: str  # weekly, biweekly, monthly (the nth weekday)
    since_weeks: int
    duration: int = 60
    capacity: int | None = None
    location: str = ""
    online: str = ""
    description: str = ""
    agenda: str = ""


@dataclass(frozen=True)
class OneOff:
    slug: str
    title: str
    kind: str
    in_days: int
    hour: int
    duration: int = 60
    capacity: int | None = None
    location: str = ""
    online: str = ""
    description: str = ""


SERIES: tuple[Series, ...] = (
    Series(
        "safety-quality",
        "Safety & quality clinic",
        Kind.PROBLEM_SOLVING,
        weekday=1,
        hour=15,
        every="weekly",
        since_weeks=9,
        capacity=12,
        location="Stuttgart, building 2, room Kaizen",
        online="https://meet.practica.example/sq-clinic",
        description="Bring an open safety or quality problem: a "
        "near miss, a defect that keeps coming back, an audit finding. "
        "We work on two or three per session with the 8D questions.",
        agenda="1. Actions from last time (5 min)\n2. Problems brought "
        "in advance, 15 min each\n3. What goes to the repertoire",
    ),
    Series(
        "new-hires",
        "New hires coffee",
        Kind.INFORMAL_MEETUP,
        weekday=3,
        hour=10,
        every="biweekly",
        since_weeks=10,
        duration=30,
        online="https://meet.practica.example/new-hires",
        description="Half an hour to meet other new colleagues and ask "
        "the questions you did not dare to ask in your team.",
    ),
    Series(
        "process-improvement",
        "Kaizen problem-solving hour",
        Kind.PROBLEM_SOLVING,
        weekday=2,
        hour=14,
        every="weekly",
        since_weeks=8,
        capacity=10,
        online="https://meet.practica.example/kaizen",
        description="A value-stream or a process that hurts? Bring it; we "
        "map it together and pick one countermeasure to try.",
        agenda="1. Check-in on last week's experiments\n2. Problems "
        "brought in advance\n3. One countermeasure each",
    ),
    Series(
        "remote-site-ops",
        "Site leads' sync",
        Kind.FORMAL_MEETING,
        weekday=0,
        hour=16,
        every="biweekly",
        since_weeks=12,
        online="https://meet.practica.example/site-ops",
        description="Every other Monday: what each site learnt in two "
        "weeks, and what another site can reuse.",
    ),
    Series(
        "ml-reading-group",
        "Paper of the fortnight",
        Kind.WORKSHOP,
        weekday=3,
        hour=17,
        every="biweekly",
        since_weeks=12,
        duration=75,
        online="https://meet.practica.example/ml-papers",
        description="One paper, read beforehand; one person presents, we "
        "discuss what we could use at work.",
    ),
    Series(
        "platform-practice",
        "Platform office hours",
        Kind.PROBLEM_SOLVING,
        weekday=4,
        hour=11,
        every="weekly",
        since_weeks=8,
        capacity=8,
        online="https://meet.practica.example/platform",
        description="Stuck with a pipeline, a cluster or an on-call "
        "habit? The platform practice works through it with you.",
    ),
    Series(
        "leadership-circle",
        "Monthly managers' meeting: a problem and its solution",
        Kind.PROBLEM_SOLVING,
        weekday=2,
        hour=8,
        every="monthly",
        since_weeks=22,
        duration=90,
        location="Headquarters, board room 1",
        description="Each manager shares one problem from the month and "
        "how they solved it (or did not). Confidential to the circle.",
        agenda="1. Round: a problem and its solution (5 min each)\n2. "
        "One problem in depth\n3. What we take back to our teams",
    ),
    Series(
        "support-craft",
        "Tricky tickets review",
        Kind.PROBLEM_SOLVING,
        weekday=1,
        hour=13,
        every="weekly",
        since_weeks=7,
        capacity=15,
        online="https://meet.practica.example/support",
        description="The week's hardest tickets, anonymised: what the "
        "customer needed, what we tried, what finally worked.",
    ),
)

ONE_OFFS: tuple[OneOff, ...] = (
    OneOff(
        "safety-quality",
        "Guest talk: functional safety in collaborative robots",
        Kind.GUEST_TALK,
        in_days=12,
        hour=16,
        capacity=40,
        location="Stuttgart, auditorium",
        online="https://meet.practica.example/cobots",
        description="Dr. Elena Ruiz (TÜV) on ISO 10218 and what auditors "
        "look at when a cobot shares a workstation with people.",
    ),
    OneOff(
        "process-improvement",
        "Workshop: value-stream mapping in a day",
        Kind.WORKSHOP,
        in_days=19,
        hour=9,
        duration=420,
        capacity=3,
        location="Kraków plant, training room",
        description="Hands-on: map the final assembly value stream and "
        "find the three biggest waits.",
    ),
    OneOff(
        "ml-reading-group",
        "Guest talk: evaluating LLM features in production",
        Kind.GUEST_TALK,
        in_days=9,
        hour=17,
        online="https://meet.practica.example/llm-evals",
        description="How the search team measures answer quality weekly.",
    ),
    OneOff(
        "platform-practice",
        "Guest talk: a year of platform SLOs",
        Kind.GUEST_TALK,
        in_days=16,
        hour=15,
        online="https://meet.practica.example/slo-year",
        description="What changed when every platform service got an SLO.",
    ),
    OneOff(
        "new-hires",
        "Welcome breakfast",
        Kind.INFORMAL_MEETUP,
        in_days=6,
        hour=9,
        location="Cafeteria, ground floor",
    ),
)

PROBLEMS = (
    ("Repeat defect after the supplier change", "Same failure three "
     "times this month; the 5 whys stop at 'supplier'."),
    ("Handover loses information between shifts", "The evening shift "
     "keeps rediscovering what the morning shift already knew."),
    ("Checklist nobody reads any more", "It grew to four pages; people "
     "tick it without looking."),
    ("Alert fatigue on the night rota", "Forty alerts a night, two of "
     "them real."),
    ("A customer escalation that bounced between teams", "Nobody owned "
     "it for nine days."),
    ("New joiners cannot find the right person to ask", ""),
    ("Measurement results differ between the two gauges", "Gauge R&R "
     "looks fine on paper."),
)  # fmt: skip

NOTES = (
    (
        "We worked through {n} problems. The first turned out to be a "
        "**handover** gap rather than a technical fault.",
        "Most of our repeat problems start where one team hands work to "
        "another; we look too late at the seams.",
        "Try a five-minute standing handover for two weeks and compare.",
    ),
    (
        "{n} people brought problems; we went deep on one and sketched "
        "the countermeasure together.",
        "A small experiment with a clear check beats a long discussion.",
        "Run the experiment, bring the numbers next time.",
    ),
    (
        "Good turnout; the discussion kept coming back to what we measure "
        "and why.",
        "We measure what is easy, not what tells us the process is healthy.",
        "Each of us picks one measure to retire and one to add.",
    ),
)

ACTIONS = (
    "Write the handover checklist as a one-pager",
    "Share the countermeasure with the other sites",
    "Book a follow-up with the supplier",
    "Put the example in the repertoire",
    "Ask the night rota which alerts they would delete",
)


def _email(key: str) -> str:
    return f"{key}@{DOMAIN}"


def _first_on(weekday: int, weeks_back: int, today: date) -> date:
    start = today - timedelta(weeks=weeks_back)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _rule(s: Series, first: date) -> str:
    day = WEEKDAYS[s.weekday]
    if s.every == "weekly":
        return f"FREQ=WEEKLY;BYDAY={day}"
    if s.every == "biweekly":
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    nth = min((first.day - 1) // 7 + 1, 4)
    return f"FREQ=MONTHLY;BYDAY={nth}{day}"


def _members(community: Community) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            community=community, status=MemberStatus.ACTIVE
        )
        .select_related("user")
        .order_by("user__email")
    ]


def _past_rsvp(row: Occurrence, person: User, status: str) -> None:
    """RSVPs of an occurrence that has happened (the service refuses
    them, rightly, so the demo writes them)."""
    _, made = Rsvp.objects.get_or_create(
        occurrence=row, user=person, defaults={"status": status}
    )
    if made:
        field = "going_count" if status == RsvpStatus.GOING else "maybe_count"
        Occurrence.objects.filter(pk=row.pk).update(**{field: F(field) + 1})


class _Loader:
    def __init__(self) -> None:
        self.rng = random.Random(6)  # noqa: S311 - demo data, not secrets
        self.now = timezone.now()
        self.counts = {
            "events": 0,
            "rsvps": 0,
            "attended": 0,
            "problems": 0,
            "notes": 0,
        }

    def series(self, s: Series) -> None:
        community = Community.objects.filter(slug=s.slug).first()
        if community is None:
            return
        if Event.objects.filter(community=community, title=s.title).exists():
            return
        data = next(c for c in COMMUNITIES if c.slug == s.slug)
        hosts = list(
            User.objects.filter(
                email__in=[_email(k) for k in data.coordinators]
            )
        )
        if not hosts:
            return
        host = hosts[0]
        zone = ZoneInfo(host.time_zone or "UTC")
        today = self.now.astimezone(zone).date()
        first = _first_on(s.weekday, s.since_weeks, today)
        if s.every == "monthly":  # the 2nd weekday of its month
            first = first.replace(day=1)
            first += timedelta(days=(s.weekday - first.weekday()) % 7 + 7)
        event = services.event_create(
            actor=host,
            community=community,
            title=s.title,
            kind=s.kind,
            description=s.description,
            agenda=s.agenda,
            hosts=hosts,
            online_url=s.online,
            location=s.location,
            time_zone=zone.key,
            start=datetime.combine(first, time(s.hour)),
            duration=s.duration,
            rrule=_rule(s, first),
            capacity=s.capacity,
        )
        self.counts["events"] += 1
        members = _members(community)
        past = event.starts_between(event.starts_at, self.now)
        cancelled = past[len(past) // 2] if len(past) > 3 else None
        for n, start in enumerate(past):
            if start == cancelled:
                self._cancelled_past(event, start)
                continue
            self._past(event, start, members, host, n)
        coming = event.starts_between(self.now, self.now + timedelta(60))
        for n, start in enumerate(coming[:3]):
            self._upcoming(event, start, members, host, n)

    def _cancelled_past(self, event: Event, start: datetime) -> None:
        row = services.occurrence_for(event, start)
        row.cancelled = True
        row.reason = "Plant holiday: most of us were away."
        row.save(update_fields=["cancelled", "reason"])

    def _past(
        self,
        event: Event,
        start: datetime,
        members: list[User],
        host: User,
        n: int,
    ) -> None:
        rng = self.rng
        cap = event.capacity or len(members)
        size = min(cap, len(members), rng.randint(4, 10))
        going = rng.sample(members, size)
        row = services.occurrence_for(event, start)
        for person in going:
            _past_rsvp(row, person, RsvpStatus.GOING)
        self.counts["rsvps"] += len(going)
        if event.kind == Kind.PROBLEM_SOLVING:
            for title, body in rng.sample(PROBLEMS, rng.randint(1, 3)):
                Problem.objects.create(
                    occurrence=row,
                    author=rng.choice(going),
                    title=title,
                    body=body,
                )
                self.counts["problems"] += 1
        came = [p for p in going if rng.random() < 0.8]
        for person in came:
            services.attendance_mark(
                actor=host, event=event, original_start=start, user=person
            )
        self.counts["attended"] += len(came)
        if rng.random() < 0.75 or n == 0:
            what, so_what, now_what = rng.choice(NOTES)
            actions = [
                {
                    "text": text,
                    "owner": rng.choice(came or going).pk,
                    "due": (start + timedelta(days=14)).date(),
                    "done": (self.now - start) > timedelta(days=14),
                }
                for text in rng.sample(ACTIONS, rng.randint(1, 3))
            ]
            row = services.notes_save(
                actor=host,
                event=event,
                original_start=start,
                what=what.format(n=rng.randint(2, 4)),
                so_what=so_what,
                now_what=now_what,
                actions=actions,
            )
            self.counts["notes"] += 1
            if n == 0:
                services.notes_to_artifact(actor=host, occurrence=row)

    def _upcoming(
        self,
        event: Event,
        start: datetime,
        members: list[User],
        host: User,
        n: int,
    ) -> None:
        rng = self.rng
        cap = event.capacity or 8
        # The next session fills up (a wait list where there are seats).
        size = min(len(members), cap + 2 if n == 0 else rng.randint(2, 6))
        for person in rng.sample(members, size):
            services.event_rsvp(
                user=person,
                event=event,
                original_start=start,
                status=RsvpStatus.GOING
                if rng.random() < 0.85
                else RsvpStatus.MAYBE,
            )
            self.counts["rsvps"] += 1
        if event.kind == Kind.PROBLEM_SOLVING and n == 0:
            for title, body in rng.sample(PROBLEMS, 2):
                services.problem_submit(
                    author=rng.choice(members),
                    event=event,
                    original_start=start,
                    title=title,
                    body=body,
                )
                self.counts["problems"] += 1
        if n == 2:
            local = start.astimezone(event.zone).replace(tzinfo=None)
            services.occurrence_move(
                actor=host,
                event=event,
                original_start=start,
                start=local + timedelta(days=1),
                reason="Moved a day: the room is taken for an audit.",
            )

    def one_off(self, o: OneOff) -> None:
        community = Community.objects.filter(slug=o.slug).first()
        if community is None:
            return
        if Event.objects.filter(community=community, title=o.title).exists():
            return
        data = next(c for c in COMMUNITIES if c.slug == o.slug)
        host = User.objects.filter(
            email__in=[_email(k) for k in data.coordinators]
        ).first()
        if host is None:
            return
        zone = ZoneInfo(host.time_zone or "UTC")
        day = self.now.astimezone(zone).date() + timedelta(days=o.in_days)
        event = services.event_create(
            actor=host,
            community=community,
            title=o.title,
            kind=o.kind,
            description=o.description,
            online_url=o.online,
            location=o.location,
            time_zone=zone.key,
            start=datetime.combine(day, time(o.hour)),
            duration=o.duration,
            capacity=o.capacity,
        )
        self.counts["events"] += 1
        members = _members(community)
        # A small workshop is over-subscribed: the last ones wait.
        size = min(len(members), (o.capacity or 12) + 2)
        for person in self.rng.sample(members, size):
            services.event_rsvp(
                user=person,
                event=event,
                original_start=event.starts_at,
                status=RsvpStatus.GOING,
            )
            self.counts["rsvps"] += 1


def load(stdout: Any = None) -> dict[str, int]:
    """Add the demo rhythm to the demo communities (in one transaction);
    returns what was added. Running it again adds nothing."""
    loader = _Loader()
    with transaction.atomic():
        for s in SERIES:
            loader.series(s)
        for o in ONE_OFFS:
            loader.one_off(o)
    if stdout is not None:
        c = loader.counts
        stdout.write(
            f"Events: {c['events']} added with {c['rsvps']} RSVPs, "
            f"{c['attended']} attendance marks, {c['problems']} problems "
            f"and {c['notes']} notes.\n"
        )
    return dict(loader.counts)
