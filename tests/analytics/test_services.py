"""Value stories, their curation, reflections and sponsor grants."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from practica import access
from practica.access.analytics import sponsor_scope
from practica.analytics import selectors, services
from practica.analytics.models import Reflection, StoryLink, ValueStory
from practica.communities.models import Role, Visibility
from practica.core.models import Activity
from tests.analytics.factories import artifact
from tests.conversations.factories import ask
from tests.factories import CommunityFactory, UserFactory, member


@pytest.fixture
def place(db):
    c = CommunityFactory()
    secret = CommunityFactory(visibility=Visibility.PRIVATE)
    coord = member(c, Role.COORDINATOR)
    teller = member(c)
    other = member(c)
    member(secret, Role.COORDINATOR)
    return {
        "c": c,
        "coord": coord,
        "teller": teller,
        "other": other,
        "art": artifact(coord, c),
        "draft": artifact(coord, c, status="draft"),
        "q": ask(other, c),
        "hidden_q": ask(secret.memberships.get().user, secret),
    }


def _story(p, **kw):
    fields = {
        "author": p["teller"],
        "community": p["c"],
        "title": "The jams stopped",
        "cycle": "applied",
        "happened": "Olga's checklist for the die change.",
        "difference": "Two jams a shift to none in a month.",
        "links": [f"artifact:{p['art'].pk}", f"/q/{p['q'].pk}/"],
    }
    fields.update(kw)
    return services.story_create(**fields)


def test_a_member_records_a_story_with_links(place):
    s = _story(place)
    assert s.cycle == "applied" and "<p>" in s.happened_html
    links = {(lk.target_type.model, lk.target_id) for lk in s.links.all()}
    assert links == {
        ("artifact", place["art"].pk),
        ("conversation", place["q"].pk),
    }
    assert Activity.objects.filter(verb="story.created").count() == 1


def test_a_link_the_author_cannot_see_is_refused_by_name(place):
    p = place
    with pytest.raises(ValidationError) as exc:
        _story(
            p,
            links=[
                f"artifact:{p['draft'].pk}",  # a draft: owners and core only
                f"question:{p['hidden_q'].pk}",  # a private community
                "artifact:999999",
                "project:3",
                "nonsense",
            ],
        )
    msgs = exc.value.message_dict["links"]
    assert msgs[0] == (
        f"You cannot link artifact {p['draft'].pk}: it does not exist or you "
        "cannot see it. Link only what you can open yourself."
    )
    assert f"question {p['hidden_q'].pk}" in msgs[1]
    assert "artifact 999999" in msgs[2]
    assert msgs[3] == (
        "'project' cannot be linked: link a question, artifact, event, "
        "mentorship."
    )
    assert msgs[4].startswith("'nonsense' is not a link.")
    assert not ValueStory.objects.exists()
    assert not StoryLink.objects.exists()


def test_bad_fields_are_all_named_and_nothing_is_stored(place):
    with pytest.raises(ValidationError) as exc:
        _story(place, title=" ", cycle="eternal", happened="", difference="")
    assert set(exc.value.message_dict) == {
        "title",
        "cycle",
        "happened",
        "difference",
    }
    assert "use one of immediate" in exc.value.message_dict["cycle"][0]
    assert not ValueStory.objects.exists()


def test_outsiders_cannot_tell_stories(place):
    with pytest.raises(PermissionDenied, match="Join this community"):
        _story(place, author=UserFactory(), links=[])


def test_coordinators_feature_and_hide(place):
    s = _story(place)
    with pytest.raises(PermissionDenied, match="coordinators"):
        services.story_feature(actor=place["other"], story=s)
    s = services.story_feature(actor=place["coord"], story=s)
    assert s.featured and s.featured_by == place["coord"]
    with pytest.raises(ValidationError, match="note"):
        services.story_hide(actor=place["coord"], story=s, note="")
    s = services.story_hide(actor=place["coord"], story=s, note="Duplicate")
    assert s.hidden and not s.featured
    with pytest.raises(ValidationError, match="hidden"):
        services.story_feature(actor=place["coord"], story=s)
    # Hidden: the author and coordinators still see it, others do not.
    assert access.can(place["teller"], "view", s)
    assert access.can(place["coord"], "view", s)
    assert not access.can(place["other"], "view", s)
    page = selectors.story_list(viewer=place["other"], community=place["c"])
    assert page.items == []


def test_stories_citing_an_artifact(place):
    s1 = _story(place)
    s2 = _story(place, title="Second", links=[f"artifact:{place['art'].pk}"])
    services.story_feature(actor=place["coord"], story=s2)
    cited = selectors.stories_citing(place["other"], place["art"])
    assert [s.title for s in cited.stories] == ["Second", s1.title]
    assert cited.total == 2
    services.story_hide(actor=place["coord"], story=s1, note="Off topic")
    assert selectors.stories_citing(place["other"], place["art"]).total == 1
    assert selectors.stories_citing(place["coord"], place["art"]).total == 2
    outsider = UserFactory()
    assert selectors.stories_citing(outsider, place["art"]).total == 1


def _last_month() -> date:
    return (timezone.now().date().replace(day=1) - timedelta(days=1)).replace(
        day=1
    )


def test_a_reflection_is_saved_with_its_figures_and_replaced(place):
    c, coord = place["c"], place["coord"]
    draft = selectors.reflection_draft(
        viewer=coord, community=c, period="month", start=_last_month()
    )
    assert draft["what"].startswith("- Active members:")
    r = services.reflection_save(
        author=coord,
        community=c,
        period="month",
        start=_last_month().isoformat(),
        what=draft["what"],
        so_what="Quiet month.",
        now_what="Invite two guests.",
    )
    assert r.figures["asked"]["label"] == "Questions asked"
    again = services.reflection_save(
        author=coord,
        community=c,
        period="month",
        start=_last_month(),
        what="x",
        so_what="y",
        now_what="z",
    )
    assert again.pk == r.pk and Reflection.objects.count() == 1


@pytest.mark.parametrize(
    ("period", "start", "field", "message"),
    [
        ("year", "2026-01-01", "period", "'year' is not a valid period"),
        ("month", "2026-01-15", "start", "use 2026-01-01"),
        ("week", "2026-01-01", "start", "starts on a Monday: use 2025-12-29"),
        ("month", "soon", "start", "'soon' is not a date"),
    ],
)
def test_a_reflection_on_a_bad_period_is_refused(
    place, period, start, field, message
):
    with pytest.raises(ValidationError) as exc:
        services.reflection_save(
            author=place["coord"],
            community=place["c"],
            period=period,
            start=start,
            what="a",
            so_what="b",
            now_what="c",
        )
    assert message in " ".join(exc.value.message_dict[field])


def test_a_period_not_over_and_members_are_refused(place):
    this_month = timezone.now().date().replace(day=1)
    with pytest.raises(ValidationError, match="not over yet"):
        services.reflection_save(
            author=place["coord"],
            community=place["c"],
            period="month",
            start=this_month,
            what="a",
            so_what="b",
            now_what="c",
        )
    with pytest.raises(PermissionDenied, match="core members"):
        services.reflection_save(
            author=place["other"],
            community=place["c"],
            period="month",
            start=_last_month(),
            what="a",
            so_what="b",
            now_what="c",
        )


def test_sponsor_grants_by_staff_only(place):
    staff = UserFactory(is_superuser=True, is_staff=True)
    sponsor = UserFactory()
    with pytest.raises(PermissionDenied):
        services.sponsor_grant(actor=place["coord"], user=sponsor)
    assert not access.can(sponsor, "sponsor_overview")
    services.sponsor_grant(actor=staff, user=sponsor, note="CTO")
    assert sponsor_scope(sponsor) == "all"
    assert access.can(sponsor, "sponsor_overview")
    assert access.can(sponsor, "view_health", place["c"])
    # ...but not the people, nor the stories of a community they cannot see
    assert not access.can(sponsor, "view_help_people", place["c"])
    services.sponsor_grant(actor=staff, user=sponsor, communities=[place["c"]])
    assert sponsor_scope(sponsor) == {place["c"].pk}
    services.sponsor_revoke(actor=staff, user=sponsor)
    assert not access.can(sponsor, "sponsor_overview")
    with pytest.raises(ValidationError, match="not a sponsor"):
        services.sponsor_revoke(actor=staff, user=sponsor)


@pytest.mark.parametrize(
    ("role", "health", "people", "reflect", "curate", "tell"),
    [
        (Role.COORDINATOR, True, True, True, True, True),
        (Role.CORE, True, False, True, False, True),
        (Role.MEMBER, True, False, False, False, True),
        (Role.NEWCOMER, True, False, False, False, True),
        (None, False, False, False, False, False),
    ],
)
def test_permission_table(db, role, health, people, reflect, curate, tell):
    c = CommunityFactory()
    who = member(c, role) if role else UserFactory()
    got = [
        access.can(who, a, c)
        for a in (
            "view_health",
            "view_help_people",
            "reflect",
            "curate_stories",
            "tell_story",
        )
    ]
    assert got == [health, people, reflect, curate, tell]


def test_a_story_cites_an_event_and_the_event_lists_it(place):
    from tests.events.factories import event

    e = event(place["c"], place["coord"])
    s = _story(place, links=[f"/events/{e.pk}/", f"event:{e.pk}"])
    assert [(lk.target_type.model, lk.target_id) for lk in s.links.all()] == [
        ("event", e.pk)
    ]
    cited = selectors.stories_citing(place["other"], e)
    assert [x.pk for x in cited.stories] == [s.pk]
