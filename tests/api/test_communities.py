"""The communities router: directory, membership, requests, invitations."""

from datetime import timedelta

import pytest
from django.core import mail
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
from practica.core.models import Activity
from tests.api.conftest import Api, ok, problem
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    ExpertiseFactory,
    SkillFactory,
    UserFactory,
    member,
)


def names(body: dict) -> list[str]:
    return [item["name"] for item in body["items"]]


class TestList:
    @pytest.fixture
    def three(self, db):
        return (
            CommunityFactory(name="Alpha", visibility=Visibility.PUBLIC),
            CommunityFactory(name="Beta", visibility=Visibility.ORGANISATION),
            CommunityFactory(name="Gamma", visibility=Visibility.PRIVATE),
        )

    def test_anonymous_sees_public_only(self, api: Api, three):
        body = ok(api.get("/communities"))
        assert names(body) == ["Alpha"]
        assert body["next_cursor"] is None

    def test_signed_in_sees_organisation_too(self, api: Api, three, user):
        assert names(ok(api.get("/communities", user=user))) == [
            "Alpha",
            "Beta",
        ]

    def test_members_see_their_private_community(self, api: Api, three):
        insider = member(three[2])
        body = ok(api.get("/communities", user=insider))
        assert names(body) == ["Alpha", "Beta", "Gamma"]

    def test_item_fields(self, api: Api):
        dept = DepartmentFactory(name="Research", slug="research")
        c = CommunityFactory(
            name="Alpha", kind=Kind.ACADEMIC, policy=Policy.APPROVAL
        )
        c.departments.add(dept)
        member(c)
        (item,) = ok(api.get("/communities"))["items"]
        assert item == {
            "id": c.pk,
            "slug": c.slug,
            "name": "Alpha",
            "tagline": c.tagline,
            "kind": "academic",
            "is_formal": False,
            "visibility": "public",
            "policy": "approval",
            "is_practice": True,
            "member_count": 1,
            "departments": [{"slug": "research", "name": "Research"}],
        }

    def test_filters(self, api: Api, user):
        dept = DepartmentFactory(slug="ops")
        a = CommunityFactory(name="Alpha", kind=Kind.SOCIAL)
        a.departments.add(dept)
        CommunityFactory(name="Beta", tagline="Reliable releases")
        c = CommunityFactory(name="Gamma")
        member(c)
        c.memberships.update(user=user)
        assert names(ok(api.get("/communities", kind="social"))) == ["Alpha"]
        by_dept = api.get("/communities", department="ops")
        assert names(ok(by_dept)) == ["Alpha"]
        assert names(ok(api.get("/communities", q="RELIABLE"))) == ["Beta"]
        mine = api.get("/communities", mine="true", user=user)
        assert names(ok(mine)) == ["Gamma"]
        assert names(ok(api.get("/communities", mine="true"))) == []

    def test_unknown_kind_is_refused(self, api: Api):
        problem(api.get("/communities", kind="hobby"), 422, "kind")


class TestCreate:
    def test_creates_with_creator_as_coordinator(self, api: Api, user):
        DepartmentFactory(slug="ops", name="Operations")
        response = api.post(
            "/communities",
            {
                "name": "Safety & Quality",
                "tagline": "Safer releases",
                "charter": "We **meet** <script>alert(1)</script>",
                "charter_html": "<b>ignored</b>",
                "policy": "approval",
                "visibility": "organisation",
                "departments": ["ops"],
            },
            user=user,
        )
        body = ok(response, 201)
        assert body["slug"] == "safety-quality"
        assert body["charter_html"].startswith("<p>We <strong>meet</strong>")
        assert "<script>" not in body["charter_html"]
        assert body["departments"] == [{"slug": "ops", "name": "Operations"}]
        assert body["membership"]["role"] == "coordinator"
        assert body["coordinators"][0]["id"] == user.pk
        c = Community.objects.get(slug="safety-quality")
        assert (c.policy, c.visibility, c.member_count) == (
            "approval",
            "organisation",
            1,
        )
        assert "ignored" not in c.charter_html
        assert c.memberships.get().user == user

    def test_duplicate_slug_is_refused(self, api: Api, user):
        CommunityFactory(slug="safety")
        response = api.post(
            "/communities",
            {"name": "Safety", "tagline": "x"},
            user=user,
        )
        body = problem(response, 422, "slug")
        assert "already used" in body["errors"]["slug"][0]
        assert Community.objects.count() == 1

    def test_unknown_department_and_policy_are_refused(self, api: Api, user):
        response = api.post(
            "/communities",
            {
                "name": "Safety",
                "tagline": "x",
                "policy": "lottery",
                "departments": ["nowhere"],
            },
            user=user,
        )
        problem(response, 422, "policy")
        response = api.post(
            "/communities",
            {"name": "Safety", "tagline": "x", "departments": ["nowhere"]},
            user=user,
        )
        problem(response, 422, "departments")
        assert not Community.objects.exists()

    def test_anonymous_is_refused(self, api: Api):
        response = api.post("/communities", {"name": "S", "tagline": "x"})
        problem(response, 401)
        assert not Community.objects.exists()


