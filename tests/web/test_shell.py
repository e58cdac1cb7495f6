"""The layout's links and assets, resolved once per process, read as
Django's own tags would write them."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

from practica.web.templatetags import shell

pytestmark = pytest.mark.django_db


def test_layout_links_and_assets_are_djangos(client, community):
    html = client.get(reverse("communities:detail", args=[community.slug]))
    page = html.content.decode()
    for path in ("web/practica.css", "web/htmx-2.0.11.min.js"):
        assert f'"{static(path)}"' in page
    for name in ("web:home", "communities:list", "account_signup"):
        assert f'href="{reverse(name)}"' in page
    # The app's own entry is marked as the current one.
    assert (
        f'<a href="{reverse("communities:list")}" aria-current="page">' in page
    )


def test_links_follow_the_script_prefix():
    from django.urls import set_script_prefix

    assert shell.link("web:home") == "/"
    set_script_prefix("/forum/")
    try:
        assert shell.link("web:home") == "/forum/"
    finally:
        set_script_prefix("/")
    assert shell.link("web:home") == "/"
