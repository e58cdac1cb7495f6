"""``practica demo``: load the demo organisation (safe to run again)."""

from typing import Any

from django.core.management.base import BaseCommand

from practica.web import (
    demo,
    demo_activity,
    demo_analytics,
    demo_events,
    demo_mentoring,
    demo_notifications,
)


class Command(BaseCommand):
    help = (
        "Load a believable demo organisation: nine departments, about 80 "
        "people across nine sites, eight communities with members in every "
        "role, join requests (pending and declined), an open invitation, "
        "expertise, endorsements and verifications, and in every community "
        "questions and discussions from its daily work: tagged, answered "
        "from practice (or not), commented, voted on, solved, some still "
        "unanswered, a few closed, locked, merged or flagged, spread over "
        "the past months; and in every community a repertoire of best "
        "practices, stories, templates, checklists and glossary terms, "
        "some captured from solved questions, revised, marked as helpful, "
        "verified (some still fresh, some due, some expired) or retired; "
        "a rhythm of events (weekly clinics, a monthly managers' meeting, "
        "talks and workshops) with RSVPs, attendance, problems and notes; "
        "help offers, requests, matches, mentorships and an onboarding "
        "pathway; value stories and a reflection; follows and an inbox for "
        "everyone. Everything is written "
        "through the services, one transaction per part; running it again "
        "adds "
        "nothing that is already there. Every demo person signs in with "
        f"the password '{demo.PASSWORD}'; the sign-ins are printed at the "
        "end (-v 0 prints nothing)."
    )

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        quiet = verbosity == 0
        out = None if quiet else self.stdout
        result = demo.build(stdout=out)
        # The later apps build on the people, communities, questions and
        # repertoire above, in this order (stories cite events and help).
        # The activity record is dated before the figures a reflection is
        # prefilled with, and again after the stories. Notifications last:
        # they fan out over everything written before.
        for app in (
            demo_events,
            demo_mentoring,
            demo_activity,
            demo_analytics,
            demo_activity,
            demo_notifications,
        ):
            app.load(stdout=out)
        if not quiet:
            demo.report(result, stdout=self.stdout)
