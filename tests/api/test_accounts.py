"""The people router: directory, profiles, expertise, tokens."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from practica.accounts import services
from practica.accounts.models import (
    AccessToken,
    Endorsement,
    Expertise,
    User,
)
from practica.communities.models import Role, Visibility
from tests.api.conftest import BASE, Api, ok, problem
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    ExpertiseFactory,
    SkillFactory,
    UserFactory,
    member,
)


class TestDirectory:
    def test_lists_active_people_by_name(self, api: Api):
        dept = DepartmentFactory(slug="ops", name="Operations")
        ada = UserFactory(display_name="Ada", department=dept)
        UserFactory(display_name="Bob", is_active=False)
        cy = UserFactory(display_name="Cy")
        ExpertiseFactory(user=ada, skill=SkillFactory(slug="sre", name="SRE"))
        body = ok(api.get("/people", user=cy))
        assert [p["name"] for p in body["items"]] == ["Ada", "Cy"]
        first = body["items"][0]
        assert first["department"] == {"slug": "ops", "name": "Operations"}
        assert first["expertise"][0]["skill"] == {"slug": "sre", "name": "SRE"}
        assert first["expertise"][0]["level_label"] == "Competent"
        assert "email" not in first
        assert body["next_cursor"] is None

    def test_filters(self, api: Api, user):
        ops = DepartmentFactory(slug="ops")
        ada = UserFactory(
            display_name="Ada", department=ops, job_title="SRE lead"
        )
        bob = UserFactory(display_name="Bob", available_to_help=True)
        ExpertiseFactory(user=bob, skill=SkillFactory(slug="terraform"))

        def ids(**query):
            body = ok(api.get("/people", user=user, **query))
            return [p["id"] for p in body["items"]]

        assert ids(department="ops") == [ada.pk]
        assert ids(skill="terraform") == [bob.pk]
        assert ids(available="true") == [bob.pk]
        assert ids(q="sre LEAD") == [ada.pk]
        problem(
            api.get("/people", available="maybe", user=user), 422, "available"
        )

    def test_anonymous_is_refused(self, api: Api, user):
        problem(api.get("/people"), 401)
        problem(api.get(f"/people/{user.pk}"), 401)


class TestProfile:
    def test_profile_with_visible_communities_and_my_endorsements(
        self, api: Api, user
    ):
        person = UserFactory(introduction_html="<p>Hello</p>")
        shown = CommunityFactory(name="Open")
        hidden = CommunityFactory(visibility=Visibility.PRIVATE)
        for c in (shown, hidden):
            member(c).memberships.update(user=person)
        e1 = ExpertiseFactory(user=person)
        ExpertiseFactory(user=person)
        services.expertise_endorse(actor=user, expertise=e1)
        body = ok(api.get(f"/people/{person.pk}", user=user))
        assert body["id"] == person.pk
        assert body["introduction_html"] == "<p>Hello</p>"
        assert body["communities"] == [
            {"slug": shown.slug, "name": "Open", "role": "member"}
        ]
        assert body["endorsed"] == [e1.pk]
        assert len(body["expertise"]) == 2
        assert "email" not in body

    def test_closed_and_unknown_accounts_are_404(self, api: Api, user):
        closed = UserFactory(is_active=False)
        problem(api.get(f"/people/{closed.pk}", user=user), 404)
        problem(api.get("/people/999999", user=user), 404)


class TestLists:
    def test_departments_and_skills_are_public(self, api: Api):
        DepartmentFactory(name="Research", slug="research")
        DepartmentFactory(name="Operations", slug="ops")
        SkillFactory(name="Terraform", slug="terraform")
        assert ok(api.get("/departments")) == [
            {"slug": "ops", "name": "Operations"},
            {"slug": "research", "name": "Research"},
        ]
        assert ok(api.get("/skills")) == [
            {"slug": "terraform", "name": "Terraform"}
        ]


class TestMe:
    def test_get(self, api: Api, user):
        body = ok(api.get("/me", user=user))
        assert body["email"] == user.email
        assert body["display_name"] == user.display_name
        assert body["time_zone"] == "Europe/Berlin"

    def test_patch(self, api: Api, user):
        DepartmentFactory(slug="ops", name="Operations")
        body = ok(
            api.patch(
                "/me",
                {
                    "job_title": "SRE",
                    "time_zone": "America/New_York",
                    "introduction": "I *fix* things",
                    "introduction_html": "<script>x</script>",
                    "department": "ops",
                    "available_to_help": True,
                    "display_name": None,
                },
                user=user,
            )
        )
        assert body["introduction_html"] == "<p>I <em>fix</em> things</p>\n"
        assert body["department"] == {"slug": "ops", "name": "Operations"}
        user.refresh_from_db()
        assert (user.job_title, user.time_zone) == ("SRE", "America/New_York")
        assert user.available_to_help is True
        assert user.display_name == body["display_name"] != ""
        ok(api.patch("/me", {"department": ""}, user=user))
        user.refresh_from_db()
        assert user.department is None

    def test_patch_refusals_name_the_field(self, api: Api, user):
        response = api.patch(
            "/me",
            {
                "time_zone": "Mars/Olympus",
                "department": "nowhere",
                "display_name": "",
                "pronouns": "x" * 31,
            },
            user=user,
        )
        problem(
            response,
            422,
            "time_zone",
            "department",
            "display_name",
            "pronouns",
        )
        user.refresh_from_db()
        assert user.time_zone == "Europe/Berlin"

    def test_anonymous_is_refused(self, api: Api):
        problem(api.get("/me"), 401)
        problem(api.patch("/me", {"job_title": "x"}), 401)


class TestExpertise:
    def test_declare_change_and_list(self, api: Api, user):
        body = ok(
            api.put(
                "/me/expertise",
                {"skill": "Root cause analysis", "level": 4, "years": 6},
                user=user,
            )
        )
        assert body["skill"] == {
            "slug": "root-cause-analysis",
            "name": "Root cause analysis",
        }
        assert (body["level"], body["years"], body["verified"]) == (
            4,
            6,
            False,
        )
        again = ok(
            api.put(
                "/me/expertise",
                {"skill": "root cause analysis", "level": 5, "years": 7},
                user=user,
            )
        )
        assert again["id"] == body["id"]
        e = Expertise.objects.get()
        assert (e.level, e.years) == (5, 7)
        listed = ok(api.get("/me/expertise", user=user))
        assert [x["id"] for x in listed] == [e.pk]

    def test_refusals_name_the_field(self, api: Api, user):
        response = api.put(
            "/me/expertise",
            {"skill": "Terraform", "level": 9, "years": 99},
            user=user,
        )
        problem(response, 422, "level", "years")
        problem(
            api.put("/me/expertise", {"level": 3}, user=user), 422, "skill"
        )
        response = api.put(
            "/me/expertise", {"skill": "!!!", "level": 3}, user=user
        )
        problem(response, 422, "skill")
        problem(api.put("/me/expertise", {"skill": "x", "level": 3}), 401)
        assert not Expertise.objects.exists()

    def test_remove(self, api: Api, user):
        mine = ExpertiseFactory(user=user)
        theirs = ExpertiseFactory()
        problem(api.delete(f"/me/expertise/{theirs.pk}", user=user), 403)
        problem(api.delete("/me/expertise/999999", user=user), 404)
        ok(api.delete(f"/me/expertise/{mine.pk}", user=user), 204)
        assert list(Expertise.objects.all()) == [theirs]

    def test_endorse_and_withdraw(self, api: Api, user):
        e = ExpertiseFactory()
        path = f"/expertise/{e.pk}/endorse"
        assert ok(api.post(path, user=user))["endorsement_count"] == 1
        assert ok(api.post(path, user=user))["endorsement_count"] == 1
        assert Endorsement.objects.filter(endorser=user).count() == 1
        assert ok(api.delete(path, user=user))["endorsement_count"] == 0
        assert not Endorsement.objects.exists()

    def test_endorse_refusals(self, api: Api, user):
        mine = ExpertiseFactory(user=user)
        path = f"/expertise/{mine.pk}/endorse"
        body = problem(api.post(path, user=user), 403)
        assert body["detail"] == "You cannot endorse your own expertise."
        problem(api.post(path), 401)
        problem(api.post("/expertise/999999/endorse", user=user), 404)
        assert not Endorsement.objects.exists()

    def test_verify(self, api: Api, community, coordinator):
        person = member(community)
        e = ExpertiseFactory(user=person)
        path = f"/expertise/{e.pk}/verify"
        body = ok(api.post(path, user=coordinator))  # verified by default
        assert body["verified"] is True
        e.refresh_from_db()
        assert e.verified_by == coordinator
        body = ok(api.post(path, {"verified": False}, user=coordinator))
        assert body["verified"] is False
        e.refresh_from_db()
        assert e.verified_at is None

    def test_verify_refusals(self, api: Api, community):
        person = member(community)
        e = ExpertiseFactory(user=person)
        path = f"/expertise/{e.pk}/verify"
        problem(api.post(path, {}, user=member(community)), 403)
        elsewhere = member(CommunityFactory(), Role.COORDINATOR)
        problem(api.post(path, {}, user=elsewhere), 403)
        problem(
            api.post(path, {"verified": "perhaps"}, user=person),
            422,
            "verified",
        )
        problem(api.post(path, {}), 401)
        e.refresh_from_db()
        assert e.verified_at is None


class TestTokens:
    @pytest.fixture
    def session(self, client: Client, user: User) -> Client:
        client.force_login(user)
        return client

    def post(self, client: Client, body: dict):
        return client.post(
            f"{BASE}/me/tokens",
            json.dumps(body),
            content_type="application/json",
        )

    def test_list_never_shows_secrets(self, api: Api, user):
        token, raw = services.token_create(actor=user, name="CI")
        services.token_revoke(actor=user, token=token)
        response = api.get("/me/tokens", user=user)
        body = ok(response)
        assert {t["name"]: t["active"] for t in body} == {
            "CI": False,
            "tests": True,
        }
        assert raw not in response.content.decode()
        assert token.token_hash not in response.content.decode()
        assert "token" not in body[0]

    def test_create_with_expiry(self, session, user):
        when = timezone.now() + timedelta(days=30)
        body = ok(
            self.post(session, {"name": "CI", "expires_at": when.isoformat()}),
            201,
        )
        token = AccessToken.objects.get(pk=body["id"])
        assert token.expires_at == when
        assert token.user == user

    def test_create_refusals_name_the_field(self, session):
        past = datetime(2020, 1, 1, tzinfo=UTC).isoformat()
        problem(
            self.post(session, {"name": "CI", "expires_at": past}),
            422,
            "expires_at",
        )
        naive = self.post(
            session, {"name": "CI", "expires_at": "2999-01-01T00:00:00"}
        )
        problem(naive, 422, "expires_at")
        problem(self.post(session, {"name": " "}), 422, "name")
        problem(self.post(session, {}), 422, "name")
        assert not AccessToken.objects.exists()

    def test_revoke(self, api: Api, user):
        token, raw = services.token_create(actor=user, name="CI")
        ok(api.delete(f"/me/tokens/{token.pk}", user=user), 204)
        token.refresh_from_db()
        assert token.revoked_at is not None
        headers = {"Authorization": f"Bearer {raw}"}
        problem(api.get("/me", headers=headers), 401)
        ok(api.delete(f"/me/tokens/{token.pk}", user=user), 204)

    def test_cannot_revoke_someone_elses(self, api: Api, user):
        theirs, _ = services.token_create(actor=UserFactory(), name="theirs")
        problem(api.delete(f"/me/tokens/{theirs.pk}", user=user), 404)
        theirs.refresh_from_db()
        assert theirs.revoked_at is None
        problem(api.delete(f"/me/tokens/{theirs.pk}"), 401)
