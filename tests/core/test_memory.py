"""The web worker's start-up freezes its long-lived objects, so the
garbage collector's full passes stop scanning them (no request stalls
for a pass over the whole heap)."""

import gc
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished
from django.template import engines

from practica.core import memory


@pytest.fixture
def settled() -> Iterator[None]:
    gc.unfreeze()
    try:
        memory.settle()
        yield
    finally:
        request_finished.disconnect(dispatch_uid="practica.core.memory")
        gc.callbacks.remove(memory._note_full_pass)
        memory._full_pass_done = False
        gc.unfreeze()


def _cached_templates() -> set[str]:
    names: set[str] = set()
    for loader in engines["django"].engine.template_loaders:  # type: ignore[attr-defined]
        for key in getattr(loader, "get_template_cache", {}):
            names.add(key)
    return names


def test_settle_freezes_what_the_worker_loaded(settled: None) -> None:
    assert gc.get_freeze_count() > 10_000
    # A full pass now scans only what was made since.
    assert len(gc.get_objects(generation=2)) < gc.get_freeze_count() / 10


def test_settle_compiles_practicas_templates(settled: None) -> None:
    cached = _cached_templates()
    assert "web/base.html" in cached
    assert "search/search.html" in cached or any(
        name.startswith("search/") for name in cached
    )


@pytest.mark.django_db  # request_finished also closes old connections
def test_survivors_of_a_full_pass_are_frozen_after_the_request(
    settled: None,
) -> None:
    kept = [[i] for i in range(5_000)]  # long-lived, made after start-up
    before = gc.get_freeze_count()
    gc.collect()  # a full pass, as the collector would run by itself
    assert gc.get_freeze_count() == before  # not during the pass
    request_finished.send(sender=None)
    assert gc.get_freeze_count() >= before + len(kept)
    # Once only: the next request freezes nothing more (frozen objects
    # may still be freed meanwhile, so the count may drop; no collection
    # may run by itself here).
    gc.disable()
    try:
        after = gc.get_freeze_count()
        more = [[i] for i in range(1_000)]
        request_finished.send(sender=None)
        assert gc.get_freeze_count() < after + len(more)
    finally:
        gc.enable()
    del kept, more
