"""The embedded tantivy engine: schema, writing and searching.

One index directory under the data directory. Text is tokenised, lower-
cased, accent-folded and stemmed (English); the community of every
document is indexed, so the permission filter is part of the query and
counts, facets and snippets never see what the viewer may not.
"""

import functools
import html
import os
import re
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import tantivy as tv
from django.conf import settings

from practica.search.documents import Doc
from practica.search.query import Parsed

SCHEMA_VERSION = 2
TEXT = "practica"
NAME = "practica_name"
DEFAULT_FIELDS = ["title", "body"]
BOOSTS = {"title": 2.5, "body": 1.0}
_MARK = re.compile(r"<b>(.*?)</b>", re.DOTALL)
# Excerpts come from the first WINDOW characters of a text when a word
# searched for is there (for most hits it is), else from the whole text:
# tantivy's snippet generator tokenises and stems all it is given
# (~50 µs a kilobyte), and a thread's text runs to many kilobytes.
WINDOW = 400
# Facets on a sample: every document is in one of BUCKETS buckets (by a
# hash of its key). When a query has more than APPROXIMATE_OVER matches
# (the total is exact), its facets count bucket 0's matches only, times
# BUCKETS, rounded, shown as estimates ("~3,100"); else every match is
# counted. Counting a million posts' matches by type, tag and community
# was most of a broad query's time.
BUCKETS = 16
APPROXIMATE_OVER = 20_000
_lock = threading.Lock()
# The engine searches without holding the GIL, so the independent parts
# of one search (the facets, a phrase's in-title half) run at once on
# these threads: a query's latency is then its longest part, not their
# sum. Made on first use in each process (a pre-forking server's worker
# would otherwise inherit a pool whose threads did not survive the
# fork); settings.SEARCH_THREADS threads, none when it is 0.
_pool: tuple[int, ThreadPoolExecutor] | None = None
_indexes: dict[str, tv.Index] = {}
# The generation each opened index was last reloaded at (see current()).
_loaded: dict[str, tuple[int, int, int]] = {}


def _analyzers() -> dict[str, Any]:
    base = tv.TextAnalyzerBuilder(tv.Tokenizer.simple())
    text = (
        base.filter(tv.Filter.remove_long(40))
        .filter(tv.Filter.lowercase())
        .filter(tv.Filter.ascii_fold())
        .filter(tv.Filter.stemmer("english"))
        .build()
    )
    name = (
        tv.TextAnalyzerBuilder(tv.Tokenizer.simple())
        .filter(tv.Filter.lowercase())
        .filter(tv.Filter.ascii_fold())
        .build()
    )
    return {TEXT: text, NAME: name}


