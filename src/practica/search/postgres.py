"""The PostgreSQL full-text engine (``SEARCH_BACKEND=postgres``): no
index outside the database.

Documents are rows of ``search_document`` (:class:`SearchDocument`),
written by the same indexer as the tantivy engine's. PostgreSQL keeps a
generated ``search_vector`` (title weighted A, body B, English stemming,
accents folded) with a GIN index on it (see migration 0002). A search is
one SQL query for the page and one for the counts, both filtered by the
viewer's communities inside the SQL, so what the viewer may not see is
never ranked, counted, faceted or excerpted.

What a person typed never reaches ``to_tsquery`` as syntax: words go
through ``plainto_tsquery``, phrases through ``phraseto_tsquery``, and a
prefix is reduced to letters and digits and quoted before ``:*`` is
added. Everything else is a bound parameter.
"""

import json
import unicodedata
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils.html import escape

from practica.search.documents import ORGANISATION, Doc
from practica.search.engine import Hit, Match, Result, _day, _safe, marked
from practica.search.models import SearchDocument
from practica.search.query import Parsed

CONFIG = "practica"  # the text search configuration of migration 0002
# Marks for ts_headline that cannot occur in the text (write() removes
# them), so the text can be escaped first and the marks become <b> after.
START, STOP = "\ue000", "\ue001"
HEADLINE = (
    f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=24, "
    'MinWords=8, FragmentDelimiter=" … "'
)
# Stored text is cut here: ts_headline reads the whole body, and a
# tsvector holds at most 1 MB.
MAX_TEXT = 100_000
FACET_SIZES = {"type": 10, "tags": 15, "community": 15}
# ts_rank_cd weights for D, C, B, A: the title (A) weighs 2.5 times the
# body (B) in searches, 4 times in "similar questions" (as with tantivy).
WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'::float4[]"
SIMILAR_WEIGHTS = "'{0.1, 0.2, 0.25, 1.0}'::float4[]"


def _check() -> None:
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured(
            "SEARCH_BACKEND=postgres needs a PostgreSQL database; use "
            "SEARCH_BACKEND=tantivy with this one."
        )


def fold(text: str) -> str:
    """Lower-cased, accents removed: how author names are stored and
    asked for."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch for ch in decomposed if not unicodedata.combining(ch)
    ).lower()


def _text(value: str) -> str:
    # PostgreSQL text holds no NUL; the highlight marks must stay ours.
    return (
        value.replace("\x00", "")
        .replace(START, "")
        .replace(STOP, "")[:MAX_TEXT]
    )


def _row(doc: Doc) -> SearchDocument:
    words = _safe(fold(" ".join(doc.authors))).split()
    return SearchDocument(
        key=doc.key,
        type=doc.type,
        obj_id=doc.id,
        community_id=doc.community,
        title=_text(doc.title),
        body=_text(doc.body),
        answer=_text(doc.answer),
        tags=[_text(t) for t in doc.tags],
        authors=f" {' '.join(words)} " if words else "",
        solved=doc.solved,
        replies=doc.replies,
        created=doc.created,
        updated=doc.updated,
    )


def write(docs: dict[str, Doc | None], *, clear: bool = False) -> None:
    """Replace (or delete) documents by key, in one transaction."""
    rows = [_row(d) for d in docs.values() if d is not None]
    gone = [key for key, d in docs.items() if d is None]
    with transaction.atomic():
        if clear:
            SearchDocument.objects.all().delete()
        if gone:
            SearchDocument.objects.filter(key__in=gone).delete()
        if rows:
            SearchDocument.objects.bulk_create(
                rows,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=[
                    f.name
                    for f in SearchDocument._meta.concrete_fields
                    if not f.primary_key
                ],
            )


def stored_keys() -> set[str]:
    """The keys of every stored document."""
    return set(SearchDocument.objects.values_list("key", flat=True))


# --- searching -------------------------------------------------------------


class _Sql:
    """A piece of SQL and its parameters, in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)


def _prefix(word: str) -> str | None:
    """``'term':*`` for to_tsquery, built from letters and digits only
    (quoted), so no tsquery syntax can come from the person; a prefix
    that is several words ("ci-run*") is the words then the prefix."""
    words = _safe(word).split()
    if not words:
        return None
    quoted = [f"'{w}'" for w in words]
    quoted[-1] += ":*"
    return " <-> ".join(quoted)


def _positive(parsed: Parsed) -> _Sql | None:
    """The words, phrases and prefixes as one tsquery expression (all
    must match); None when there are none. Stop words drop out: a
    tsquery AND-ed with an empty one is itself."""
    sql = _Sql()
    for word in parsed.words:
        sql.add(f"plainto_tsquery('{CONFIG}', %s)", _safe(word))
    for phrase in parsed.phrases:
        sql.add(f"phraseto_tsquery('{CONFIG}', %s)", _safe(phrase))
    for prefix in parsed.prefixes:
        tsquery = _prefix(prefix)
        if tsquery is not None:
            sql.add(f"to_tsquery('{CONFIG}', %s)", tsquery)
    if not sql.parts:
        return None
    joined = _Sql()
    joined.add(" && ".join(f"({p})" for p in sql.parts), *sql.params)
    return joined


