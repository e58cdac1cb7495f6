"""An expertise's endorsement count, and the member counts of its
communities, stay right when an account is deleted (in the admin, or
by any other delete)."""

import pytest
from django.urls import reverse

from practica.accounts import services
from practica.accounts.models import Endorsement, Expertise, User
from tests.factories import ExpertiseFactory, UserFactory

pytestmark = pytest.mark.django_db


def endorsed(expertise, times):
    fans = [UserFactory() for _ in range(times)]
    for fan in fans:
        services.expertise_endorse(actor=fan, expertise=expertise)
    return fans


def count(expertise):
    expertise.refresh_from_db(fields=["endorsement_count"])
    return expertise.endorsement_count


def test_deleting_an_endorser_in_the_admin_lowers_the_count(client):
    go, rust = ExpertiseFactory(), ExpertiseFactory()
    fan, _ = endorsed(go, 2)
    services.expertise_endorse(actor=fan, expertise=rust)
    assert (count(go), count(rust)) == (2, 1)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.post(
        reverse("admin:accounts_user_delete", args=[fan.pk]), {"post": "yes"}
    )
    assert page.status_code == 302
    assert not User.objects.filter(pk=fan.pk).exists()
    assert (count(go), count(rust)) == (1, 0)
    assert Endorsement.objects.filter(expertise=go).count() == 1


def test_deleting_several_people_at_once(client):
    go = ExpertiseFactory()
    fans = endorsed(go, 3)
    User.objects.filter(pk__in=[f.pk for f in fans[:2]]).delete()
    assert count(go) == 1
    # The endorsed person going takes their expertise with them.
    go.user.delete()
    assert not Expertise.objects.filter(pk=go.pk).exists()


def test_withdrawing_still_counts_once():
    go = ExpertiseFactory()
    fan, _ = endorsed(go, 2)
    services.expertise_withdraw_endorsement(actor=fan, expertise=go)
    services.expertise_withdraw_endorsement(actor=fan, expertise=go)
    assert go.endorsement_count == count(go) == 1


def test_deleting_a_member_lowers_their_communities_counts(community):
    from practica.communities.models import Status
    from tests.factories import member

    leaving = member(community)
    member(community)
    member(community, status=Status.PENDING)
    community.refresh_from_db()
    active, pending = community.member_count, community.pending_count
    leaving.delete()
    community.refresh_from_db()
    assert (community.member_count, community.pending_count) == (
        active - 1,
        pending,
    )
