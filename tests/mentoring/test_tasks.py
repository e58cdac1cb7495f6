"""Check-in reminders through the real worker and a real SMTP sink."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practica.communities.models import Role
from practica.core import worker
from practica.mentoring import services, tasks
from practica.mentoring.models import CheckIn, CheckInReminder
from tests.factories import member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ms(community, coordinator):
    mentor = member(community, user__email="mentor@example.org")
    mentee = member(
        community,
        Role.NEWCOMER,
        user__email="mentee@example.org",
        user__time_zone="Asia/Tokyo",
    )
    return services.mentorship_create(
        actor=coordinator,
        community=community,
        mentor=mentor,
        mentee=mentee,
        checkin_days=7,
    )


def test_due_checkin_reminded_once_each(ms, smtp_sink):
    CheckIn.objects.filter(mentorship=ms).update(
        due_at=timezone.now() + timedelta(hours=3)
    )
    tasks.send_checkin_reminders.enqueue()
    tasks.send_checkin_reminders.enqueue()  # a second worker's run
    assert worker.drain() == 2
    messages = smtp_sink.wait(2)
    assert len(messages) == 2
    (to_mentee,) = smtp_sink.to("mentee@example.org")
    assert "Check-in with" in to_mentee["Subject"]
    assert "Asia/Tokyo" in to_mentee.get_content()
    assert f"/mentorships/{ms.pk}/" in to_mentee.get_content()
    assert CheckInReminder.objects.count() == 2


def test_not_yet_due_or_done_is_quiet(ms, smtp_sink):
    # Due in a week: too early.
    assert services.checkin_reminders_send() == 0
    CheckIn.objects.filter(mentorship=ms).update(
        due_at=timezone.now() + timedelta(hours=1), done_at=timezone.now()
    )
    assert services.checkin_reminders_send() == 0
    assert smtp_sink.messages == []


def test_failed_send_is_retried(ms, settings, smtp_sink):
    CheckIn.objects.filter(mentorship=ms).update(
        due_at=timezone.now() + timedelta(hours=1)
    )
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    assert services.checkin_reminders_send() == 0
    assert not CheckInReminder.objects.exists()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": smtp_sink.host, "port": smtp_sink.port},
        }
    }
    assert services.checkin_reminders_send() == 2
    assert len(smtp_sink.wait(2)) == 2
