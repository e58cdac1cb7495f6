"""Handing an imported account to its owner, and "This is me" requests:
the services."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from practica.communities.models import Role, Status
from practica.conversations.models import Conversation
from practica.core.models import Activity
from practica.transfer import services
from practica.transfer.models import ClaimRequest, ClaimState
from practica.transfer.services import (
    account_claim,
    account_take,
    awaiting_owner,
    claim_request_approve,
    claim_request_create,
    claim_request_decline,
    is_claimable,
    is_unclaimed,
)
from tests.conversations.factories import ask
from tests.factories import PASSWORD, CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def queued():
    """The invitations waiting in the task queue, as (id, email, by)."""
    from django_tasks_db.models import DBTaskResult

    return [
        tuple(r.args_kwargs["args"])
        for r in DBTaskResult.objects.filter(
            task_path="practica.transfer.tasks.send_claim_invitation"
        )
    ]


def test_a_coordinator_hands_the_account_over(
    community, imported, django_capture_on_commit_callbacks
):
    lead = member(community, Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        account_claim(actor=lead, account=imported, email=" Ada@Example.org ")
    imported.refresh_from_db()
    assert imported.email == "ada@example.org"
    assert not is_unclaimed(imported)
    assert awaiting_owner(imported) and is_claimable(imported)
    entry = Activity.objects.get(verb="account.claimed")
    assert entry.actor == lead
    assert entry.data == {
        "from": "se-bikes-21@unclaimed.invalid",
        "to": "ada@example.org",
    }
    assert queued() == [(imported.pk, "ada@example.org", lead.name)]


def test_the_invitation_waits_for_the_commit(community, imported):
    # Rolled back (as here, in the test's transaction): nothing is sent.
    account_claim(actor=None, account=imported, email="ada@example.org")
    assert queued() == []


def test_staff_may_and_others_may_not(community, imported):
    with pytest.raises(PermissionDenied, match="coordinator"):
        account_claim(
            actor=member(community), account=imported, email="a@b.org"
        )
    elsewhere = member(CommunityFactory(), Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        account_claim(actor=elsewhere, account=imported, email="a@b.org")
    staff = UserFactory(is_staff=True)
    account_claim(actor=staff, account=imported, email="a@b.org")


def test_a_coordinator_of_a_community_they_left_may_not(community, imported):
    lead = member(community, Role.COORDINATOR, status=Status.LEFT)
    with pytest.raises(PermissionDenied):
        account_claim(actor=lead, account=imported, email="a@b.org")


def test_only_a_community_the_person_is_active_in_counts(imported):
    other = CommunityFactory()
    member(other, user=imported, status=Status.LEFT)
    lead = member(other, Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        account_claim(actor=lead, account=imported, email="a@b.org")


@pytest.mark.parametrize(
    ("email", "says"),
    [
        ("", "Give the address"),
        ("not an address", "is not an email address"),
        ("x@unclaimed.invalid", "not a placeholder"),
        ("taken@example.org", "belongs to another account"),
        ("Taken@Example.org", "belongs to another account"),
        ("alias@example.org", "belongs to another account"),
    ],
)
def test_bad_addresses_are_refused(community, imported, email, says):
    taken = UserFactory(email="taken@example.org")
    EmailAddress.objects.create(user=taken, email="alias@example.org")
    with pytest.raises(ValidationError) as caught:
        account_claim(actor=None, account=imported, email=email)
    assert says in caught.value.message_dict["email"][0]
    imported.refresh_from_db()
    assert is_unclaimed(imported)


def test_only_imported_accounts(user):
    with pytest.raises(ValidationError, match="not an unclaimed"):
        account_claim(actor=None, account=user, email="new@example.org")


def test_handing_over_again_corrects_a_mistyped_address(imported):
    account_claim(actor=None, account=imported, email="ada@exmaple.org")
    EmailAddress.objects.create(user=imported, email="ada@exmaple.org")
    account_claim(actor=None, account=imported, email="ada@example.org")
    imported.refresh_from_db()
    assert imported.email == "ada@example.org"
    # The mistyped address no longer leads to the account.
    assert not EmailAddress.objects.filter(email="ada@exmaple.org").exists()


def test_an_account_its_owner_took_cannot_be_handed_over(imported):
    account_claim(actor=None, account=imported, email="ada@example.org")
    account_take(account=imported, password=PASSWORD)
    imported.refresh_from_db()
    assert not awaiting_owner(imported)
    with pytest.raises(ValidationError, match="can already sign in"):
        account_claim(actor=None, account=imported, email="x@example.org")


def test_taking_sets_the_password_and_verifies_the_address(imported):
    account_claim(actor=None, account=imported, email="ada@example.org")
    account_take(account=imported, password=PASSWORD)
    imported.refresh_from_db()
    assert imported.check_password(PASSWORD)
    address = EmailAddress.objects.get(user=imported)
    assert (address.email, address.verified, address.primary) == (
        "ada@example.org",
        True,
        True,
    )
    assert Activity.objects.filter(verb="account.taken").count() == 1
    with pytest.raises(ValidationError, match="taken already"):
        account_take(account=imported, password="another long one 42")


def test_an_unclaimed_account_cannot_be_taken(imported):
    with pytest.raises(ValidationError):
        account_take(account=imported, password=PASSWORD)


def test_the_command(imported):
    out = StringIO()
    call_command(
        "claim_account", imported.email, "ada@example.org", stdout=out
    )
    assert "now signs in as ada@example.org" in out.getvalue()
    with pytest.raises(CommandError, match="No account"):
        call_command("claim_account", "nobody@x.org", "a@b.org")


# --- "This is me" ------------------------------------------------------


def test_a_request_and_its_refusals(community, imported):
    ada = UserFactory(email="ada@example.org")
    claim = claim_request_create(
        requester=ada, account=imported, note="  I was  ada on bikes.  "
    )
    assert claim.note == "I was ada on bikes."
    assert claim.state == ClaimState.PENDING
    with pytest.raises(ValidationError, match="You asked"):
        claim_request_create(requester=ada, account=imported, note="again")
    with pytest.raises(ValidationError) as caught:
        claim_request_create(
            requester=UserFactory(), account=imported, note=""
        )
    assert "note" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        claim_request_create(
            requester=UserFactory(), account=imported, note="x" * 501
        )
    assert "500" in caught.value.message_dict["note"][0]
    with pytest.raises(ValidationError) as caught:
        claim_request_create(requester=ada, account=ada, note="me")
    assert "account" in caught.value.message_dict


def test_approving_gives_the_account_to_an_empty_requester(
    community, imported
):
    lead = member(community, Role.COORDINATOR)
    ada = UserFactory(email="ada@example.org")
    member(CommunityFactory(), user=ada)  # joining is not content
    EmailAddress.objects.create(user=ada, email=ada.email, verified=True)
    other = claim_request_create(
        requester=UserFactory(), account=imported, note="Me, honestly."
    )
    claim = claim_request_create(
        requester=ada, account=imported, note="I was Ada on bikes."
    )
    claim_request_approve(actor=lead, claim=claim)
    imported.refresh_from_db()
    ada.refresh_from_db()
    assert imported.email == "ada@example.org"
    assert imported.check_password(PASSWORD)  # signs in as before
    assert not ada.is_active and not ada.has_usable_password()
    assert ada.email == f"retired-{ada.pk}@retired.invalid"
    assert EmailAddress.objects.get(email="ada@example.org").user == imported
    claim.refresh_from_db()
    other.refresh_from_db()
    assert (claim.state, claim.decided_by) == (ClaimState.APPROVED, lead)
    assert other.state == ClaimState.DECLINED
    with pytest.raises(ValidationError, match="approved already"):
        claim_request_approve(actor=lead, claim=claim)


def test_approving_refuses_a_requester_with_content(community, imported):
    lead = member(community, Role.COORDINATOR)
    ada = member(community, user__email="ada@example.org")
    ask(ada, community)
    claim = claim_request_create(
        requester=ada, account=imported, note="I was Ada on bikes."
    )
    with pytest.raises(ValidationError, match="cannot be merged"):
        claim_request_approve(actor=lead, claim=claim)
    imported.refresh_from_db()
    assert is_unclaimed(imported)
    assert Conversation.objects.filter(author=ada).exists()
    claim.refresh_from_db()
    assert claim.state == ClaimState.PENDING
    # The way out: hand it to another of their addresses.
    account_claim(actor=lead, account=imported, email="ada@home.example")


def test_deciding_is_for_staff_and_coordinators(community, imported):
    claim = claim_request_create(
        requester=UserFactory(), account=imported, note="It is me."
    )
    for outsider in (
        member(community),
        member(CommunityFactory(), Role.COORDINATOR),
        claim.requester,
    ):
        with pytest.raises(PermissionDenied):
            claim_request_approve(actor=outsider, claim=claim)
        with pytest.raises(PermissionDenied):
            claim_request_decline(actor=outsider, claim=claim)
    staff = UserFactory(is_staff=True)
    claim_request_decline(actor=staff, claim=claim, reason="Not matching.")
    claim.refresh_from_db()
    assert (claim.state, claim.reason) == (
        ClaimState.DECLINED,
        "Not matching.",
    )
    with pytest.raises(ValidationError, match="declined already"):
        claim_request_decline(actor=staff, claim=claim)
    assert ClaimRequest.objects.count() == 1


def test_holds_content(community, user):
    assert not services.holds_content(user)
    member(community, user=user)
    assert not services.holds_content(user)
    ask(user, community)
    assert services.holds_content(user)
