"""The layout's links and assets, resolved once per process.

Every page's layout (web/base.html) names the same static files and the
same argument-free pages; ``{% static %}`` and ``{% url %}`` look them up
again on every request (the manifest, the resolver), which was most of
the layout's cost. These tags give the same text from a memo keyed by
what could change it (the static URL, the script prefix, the URLconf).
"""

from functools import cache as memo

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@memo
def _asset(path: str, static_url: str | None) -> str:
    return static(path)


@memo
def _link(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def asset(path: str) -> str:
    """``{% static path %}``, once per process."""
    return _asset(path, settings.STATIC_URL)


@register.simple_tag
def link(name: str) -> str:
    """``{% url name %}`` for a page that takes no arguments, once per
    process."""
    return _link(name, get_script_prefix(), get_urlconf())
