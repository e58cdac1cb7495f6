"""``practica demo``: a believable organisation, safe to load twice."""

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.text import slugify

from practica.accounts import services as accounts
from practica.accounts.models import Endorsement, Expertise, User
from practica.communities import services as communities
from practica.communities.models import (
    Community,
    Invitation,
    Kind,
    Membership,
    Policy,
    Role,
    Status,
    Visibility,
)
from practica.conversations import selectors
from practica.conversations.models import (
    AskRequest,
    Comment,
    Conversation,
    Flag,
    Reply,
    State,
    Tag,
    Vote,
    Worked,
)
from practica.conversations.models import (
    Kind as Topic,
)
from practica.core import text
from practica.core.models import Activity
from practica.web import demo
from practica.web.demo_conversations import CONVERSATIONS, TAGS, Talk

SAFETY = "safety-quality"


def _membership(email: str, slug: str = SAFETY) -> Membership | None:
    return Membership.objects.filter(
        user__email=email, community__slug=slug
    ).first()


def _check_communities(result: dict[str, int]) -> None:
    assert result["communities"] >= 8
    assert result["departments"] >= 8
    communities = list(Community.objects.prefetch_related("departments"))
    assert {c.kind for c in communities} == set(Kind.values)
    assert {c.policy for c in communities} == set(Policy.values)
    assert {c.visibility for c in communities} == set(Visibility.values)
    for c in communities:
        assert "<h2>" in c.charter_html, c.slug
        assert c.tagline
        assert c.departments.exists(), c.slug
        active = c.memberships.filter(status=Status.ACTIVE).count()
        pending = c.memberships.filter(status=Status.PENDING).count()
        assert (c.member_count, c.pending_count) == (active, pending)
        assert c.memberships.filter(
            status=Status.ACTIVE, role=Role.COORDINATOR
        ).exists(), c.slug
    safety = Community.objects.get(slug=SAFETY)
    assert safety.policy == Policy.APPROVAL and safety.is_formal
    assert safety.visibility == Visibility.ORGANISATION
    assert safety.statement_prompt

    roles = Membership.objects.filter(status=Status.ACTIVE).values_list(
        "role", flat=True
    )
    assert set(roles) == set(Role.values)
    pending = Membership.objects.filter(status=Status.PENDING)
    assert pending.count() >= 5
    assert all(len(m.practice_statement) >= 20 for m in pending)
    approval_with_requests = (
        pending.filter(community__policy=Policy.APPROVAL)
        .values("community")
        .distinct()
        .count()
    )
    assert approval_with_requests >= 2
    declined = Membership.objects.filter(status=Status.DECLINED)
    assert declined.exists()
    assert all(m.reason for m in declined)
    assert Invitation.objects.filter(accepted_at__isnull=True).exists()


def _check_people(result: dict[str, int]) -> None:
    people = list(User.objects.filter(is_staff=False))
    assert len(people) >= 75
    introductions = [p.introduction for p in people]
    assert len(set(introductions)) == len(people)
    assert all(p.introduction_html.startswith("<p>") for p in people)
    assert all(p.department_id and p.job_title and p.location for p in people)
    zones = {p.time_zone for p in people}
    assert len(zones) >= 6
    for zone in zones:
        text.clean_time_zone(zone)
    helpers = [p for p in people if p.available_to_help]
    assert len(helpers) >= 10
    assert all(p.help_note for p in helpers)

    per_person = Expertise.objects.values("user").annotate(n=Count("pk"))
    assert len(per_person) == len(people)
    assert all(row["n"] >= 2 for row in per_person)
    assert set(
        Expertise.objects.values_list("level", flat=True).distinct()
    ) == {1, 2, 3, 4, 5}
    endorsed = Expertise.objects.annotate(n=Count("endorsements"))
    assert all(e.endorsement_count == e.n for e in endorsed)
    assert result["endorsements"] >= 200
    verified = Expertise.objects.filter(verified_at__isnull=False)
    assert verified.count() >= 20
    assert all(e.verified_by_id for e in verified)
    assert Activity.objects.filter(verb="expertise.verified").count() == (
        verified.count()
    )