def _excluded(word: str) -> tuple[str, str]:
    kind = "phraseto_tsquery" if " " in word else "plainto_tsquery"
    return f"{kind}('{CONFIG}', %s)", _safe(word)


def _where(
    parsed: Parsed,
    community_ids: list[int],
    community_slugs: dict[str, int],
    text: _Sql,
) -> _Sql:
    """The WHERE clause: the viewer's communities first, then the text
    match and every filter typed."""
    where = _Sql()
    where.add("d.community_id = ANY(%s)", list(community_ids))
    if text.parts:
        where.add("d.search_vector @@ q.query")
    for word in parsed.excluded:
        # NOT (… @@ …) rather than @@ !!(…): an excluded stop word is an
        # empty tsquery, which must exclude nothing, not everything.
        expr, value = _excluded(word)
        where.add(f"NOT (d.search_vector @@ {expr})", value)
    if parsed.types:
        where.add("d.type = ANY(%s)", list(parsed.types))
    for tag in parsed.tags:
        where.add("d.tags @> %s::jsonb", json.dumps([_text(tag)]))
    if parsed.communities:
        # A slug the viewer cannot see (or no such) matches nothing.
        ids = [community_slugs.get(s, -1) for s in parsed.communities]
        where.add("d.community_id = ANY(%s)", ids)
    for author in parsed.authors:
        words = _safe(fold(author)).split()
        if not words:
            where.add("FALSE")
        for w in words:
            where.add("strpos(d.authors, %s) > 0", f" {w} ")
    if parsed.solved is not None:
        where.add("d.solved = %s", parsed.solved)
        if not parsed.types:
            where.add("d.type = 'question'")
    if parsed.unanswered:
        where.add("d.replies = 0 AND d.type = 'question'")
    if parsed.after:
        where.add("d.created >= %s", _day(parsed.after))
    if parsed.before:
        where.add("d.created < %s", _day(parsed.before))
    return where


def _marked(text: str | None) -> str:
    """Escaped text whose only markup is the <b> marks ts_headline put."""
    return str(escape(text or "")).replace(START, "<b>").replace(STOP, "</b>")


def search(
    *,
    parsed: Parsed,
    community_ids: list[int],
    community_slugs: dict[str, int],
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
) -> Result:
    """Top hits among the given communities (the viewer's), with facet
    counts computed on the same permission-filtered query."""
    _check()
    if not community_ids:
        return Result(hits=[], total=0)
    text = _positive(parsed) or _Sql()
    where = _where(parsed, community_ids, community_slugs, text)
    # The tsquery is computed once, as a one-row table joined to every
    # document; without words it is NULL and nothing uses it.
    matched = (
        "FROM search_document d, "
        f"(SELECT {''.join(text.parts) or 'NULL::tsquery'} AS query) q "
        f"WHERE {' AND '.join(where.parts)}"
    )
    params = [*text.params, *where.params]
    ordered = sort == "newest" or not text.parts  # by date, not score
    # By the inner query's column names, so the outer one can use it too.
    order = "created DESC NULLS LAST, key"
    if not ordered:
        order = f"rank DESC, {order}"
    if text.parts:
        rank = f"ts_rank_cd({WEIGHTS}, d.search_vector, q.query)"
        # Excerpts only for the page's rows: ts_headline re-reads text.
        marks = (
            f"ts_headline('{CONFIG}', p.body, p.query, %s), "
            f"ts_headline('{CONFIG}', p.answer, p.query, %s)"
        )
        params = [HEADLINE, HEADLINE, *params]
    else:
        rank = "0.0"
        marks = "left(p.body, 240), left(p.answer, 240)"
    sql = f"""
        SELECT p.type, p.obj_id, p.community_id, p.title, p.tags::text,
               p.solved, p.replies, p.created, p.rank, {marks}
        FROM (
            SELECT d.key, d.type, d.obj_id, d.community_id, d.title,
                   d.body, d.answer, d.tags, d.solved, d.replies,
                   d.created, q.query, {rank} AS rank
            {matched}
            ORDER BY {order} LIMIT %s OFFSET %s
        ) p
        ORDER BY {order}
    """  # noqa: S608 (this module's constants; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        hits = [_hit(row, ordered) for row in cursor.fetchall()]
        counts, total = _counts(
            cursor, matched, [*text.params, *where.params], facets
        )
    return Result(hits=hits, total=total, facets=counts)


def _hit(row: tuple[Any, ...], ordered: bool) -> Hit:
    (
        type_,
        obj_id,
        community_id,
        title,
        tags,
        solved,
        replies,
        created,
        rank,
        snippet,
        answer,
    ) = row
    return Hit(
        type=type_,
        id=obj_id,
        community_id=community_id,
        title=title,
        snippet_html=_marked(snippet),
        answer_html=_marked(answer),
        tags=json.loads(tags) if tags else [],
        solved=solved,
        replies=replies,
        created=created,
        score=0.0 if ordered else float(rank),
    )


