"""``practica export [--community SLUG] OUT``: everything needed to
rebuild the site (or one community) as versioned JSON Lines."""

from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
)
from rich.console import Console
from rich.progress import Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from practica.transfer import archive
from practica.transfer.dumps import DumpError


class Command(BaseCommand):
    help = (
        "Export the site, or one community, to the directory OUT: "
        "OUT/practica.jsonl (a header line, one line per record, an end "
        "line) and OUT/files/ (attachments). 'practica import practica "
        "OUT' rebuilds it in an empty site. The file holds password "
        "hashes and email addresses: keep it as safe as the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="Directory to write (created).")
        parser.add_argument(
            "--community",
            default="",
            help="Only this community (slug), its members and the people "
            "its content names.",
        )

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        out: Any = self.stdout
        console = Console(file=getattr(out, "_out", out), highlight=False)
        quiet = verbosity == 0
        with Progress(
            TextColumn("{task.description:<32}"),
            TextColumn("{task.completed:>9,} records"),
            TimeElapsedColumn(),
            console=console,
            disable=quiet,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(phase: str, n: int) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task(phase, total=None)
                bar.advance(tasks[phase], n)

            try:
                counts = archive.export(
                    Path(options["out"]),
                    community=options["community"] or None,
                    progress=progress,
                )
            except DumpError as exc:
                raise CommandError(str(exc)) from exc
        if not quiet:
            summary(console, f"Exported to {options['out']}", counts)


def summary(console: Console, title: str, counts: dict[str, int]) -> None:
    table = Table(title=title)
    table.add_column("records")
    table.add_column("count", justify="right")
    for label, n in counts.items():
        if n:
            table.add_row(label, f"{n:,}")
    console.print(table)
    console.print(f"{sum(counts.values()):,} records in all.")
