"""People directory, profiles and personal settings, through the pages."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practica.accounts import services
from practica.accounts.models import (
    AccessToken,
    Endorsement,
    Expertise,
    Level,
    User,
)
from practica.communities.models import Role, Visibility
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    ExpertiseFactory,
    SkillFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def html(response) -> str:
    return response.content.decode()


def field_errors(page: str, field: str) -> list[str]:
    """The error messages shown right beside one field."""
    return re.findall(
        rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page
    )


@pytest.fixture
def me(db):
    return UserFactory(display_name="Mina Viewer", time_zone="Europe/Berlin")


@pytest.fixture
def signed_in(client, me):
    client.force_login(me)
    return client


# --- who may see what ---------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("accounts:people", []),
        ("accounts:person", ["me"]),
        ("accounts:settings", []),
        ("accounts:settings_expertise", []),
        ("accounts:settings_tokens", []),
    ],
)
def test_anonymous_people_are_sent_to_sign_in(client, me, name, args):
    url = reverse(name, args=[me.pk if a == "me" else a for a in args])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


def test_anonymous_cannot_endorse(client):
    e = ExpertiseFactory()
    response = client.post(reverse("accounts:endorse", args=[e.pk]))
    assert response.status_code == 302
    assert not Endorsement.objects.exists()


def test_closed_account_profile_is_not_found(signed_in):
    gone = UserFactory(is_active=False)
    response = signed_in.get(reverse("accounts:person", args=[gone.pk]))
    assert response.status_code == 404


# --- people directory ---------------------------------------------------


def test_directory_card_shows_what_a_person_needs(signed_in):
    dept = DepartmentFactory(name="Platform", slug="platform")
    ada = UserFactory(
        display_name="Ada Lovelace",
        pronouns="she/her",
        job_title="Staff engineer",
        department=dept,
        location="London",
        time_zone="Europe/London",
        available_to_help=True,
        help_note="Terraform reviews",
    )
    verified = ExpertiseFactory(
        user=ada,
        skill=SkillFactory(name="Terraform", slug="terraform"),
        level=Level.EXPERT,
        verified_at=timezone.now(),
    )
    ExpertiseFactory(
        user=ada, skill=SkillFactory(name="Go", slug="go"), level=1
    )
    UserFactory(display_name="Closed Account", is_active=False)

    page = html(signed_in.get(reverse("accounts:people")))

    assert "Ada Lovelace" in page
    assert "(she/her)" in page
    assert "Staff engineer · Platform" in page
    assert "London · Europe/London" in page
    assert 'Terraform <span class="muted">· Expert</span>' in page
    assert "· Novice" in page
    assert "Available to help" in page and "Terraform reviews" in page
    assert verified.is_verified and "verified</span>" in page
    assert "Closed Account" not in page
    assert reverse("accounts:person", args=[ada.pk]) in page


def test_directory_filters(signed_in):
    platform = DepartmentFactory(name="Platform", slug="platform")
    terraform = SkillFactory(name="Terraform", slug="terraform")
    ada = UserFactory(
        display_name="Ada", department=platform, available_to_help=True
    )
    ExpertiseFactory(user=ada, skill=terraform)
    UserFactory(display_name="Bob", job_title="Data wrangler")
    url = reverse("accounts:people")

    def names(**query):
        page = html(signed_in.get(url, query))
        return set(re.findall(r'id="person-\d+-name"><a [^>]*>([^<]*)<', page))

    assert names() == {"Ada", "Bob", "Mina Viewer"}
    assert names(skill="terraform") == {"Ada"}
    assert names(department="platform") == {"Ada"}
    assert names(available="on") == {"Ada"}
    assert names(q="wrangler") == {"Bob"}
    assert names(q="bo") == {"Bob"}
    assert names(q="nobody-at-all") == set()


def test_directory_unknown_skill_shows_error_beside_the_filter(signed_in):
    response = signed_in.get(reverse("accounts:people"), {"skill": "nope"})
    assert response.status_code == 200
    assert field_errors(html(response), "skill")


def test_directory_htmx_returns_the_result_list_only(signed_in):
    UserFactory(display_name="Ada")
    response = signed_in.get(reverse("accounts:people"), {"q": "Ada"}, **HX)
    page = html(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="people-results">')
    assert "<html" not in page and "<form" not in page
    assert "Ada" in page
    assert "HX-Request" in response["Vary"]


def test_directory_more_link_pages_with_a_cursor(signed_in, settings):
    settings.PRACTICA_PAGE_SIZE = 2
    for name in ["Ann", "Ben", "Cat", "Dan"]:
        UserFactory(display_name=name)
    url = reverse("accounts:people")
    first = html(signed_in.get(url))
    assert "Ann" in first and "Ben" in first and "Cat" not in first
    more = re.search(r'<a class="button secondary" href="([^"]+)"', first)
    assert more, "a More link"
    href = more.group(1).replace("&amp;", "&")
    assert "cursor=" in href

    second = signed_in.get(href, **HX)
    page = html(second)
    # The next cards only, to append in place of the More link.
    assert "people-results" not in page
    assert "Cat" in page and "Dan" in page and "Ann" not in page
    assert "More people" in page  # Mina Viewer is still to come

    whole = html(signed_in.get(href))  # without htmx: a normal page
    assert "<html" in whole and "Cat" in whole


def test_directory_bad_cursor_starts_again(signed_in):
    response = signed_in.get(reverse("accounts:people"), {"cursor": "xx"})
    assert response.status_code == 200
    assert "start again from the first page" in html(response)


def _people_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:people")).status_code == 200
    return len(ctx.captured_queries)


def test_directory_query_count_is_fixed(
    signed_in, django_assert_max_num_queries
):
    dept = DepartmentFactory()
    for _ in range(2):
        ExpertiseFactory(user=UserFactory(department=dept))
    few = _people_page_queries(signed_in)
    for _ in range(12):
        person = UserFactory(department=DepartmentFactory())
        for _ in range(3):
            ExpertiseFactory(user=person, verified_at=timezone.now())
    many = _people_page_queries(signed_in)
    assert many == few
    # session, user, skills, departments, people, their expertise, and
    # on the whole page the claim requests the viewer may decide
    with django_assert_max_num_queries(7):
        signed_in.get(reverse("accounts:people"))
    with django_assert_max_num_queries(6):
        signed_in.get(
            reverse("accounts:people"), {"skill": "skill-1", "q": "P"}, **HX
        )


# --- profile ------------------------------------------------------------


@pytest.fixture
def ada(db):
    return UserFactory(
        display_name="Ada Lovelace",
        pronouns="she/her",
        job_title="Staff engineer",
        department=DepartmentFactory(name="Platform", slug="platform"),
        location="London",
        time_zone="Asia/Tokyo",
    )


def test_profile_shows_the_person(signed_in, ada):
    services.profile_update(
        actor=ada,
        person=ada,
        introduction="I run **incident reviews**. <script>x</script>",
    )
    verifier = UserFactory(display_name="Vera Verifier")
    ExpertiseFactory(
        user=ada,
        skill=SkillFactory(name="Incident review"),
        level=Level.PROFICIENT,
        years=7,
        endorsement_count=3,
        verified_by=verifier,
        verified_at=timezone.now(),
    )
    visible = CommunityFactory(name="SRE Guild")
    member(visible, Role.CORE, user=ada)
    hidden = CommunityFactory(
        name="Secret Circle", visibility=Visibility.PRIVATE
    )
    member(hidden, Role.MEMBER, user=ada)

    page = html(signed_in.get(reverse("accounts:person", args=[ada.pk])))

    assert "<strong>incident reviews</strong>" in page
    assert "<script>" not in page
    assert "(she/her)" in page and "Staff engineer" in page
    assert "Platform" in page and "London" in page
    assert "Asia/Tokyo" in page
    local = timezone.now().astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"Local time now: <time>{local:%a}" in page
    assert "SRE Guild" in page and "Core member" in page
    assert "Secret Circle" not in page
    assert "Incident review" in page and "Proficient" in page
    assert "7 years" in page and "3 endorsements" in page
    assert "✓ Verified by Vera Verifier" in page


def test_private_community_shows_to_its_members(signed_in, me, ada):
    hidden = CommunityFactory(
        name="Secret Circle", visibility=Visibility.PRIVATE
    )
    member(hidden, Role.MEMBER, user=ada)
    member(hidden, Role.MEMBER, user=me)
    page = html(signed_in.get(reverse("accounts:person", args=[ada.pk])))
    assert "Secret Circle" in page


def test_no_endorse_button_on_your_own_profile(signed_in, me):
    ExpertiseFactory(user=me)
    page = html(signed_in.get(reverse("accounts:person", args=[me.pk])))
    assert "Endorse" not in page
    assert "Edit your profile" in page


def test_endorse_and_withdraw_via_htmx(signed_in, me, ada):
    e = ExpertiseFactory(user=ada)
    profile = html(signed_in.get(reverse("accounts:person", args=[ada.pk])))
    assert f'hx-post="{reverse("accounts:endorse", args=[e.pk])}"' in profile

    response = signed_in.post(reverse("accounts:endorse", args=[e.pk]), **HX)
    page = html(response)
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<li id="expertise-{e.pk}"')
    assert "<html" not in page
    assert "1 endorsement<" in page and "Withdraw endorsement" in page
    e.refresh_from_db()
    assert e.endorsement_count == 1
    assert Endorsement.objects.filter(expertise=e, endorser=me).exists()

    response = signed_in.post(reverse("accounts:withdraw", args=[e.pk]), **HX)
    page = html(response)
    assert "0 endorsements" in page and ">Endorse<" in page
    e.refresh_from_db()
    assert e.endorsement_count == 0
    assert not Endorsement.objects.exists()


def test_endorse_without_htmx_redirects_with_a_note(signed_in, ada):
    e = ExpertiseFactory(user=ada)
    response = signed_in.post(
        reverse("accounts:endorse", args=[e.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == (
        reverse("accounts:person", args=[ada.pk]) + f"#expertise-{e.pk}"
    )
    assert "You endorsed" in html(response)


def test_endorsing_your_own_expertise_is_refused(signed_in, me):
    e = ExpertiseFactory(user=me)
    response = signed_in.post(reverse("accounts:endorse", args=[e.pk]), **HX)
    assert response.status_code == 403
    assert "You cannot endorse your own expertise." in html(response)
    assert e.endorsements.count() == 0


def test_coordinator_verifies_via_htmx(client, community, ada):
    coordinator = member(community, Role.COORDINATOR)
    member(community, Role.MEMBER, user=ada)
    e = ExpertiseFactory(user=ada)
    client.force_login(coordinator)
    profile = html(client.get(reverse("accounts:person", args=[ada.pk])))
    assert ">Verify<" in profile

    url = reverse("accounts:verify", args=[e.pk])
    page = html(client.post(url, {"verified": "1"}, **HX))
    assert page.lstrip().startswith(f'<li id="expertise-{e.pk}"')
    assert f"✓ Verified by {coordinator.name}" in page
    assert ">Unverify<" in page
    e.refresh_from_db()
    assert e.verified_by == coordinator and e.verified_at is not None

    page = html(client.post(url, {"verified": "0"}, **HX))
    assert "✓ Verified" not in page
    e.refresh_from_db()
    assert e.verified_at is None


def test_member_may_not_verify(client, community, ada):
    someone = member(community, Role.MEMBER)
    member(community, Role.MEMBER, user=ada)
    e = ExpertiseFactory(user=ada)
    client.force_login(someone)
    profile = html(client.get(reverse("accounts:person", args=[ada.pk])))
    assert ">Verify<" not in profile
    response = client.post(reverse("accounts:verify", args=[e.pk]), **HX)
    assert response.status_code == 403
    assert "Only a coordinator of a community" in html(response)
    e.refresh_from_db()
    assert e.verified_at is None


def _profile_queries(client, person) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("accounts:person", args=[person.pk]))
        assert response.status_code == 200
    return len(ctx.captured_queries)


def test_profile_query_count_is_fixed(
    client, community, ada, django_assert_max_num_queries
):
    coordinator = member(community, Role.COORDINATOR)
    member(community, Role.MEMBER, user=ada)
    ExpertiseFactory(user=ada)
    client.force_login(coordinator)
    few = _profile_queries(client, ada)
    for _ in range(8):
        e = ExpertiseFactory(user=ada, verified_by=coordinator)
        services.expertise_endorse(actor=coordinator, expertise=e)
        member(CommunityFactory(), Role.MEMBER, user=ada)
    many = _profile_queries(client, ada)
    assert many == few
    # session, user, person, expertise, viewer's memberships, the person's
    # memberships, endorsements, the verify check
    with django_assert_max_num_queries(8):
        client.get(reverse("accounts:person", args=[ada.pk]))


# --- settings: profile --------------------------------------------------


def test_settings_profile_form_shows_current_values(signed_in, me):
    page = html(signed_in.get(reverse("accounts:settings")))
    assert 'value="Mina Viewer"' in page
    assert '<option value="Europe/Berlin" selected>' in page
    assert "Markdown is supported" in page
    for name in [
        "display_name",
        "pronouns",
        "department",
        "job_title",
        "location",
        "time_zone",
        "introduction",
        "available_to_help",
        "help_note",
    ]:
        assert re.search(f'<label[^>]* for="id_{name}"', page), name
    assert "I am available to help others" in page


def test_settings_profile_saves(signed_in, me):
    DepartmentFactory(name="Platform", slug="platform")
    response = signed_in.post(
        reverse("accounts:settings"),
        {
            "display_name": "  Mina  Ng ",
            "pronouns": "they/them",
            "department": "platform",
            "job_title": "SRE",
            "location": "Lisbon",
            "time_zone": "Europe/Lisbon",
            "introduction": "I like *pagers*.",
            "available_to_help": "on",
            "help_note": "On-call reviews",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:settings")
    assert "Your profile is saved." in html(response)
    me.refresh_from_db()
    assert me.display_name == "Mina Ng"
    assert me.pronouns == "they/them"
    assert me.department is not None and me.department.slug == "platform"
    assert me.job_title == "SRE" and me.location == "Lisbon"
    assert me.time_zone == "Europe/Lisbon"
    assert me.introduction_html == "<p>I like <em>pagers</em>.</p>\n"
    assert me.available_to_help and me.help_note == "On-call reviews"


def _profile_post(**changes):
    data = {"display_name": "Mina Viewer", "time_zone": "Europe/Berlin"}
    data.update(changes)
    return data


def test_settings_profile_errors_beside_the_field(signed_in, me):
    url = reverse("accounts:settings")
    page = html(signed_in.post(url, _profile_post(pronouns="x" * 31)))
    assert field_errors(page, "pronouns") == [
        "Pronouns is 31 characters long; shorten it to at most 30."
    ]
    page = html(signed_in.post(url, _profile_post(department="nowhere")))
    assert field_errors(page, "department") == [
        "There is no department &#x27;nowhere&#x27;: pick one from the list."
    ]
    page = html(signed_in.post(url, _profile_post(time_zone="Mars/Base")))
    assert field_errors(page, "time_zone") == [
        "&#x27;Mars/Base&#x27; is not a time zone we know: use an IANA name "
        "such as Europe/Berlin or America/New_York."
    ]
    page = html(signed_in.post(url, _profile_post(display_name="")))
    assert field_errors(page, "display_name")
    me.refresh_from_db()
    assert me.pronouns == "" and me.time_zone == "Europe/Berlin"
    assert me.display_name == "Mina Viewer"


def test_settings_profile_keeps_an_alias_time_zone(signed_in, me):
    me.time_zone = "US/Eastern"
    me.save()
    page = html(signed_in.get(reverse("accounts:settings")))
    assert '<option value="US/Eastern" selected>' in page


# --- settings: expertise ------------------------------------------------


def test_expertise_add_change_and_remove(signed_in, me):
    SkillFactory(name="Kubernetes", slug="kubernetes")
    url = reverse("accounts:settings_expertise")
    page = html(signed_in.get(url))
    assert '<datalist id="skill-names"><option value="Kubernetes">' in page
    assert 'list="skill-names"' in page

    response = signed_in.post(
        url, {"skill": "kubernetes", "level": "4", "years": "6"}, follow=True
    )
    assert "Saved: Kubernetes, proficient." in html(response)
    e = Expertise.objects.get(user=me)
    assert (e.skill.name, e.level, e.years) == ("Kubernetes", 4, 6)

    page = html(signed_in.get(url, {"change": e.pk}))
    assert 'value="Kubernetes"' in page
    assert '<option value="4" selected>Proficient</option>' in page

    signed_in.post(url, {"skill": "Kubernetes", "level": "5", "years": "7"})
    e.refresh_from_db()
    assert (e.level, e.years) == (5, 7)
    assert Expertise.objects.filter(user=me).count() == 1

    response = signed_in.post(
        reverse("accounts:expertise_remove", args=[e.pk]), follow=True
    )
    assert "Removed Kubernetes from your expertise." in html(response)
    assert not Expertise.objects.filter(user=me).exists()


def test_expertise_errors_beside_the_field(signed_in, me):
    url = reverse("accounts:settings_expertise")
    page = html(signed_in.post(url, {"skill": "Go", "level": 3, "years": 80}))
    assert field_errors(page, "years") == [
        "Years of practice must be 0 to 70; got 80."
    ]
    page = html(signed_in.post(url, {"skill": "!!!", "level": 3, "years": 1}))
    assert field_errors(page, "skill") == [
        "Skill needs letters or digits, e.g. &#x27;Terraform&#x27;."
    ]
    page = html(signed_in.post(url, {"skill": "Go", "level": 9, "years": 1}))
    assert field_errors(page, "level")
    assert not Expertise.objects.exists()


def test_removing_someone_elses_expertise_is_refused(signed_in, ada):
    e = ExpertiseFactory(user=ada)
    response = signed_in.post(
        reverse("accounts:expertise_remove", args=[e.pk])
    )
    assert response.status_code == 403
    assert "You can only change your own profile." in html(response)
    assert Expertise.objects.filter(pk=e.pk).exists()


# --- settings: API tokens -----------------------------------------------


def test_token_is_shown_once_and_authenticates(signed_in, me):
    url = reverse("accounts:settings_tokens")
    response = signed_in.post(url, {"name": "laptop script"})
    page = html(response)
    assert response.status_code == 200
    raw = re.search(r'id="new-token" value="([^"]+)"', page).group(1)
    assert raw.startswith("pra_")
    assert "shown only this once" in page
    assert "no-store" in response["Cache-Control"]

    token = AccessToken.objects.get(user=me)
    assert token.name == "laptop script" and token.expires_at is None
    assert f"<code>{token.prefix}…</code>" in page
    assert services.token_authenticate(raw) == me

    again = html(signed_in.get(url))
    assert raw not in again
    assert "laptop script" in again and "Active" in again
    assert "shown only this once" not in again


def test_token_with_an_expiry_date(signed_in, me):
    day = timezone.localdate() + dt.timedelta(days=10)
    signed_in.post(
        reverse("accounts:settings_tokens"),
        {"name": "ci", "expires_at": day.isoformat()},
    )
    token = AccessToken.objects.get(user=me)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert token.expires_at == dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(), berlin
    )


def test_token_errors_beside_the_field(signed_in):
    url = reverse("accounts:settings_tokens")
    yesterday = timezone.localdate() - dt.timedelta(days=2)
    page = html(
        signed_in.post(
            url, {"name": "old", "expires_at": yesterday.isoformat()}
        )
    )
    assert field_errors(page, "expires_at") == [
        "The expiry is in the past: pick a future date or leave it empty "
        "for a token that does not expire."
    ]
    page = html(signed_in.post(url, {"name": "x" * 81}))
    assert field_errors(page, "name") == [
        "Name is 81 characters long; shorten it to at most 80."
    ]
    assert 'id="new-token"' not in page
    assert not AccessToken.objects.exists()


def test_token_revoke(signed_in, me):
    token, raw = services.token_create(actor=me, name="old laptop")
    response = signed_in.post(
        reverse("accounts:token_revoke", args=[token.pk]), follow=True
    )
    page = html(response)
    assert "Revoked &#x27;old laptop&#x27;" in page
    assert '<span class="badge">Revoked</span>' in page
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.token_authenticate(raw) is None


def test_token_states(signed_in, me):
    token, _ = services.token_create(actor=me, name="soon")
    AccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page = html(signed_in.get(reverse("accounts:settings_tokens")))
    assert '<span class="badge warn">Expired</span>' in page


def test_revoking_someone_elses_token_is_not_found(signed_in, ada):
    token, raw = services.token_create(actor=ada, name="hers")
    response = signed_in.post(
        reverse("accounts:token_revoke", args=[token.pk])
    )
    assert response.status_code == 404
    assert services.token_authenticate(raw) == ada


def test_settings_pages_show_only_your_own(signed_in, ada):
    ExpertiseFactory(user=ada, skill=SkillFactory(name="Hers only"))
    services.token_create(actor=ada, name="her token")
    assert (
        "Hers only"
        not in html(
            signed_in.get(reverse("accounts:settings_expertise"))
        ).split("<datalist")[0]
    )
    assert "her token" not in html(
        signed_in.get(reverse("accounts:settings_tokens"))
    )
    assert User.objects.count() == 2
