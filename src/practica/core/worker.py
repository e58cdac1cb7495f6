"""The background worker: queued tasks and periodic jobs.

Tasks are Django's tasks framework (``django.tasks``) stored in the
database by django-tasks-db, so nothing but the database is needed.
Periodic jobs are plain tasks that an app registers with ``every``; the
worker enqueues each when it is due. Every periodic job must be safe to run
twice (it decides what is due from the database, not from being called),
so a second worker, a restart or a slow run never sends anything twice.

    @every(timedelta(minutes=1))
    @task
    def send_due_reminders() -> int: ...
"""

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import close_old_connections
from django.tasks import Task, default_task_backend
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

log = logging.getLogger(__name__)


@dataclass
class Periodic:
    task: Task[Any, Any]
    interval: timedelta
    last: datetime | None = None

    def due(self, now: datetime) -> bool:
        return self.last is None or now - self.last >= self.interval


PERIODIC: dict[str, Periodic] = {}


def every(
    interval: timedelta,
) -> Callable[[Task[Any, Any]], Task[Any, Any]]:
    """Register a task to run about once per ``interval``."""

    def register(t: Task[Any, Any]) -> Task[Any, Any]:
        PERIODIC[t.module_path] = Periodic(t, interval)
        return t

    return register


def schedule(now: datetime | None = None) -> list[str]:
    """Enqueue the periodic jobs that are due; returns their names."""
    autodiscover_modules("tasks")  # apps register their jobs on import
    now = now or timezone.now()
    queued = []
    for name, job in PERIODIC.items():
        if job.due(now):
            job.task.enqueue()
            job.last = now
            queued.append(name)
    return queued


def drain(*, max_tasks: int | None = None) -> int:
    """Run queued tasks until none is ready; returns how many ran.

    The same code path as ``practica worker`` (the tests and the embedded
    mode call it directly).
    """
    from django_tasks_db.management.commands.db_worker import Worker

    w = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=default_task_backend.alias,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"drain-{uuid.uuid4().hex[:8]}",
        excluded_queue_names=[],
    )
    w.run()
    return w._run_tasks


def run_forever(
    *,
    interval: float = 1.0,
    periodic: bool = True,
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Loop: enqueue due periodic jobs, run what is queued, pause."""
    while not should_stop():
        close_old_connections()
        try:
            if periodic:
                schedule()
            drain()
        except Exception:  # a failing pass is logged and retried
            log.exception("Worker pass failed; retrying.")
        time.sleep(interval)
