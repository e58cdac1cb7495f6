"""What the importers have brought in, so that a second run skips it."""

from django.db import models


class ImportKey(models.Model):
    """One imported record: its id in the source, the row it became.

    ``source`` names the dump (``stackexchange:bicycles-meta``,
    ``discourse:forum``), ``kind`` the record type in it (user,
    question, answer, comment, revision, tag, ...). A row is written in
    the same transaction as what it points to, so a run killed midway
    leaves either both or neither, and the next run skips exactly what
    is already there. The mapping outlives later changes to the target
    (a claimed account keeps its key although its email changed).
    """

    source = models.CharField(max_length=80)
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=80)
    target_id = models.PositiveBigIntegerField()
    # A reference that could not be resolved yet (a question's accepted
    # answer, read after it); settled when the import finishes.
    pending = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "key"], name="import_key_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["source", "kind", "target_id"], name="import_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.key} → {self.target_id}"
