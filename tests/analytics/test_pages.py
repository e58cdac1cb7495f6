"""The analytics pages: what each person sees, refusals, bad input and
query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practica.analytics import services
from practica.analytics.models import ValueStory
from practica.communities.models import Role, Visibility
from tests.analytics.factories import artifact, question
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    c = CommunityFactory(name="Press Line")
    ops = DepartmentFactory(name="Operations", slug="ops")
    eng = DepartmentFactory(name="Engineering", slug="eng")
    coord = member(
        c, Role.COORDINATOR, user__display_name="Ines", user__department=ops
    )
    asker = member(c, user__display_name="Wei", user__department=eng)
    when = timezone.now() - timedelta(days=40)
    for i in range(3):
        question(
            asker,
            c,
            when + timedelta(days=i),
            [(coord, when + timedelta(days=i, hours=2))],
            accept=0,
        )
    question(asker, c, when)
    c.art = artifact(coord, c, title="Die checklist")
    c.coord, c.asker = coord, asker
    return c


def test_a_member_sees_figures_and_totals_but_no_names(
    client, c, django_assert_max_num_queries
):
    client.force_login(c.asker)
    with django_assert_max_num_queries(35):
        r = client.get(f"/c/{c.slug}/health/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-figure="asked"' in html
    assert "Cross-department help" in html
    assert "<svg" in html and "<title" in html
    assert "Operations" in html  # departments are aggregates
    assert "See who helps whom, by name" not in html
    assert client.get(f"/c/{c.slug}/health/people/").status_code == 403


def test_a_coordinator_sees_the_people(
    client, c, django_assert_max_num_queries
):
    client.force_login(c.coord)
    with django_assert_max_num_queries(20):
        r = client.get(f"/c/{c.slug}/health/people/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Connectors" in html and "Ines" in html and "Wei" in html


def test_weekly_period_and_a_bad_period(client, c):
    client.force_login(c.asker)
    assert (
        "calendar weeks"
        in client.get(f"/c/{c.slug}/health/?period=week").content.decode()
    )
    r = client.get(f"/c/{c.slug}/health/?period=decade")
    assert r.status_code == 400
    assert (
        "&#x27;decade&#x27; is not a valid period: use one of week, month."
        in r.content.decode()
    )
    r = client.get(f"/c/{c.slug}/health/?tz=Mars/Olympus")
    assert r.status_code == 400 and "is not a time zone" in r.content.decode()


def test_an_empty_community_says_so(client):
    c = CommunityFactory()
    client.force_login(member(c, Role.COORDINATOR))
    r = client.get(f"/c/{c.slug}/health/")
    assert r.status_code == 200
    assert "Nothing has happened in" in r.content.decode()


def test_outsiders_are_refused_and_private_communities_hidden(client, c):
    client.force_login(UserFactory())
    r = client.get(f"/c/{c.slug}/health/")
    assert r.status_code == 403
    assert (
        "Only this community&#x27;s members can see its health."
        in r.content.decode()
    )
    secret = CommunityFactory(visibility=Visibility.PRIVATE)
    assert client.get(f"/c/{secret.slug}/health/").status_code == 404


def test_story_form_refuses_a_hidden_link_then_saves(client, c):
    client.force_login(c.asker)
    draft = artifact(c.coord, c, status="draft")
    data = {
        "title": "Fewer jams",
        "cycle": "applied",
        "happened": "We used the checklist.",
        "difference": "No jams for a month.",
        "links": f"artifact:{draft.pk}",
    }
    r = client.post(f"/c/{c.slug}/stories/new/", data)
    assert r.status_code == 200 and not ValueStory.objects.exists()
    assert f"You cannot link artifact {draft.pk}" in r.content.decode()
    data["links"] = f"http://testserver/r/{c.art.pk}/"
    r = client.post(f"/c/{c.slug}/stories/new/", data)
    s = ValueStory.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/stories/{s.pk}/"
    page = client.get(r["Location"]).content.decode()
    assert "Die checklist" in page and "Feature this story" not in page


def test_coordinator_features_a_story(client, c):
    s = services.story_create(
        author=c.asker,
        community=c,
        title="T",
        cycle="realised",
        happened="h",
        difference="d",
        links=[],
    )
    client.force_login(c.coord)
    r = client.post(f"/stories/{s.pk}/feature/", {"featured": "1"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.featured
    assert "Featured" in client.get(f"/c/{c.slug}/stories/").content.decode()
    assert "T" in client.get(f"/c/{c.slug}/health/").content.decode()
    client.force_login(c.asker)
    assert (
        client.post(f"/stories/{s.pk}/feature/", {"featured": "0"}).status_code
        == 403
    )


def test_stories_list_bad_cycle(client, c):
    r = client.get(f"/c/{c.slug}/stories/?cycle=eternal")
    assert r.status_code == 400
    assert "is not a valid cycle" in r.content.decode()


def test_reflection_prefilled_saved_and_listed(client, c):
    client.force_login(c.coord)
    r = client.get(f"/c/{c.slug}/reflections/new/?period=month")
    assert r.status_code == 200
    form = r.context["form"]
    assert form.initial["what"].startswith("- Active members")
    data = {
        "start": form.initial["start"],
        "what": form.initial["what"],
        "so_what": "We answer fast.",
        "now_what": "Ask Wei to host.",
    }
    r = client.post(f"/c/{c.slug}/reflections/new/?period=month", data)
    assert r.status_code == 302
    listing = client.get(f"/c/{c.slug}/reflections/").content.decode()
    assert "Month from" in listing
    detail = client.get(r["Location"]).content.decode()
    assert "Ask Wei to host." in detail and "Questions asked" in detail
    client.force_login(c.asker)
    assert client.get(f"/c/{c.slug}/reflections/new/").status_code == 403
    assert client.get(f"/c/{c.slug}/reflections/").status_code == 200


def test_sponsor_overview(client, c, django_assert_max_num_queries):
    secret = CommunityFactory(visibility=Visibility.PRIVATE, name="Skunkworks")
    question(member(secret), secret, timezone.now() - timedelta(days=20))
    staff = UserFactory(is_superuser=True, is_staff=True)
    sponsor = UserFactory()
    client.force_login(sponsor)
    r = client.get("/health/")
    assert r.status_code == 403 and "sponsor grant" in r.content.decode()
    services.sponsor_grant(actor=staff, user=sponsor)
    with django_assert_max_num_queries(30):
        r = client.get("/health/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Press Line" in html and "Skunkworks" not in html
    assert "1 private community" in html
    assert "Die checklist" not in html
    # A sponsor sees a community's figures, never its stories or people.
    assert client.get(f"/c/{c.slug}/health/").status_code == 200
    assert client.get(f"/c/{c.slug}/health/people/").status_code == 403


def test_the_worker_warms_the_cache(client, c, django_assert_max_num_queries):
    from practica.analytics.tasks import refresh_health

    assert refresh_health.call() == 1
    client.force_login(c.asker)
    # UTC is the site's zone: the figures and network come from the cache.
    c.asker.time_zone = "UTC"
    c.asker.save(update_fields=["time_zone"])
    with django_assert_max_num_queries(10):
        r = client.get(f"/c/{c.slug}/health/")
    assert r.status_code == 200 and 'data-figure="asked"' in r.content.decode()


def test_stories_for_include_and_a_prefilled_link(client, c):
    from django.template.loader import render_to_string

    from practica.analytics import selectors

    s = services.story_create(
        author=c.asker,
        community=c,
        title="Cited",
        cycle="applied",
        happened="h",
        difference="d",
        links=[f"artifact:{c.art.pk}"],
    )
    cited = selectors.stories_citing(
        c.asker, c.art, link=f"artifact:{c.art.pk}"
    )
    url = f"/c/{c.slug}/stories/new/?link=artifact%3A{c.art.pk}"
    assert cited.tell_url == url
    html = render_to_string("analytics/_stories_for.html", {"cited": cited})
    assert f'href="/stories/{s.pk}/"' in html and "Cited" in html
    assert "Tell a value story about this" in html
    client.force_login(c.asker)
    form = client.get(url).context["form"]
    assert form.initial["links"] == f"artifact:{c.art.pk}"
    empty = selectors.stories_citing(c.asker, c)  # nothing cites it
    assert (
        render_to_string(
            "analytics/_stories_for.html", {"cited": empty}
        ).strip()
        == ""
    )
