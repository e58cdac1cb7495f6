"""A "this is me" request reaches those who may decide it: the
coordinators of the communities the imported account is in, in their
inbox and (as their settings say) by email through a real SMTP server."""

import pytest
from django.urls import reverse

from practica.communities.models import Role
from practica.notifications import emails, fanout, services
from practica.notifications.models import Delivery, Notification, Reason
from practica.transfer.services import claim_request_create
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settle(settings):
    # The fan-out leaves rows younger than a second for the next run;
    # the tests read at once.
    settings.NOTIFICATIONS_SETTLE_SECONDS = 0


def inbox(user):
    return list(Notification.objects.filter(user=user, verb="claim.requested"))


def test_coordinators_of_the_accounts_communities_hear_of_it(
    client, community, imported, lead, smtp_sink
):
    # The account is in a second community too, whose coordinator reads
    # no email of requests; a third community's coordinator may not
    # decide, and neither may an ordinary member.
    other = CommunityFactory()
    member(other, user=imported)
    quiet = member(other, Role.COORDINATOR)
    services.preference_update(user=quiet, email_for=["mention"])
    stranger = member(CommunityFactory(), Role.COORDINATOR)
    bystander = member(community)
    requester = UserFactory(display_name="Ada Lovelace")
    claim_request_create(
        requester=requester,
        account=imported,
        note="I wrote the answers on wheel truing in 2014.",
    )

    assert fanout.catch_up() == 2
    [n] = inbox(lead)
    assert n.reason == Reason.REQUEST
    assert n.text == "Ada Lovelace says this imported account is theirs"
    assert n.thread_title == imported.name
    assert n.url == reverse("transfer:claims")
    assert len(inbox(quiet)) == 1
    for nobody in (stranger, bystander, requester, imported):
        assert inbox(nobody) == []

    # Email per each person's settings: the lead's defaults say yes.
    assert emails.send_due() == 1
    [message] = smtp_sink.wait(1)
    assert message.envelope_to == [lead.email]
    assert "says this imported account is theirs" in message["Subject"]
    assert imported.name in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert reverse("transfer:claims") in text
    assert not Delivery.objects.filter(user=quiet).exists()

    # The link shows the coordinator the request to decide.
    client.force_login(lead)
    page = client.get(n.url)
    assert page.status_code == 200
    assert "Ada Lovelace" in page.content.decode()


def test_the_requester_is_not_told_of_their_own_request(
    community, imported, lead
):
    # A coordinator of another of the account's communities asks for it
    # themselves: the other coordinators are asked, they are not.
    other = CommunityFactory()
    member(other, user=imported)
    requester = member(other, Role.COORDINATOR)
    claim_request_create(
        requester=requester,
        account=imported,
        note="This was my account on the old forum.",
    )
    fanout.catch_up()
    assert len(inbox(lead)) == 1
    assert inbox(requester) == []


def test_staff_hear_of_a_request_for_an_account_in_no_community(
    community, imported, lead
):
    # The account left every community (or was imported into none): no
    # coordinator may be asked, so staff are, who may hand any over.
    imported.memberships.all().delete()
    admin = UserFactory(is_staff=True)
    retired = UserFactory(is_staff=True, is_active=False)
    claim_request_create(
        requester=UserFactory(),
        account=imported,
        note="My answers on the old forum are under this name.",
    )
    fanout.catch_up()
    [n] = inbox(admin)
    assert n.reason == Reason.REQUEST
    assert inbox(retired) == [] and inbox(lead) == []
