"""Background jobs of the shared machinery.

Safe to run twice: a flush writes what it drained, and a drained count is
gone from the buffer, so nothing is written twice.
"""

from datetime import timedelta

from django.tasks import task

from practica.core import cache
from practica.core.worker import every


@every(timedelta(seconds=30))
@task
def flush_counts() -> int:
    """Write the buffered page views (questions and artifacts, see
    ``cache.COUNTED``) to the database in one transaction; returns the
    rows updated.

    With Redis this drains the counts of every web process; without it,
    each web process writes its own (see ``practica.core.cache``) and this
    writes those of the process it runs in.
    """
    return cache.flush_counts()
