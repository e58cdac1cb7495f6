"""The search page: results with highlights and facets for the right
viewer, live results as an htmx fragment, and a sensible page whatever
was typed."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse

from practica.search import indexer, selectors
from tests.conversations.factories import ask
from tests.search import sites

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
URL = reverse("search:page")


@pytest.fixture
def site():
    return sites.build()


def html(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def titles(page: str) -> list[str]:
    return [
        unescape(t)
        for t in re.findall(
            r'<h2 class="search-title"><a href="[^"]*">([^<]*)</a>', page
        )
    ]


def count(page: str) -> int:
    found = re.search(r'class="search-count"><strong>(\d+)</strong>', page)
    assert found, "no result count on the page"
    return int(found.group(1))


def facet(page: str, heading: str) -> dict[str, int]:
    """A facet's labels and counts, as shown."""
    section = re.search(
        rf"<h2>{heading}</h2>(.*?)</section>", page, flags=re.DOTALL
    )
    if section is None:
        return {}
    return {
        unescape(re.sub(r"<[^>]+>", "", label)).replace("✕ ", "").strip(): int(
            n
        )
        for label, n in re.findall(
            r'<a href="[^"]*"[^>]*>(.*?)</a> '
            r'<span class="search-facet-count">(\d+)</span>',
            section.group(1),
        )
    }


def test_results_with_highlights_links_and_facets(client, site):
    page = html(client.get(URL, {"q": "terraform"}))
    # anonymous: the public community only
    assert set(titles(page)) == {
        "Terraform state drift after import",
        "Flaky CI runners on Mondays",
    }
    assert count(page) == 2
    assert "<b>terraform</b>" in page.lower()
    assert reverse("conversations:detail", args=[site["solved"].pk]) in page
    assert '<span class="badge kind">Question</span>' in page
    assert '<span class="badge ok">✓ Solved</span>' in page
    # the accepted answer, highlighted, for the solved question only
    best = re.findall(r'<p class="search-answer">(.*?)</p>', page)
    assert len(best) == 1
    assert "Best answer" in best[0]
    assert "<b>terraform</b> plan" in best[0]
    assert "1 answer<" in page
    assert facet(page, "Type") == {"Questions": 2}
    assert facet(page, "Community") == {"Platform Guild": 2}
    assert facet(page, "Tag") == {"terraform": 1, "ci": 1}
    # each facet link adds its filter to the query
    assert 'href="/search/?q=terraform+tag%3Aterraform"' in page
    assert 'href="/search/?q=terraform+community%3Aplatform"' in page


def test_a_facet_link_narrows_and_takes_itself_out_again(client, site):
    page = html(client.get(URL, {"q": "terraform tag:terraform"}))
    assert titles(page) == ["Terraform state drift after import"]
    active = re.search(r'<a href="([^"]*)" aria-current="true"', page)
    assert active is not None
    assert unescape(active.group(1)) == "/search/?q=terraform"


def test_outsiders_never_see_a_private_community(client, site):
    for viewer in (None, site["outsider"]):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        page = html(client.get(URL, {"q": "terraform"}))
        assert "private vault plan" not in page
        assert "Vault Keepers" not in page
        assert "vault-secrets" not in page
        assert "vault" not in facet(page, "Community")
        # nor by asking for it by name
        page = html(client.get(URL, {"q": "secret community:vault"}))
        assert "private vault plan" not in page
        assert "Nothing you may see matches" in page
    # signed in: the organisation's community too, and its count
    assert count(html(client.get(URL, {"q": "terraform"}))) == 3
    client.force_login(site["insider"])
    page = html(client.get(URL, {"q": "terraform"}))
    assert "Terraform secrets in the private vault plan" in titles(page)
    assert count(page) == 4
    assert facet(page, "Community")["Vault Keepers"] == 1
    assert facet(page, "Tag")["vault-secrets"] == 1


def test_people_are_for_signed_in_eyes(client, site):
    page = html(client.get(URL, {"q": "Olga"}))
    assert "Olga Outsider" not in page
    client.force_login(site["asker"])
    page = html(client.get(URL, {"q": "Olga"}))
    assert titles(page) == ["Olga Outsider"]
    person = reverse("accounts:person", args=[site["outsider"].pk])
    assert f'href="{person}"' in page
    assert '<span class="badge kind">Person</span>' in page


