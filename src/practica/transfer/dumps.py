"""Shared pieces of the importers: errors that say where, streaming XML
rows with their line numbers, the import-key map and the run's result."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from practica.communities.models import Community
from practica.conversations import importer
from practica.transfer.models import ImportKey
from practica.transfer.xmlrows import (  # noqa: F401  (re-exported)
    CHUNK,
    DumpError,
    maybe_moment,
    maybe_number,
    moment,
    number,
    xml_rows,
)

Progress = Callable[[str, int], None]


class Keys:
    """Source ids to row ids through :class:`ImportKey`, looked up a
    batch at a time (memory stays bounded by the batch)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def find(
        self, kind: str | Iterable[str], keys: Iterable[Any]
    ) -> dict[str, int]:
        """Row ids by source key, for the keys already imported."""
        kinds = [kind] if isinstance(kind, str) else list(kind)
        return {k: target for k, _, target in self._rows(kinds, keys)}

    def kinds(
        self, kinds: Iterable[str], keys: Iterable[Any]
    ) -> dict[str, tuple[str, int]]:
        """(kind, row id) by source key, for the keys already imported."""
        return {
            k: (kind, target) for k, kind, target in self._rows(kinds, keys)
        }

    def _rows(
        self, kinds: Iterable[str], keys: Iterable[Any]
    ) -> list[tuple[str, str, int]]:
        kinds = list(kinds)
        return importer.select_in(
            ImportKey,
            ("key", "kind", "target_id"),
            f"source = %s AND kind IN ({', '.join(['%s'] * len(kinds))})",
            [self.source, *kinds],
            "key",
            (str(k) for k in keys if k is not None),
        )

    def add(
        self,
        kind: str,
        pairs: Iterable[tuple[Any, int]],
        pending: dict[str, str] | None = None,
    ) -> None:
        pending = pending or {}
        now = importer.stored_datetime(timezone.now())
        importer.insert_rows(
            ImportKey,
            ("source", "kind", "key", "target_id", "pending", "created_at"),
            [
                (
                    self.source,
                    kind,
                    str(key),
                    target,
                    pending.get(str(key), ""),
                    now,
                )
                for key, target in pairs
            ],
            stored=("created_at",),
        )

    def any(self, kinds: Iterable[str]) -> bool:
        """Whether a key of these kinds is there (an earlier run's)."""
        return ImportKey.objects.filter(
            source=self.source, kind__in=list(kinds)
        ).exists()


@dataclass
class Result:
    """What one import run did, per kind of record."""

    community: Community | None = None
    community_created: bool = False
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    read: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    indexed: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0
    posts_seconds: float = 0.0
    # CPU of this process in the posts phase (the pool's workers apart)
    posts_cpu: float = 0.0

    def add(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n

    def skip(self, kind: str, n: int = 1) -> None:
        self.skipped[kind] = self.skipped.get(kind, 0) + n

    @property
    def rows(self) -> int:
        return sum(self.created.values())