def _schema() -> tv.Schema:
    sb = tv.SchemaBuilder()
    sb.add_text_field("key", stored=True, tokenizer_name="raw")
    sb.add_text_field("type", stored=True, tokenizer_name="raw", fast=True)
    sb.add_unsigned_field("id", stored=True)
    sb.add_unsigned_field("community", stored=True, indexed=True, fast=True)
    sb.add_text_field("title", stored=True, tokenizer_name=TEXT)
    sb.add_text_field("body", stored=True, tokenizer_name=TEXT)
    # The best answer is only shown (an excerpt, for solved questions):
    # stored, not indexed (its words are in the body already).
    sb.add_bytes_field("answer", stored=True, indexed=False)
    sb.add_text_field("tags", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("author", tokenizer_name=NAME)
    sb.add_unsigned_field("solved", indexed=True, stored=True)
    sb.add_unsigned_field("replies", indexed=True, stored=True)
    sb.add_date_field("created", stored=True, indexed=True, fast=True)
    sb.add_date_field("updated", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("bucket", indexed=True)
    return sb.build()


def bucket(key: str) -> int:
    """The sample a document is in: a stable hash of its key (the same
    in every process, unlike ``hash()``)."""
    return zlib.crc32(key.encode()) % BUCKETS


def path() -> Path:
    base = Path(
        getattr(settings, "SEARCH_INDEX_DIR", "")
        or settings.DATA_DIR / "search"
    )
    return base / f"tantivy-v{SCHEMA_VERSION}"


def index() -> tv.Index:
    """The index for this process, opened once (created when missing)."""
    where = str(path())
    with _lock:
        found = _indexes.get(where)
        if found is None:
            Path(where).mkdir(parents=True, exist_ok=True)
            seen = _generation(where)
            found = tv.Index(_schema(), path=where, reuse=True)
            for name, analyzer in _analyzers().items():
                found.register_tokenizer(name, analyzer)
            # Reloaded by current() when the commit changes, never behind
            # its back: a generation names exactly what a searcher sees.
            found.config_reader(reload_policy="Manual")
            _loaded[where] = seen
            _indexes[where] = found
        return found


def _generation(where: str) -> tuple[int, int, int]:
    """The commit the index directory holds: every commit replaces
    ``meta.json`` (written aside, then renamed over the old one)."""
    try:
        meta = Path(where, "meta.json").stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (meta.st_ino, meta.st_mtime_ns, meta.st_size)


def current() -> tuple[tv.Searcher, str]:
    """A searcher on the latest commit, and a name for that commit (for
    cache keys: results cached under it never go stale, since any write
    commits anew). One ``stat`` per call; a reload only after a commit.
    The name is read before the reload, so it never names a newer
    commit than the searcher's."""
    idx = index()
    where = str(path())
    seen = _generation(where)
    if _loaded.get(where) != seen:
        with _lock:
            if _loaded.get(where) != seen:
                idx.reload()
                _loaded[where] = seen
    return idx.searcher(), f"{where}:{seen[0]}:{seen[1]}:{seen[2]}"


def forget() -> None:
    """Drop opened indexes (tests switch directories)."""
    with _lock:
        _indexes.clear()
        _loaded.clear()


def _document(doc: Doc) -> tv.Document:
    d = tv.Document()
    d.add_text("key", doc.key)
    d.add_text("type", doc.type)
    d.add_unsigned("id", doc.id)
    d.add_unsigned("community", doc.community)
    d.add_text("title", doc.title)
    d.add_text("body", doc.body)
    if doc.answer:
        d.add_bytes("answer", doc.answer.encode())
    for tag in doc.tags:
        d.add_text("tags", tag)
    for name in doc.authors:
        d.add_text("author", name)
    d.add_unsigned("solved", int(doc.solved))
    d.add_unsigned("replies", doc.replies)
    d.add_unsigned("bucket", bucket(doc.key))
    for name in ("created", "updated"):
        value = getattr(doc, name)
        if value is not None:
            d.add_date(name, value)
    return d


def write(docs: dict[str, Doc | None], *, clear: bool = False) -> None:
    """Replace (or delete) documents by key, in one commit."""
    idx = index()
    # An empty index (a first build) has nothing to replace: deleting
    # each key first costs a fifth of the indexing.
    replace = not clear and current()[0].num_docs > 0
    # A rebuild's batches of thousands: two indexing threads (each with
    # half the heap) share the tokenising.
    large = len(docs) >= 2000
    writer = idx.writer(
        heap_size=64_000_000 if large else 32_000_000,
        num_threads=2 if large else 1,
    )
    try:
        if clear:
            writer.delete_all_documents()
        for key, doc in docs.items():
            if replace:
                writer.delete_documents_by_term("key", key)
            if doc is not None:
                writer.add_document(_document(doc))
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        raise
    where = str(path())
    with _lock:
        seen = _generation(where)
        idx.reload()
        _loaded[where] = seen


def stored_keys() -> set[str]:
    """The keys of every live document (read from the term dictionary)."""
    searcher, _ = current()
    terms = searcher.terms_with_prefix(
        "key", "", filter_query=tv.Query.all_query()
    )
    return {term for term, count in terms if count}


# --- searching -------------------------------------------------------------


@dataclass
class Hit:
    type: str
    id: int
    community_id: int
    title: str
    snippet_html: str
    answer_html: str
    tags: list[str]
    solved: bool
    replies: int
    created: datetime | None
    score: float


@dataclass
class Result:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # The facet counts were estimated from a sample (and rounded): a
    # broad query on a large index. Never for small ones. The total is
    # always exact.
    approximate: bool = False


def _term(field_name: str, value: Any) -> tv.Query:
    return tv.Query.term_query(index().schema, field_name, value)


# The dates tantivy can index (nanoseconds in an i64); a query's dates
# are kept within them, so "before:2999-01-01" means "ever".
_FIRST_DAY, _LAST_DAY = date(1678, 1, 1), date(2262, 1, 1)


def _among(schema: tv.Schema, community_ids: list[int]) -> tv.Query:
    """The permission filter: documents of these communities, scoring
    nothing. A union of term queries lets the engine skip ahead to the
    text's matches (a term set would first collect every document of
    every community: ~4x slower for a rare word at 250 k documents);
    for very many communities the term set is cheaper again."""
    if not community_ids:
        return tv.Query.empty_query()
    if len(community_ids) > 64:
        return tv.Query.term_set_query(schema, "community", community_ids)
    union = tv.Query.boolean_query(
        [
            (tv.Occur.Should, tv.Query.term_query(schema, "community", i))
            for i in community_ids
        ]
    )
    return tv.Query.const_score_query(union, 0.0)


def _day(d: Any) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _within(d: date) -> datetime:
    return _day(min(max(d, _FIRST_DAY), _LAST_DAY))


def _text_query(
    idx: tv.Index,
    parsed: Parsed,
    *,
    highlight: bool = False,
    within: tv.Query | None = None,
) -> tv.Query | None:
    """The words, phrases and prefixes as one query on the title and the
    body; for ``highlight`` (snippets) without the excluded words, which
    a snippet would otherwise mark.

    With ``within`` (the sample's bucket), each field's phrase or prefix
    is joined with it: the engine then reads a phrase's positions only
    in the sample's documents (a union of the two fields' phrases, in a
    query joined with the bucket as a whole, read them for every
    candidate: the sample cost nearly what counting everything did)."""
    fields = DEFAULT_FIELDS
    parts: list[tuple[tv.Occur, tv.Query]] = []

    def parse(text: str) -> tv.Query:
        # Field tokenisers apply; each term of ``text`` must match.
        query, _errors = idx.parse_query_lenient(
            text,
            fields,
            field_boosts={f: BOOSTS.get(f, 1.0) for f in fields},
            conjunction_by_default=True,
        )
        return query

    def each_field(
        make: Callable[[str], tv.Query], boost: bool = True
    ) -> tv.Query:
        # Any of the fields (title boosted), each joined with ``within``.
        options = []
        for name in fields:
            query = make(name)
            if within is not None:
                query = tv.Query.boolean_query(
                    [(tv.Occur.Must, within), (tv.Occur.Must, query)]
                )
            weight = BOOSTS.get(name, 1.0) if boost else 1.0
            if weight != 1.0:
                query = tv.Query.boost_query(query, weight)
            options.append((tv.Occur.Should, query))
        return tv.Query.boolean_query(options)

    for word in parsed.words:
        parts.append((tv.Occur.Must, parse(_safe(word))))
    for phrase in parsed.phrases:
        terms = _phrase_terms(phrase)
        if terms is not None:
            # What the parser builds for "a b c", without parsing.
            parts.append((tv.Occur.Must, each_field(_phrase(idx, terms))))
        else:  # one word, or a word the analyser drops: its positions
            parts.append((tv.Occur.Must, parse(f'"{_safe(phrase)}"')))
    for prefix in parsed.prefixes:
        parts.append(
            (tv.Occur.Must, each_field(_phrase(idx, [prefix], True), False))
        )
    for word in [] if highlight else parsed.excluded:
        text = f'"{_safe(word)}"' if " " in word else _safe(word)
        parts.append((tv.Occur.MustNot, parse(text)))
    if not parts:
        return None
    return tv.Query.boolean_query(parts)


def _phrase_terms(phrase: str) -> list[str] | None:
    """A phrase's analysed words, when it has two or more and the
    analyser kept each of them (else the parser handles it)."""
    safe = _safe(phrase)
    terms = [str(t) for t in _text_analyzer().analyze(safe)]
    if len(terms) >= 2 and len(terms) == len(safe.split()):
        return terms
    return None


def _phrase(
    idx: tv.Index, terms: list[str], prefix: bool = False
) -> Callable[[str], tv.Query]:
    """A field's phrase of ``terms`` (analysed), the last a prefix if
    ``prefix``."""

    words: list[str | tuple[int, str]] = list(terms)

    def make(name: str) -> tv.Query:
        if prefix:
            return tv.Query.phrase_prefix_query(idx.schema, name, words)
        return tv.Query.phrase_query(idx.schema, name, words)

    return make


def _safe(text: str) -> str:
    """Words only: the engine's own syntax never reaches its parser."""
    return " ".join(
        "".join(ch if ch.isalnum() else " " for ch in text).split()
    )


def _submit[R](work: Callable[..., R], *args: Any, **kw: Any) -> Future[R]:
    """``work`` on this process's search threads (see _pool), or done
    here at once when ``SEARCH_THREADS`` is 0."""
    threads = settings.SEARCH_THREADS
    if threads < 1:
        done: Future[R] = Future()
        done.set_result(work(*args, **kw))
        return done
    global _pool
    pid = os.getpid()
    if _pool is None or _pool[0] != pid:
        with _lock:
            if _pool is None or _pool[0] != pid:
                _pool = (
                    pid,
                    ThreadPoolExecutor(threads, thread_name_prefix="search"),
                )
    return _pool[1].submit(work, *args, **kw)


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
    idx = index()
    schema = idx.schema
    must: list[tuple[tv.Occur, tv.Query]] = [
        (
            tv.Occur.Must,
            _among(schema, community_ids),
        )
    ]
    text = _text_query(idx, parsed)
    if text is not None:
        must.append((tv.Occur.Must, text))
    filters: list[tv.Query] = []
    if parsed.types:
        filters.append(tv.Query.term_set_query(schema, "type", parsed.types))
    if parsed.tags:
        filters += [_term("tags", t) for t in parsed.tags]
    if parsed.communities:
        ids = [community_slugs.get(s, -1) for s in parsed.communities]
        filters.append(
            tv.Query.term_set_query(
                schema, "community", [i for i in ids if i >= 0] or [2**63]
            )
        )
    for author in parsed.authors:
        filters.append(
            tv.Query.boolean_query(
                [
                    (tv.Occur.Must, _term("author", w))
                    for w in _safe(author).lower().split()
                ]
                or [(tv.Occur.Must, tv.Query.empty_query())]
            )
        )
    if parsed.solved is not None:
        filters.append(_term("solved", int(parsed.solved)))
        if not parsed.types:
            filters.append(
                tv.Query.term_set_query(schema, "type", ["question"])
            )
    if parsed.unanswered:
        filters.append(_term("replies", 0))
        filters.append(tv.Query.term_set_query(schema, "type", ["question"]))
    if parsed.after or parsed.before:
        filters.append(
            tv.Query.range_query(
                schema,
                "created",
                tv.FieldType.Date,
                lower_bound=_within(parsed.after) if parsed.after else None,
                upper_bound=(
                    _within(parsed.before) if parsed.before else None
                ),
                # tantivy refuses an exclusive bound on an open side.
                include_upper=not parsed.before,
            )
        )
    must += [(tv.Occur.Must, f) for f in filters]
    query = tv.Query.boolean_query(must)
    searcher, _ = current()
    ordered = sort == "newest" or text is None  # by date, not score
    # The top hits and the exact total at once: the permission filter
    # makes every query an intersection, which the engine scores whole
    # (no top-k pruning to lose), so counting alongside costs ~0.2 ms at
    # a million posts; it decides whether the facets are sampled.
    options: dict[str, Any] = {"count": True, "offset": offset}
    if ordered:
        options["order_by_field"] = "created"
    # The facets of a broad query are counted on a sample (the same query
    # on bucket 0 only, each field's phrase or prefix joined with the
    # bucket: see _text_query): started now, beside the top hits, and
    # used if the total says the query is broad (else every match is
    # counted once the total is known: few).
    sampled: Future[dict[str, dict[str, int]]] | None = None
    if facets:
        bucket = _term("bucket", 0)
        sample = tv.Query.boolean_query(
            [(tv.Occur.Must, bucket)]
            + [
                (occur, q)
                if q is not text or not (parsed.phrases or parsed.prefixes)
                else (occur, _text_query(idx, parsed, within=bucket) or q)
                for occur, q in must
            ]
        )
        sampled = _submit(_facets, searcher, sample)
    lone = (
        _phrase_terms(parsed.phrases[0])
        if len(parsed.phrases) == 1
        and not (parsed.words or parsed.prefixes or parsed.excluded)
        and not ordered
        else None
    )
    if lone is not None:
        top, total = _phrase_top(
            searcher,
            idx,
            [(occur, q) for occur, q in must if q is not text],
            lone,
            offset,
            limit,
        )
    else:
        found = searcher.search(query, limit, **options)
        top = found.hits
        # (count is not in tantivy's stubs)
        total = int(getattr(found, "count", 0) or 0)
    # Snippets mark the words searched for: in the body, and in the best
    # answer (shown for solved questions only). The answer is not
    # indexed: its excerpt comes from the body's generator, given the
    # answer's text as a body.
    snippets = None
    marks = _text_query(idx, parsed, highlight=True)
    near = _locator(parsed)
    if marks is not None:
        snippets = tv.SnippetGenerator.create(searcher, marks, schema, "body")
    hits = []
    for score, address in top:
        doc = searcher.doc(address)
        d = doc.to_dict()
        kind, solved = d["type"][0], bool(d["solved"][0])
        best = kind == "question" and solved
        body = d.get("body", [""])[0]
        answer_text = (
            d["answer"][0].decode() if best and d.get("answer") else ""
        )
        snippet = answer = ""
        if snippets is not None:
            snippet = _excerpt(snippets, "body", body, near)
            if answer_text:
                answer = _excerpt(snippets, "body", answer_text, near)
        if not snippet:
            snippet = _escape(body[:240])
        if not answer and answer_text:
            answer = _escape(answer_text[:240])
        created = d.get("created", [None])[0]
        hits.append(
            Hit(
                type=kind,
                id=d["id"][0],
                community_id=d["community"][0],
                title=d["title"][0],
                snippet_html=snippet,
                answer_html=answer,
                tags=d.get("tags", []),
                solved=solved,
                replies=d["replies"][0],
                created=created,
                score=0.0 if ordered else float(score),
            )
        )
    counts: dict[str, dict[str, int]] = {}
    approximate = False
    if sampled is not None:
        approximate = total > APPROXIMATE_OVER
        if approximate:
            counts = {
                name: {key: _round(n * BUCKETS) for key, n in values.items()}
                for name, values in sampled.result().items()
            }
        else:
            counts = _facets(searcher, query)
    return Result(
        hits=hits, total=total, facets=counts, approximate=approximate
    )


def _phrase_top(
    searcher: tv.Searcher,
    idx: tv.Index,
    rest: list[tuple[tv.Occur, tv.Query]],
    terms: list[str],
    offset: int,
    limit: int,
) -> tuple[list[tuple[Any, tv.DocAddress]], int]:
    """The best matches of one phrase (in the title or the body, scored
    as their sum, the title's boosted) with the other clauses ``rest``,
    and how many there are: as two queries, the body's matches without
    the phrase in their title, and the few with it there, merged by
    score. One query with the union of both fields' phrases cost ~1.5
    times as much: the union scores every body match, also those the
    permission filter then drops."""
    title = tv.Query.phrase_query(idx.schema, "title", list(terms))
    body = tv.Query.phrase_query(idx.schema, "body", list(terms))
    in_title = tv.Query.boolean_query(
        [
            *rest,
            (tv.Occur.Must, tv.Query.boost_query(title, BOOSTS["title"])),
            (tv.Occur.Should, body),
        ]
    )
    body_only = tv.Query.boolean_query(
        [*rest, (tv.Occur.Must, body), (tv.Occur.MustNot, title)]
    )
    # The in-title half beside the body's (which reads the positions of
    # every candidate: most of the work). Splitting the body's into two
    # halves of the buckets on two threads was slower (p50 20.0 against
    # 13.6 ms at a million posts): each half still reads the positions of
    # every candidate before its bucket is checked.
    titled = _submit(searcher.search, in_title, offset + limit, count=True)
    found = [searcher.search(body_only, offset + limit, count=True)]
    found.append(titled.result())
    # Stable: ties keep the engine's order within each query, so a page
    # is always a prefix of the next one's list.
    hits = sorted((hit for f in found for hit in f.hits), key=lambda h: -h[0])
    total = sum(int(getattr(f, "count", 0) or 0) for f in found)
    return hits[offset : offset + limit], total


_FACETS = {
    "type": {"terms": {"field": "type", "size": 10}},
    "tags": {"terms": {"field": "tags", "size": 15}},
    "community": {"terms": {"field": "community", "size": 15}},
}


def _facets(
    searcher: tv.Searcher, query: tv.Query
) -> dict[str, dict[str, int]]:
    """Counts by type, tag and community of ``query``'s matches (the
    permission filter is part of it)."""
    agg = searcher.aggregate(query, _FACETS)
    return {
        name: {
            str(b["key"]): int(b["doc_count"])
            for b in agg.get(name, {}).get("buckets", [])
        }
        for name in _FACETS
    }


def _round(n: int) -> int:
    """Two significant figures: 45,312 is "about 45,000"."""
    if n < 100:
        return n
    step = 10 ** (len(str(n)) - 2)
    return int(round(n / step) * step)


def _locator(parsed: Parsed) -> tuple[str, ...] | None:
    """Where a text likely matches: a word starting like the stem of a
    word searched for, less its last letter (which the stemmer may have
    changed: studi/study, databas/database). Only a hint, found with
    :func:`_first`: :func:`_excerpt` checks what it finds."""
    analyzer = _text_analyzer()
    stems = {
        stem[: max(3, len(stem) - 1)]
        for text in [*parsed.words, *parsed.phrases]
        for stem in analyzer.analyze(_safe(text))
    } | set(parsed.prefixes)
    stems.discard("")
    return tuple(sorted(stems)) or None


def _first(text: str, stems: tuple[str, ...]) -> int:
    """Where the first word starting with one of ``stems`` (lower case)
    starts in ``text``, or -1 (str.find: a pattern costs ten times
    more)."""
    lowered = text.lower()
    first = -1
    for stem in stems:
        at = lowered.find(stem)
        while at > 0 and lowered[at - 1].isalnum():
            at = lowered.find(stem, at + 1)
        if at >= 0 and (first < 0 or at < first):
            first = at
    return first


@functools.cache
def _text_analyzer() -> Any:
    return _analyzers()[TEXT]


def _excerpt(
    generator: tv.SnippetGenerator,
    name: str,
    text: str,
    near: tuple[str, ...] | None = None,
) -> str:
    """The best excerpt of ``text`` (field ``name``), as HTML: escaped,
    the words searched for in ``<b>``; "" when none is in it. A long
    text is first tried in a window of WINDOW characters: its start, or
    around the first word that starts like one of ``near`` (stems); a
    plain-ASCII text where none does has no excerpt."""

    def excerpt(piece: str) -> str:
        doc = tv.Document()
        doc.add_text(name, piece)
        return str(generator.snippet_from_doc(doc).to_html())

    at = _first(text, near) if near is not None else 0
    if at < 0 and text.isascii():
        # No word starts like a stem: the match was elsewhere (the
        # title). Accents are folded by the engine, not by _first, so
        # only a plain-ASCII text is sure to hold none.
        return ""
    if len(text) > WINDOW:
        start = 0
        if at > WINDOW // 2:  # never half a word: from a space to a space
            start = text.rfind(" ", 0, at - WINDOW // 4) + 1
        end = text.rfind(" ", start, start + WINDOW)
        html = excerpt(text[start : end if end > start else start + WINDOW])
        if html:
            return html
    return excerpt(text)


def _escape(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


def similar(
    *, words: list[str], community_ids: list[int], limit: int
) -> list[Hit]:
    """Threads sharing any of ``words``, titles weighing most."""
    idx = index()
    schema = idx.schema
    text, _errors = idx.parse_query_lenient(
        " ".join(_safe(w) for w in words),
        DEFAULT_FIELDS,
        field_boosts={"title": 4.0, "body": 1.0},
    )
    query = tv.Query.boolean_query(
        [
            (tv.Occur.Must, text),
            (
                tv.Occur.Must,
                _among(schema, community_ids),
            ),
            (
                tv.Occur.Must,
                tv.Query.term_set_query(
                    schema, "type", ["question", "discussion"]
                ),
            ),
        ]
    )
    searcher, _ = current()
    hits = []
    for score, address in searcher.search(query, limit, count=False).hits:
        d = searcher.doc(address).to_dict()
        hits.append(
            Hit(
                type=d["type"][0],
                id=d["id"][0],
                community_id=d["community"][0],
                title=d["title"][0],
                snippet_html="",
                answer_html="",
                tags=d.get("tags", []),
                solved=bool(d["solved"][0]),
                replies=d["replies"][0],
                created=d.get("created", [None])[0],
                score=float(score),
            )
        )
    return hits


def marked(snippet_html: str) -> list[str]:
    """The words an excerpt marks with ``<b>``, unescaped, each once."""
    words: list[str] = []
    for found in _MARK.findall(snippet_html):
        word = html.unescape(found).strip()
        if word and word.lower() not in {w.lower() for w in words}:
            words.append(word)
    return words


@dataclass
class Match:
    """A person whose profile matched: their id, the score, and the
    words of their profile the query matched (as written there)."""

    id: int
    score: float
    words: list[str]
    tags: list[str]


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
    from practica.search.documents import ORGANISATION

    idx = index()
    schema = idx.schema
    options: list[tuple[tv.Occur, tv.Query]] = []
    text = None
    safe = " ".join(_safe(w) for w in words).strip()
    if safe:
        text, _errors = idx.parse_query_lenient(
            safe, DEFAULT_FIELDS, field_boosts={"title": 1.0, "body": 1.0}
        )
        options.append((tv.Occur.Should, text))
    for tag in tags:
        options.append(
            (tv.Occur.Should, tv.Query.boost_query(_term("tags", tag), 2.0))
        )
    if not options or among == []:
        return []
    query = tv.Query.boolean_query(
        [
            (tv.Occur.Must, tv.Query.boolean_query(options)),
            (
                tv.Occur.Must,
                _among(schema, [ORGANISATION]),
            ),
            (
                tv.Occur.Must,
                tv.Query.term_set_query(schema, "type", ["person"]),
            ),
        ]
        + (
            [
                (
                    tv.Occur.Must,
                    tv.Query.term_set_query(
                        schema, "key", [f"person:{i}" for i in among]
                    ),
                )
            ]
            if among is not None
            else []
        )
    )
    searcher, _ = current()
    marks = None
    if text is not None:
        marks = tv.SnippetGenerator.create(searcher, text, schema, "body")
        marks.set_max_num_chars(2000)
    found = []
    for score, address in searcher.search(query, limit, count=False).hits:
        doc = searcher.doc(address)
        d = doc.to_dict()
        matched: list[str] = []
        if marks is not None:
            matched = marked(marks.snippet_from_doc(doc).to_html())
        found.append(
            Match(
                id=d["id"][0],
                score=float(score),
                words=matched,
                tags=d.get("tags", []),
            )
        )
    return found