def _counts(
    cursor: Any, matched: str, params: list[Any], facets: bool
) -> tuple[dict[str, dict[str, int]], int]:
    """Facet counts by type, tag and community, and the total, from one
    query on the same filtered set as the hits."""
    if not facets:
        cursor.execute(f"SELECT count(*) {matched}", params)
        return {}, int(cursor.fetchone()[0])
    # MATERIALIZED: the match runs once for the three groupings.
    cursor.execute(
        f"""
        WITH m AS MATERIALIZED (SELECT d.type, d.community_id, d.tags
                                {matched})
        SELECT 'type', type, count(*) FROM m GROUP BY type
        UNION ALL
        SELECT 'community', community_id::text, count(*)
        FROM m GROUP BY community_id
        UNION ALL (
            SELECT 'tags', t, count(*)
            FROM m, jsonb_array_elements_text(m.tags) t
            GROUP BY t ORDER BY count(*) DESC, t LIMIT %s
        )
        """,  # noqa: S608 (this module's constants; values are parameters)
        [*params, FACET_SIZES["tags"]],
    )
    grouped: dict[str, list[tuple[str, int]]] = {
        "type": [],
        "tags": [],
        "community": [],
    }
    for name, value, n in cursor.fetchall():
        grouped[name].append((value, int(n)))
    total = sum(n for _, n in grouped["type"])
    counts = {
        name: dict(
            sorted(values, key=lambda v: (-v[1], v[0]))[: FACET_SIZES[name]]
        )
        for name, values in grouped.items()
    }
    return counts, total


def similar(
    *, words: list[str], community_ids: list[int], limit: int
) -> list[Hit]:
    """Threads sharing any of ``words``, titles weighing most."""
    _check()
    words = [w for w in (_safe(w) for w in words) if w]
    if not words or not community_ids:
        return []
    any_word = " || ".join(f"plainto_tsquery('{CONFIG}', %s)" for _ in words)
    sql = f"""
        SELECT d.type, d.obj_id, d.community_id, d.title, d.tags::text,
               d.solved, d.replies, d.created,
               ts_rank_cd({SIMILAR_WEIGHTS}, d.search_vector, q.query)
               AS rank, '', ''
        FROM search_document d, (SELECT {any_word} AS query) q
        WHERE d.community_id = ANY(%s)
          AND d.type IN ('question', 'discussion')
          AND d.search_vector @@ q.query
        ORDER BY rank DESC, d.created DESC NULLS LAST, d.key
        LIMIT %s
    """  # noqa: S608 (this module's constants; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*words, list(community_ids), limit])
        return [_hit(row, False) for row in cursor.fetchall()]


def people(
    *,
    words: list[str],
    tags: list[str],
    limit: int,
    among: list[int] | None = None,
) -> list[Match]:
    """People whose profile (skills, job title, department,
    introduction) has any of ``words``, or who list one of ``tags`` as a
    skill; best first; only those numbered in ``among`` when given.
    People belong to the whole organisation."""
    _check()
    words = [w for w in (_safe(w) for w in words) if w]
    tags = [_text(t) for t in tags if t]
    if (not words and not tags) or among == []:
        return []
    any_word = (
        " || ".join(f"plainto_tsquery('{CONFIG}', %s)" for _ in words)
        or "NULL::tsquery"
    )
    match = []
    if words:
        match.append("d.search_vector @@ q.query")
    if tags:
        match.append("d.tags ?| %s")
    rank = (
        f"coalesce(ts_rank_cd({WEIGHTS}, d.search_vector, q.query), 0)"
        " + CASE WHEN d.tags ?| %s THEN 1.0 ELSE 0 END"
    )
    marks = f"ts_headline('{CONFIG}', d.body, q.query, %s)" if words else "''"
    among_sql = " AND d.obj_id = ANY(%s)" if among is not None else ""
    sql = f"""
        SELECT d.obj_id, {rank} AS rank, d.tags::text, {marks}
        FROM search_document d, (SELECT {any_word} AS query) q
        WHERE d.community_id = %s AND d.type = 'person'
          AND ({" OR ".join(match)}){among_sql}
        ORDER BY rank DESC, d.key
        LIMIT %s
    """  # noqa: S608 (this module's constants; values are parameters)
    params: list[Any] = [list(tags)]
    if words:
        params.append(HEADLINE)
    params += [*words, ORGANISATION]
    if tags:
        params.append(list(tags))
    if among is not None:
        params.append(list(among))
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            Match(
                id=obj_id,
                score=float(rank),
                words=marked(_marked(headline)),
                tags=json.loads(tag_text) if tag_text else [],
            )
            for obj_id, rank, tag_text, headline in cursor.fetchall()
        ]
