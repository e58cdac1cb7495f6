"""Handing an imported account to its owner."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from practica.communities.models import Role
from practica.core.models import Activity
from practica.transfer.services import account_claim, is_unclaimed
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(community):
    person = member(community)
    person.email = "se-bikes-21@unclaimed.invalid"
    person.set_unusable_password()
    person.save()
    return person


def test_a_coordinator_hands_the_account_over(community, imported):
    lead = member(community, Role.COORDINATOR)
    account_claim(actor=lead, account=imported, email=" Ada@Example.org ")
    imported.refresh_from_db()
    assert imported.email == "ada@example.org"
    assert not is_unclaimed(imported)
    entry = Activity.objects.get(verb="account.claimed")
    assert entry.actor == lead
    assert entry.data == {"from": "se-bikes-21@unclaimed.invalid"}


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


@pytest.mark.parametrize(
    ("email", "field"),
    [
        ("not an address", "email"),
        ("x@unclaimed.invalid", "email"),
        ("taken@example.org", "email"),
    ],
)
def test_bad_addresses_are_refused(community, imported, email, field):
    UserFactory(email="taken@example.org")
    with pytest.raises(ValidationError) as caught:
        account_claim(actor=None, account=imported, email=email)
    assert field in caught.value.message_dict
    imported.refresh_from_db()
    assert is_unclaimed(imported)


def test_only_unclaimed_accounts(user):
    with pytest.raises(ValidationError, match="not an unclaimed"):
        account_claim(actor=None, account=user, email="new@example.org")


def test_the_command(imported):
    out = StringIO()
    call_command(
        "claim_account", imported.email, "ada@example.org", stdout=out
    )
    assert "now signs in as ada@example.org" in out.getvalue()
    with pytest.raises(CommandError, match="No account"):
        call_command("claim_account", "nobody@x.org", "a@b.org")
