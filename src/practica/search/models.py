"""Search state kept in the database.

The activity record is the outbox: every service writes an activity row
in the same transaction as its change, so the indexer reads activities
after its cursor and re-indexes what they touched. Nothing is lost if
the indexer dies: the cursor moves only after the index committed.
"""

from django.db import models


class IndexCursor(models.Model):
    name = models.CharField(max_length=40, primary_key=True)
    last_activity_id = models.PositiveBigIntegerField(default=0)
    # An unfinished full rebuild: the activity it started from (None when
    # no rebuild is under way) and the last document key it committed, so
    # ``practica reindex`` resumes there instead of starting over.
    rebuild_from = models.PositiveBigIntegerField(null=True, blank=True)
    rebuild_at = models.CharField(max_length=64, blank=True)
    # When a full build last finished; None: the index was never built
    # (the cursor alone cannot say so: 0 is a real position).
    built_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_activity_id}"


class SearchDocument(models.Model):
    """One searchable thing for ``SEARCH_BACKEND=postgres``: the same
    document the tantivy engine indexes, kept as a row.

    On PostgreSQL a migration adds ``search_vector``, a stored generated
    ``tsvector`` (title weighted A, body B) with a GIN index; Django does
    not know that column, so the table is plain everywhere else.
    """

    key = models.CharField(max_length=64, primary_key=True)
    type = models.CharField(max_length=20)
    obj_id = models.PositiveBigIntegerField()
    # The community's id, or 0 (the organisation) for people; not a
    # foreign key, so a community's deletion never blocks on its rows.
    community_id = models.PositiveBigIntegerField()
    title = models.TextField()
    body = models.TextField()
    answer = models.TextField(blank=True)
    tags = models.JSONField(default=list)
    # Folded, lower-cased name words between spaces: " ana lima ana ".
    authors = models.TextField(blank=True)
    solved = models.BooleanField(default=False)
    replies = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(null=True)
    updated = models.DateTimeField(null=True)

    class Meta:
        db_table = "search_document"
        indexes = [
            models.Index(
                fields=["community_id", "created"],
                name="search_document_community",
            ),
        ]

    def __str__(self) -> str:
        return self.key
