"""``practica demo``: a believable organisation, safe to load twice."""

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count, F, Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
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
from practica.repertoire import selectors as shelf
from practica.repertoire.models import (
    DUE_SOON,
    Artifact,
    ArtifactRevision,
    Freshness,
    Helped,
)
from practica.repertoire.models import Kind as ArtifactKind
from practica.repertoire.models import Status as ArtifactStatus
from practica.web import demo
from practica.web.demo_conversations import CONVERSATIONS, TAGS, Talk
from practica.web.demo_repertoire import REPERTOIRE, Piece

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


def _check_artifact_counters(artifacts: list[Artifact]) -> None:
    """Marks and revisions add up, and history runs forward in time."""
    helped = _per(
        Helped.objects.values_list("artifact").annotate(n=Count("pk"))
    )
    numbers: dict[int, list[int]] = {}
    stamps: dict[int, list[Any]] = {}
    for artifact_id, number, created_at in ArtifactRevision.objects.order_by(
        "artifact", "number"
    ).values_list("artifact", "number", "created_at"):
        numbers.setdefault(artifact_id, []).append(number)
        stamps.setdefault(artifact_id, []).append(created_at)
    now = timezone.now()
    for a in artifacts:
        assert a.helped_count == helped.get(a.pk, 0), a.title
        assert numbers[a.pk] == list(range(1, a.revision + 1)), a.title
        assert stamps[a.pk] == sorted(stamps[a.pk]), a.title
        assert stamps[a.pk][0] == a.created_at <= a.updated_at <= now
        if a.verified_at is not None:
            assert a.verified_by_id and a.verified_until
            assert a.created_at <= a.verified_at <= now, a.title
    assert not Helped.objects.filter(artifact__owners=F("user")).exists()
    assert sum(a.revision >= 3 for a in artifacts) >= 5
    assert Activity.objects.filter(verb="artifact.created").count() == len(
        artifacts
    )


def _check_captured(client: Any, artifacts: list[Artifact]) -> None:
    """Captured from a solved question, and shown as captured there: on
    the artifact's page and on the question's."""
    ct = ContentType.objects.get_for_model(Conversation)
    captured = [a for a in artifacts if a.source_type_id == ct.pk]
    assert len(captured) >= 3
    assert any(a.status == ArtifactStatus.PUBLISHED for a in captured)
    assert any(a.status == ArtifactStatus.DRAFT for a in captured)
    for a in captured:
        question = Conversation.objects.select_related("accepted_reply").get(
            pk=a.source_id
        )
        assert question.community_id == a.community_id
        assert question.accepted_reply is not None
        assert question.accepted_reply.author_id in {
            u.pk for u in a.credits.all()
        }
        first = a.revisions.get(number=1)
        assert first.title == question.title != a.title
        assert first.message == "Captured from a solved question"
        owner = a.owners.all()[0]
        assert a in shelf.captured_from(viewer=owner, conversation=question)
        url = reverse("conversations:detail", args=[question.pk])
        assert shelf.source_url(a) == url
        if a.status != ArtifactStatus.PUBLISHED:
            continue
        client.force_login(owner)
        page = client.get(url).content.decode()
        assert "Captured in:" in page and escape(a.title) in page
        page = client.get(
            reverse("repertoire:detail", args=[a.pk])
        ).content.decode()
        assert "Captured from:" in page and escape(question.title) in page
        client.logout()


