import pytest

from practica.notifications.models import Follow, Level, Preference
from tests.api.conftest import ok, problem
from tests.conversations.factories import ask
from tests.factories import UserFactory, member
from tests.notifications.factories import fan_out, follow

pytestmark = pytest.mark.django_db


def test_inbox_list_and_mark_read(
    api, community, django_assert_max_num_queries
):
    reader = member(community)
    follow(reader, community)
    asker = member(community)
    qs = [
        ask(asker, community, title=f"API question number {i}")
        for i in range(3)
    ]
    fan_out()
    api.token(reader)
    with django_assert_max_num_queries(6):
        body = ok(api.get("/me/notifications", user=reader))
    assert body["unread"] == 3
    first = body["items"][0]
    assert first["thread_kind"] == "conversation"
    assert first["thread_title"] == qs[-1].title
    assert first["actor"] == {"id": asker.pk, "name": asker.name}
    assert first["reason"] == "follow" and first["read_at"] is None
    done = ok(
        api.post("/me/notifications/read", {"ids": [first["id"]]}, user=reader)
    )
    assert done == {"unread": 2}
    unread = ok(api.get("/me/notifications", user=reader, unread="true"))
    assert [n["id"] for n in unread["items"]] == [
        n["id"] for n in body["items"][1:]
    ]
    again = ok(
        api.post(
            "/me/notifications/read",
            {"ids": [first["id"]], "read": False},
            user=reader,
        )
    )
    assert again == {"unread": 3}
    assert ok(
        api.post("/me/notifications/read", {"all": True}, user=reader)
    ) == {"unread": 0}
    problem(
        api.get("/me/notifications", user=reader, cursor="nonsense"),
        422,
        "cursor",
    )


def test_someone_elses_ids_are_ignored(api, community):
    reader, other = member(community), member(community)
    follow(reader, community)
    ask(member(community), community)
    fan_out()
    [n] = ok(api.get("/me/notifications", user=reader))["items"]
    assert ok(
        api.post("/me/notifications/read", {"ids": [n["id"]]}, user=other)
    ) == {"unread": 0}
    reader.refresh_from_db()
    assert reader.inbox_unread == 1


def test_settings_read_and_change_with_clear_errors(api, user):
    body = ok(api.get("/me/notifications/settings", user=user))
    assert body["digest"] == "weekly"
    assert body["email_for"] == ["reply", "mention", "request"]
    changed = ok(
        api.patch(
            "/me/notifications/settings",
            {"digest": "daily", "quiet_start": "21:30", "quiet_end": "07:00"},
            user=user,
        )
    )
    assert (
        changed["digest"] == "daily" and changed["quiet_start"] == "21:30:00"
    )
    bad = problem(
        api.patch(
            "/me/notifications/settings",
            {
                "email": "ada@",
                "email_for": ["mention", "carrier-pigeon"],
                "digest": "hourly",
            },
            user=user,
        ),
        422,
        "email",
        "email_for",
        "digest",
    )
    assert "not an email address" in bad["errors"]["email"][0]
    assert "carrier-pigeon" in bad["errors"]["email_for"][0]
    assert Preference.objects.get(user=user).digest == "daily"
    problem(api.get("/me/notifications/settings"), 401)


def test_follows_create_change_list_and_delete(api, community):
    reader = member(community)
    made = ok(
        api.post(
            "/me/follows",
            {"kind": "community", "id": community.pk, "level": "replies"},
            user=reader,
        ),
        201,
    )
    assert (made["kind"], made["title"], made["level"], made["auto"]) == (
        "community",
        community.name,
        "replies",
        False,
    )
    assert made["url"] == f"/c/{community.slug}/"
    changed = ok(
        api.patch(f"/me/follows/{made['id']}", {"level": "mute"}, user=reader)
    )
    assert changed["level"] == "mute"
    [listed] = ok(api.get("/me/follows", user=reader))
    assert listed["id"] == made["id"] and listed["level"] == "mute"
    ok(api.delete(f"/me/follows/{made['id']}", user=reader), 204)
    assert not Follow.objects.filter(user=reader).exists()


def test_follow_refusals_name_the_field(api, community):
    reader = member(community)
    bad_level = problem(
        api.post(
            "/me/follows",
            {"kind": "community", "id": community.pk, "level": "loud"},
            user=reader,
        ),
        422,
        "level",
    )
    assert "everything" in bad_level["errors"]["level"][0]
    bad_kind = problem(
        api.post("/me/follows", {"kind": "planet", "id": 1}, user=reader),
        422,
        "target",
    )
    assert "community, tag" in bad_kind["detail"]
    problem(
        api.post("/me/follows", {"kind": "tag", "id": 999999}, user=reader),
        422,
        "id",
    )
    f = follow(member(community), community)
    problem(
        api.patch(f"/me/follows/{f.pk}", {"level": "mute"}, user=reader),
        422,
        "id",
    )
    problem(api.delete(f"/me/follows/{f.pk}", user=reader), 422, "id")
    assert Follow.objects.get(pk=f.pk).level == Level.EVERYTHING


def test_a_private_community_cannot_be_followed_from_outside(api):
    from practica.communities.models import Visibility
    from tests.factories import CommunityFactory

    private = CommunityFactory(visibility=Visibility.PRIVATE)
    problem(
        api.post(
            "/me/follows",
            {"kind": "community", "id": private.pk},
            user=UserFactory(),
        ),
        422,
        "id",
    )
