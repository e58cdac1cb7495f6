"""Facets on a sample: broad queries on a large index count one bucket
of sixteen and say so; small sites always get exact counts, the total
is always exact, and the sample never counts what the viewer may not
see."""

from datetime import UTC, datetime

import pytest

from practica.search import backends, engine
from practica.search.documents import Doc
from practica.search.query import parse
from tests.factories import UserFactory
from tests.search import sites

pytestmark = pytest.mark.django_db

PUBLIC, PRIVATE = 1, 2
SLUGS = {"open": PUBLIC}


def corpus(n: int) -> None:
    """``n`` public threads about pumps (every third solved, tagged
    "valves" or "seals"), and ``n`` private ones tagged "vault-only"."""
    docs: dict[str, Doc | None] = {}
    for i in range(1, n + 1):
        docs[f"conversation:{i}"] = Doc(
            key=f"conversation:{i}",
            type="question",
            id=i,
            community=PUBLIC,
            title=f"Pump number {i}",
            body=f"The pump {i} leaks near the flange.",
            answer=f"Tighten pump {i}'s flange.",
            tags=["valves" if i % 2 else "seals"],
            solved=i % 3 == 0,
            created=datetime(2025, 1, 1, tzinfo=UTC),
        )
        key = f"conversation:{n + i}"
        docs[key] = Doc(
            key=key,
            type="discussion",
            id=n + i,
            community=PRIVATE,
            title=f"Secret pump {i}",
            body="The vault's pump, which outsiders must never count.",
            tags=["vault-only"],
        )
    engine.write(docs, clear=True)


def find(text: str = "pump") -> engine.Result:
    return engine.search(
        parsed=parse(text), community_ids=[PUBLIC], community_slugs=SLUGS
    )


def in_sample(ids: range) -> int:
    return sum(engine.bucket(f"conversation:{i}") == 0 for i in ids)


def test_buckets_are_stable_and_spread():
    assert engine.bucket("conversation:1") == engine.bucket("conversation:1")
    counts = [0] * engine.BUCKETS
    for i in range(1600):
        counts[engine.bucket(f"conversation:{i}")] += 1
    assert min(counts) > 60 and max(counts) < 140


def test_a_small_index_is_counted_exactly():
    corpus(400)
    found = find()
    assert found.approximate is False
    assert found.total == 400
    assert found.facets["type"] == {"question": 400}
    assert found.facets["tags"] == {"seals": 200, "valves": 200}
    assert found.facets["community"] == {str(PUBLIC): 400}


def test_a_broad_query_is_estimated_from_a_sample(monkeypatch):
    corpus(800)
    monkeypatch.setattr(engine, "APPROXIMATE_OVER", 100)
    found = find()
    assert found.approximate is True
    sampled = in_sample(range(1, 801))
    assert 0 < sampled < 800  # a sample, not everything
    assert found.total == 800  # exact
    estimate = sum(found.facets["type"].values())
    assert estimate == engine._round(sampled * engine.BUCKETS)
    assert 400 <= estimate <= 1600  # the right order
    # only the public threads, scaled: nothing private is counted
    assert set(found.facets["type"]) == {"question"}
    assert set(found.facets["community"]) == {str(PUBLIC)}
    assert "vault-only" not in found.facets["tags"]
    assert set(found.facets["tags"]) == {"valves", "seals"}
    odd = in_sample(range(1, 801, 2))  # tagged "valves"
    assert found.facets["tags"] == {
        "valves": engine._round(odd * engine.BUCKETS),
        "seals": engine._round((sampled - odd) * engine.BUCKETS),
    }
    # the hits are the real ones: top 20 of the visible matches
    assert len(found.hits) == 20
    assert all(h.community_id == PUBLIC for h in found.hits)


def test_a_narrow_query_on_the_same_index_stays_exact(monkeypatch):
    corpus(800)
    monkeypatch.setattr(engine, "APPROXIMATE_OVER", 100)
    # "7" is in one title; "tag:valves is:solved" leaves 133 of 800.
    found = find("pump 7")
    assert found.approximate is False
    assert found.total == 1
    assert [h.id for h in found.hits] == [7]
    monkeypatch.setattr(engine, "APPROXIMATE_OVER", 20_000)
    found = find("pump tag:valves is:solved")
    wanted = [i for i in range(1, 801) if i % 2 and i % 3 == 0]
    assert found.approximate is False
    assert found.total == len(wanted)
    assert found.facets["tags"] == {"valves": len(wanted)}


def test_rounding_to_two_figures():
    assert engine._round(7) == 7
    assert engine._round(99) == 99
    assert engine._round(1234) == 1200
    assert engine._round(45_312) == 45_000
    assert engine._round(1_003_000) == 1_000_000