def test_communities_and_artifacts_link_to_their_pages(client, site):
    from practica.repertoire import services as rep

    artifact = rep.artifact_create(
        author=site["asker"],
        community=site["public"],
        title="Guild checklist for terraform imports",
        body="Import, plan, refresh, commit.",
        status="published",
    )
    page = html(client.get(URL, {"q": "guild"}))
    assert reverse("communities:detail", args=["platform"]) in page
    assert reverse("repertoire:detail", args=[artifact.pk]) in page
    assert "Platform Guild" in titles(page)


def test_newest_first_and_an_unknown_sort(client, site):
    client.force_login(site["asker"])
    newest = titles(
        html(client.get(URL, {"q": "terraform", "sort": "newest"}))
    )
    assert newest[:2] == [
        "Terraform modules shared across the organisation",
        "Flaky CI runners on Mondays",
    ]
    page = html(client.get(URL, {"q": "terraform", "sort": "bogus"}))
    assert '<option value="relevance" selected>' in page


def test_typing_gets_only_the_results_fragment(client, site):
    response = client.get(URL, {"q": "drift"}, **HX)
    page = html(response)
    assert "<html" not in page
    assert '<form method="get"' not in page
    assert titles(page) == ["Terraform state drift after import"]
    assert "<b>drift</b>" in page.lower() or "<b>drifts</b>" in page.lower()
    # the screen-reader status line is updated out of band
    assert 'id="search-status"' in page
    assert 'hx-swap-oob="true">1 result.' in page
    assert "HX-Request" in response["Vary"]
    # the full page wires the box for live results
    full = html(client.get(URL, {"q": "drift"}))
    assert 'hx-trigger="input changed delay:300ms, search"' in full
    assert 'hx-push-url="true"' in full
    assert 'value="drift"' in full
    # back and forward ask the server for the whole page (a snapshot
    # would show the results with the box's old text)
    assert 'hx-history="false"' in full
    restore = html(
        client.get(
            URL, {"q": "drift"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HX
        )
    )
    assert '<form method="get"' in restore


def test_more_results_appends_the_next_rows(client, site, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    first = html(client.get(URL, {"q": "terraform", "sort": "newest"}))
    assert titles(first) == ["Flaky CI runners on Mondays"]
    assert "More results" in first
    more = html(
        client.get(
            URL, {"q": "terraform", "sort": "newest", "offset": 1}, **HX
        )
    )
    assert titles(more) == ["Terraform state drift after import"]
    assert "search-facet" not in more and "<ol" not in more
    assert "More results" not in more
    # without JavaScript the link is a page of its own
    page = html(client.get(URL, {"q": "terraform", "offset": "1"}))
    assert "from number 2 on" in page
    past = html(client.get(URL, {"q": "terraform", "offset": "50"}))
    assert "No more results" in past


def test_the_header_has_a_search_box_except_on_the_search_page(client, db):
    home = html(client.get(reverse("web:home")))
    assert 'id="site-q"' in home
    assert f'action="{URL}"' in home
    assert 'id="site-q"' not in html(client.get(URL))


def test_the_page_keeps_to_a_fixed_number_of_queries(
    client, site, django_assert_max_num_queries, monkeypatch
):
    # On PostgreSQL the new activities stay unsettled (indexed, the cursor
    # before them) for the whole test however slow the machine, so the
    # last search must not index them again.
    monkeypatch.setattr(indexer, "SETTLE", timedelta(hours=1))
    client.force_login(site["insider"])
    html(client.get(URL, {"q": "terraform"}))  # the index is built
    for i in range(3):
        ask(site["asker"], site["public"], title=f"Terraform question {i}")
    html(client.get(URL, {"q": "terraform"}))  # and caught up
    with django_assert_max_num_queries(7):
        page = html(client.get(URL, {"q": "terraform"}))
    assert count(page) == 7


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "You only ever find what you may see"),
        ("   ", "You only ever find what you may see"),
        ('"', "nothing to search for"),
        ('"""', "nothing to search for"),
        ("-", "nothing to search for"),
        ("- - -", "nothing to search for"),
        ("*", "nothing to search for"),
        ("( ) [ ] { }", "nothing to search for"),
        ("&&& ||| !!!", "nothing to search for"),
        ("AND OR NOT", "Nothing you may see matches"),
        ('"unbalanced terraform', "A quotation mark is not closed"),
        ('terraform "state drift', "Terraform state drift after import"),
        ("a" * 10_000, "only the first 500 were searched"),
        ("terraform " * 1_000, "Only the first 32 terms count"),
        ("tag:", "Nothing you may see matches"),
        ("is:weird terraform", "is:weird is unknown"),
        ("after:soon terraform", "after:soon is not a date"),
        ("type:gadget", "type:gadget is unknown"),
        ("title:terraform field:value:other", "Nothing you may see matches"),
        ("terraform^2 ~1 drift~ /regex/", "Nothing you may see matches"),
        ("' OR 1=1 --", "Nothing you may see matches"),
        ("\x01\x02 terraform", "Terraform state drift after import"),
        ("%00 %s {{ 7*7 }} {% now %}", "Nothing you may see matches"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("ü" * 300, "Nothing you may see matches"),
    ],
)
def test_bad_input_gets_a_sensible_page(client, site, text, says):
    for headers in ({}, HX):
        page = html(client.get(URL, {"q": text}, **headers))
        assert says in page
        assert "<script>alert" not in page


