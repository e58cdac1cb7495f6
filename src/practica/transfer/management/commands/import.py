"""``practica import stackexchange|discourse|practica ...``: bring in
content from elsewhere (or from another Practica's export)."""

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

from practica.transfer import archive, discourse, stackexchange
from practica.transfer.dumps import DumpError, Result


class Command(BaseCommand):
    help = (
        "Import content: a Stack Exchange data dump (stackexchange), a "
        "Discourse export (discourse) or a Practica export (practica). "
        "Each is safe to run again: what is already there is skipped, "
        "and a run that was stopped finishes the rest. See "
        "docs/import-export.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="source",
            required=True,
            metavar="{stackexchange,discourse,practica}",
        )
        se = sub.add_parser(
            "stackexchange",
            help="One site of the Stack Exchange data dump.",
            description="Import one site of the Stack Exchange data dump "
            "(the folder with Posts.xml, Users.xml, Comments.xml, "
            "PostHistory.xml, Tags.xml, Votes.xml and Badges.xml) into a "
            "community: questions, answers, accepted answers, comments, "
            "tags, scores, edit history; people as unclaimed accounts.",
        )
        se.add_argument("directory", help="The site's folder.")
        se.add_argument(
            "--community",
            required=True,
            help="Slug of the community to import into; created public "
            "and open when missing.",
        )
        se.add_argument(
            "--name", default="", help="Name of a community created here."
        )
        se.add_argument(
            "--site",
            default="",
            help="Short name of the site in placeholder addresses "
            "(se-SITE-ID@unclaimed.invalid); default: from the folder's "
            "name (bicycles.meta.stackexchange.com → bicycles-meta).",
        )
        se.add_argument(
            "--rerender",
            action="store_true",
            help="Render each body from its converted Markdown (as an "
            "edit would) instead of sanitising the site's own HTML; "
            "about five times slower.",
        )
        se.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that convert the bodies while this one "
            "writes (0: none); default: 2 for a dump whose Posts.xml "
            "is 8 MB or more, none for a smaller one.",
        )
        dc = sub.add_parser(
            "discourse",
            help="A Discourse forum's export (JSON).",
            description="Import a Discourse export: users.json, "
            "topics.json, posts.json and optionally categories.json and "
            "likes.json (the layout is in docs/import-export.md).",
        )
        dc.add_argument("directory", help="The export's directory.")
        dc.add_argument(
            "--community",
            default="",
            help="Slug of the one community to import into (created "
            "when missing); categories become tags.",
        )
        dc.add_argument(
            "--categories",
            choices=["tags", "communities"],
            default="tags",
            help="'communities': one community per top-level category "
            "(subcategories become tags) instead of --community.",
        )
        dc.add_argument(
            "--site",
            default="",
            help="Short name of the forum in placeholder addresses; "
            "default: the directory's name.",
        )
        mine = sub.add_parser(
            "practica",
            help="An export written by 'practica export', into an empty site.",
            description="Rebuild a site from the directory that "
            "'practica export' wrote (practica.jsonl and files/). The "
            "site must be empty (migrated, nobody signed up yet); the "
            "import is one transaction: all or nothing.",
        )
        mine.add_argument("directory", help="The export's directory.")
        mine.add_argument(
            "--no-index",
            action="store_true",
            help="Leave the search index to the indexer.",
        )
        for p in (se, dc):
            p.add_argument(
                "--batch",
                type=int,
                default=stackexchange.BATCH,
                help="Rows per transaction (default %(default)s).",
            )
            p.add_argument(
                "--no-index",
                action="store_true",
                help="Leave the search index to the indexer instead of "
                "rebuilding it now.",
            )

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        out: Any = self.stdout
        console = Console(file=getattr(out, "_out", out), highlight=False)
        quiet = verbosity == 0
        if options.get("batch", 1) < 1:
            raise CommandError("--batch must be at least 1.")
        if (options.get("workers") or 0) < 0:
            raise CommandError("--workers must be 0 or more.")
        columns = (
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, disable=quiet) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(phase: str, n: int) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task(phase, total=totals.get(phase))
                bar.advance(tasks[phase], n)

            totals: dict[str, int] = {}
            try:
                result = self._run(options, progress, totals)
            except DumpError as exc:
                raise CommandError(str(exc)) from exc
        if not quiet:
            report(console, result)

    def _run(
        self,
        options: dict[str, Any],
        progress: Any,
        totals: dict[str, int],
    ) -> Result:
        source = options["source"]
        directory = Path(options["directory"])
        if source == "stackexchange":
            stackexchange.check_directory(directory)
            totals["check"] = len(stackexchange.FILES) + int(
                (directory / stackexchange.LINKS).exists()
            )

            def counted(counts: dict[str, int]) -> None:
                totals.update(
                    people=counts["Users.xml"],
                    tags=counts["Tags.xml"],
                    posts=counts["Posts.xml"],
                    comments=counts["Comments.xml"],
                    history=counts["PostHistory.xml"],
                    links=counts.get(stackexchange.LINKS, 0),
                )

            return stackexchange.import_stackexchange(
                directory,
                community=options["community"],
                name=options["name"],
                site=options["site"],
                batch_size=options["batch"],
                index=not options["no_index"],
                rerender=options["rerender"],
                workers=options["workers"],
                progress=progress,
                counted=counted,
            )
        if source == "discourse":
            return discourse.import_discourse(
                directory,
                community=options["community"],
                by_category=options["categories"] == "communities",
                site=options["site"],
                batch_size=options["batch"],
                index=not options["no_index"],
                progress=progress,
            )
        if source == "practica":
            counts = archive.restore(directory, progress=progress)
            result = Result()
            result.created.update({k: v for k, v in counts.items() if v})
            if not options["no_index"]:
                from practica.search import indexer

                result.indexed = indexer.rebuild(
                    lambda n: progress("index", n)
                )
            return result
        raise CommandError(f"Unknown source {source!r}.")


def report(console: Console, r: Result) -> None:
    where = f" into /c/{r.community.slug}/" if r.community else ""
    table = Table(title=f"Imported{where}")
    table.add_column("records")
    table.add_column("created", justify="right")
    table.add_column("already there", justify="right")
    for kind in dict.fromkeys([*r.created, *r.skipped]):
        table.add_row(
            kind,
            f"{r.created.get(kind, 0):,}",
            f"{r.skipped.get(kind, 0):,}",
        )
    console.print(table)
    load = r.seconds - r.index_seconds
    line = f"{r.rows:,} rows in {load:.1f} s"
    posts = r.created.get("questions", 0) + r.created.get("answers", 0)
    if r.posts_seconds and posts:
        line += f"; posts at {posts / r.posts_seconds:,.0f}/s"
        if r.posts_cpu:
            line += (
                f" ({posts / r.posts_cpu:,.0f} per CPU-second of this process)"
            )
    if r.indexed:
        line += (
            f"; search index: {r.indexed:,} documents in "
            f"{r.index_seconds:.1f} s"
        )
    console.print(line, soft_wrap=True)
    for note in r.notes:
        console.print(f"Note: {note}", soft_wrap=True)
