"""Every refusal is an RFC 9457 problem document."""

from practica.communities.models import Community, Policy, Role, Visibility
from tests.api.conftest import Api, problem
from tests.factories import CommunityFactory, member


def test_unparsable_body_is_400(api: Api, user):
    response = api.post("/communities", "{not json", user=user)
    body = problem(response, 400)
    assert "not valid JSON" in body["detail"]
    assert not Community.objects.exists()


def test_schema_errors_are_422_keyed_by_field(api: Api, user):
    response = api.post(
        "/communities",
        {"tagline": "x", "kind": "hobby", "departments": ["ok", 3]},
        user=user,
    )
    body = problem(response, 422, "name", "kind", "departments.1")
    assert body["errors"]["name"] == ["This field is required."]
    assert "professional" in body["errors"]["kind"][0]
    assert (
        body["detail"] == "3 fields are not valid: name, kind, departments.1."
    )


def test_service_field_errors_are_422_keyed_by_field(api: Api, user):
    response = api.post(
        "/communities", {"name": "  ", "tagline": "x"}, user=user
    )
    body = problem(response, 422, "name")
    assert body["errors"]["name"] == ["Name is required: please fill it in."]


def test_one_field_error_is_spelled_out_in_detail(api: Api, user):
    response = api.get("/communities", kind="hobby")
    body = problem(response, 422, "kind")
    assert body["detail"].startswith("The field kind is not valid: ")


def test_query_errors_name_the_parameter(api: Api, user):
    response = api.get("/communities", mine="perhaps")
    problem(response, 422, "mine")


def test_permission_denied_is_403_with_the_reason(api: Api, community):
    outsider = member(community)  # a member, not a coordinator
    response = api.patch(
        f"/communities/{community.slug}", {"tagline": "New"}, user=outsider
    )
    body = problem(response, 403)
    assert body["detail"] == "Only this community's coordinators can do that."
    assert body["title"] == "Forbidden"


def test_hidden_community_is_404(api: Api, user):
    secret = CommunityFactory(visibility=Visibility.PRIVATE)
    body = problem(api.get(f"/communities/{secret.slug}", user=user), 404)
    assert body["detail"] == "No such community."
    assert body["title"] == "Not Found"


def test_state_conflict_is_409(api: Api, community, coordinator):
    response = api.post(
        f"/communities/{community.slug}/leave", user=coordinator
    )
    body = problem(response, 409)
    assert "last coordinator" in body["detail"]
    assert body["title"] == "Conflict"


def test_unauthorized_is_401(api: Api):
    body = problem(api.get("/me"), 401)
    assert body["title"] == "Unauthorized"


def test_path_parameter_type_is_checked(api: Api, user):
    response = api.post("/memberships/abc/approve", {}, user=user)
    problem(response, 422, "membership_id")


def test_general_errors_go_to_detail(api: Api, user):
    c = CommunityFactory(policy=Policy.APPROVAL)
    pending = member(c, Role.NEWCOMER, status="pending")
    boss = member(c, Role.COORDINATOR)
    m = c.memberships.get(user=pending)
    api.post(f"/memberships/{m.pk}/approve", {}, user=boss)
    again = api.post(f"/memberships/{m.pk}/approve", {}, user=boss)
    body = problem(again, 409)
    assert body["detail"] == "This request was already decided: active."
