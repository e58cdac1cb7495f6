"""Personal access tokens, the web session, and anonymous callers."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from practica.accounts import services
from practica.accounts.models import AccessToken
from practica.communities.models import Community, Membership
from tests.api.conftest import BASE, Api, ok, problem
from tests.factories import CommunityFactory, UserFactory

CSRF = "a" * 32


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


class TestTokens:
    def test_valid_token_acts_as_its_owner(self, api: Api, user):
        _, raw = services.token_create(actor=user, name="script")
        body = ok(api.get("/me", headers=bearer(raw)))
        assert body["email"] == user.email
        token = AccessToken.objects.get(name="script")
        assert token.last_used_at is not None

    def test_revoked_token_is_refused(self, api: Api, user):
        token, raw = services.token_create(actor=user, name="script")
        services.token_revoke(actor=user, token=token)
        response = api.get("/me", headers=bearer(raw))
        body = problem(response, 401)
        assert "not valid" in body["detail"]
        assert 'error="invalid_token"' in response["WWW-Authenticate"]

    def test_expired_token_is_refused(self, api: Api, user):
        token, raw = services.token_create(
            actor=user,
            name="script",
            expires_at=timezone.now() + timedelta(days=1),
        )
        ok(api.get("/me", headers=bearer(raw)))
        AccessToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        problem(api.get("/me", headers=bearer(raw)), 401)

    def test_token_of_a_closed_account_is_refused(self, api: Api, user):
        _, raw = services.token_create(actor=user, name="script")
        user.is_active = False
        user.save()
        problem(api.get("/me", headers=bearer(raw)), 401)

    @pytest.mark.parametrize(
        "header",
        [
            "Bearer pra_not-a-real-token",
            "Bearer not-even-our-prefix",
            "Bearer",
            "Bearer ",
            "bearer pra_lowercase-scheme-wrong-token",
        ],
    )
    def test_unknown_or_malformed_bearer_is_refused(
        self, api: Api, user, header
    ):
        response = api.get("/me", headers={"Authorization": header})
        body = problem(response, 401)
        assert "not valid" in body["detail"]
        assert 'error="invalid_token"' in response["WWW-Authenticate"]

    def test_token_without_scheme_says_how_to_send_it(self, api: Api, user):
        _, raw = services.token_create(actor=user, name="script")
        response = api.get("/me", headers={"Authorization": raw})
        body = problem(response, 401)
        assert "Bearer pra_" in body["detail"]

    def test_bad_token_is_not_served_as_anonymous(self, api: Api):
        CommunityFactory()
        response = api.get("/communities", headers=bearer("pra_wrong"))
        problem(response, 401)

    def test_other_schemes_are_left_alone(self, api: Api):
        CommunityFactory()
        basic = {"Authorization": "Basic dXNlcjpwYXNz"}
        assert len(ok(api.get("/communities", headers=basic))["items"]) == 1
        problem(api.get("/me", headers=basic), 401)

    def test_scheme_is_case_insensitive(self, api: Api, user):
        _, raw = services.token_create(actor=user, name="script")
        headers = {"Authorization": f"bEaReR {raw}"}
        assert ok(api.get("/me", headers=headers))["id"] == user.pk


class TestSession:
    def test_session_reads(self, client: Client, user):
        client.force_login(user)
        response = client.get(f"{BASE}/me")
        assert ok(response)["id"] == user.pk

    def test_session_write_needs_csrf(self, db, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        body = '{"name": "Safety", "tagline": "Safer releases"}'
        response = client.post(
            f"{BASE}/communities", body, content_type="application/json"
        )
        assert "CSRF" in problem(response, 403)["detail"]
        assert not Community.objects.exists()
        client.cookies["csrftoken"] = CSRF
        response = client.post(
            f"{BASE}/communities",
            body,
            content_type="application/json",
            headers={"X-CSRFToken": CSRF},
        )
        assert ok(response, 201)["slug"] == "safety"

    def test_token_needs_no_csrf(self, db, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)  # a session too: the token wins
        _, raw = services.token_create(actor=user, name="script")
        response = client.post(
            f"{BASE}/communities",
            '{"name": "Safety", "tagline": "Safer releases"}',
            content_type="application/json",
            headers=bearer(raw),
        )
        ok(response, 201)


class TestAnonymous:
    def test_anonymous_write_is_401_with_a_challenge(self, api: Api):
        community = CommunityFactory()
        response = api.post(f"/communities/{community.slug}/join", {})
        body = problem(response, 401)
        assert "Bearer" in body["detail"]
        assert response["WWW-Authenticate"] == 'Bearer realm="practica"'
        assert not Membership.objects.exists()

    def test_anonymous_read_that_needs_sign_in_is_401(self, api: Api):
        community = CommunityFactory()
        response = api.get(f"/communities/{community.slug}/members")
        body = problem(response, 401)
        assert body["detail"] == "Sign in to see who is in this community."


class TestTokenCreation:
    def test_session_creates_a_token_that_works(self, client: Client, user):
        client.force_login(user)
        response = client.post(
            f"{BASE}/me/tokens",
            '{"name": "CI sync"}',
            content_type="application/json",
        )
        body = ok(response, 201)
        assert body["token"].startswith("pra_")
        assert body["prefix"] == body["token"][:12]
        assert body["active"] is True
        token = AccessToken.objects.get(pk=body["id"])
        assert token.token_hash != body["token"]
        fresh = Client()
        me = fresh.get(f"{BASE}/me", headers=bearer(body["token"]))
        assert ok(me)["id"] == user.pk

    def test_a_token_cannot_create_tokens(self, api: Api, user):
        response = api.post("/me/tokens", {"name": "more"}, user=user)
        body = problem(response, 403)
        assert "cannot create tokens" in body["detail"]
        assert list(AccessToken.objects.values_list("name", flat=True)) == [
            "tests"
        ]

    def test_anonymous_cannot_create_tokens(self, api: Api):
        problem(api.post("/me/tokens", {"name": "x"}), 401)
        assert not AccessToken.objects.exists()

    def test_other_people_tokens_stay_private(self, api: Api, user):
        other = UserFactory()
        services.token_create(actor=other, name="theirs")
        names = [t["name"] for t in ok(api.get("/me/tokens", user=user))]
        assert names == ["tests"]
