import pytest
from django.urls import reverse

from practica.notifications import services
from practica.notifications.models import Follow, Level, Notification
from tests.conversations.factories import ask
from tests.factories import PASSWORD, UserFactory, member
from tests.notifications.factories import fan_out, follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(community):
    return member(community, user__display_name="Rea Der")


def signed_in(client, person):
    client.login(email=person.email, password=PASSWORD)
    return client


def some_news(community, reader, count=3):
    follow(reader, community)
    asker = member(community)
    qs = [
        ask(asker, community, title=f"Press question number {i} today")
        for i in range(count)
    ]
    fan_out()
    return qs


def test_the_bell_shows_the_count_without_a_query_of_its_own(
    client, community, reader, django_assert_num_queries
):
    some_news(community, reader, 2)
    signed_in(client, reader)
    # session + user: the count is on the user's row
    with django_assert_num_queries(2):
        page = client.get(reverse("notifications:bell"))
    html = page.content.decode()
    assert 'hx-trigger="every 30s"' in html
    assert 'data-unread="2"' in html
    assert page["Cache-Control"] == "no-store"
    home = client.get("/").content.decode()
    assert 'id="bell"' in home and 'data-unread="2"' in home
    assert "notifications/mentions.js" in home


def test_signed_out_bell_stops_polling(client):
    assert client.get(reverse("notifications:bell")).status_code == 286


def test_inbox_groups_by_thread_in_fixed_queries(
    client, community, reader, django_assert_max_num_queries
):
    qs = some_news(community, reader, 3)
    other = member(community)
    from tests.conversations.factories import answer

    answer(other, qs[0])
    fan_out()
    signed_in(client, reader)
    with django_assert_max_num_queries(6) as few:
        page = client.get(reverse("notifications:inbox"))
    html = page.content.decode()
    assert html.count('class="inbox-thread unread"') == 3
    assert f"{other.name} answered" in html
    more = some_news(community, reader, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("notifications:inbox"))
    assert more[-1].title in page.content.decode()


def test_open_marks_the_thread_read_and_goes_there(client, community, reader):
    [q] = some_news(community, reader, 1)
    n = Notification.objects.get(user=reader)
    signed_in(client, reader)
    page = client.get(reverse("notifications:open", args=[n.pk]))
    assert page.status_code == 302 and page["Location"] == f"/q/{q.pk}/"
    reader.refresh_from_db()
    assert reader.inbox_unread == 0
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_someone_elses_notification_is_refused(client, community, reader):
    some_news(community, reader, 1)
    n = Notification.objects.get(user=reader)
    signed_in(client, UserFactory())
    page = client.get(reverse("notifications:open", args=[n.pk]))
    assert page.status_code == 403
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_mark_read_by_thread_and_all_and_the_unread_filter(
    client, community, reader
):
    qs = some_news(community, reader, 3)
    signed_in(client, reader)
    n = Notification.objects.get(user=reader, thread_id=qs[0].pk)
    client.post(
        reverse("notifications:read"),
        {"thread": f"{n.thread_type_id}:{n.thread_id}"},
    )
    reader.refresh_from_db()
    assert reader.inbox_unread == 2
    unread = client.get(reverse("notifications:inbox") + "?filter=unread")
    assert qs[0].title not in unread.content.decode()
    assert qs[1].title in unread.content.decode()
    client.post(reverse("notifications:read"))
    reader.refresh_from_db()
    assert reader.inbox_unread == 0
    empty = client.get(reverse("notifications:inbox") + "?filter=unread")
    assert "Nothing unread" in empty.content.decode()