def _check_repertoire(client: Any, result: dict[str, int]) -> None:
    artifacts = list(
        Artifact.objects.select_related("community", "replaced_by")
        .prefetch_related("owners")
        .order_by("pk")
    )
    assert result["artifacts"] == len(artifacts) >= 60
    published = [a for a in artifacts if a.status == ArtifactStatus.PUBLISHED]
    assert result["artifacts_published"] == len(published)
    per_community = Counter(a.community.slug for a in published)
    assert set(per_community) == {c.slug for c in demo.COMMUNITIES}
    assert all(n >= 5 for n in per_community.values()), per_community
    assert {a.kind for a in published} == set(ArtifactKind.values)
    statuses = Counter(a.status for a in artifacts)
    assert statuses[ArtifactStatus.DRAFT] >= 2
    assert statuses[ArtifactStatus.ARCHIVED] == 1
    assert sum(a.review_days is not None for a in artifacts) >= 3

    # Some verified recently, some due soon, some expired, some never.
    now = timezone.now()
    current = [a for a in published if not a.obsolete]
    states = Counter(a.freshness(now) for a in current)
    assert set(states) == set(Freshness.values), states
    assert all(n >= 3 for n in states.values()), states
    meant = {
        (slug, p.title): _freshness(p)
        for slug, pieces in REPERTOIRE.items()
        for p in pieces
    }
    for a in artifacts:
        assert a.freshness(now) == meant[(a.community.slug, a.title)]

    members = set(
        Membership.objects.filter(status=Status.ACTIVE).values_list(
            "user_id", "community_id"
        )
    )
    for a in artifacts:
        owners = a.owners.all()
        assert owners, a.title
        assert all((o.pk, a.community_id) in members for o in owners)
    assert sum(len(a.owners.all()) >= 2 for a in artifacts) >= 10

    obsolete = [a for a in artifacts if a.obsolete]
    assert obsolete
    for a in obsolete:
        assert a.obsolete_reason and a.replaced_by is not None
        assert a.replaced_by.community_id == a.community_id
        assert not a.replaced_by.obsolete

    # The demo sign-ins have something to review, and a glossary to read.
    for key in ("amara", "priya"):
        viewer = User.objects.get(email=f"{key}@practica.example")
        queue = list(shelf.review_queue(viewer=viewer))
        assert {a.freshness(now) for a in queue} & {
            Freshness.DUE,
            Freshness.EXPIRED,
        }, key
        client.force_login(viewer)
        page = client.get(reverse("repertoire:review")).content.decode()
        assert all(escape(a.title) in page for a in queue), key
        client.logout()
    amara = User.objects.get(email="amara@practica.example")
    safety = Community.objects.get(slug=SAFETY)
    glossary = shelf.glossary(viewer=amara, community=safety)
    assert sum(len(terms) for _, terms in glossary) >= 5
    assert len(glossary) >= 4  # letters worth an A-Z

    _check_artifact_counters(artifacts)
    _check_captured(client, artifacts)


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
    _check_repertoire(client, result)
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
        "artifacts": list(
            Artifact.objects.order_by("pk").values_list(
                "community__slug",
                "title",
                "status",
                "revision",
                "helped_count",
                "view_count",
                "obsolete",
                "version",
                "created_at",
                "updated_at",
                "verified_until",
            )
        ),
        "artifact_revisions": ArtifactRevision.objects.aggregate(Max("pk")),
        "helped": Helped.objects.aggregate(Max("pk")),
        "activity": list(
            Activity.objects.order_by("pk").values_list("verb", "created_at")
        ),
    }
    return {"counts": counts, "rows": rows}


def _check_history_dated() -> None:
    """The activity record is dated when things happened, not when the
    demo ran: health trends and inboxes read it."""
    for c in Conversation.objects.all():
        verb = f"{c.kind}.created"
        entry = Activity.objects.get(
            verb=verb,
            target_type=ContentType.objects.get_for_model(Conversation),
            target_id=c.pk,
        )
        assert entry.created_at == c.created_at, c.title
    months = {
        (a.year, a.month)
        for a in Activity.objects.filter(
            actor__isnull=False,
            created_at__lt=timezone.now() - timezone.timedelta(days=31),
        ).values_list("created_at", flat=True)
    }
    assert len(months) >= 6


@pytest.mark.django_db
def test_demo_twice_changes_nothing():
    out = StringIO()
    call_command("demo", stdout=out)
    _check_history_dated()
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


def _freshness(piece: Piece) -> str:
    """What the data means a published artifact's freshness to be, on
    the day it is loaded."""
    if piece.verified is None:
        return Freshness.UNVERIFIED
    community = Community._meta.get_field("review_days").get_default()
    left = (piece.review_days or community) - piece.verified  # days
    if left <= 0:
        return Freshness.EXPIRED
    return Freshness.DUE if left <= DUE_SOON.days else Freshness.VERIFIED


