"""``practica demo``: a believable organisation, safe to load twice."""

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Max

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
from practica.core import text
from practica.core.models import Activity
from practica.web import demo

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


@pytest.mark.django_db
def test_demo_builds_a_believable_organisation(client):
    result = demo.build()

    _check_communities(result)
    _check_people(result)
    _check_sign_ins(client)
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
    safety.refresh_from_db()
    assert (
        safety.member_count
        == safety.memberships.filter(status=Status.ACTIVE).count()
    )


def test_plan_is_the_same_every_time():
    assert demo.plan() == demo.plan()
    keys = [p.key for p in demo.PEOPLE]
    assert len(set(keys)) == len(keys)