class TestDetail:
    def test_public_community_for_anyone(self, api: Api, community):
        boss = member(community, Role.COORDINATOR)
        body = ok(api.get(f"/communities/{community.slug}"))
        assert body["name"] == community.name
        assert body["membership"] is None
        assert [p["id"] for p in body["coordinators"]] == [boss.pk]
        assert {"charter", "charter_html", "statement_prompt"} <= set(body)

    def test_shows_my_membership(self, api: Api, community):
        me = member(community, Role.CORE)
        body = ok(api.get(f"/communities/{community.slug}", user=me))
        mine = body["membership"]
        assert (mine["role"], mine["status"]) == ("core", "active")
        assert mine["community"] == {
            "slug": community.slug,
            "name": community.name,
        }

    @pytest.mark.parametrize("signed_in", [False, True])
    def test_private_community_is_hidden_from_outsiders(
        self, api: Api, signed_in
    ):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        user = UserFactory() if signed_in else None
        response = api.get(f"/communities/{secret.slug}", user=user)
        problem(response, 404)
        insider = member(secret)
        ok(api.get(f"/communities/{secret.slug}", user=insider))

    def test_organisation_community_needs_sign_in(self, api: Api):
        c = CommunityFactory(visibility=Visibility.ORGANISATION)
        problem(api.get(f"/communities/{c.slug}"), 404)

    def test_unknown_slug(self, api: Api, user):
        problem(api.get("/communities/nope", user=user), 404)


class TestUpdate:
    def test_coordinator_changes_settings(
        self, api: Api, community, coordinator
    ):
        DepartmentFactory(slug="ops")
        response = api.patch(
            f"/communities/{community.slug}",
            {
                "tagline": "Better releases",
                "charter": "# Charter",
                "departments": ["ops"],
                "name": None,
            },
            user=coordinator,
        )
        body = ok(response)
        assert body["tagline"] == "Better releases"
        assert body["charter_html"] == "<h1>Charter</h1>\n"
        community.refresh_from_db()
        assert community.tagline == "Better releases"
        assert community.name == body["name"]  # null left it alone
        assert [d.slug for d in community.departments.all()] == ["ops"]

    def test_member_is_refused(self, api: Api, community):
        response = api.patch(
            f"/communities/{community.slug}",
            {"tagline": "Mine now"},
            user=member(community),
        )
        problem(response, 403)
        community.refresh_from_db()
        assert community.tagline != "Mine now"

    def test_bad_values_are_refused(self, api: Api, community, coordinator):
        response = api.patch(
            f"/communities/{community.slug}",
            {"name": "", "slug": "admin"},
            user=coordinator,
        )
        problem(response, 422, "name", "slug")
        response = api.patch(
            f"/communities/{community.slug}",
            {"visibility": "secret"},
            user=coordinator,
        )
        problem(response, 422, "visibility")

    def test_private_community_is_hidden(self, api: Api, user):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        response = api.patch(
            f"/communities/{secret.slug}", {"tagline": "x"}, user=user
        )
        problem(response, 404)

    def test_anonymous_is_refused(self, api: Api, community):
        response = api.patch(f"/communities/{community.slug}", {"name": "x"})
        problem(response, 401)


