"""``practica digests``: compose and send the digests that are due now."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from practica.notifications import digests, emails, fanout


class Command(BaseCommand):
    help = (
        "Bring notifications up to date and send what is due: fan out new "
        "activity to inboxes, send pending email, then compose and send "
        "every digest whose time has come (each person's morning, daily "
        "or weekly). The worker does this on its own; run this from cron "
        "when no worker runs, or to see the numbers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            type=int,
            default=digests.BATCH,
            metavar="PEOPLE",
            help=f"People per batch (default {digests.BATCH}); each batch "
            "costs the same few queries.",
        )
        parser.add_argument(
            "--no-send",
            action="store_true",
            help="Compose the digests but leave their email queued for the "
            "worker.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        made = fanout.catch_up()
        sent = emails.send_due()
        notices = digests.review_notices()
        stats = digests.run(
            batch=options["batch"], send=not options["no_send"]
        )
        self.stdout.write(
            f"{made} notification(s) made, {notices} review notice(s), "
            f"{sent} email(s) sent; digests: {stats.people} people due, "
            f"{stats.digests} composed, {stats.sent} sent in "
            f"{stats.batches} batch(es)."
        )
