"""Background jobs: the fan-out, email, digests and review notices.

Each decides what is due from the database, so running one twice (a
second worker, a restart) does no harm.
"""

from datetime import timedelta

from django.tasks import task

from practica.core.worker import every
from practica.notifications import digests, emails, fanout


@every(timedelta(seconds=5))
@task
def fan_out() -> int:
    """Turn new activity into notifications, then send the email that
    is due (usually the notifications just made)."""
    made = fanout.catch_up()
    emails.send_due()
    return made


@every(timedelta(minutes=1))
@task
def send_email() -> int:
    """Send deliveries whose quiet hours ended or whose retry is due."""
    emails.sweep()
    return emails.send_due()


@every(timedelta(minutes=5))
@task
def send_digests() -> int:
    """Compose and send the digests that are due."""
    return digests.run().sent


@every(timedelta(hours=1))
@task
def review_notices() -> int:
    """Tell owners when an artifact's verification is about to end."""
    return digests.review_notices()
