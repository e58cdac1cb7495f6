"""Claiming imported accounts: the pages, the box on a profile, and the
invitation mail through a real SMTP server to a signed-in owner."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from practica.communities.models import Role
from practica.core import worker
from practica.transfer.models import ClaimRequest, ClaimState
from practica.transfer.services import (
    account_claim,
    claim_request_approve,
    claim_request_create,
)
from tests.conversations.factories import ask
from tests.factories import PASSWORD, CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a long new password for the bikes"


def signed_in(client, user):
    client.force_login(user)
    return client


def hand_over_url(person):
    return reverse("transfer:hand_over", args=[person.pk])


def box(user, person):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load claim %}{% claim_box person %}").render(
        Context({"request": request, "person": person})
    )


# --- the box on a profile ----------------------------------------------


def test_the_box_offers_a_coordinator_the_hand_over(lead, imported):
    html = box(lead, imported)
    assert "Imported account — hand it to its owner" in html
    assert f'action="{hand_over_url(imported)}"' in html
    assert 'name="email"' in html


def test_the_box_offers_others_this_is_me(community, imported):
    html = box(member(community), imported)
    assert "hand it to its owner" not in html
    assert reverse("transfer:claim", args=[imported.pk]) in html
    assert "This is me" in html
    assert box(imported, imported).count("This is me") == 0


def test_no_box_and_no_query_for_an_ordinary_person(
    lead, user, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert box(lead, user).strip() == ""


def test_the_box_says_where_the_invitation_went(lead, imported):
    account_claim(actor=lead, account=imported, email="ada@exmaple.org")
    imported.refresh_from_db()
    html = box(lead, imported)
    assert "waiting for its owner" in html
    assert "ada@exmaple.org" in html
    assert "Send again" in html


# --- handing over ------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "outsider", "other_coordinator"])
def test_others_may_not_hand_over(client, community, imported, who):
    people = {
        "member": lambda: member(community),
        "outsider": UserFactory,
        "other_coordinator": lambda: member(
            CommunityFactory(), Role.COORDINATOR
        ),
    }
    signed_in(client, people[who]())
    for response in (
        client.get(hand_over_url(imported)),
        client.post(hand_over_url(imported), {"email": "a@example.org"}),
    ):
        assert response.status_code == 403
        assert "Only staff, or a coordinator" in response.text
    imported.refresh_from_db()
    assert imported.email.endswith("@unclaimed.invalid")


def test_anonymous_people_are_sent_to_sign_in(client, imported):
    response = client.post(hand_over_url(imported), {"email": "a@b.org"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_errors_name_the_field_and_the_fix(client, lead, imported):
    UserFactory(email="taken@example.org")
    signed_in(client, lead)
    response = client.post(
        hand_over_url(imported), {"email": "taken@example.org"}
    )
    assert response.status_code == 422
    assert 'id="id_email_error"' in response.text
    assert "belongs to another account already" in response.text
    assert "Give another of their addresses" in response.text
    response = client.post(hand_over_url(imported), {"email": "ada@"})
    assert "is not an email address" in response.text


def test_an_account_that_can_sign_in_has_nothing_to_hand_over(
    client, community, lead
):
    person = member(community)
    signed_in(client, lead)
    response = client.get(hand_over_url(person))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:person", args=[person.pk])


# The worker closes connections left in a transaction: a real commit.
@pytest.mark.django_db(transaction=True)
def test_the_invitation_arrives_and_its_link_signs_the_owner_in(
    client, lead, imported, smtp_sink, django_capture_on_commit_callbacks
):
    ask(imported, lead.memberships.get().community)
    signed_in(client, lead)
    page = client.get(hand_over_url(imported))
    assert "Hand Ada Imported" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            hand_over_url(imported), {"email": "Ada@Example.org"}
        )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/people/{imported.pk}/#claim")
    assert worker.drain() == 1
    [message] = smtp_sink.wait(1)
    assert message.envelope_to == ["ada@example.org"]
    assert "set your password" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert lead.name in text and "1 question" in text
    link = re.search(r"(http\S+/welcome/\S+/)", text).group(1)
    assert link.startswith(settings.SITE_URL)
    assert f'href="{link}"' in html
    url = link.removeprefix(settings.SITE_URL)

    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    assert "Welcome, Ada Imported" in page.text
    assert "ada@example.org" in page.text
    # Too short a password is refused beside the field.
    response = client.post(
        url, {"new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 422
    assert 'id="id_new_password2_error"' in response.text
    response = client.post(
        url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(imported.pk)

    # The link worked once.
    client.logout()
    used = client.get(url)
    assert used.status_code == 400
    assert "This link cannot be used" in used.text
    # And the owner signs in with the address and the new password.
    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(imported.pk)


# The worker closes connections left in a transaction: a real commit.
@pytest.mark.django_db(transaction=True)
def test_a_second_hand_over_kills_the_first_link(
    lead, imported, smtp_sink, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        account_claim(actor=lead, account=imported, email="ada@exmaple.org")
    worker.drain()
    with django_capture_on_commit_callbacks(execute=True):
        account_claim(actor=lead, account=imported, email="ada@example.org")
    worker.drain()
    first, second = smtp_sink.wait(2)
    assert first.envelope_to == ["ada@exmaple.org"]
    assert second.envelope_to == ["ada@example.org"]

    def path_in(message):
        text = message.get_body(("plain",)).get_content()
        return re.search(r"http\S+(/welcome/\S+/)", text).group(1)

    assert client.get(path_in(first)).status_code == 400
    assert client.get(path_in(second)).status_code == 200


# The worker closes connections left in a transaction: a real commit.
@pytest.mark.django_db(transaction=True)
def test_a_stale_invitation_is_not_sent(
    lead, imported, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account_claim(actor=lead, account=imported, email="ada@exmaple.org")
        account_claim(actor=lead, account=imported, email="ada@example.org")
    assert worker.drain() == 2
    assert [m.envelope_to for m in smtp_sink.wait(1)] == [["ada@example.org"]]


def test_a_made_up_link_is_refused(client, imported):
    assert client.get("/welcome/zz-abc-def/").status_code == 400
    response = client.post(
        f"/welcome/{imported.pk:x}-1-2/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    imported.refresh_from_db()
    assert not imported.has_usable_password()


# --- "This is me" ------------------------------------------------------


def test_this_is_me_then_approved_signs_the_requester_in_as_the_account(
    client, community, lead, imported
):
    ada = UserFactory(email="ada@example.org")
    signed_in(client, ada)
    url = reverse("transfer:claim", args=[imported.pk])
    assert "This is me: Ada Imported" in client.get(url).text
    response = client.post(url, {"note": ""})
    assert response.status_code == 422
    assert 'id="id_note_error"' in response.text
    response = client.post(url, {"note": "I was ada_b on Bicycles."})
    assert response.status_code == 302
    assert "You asked for this account" in client.get(url).text
    claim = ClaimRequest.objects.get()

    signed_in(client, lead)
    page = client.get(reverse("transfer:claims"))
    assert "I was ada_b on Bicycles." in page.text
    assert f'id="approve-{claim.pk}"' in page.text
    response = client.post(reverse("transfer:claim_approve", args=[claim.pk]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED

    client.logout()
    client.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": PASSWORD},
    )
    assert client.session[SESSION_KEY] == str(imported.pk)


def test_a_requester_with_content_gets_the_hand_over_instead(
    client, community, lead, imported
):
    ada = member(community, user__email="ada@example.org")
    ask(ada, community)
    signed_in(client, ada)
    client.post(
        reverse("transfer:claim", args=[imported.pk]),
        {"note": "I was ada_b on Bicycles."},
    )
    claim = ClaimRequest.objects.get()
    signed_in(client, lead)
    page = client.get(reverse("transfer:claims"))
    assert "cannot be merged" in page.text
    assert hand_over_url(imported) in page.text
    assert f'id="approve-{claim.pk}"' not in page.text
    response = client.post(
        reverse("transfer:claim_approve", args=[claim.pk]), follow=True
    )
    assert "cannot be merged" in response.text
    claim.refresh_from_db()
    assert claim.state == ClaimState.PENDING


def test_declining_and_who_sees_requests(client, community, lead, imported):
    ada = UserFactory()
    signed_in(client, ada)
    client.post(
        reverse("transfer:claim", args=[imported.pk]), {"note": "It's me."}
    )
    claim = ClaimRequest.objects.get()
    for outsider in (
        member(community),
        member(CommunityFactory(), "coordinator"),
    ):
        signed_in(client, outsider)
        assert "It's me." not in client.get(reverse("transfer:claims")).text
        response = client.post(
            reverse("transfer:claim_decline", args=[claim.pk])
        )
        assert response.status_code == 404
    signed_in(client, lead)
    client.post(
        reverse("transfer:claim_decline", args=[claim.pk]),
        {"reason": "Your old posts say otherwise."},
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.DECLINED
    signed_in(client, ada)
    page = client.get(reverse("transfer:claims"))
    assert "Declined" in page.text
    assert "Your old posts say otherwise." in page.text


@pytest.mark.django_db(transaction=True)
def test_the_requester_hears_the_decision(community, imported, smtp_sink):
    lead = member(community, Role.COORDINATOR)
    ada = UserFactory(email="ada@example.org")
    bob = UserFactory(email="bob@example.org")
    mine = claim_request_create(requester=ada, account=imported, note="Me.")
    claim_request_create(requester=bob, account=imported, note="No, me.")
    claim_request_approve(actor=lead, claim=mine)
    assert worker.drain() == 2
    smtp_sink.wait(2)
    [yes] = smtp_sink.to("ada@example.org")
    assert yes["Subject"] == "You are Ada Imported on Practica now"
    text = yes.get_body(("plain",)).get_content()
    assert "Sign in as before, with ada@example.org" in text
    [no] = smtp_sink.to("bob@example.org")
    text = no.get_body(("plain",)).get_content()
    assert "declined your request" in text
    assert "The account was given to someone else." in text


def link(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load claim %}{% claim_requests_link %}").render(
        Context({"request": request})
    )


def test_the_requests_link_is_for_those_with_requests_to_decide(
    community, lead, imported, django_assert_max_num_queries
):
    assert link(lead).strip() == ""
    claim_request_create(
        requester=UserFactory(), account=imported, note="It is me."
    )
    assert "1 request to claim imported accounts" in link(lead)
    assert reverse("transfer:claims") in link(lead)
    assert "1 request" in link(UserFactory(is_staff=True))
    assert link(member(CommunityFactory(), Role.COORDINATOR)).strip() == ""
    someone = member(community)
    with django_assert_max_num_queries(1):  # their memberships
        assert link(someone).strip() == ""