class TestMembers:
    def test_lists_active_members_with_expertise(self, api: Api, community):
        boss = member(community, Role.COORDINATOR)
        expert = member(community)
        member(community, status=Status.PENDING)
        ExpertiseFactory(user=expert, skill=SkillFactory(slug="terraform"))
        body = ok(api.get(f"/communities/{community.slug}/members", user=boss))
        ids = {item["person"]["id"] for item in body["items"]}
        assert ids == {boss.pk, expert.pk}
        (row,) = [i for i in body["items"] if i["person"]["id"] == expert.pk]
        assert row["role"] == "member"
        assert row["person"]["expertise"][0]["skill"]["slug"] == "terraform"
        assert "email" not in row["person"]

    def test_filters_by_role_and_skill(self, api: Api, community):
        boss = member(community, Role.COORDINATOR)
        expert = member(community)
        ExpertiseFactory(user=expert, skill=SkillFactory(slug="terraform"))
        path = f"/communities/{community.slug}/members"
        by_role = ok(api.get(path, role="coordinator", user=boss))
        assert [i["person"]["id"] for i in by_role["items"]] == [boss.pk]
        by_skill = ok(api.get(path, skill="terraform", user=boss))
        assert [i["person"]["id"] for i in by_skill["items"]] == [expert.pk]
        problem(api.get(path, role="king", user=boss), 422, "role")

    def test_anonymous_is_asked_to_sign_in(self, api: Api, community):
        problem(api.get(f"/communities/{community.slug}/members"), 401)

    def test_private_community_is_hidden(self, api: Api, user):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        response = api.get(f"/communities/{secret.slug}/members", user=user)
        problem(response, 404)


class TestJoinAndLeave:
    def test_join_open_community(self, api: Api, community, user):
        path = f"/communities/{community.slug}/join"
        body = ok(api.post(path, {}, user=user))
        assert (body["role"], body["status"]) == ("member", "active")
        m = Membership.objects.get(user=user, community=community)
        assert m.status == Status.ACTIVE
        again = ok(api.post(path, {}, user=user))
        assert again["id"] == body["id"]
        assert Membership.objects.filter(user=user).count() == 1

    def test_join_needs_no_body(self, api: Api, community, user):
        body = ok(api.post(f"/communities/{community.slug}/join", user=user))
        assert body["status"] == "active"

    def test_approval_needs_a_practice_statement(self, api: Api, user):
        c = CommunityFactory(policy=Policy.APPROVAL)
        path = f"/communities/{c.slug}/join"
        response = api.post(
            path, {"practice_statement": "I like it"}, user=user
        )
        problem(response, 422, "practice_statement")
        assert not Membership.objects.filter(user=user).exists()
        statement = "Ten years running incident reviews at scale."
        body = ok(api.post(path, {"practice_statement": statement}, user=user))
        assert (body["status"], body["role"]) == ("pending", "newcomer")
        assert body["practice_statement"] == statement

    def test_invitation_only_is_refused(self, api: Api, user):
        c = CommunityFactory(policy=Policy.INVITATION)
        response = api.post(f"/communities/{c.slug}/join", {}, user=user)
        body = problem(response, 403)
        assert "invitation only" in body["detail"]
        assert not Membership.objects.exists()

    def test_private_community_is_hidden(self, api: Api, user):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        response = api.post(f"/communities/{secret.slug}/join", {}, user=user)
        problem(response, 404)
        assert not Membership.objects.exists()

    def test_anonymous_is_refused(self, api: Api, community):
        problem(api.post(f"/communities/{community.slug}/join", {}), 401)

    def test_leave(self, api: Api, community):
        me = member(community)
        body = ok(api.post(f"/communities/{community.slug}/leave", user=me))
        assert body["status"] == "left"
        community.refresh_from_db()
        assert community.member_count == 0

    def test_leave_when_not_a_member(self, api: Api, community, user):
        response = api.post(f"/communities/{community.slug}/leave", user=user)
        assert "not a member" in problem(response, 409)["detail"]

    def test_last_coordinator_cannot_leave(
        self, api: Api, community, coordinator
    ):
        path = f"/communities/{community.slug}/leave"
        problem(api.post(path, user=coordinator), 409)
        assert Membership.objects.get(user=coordinator).status == "active"


@pytest.fixture
def approval(db):
    return CommunityFactory(policy=Policy.APPROVAL)


@pytest.fixture
def boss(approval):
    return member(approval, Role.COORDINATOR)


@pytest.fixture
def request_(approval):
    user = UserFactory()
    return services.community_join(
        user=user,
        community=approval,
        practice_statement="Eight years of on-call and postmortems.",
    )


