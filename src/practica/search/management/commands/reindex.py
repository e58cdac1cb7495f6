"""``practica reindex``: rebuild the search index from the database."""

import time
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
)
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from practica.search import documents, engine, indexer


class Command(BaseCommand):
    help = (
        "Rebuild the search index from scratch: every question, "
        "discussion, published artifact, community and active person is"
        " read from the database and written again, up to 5 000 "
        "documents of a kind per commit, with a progress bar. Safe "
        "while the site is up: documents are replaced in place, so "
        "searches keep finding the old version of each until its new "
        "one is written, and what the database no longer holds is "
        "removed at the end. Writes made while it runs are indexed "
        "afterwards: the command notes where the activity record stood "
        "when it began and catches up from there when it ends. If it is"
        " killed, the index stays as good as it was (some documents "
        "fresher) and the indexer carries on from where it stood; run "
        "the command again and it resumes after the last batch it "
        "committed (--restart starts over). Only one indexer writes at "
        "a time: if another is in the middle of a pass, this waits for "
        "it (see --wait)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--wait",
            type=float,
            default=60.0,
            metavar="SECONDS",
            help="How long to wait for another indexer (`practica "
            "indexer`, a search catching up, another reindex) to finish "
            "before giving up; default 60.",
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help="Start from the first document even if an earlier "
            "rebuild was interrupted (by default it resumes after the "
            "last batch that one committed).",
        )

    def handle(
        self,
        *args: Any,
        wait: float,
        restart: bool,
        verbosity: int,
        **options: Any,
    ) -> None:
        total = documents.count()
        resume = None if restart else indexer.unfinished()
        # Django's OutputWrapper ends every write with a newline; rich
        # writes fragments, so it gets the stream underneath.
        stream: Any = getattr(self.stdout, "_out", self.stdout)
        out = Console(file=stream, highlight=False)
        if verbosity:
            where = (
                "the database (search_document)"
                if indexer.store() is not engine
                else engine.path()
            )
            self.stdout.write(
                f"Rebuilding the search index in {where}: {total:,} documents."
            )
            if resume is not None:
                self.stdout.write(
                    "Resuming an interrupted rebuild"
                    + (f" after {resume}." if resume else ".")
                    + " (--restart starts over.)"
                )
        bar = Progress(
            TextColumn("Indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=out,
            disable=verbosity == 0,
        )
        task = bar.add_task("Indexing", total=total)

        def advance(done: int) -> None:
            bar.advance(task, done)
            # Rows written meanwhile can make the count grow.
            state = bar.tasks[0]
            if state.total is not None and state.completed > state.total:
                bar.update(task, total=state.completed)

        started = time.monotonic()
        with bar:
            written = self._rebuild(advance, wait, restart)
        # What was written while it ran; the last second's rows wait for
        # the next pass (see indexer.SETTLE).
        caught_up = indexer.catch_up()
        if verbosity:
            seconds = time.monotonic() - started
            self.stdout.write(
                f"Indexed {written:,} documents in {seconds:.1f} s"
                + (
                    f", then caught up with {caught_up:,} "
                    "activities written meanwhile."
                    if caught_up
                    else "."
                )
            )

    def _rebuild(self, advance: Any, wait: float, restart: bool) -> int:
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                return indexer.rebuild(progress=advance, restart=restart)
            except indexer.Busy as exc:
                if time.monotonic() >= deadline:
                    raise CommandError(
                        f"{exc} Nothing was changed. (Waited {wait:g} s; "
                        "use --wait for longer.)"
                    ) from exc
                time.sleep(0.5)
