"""``practica import_corpus DIR --community SLUG``: load a Q&A corpus."""

from pathlib import Path
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
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from practica.conversations import importer


class Command(BaseCommand):
    help = (
        "Import a Q&A corpus in the JSONL format of shared/bench/corpus.py "
        "(users.jsonl, threads.jsonl, posts.jsonl) into one community: "
        "people (who cannot sign in until they reset their password), "
        "memberships, tags, questions with their answers, revisions and "
        "one activity entry per question, then rebuild the search index. "
        "Running it again on the same corpus adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="The corpus directory.")
        parser.add_argument(
            "--community",
            required=True,
            help="Slug of the community to import into; created public "
            "and open when missing.",
        )
        parser.add_argument(
            "--name", default="", help="Name of a community created here."
        )
        parser.add_argument(
            "--tagline",
            default="",
            help="Domain line of a community created here.",
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=importer.BATCH,
            help="Threads per transaction (default %(default)s).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that render the bodies while this one writes "
            "(0: none); default: 2 unless posts.jsonl is under 1 MB.",
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Leave the search index to the indexer (it reads the "
            "activity entries) instead of rebuilding it now.",
        )

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        directory = Path(options["directory"])
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        if (options["workers"] or 0) < 0:
            raise CommandError("--workers must be 0 or more.")
        # Django's OutputWrapper ends every write with a newline; rich writes
        # fragments, so it gets the stream underneath.
        out: Any = self.stdout
        console = Console(file=getattr(out, "_out", out), highlight=False)
        quiet = verbosity == 0
        counts = importer.corpus_counts(directory)
        columns = (
            TextColumn("{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, disable=quiet) as bar:
            tasks: dict[str, TaskID] = {
                "users": bar.add_task("people", total=counts["users"]),
                "threads": bar.add_task("threads", total=counts["threads"]),
            }

            def progress(phase: str, n: int) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task("index", total=None)
                bar.advance(tasks[phase], n)

            try:
                result = importer.import_corpus(
                    directory,
                    community=options["community"],
                    name=options["name"],
                    tagline=options["tagline"],
                    batch_size=options["batch"],
                    index=not options["no_index"],
                    progress=progress,
                    workers=options["workers"],
                )
            except importer.CorpusError as exc:
                raise CommandError(str(exc)) from exc
        if not quiet:
            report(console, result)


def report(console: Console, r: importer.ImportResult) -> None:
    table = Table(title=f"Imported into /c/{r.community.slug}/")
    table.add_column("rows")
    table.add_column("created", justify="right")
    table.add_column("already there", justify="right")
    table.add_row("people", str(r.users_created), str(r.users_existing))
    table.add_row("memberships", str(r.memberships_created), "")
    table.add_row("tags", str(r.tags_created), "")
    table.add_row(
        "questions",
        str(r.conversations_created),
        str(r.conversations_skipped),
    )
    table.add_row("answers", str(r.replies_created), str(r.replies_skipped))
    table.add_row("revisions", str(r.revisions_created), "")
    table.add_row("activity", str(r.activities_created), "")
    console.print(table)
    load = r.seconds - r.index_seconds
    console.print(
        f"{r.rows} rows in {load:.1f} s ({r.rows_per_second:,.0f} rows/s)"
        + (
            f"; search index: {r.indexed} documents in {r.index_seconds:.1f} s"
            if r.indexed
            else ""
        ),
        soft_wrap=True,  # one line, for scripts that read it
    )
    for note in r.notes:
        console.print(f"Note: {note}")
