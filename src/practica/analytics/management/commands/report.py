"""``practica report health``: the health figures for operators."""

import json
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
)
from django.utils import timezone

from practica.analytics import figures, network, selectors
from practica.analytics.schemas import FiguresOut
from practica.analytics.templatetags.analytics import change, figure
from practica.communities.models import Community

NETWORK_DAYS = 365


class Command(BaseCommand):
    help = (
        "Reports for operators. `report health` prints each community's "
        "health (or one community's, with --community): the latest "
        "complete period's figures with the change from the one before, "
        "today's backlog and repertoire, and the help network's totals, "
        "as Markdown or JSON. It reads the database only (SQL "
        "aggregates) and shows no titles, texts or names of people."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="report", required=True, metavar="REPORT"
        )
        health = sub.add_parser(
            "health",
            help="Health figures per community.",
            description="Health figures per community.",
        )
        health.add_argument(
            "--community",
            metavar="SLUG",
            help="Only this community (default: every community).",
        )
        health.add_argument(
            "--format",
            choices=["md", "json"],
            default="md",
            help="md: a Markdown report to read or mail (default); json: "
            "the same figures as the API's, one object per community.",
        )
        health.add_argument(
            "--period",
            choices=["week", "month"],
            default="month",
            help="Calendar weeks (from Monday) or months (default).",
        )
        health.add_argument(
            "--tz",
            default="UTC",
            metavar="ZONE",
            help="The time zone periods are cut in (default UTC), e.g. "
            "Europe/Berlin.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            zone = selectors.zone_for(None, options["tz"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        qs = Community.objects.order_by("name")
        if options["community"]:
            qs = qs.filter(slug=options["community"])
            if not qs.exists():
                raise CommandError(
                    f"No community has the slug '{options['community']}': "
                    "see the slugs in the admin or at /communities/."
                )
        now = timezone.now()
        reports = []
        for c in qs:
            figs = figures.compute(
                [c.pk],
                period=options["period"],
                tz=zone,
                now=now,
                community=c,
            )
            net = network.build(
                [c.pk], now - timedelta(days=NETWORK_DAYS), now
            )
            reports.append((c, figs, net))
        if options["format"] == "json":
            out = [
                {
                    "community": {"slug": c.slug, "name": c.name},
                    "figures": FiguresOut.build(f).model_dump(mode="json"),
                    "network": {
                        "total": n.total,
                        "by_kind": n.by_kind,
                        "cross_department_share": n.cross_share,
                        "isolated_count": n.isolated_count,
                        "members": n.members,
                    },
                }
                for c, f, n in reports
            ]
            self.stdout.write(json.dumps(out, indent=2))
            return
        for c, f, n in reports:
            self.stdout.write(self.markdown(c, f, n))

    def markdown(
        self, c: Community, f: figures.Figures, n: network.Network
    ) -> str:
        lines = [
            f"# {c.name} ({c.slug})",
            "",
            f"Latest complete {f.period}: {f.labels[-1]} ({f.time_zone}).",
            "",
            "| Figure | Value | Change |",
            "| --- | ---: | --- |",
        ]
        for s in f.series:
            lines.append(
                f"| {s.label} | {figure(s.current, s.unit)} | {change(s)} |"
            )
        t = f.now
        lines += [
            "",
            f"- Members today: {t['members']} ({t['newcomers']} newcomers)",
            f"- Unanswered questions: {t['unanswered']}, "
            f"{t['older_than_week']} older than a week",
            f"- Artifacts: {t['artifacts']} published, {t['expired']} expired",
            f"- Help in the last year: {n.total} acts, cross-department "
            f"{figure(n.cross_share, 'share')}, {n.isolated_count} of "
            f"{n.members} members isolated",
            "",
        ]
        return "\n".join(lines)
