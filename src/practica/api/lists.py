"""List responses built from cached JSON, one item at a time.

A list endpoint's cost was mostly the work of turning rows into JSON:
ninja validates every returned object against the response schema (a
pydantic model per item, attribute by attribute), dumps it to Python
values and then encodes them. An item's JSON only changes when what it
shows changes, so :func:`page_response` keeps each item's encoded JSON in
Django's cache under a key naming the item and everything it shows (the
row's ``version``, bumped by the services on every write, its creation
time and whatever the version does not cover), takes a page's items from
the cache in one round trip, encodes only the missing ones, and joins
them into the response body directly; the body is kept too, for the
next request that lists the same items.

The body is byte for byte what ninja would have written for the same
page (``{"items": [...], "next_cursor": ...}`` through the API's
renderer), and the operation keeps declaring its schema, so the OpenAPI
document does not change. What a viewer may see is decided by the query
that lists the rows, never by the cache: an item's JSON holds nothing
that depends on who asks, and a viewer only ever receives the items its
own, access-filtered, query returned.
"""

import hashlib
import json
import pickle
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import cache as memo
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse
from ninja import Schema
from ninja.renderers import JSONRenderer

# Seconds. Keys name every version, so these only bound memory: a page's
# body is large and outdated by any write to one of its items.
TTL = 3600
PAGE_TTL = 600

# The renderer NinjaAPI uses by default, as practica.api.api does (that
# module imports the routers, so it cannot be imported here);
# tests/api/test_lists.py checks the bodies against the API's own.
_renderer = JSONRenderer()
_encoder = _renderer.encoder_class(**_renderer.json_dumps_params)
CONTENT_TYPE = f"{_renderer.media_type}; charset={_renderer.charset}"


def encode(data: Any) -> str:
    """``data`` as the API's renderer writes it."""
    return _encoder.encode(data)


@memo
def schema_digest(schema: type[Schema]) -> str:
    """A short digest of a schema's shape, once per process: a deploy that
    changes the schema never serves JSON written by the old one."""
    shape = json.dumps(schema.model_json_schema(), sort_keys=True)
    return hashlib.blake2b(shape.encode(), digest_size=6).hexdigest()


def item_keyer(schema: type[Schema], kind: str = "") -> Callable[..., str]:
    """A function of an item's parts (or a page's) that gives its cache
    key."""
    prefix = f"api:{kind}{schema.__name__}:{schema_digest(schema)}:"

    def make(*parts: Hashable) -> str:
        # Pickled rather than repr'd (a third of the cost): equal parts
        # may pickle differently (a miss), different ones never alike.
        raw = pickle.dumps(parts, protocol=5)
        return prefix + hashlib.blake2b(raw, digest_size=16).hexdigest()

    return make


def item_json(schema: type[Schema], obj: Any) -> str:
    """One object as ``schema`` validates, dumps and the renderer encodes
    it: what ninja writes for it inside a response."""
    return encode(schema.model_validate(obj).model_dump())


def items_json[R](
    rows: Sequence[R],
    *,
    schema: type[Schema],
    parts: Callable[[R], tuple[Hashable, ...]],
    load: Callable[[list[R]], Iterable[Any | None]] | None = None,
) -> list[str]:
    """Each row's JSON, from the cache in one round trip; the missing ones
    encoded and stored. ``parts`` names everything a row's JSON shows;
    ``load`` turns the missing rows into what ``schema`` validates, in
    order, None for a row gone since it was listed (it is left out);
    rows that are already full objects need none."""
    keyer = item_keyer(schema)
    keys = [keyer(*parts(row)) for row in rows]
    found: dict[str, str] = cache.get_many(keys)
    missing = [i for i, k in enumerate(keys) if k not in found]
    if missing:
        todo = [rows[i] for i in missing]
        objects = list(load(todo)) if load is not None else todo
        fresh = {
            keys[i]: item_json(schema, obj)
            for i, obj in zip(missing, objects, strict=True)
            if obj is not None
        }
        cache.set_many(fresh, TTL)
        found.update(fresh)
    return [found[k] for k in keys if k in found]


def page_body(items: Sequence[str], next_cursor: str | None) -> str:
    """A keyset page ``{items, next_cursor}`` from its items' JSON."""
    return (
        '{"items": ['
        + ", ".join(items)
        + '], "next_cursor": '
        + encode(next_cursor)
        + "}"
    )


def page_response[R](
    rows: Sequence[R],
    next_cursor: str | None,
    *,
    schema: type[Schema],
    parts: Callable[[R], tuple[Hashable, ...]],
    load: Callable[[list[R]], Iterable[Any | None]] | None = None,
    whole: bool = True,
) -> HttpResponse:
    """The 200 response of a keyset page whose items ``schema`` describes
    (see :func:`items_json`). With ``whole`` the body is cached too, under
    the parts of all its items and its cursor: a page seen before is one
    cache read. Pass ``whole=False`` for pages after the first: a client
    walking a whole list would otherwise fill the cache with bodies
    nobody asks for again (each item is still cached)."""
    if not whole:
        items = items_json(rows, schema=schema, parts=parts, load=load)
        return HttpResponse(
            page_body(items, next_cursor), content_type=CONTENT_TYPE
        )
    page_key = item_keyer(schema, "page:")(
        tuple(parts(row) for row in rows), next_cursor
    )
    body = cache.get(page_key)
    if body is None:
        items = items_json(rows, schema=schema, parts=parts, load=load)
        body = page_body(items, next_cursor)
        if len(items) == len(rows):  # none gone since they were listed
            cache.set(page_key, body, PAGE_TTL)
    return HttpResponse(body, content_type=CONTENT_TYPE)


def stamped_page_response[R](
    stamps: Hashable,
    fetch: Callable[[], Any],
    *,
    schema: type[Schema],
    parts: Callable[[R], tuple[Hashable, ...]],
) -> HttpResponse:
    """The 200 response of a keyset page that ``stamps`` identifies (a
    cheap query's rows naming the page's items and their versions, one
    beyond the page to tell whether there are more), cached whole under
    them; on a miss ``fetch()`` gives the page (``items`` and
    ``next_cursor``) and its items come from :func:`items_json`.

    For pages whose items show nothing the stamps' versions do not cover
    (or only what may lag by :data:`PAGE_TTL`)."""
    page_key = item_keyer(schema, "stamped:")(stamps)
    body = cache.get(page_key)
    if body is None:
        page = fetch()
        items = items_json(page.items, schema=schema, parts=parts)
        body = page_body(items, page.next_cursor)
        cache.set(page_key, body, PAGE_TTL)
    return HttpResponse(body, content_type=CONTENT_TYPE)
