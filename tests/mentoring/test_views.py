import pytest
from django.urls import reverse

from practica.communities.models import Role
from practica.mentoring import services
from practica.mentoring.models import HelpOffer, HelpRequest, Match, MatchState
from tests.factories import member
from tests.mentoring.factories import helper, need, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert(community):
    return helper(community, {"Terraform": 5})


@pytest.fixture
def newcomer(community):
    return member(community, Role.NEWCOMER)


def test_offer_form_saves(client, community, expert):
    client.force_login(expert)
    url = reverse("mentoring:offer", args=[community.slug])
    page = client.get(url)
    assert "Terraform (Expert)" in page.text
    r = client.post(
        url,
        {
            "skills": ["terraform"],
            "formats": ["pair", "mentor"],
            "capacity": "3",
            "windows": "Mon 09:00-12:00",
            "time_zone": "Europe/Berlin",
            "active": "on",
        },
    )
    assert r.status_code == 302
    o = HelpOffer.objects.get()
    assert o.capacity == 3 and o.formats == ["pair", "mentor"]


def test_offer_errors_beside_fields(client, community, expert):
    client.force_login(expert)
    r = client.post(
        reverse("mentoring:offer", args=[community.slug]),
        {
            "skills": ["terraform"],
            "formats": ["pair"],
            "capacity": "3",
            "windows": "Mon 9 to 12",
            "time_zone": "Nowhere/Land",
        },
    )
    assert r.status_code == 200
    assert "is not like" in r.text
    assert "not a time zone we know" in r.text
    assert not HelpOffer.objects.exists()


def test_request_from_question(client, community, newcomer):
    from tests.conversations.factories import ask
    from tests.factories import SkillFactory

    SkillFactory(name="Terraform", slug="terraform")
    q = ask(newcomer, community)
    client.force_login(newcomer)
    url = reverse("mentoring:ask", args=[community.slug])
    page = client.get(f"{url}?question={q.pk}")
    assert q.title in page.text
    r = client.post(
        url,
        {
            "question": q.pk,
            "title": q.title,
            "need": "Still jamming.",
            "skills": ["terraform"],
            "format": "answer",
            "urgency": "high",
            "time_zone": "Europe/Berlin",
        },
    )
    hr = HelpRequest.objects.get()
    assert r.status_code == 302 and hr.source == q


def test_board_propose_with_htmx_and_answers(
    client,
    community,
    coordinator,
    expert,
    newcomer,
    django_assert_max_num_queries,
):
    o = offer(expert, community)
    r = need(newcomer, community, format="mentor")
    client.force_login(coordinator)
    url = reverse("mentoring:board", args=[community.slug])
    with django_assert_max_num_queries(30):
        page = client.get(url)
    assert "expert in Terraform" in page.text
    assert "both in Europe/Berlin" in page.text
    resp = client.post(
        reverse("mentoring:propose", args=[community.slug]),
        {"pair": f"{o.pk}:{r.pk}"},
        headers={"HX-Request": "true"},
    )
    assert "are asked to accept" in resp.text
    m = Match.objects.get()
    for who in (expert, newcomer):
        client.force_login(who)
        card = client.post(
            reverse("mentoring:answer", args=[m.pk]),
            {"accept": "1"},
            headers={"HX-Request": "true"},
        )
        assert card.status_code == 200
    m.refresh_from_db()
    assert m.state == MatchState.ACCEPTED
    assert "Go to the mentorship" in card.text
    ms = m.mentorship
    page = client.get(reverse("mentoring:mentorship", args=[ms.pk]))
    assert page.status_code == 200
    r2 = client.post(
        reverse("mentoring:mentorship", args=[ms.pk]),
        {"action": "checkin", "summary": "First talk"},
    )
    assert r2.status_code == 302
    assert ms.checkins.filter(done_at__isnull=False).count() == 1


def test_board_refused_to_members(client, community, expert):
    client.force_login(expert)
    r = client.get(reverse("mentoring:board", args=[community.slug]))
    assert r.status_code == 403
    assert "coordinators" in r.text


def test_my_help_and_community_pages(
    client, community, expert, newcomer, django_assert_max_num_queries
):
    offer(expert, community)
    need(newcomer, community)
    client.force_login(newcomer)
    with django_assert_max_num_queries(15):
        r = client.get(reverse("mentoring:community", args=[community.slug]))
    assert "Terraform state keeps locking" in r.text
    assert expert.name in r.text
    with django_assert_max_num_queries(15):
        r = client.get(reverse("mentoring:mine"))
    assert "Terraform state keeps locking" in r.text


def test_pathway_pages(client, community, coordinator, newcomer):
    client.force_login(coordinator)
    r = client.post(
        reverse("mentoring:pathway_edit", args=[community.slug]),
        {
            "title": "Welcome",
            "steps": "introduce Say hello\nask Ask a first question",
            "stuck_days": "10",
        },
    )
    assert r.status_code == 302
    bad = client.post(
        reverse("mentoring:pathway_edit", args=[community.slug]),
        {
            "title": "Welcome",
            "steps": "read artifact:999 Gone",
            "stuck_days": "10",
        },
    )
    assert "artifact 999 does not exist" in bad.text
    from tests.conversations.factories import ask

    ask(newcomer, community)
    client.force_login(newcomer)
    page = client.get(reverse("mentoring:pathway", args=[community.slug]))
    assert "1 of 2 steps done" in page.text
    client.force_login(coordinator)
    page = client.get(reverse("mentoring:progress", args=[community.slug]))
    assert newcomer.name in page.text and "1 of 2" in page.text


def test_private_note_not_shown_to_the_other(
    client, community, coordinator, expert, newcomer
):
    ms = services.mentorship_create(
        actor=coordinator, community=community, mentor=expert, mentee=newcomer
    )
    services.note_add(
        actor=expert, mentorship=ms, body="Secret plan", private=True
    )
    client.force_login(newcomer)
    page = client.get(reverse("mentoring:mentorship", args=[ms.pk]))
    assert "Secret plan" not in page.text
    client.force_login(expert)
    page = client.get(reverse("mentoring:mentorship", args=[ms.pk]))
    assert "Secret plan" in page.text


def test_my_help_and_board_queries_do_not_grow(
    client, community, coordinator, django_assert_max_num_queries
):
    """Three matches cost what one does (no query per card)."""
    people = [helper(community, {"Terraform": 5}) for _ in range(3)]
    for p in people:
        offer(p, community, capacity=3)
    asker = member(community)
    for n, p in enumerate(people):
        r = need(asker, community, title=f"Need number {n}")
        m = services.match_propose(
            actor=coordinator, offer=HelpOffer.objects.get(person=p), request=r
        )
        services.match_answer(actor=p, match=m, accept=True)
    need(member(community), community, title="Still open")
    client.force_login(asker)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("mentoring:mine"))
    assert page.text.count("help-match") == 3
    client.force_login(coordinator)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("mentoring:board", args=[community.slug]))
    assert "Still open" in page.text
