"""Events and their meeting notes in search, on both engines: found by
their words, linked to their pages, kept fresh by the activity record,
and never shown (nor counted, faceted or excerpted) to those who may not
see their community."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from practica.communities.models import Role
from practica.events import services as ev
from practica.events.selectors import key
from practica.search import backends, documents, selectors
from tests.events.factories import event, soon
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["tantivy", "postgres"])
def backend(request, settings):
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search needs PostgreSQL")
    settings.SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def site(backend):
    public = CommunityFactory(name="Pump Guild", slug="pumps")
    private = CommunityFactory(
        name="Vault Keepers", slug="vault", visibility="private"
    )
    host = member(public, Role.COORDINATOR, user__display_name="Hal Host")
    clinic = event(
        public,
        host,
        start=soon(days=-1),
        title="Cavitation clinic",
        description="Bring a **noisy impeller** and we look at it together.",
        location="Hall 3",
    )
    notes = ev.notes_save(
        actor=host,
        event=clinic,
        original_start=clinic.starts_at,
        what="We opened three pumps with worn impellers.",
        so_what="Suction strainers were blocked every time.",
        now_what="Clean strainers weekly.",
        actions=[{"text": "Write the strainer checklist", "owner": host.pk}],
    )
    insider = member(private, Role.COORDINATOR, user__display_name="Ivo In")
    secret = event(
        private,
        insider,
        start=soon(days=-1),
        title="Vault impeller review",
        description="Confidential impeller findings, zirconia seals.",
    )
    hidden = ev.notes_save(
        actor=insider,
        event=secret,
        original_start=secret.starts_at,
        what="Zirconia seals failed on the impeller test rig.",
    )
    return {
        "public": public,
        "private": private,
        "host": host,
        "clinic": clinic,
        "notes": notes,
        "insider": insider,
        "secret": secret,
        "hidden": hidden,
    }


def search(viewer, text, **kw):
    return backends.search(viewer=viewer, text=text, **kw)


def found(page) -> set[tuple[str, int]]:
    return {(h.type, h.id) for h in page.hits}


def test_events_and_notes_are_found_and_linked(site):
    viewer = UserFactory()
    page = search(viewer, "impeller")
    assert found(page) == {
        ("event", site["clinic"].pk),
        ("notes", site["notes"].pk),
    }
    assert page.facets["type"] == {"event": 1, "notes": 1}
    assert found(search(viewer, "strainer checklist")) == {
        ("notes", site["notes"].pk)
    }
    assert found(search(viewer, "hall type:event")) == {
        ("event", site["clinic"].pk)
    }
    assert found(search(viewer, "author:hal type:notes")) == {
        ("notes", site["notes"].pk)
    }
    results = selectors.results(viewer=viewer, text="impeller")
    urls = {r.hit.type: r.url for r in results.rows}
    assert urls["event"] == reverse("events:detail", args=[site["clinic"].pk])
    assert urls["notes"] == reverse(
        "events:occurrence",
        args=[site["clinic"].pk, key(site["notes"].original_start)],
    )
    labels = {r.hit.type: r.label for r in results.rows}
    assert labels == {"event": "Event", "notes": "Meeting notes"}


def test_private_events_and_notes_never_reach_outsiders(site):
    for viewer in (AnonymousUser(), UserFactory(), site["host"]):
        for text in ("zirconia", "impeller", "vault", "type:notes"):
            page = search(viewer, text)
            assert ("event", site["secret"].pk) not in found(page)
            assert ("notes", site["hidden"].pk) not in found(page)
            assert str(site["private"].pk) not in page.facets.get(
                "community", {}
            )
            for hit in page.hits:
                assert "zirconia" not in hit.snippet_html.lower()
                assert "zirconia" not in hit.answer_html.lower()
        assert search(viewer, "zirconia").total == 0
    anonymous = search(AnonymousUser(), "impeller")
    assert anonymous.total == 2
    assert anonymous.facets["type"] == {"event": 1, "notes": 1}
    insider = search(site["insider"], "zirconia")
    assert found(insider) == {
        ("event", site["secret"].pk),
        ("notes", site["hidden"].pk),
    }
    assert "<b>zirconia</b>" in " ".join(
        h.snippet_html.lower() for h in insider.hits
    )


def test_edits_show_after_the_indexer_runs(site):
    viewer = UserFactory()
    search(viewer, "impeller")  # built
    ev.event_update(
        actor=site["host"], event=site["clinic"], title="Impeller surgery"
    )
    page = search(viewer, "surgery")
    # The event, and its notes, which carry the event's title.
    assert found(page) == {
        ("event", site["clinic"].pk),
        ("notes", site["notes"].pk),
    }
    assert "Cavitation" not in " ".join(h.title for h in page.hits)
    ev.notes_save(
        actor=site["host"],
        event=site["clinic"],
        original_start=site["clinic"].starts_at,
        what="Volute wear on two casings.",
    )
    assert found(search(viewer, "volute")) == {("notes", site["notes"].pk)}
    assert search(viewer, "strainers").total == 0


def test_the_page_shows_them(site, client):
    client.force_login(UserFactory())
    page = client.get(reverse("search:page"), {"q": "impeller"})
    assert page.status_code == 200
    text = unescape(page.content.decode())
    assert "Cavitation clinic" in text and "Meeting notes" in text
    assert "Vault impeller review" not in text
    assert re.search(r"<b>impeller", text, re.IGNORECASE)


def test_a_rebuild_writes_them(site):
    keys = {k for batch in documents.all_keys() for k in batch}
    assert f"event:{site['clinic'].pk}" in keys
    assert f"occurrence:{site['notes'].pk}" in keys
    built = documents.build([f"occurrence:{site['notes'].pk}"])
    doc = built[f"occurrence:{site['notes'].pk}"]
    assert doc is not None and doc.type == "notes"
    assert doc.title.startswith("Cavitation clinic, ")
    assert "Write the strainer checklist" in doc.body


def test_event_and_notes_excerpts_are_html_safe(site):
    payload = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    ev.event_update(
        actor=site["host"],
        event=site["clinic"],
        description=f"Impeller payloads: `{payload}` and {payload}",
    )
    ev.notes_save(
        actor=site["host"],
        event=site["clinic"],
        original_start=site["clinic"].starts_at,
        what=f"Impeller payloads again: `{payload}`",
    )
    page = search(UserFactory(), "impeller payloads")
    assert len(page.hits) == 2
    for hit in page.hits:
        for html in (hit.snippet_html, hit.answer_html):
            assert "<script" not in html and "<img" not in html
            assert re.sub(r"</?b>", "", html).count("<") == 0
