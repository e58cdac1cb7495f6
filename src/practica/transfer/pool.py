"""Body conversion beside the writes: worker processes, results in order.

Converting and sanitising a post's HTML costs about as much as
everything else the importer does for it, and it needs nothing from the
database, so the importers hand each batch's bodies to a process pool
(for Stack Exchange's posts, a range of Posts.xml to parse and prepare
as well) while the main process writes the batches before it.
Results come back in the order the batches went in (the same rows and
ids as one process would give). With ``workers`` below 2 everything
runs here, in order: small dumps (and the tests) do not pay for
starting processes.
"""

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
# Batches converted ahead of the one being written: enough to keep two
# workers busy while the main process writes, few enough to bound memory.
AHEAD = 4
# Below this size of Posts.xml (about 5,000 posts), starting workers
# costs more than it saves.
POOL_FROM = 8 << 20


def default_workers(posts: Path, threshold: int = POOL_FROM) -> int:
    """Worker processes for a dump whose posts are in ``posts``: two
    (the main process writes meanwhile) for one of ``threshold`` bytes
    or more, none for a smaller one."""
    try:
        size = posts.stat().st_size
    except OSError:
        return 0
    if size < threshold:
        return 0
    return min(2, os.cpu_count() or 1)


class Bodies:
    """``with Bodies(2) as pool: for batch, out in pool.pipeline(...)``."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None
        if workers > 1:
            # spawn, not fork: the command's progress bar runs a thread,
            # and a forked copy of a threaded process may deadlock.
            self.executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
            )

    def __enter__(self) -> "Bodies":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def pipeline(
        self,
        convert: Callable[[Any], Any],
        batches: Iterable[T],
        payload: Callable[[T], Any],
    ) -> Iterator[tuple[T, Any]]:
        """Each batch with ``convert(payload(batch))``, in order.

        ``payload`` runs here when the batch is read (it may ask the
        database what is new); ``convert`` runs in a worker while the
        batches before it are written.
        """
        if self.executor is None:
            for batch in batches:
                yield batch, convert(payload(batch))
            return
        waiting: deque[tuple[T, Future[Any]]] = deque()
        for batch in batches:
            waiting.append(
                (batch, self.executor.submit(convert, payload(batch)))
            )
            if len(waiting) > AHEAD:
                done, future = waiting.popleft()
                yield done, future.result()
        while waiting:
            done, future = waiting.popleft()
            yield done, future.result()

    def map(
        self,
        work: Callable[[Any], Any],
        items: Iterable[Any],
        cost: Callable[[Any], float] | None = None,
    ) -> Iterator[Any]:
        """``work`` over ``items``, results in order (in the workers when
        there are some). With ``cost``, the workers start on the costliest
        items first, so that the longest one does not start last."""
        if self.executor is None:
            return map(work, items)
        given = list(items)
        order: Sequence[int] = range(len(given))
        if cost is not None:
            order = sorted(order, key=lambda i: cost(given[i]), reverse=True)
        futures = {i: self.executor.submit(work, given[i]) for i in order}
        return (futures[i].result() for i in range(len(given)))
