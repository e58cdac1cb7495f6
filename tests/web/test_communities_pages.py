"""The community pages: who sees what, each form, htmx fragments, speed."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practica.communities import services
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
from tests.events.factories import event
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    ExpertiseFactory,
    SkillFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db
STATEMENT = "I have run incident reviews on our line for six years."
HX = {"HTTP_HX_REQUEST": "true"}


def html(response) -> str:
    return unescape(response.content.decode())


def field_error(response, field_id: str) -> str:
    """The error text shown beside the field with this id ('' if none)."""
    found = re.findall(
        rf'<p class="error" id="{re.escape(field_id)}_error">(.*?)</p>',
        response.content.decode(),
    )
    return unescape(" ".join(found))


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def url(name: str, *args) -> str:
    return reverse(f"communities:{name}", args=args)


@pytest.fixture
def approval():
    return CommunityFactory(
        name="Incident Reviews",
        slug="incident-reviews",
        policy=Policy.APPROVAL,
        statement_prompt="Which incidents have you reviewed?",
    )


@pytest.fixture
def private():
    c = CommunityFactory(
        name="Secret Garden", slug="secret", visibility=Visibility.PRIVATE
    )
    member(c, Role.COORDINATOR)
    return c


@pytest.fixture
def organisation():
    c = CommunityFactory(
        name="Org Only",
        slug="org-only",
        visibility=Visibility.ORGANISATION,
    )
    member(c, Role.COORDINATOR)
    return c


def signed_in(client, user=None):
    user = user or UserFactory()
    client.force_login(user)
    return user


# --- directory -----------------------------------------------------------


class TestDirectory:
    def test_anonymous_sees_only_public_communities(
        self, client, community, private, organisation
    ):
        page = html(client.get(url("list")))
        assert community.name in page
        assert "Org Only" not in page
        assert "Secret Garden" not in page
        assert 'name="mine"' not in page

    def test_signed_in_sees_organisation_and_own_private(
        self, client, community, private, organisation
    ):
        user = signed_in(client)
        page = html(client.get(url("list")))
        assert "Org Only" in page and "Secret Garden" not in page
        Membership.objects.create(user=user, community=private)
        page = html(client.get(url("list")))
        assert "Secret Garden" in page
        assert "You are a member" in page

    def test_cards_show_policy_kind_formality_count_departments(self, client):
        dept = DepartmentFactory(name="Quality", slug="quality")
        c = CommunityFactory(
            name="Safety", policy=Policy.APPROVAL, kind=Kind.ACADEMIC,
            is_formal=True, tagline="Making the line safer",
        )  # fmt: skip
        c.departments.add(dept)
        member(c)
        member(c)
        CommunityFactory(name="Bakers", policy=Policy.OPEN)
        CommunityFactory(name="Circle", policy=Policy.INVITATION)
        page = html(client.get(url("list")))
        assert "Community of practice — practitioners, by approval" in page
        assert "Community of interest — open to anyone" in page
        assert "Invitation only" in page
        assert "Making the line safer" in page
        assert "Academic" in page and "Formal" in page
        assert "Informal" in page
        assert "2 members · Quality" in page

    def test_filters(self, client):
        dept = DepartmentFactory(name="Quality", slug="quality")
        a = CommunityFactory(name="Alpha Safety", kind=Kind.SOCIAL)
        a.departments.add(dept)
        CommunityFactory(name="Beta Safety", kind=Kind.ACADEMIC)
        CommunityFactory(name="Gamma Baking", kind=Kind.SOCIAL)
        user = signed_in(client)

        def names(query: str) -> set[str]:
            page = html(client.get(url("list") + query))
            return {
                n
                for n in ("Alpha Safety", "Beta Safety", "Gamma Baking")
                if n in page
            }

        assert names("?kind=social") == {"Alpha Safety", "Gamma Baking"}
        assert names("?department=quality") == {"Alpha Safety"}
        assert names("?q=safety") == {"Alpha Safety", "Beta Safety"}
        assert names("?q=safety&kind=academic") == {"Beta Safety"}
        assert names("?mine=on") == set()
        services.community_join(user=user, community=a)
        assert names("?mine=on") == {"Alpha Safety"}
        # A bad value is ignored, the other filters still apply.
        assert names("?kind=guild&q=gamma") == {"Gamma Baking"}

    def test_htmx_gets_only_the_result_list(self, client, community):
        response = client.get(url("list") + "?q=Community", **HX)
        page = html(response)
        assert community.name in page
        assert "<html" not in page and "<form" not in page
        assert 'id="results"' not in page
        assert "HX-Request" in response["Vary"]

    def test_more_link_pages_by_cursor(self, client, settings):
        settings.PRACTICA_PAGE_SIZE = 2
        for name in ("Ant", "Bee", "Cat", "Dog", "Eel"):
            CommunityFactory(name=name)
        first = html(client.get(url("list") + "?q="))
        assert "Ant" in first and "Bee" in first and "Cat" not in first
        more = re.search(r'href="(/communities/\?[^"]*cursor=[^"]+)"', first)
        assert more is not None
        second = html(client.get(more.group(1), **HX))
        assert "<ul" not in second and "<html" not in second
        assert "Cat" in second and "Dog" in second and "Ant" not in second
        assert "cursor=" in second  # the next More link comes along
        third_url = re.search(r'href="([^"]*cursor=[^"]+)"', second)
        assert third_url is not None
        third = html(client.get(third_url.group(1), **HX))
        assert "Eel" in third and "cursor=" not in third

    def test_damaged_cursor_starts_again(self, client, community):
        page = html(client.get(url("list") + "?cursor=bogus"))
        assert "This page cursor is not valid" in page
        assert community.name in page

    def test_query_count_does_not_grow_with_communities(
        self, client, django_assert_max_num_queries
    ):
        user = signed_in(client)
        depts = [DepartmentFactory() for _ in range(3)]

        def add(n: int) -> None:
            for _ in range(n):
                c = CommunityFactory()
                c.departments.set(depts)
                services.community_join(user=user, community=c)

        add(3)
        small = count_queries(client, url("list"))
        add(20)
        assert count_queries(client, url("list")) == small
        # session, user, memberships, departments, communities, their
        # departments
        with django_assert_max_num_queries(6):
            client.get(url("list") + "?mine=on&department=" + depts[0].slug)


# --- community page ------------------------------------------------------


class TestCommunityPage:
    def test_public_page_for_anonymous(self, client, coordinator):
        c = services.community_update(
            actor=coordinator,
            community=Community.objects.get(),
            charter="# Why\n\nWe *care*.<script>alert(1)</script>",
        )
        dept = DepartmentFactory(name="Quality")
        c.departments.add(dept)
        response = client.get(url("detail", c.slug))
        page = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Why</h1>" in page and "<em>care</em>" in page
        assert "<script>alert" not in page
        assert coordinator.name in page
        assert "Quality" in page
        assert "Sign in to join" in page
        assert "Community of interest — open to anyone" in page
        assert "Public: anyone, signed in or not" in page

    @pytest.mark.parametrize("which", ["organisation", "private"])
    def test_anonymous_gets_404_on_hidden(self, client, which, request):
        c = request.getfixturevalue(which)
        assert client.get(url("detail", c.slug)).status_code == 404

    def test_outsider_gets_404_on_private_member_sees_it(
        self, client, private
    ):
        signed_in(client)
        assert client.get(url("detail", private.slug)).status_code == 404
        client.force_login(member(private))
        assert client.get(url("detail", private.slug)).status_code == 200

    def test_unknown_community_is_404(self, client):
        assert client.get(url("detail", "nowhere")).status_code == 404

    def test_open_community_offers_join(self, client, community):
        signed_in(client)
        page = html(client.get(url("detail", community.slug)))
        assert f'action="{url("join", community.slug)}"' in page
        assert ">Join</button>" in page

    def test_approval_community_offers_request(self, client, approval):
        signed_in(client)
        page = html(client.get(url("detail", approval.slug)))
        assert "Request to join" in page
        assert f'href="{url("join", approval.slug)}"' in page

    def test_invitation_community_says_so(self, client):
        c = CommunityFactory(policy=Policy.INVITATION)
        signed_in(client)
        page = html(client.get(url("detail", c.slug)))
        assert "Ask a coordinator for an invitation" in page
        assert "Request to join" not in page

    def test_pending_then_declined_states(self, client, approval):
        coordinator = member(approval, Role.COORDINATOR)
        user = signed_in(client)
        m = services.community_join(
            user=user, community=approval, practice_statement=STATEMENT
        )
        page = html(client.get(url("detail", approval.slug)))
        assert "waiting for a coordinator" in page
        assert "Withdraw request" in page
        services.membership_decline(
            actor=coordinator, membership=m, reason="Come back next year."
        )
        page = html(client.get(url("detail", approval.slug)))
        assert "declined your request" in page
        assert "Come back next year." in page
        assert "Ask again" in page

    def test_member_state_and_no_coordinator_links(self, client, community):
        client.force_login(member(community, Role.CORE))
        page = html(client.get(url("detail", community.slug)))
        assert "You are a member" in page and "Core member" in page
        assert f'href="{url("leave", community.slug)}"' in page
        assert f'href="{url("edit", community.slug)}"' not in page
        assert f'href="{url("requests", community.slug)}"' not in page
        # Core members may invite.
        assert f'href="{url("invitations", community.slug)}"' in page

    def test_coordinator_sees_management_links(self, client, coordinator):
        client.force_login(coordinator)
        c = Community.objects.get()
        page = html(client.get(url("detail", c.slug)))
        for name in ("requests", "members", "invitations", "edit"):
            assert f'href="{url(name, c.slug)}"' in page

    def test_recent_activity_in_sentences(self, client, coordinator):
        c = Community.objects.get()
        newcomer = UserFactory(display_name="Grace")
        services.community_join(user=newcomer, community=c)
        m = Membership.objects.get(user=newcomer)
        services.membership_set_role(
            actor=coordinator, membership=m, role=Role.CORE
        )
        page = html(client.get(url("detail", c.slug)))
        assert "Grace joined." in page
        assert f"{coordinator.name} made Grace a core member." in page

    def test_query_count_does_not_grow_with_members(
        self, client, coordinator, django_assert_max_num_queries
    ):
        c = Community.objects.get()
        c.departments.set([DepartmentFactory(), DepartmentFactory()])
        viewer = signed_in(client)
        services.community_join(user=viewer, community=c)
        small = count_queries(client, url("detail", c.slug))
        for _ in range(15):
            services.community_join(user=UserFactory(), community=c)
        member(c, Role.COORDINATOR)
        assert count_queries(client, url("detail", c.slug)) == small
        # session, user, community, memberships, coordinators, activity,
        # departments; next sessions: events, occurrences, my answers
        with django_assert_max_num_queries(10):
            client.get(url("detail", c.slug))

    def test_members_see_the_next_sessions_and_the_practice_links(
        self, client, coordinator
    ):
        c = Community.objects.get()
        event(c, coordinator, title="Pump clinic")
        client.force_login(coordinator)
        page = html(client.get(url("detail", c.slug)))
        assert "Next sessions" in page and "Pump clinic" in page
        for name in ("Events", "Help and mentoring", "Health", "Rhythm"):
            assert name in page

    def test_visitors_get_the_calendar_link_not_the_sessions(
        self, client, coordinator
    ):
        c = Community.objects.get()
        event(c, coordinator, title="Pump clinic")
        page = html(client.get(url("detail", c.slug)))
        assert "Pump clinic" not in page
        assert reverse("events:calendar", args=[c.slug]) in page
        assert "Matching board" not in page


# --- joining and leaving -------------------------------------------------


class TestJoin:
    def test_open_join(self, client, community):
        user = signed_in(client)
        response = client.post(url("join", community.slug))
        assert response.status_code == 302
        assert response["Location"] == url("detail", community.slug)
        m = Membership.objects.get(user=user)
        assert (m.status, m.role) == (Status.ACTIVE, Role.MEMBER)
        page = html(client.get(response["Location"]))
        assert f"Welcome to {community.name}" in page

    def test_statement_form_shows_prompt(self, client, approval):
        signed_in(client)
        page = html(client.get(url("join", approval.slug)))
        assert '<label for="id_practice_statement">' in page
        assert "Which incidents have you reviewed?" in page

    def test_short_statement_error_beside_field(self, client, approval):
        user = signed_in(client)
        response = client.post(
            url("join", approval.slug), {"practice_statement": "I care."}
        )
        assert response.status_code == 200
        assert "at least 20 characters" in field_error(
            response, "id_practice_statement"
        )
        assert "I care." in html(response)  # what was typed is kept
        assert not Membership.objects.filter(user=user).exists()

    def test_request_is_pending(self, client, approval):
        user = signed_in(client)
        response = client.post(
            url("join", approval.slug), {"practice_statement": STATEMENT}
        )
        assert response.status_code == 302
        m = Membership.objects.get(user=user)
        assert (m.status, m.practice_statement) == (Status.PENDING, STATEMENT)
        approval.refresh_from_db()
        assert approval.pending_count == 1

    def test_invitation_only_is_refused_with_reason(self, client):
        c = CommunityFactory(policy=Policy.INVITATION)
        signed_in(client)
        response = client.get(url("join", c.slug))
        assert response.status_code == 403
        assert "by invitation only" in html(response)
        assert client.post(url("join", c.slug)).status_code == 403
        assert not Membership.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, client, community):
        response = client.post(url("join", community.slug))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_outsider_cannot_join_private(self, client, private):
        signed_in(client)
        assert client.post(url("join", private.slug)).status_code == 404


class TestLeave:
    def test_confirm_then_leave(self, client, community, coordinator):
        user = member(community)
        client.force_login(user)
        page = html(client.get(url("leave", community.slug)))
        assert f"Leave {community.name}?" in page
        response = client.post(url("leave", community.slug))
        assert response.status_code == 302
        assert Membership.objects.get(user=user).status == Status.LEFT

    def test_withdraw_request(self, client, approval):
        user = signed_in(client)
        services.community_join(
            user=user, community=approval, practice_statement=STATEMENT
        )
        client.post(url("leave", approval.slug))
        assert Membership.objects.get(user=user).status == Status.LEFT
        approval.refresh_from_db()
        assert approval.pending_count == 0

    def test_last_coordinator_sees_why_not(
        self, client, community, coordinator
    ):
        client.force_login(coordinator)
        response = client.post(url("leave", community.slug))
        assert response.status_code == 200
        assert "last coordinator" in html(response)
        m = Membership.objects.get(user=coordinator)
        assert m.status == Status.ACTIVE

    def test_leaving_a_private_community_goes_to_directory(
        self, client, private
    ):
        user = member(private)
        client.force_login(user)
        response = client.post(url("leave", private.slug))
        assert response["Location"] == url("list")


# --- join requests -------------------------------------------------------


@pytest.fixture
def request_setup(approval):
    coordinator = member(approval, Role.COORDINATOR)
    dept = DepartmentFactory(name="Maintenance")
    asker = UserFactory(display_name="Ada", department=dept)
    ExpertiseFactory(user=asker, skill=SkillFactory(name="Root causes"))
    m = services.community_join(
        user=asker, community=approval, practice_statement=STATEMENT
    )
    return approval, coordinator, m


def requests_badge(page: str) -> tuple[bool, int | None]:
    """The Requests tab's count: (swapped out of band?, the number shown
    or None)."""
    found = re.search(
        r'<span id="requests-badge"( hx-swap-oob="true")?>'
        r'(?: <span class="badge warn">(\d+)</span>)?</span>',
        page,
    )
    assert found, "no requests badge"
    return bool(found.group(1)), found.group(2) and int(found.group(2))


class TestRequests:
    def test_coordinator_sees_each_request(self, client, request_setup):
        c, coordinator, m = request_setup
        client.force_login(coordinator)
        page = html(client.get(url("requests", c.slug)))
        assert "Ada" in page and "Maintenance" in page
        assert "Root causes" in page and STATEMENT in page
        assert f'<label for="id_role_{m.pk}">' in page
        assert f'<label for="id_reason_{m.pk}">' in page

    def test_member_is_refused_outsider_on_private_gets_404(
        self, client, request_setup, private
    ):
        c, _, _ = request_setup
        client.force_login(member(c))
        response = client.get(url("requests", c.slug))
        assert response.status_code == 403
        assert "Only this community's coordinators" in html(response)
        assert client.get(url("requests", private.slug)).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, request_setup):
        c, _, _ = request_setup
        response = client.get(url("requests", c.slug))
        assert response.status_code == 302

    def test_approve_without_js_redirects(self, client, request_setup):
        c, coordinator, m = request_setup
        client.force_login(coordinator)
        response = client.post(
            url("request_approve", c.slug, m.pk), {"role": Role.MEMBER}
        )
        assert response["Location"] == url("requests", c.slug)
        m.refresh_from_db()
        assert (m.status, m.role) == (Status.ACTIVE, Role.MEMBER)
        page = html(client.get(response["Location"]))
        assert "Ada joined Incident Reviews as a member." in page
        assert "No one is waiting" in page

    def test_approve_with_htmx_returns_the_outcome(
        self, client, request_setup
    ):
        c, coordinator, m = request_setup
        client.force_login(coordinator)
        response = client.post(
            url("request_approve", c.slug, m.pk), {"role": Role.NEWCOMER},
            **HX,
        )  # fmt: skip
        page = html(response)
        assert response.status_code == 200
        assert "<html" not in page
        assert page.strip().startswith('<article class="card comm-outcome"')
        assert f'id="request-{m.pk}"' in page
        assert "as a newcomer" in page
        m.refresh_from_db()
        assert (m.status, m.role) == (Status.ACTIVE, Role.NEWCOMER)

    def test_deciding_inline_updates_the_requests_badge(
        self, client, request_setup
    ):
        c, coordinator, m = request_setup
        other = services.community_join(
            user=UserFactory(display_name="Bo"),
            community=c,
            practice_statement=STATEMENT,
        )
        client.force_login(coordinator)
        page = html(client.get(url("requests", c.slug)))
        assert requests_badge(page) == (False, 2)
        # Approving one: the tab's count, swapped out of band, says 1.
        response = client.post(
            url("request_approve", c.slug, m.pk), {"role": Role.MEMBER},
            **HX,
        )  # fmt: skip
        page = html(response)
        assert page.strip().startswith('<article class="card comm-outcome"')
        assert requests_badge(page) == (True, 1)
        # Declining the last: no count at all.
        response = client.post(
            url("request_decline", c.slug, other.pk),
            {"reason": "Please ask again in a year."},
            **HX,
        )
        assert requests_badge(html(response)) == (True, None)
        # An error keeps the row, with the count as it stands.
        response = client.post(
            url("request_decline", c.slug, other.pk), {"reason": "No."}, **HX
        )
        page = html(response)
        assert "already decided" in page
        assert requests_badge(page) == (True, None)

    def test_decline_needs_reason_beside_field(self, client, request_setup):
        c, coordinator, m = request_setup
        client.force_login(coordinator)
        response = client.post(
            url("request_decline", c.slug, m.pk), {"reason": "  "}, **HX
        )
        assert response.status_code == 200
        assert "<html" not in html(response)
        assert "required" in field_error(response, f"id_reason_{m.pk}")
        assert Membership.objects.get(pk=m.pk).status == Status.PENDING
        # Without htmx the whole page comes back with the error in place.
        response = client.post(url("request_decline", c.slug, m.pk), {})
        assert "<html" in html(response)
        assert "required" in field_error(response, f"id_reason_{m.pk}")

    def test_decline_with_reason(self, client, request_setup):
        c, coordinator, m = request_setup
        client.force_login(coordinator)
        response = client.post(
            url("request_decline", c.slug, m.pk),
            {"reason": "Please ask again in a year."},
            **HX,
        )
        assert "Please ask again in a year." in html(response)
        m.refresh_from_db()
        assert (m.status, m.reason) == (
            Status.DECLINED,
            "Please ask again in a year.",
        )
        assert m.decided_by == coordinator

    def test_already_decided_is_reported(self, client, request_setup):
        c, coordinator, m = request_setup
        services.membership_approve(actor=coordinator, membership=m)
        client.force_login(coordinator)
        response = client.post(
            url("request_decline", c.slug, m.pk), {"reason": "No."}, **HX
        )
        assert "already decided" in html(response)

    def test_member_cannot_approve(self, client, request_setup):
        c, _, m = request_setup
        client.force_login(member(c, Role.CORE))
        response = client.post(url("request_approve", c.slug, m.pk))
        assert response.status_code == 403
        assert Membership.objects.get(pk=m.pk).status == Status.PENDING

    def test_request_of_another_community_is_404(
        self, client, request_setup, community
    ):
        _, _, m = request_setup
        client.force_login(member(community, Role.COORDINATOR))
        response = client.post(
            url("request_approve", community.slug, m.pk), {"role": "member"}
        )
        assert response.status_code == 404
        assert Membership.objects.get(pk=m.pk).status == Status.PENDING


# --- members -------------------------------------------------------------


class TestMembers:
    def test_list_with_role_and_skill_filters(self, client, community):
        coordinator = member(community, Role.COORDINATOR)
        ana = member(community, user__display_name="Ana")
        member(community, Role.NEWCOMER, user__display_name="Ben")
        ExpertiseFactory(user=ana, skill=SkillFactory(name="Terraform"))
        client.force_login(coordinator)
        page = html(client.get(url("members", community.slug)))
        assert "Ana" in page and "Ben" in page and "Terraform" in page
        page = html(
            client.get(url("members", community.slug) + "?role=newcomer")
        )
        assert "Ben" in page and "Ana" not in page
        skill = ana.expertise.get().skill.slug
        page = html(
            client.get(url("members", community.slug) + f"?skill={skill}")
        )
        assert "Ana" in page and "Ben" not in page

    def test_who_may_see_members(self, client, organisation, private):
        response = client.get(url("members", organisation.slug))
        assert response.status_code == 302  # anonymous: sign in first
        signed_in(client)
        assert client.get(url("members", organisation.slug)).status_code == 200
        assert client.get(url("members", private.slug)).status_code == 404

    def test_members_see_no_controls(self, client, community):
        client.force_login(member(community))
        page = html(client.get(url("members", community.slug)))
        assert "Change role" not in page and "Remove…" not in page

    def test_coordinator_changes_role(self, client, community, coordinator):
        m = Membership.objects.get(
            user=member(community, user__display_name="Ana")
        )
        client.force_login(coordinator)
        response = client.post(
            url("member_role", community.slug, m.pk), {"role": Role.CORE}
        )
        assert response["Location"] == url("members", community.slug)
        assert Membership.objects.get(pk=m.pk).role == Role.CORE
        response = client.post(
            url("member_role", community.slug, m.pk), {"role": Role.MEMBER},
            **HX,
        )  # fmt: skip
        page = html(response)
        assert page.strip().startswith('<li class="comm-member" id="member-')
        assert "Ana is now a member." in page
        assert Membership.objects.get(pk=m.pk).role == Role.MEMBER

    def test_last_coordinator_refusal_shown(
        self, client, community, coordinator
    ):
        m = Membership.objects.get(user=coordinator)
        client.force_login(coordinator)
        response = client.post(
            url("member_role", community.slug, m.pk), {"role": Role.MEMBER},
            **HX,
        )  # fmt: skip
        assert "last coordinator" in html(response)
        response = client.post(
            url("member_role", community.slug, m.pk), {"role": Role.MEMBER}
        )
        assert response.status_code == 200
        assert "last coordinator" in html(response)
        assert Membership.objects.get(pk=m.pk).role == Role.COORDINATOR

    def test_remove_needs_reason(self, client, community, coordinator):
        m = Membership.objects.get(
            user=member(community, user__display_name="Ana")
        )
        client.force_login(coordinator)
        response = client.post(
            url("member_remove", community.slug, m.pk), {"reason": ""}, **HX
        )
        assert "required" in field_error(response, f"id_reason_{m.pk}")
        assert Membership.objects.get(pk=m.pk).status == Status.ACTIVE
        response = client.post(
            url("member_remove", community.slug, m.pk),
            {"reason": "Left the company."},
            **HX,
        )
        assert "Ana was removed" in html(response)
        m.refresh_from_db()
        assert (m.status, m.reason) == (Status.REMOVED, "Left the company.")

    def test_member_cannot_change_roles(self, client, community, coordinator):
        m = Membership.objects.get(user=coordinator)
        client.force_login(member(community))
        response = client.post(
            url("member_role", community.slug, m.pk), {"role": Role.MEMBER}
        )
        assert response.status_code == 403
        assert Membership.objects.get(pk=m.pk).role == Role.COORDINATOR

    def test_more_link_and_fragment(self, client, community, settings):
        settings.PRACTICA_PAGE_SIZE = 2
        for name in ("Ann", "Bob", "Cyd"):
            member(community, user__display_name=name)
        client.force_login(member(community, user__display_name="Zed"))
        first = html(client.get(url("members", community.slug)))
        assert "Ann" in first and "Cyd" not in first
        more = re.search(r'href="([^"]*cursor=[^"]+)"', first)
        assert more is not None
        second = html(client.get(more.group(1), **HX))
        assert "<html" not in second and "Cyd" in second

    def test_query_count_does_not_grow_with_members(
        self, client, community, coordinator, django_assert_max_num_queries
    ):
        skill = SkillFactory()

        def add(n: int) -> None:
            for _ in range(n):
                ExpertiseFactory(user=member(community), skill=skill)

        add(3)
        client.force_login(coordinator)
        small = count_queries(client, url("members", community.slug))
        add(20)
        assert count_queries(client, url("members", community.slug)) == small
        # session, user, community, memberships, skills, members, expertise
        with django_assert_max_num_queries(7):
            client.get(url("members", community.slug))


# --- invitations ---------------------------------------------------------


class TestInvitations:
    def test_who_may_invite(self, client, community, coordinator):
        client.force_login(member(community))
        assert (
            client.get(url("invitations", community.slug)).status_code == 403
        )
        client.force_login(member(community, Role.CORE))
        page = html(client.get(url("invitations", community.slug)))
        assert '<option value="member"' in page
        assert '<option value="coordinator"' not in page
        client.force_login(coordinator)
        page = html(client.get(url("invitations", community.slug)))
        assert '<option value="coordinator"' in page

    def test_invite(
        self, client, community, coordinator, mailoutbox,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        client.force_login(coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url("invitations", community.slug),
                {"email": "Nia@Example.org", "role": "core",
                 "message": "You know this."},
            )  # fmt: skip
        assert response.status_code == 302
        inv = Invitation.objects.get()
        assert (inv.email, inv.role, inv.message) == (
            "nia@example.org",
            Role.CORE,
            "You know this.",
        )
        assert mailoutbox[0].to == ["nia@example.org"]
        page = html(client.get(response["Location"]))
        assert "Invitation sent to nia@example.org" in page
        assert "/invitations/" in page

    def test_bad_email_beside_field(self, client, community, coordinator):
        client.force_login(coordinator)
        response = client.post(
            url("invitations", community.slug),
            {"email": "not-an-address", "role": "member"},
        )
        assert "is not an email address" in field_error(response, "id_email")
        assert not Invitation.objects.exists()

    def test_list_shows_states(self, client, community, coordinator):
        for email in ("a@example.org", "b@example.org", "c@example.org"):
            services.invitation_create(
                actor=coordinator, community=community, email=email
            )
        Invitation.objects.filter(email="b@example.org").update(
            expires_at=timezone.now() - timedelta(days=1)
        )
        Invitation.objects.filter(email="c@example.org").update(
            accepted_at=timezone.now()
        )
        client.force_login(coordinator)
        page = html(client.get(url("invitations", community.slug)))
        rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
        states = {
            email: state
            for row in rows
            for email in re.findall(r"\w@example\.org", row)
            for state in re.findall(r">(Pending|Expired|Accepted)<", row)
        }
        assert states == {
            "a@example.org": "Pending",
            "b@example.org": "Expired",
            "c@example.org": "Accepted",
        }


class TestInvitationAccept:
    @pytest.fixture
    def invite(self, private):
        inviter = Membership.objects.get(community=private).user
        _, raw = services.invitation_create(
            actor=inviter, community=private, email="nia@example.org",
            message="Join us!",
        )  # fmt: skip
        return private, inviter, raw

    def test_signed_out_sees_community_and_sign_in(self, client, invite):
        c, inviter, raw = invite
        path = url("invitation", raw)
        page = html(client.get(path))
        assert c.name in page and inviter.name in page and "Join us!" in page
        assert f"{reverse('account_login')}?next={path}" in page

    def test_accept(self, client, invite):
        c, _, raw = invite
        user = signed_in(client, UserFactory(email="nia@example.org"))
        response = client.post(url("invitation", raw))
        assert response["Location"] == url("detail", c.slug)
        m = Membership.objects.get(user=user, community=c)
        assert (m.status, m.role) == (Status.ACTIVE, Role.MEMBER)
        assert client.get(response["Location"]).status_code == 200

    def test_other_email_is_explained(self, client, invite):
        _, _, raw = invite
        user = signed_in(client)
        page = html(client.get(url("invitation", raw)))
        assert "sent to <strong>nia@example.org</strong>" in page
        page = html(client.post(url("invitation", raw)))
        assert f"you are signed in as {user.email}" in page
        assert not Membership.objects.filter(user=user).exists()

    def test_expired_and_used(self, client, invite):
        _, _, raw = invite
        signed_in(client, UserFactory(email="nia@example.org"))
        Invitation.objects.update(expires_at=timezone.now() - timedelta(1))
        page = html(client.get(url("invitation", raw)))
        assert "This invitation expired" in page
        assert "expired on" in html(client.post(url("invitation", raw)))
        Invitation.objects.update(
            expires_at=timezone.now() + timedelta(1),
            accepted_at=timezone.now(),
        )
        page = html(client.get(url("invitation", raw)))
        assert "already used" in page

    def test_unknown_token(self, client):
        response = client.get(url("invitation", "nonsense"))
        assert response.status_code == 404
        assert "This invitation link is not valid" in html(response)

    def test_anonymous_accept_goes_to_sign_in(self, client, invite):
        _, _, raw = invite
        response = client.post(url("invitation", raw))
        assert response["Location"].startswith(reverse("account_login"))


# --- create and edit -----------------------------------------------------


def community_data(**over) -> dict:
    data = {
        "name": "Safety & Quality",
        "slug": "",
        "tagline": "Making the line safer",
        "charter": "We **care**.",
        "kind": "professional",
        "visibility": "organisation",
        "policy": "approval",
        "statement_prompt": "Which incidents have you reviewed?",
        "departments": ["quality", "maintenance"],
    }
    data.update(over)
    return data


class TestCreateAndEdit:
    @pytest.fixture(autouse=True)
    def _departments(self, db):
        DepartmentFactory(name="Quality", slug="quality")
        DepartmentFactory(name="Maintenance", slug="maintenance")

    def test_form_has_labels_for_every_input(self, client):
        signed_in(client)
        page = html(client.get(url("create")))
        for name in (
            "name", "slug", "tagline", "charter", "kind", "is_formal",
            "visibility", "policy", "statement_prompt", "departments",
            "members_propose_tags",
        ):  # fmt: skip
            assert f'for="id_{name}"' in page
        assert "<select" in page and "multiple" in page

    def test_create(self, client):
        user = signed_in(client)
        response = client.post(url("create"), community_data(is_formal="on"))
        c = Community.objects.get()
        assert response["Location"] == url("detail", "safety-quality")
        assert (c.visibility, c.policy, c.is_formal) == (
            "organisation",
            "approval",
            True,
        )
        assert c.members_propose_tags is False  # the box was left unticked
        assert c.charter_html == "<p>We <strong>care</strong>.</p>\n"
        assert sorted(d.slug for d in c.departments.all()) == [
            "maintenance",
            "quality",
        ]
        m = Membership.objects.get(community=c)
        assert (m.user, m.role) == (user, Role.COORDINATOR)

    def test_duplicate_slug_beside_field(self, client):
        CommunityFactory(slug="taken")
        signed_in(client)
        response = client.post(url("create"), community_data(slug="taken"))
        assert response.status_code == 200
        assert "already used" in field_error(response, "id_slug")
        assert Community.objects.count() == 1

    def test_missing_name_beside_field(self, client):
        signed_in(client)
        response = client.post(url("create"), community_data(name=""))
        assert "required" in field_error(response, "id_name")

    def test_anonymous_cannot_create(self, client):
        response = client.get(url("create"))
        assert response["Location"].startswith(reverse("account_login"))

    def test_edit(self, client, community, coordinator):
        community.departments.add(DepartmentFactory(slug="quality"))
        client.force_login(coordinator)
        page = html(client.get(url("edit", community.slug)))
        assert f'value="{community.name}"' in page
        assert '<option value="quality" selected>' in page
        assert re.search(r'name="members_propose_tags"[^>]* checked', page)
        response = client.post(
            url("edit", community.slug),
            community_data(name="Renamed", slug="", departments=[]),
        )
        assert response["Location"] == url("detail", community.slug)
        community.refresh_from_db()
        assert community.name == "Renamed"
        assert community.members_propose_tags is False
        assert community.slug.startswith("community-")  # slug kept
        assert not community.departments.exists()

    def test_edit_duplicate_slug(self, client, community, coordinator):
        CommunityFactory(slug="taken")
        client.force_login(coordinator)
        response = client.post(
            url("edit", community.slug),
            community_data(name="Renamed", slug="taken"),
        )
        assert "already used" in field_error(response, "id_slug")
        page = html(response)
        assert f"Edit {community.name}</h1>" in page  # not "Renamed"
        community.refresh_from_db()
        assert community.name != "Renamed"

    def test_member_cannot_edit(self, client, community):
        client.force_login(member(community))
        response = client.get(url("edit", community.slug))
        assert response.status_code == 403
        assert "coordinators" in html(response)