class TestRequests:
    def test_coordinator_sees_pending_requests(
        self, api: Api, approval, boss, request_
    ):
        body = ok(api.get(f"/communities/{approval.slug}/requests", user=boss))
        assert [r["id"] for r in body] == [request_.pk]
        assert body[0]["practice_statement"].startswith("Eight years")
        assert body[0]["person"]["id"] == request_.user_id

    def test_member_is_refused(self, api: Api, approval, request_):
        path = f"/communities/{approval.slug}/requests"
        problem(api.get(path, user=member(approval)), 403)
        problem(api.get(path), 401)

    def test_approve(self, api: Api, boss, request_):
        path = f"/memberships/{request_.pk}/approve"
        body = ok(api.post(path, {"role": "member"}, user=boss))
        assert (body["status"], body["role"]) == ("active", "member")
        assert body["person"]["id"] == request_.user_id
        request_.refresh_from_db()
        assert (request_.status, request_.decided_by) == ("active", boss)
        problem(api.post(path, {}, user=boss), 409)

    def test_approve_without_body_admits_a_newcomer(
        self, api: Api, boss, request_
    ):
        path = f"/memberships/{request_.pk}/approve"
        body = ok(api.post(path, user=boss))
        assert (body["status"], body["role"]) == ("active", "newcomer")

    def test_approve_refusals(self, api: Api, approval, boss, request_):
        path = f"/memberships/{request_.pk}/approve"
        problem(api.post(path, {"role": "king"}, user=boss), 422, "role")
        problem(api.post(path, {}, user=member(approval)), 403)
        problem(api.post(path, {}), 401)
        problem(api.post("/memberships/999999/approve", {}, user=boss), 404)
        request_.refresh_from_db()
        assert request_.status == Status.PENDING

    def test_outsider_of_private_community_gets_404(self, api: Api):
        secret = CommunityFactory(
            visibility=Visibility.PRIVATE, policy=Policy.APPROVAL
        )
        pending = member(secret, Role.NEWCOMER, status=Status.PENDING)
        m = Membership.objects.get(user=pending)
        response = api.post(
            f"/memberships/{m.pk}/approve", {}, user=UserFactory()
        )
        problem(response, 404)

    def test_decline(self, api: Api, boss, request_):
        path = f"/memberships/{request_.pk}/decline"
        problem(api.post(path, {"reason": " "}, user=boss), 422, "reason")
        problem(api.post(path, {}, user=boss), 422, "reason")
        body = ok(api.post(path, {"reason": "Not yet"}, user=boss))
        assert (body["status"], body["reason"]) == ("declined", "Not yet")
        request_.refresh_from_db()
        assert request_.status == Status.DECLINED


class TestModeration:
    def test_set_role(self, api: Api, community, coordinator):
        m = Membership.objects.get(user=member(community))
        body = ok(
            api.patch(
                f"/memberships/{m.pk}", {"role": "core"}, user=coordinator
            )
        )
        assert body["role"] == "core"
        m.refresh_from_db()
        assert m.role == Role.CORE

    def test_set_role_refusals(self, api: Api, community, coordinator):
        boss = Membership.objects.get(user=coordinator)
        path = f"/memberships/{boss.pk}"
        response = api.patch(path, {"role": "member"}, user=coordinator)
        assert "last coordinator" in problem(response, 409)["detail"]
        problem(api.patch(path, {}, user=coordinator), 422, "role")
        other = member(community)
        problem(api.patch(path, {"role": "member"}, user=other), 403)
        boss.refresh_from_db()
        assert boss.role == Role.COORDINATOR

    def test_role_of_inactive_membership(
        self, api: Api, community, coordinator
    ):
        gone = member(community, status=Status.LEFT)
        m = Membership.objects.get(user=gone)
        response = api.patch(
            f"/memberships/{m.pk}", {"role": "core"}, user=coordinator
        )
        problem(response, 422, "role")

    def test_remove(self, api: Api, community, coordinator):
        m = Membership.objects.get(user=member(community))
        path = f"/memberships/{m.pk}/remove"
        problem(
            api.post(path, {"reason": ""}, user=coordinator), 422, "reason"
        )
        body = ok(api.post(path, {"reason": "Spam"}, user=coordinator))
        assert (body["status"], body["reason"]) == ("removed", "Spam")
        m.refresh_from_db()
        assert m.status == Status.REMOVED
        problem(api.post(path, {"reason": "Again"}, user=coordinator), 409)

    def test_body_is_required_where_fields_are(
        self, api: Api, community, coordinator
    ):
        m = Membership.objects.get(user=member(community))
        path = f"/memberships/{m.pk}/remove"
        body = problem(api.post(path, user=coordinator), 422, "body")
        assert body["errors"]["body"] == ["This field is required."]
        m.refresh_from_db()
        assert m.status == Status.ACTIVE

    def test_remove_refusals(self, api: Api, community, coordinator):
        boss = Membership.objects.get(user=coordinator)
        path = f"/memberships/{boss.pk}/remove"
        problem(api.post(path, {"reason": "x"}, user=coordinator), 409)
        problem(api.post(path, {"reason": "x"}, user=member(community)), 403)
        problem(api.post(path, {"reason": "x"}), 401)
        boss.refresh_from_db()
        assert boss.status == Status.ACTIVE