def _check_sign_ins(client: Any) -> None:
    for email, _name, _role in demo.SIGN_INS:
        assert client.login(email=email, password=demo.PASSWORD), email
        client.logout()
    admin = User.objects.get(email=demo.ADMIN_EMAIL)
    assert admin.is_staff and admin.is_superuser

    def state(email: str) -> tuple[str, str] | None:
        m = _membership(email)
        return None if m is None else (m.role, m.status)

    assert state("amara@practica.example") == (
        Role.COORDINATOR,
        Status.ACTIVE,
    )
    assert state("mateus@practica.example") == (Role.CORE, Status.ACTIVE)
    assert state("priya@practica.example") == (Role.MEMBER, Status.ACTIVE)
    larissa = _membership("larissa@practica.example", "process-improvement")
    assert larissa is not None
    assert (larissa.role, larissa.status) == (Role.COORDINATOR, Status.ACTIVE)
    assert state("jonas@practica.example") == (Role.NEWCOMER, Status.PENDING)
    assert Membership.objects.filter(
        user__email="jonas@practica.example",
        role=Role.NEWCOMER,
        status=Status.ACTIVE,
    ).exists()
    assert state("lina@practica.example") is None
    assert Membership.objects.filter(
        user__email="lina@practica.example", status=Status.ACTIVE
    ).exists()


def _per(rows: Any) -> dict[int, int]:
    return dict(rows)


def _check_counters() -> None:
    """Every counter the services keep on a row matches the rows."""
    replies = _per(
        Reply.objects.values_list("conversation").annotate(n=Count("pk"))
    )
    comments = _per(
        Comment.objects.values_list("conversation").annotate(n=Count("pk"))
    )
    votes = _per(
        Vote.objects.filter(reply=None)
        .values_list("conversation")
        .annotate(n=Sum("value"))
    )
    for c in Conversation.objects.all():
        assert (c.reply_count, c.comment_count, c.score) == (
            replies.get(c.pk, 0),
            comments.get(c.pk, 0),
            votes.get(c.pk, 0),
        ), c.title
    on_reply = _per(
        Comment.objects.exclude(reply=None)
        .values_list("reply")
        .annotate(n=Count("pk"))
    )
    worked = _per(Worked.objects.values_list("reply").annotate(n=Count("pk")))
    reply_votes = _per(
        Vote.objects.exclude(reply=None)
        .values_list("reply")
        .annotate(n=Sum("value"))
    )
    for r in Reply.objects.all():
        assert (r.comment_count, r.worked_count, r.score) == (
            on_reply.get(r.pk, 0),
            worked.get(r.pk, 0),
            reply_votes.get(r.pk, 0),
        ), r.pk
    uses = _per(
        Conversation.tags.through.objects.values_list("tag").annotate(
            n=Count("pk")
        )
    )
    for tag in Tag.objects.all():
        assert tag.use_count == uses.get(tag.pk, 0), tag.name


def _check_conversations(result: dict[str, int]) -> None:
    per_community = dict(
        Conversation.objects.values_list("community__slug").annotate(
            n=Count("pk")
        )
    )
    assert set(per_community) == {c.slug for c in demo.COMMUNITIES}
    assert all(6 <= n <= 12 for n in per_community.values()), per_community
    assert 60 <= result["conversations"] <= 80
    assert result["discussions"] >= 8
    questions = Conversation.objects.filter(kind=Topic.QUESTION)
    solved = questions.filter(accepted_reply__isnull=False)
    assert 0.4 <= solved.count() / questions.count() <= 0.65
    assert all(
        c.accepted_reply.conversation_id == c.pk
        for c in solved.select_related("accepted_reply")
    )
    unanswered = questions.filter(reply_count=0, state=State.OPEN)
    assert unanswered.count() == result["unanswered"] >= 6
    assert not Conversation.objects.filter(
        kind=Topic.DISCUSSION, accepted_reply__isnull=False
    ).exists()
    assert Reply.objects.filter(from_practice=False).count() >= 5
    assert Reply.objects.exclude(experience="").count() >= 100
    assert Reply.objects.filter(score__lt=0).exists()
    assert Worked.objects.count() >= 30
    assert Comment.objects.filter(reply__isnull=False).exists()
    assert Comment.objects.filter(reply__isnull=True).exists()

    closed = Conversation.objects.filter(state=State.CLOSED)
    locked = Conversation.objects.filter(locked=True)
    assert closed.count() + locked.count() >= 2
    assert closed.exists() and locked.exists()
    assert all(c.state_reason for c in [*closed, *locked])
    duplicate = Conversation.objects.get(state=State.DUPLICATE)
    assert duplicate.duplicate_of is not None
    assert duplicate.reply_count == 0 < duplicate.duplicate_of.reply_count
    assert Flag.objects.count() >= 2
    assert AskRequest.objects.count() >= 3
    assert Tag.objects.filter(skill__isnull=False).count() >= 30
    assert Tag.objects.filter(approved=False).exists()  # a proposal

    # Spread over months, and busy old threads rise in "most active".
    now = timezone.now()
    oldest = Conversation.objects.order_by("created_at").first()
    assert oldest is not None and (now - oldest.created_at).days > 120
    assert all(
        c.created_at <= c.last_activity_at <= now
        for c in Conversation.objects.all()
    )
    newest = list(
        Conversation.objects.order_by("-created_at").values_list(
            "pk", flat=True
        )[:10]
    )
    active = list(
        Conversation.objects.order_by("-last_activity_at").values_list(
            "pk", flat=True
        )[:10]
    )
    assert newest != active
    assert not Reply.objects.filter(
        created_at__lt=timezone.now() - timezone.timedelta(days=400)
    ).exists()
    assert Reply.objects.filter(
        created_at__gt=Conversation.objects.order_by("created_at").values(
            "created_at"
        )[:1]
    ).exists()
    _check_counters()


