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
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_activity_id}"