def _check_piece(
    slug: str,
    piece: Piece,
    seats: dict[str, demo.Seat],
    earlier: list[str],
) -> None:
    """Owners, editors, verifiers and those it helped are members by
    then and may do what they do; edits apply; times run forward."""
    tags = {t.name for t in TAGS[slug]}
    roles = {k: s.role for k, s in seats.items()}

    def joined(key: str, days_ago: float) -> None:
        seat = seats.get(key)
        assert seat is not None, (slug, piece.title, key)
        assert seat.days > days_ago, (slug, piece.title, key)

    assert text.clean_line(piece.title, field="title", max_length=200) == (
        piece.title
    )
    assert piece.title not in earlier
    assert piece.kind in ArtifactKind.values
    assert piece.status in ArtifactStatus.values
    assert set(piece.tags) <= tags and len(piece.tags) <= 5, piece.title
    assert len(demo.markdown(piece.body)) >= 80 or (
        piece.kind == ArtifactKind.GLOSSARY
    )
    assert len(set(piece.owners)) == len(piece.owners) >= 1
    for key in piece.owners:
        joined(key, piece.days)
    body = demo.markdown(piece.body)
    days = piece.days
    for edit in piece.edits:
        assert 0 < edit.days < days, (piece.title, edit.message)
        days = edit.days
        joined(edit.author, edit.days)
        assert edit.author in piece.owners or roles[edit.author] in (
            Role.CORE,
            Role.COORDINATOR,
        )
        assert edit.message and edit.changes
        body = demo.revise(body, edit)  # each change applies once
    if piece.verified is not None:
        assert 0 <= piece.verified <= piece.days, piece.title
        verifier = piece.verifier or piece.owners[0]
        joined(verifier, piece.verified)
        assert verifier in piece.owners or (
            roles[verifier] == Role.COORDINATOR
        )
    assert len(set(piece.helped)) == len(piece.helped)
    assert not set(piece.helped) & set(piece.owners), piece.title
    since = {k: s.days for k, s in seats.items()}
    for key, days_ago in zip(
        piece.helped, demo.helped_days(piece, since), strict=True
    ):
        joined(key, days_ago)
    if piece.status == ArtifactStatus.DRAFT:
        assert not piece.helped  # only owners and curators see drafts
    if piece.captured_from:
        [talk] = [
            t for t in CONVERSATIONS[slug] if t.title == (piece.captured_from)
        ]
        assert any(a.accepted for a in talk.answers), piece.title
        assert piece.days < talk.days
    if piece.obsolete or piece.replaced_by:
        assert piece.obsolete and piece.replaced_by in earlier


def test_repertoire_data_fits_the_plan():
    plan = demo.plan()
    assert set(REPERTOIRE) == {c.slug for c in demo.COMMUNITIES}
    owned: dict[str, set[str]] = {}
    states: Counter[str] = Counter()
    kinds: set[str] = set()
    for slug, pieces in REPERTOIRE.items():
        seats = {s.key: s for s in plan.seats[slug]}
        earlier: list[str] = []
        for piece in pieces:
            _check_piece(slug, piece, seats, earlier)
            earlier.append(piece.title)
            kinds.add(piece.kind)
            if piece.status != ArtifactStatus.PUBLISHED or piece.obsolete:
                continue
            state = _freshness(piece)
            states[state] += 1
            for key in piece.owners:
                owned.setdefault(key, set()).add(state)
        terms = [p for p in pieces if p.kind == ArtifactKind.GLOSSARY]
        assert len(terms) >= 2, slug
        assert 4 <= len(pieces) - len(terms) <= 9, slug
    assert kinds == set(ArtifactKind.values)
    assert set(states) == set(Freshness.values), states
    # Their review queues are not empty.
    for key in ("amara", "priya"):
        assert owned[key] & {Freshness.DUE, Freshness.EXPIRED}, key
    safety_terms = [
        p for p in REPERTOIRE[SAFETY] if p.kind == ArtifactKind.GLOSSARY
    ]
    assert len(safety_terms) >= 5
