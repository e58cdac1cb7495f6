import socket
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from practica.communities.models import Role
from practica.core import worker
from practica.notifications import emails, services, tasks
from practica.notifications.models import (
    Delivery,
    DeliveryState,
    Frequency,
    Notification,
    Preference,
)
from tests.conversations.factories import ask
from tests.factories import member
from tests.notifications.factories import fan_out


def mention(community, person):
    author = member(community)
    return ask(
        author,
        community,
        body=f"@{person.handle} could you look at the die clearance?",
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_fans_out_and_emails_a_mention(community, smtp_sink):
    ada = member(community, user__display_name="Ada Byron")
    q = mention(community, ada)
    tasks.fan_out.enqueue()
    assert worker.drain() == 1
    [message] = smtp_sink.wait(1)
    assert message.envelope_to == [ada.email]
    assert q.title in message["Subject"]
    d = Delivery.objects.get()
    assert d.state == DeliveryState.SENT
    assert message["Message-ID"] == d.message_id == emails.message_id(d)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip("<>")
    assert link.startswith("http") and "/notifications/unsubscribe/" in link
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"/q/{q.pk}/" in text and f"/q/{q.pk}/" in html
    assert "You were mentioned".lower() in text.lower()
    # Running again sends nothing more.
    tasks.fan_out.enqueue()
    tasks.send_email.enqueue()
    worker.drain()
    assert len(smtp_sink.messages) == 1


@pytest.mark.django_db
def test_access_is_checked_again_when_sending(community, smtp_sink):
    from practica.communities.models import Visibility

    community.visibility = Visibility.PRIVATE
    community.save()
    ada = member(community)
    mention(community, ada)
    fan_out()
    assert Delivery.objects.filter(state=DeliveryState.PENDING).count() == 1
    ada.memberships.update(status="removed")
    assert emails.send_due() == 0
    d = Delivery.objects.get()
    assert d.state == DeliveryState.SKIPPED
    assert "no longer see" in d.note
    assert smtp_sink.messages == []


@pytest.mark.django_db
def test_a_refused_send_is_retried_once_and_never_twice(
    community, smtp_sink, settings
):
    ada = member(community)
    mention(community, ada)
    fan_out()
    working = settings.MAILERS
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": dead, "timeout": 2},
        }
    }
    assert emails.send_due() == 0
    d = Delivery.objects.get()
    assert (d.state, d.attempts) == (DeliveryState.PENDING, 1)
    assert d.not_before > d.created_at
    first_id = d.message_id
    settings.MAILERS = working
    later = d.not_before + timedelta(seconds=1)
    assert emails.send_due(now=later) == 1
    assert emails.send_due(now=later) == 0
    d.refresh_from_db()
    assert (d.state, d.attempts, d.message_id) == (
        DeliveryState.SENT,
        2,
        first_id,
    )
    assert len(smtp_sink.wait(1)) == 1


@pytest.mark.django_db
def test_a_worker_dying_mid_send_never_causes_a_second_message(
    community, smtp_sink
):
    ada = member(community)
    mention(community, ada)
    fan_out()
    # A worker claimed it and died before it could say it was sent.
    d = Delivery.objects.get()
    d.state, d.claimed_at = DeliveryState.SENDING, d.created_at
    d.save()
    assert emails.send_due() == 0
    assert emails.sweep(now=d.created_at + timedelta(minutes=5)) == 0
    assert emails.sweep(now=d.created_at + timedelta(hours=2)) == 1
    d.refresh_from_db()
    assert d.state == DeliveryState.FAILED
    assert smtp_sink.messages == []


@pytest.mark.django_db
def test_quiet_hours_delay_email_not_the_inbox(community, smtp_sink):
    ada = member(community)  # Europe/Berlin (the factory's zone)
    services.preference_update(
        user=ada, quiet_start="22:00", quiet_end="07:00"
    )
    # 23:30 in Berlin, after the mention is made (the fan-out leaves
    # entries younger than its "now"): a fixed day in the future.
    late = datetime(2099, 11, 23, 22, 30, tzinfo=UTC)
    mention(community, ada)
    from practica.notifications import fanout

    fanout.catch_up(now=late + timedelta(seconds=5), max_age=None)
    assert Notification.objects.filter(user=ada).count() == 1
    d = Delivery.objects.get()
    assert d.not_before == datetime(2099, 11, 24, 6, 0, tzinfo=UTC)
    assert emails.send_due(now=late + timedelta(hours=1)) == 0
    assert emails.send_due(now=d.not_before) == 1
    assert smtp_sink.wait(1)