def _check_questions_for(email: str) -> None:
    viewer = User.objects.get(email=email)
    page = selectors.questions_for_me(viewer=viewer)
    assert page.items, email
    assert any(c.reply_count == 0 for c in page.items), email


@pytest.mark.django_db
def test_demo_builds_a_believable_organisation(client):
    result = demo.build()

    _check_communities(result)
    _check_people(result)
    _check_sign_ins(client)
    _check_conversations(result)
    for email in ("priya", "mateus", "lina", "amara", "jonas"):
        _check_questions_for(f"{email}@practica.example")
    assert result["activities"] == result["added"] > 0


def _snapshot() -> dict[str, Any]:
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
    }
    rows = {
        "users": list(
            User.objects.order_by("email").values_list(
                "email", "password", "introduction", "date_joined"
            )
        ),
        "communities": list(
            Community.objects.order_by("slug").values_list(
                "slug",
                "member_count",
                "pending_count",
                "version",
                "created_at",
            )
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list(
                "user__email", "community__slug", "role", "status", "joined_at"
            )
        ),
        "expertise": list(
            Expertise.objects.order_by("pk").values_list(
                "user__email", "skill__slug", "level", "endorsement_count"
            )
        ),
        "endorsements": Endorsement.objects.aggregate(Max("pk")),
        "conversations": list(
            Conversation.objects.order_by("pk").values_list(
                "community__slug",
                "title",
                "state",
                "locked",
                "accepted_reply",
                "score",
                "reply_count",
                "comment_count",
                "view_count",
                "version",
                "created_at",
                "last_activity_at",
            )
        ),
        "replies": list(
            Reply.objects.order_by("pk").values_list(
                "conversation", "score", "worked_count", "created_at"
            )
        ),
        "tags": list(
            Tag.objects.order_by("pk").values_list(
                "community__slug", "slug", "use_count", "skill__slug"
            )
        ),
        "activity": Activity.objects.aggregate(Max("pk")),
    }
    return {"counts": counts, "rows": rows}


@pytest.mark.django_db
def test_demo_twice_changes_nothing():
    out = StringIO()
    call_command("demo", stdout=out)
    first = _snapshot()
    assert demo.PASSWORD in out.getvalue()
    for email, _name, _role in demo.SIGN_INS:
        assert email in out.getvalue()

    again = StringIO()
    call_command("demo", stdout=again)

    assert _snapshot() == first
    assert "nothing added" in again.getvalue()