def test_follow_page_follows_changes_and_unfollows(client, community, reader):
    signed_in(client, reader)
    url = reverse("notifications:follow", args=["community", community.pk])
    page = client.get(url)
    assert "You do not follow it yet" in page.content.decode()
    client.post(url, {"level": "digest"})
    assert Follow.objects.get(user=reader).level == Level.DIGEST
    bad = client.post(url, {"level": "sometimes"})
    assert "not a watch level" in bad.content.decode()
    client.post(url, {"unfollow": "1", "level": "digest"})
    assert not Follow.objects.filter(user=reader).exists()
    missing = client.get(reverse("notifications:follow", args=["planet", 1]))
    assert missing.status_code == 404
    assert "cannot be followed" in missing.content.decode()


def test_settings_page_saves_and_shows_errors_beside_fields(client, reader):
    signed_in(client, reader)
    url = reverse("notifications:settings")
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "digest": "weekly",
            "digest_hour": "8",
            "digest_weekday": "0",
            "email": "not-an-address",
            "quiet_start": "22:00",
        },
    )
    html = bad.content.decode()
    assert "is not an email address" in html
    assert "quiet hours" in html
    good = client.post(
        url,
        {
            "email_for": ["mention", "request"],
            "digest": "daily",
            "digest_hour": "7",
            "digest_weekday": "0",
            "email": "rea@example.org",
            "quiet_start": "22:00",
            "quiet_end": "06:30",
        },
    )
    assert good.status_code == 302
    pref = services.preference_get(reader)
    assert (pref.digest, pref.digest_hour, pref.email) == (
        "daily",
        7,
        "rea@example.org",
    )
    assert pref.email_for == ["mention", "request"]


def test_settings_list_follows_with_levels(client, community, reader):
    follow(reader, community, "replies")
    signed_in(client, reader)
    html = client.get(reverse("notifications:settings")).content.decode()
    assert community.name in html
    f = Follow.objects.get(user=reader)
    client.post(
        reverse("notifications:follow_change", args=[f.pk]), {"level": "mute"}
    )
    f.refresh_from_db()
    assert f.level == Level.MUTE


def test_mentions_lookup_lists_people_by_handle_or_name(client, reader):
    UserFactory(display_name="Ada Lovelace")
    UserFactory(display_name="Adam Smith")
    UserFactory(display_name="Grace Hopper", is_active=False)
    assert client.get("/people/mentions?q=ad").status_code == 401
    signed_in(client, reader)
    found = client.get("/people/mentions?q=@ada").json()["results"]
    assert [p["name"] for p in found] == ["Ada Lovelace", "Adam Smith"]
    assert found[0]["handle"] == "ada-lovelace"
    assert client.get("/people/mentions?q=grace").json()["results"] == []
    assert client.get("/people/mentions?q=").json()["results"] == []


def test_the_digests_command_reports_what_it_did(community, smtp_sink):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("digests", stdout=out)
    assert "digests:" in out.getvalue() and "people due" in out.getvalue()


def test_follow_link_include_returns_to_the_page(client, community, reader):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/c/x/questions/")
    request.user = reader
    html = Template(
        '{% include "notifications/_follow.html" with kind="tag" pk=7 %}'
    ).render(Context({"user": reader, "request": request}))
    assert 'href="/follow/tag/7/?next=/c/x/questions/"' in html
    signed_in(client, reader)
    url = reverse("notifications:follow", args=["community", community.pk])
    back = client.post(url + "?next=/c/x/", {"level": "everything"})
    assert back["Location"] == "/c/x/"


def test_more_loads_the_next_page_as_a_fragment(client, community, reader):
    from practica.notifications.selectors import PAGE

    some_news(community, reader, PAGE + 2)
    signed_in(client, reader)
    first = client.get(reverse("notifications:inbox")).content.decode()
    assert first.count('class="inbox-thread') == PAGE
    cursor = first.split("cursor=")[1].split('"')[0]
    more = client.get(
        reverse("notifications:inbox") + f"?cursor={cursor}",
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<html" not in more
    assert more.count('class="inbox-thread') == 2
    bad = client.get(reverse("notifications:inbox") + "?cursor=zzz")
    assert "not valid" in bad.content.decode()
