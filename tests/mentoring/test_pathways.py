from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from practica.communities.models import Membership, Role
from practica.core import activity
from practica.core.models import Activity
from practica.mentoring import selectors, services
from practica.mentoring.models import (
    Pathway,
    PathwayProgress,
    StepDone,
    StepKind,
)
from practica.repertoire import services as repertoire
from tests.conversations.factories import answer, ask
from tests.factories import member
from tests.mentoring.factories import helper

pytestmark = pytest.mark.django_db


@pytest.fixture
def artifact(coordinator, community):
    return repertoire.artifact_create(
        author=coordinator,
        community=community,
        title="How we work",
        body="Read this first.",
        status="published",
    )


@pytest.fixture
def pathway(coordinator, community, artifact):
    return services.pathway_save(
        actor=coordinator,
        community=community,
        title="Welcome",
        steps=[
            {
                "kind": "read",
                "target_type": "repertoire.artifact",
                "target_id": artifact.pk,
            },
            {"kind": "introduce", "title": "Say hello"},
            {"kind": "ask"},
            {"kind": "answer"},
            {"kind": "attend"},
            {"kind": "mentor"},
        ],
    )


@pytest.fixture
def newcomer(community):
    return member(community, Role.NEWCOMER)


def test_steps_in_order_with_titles(pathway, artifact):
    steps = list(pathway.steps.all())
    assert [s.kind for s in steps] == [
        "read",
        "introduce",
        "ask",
        "answer",
        "attend",
        "mentor",
    ]
    assert steps[0].title == "How we work"  # from the target
    assert steps[2].title == "Ask a first question"


def test_target_that_does_not_exist_refused(coordinator, community):
    with pytest.raises(ValidationError) as exc:
        services.pathway_save(
            actor=coordinator,
            community=community,
            title="Welcome",
            steps=[
                {"kind": "ask"},
                {
                    "kind": "read",
                    "target_type": "repertoire.artifact",
                    "target_id": 99999,
                },
            ],
        )
    assert "Step 2: artifact 99999 does not exist" in str(exc.value)
    assert not Pathway.objects.exists()


def test_only_coordinators_define(community):
    with pytest.raises(PermissionDenied):
        services.pathway_save(
            actor=member(community),
            community=community,
            title="Mine",
            steps=[{"kind": "ask"}],
        )


def test_progress_ticks_from_activity(
    pathway, newcomer, community, coordinator, artifact
):
    mentor = helper(community)
    steps = list(pathway.steps.all())
    ask(newcomer, community, kind="discussion", title="Hello, I am new here")
    q = ask(newcomer, community)
    other = ask(mentor, community, title="Who knows the torque specs?")
    answer(newcomer, other)
    # The events app records attendance with the person in data.
    activity.record(
        actor=coordinator,
        verb="occurrence.attended",
        target=q,  # any target: the step names no session
        community_id=community.pk,
        data={"user": newcomer.pk},
    )
    services.mentorship_create(
        actor=coordinator, community=community, mentor=mentor, mentee=newcomer
    )
    assert services.pathway_sync(pathway=pathway) == 5
    assert services.pathway_sync(pathway=pathway) == 0  # idempotent
    view = selectors.pathway_view(viewer=newcomer, community=community)
    assert view.done == 5 and not view.complete
    assert view.steps[0][1] is None  # reading is ticked by hand
    assert services.step_tick(actor=newcomer, step=steps[0])
    assert not services.step_tick(actor=newcomer, step=steps[0])
    assert Activity.objects.filter(verb="pathway.step_done").count() == 6
    done = Activity.objects.get(verb="pathway.completed")
    assert done.community_id == community.pk
    assert done.data == {"person": newcomer.pk}
    row = selectors.pathway_progress(community)[0]
    assert row["complete"] and row["done"] == 6
    # The coordinator is prompted to make them a member, and does.
    services.newcomer_promote(
        actor=coordinator, community=community, person=newcomer
    )
    m = Membership.objects.get(user=newcomer, community=community)
    assert m.role == Role.MEMBER
    assert PathwayProgress.objects.get(person=newcomer).promoted_at


def test_only_reading_is_ticked_by_hand(pathway, newcomer):
    ask_step = pathway.steps.get(kind=StepKind.ASK)
    with pytest.raises(ValidationError) as exc:
        services.step_tick(actor=newcomer, step=ask_step)
    assert "ticks by itself" in str(exc.value)


def test_deleted_target_is_named(pathway, newcomer, community, artifact):
    read = pathway.steps.get(kind=StepKind.READ)
    artifact.delete()
    view = selectors.pathway_view(viewer=newcomer, community=community)
    step, _done, exists, url = view.steps[0]
    assert step.pk == read.pk and not exists and url == ""
    with pytest.raises(ValidationError) as exc:
        services.step_tick(actor=newcomer, step=read)
    assert "('How we work') was deleted" in str(exc.value)
    assert not StepDone.objects.exists()


def test_stuck_newcomers(pathway, newcomer, community):
    Membership.objects.filter(user=newcomer).update(
        joined_at=timezone.now() - timedelta(days=30)
    )
    fresh = member(community, Role.NEWCOMER)
    rows = {r["person_id"]: r for r in selectors.pathway_progress(community)}
    assert rows[newcomer.pk]["stuck"] and rows[newcomer.pk]["days_idle"] == 30
    assert not rows[fresh.pk]["stuck"]
    assert rows[newcomer.pk]["next_step"] == "How we work"


def test_promote_refuses_members(coordinator, community):
    with pytest.raises(ValidationError):
        services.newcomer_promote(
            actor=coordinator, community=community, person=member(community)
        )
