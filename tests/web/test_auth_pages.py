"""Sign-up, sign-in, sign-out and password reset through allauth's real
forms, styled as ours."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from practica.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


def html(response) -> str:
    return response.content.decode()


def field_errors(page: str, field: str) -> list[str]:
    return re.findall(
        rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page
    )


def signup_data(**changes):
    data = {
        "display_name": "Grace Hopper",
        "email": "grace@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "time_zone": "America/New_York",
    }
    data.update(changes)
    return data


def test_signup_page_asks_for_name_and_time_zone(client):
    page = html(client.get(reverse("account_signup")))
    assert '<h1 class="auth">Create your account</h1>' in page
    for name in ["display_name", "email", "password1", "password2"]:
        assert f'<label for="id_{name}">' in page, name
    assert '<label for="id_time_zone">' in page
    assert '<select name="time_zone"' in page
    assert '<option value="UTC" selected>UTC</option>' in page
    # Our button, errors and help, not allauth's bare markup.
    assert '<button class="" type="submit">Create account</button>' in page
    # Name comes first, time zone last.
    assert page.index('id="id_display_name"') < page.index('id="id_email"')
    assert page.index('id="id_password2"') < page.index('id="id_time_zone"')


def test_signup_creates_a_person_with_name_and_time_zone(client):
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="grace@example.org")
    assert user.display_name == "Grace Hopper"
    assert user.time_zone == "America/New_York"
    assert user.check_password(NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)


def test_signup_refuses_an_unknown_time_zone_beside_the_field(client):
    response = client.post(
        reverse("account_signup"), signup_data(time_zone="Mars/Olympus")
    )
    page = html(response)
    assert response.status_code == 200
    assert field_errors(page, "time_zone") == [
        "&#x27;Mars/Olympus&#x27; is not a time zone we know: use an IANA "
        "name such as Europe/Berlin or America/New_York."
    ]
    assert not User.objects.exists()


def test_signup_needs_a_display_name(client):
    response = client.post(
        reverse("account_signup"), signup_data(display_name="   ")
    )
    assert field_errors(html(response), "display_name")
    assert not User.objects.exists()


def test_signup_password_errors_show_beside_the_field(client):
    response = client.post(
        reverse("account_signup"),
        signup_data(password1="short", password2="short"),
    )
    assert field_errors(html(response), "password1")
    assert not User.objects.exists()


def test_sign_in_with_email_and_password(client):
    user = UserFactory(email="ada@example.org")
    page = html(client.get(reverse("account_login")))
    assert '<label for="id_login">' in page
    assert '<label for="id_password">' in page
    assert reverse("account_reset_password") in page  # forgot password

    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_sign_in_with_a_wrong_password_says_so(client):
    UserFactory(email="ada@example.org")
    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": "not it"},
    )
    page = html(response)
    assert response.status_code == 200
    assert '<div class="errors" role="alert">' in page
    assert "not correct" in page
    assert SESSION_KEY not in client.session


def test_sign_in_returns_to_the_page_asked_for(client):
    UserFactory(email="ada@example.org")
    people = reverse("accounts:people")
    response = client.get(people)
    response = client.post(
        response["Location"],
        {"login": "ada@example.org", "password": PASSWORD, "next": people},
    )
    assert response["Location"] == people


def test_sign_out_is_a_post(client):
    user = UserFactory()
    client.force_login(user)
    page = html(client.get(reverse("account_logout")))
    assert '<h1 class="auth">Sign out</h1>' in page
    assert client.session[SESSION_KEY] == str(user.pk)  # GET asks first
    client.post(reverse("account_logout"))
    assert SESSION_KEY not in client.session


def test_password_reset_sends_a_link_that_works(client):
    user = UserFactory(email="ada@example.org")
    page = html(client.get(reverse("account_reset_password")))
    assert '<label for="id_email">' in page
    response = client.post(
        reverse("account_reset_password"),
        {"email": "ada@example.org"},
        follow=True,
    )
    assert "Check your email" in html(response)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body)
    assert link

    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    assert '<label for="id_password1">' in html(response)
    client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
