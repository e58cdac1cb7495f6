"""Pages with password fields are valid HTML: Django's password help is
a list, and a list inside a paragraph is not (a browser moves it out)."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from practica.transfer.tasks import claim_link
from tests.factories import UserFactory
from tests.web.htmlcheck import blocks_in_p

pytestmark = pytest.mark.django_db


def test_the_check_finds_a_list_in_a_paragraph():
    assert blocks_in_p('<p class="help"><ul><li>a</li></ul></p>') == [
        "<ul> inside the <p> opened on line 1"
    ]
    assert blocks_in_p("<p>one<p>two</p></p>") == [
        "</p> with no <p> open, line 1"
    ]
    assert blocks_in_p('<div class="help"><ul><li>a</li></ul></div>') == []
    # An end tag left out is valid: the list closes the paragraph.
    assert blocks_in_p("<p>Rules:<ul><li>a</li></ul>") == []


def test_the_welcome_page_of_an_imported_account(client):
    account = UserFactory(email="se-bikes-21@unclaimed.invalid")
    account.set_unusable_password()
    account.save()
    page = client.get(urlsplit(claim_link(account)).path)
    assert page.status_code == 200
    html = page.content.decode()
    # The password rules are there, as a list, in the field's help.
    assert 'id="id_new_password1_helptext"' in html
    assert "<ul>" in html
    assert blocks_in_p(html) == []


@pytest.mark.parametrize(
    ("name", "usable"),
    [
        ("account_signup", None),
        ("account_change_password", True),
        ("account_set_password", False),
    ],
)
def test_the_account_pages_with_password_fields(client, name, usable):
    if usable is not None:
        person = UserFactory()
        if not usable:
            person.set_unusable_password()
            person.save()
        client.force_login(person)
    page = client.get(reverse(name))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="password"' in html
    assert blocks_in_p(html) == []