def test_the_best_answer_is_shown_but_not_searched():
    corpus(20)
    found = find("pump")
    solved = next(h for h in found.hits if h.solved)
    assert "<b>pump</b>" in solved.answer_html
    assert "flange" in solved.answer_html
    unsolved = next(h for h in found.hits if not h.solved)
    assert unsolved.answer_html == ""
    # The answer's own words find nothing unless the body has them.
    assert find("tighten").hits == []


@pytest.fixture
def site():
    return sites.build()


def test_the_page_and_api_say_when_counts_are_estimates(
    client, site, monkeypatch
):
    # One bucket: the sample is everything, so every search with a match
    # is "approximate" and the counts are the real ones.
    monkeypatch.setattr(engine, "BUCKETS", 1)
    monkeypatch.setattr(engine, "APPROXIMATE_OVER", 0)
    page = client.get("/search/", {"q": "terraform"}).content.decode()
    assert "<strong>2</strong> results" in page  # the total is exact
    assert '<span class="search-facet-count" title="About this many">~2' in (
        page
    )
    assert "Vault" not in page
    body = client.get("/api/v1/search", {"q": "terraform"}).json()
    assert body["approximate"] is True
    assert body["total"] == 2
    monkeypatch.setattr(engine, "APPROXIMATE_OVER", 20_000)
    other = client.get("/api/v1/search", {"q": "drift"}).json()
    assert other["approximate"] is False


def test_a_new_schema_version_is_built_beside_the_old_by_itself(
    site, settings, monkeypatch
):
    settings.SEARCH_INDEX_ON_READ = True
    viewer = UserFactory()
    assert backends.search(viewer=viewer, text="drift").total == 1
    old = engine.path()
    monkeypatch.setattr(engine, "SCHEMA_VERSION", engine.SCHEMA_VERSION + 1)
    engine.forget()
    assert engine.path() != old
    assert not (engine.path() / "meta.json").exists()
    # the next search finds the new directory missing and builds it
    assert backends.search(viewer=viewer, text="drift").total == 1
    assert (engine.path() / "meta.json").exists()
    assert (old / "meta.json").exists()  # the old one is left alone


def test_a_lone_phrase_ranks_title_and_body_matches_together():
    def doc(i: int, title: str, body: str, community: int = PUBLIC) -> Doc:
        return Doc(
            key=f"conversation:{i}",
            type="question",
            id=i,
            community=community,
            title=title,
            body=body,
        )

    docs: dict[str, Doc | None] = {
        "conversation:1": doc(1, "Race condition in the pool", "It races."),
        "conversation:2": doc(2, "Flaky tests", "A race condition, again."),
        "conversation:3": doc(
            3, "The race condition", "Another race condition here."
        ),
        "conversation:4": doc(
            4, "Condition of the race", "race and condition"
        ),
        "conversation:5": doc(5, "Race condition", "secret", PRIVATE),
    }
    for i in range(6, 40):
        docs[f"conversation:{i}"] = doc(i, f"Note {i}", "a race condition")
    engine.write(docs, clear=True)
    found = engine.search(
        parsed=parse('"race condition"'),
        community_ids=[PUBLIC],
        community_slugs=SLUGS,
        limit=5,
        facets=False,
    )
    # in the title and the body first, then the title (boosted); never
    # the words apart, nor the private thread
    assert [h.id for h in found.hits][:2] == [3, 1]
    assert found.total == 37
    scores = [h.score for h in found.hits]
    assert scores == sorted(scores, reverse=True)
    # pages follow on from each other: every match once
    seen = []
    for offset in range(0, 40, 5):
        seen += [
            h.id
            for h in engine.search(
                parsed=parse('"race condition"'),
                community_ids=[PUBLIC],
                community_slugs=SLUGS,
                offset=offset,
                limit=5,
                facets=False,
            ).hits
        ]
    assert sorted(seen) == [1, 2, 3, *range(6, 40)]
    # with a word, or sorted by date, the phrase is one query as before
    both = engine.search(
        parsed=parse('"race condition" pool'),
        community_ids=[PUBLIC],
        community_slugs=SLUGS,
    )
    assert [h.id for h in both.hits] == [1]


@pytest.mark.parametrize("threads", [0, 1, 3])
def test_the_search_threads_setting_changes_no_result(
    monkeypatch, settings, threads
):
    corpus(300)
    monkeypatch.setattr(engine, "APPROXIMATE_OVER", 100)
    monkeypatch.setattr(engine, "_pool", None)
    settings.SEARCH_THREADS = 2
    broad, phrase = find(), find('"pump 7"')
    monkeypatch.setattr(engine, "_pool", None)
    settings.SEARCH_THREADS = threads
    assert find() == broad
    assert find('"pump 7"') == phrase
    assert broad.approximate is True  # the sample ran beside the hits
    # with 0 every part ran here: no pool was made
    assert (engine._pool is None) == (threads == 0)
