"""Claiming imported accounts through the API."""

import pytest

from practica.communities.models import Role
from practica.transfer.models import ClaimRequest, ClaimState
from tests.api.conftest import Api, ok, problem
from tests.conversations.factories import ask
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return Api(client)


def test_a_coordinator_hands_the_account_over(
    api, lead, imported, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        body = ok(
            api.post(
                f"/people/{imported.pk}/claim",
                {"email": "Ada@Example.org"},
                user=lead,
            )
        )
    assert body == {
        "id": imported.pk,
        "name": "Ada Imported",
        "email": "ada@example.org",
    }
    assert len(callbacks) == 1  # the invitation, queued after the commit


@pytest.mark.parametrize("who", ["member", "outsider", "other_coordinator"])
def test_others_are_refused_with_403(api, community, imported, who):
    caller = {
        "member": lambda: member(community),
        "outsider": UserFactory,
        "other_coordinator": lambda: member(
            CommunityFactory(), Role.COORDINATOR
        ),
    }[who]()
    body = problem(
        api.post(
            f"/people/{imported.pk}/claim", {"email": "a@b.org"}, user=caller
        ),
        403,
    )
    assert "coordinator of a community this person is in" in body["detail"]


def test_anonymous_callers_get_401(api, imported):
    problem(
        api.post(f"/people/{imported.pk}/claim", {"email": "a@b.org"}), 401
    )


def test_bad_input_is_422_naming_the_field(api, lead, imported, community):
    UserFactory(email="taken@example.org")
    body = problem(
        api.post(
            f"/people/{imported.pk}/claim",
            {"email": "taken@example.org"},
            user=lead,
        ),
        422,
        "email",
    )
    assert "belongs to another account" in body["errors"]["email"][0]
    problem(
        api.post(f"/people/{imported.pk}/claim", {}, user=lead), 422, "email"
    )
    ordinary = member(community)
    body = problem(
        api.post(
            f"/people/{ordinary.pk}/claim", {"email": "a@b.org"}, user=lead
        ),
        422,
        "account",
    )
    assert "can already sign in" in body["detail"]
    problem(
        api.post("/people/999999/claim", {"email": "a@b.org"}, user=lead), 404
    )


def test_requests_approve_and_decline(api, community, lead, imported):
    ada = UserFactory(email="ada@example.org")
    created = ok(
        api.post(
            f"/people/{imported.pk}/claim-requests",
            {"note": "I was ada_b."},
            user=ada,
        ),
        201,
    )
    assert created["state"] == "pending"
    assert created["account"] == {"id": imported.pk, "name": "Ada Imported"}
    problem(
        api.post(
            f"/people/{imported.pk}/claim-requests",
            {"note": "again"},
            user=ada,
        ),
        409,
    )
    problem(
        api.post(
            f"/people/{imported.pk}/claim-requests",
            {"note": " "},
            user=UserFactory(),
        ),
        422,
        "note",
    )
    assert ok(api.get("/claim-requests", user=member(community))) == []
    [row] = ok(api.get("/claim-requests", user=lead))
    assert row["id"] == created["id"]
    assert row["requester_has_content"] is False
    # The requester may see their request, not decide it.
    problem(api.post(f"/claim-requests/{row['id']}/approve", user=ada), 403)
    decided = ok(api.post(f"/claim-requests/{row['id']}/approve", user=lead))
    assert decided["state"] == "approved"
    body = problem(
        api.post(f"/claim-requests/{row['id']}/decline", user=lead), 409
    )
    assert "approved already" in body["detail"]


def test_approving_a_requester_with_content_is_409(
    api, community, lead, imported
):
    ada = member(community)
    ask(ada, community)
    claim = ClaimRequest.objects.create(
        account=imported, requester=ada, note="me"
    )
    [row] = ok(api.get("/claim-requests", user=lead))
    assert row["requester_has_content"] is True
    body = problem(
        api.post(f"/claim-requests/{claim.pk}/approve", user=lead), 409
    )
    assert "cannot be merged" in body["detail"]
    declined = ok(
        api.post(
            f"/claim-requests/{claim.pk}/decline",
            {"reason": "Use another address."},
            user=lead,
        )
    )
    assert declined["state"] == ClaimState.DECLINED
    assert declined["reason"] == "Use another address."
