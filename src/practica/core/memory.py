"""Keep the garbage collector's full passes off the request path.

Python's cyclic garbage collector now and then makes a full pass over
every object the process holds. A warm web worker holds some 190,000
(modules, URL patterns, compiled templates, cached queries), and a full
pass over them took 50-170 ms of CPU: one request in a few thousand
stalled for that long, which showed as a benchmark p99 of 80-160 ms on
pages whose median is 3 ms, moving from page to page between runs.

:func:`settle` runs once per web worker, at start-up (``wsgi.py``):
it loads what every request needs (the URL patterns and Practica's
templates), collects once, and freezes the survivors
(:func:`gc.freeze`): frozen objects are never scanned again. What a
worker loads later (caches filled by requests) is frozen after the next
full pass, at the end of that request, so each full pass after the
first scans only what is new. Frozen objects are still freed by
reference counting; only a reference cycle among them would outlive its
use, and the long-lived objects frozen here are not garbage.
"""

import gc
from pathlib import Path
from typing import Any

from django.core.signals import request_finished

_full_pass_done = False


def settle() -> None:
    """Load, collect and freeze the worker's long-lived objects."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every URLconf and view)
    _load_templates()
    gc.collect()
    gc.freeze()
    if _note_full_pass not in gc.callbacks:
        gc.callbacks.append(_note_full_pass)
    request_finished.connect(
        _freeze_survivors, dispatch_uid="practica.core.memory"
    )


def _load_templates() -> None:
    """Compile Practica's templates into the cached template loader."""
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.template.utils import get_app_template_dirs

    package = Path(__file__).resolve().parent.parent
    for where in get_app_template_dirs("templates"):
        if package not in where.parents:
            continue
        for path in where.rglob("*.html"):
            try:
                get_template(path.relative_to(where).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue  # the page that uses it will say so


def _note_full_pass(phase: str, info: dict[str, Any]) -> None:
    global _full_pass_done
    if phase == "stop" and info["generation"] == 2:
        # Freezing inside a collection has no effect: it waits for the
        # end of the request.
        _full_pass_done = True


def _freeze_survivors(**kwargs: Any) -> None:
    global _full_pass_done
    if _full_pass_done:
        _full_pass_done = False
        gc.freeze()
