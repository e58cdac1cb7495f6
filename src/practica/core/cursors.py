"""Reading the activity record after a cursor, for the consumers that
follow it (the search indexer, the notifications fan-out).

Each consumer keeps its own cursor row, lock and writes; what they share
is how a batch is read and how far the cursor may move after it. On
PostgreSQL an id is handed out before its transaction commits, so a slow
transaction can commit a lower id after a higher one has been read. An
entry younger than the consumer's settle delay may have such a slower
one below it: the cursor stops before the first young entry, and
everything from there is read again on a later pass (after its writes
have committed, the consumer moves the cursor to :attr:`Batch.through`).

Stopping at the first young entry, rather than leaving young entries out
of the query, matters when ids and creation times disagree (two
processes taking the time and the id in opposite orders): an older entry
read past a young one would move the cursor over the young one for good.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Batch:
    """Up to ``size`` entries after the cursor, in id order.

    ``settled`` is how many of them, from the first, are older than the
    horizon; ``through`` is the id of the last of those (the cursor's new
    place), or the old cursor when the first entry is young.
    """

    rows: list[Any]
    settled: int
    through: int

    @property
    def done(self) -> list[Any]:
        """The settled entries: what a consumer that waits handles."""
        return self.rows[: self.settled]

    @property
    def waits(self) -> bool:
        """Does a young entry stop this batch (so the consumer should
        stop until a later pass)?"""
        return self.settled < len(self.rows)


def read_after(
    entries: QuerySet[Any],
    *,
    after: int,
    size: int,
    horizon: datetime | None,
) -> Batch:
    """The next batch of ``entries`` (activities, as model instances or
    named rows with ``pk`` and ``created_at``) after id ``after``.

    ``horizon``: entries created after it have not settled (None: all
    have). One query.
    """
    rows = list(entries.filter(pk__gt=after).order_by("pk")[:size])
    settled, through = 0, after
    for row in rows:
        if horizon is not None and row.created_at > horizon:
            break
        settled, through = settled + 1, row.pk
    return Batch(rows=rows, settled=settled, through=through)