@pytest.mark.django_db
def test_demo_runs_again_after_people_used_it():
    demo.build()
    amara = User.objects.get(email="amara@practica.example")
    henrik = User.objects.get(email="henrik@practica.example")
    lina = User.objects.get(email="lina@practica.example")
    safety = Community.objects.get(slug=SAFETY)
    jonas = _membership("jonas@practica.example")
    assert jonas is not None
    communities.membership_approve(actor=amara, membership=jonas)
    communities.community_join(
        user=lina,
        community=safety,
        practice_statement="Five years of support escalations on drives.",
    )
    amaras = _membership(amara.email)
    assert amaras is not None
    communities.membership_set_role(
        actor=henrik, membership=amaras, role=Role.CORE
    )
    verified = Expertise.objects.filter(
        user__email="mateus@practica.example", verified_at__isnull=False
    ).first()
    assert verified is not None
    accounts.expertise_verify(actor=henrik, expertise=verified, verified=False)
    # A conversation is deleted and someone who voted on it leaves: the
    # demo writes it again, without that vote.
    cpk = demo.CONVERSATIONS[SAFETY][4]
    assert "olumide" in cpk.up
    Conversation.objects.filter(title=cpk.title).delete()
    olumide = User.objects.get(email="olumide@practica.example")
    communities.community_leave(user=olumide, community=safety)
    # The operator deletes two accounts, one the only coordinator of a
    # community; the demo brings them back.
    User.objects.filter(
        email__in=["priya@practica.example", "larissa@practica.example"]
    ).delete()

    demo.build()

    def state(email: str) -> tuple[str, str] | None:
        m = _membership(email)
        return None if m is None else (m.role, m.status)

    assert state("jonas@practica.example") == (Role.NEWCOMER, Status.ACTIVE)
    assert state("lina@practica.example") == (Role.NEWCOMER, Status.PENDING)
    assert state(amara.email) == (Role.CORE, Status.ACTIVE)
    assert state("priya@practica.example") == (Role.MEMBER, Status.ACTIVE)
    larissa = _membership("larissa@practica.example", "process-improvement")
    assert larissa is not None
    assert (larissa.role, larissa.status) == (Role.COORDINATOR, Status.ACTIVE)
    verified.refresh_from_db()
    assert verified.verified_at is None
    again = Conversation.objects.get(community=safety, title=cpk.title)
    assert again.score == len(cpk.up) - 1
    assert not Vote.objects.filter(user=olumide, conversation=again).exists()
    assert Conversation.objects.filter(community=safety).count() == len(
        demo.CONVERSATIONS[SAFETY]
    )
    safety.refresh_from_db()
    assert (
        safety.member_count
        == safety.memberships.filter(status=Status.ACTIVE).count()
    )


def test_plan_is_the_same_every_time():
    assert demo.plan() == demo.plan()
    keys = [p.key for p in demo.PEOPLE]
    assert len(set(keys)) == len(keys)


def _check_talk(slug: str, talk: Talk, seats: dict[str, demo.Seat]) -> None:
    """Everyone in a conversation is a member of the community by then,
    nobody votes on or marks their own post, the kinds add up."""

    def joined(key: str, days_ago: float) -> None:
        seat = seats.get(key)
        assert seat is not None, (slug, talk.title, key)
        assert seat.days > days_ago, (slug, talk.title, key)

    assert text.clean_line(talk.title, field="title", max_length=200) == (
        talk.title
    )
    assert len(demo.markdown(talk.body)) >= 20
    assert 1 <= len(talk.tags) <= 5
    joined(talk.author, talk.days)
    for key in [*talk.up, *(k for k, _ in talk.asks)]:
        joined(key, talk.days)
        assert key != talk.author
    for i, remark in enumerate(talk.comments):
        joined(remark.author, talk.days - (remark.hours or 2 * i + 2) / 24)
    accepted = [a for a in talk.answers if a.accepted]
    assert len(accepted) <= (1 if talk.kind == Topic.QUESTION else 0)
    for a in talk.answers:
        days_ago = talk.days - a.hours / 24
        assert days_ago > 0
        assert len(demo.markdown(a.body)) >= 20
        joined(a.author, days_ago)
        for key in [*a.up, *a.down, *a.worked]:
            joined(key, days_ago)
            assert key != a.author, (talk.title, key)
        assert not set(a.up) & set(a.down)
        for i, remark in enumerate(a.comments):
            joined(remark.author, days_ago - (remark.hours or 2 * i + 2) / 24)
        assert len(a.experience) <= 300


def test_conversation_data_fits_the_plan():
    plan = demo.plan()
    assert (
        set(CONVERSATIONS) == set(TAGS) == {c.slug for c in demo.COMMUNITIES}
    )
    skills = {s for c in demo.COMMUNITIES for s in c.skills} | {
        s for names in demo.DEPARTMENT_SKILLS.values() for s in names
    }
    for slug, talks in CONVERSATIONS.items():
        seats = {
            s.key: s for s in plan.seats[slug]
        }  # active members, and when they joined
        titles = [t.title for t in talks]
        assert len(set(titles)) == len(titles)
        tags = {slugify(t.name) for t in TAGS[slug]}
        assert len(tags) == len(TAGS[slug])
        assert all(t.skill in skills for t in TAGS[slug] if t.skill)
        used = {slugify(name) for t in talks for name in t.tags}
        assert len(used - tags) <= 1  # at most one member's proposal
        for i, talk in enumerate(talks):
            _check_talk(slug, talk, seats)
            if talk.duplicate_of:
                assert talk.duplicate_of in titles[:i]
                assert not any(a.comments for a in talk.answers)
