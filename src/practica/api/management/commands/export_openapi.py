"""``practica export_openapi docs/openapi.json``: write the API document."""

from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
)

from practica.api.openapi import render


class Command(BaseCommand):
    help = (
        "Write the OpenAPI document of /api/v1/ (sorted keys, two-space "
        "indent) to a file, or to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default="-",
            help="Where to write it, e.g. docs/openapi.json; '-' (the "
            "default) prints it.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the file differs from the live "
            "document (for CI).",
        )

    def handle(
        self, *args: Any, path: str, check: bool, **options: Any
    ) -> None:
        document = render()
        if path == "-":
            if check:
                raise CommandError("--check needs a file path.")
            self.stdout.write(document, ending="")
            return
        target = Path(path)
        if check:
            current = target.read_text() if target.exists() else ""
            if current != document:
                raise CommandError(
                    f"{path} is out of date: run `make openapi` and commit "
                    "the result."
                )
            self.stdout.write(f"{path} is up to date.")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
