"""``practica indexer``: keep the search index fresh, in its own process."""

import logging
import signal
import threading
from datetime import timedelta
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
)
from django.db import close_old_connections
from django.utils import timezone

from practica.search import indexer

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Keep the search index fresh: read the activity record after the "
        "index's cursor, re-index what each activity touched, wait about a "
        "second, and again, until stopped (Ctrl-C or SIGTERM end it "
        "between passes). Run one of these in production, where "
        "SEARCH_INDEX_ON_READ is false; in the embedded mode each search "
        "catches up by itself and this is not needed. The first pass "
        "builds the whole index if there is none. A pass that fails (the "
        "database restarting, say) is logged and retried; the cursor "
        "moves only after the index committed, so nothing is lost."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run one pass and exit (for cron, or to check a "
            "deployment); a failing pass then fails the command.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="Pause between passes; default 1.",
        )
        parser.add_argument(
            "--settle",
            type=float,
            default=indexer.SETTLE.total_seconds(),
            metavar="SECONDS",
            help="Leave activities younger than this for the next pass, "
            "so that on PostgreSQL a transaction that took its id early "
            "and committed late is not skipped; default "
            f"{indexer.SETTLE.total_seconds():g}.",
        )

    def handle(
        self,
        *args: Any,
        once: bool,
        interval: float,
        settle: float,
        verbosity: int,
        **options: Any,
    ) -> None:
        self.verbosity = verbosity
        lag = timedelta(seconds=max(0.0, settle))
        if once:
            try:
                self._pass(lag)
            except Exception as exc:
                raise CommandError(f"The indexer pass failed: {exc}") from exc
            return
        stop = threading.Event()

        def on_signal(signum: int, frame: Any) -> None:
            stop.set()

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, on_signal)
        if verbosity:
            self.stdout.write(
                f"Indexing every {interval:g} s; Ctrl-C to stop."
            )
        while not stop.is_set():
            close_old_connections()
            try:
                self._pass(lag)
            except Exception:
                # Keep running: the next pass repeats the work (the
                # cursor did not move) once the cause is gone.
                log.exception("Indexer pass failed; retrying.")
                stop.wait(max(interval, 5.0))
                continue
            stop.wait(max(interval, 0.0))
        if verbosity:
            self.stdout.write("Indexer stopped.")

    def _pass(self, lag: timedelta) -> int:
        read = indexer.catch_up(settle=lag)
        if read and self.verbosity:
            now = timezone.now().isoformat(timespec="seconds")
            noun = "activity" if read == 1 else "activities"
            self.stdout.write(f"{now} indexed {read:,} {noun}.")
        return read