def test_snippets_escape_what_people_typed(client, site):
    ask(
        site["asker"],
        site["public"],
        title="Injection <i>attempt</i> in a title",
        body='Injection: <script>alert("x")</script> <img src=x onerror=y>',
    )
    page = html(client.get(URL, {"q": "injection"}))
    assert titles(page) == ["Injection <i>attempt</i> in a title"]
    assert "<i>attempt</i>" not in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page or "&lt;script&gt;" in page


def test_results_are_cached_until_the_index_changes(client, site, monkeypatch):
    from practica.search import engine

    calls = []
    original = engine.search
    monkeypatch.setattr(
        engine, "search", lambda **kw: calls.append(kw) or original(**kw)
    )
    first = html(client.get(URL, {"q": "terraform"}))
    assert count(first) == 2
    # Asked for twice, the address is kept, and then served without
    # asking the engine ...
    assert html(client.get(URL, {"q": "terraform"})) == first
    assert len(calls) == 2
    assert html(client.get(URL, {"q": "terraform"})) == first
    assert len(calls) == 2
    assert html(client.get(URL, {"q": "terraform"}, **HX))  # its own entry
    assert len(calls) == 3
    # ... until something new is indexed: the index's commit is in the key.
    ask(site["asker"], site["public"], title="Terraform import blocks")
    page = html(client.get(URL, {"q": "terraform"}))
    assert count(page) == 3
    assert "Terraform import blocks" in titles(page)


def test_cached_results_are_never_shared_across_scopes(client, site):
    def twice() -> str:  # the second time from the cache
        html(client.get(URL, {"q": "terraform"}))
        return html(client.get(URL, {"q": "terraform"}))

    # Anonymous first: the entry holds the public community only.
    assert "Vault Keepers" not in twice()
    client.force_login(site["insider"])
    page = twice()
    assert "Terraform secrets in the private vault plan" in titles(page)
    # and the insider's entry never reaches an outsider
    client.force_login(site["outsider"])
    page = twice()
    assert "Terraform secrets in the private vault plan" not in titles(page)
    assert count(page) == 3
    client.logout()
    assert count(twice()) == 2


def test_a_row_shows_its_kind_place_count_date_and_tags(client, site):
    from practica.conversations.models import Conversation

    page = html(client.get(URL, {"q": "drift"}))
    solved = Conversation.objects.get(pk=site["solved"].pk)
    day = solved.created_at
    row = re.search(
        r'<li class="search-hit search-question">.*?</li>', page, re.S
    )
    assert row is not None
    row_html = row.group(0)
    assert '<span class="badge ok">✓ Solved</span>' in row_html
    assert (
        f'in <a href="{reverse("communities:detail", args=["platform"])}">'
        "Platform Guild</a>" in row_html
    )
    assert "<span>1 answer</span>" in row_html
    assert f'<time datetime="{day.isoformat()}">' in row_html
    assert f"{day.day} {day:%b} {day.year}</time>" in row_html
    assert (
        '<a class="chip" href="/search/?q=tag%3Aterraform">terraform</a>'
        in row_html
    )


def test_more_rows_skip_the_facets_they_do_not_show(client, site, monkeypatch):
    from practica.search import engine

    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    asked = []
    original = engine.search
    monkeypatch.setattr(
        engine,
        "search",
        lambda **kw: asked.append(kw["facets"]) or original(**kw),
    )
    html(client.get(URL, {"q": "terraform"}))
    more = html(client.get(URL, {"q": "terraform", "offset": 1}, **HX))
    assert asked == [True, False]
    assert len(titles(more)) == 1
    assert "More results" not in more  # the total is still right
