"""Background jobs for mentoring: check-in reminders and pathway ticks.

Both decide what is due from the database, so running them twice (a
second worker, a restart) sends and ticks nothing twice: a reminder row
is unique per check-in and person and is written before the email, and a
tick is unique per step and person.
"""

from datetime import timedelta

from django.tasks import task

from practica.core.worker import every
from practica.mentoring import services
from practica.mentoring.models import Pathway


@every(timedelta(minutes=15))
@task
def send_checkin_reminders() -> int:
    """Email both people of every check-in due within a day; returns
    emails sent."""
    return services.checkin_reminders_send()


@every(timedelta(minutes=10))
@task
def sync_pathways() -> int:
    """Tick pathway steps from the activity record in every community;
    returns new ticks."""
    return sum(
        services.pathway_sync(pathway=p)
        for p in Pathway.objects.select_related("community")
    )
