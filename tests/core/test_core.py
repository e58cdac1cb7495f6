import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from practica.core import email_url, text
from practica.core.models import Activity
from practica.core.pagination import decode, encode, keyset
from tests.factories import CommunityFactory


def test_markdown_keeps_code_tables_and_drops_html():
    html = text.render_markdown(
        "```python\nx = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        '<img src=x onerror=alert(1)> ![ok](https://e.org/a.png "t")'
    )
    assert '<code class="language-python">x = 1' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<img src=x" not in html
    assert '<img src="https://e.org/a.png" alt="ok" title="t">' in html


def test_links_get_rel_and_only_safe_schemes():
    html = text.render_markdown("[a](https://e.org) [b](data:text/html,x)")
    assert 'rel="nofollow noopener noreferrer"' in html
    assert 'href="data' not in html


def test_clean_line_names_field_and_limits():
    assert (
        text.clean_line(" a \x00 b\n c ", field="name", max_length=10)
        == "a b c"
    )
    with pytest.raises(ValidationError) as exc:
        text.clean_line("", field="job_title", max_length=5)
    assert exc.value.message_dict == {
        "job_title": ["Job title is required: please fill it in."]
    }
    with pytest.raises(ValidationError, match="at most 5"):
        text.clean_line("abcdefg", field="x", max_length=5)


def test_clean_time_zone():
    assert text.clean_time_zone("Asia/Kolkata") == "Asia/Kolkata"
    with pytest.raises(ValidationError, match="IANA"):
        text.clean_time_zone("CET+1")


@pytest.mark.parametrize(
    ("url", "backend", "options"),
    [
        ("", "filebased", {"file_path": "/data/mail"}),
        ("console:", "console", {}),
        (
            "smtp://u:p%40ss@mail.example.org:587?tls=true",
            "smtp",
            {
                "host": "mail.example.org",
                "port": 587,
                "username": "u",
                "password": "p@ss",
                "use_tls": True,
                "use_ssl": False,
                "timeout": 20.0,
            },
        ),
        (
            "smtps://mail.example.org",
            "smtp",
            {
                "host": "mail.example.org",
                "port": None,
                "username": "",
                "password": "",
                "use_tls": False,
                "use_ssl": True,
                "timeout": 20.0,
            },
        ),
    ],
)
def test_email_url(url, backend, options, tmp_path):
    from pathlib import Path

    got = email_url.parse(url, file_path=Path("/data/mail"))
    assert backend in got["BACKEND"]
    assert got["OPTIONS"] == options


def test_email_url_refuses_unknown_scheme():
    from pathlib import Path

    with pytest.raises(ImproperlyConfigured, match="smtp://"):
        email_url.parse("gopher://x", file_path=Path("mail"))


@pytest.mark.django_db
def test_keyset_walks_every_row_once():
    for i in range(7):
        CommunityFactory(name=f"C{i % 3}")  # duplicate names: ties on id
    from practica.communities.models import Community

    seen, cursor = [], None
    while True:
        page = keyset(
            Community.objects.all(),
            order=("name", "id"),
            cursor=cursor,
            size=3,
        )
        seen += [c.pk for c in page.items]
        if not (cursor := page.next_cursor):
            break
    expected = list(
        Community.objects.order_by("name", "id").values_list("pk", flat=True)
    )
    assert seen == expected


def test_bad_cursor_names_the_field():
    with pytest.raises(ValidationError) as exc:
        decode("%%%", 2)
    assert "cursor" in exc.value.message_dict
    with pytest.raises(ValidationError):
        decode(encode([1]), 2)


@pytest.mark.django_db
def test_activity_is_append_only(community):
    from practica.core import activity

    entry = activity.record(actor=None, verb="x", target=community)
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert Activity.objects.count() == 1


@pytest.mark.django_db
def test_keyset_descending_and_tampered_types():
    from practica.communities.models import Community

    for i in range(5):
        CommunityFactory(name=f"D{i}")
    first = keyset(
        Community.objects.all(), order=("-name", "-id"), cursor=None, size=2
    )
    assert [c.name for c in first.items] == ["D4", "D3"]
    second = keyset(
        Community.objects.all(),
        order=("-name", "-id"),
        cursor=first.next_cursor,
        size=2,
    )
    assert [c.name for c in second.items] == ["D2", "D1"]
    with pytest.raises(ValidationError) as exc:
        keyset(
            Community.objects.all(),
            order=("name", "id"),
            cursor=encode(["D1", "not-a-number"]),
            size=2,
        )
    assert "cursor" in exc.value.message_dict


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("ada@example.org", True),
        ("se-bikes-21@unclaimed.invalid", False),
        ("x@INVALID", False),
        ("x@invalid.example.org", True),
        ("no-domain", False),
    ],
)
def test_only_deliverable_addresses_are_mailed(address, ok):
    from practica.core import mail

    assert mail.deliverable(address) is ok


def test_mail_to_nowhere_is_not_sent(mailoutbox):
    from practica.core import mail

    mail.send(to=["p@unclaimed.invalid"], subject="s", text="t")
    assert mailoutbox == []
    mail.send(
        to=["p@unclaimed.invalid", "ada@example.org"], subject="s", text="t"
    )
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]