class TestInvitations:
    def test_create_mails_the_token_and_never_returns_it(
        self,
        api: Api,
        community,
        coordinator,
        django_capture_on_commit_callbacks,
    ):
        path = f"/communities/{community.slug}/invitations"
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                path,
                {"email": "New@Example.org", "role": "core", "message": "Hi"},
                user=coordinator,
            )
        body = ok(response, 201)
        assert body["email"] == "new@example.org"
        assert (body["role"], body["state"]) == ("core", "pending")
        assert body["invited_by"] == {
            "id": coordinator.pk,
            "name": coordinator.name,
        }
        assert len(mail.outbox) == 1
        link = mail.outbox[0].body.split("Accept the invitation: ")[1]
        raw = link.split()[0].rstrip("/").rsplit("/", 1)[1]
        invitation = Invitation.objects.get()
        listed = api.get(path, user=coordinator)
        for text in (response.content.decode(), listed.content.decode()):
            assert raw not in text
            assert invitation.token_hash not in text
        assert [i["id"] for i in ok(listed)] == [invitation.pk]

    def test_list_states(self, api: Api, community, coordinator):
        services.invitation_create(
            actor=coordinator, community=community, email="a@example.org"
        )
        old, _ = services.invitation_create(
            actor=coordinator, community=community, email="b@example.org"
        )
        Invitation.objects.filter(pk=old.pk).update(
            expires_at=timezone.now() - timedelta(days=1)
        )
        path = f"/communities/{community.slug}/invitations"
        states = {
            i["email"]: i["state"] for i in ok(api.get(path, user=coordinator))
        }
        assert states == {
            "a@example.org": "pending",
            "b@example.org": "expired",
        }

    def test_refusals(self, api: Api, community, coordinator):
        path = f"/communities/{community.slug}/invitations"
        response = api.post(path, {"email": "not-an-email"}, user=coordinator)
        problem(response, 422, "email")
        response = api.post(
            path, {"email": coordinator.email}, user=coordinator
        )
        problem(response, 422, "email")
        core = member(community, Role.CORE)
        response = api.post(
            path, {"email": "x@example.org", "role": "coordinator"}, user=core
        )
        assert "Only coordinators" in problem(response, 403)["detail"]
        plain = member(community)
        problem(api.post(path, {"email": "x@example.org"}, user=plain), 403)
        problem(api.get(path, user=plain), 403)
        problem(api.post(path, {"email": "x@example.org"}), 401)
        problem(api.get(path), 401)
        assert not Invitation.objects.exists()

    def test_private_community_is_hidden(self, api: Api, user):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        path = f"/communities/{secret.slug}/invitations"
        problem(api.get(path, user=user), 404)
        problem(api.post(path, {"email": "x@example.org"}, user=user), 404)

    def test_accept(self, api: Api, community, coordinator):
        invitee = UserFactory(email="new@example.org")
        _, raw = services.invitation_create(
            actor=coordinator,
            community=community,
            email="new@example.org",
            role=Role.CORE,
        )
        body = ok(
            api.post("/invitations/accept", {"token": raw}, user=invitee)
        )
        assert (body["status"], body["role"]) == ("active", "core")
        assert body["community"]["slug"] == community.slug
        m = Membership.objects.get(user=invitee)
        assert (m.status, m.role) == (Status.ACTIVE, Role.CORE)
        again = api.post("/invitations/accept", {"token": raw}, user=invitee)
        assert (
            "already used"
            in problem(again, 422, "token")["errors"]["token"][0]
        )

    def test_accept_refusals(self, api: Api, community, coordinator, user):
        _, raw = services.invitation_create(
            actor=coordinator, community=community, email="new@example.org"
        )
        wrong = api.post("/invitations/accept", {"token": raw}, user=user)
        assert (
            "sent to new@example.org"
            in problem(wrong, 422, "token")["errors"]["token"][0]
        )
        bad = api.post("/invitations/accept", {"token": "nope"}, user=user)
        problem(bad, 422, "token")
        problem(api.post("/invitations/accept", {}, user=user), 422, "token")
        problem(api.post("/invitations/accept", {"token": raw}), 401)
        assert not Membership.objects.filter(user=user).exists()


def test_writes_leave_an_activity_record(api: Api, user):
    ok(
        api.post("/communities", {"name": "Alpha", "tagline": "x"}, user=user),
        201,
    )
    verbs = set(Activity.objects.values_list("verb", flat=True))
    assert "community.created" in verbs