def test_quiet_hours_within_one_day():
    pref = Preference(quiet_start=time(12, 0), quiet_end=time(13, 0))
    noon = datetime(2026, 6, 1, 10, 30, tzinfo=UTC)  # 12:30 in Berlin
    assert emails.after_quiet_hours(pref, "Europe/Berlin", noon) == datetime(
        2026, 6, 1, 11, 0, tzinfo=UTC
    )
    morning = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert emails.after_quiet_hours(pref, "Europe/Berlin", morning) == morning


@pytest.mark.django_db
def test_people_choose_what_is_emailed(community, smtp_sink):
    ada = member(community)
    services.preference_update(user=ada, email_for=[])
    mention(community, ada)
    fan_out()
    assert Notification.objects.filter(user=ada).count() == 1
    assert Delivery.objects.count() == 0


@pytest.mark.django_db
def test_email_goes_to_the_address_chosen_for_notifications(
    community, smtp_sink
):
    ada = member(community)
    services.preference_update(user=ada, email="Ada.Alerts@Example.org")
    mention(community, ada)
    fan_out()
    emails.send_due()
    assert smtp_sink.wait(1)[0].envelope_to == ["ada.alerts@example.org"]


@pytest.mark.django_db
def test_an_unclaimed_imported_account_is_never_emailed(community, smtp_sink):
    # Imported accounts wait for their owner at a placeholder address in
    # the .invalid domain, which no mail can reach.
    imported = member(community, user__email="se-bikes-21@unclaimed.invalid")
    ada = member(community)
    mention(community, imported)
    mention(community, ada)
    fan_out()
    assert emails.send_due() == 1
    [message] = smtp_sink.wait(1)
    assert message.envelope_to == [ada.email]
    skipped = Delivery.objects.get(user=imported)
    assert skipped.state == DeliveryState.SKIPPED
    assert "not yet claimed" in skipped.note


@pytest.mark.django_db
def test_bad_settings_are_refused_naming_each_field(user):
    with pytest.raises(ValidationError) as exc:
        services.preference_update(
            user=user,
            email="not an address",
            digest="hourly",
            email_for=["mention", "gossip"],
            digest_hour=25,
            quiet_start="late",
        )
    errors = exc.value.message_dict
    assert set(errors) == {
        "email",
        "digest",
        "email_for",
        "digest_hour",
        "quiet_start",
    }
    assert "not an email address" in errors["email"][0]
    assert "hourly" in errors["digest"][0] and "weekly" in errors["digest"][0]
    assert "gossip" in errors["email_for"][0]
    assert not Preference.objects.filter(user=user).exists()
    with pytest.raises(ValidationError) as exc:
        services.preference_update(user=user, quiet_start="22:00")
    assert "quiet_end" in exc.value.message_dict


# --- unsubscribe ----------------------------------------------------------


@pytest.mark.django_db
def test_one_click_unsubscribe_stops_email(client, user):
    token = emails.unsubscribe_token(user.pk, "email")
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Unsubscribe" in page.content
    assert services.preference_get(user).email_for  # a GET changes nothing
    # RFC 8058: a POST without a session or CSRF token.
    client.handler.enforce_csrf_checks = True
    done = client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200
    assert b"no longer receive" in done.content
    assert Preference.objects.get(user=user).email_for == []


@pytest.mark.django_db
def test_digest_unsubscribe_turns_the_digest_off(client, user):
    token = emails.unsubscribe_token(user.pk, "digest")
    client.post(reverse("notifications:unsubscribe", args=[token]))
    pref = Preference.objects.get(user=user)
    assert (pref.digest, pref.next_digest_at) == (Frequency.OFF, None)


@pytest.mark.django_db
def test_tampered_and_expired_links_say_so(client, user, monkeypatch):
    token = emails.unsubscribe_token(user.pk, "email")
    forged = signing.dumps({"u": user.pk + 1, "s": "email"}, salt="other")
    for bad in (token[:-3] + "abc", forged):
        page = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert page.status_code == 400
        assert b"damaged" in page.content
    monkeypatch.setattr(emails, "UNSUBSCRIBE_MAX_AGE", timedelta(seconds=-1))
    page = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert page.status_code == 410
    assert b"expired" in page.content
    assert not Preference.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_coordinator_gets_no_email_for_what_they_did(community, smtp_sink):
    lead = member(community, Role.COORDINATOR)
    ask(lead, community, body=f"Note to self @{lead.handle}: check this.")
    fan_out()
    assert Delivery.objects.count() == 0
