"""``practica worker``: run background tasks and periodic jobs."""

import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from practica.core import worker

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the background worker: email (reminders, notifications, "
        "digests) and other queued tasks, plus the periodic jobs that "
        "find what is due. Tasks are kept in the database, so a task "
        "queued while no worker runs is done when one starts. Run one "
        "worker with the periodic jobs; extra workers for throughput take "
        "--no-periodic. Ctrl-C or SIGTERM stop it between tasks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="Pause when there is nothing to do; default 1.",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="Only run queued tasks; do not enqueue periodic jobs.",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue what is due, run everything queued, and exit "
            "(for cron or a check).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            if not options["no_periodic"]:
                worker.schedule()
            ran = worker.drain()
            self.stdout.write(f"Ran {ran} task(s).")
            return
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        jobs = ", ".join(sorted(worker.PERIODIC)) or "none"
        self.stdout.write(f"Worker started; periodic jobs: {jobs}.")
        worker.run_forever(
            interval=options["interval"],
            periodic=not options["no_periodic"],
            should_stop=lambda: stopping,
        )
        self.stdout.write("Worker stopped.")
