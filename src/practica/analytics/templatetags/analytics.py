"""Figures written the same way on every page."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def figure(value: Any, unit: str = "count") -> str:
    """12, 64 %, 3.5 h; a dash for no value."""
    if value is None:
        return "-"
    if unit == "share":
        return f"{value * 100:.0f} %"
    if unit == "hours":
        return f"{value:.1f} h"
    return f"{value:g}"


@register.filter
def change(series: Any) -> str:
    """The change from the period before, in words and signs (not
    colour): "up 3 (+20 %)", "down 10 points", "no change"."""
    delta = series.change
    if delta is None:
        return "no earlier figure"
    if delta == 0:
        return "no change"
    word = "up" if delta > 0 else "down"
    if series.unit == "share":
        return f"{word} {abs(delta) * 100:.0f} points"
    if series.unit == "hours":
        return f"{word} {abs(delta):.1f} h"
    pct = series.change_pct
    tail = f" ({pct:+.0f} %)" if pct is not None else ""
    return f"{word} {abs(delta):g}{tail}"


@register.filter
def share(value: Any) -> str:
    return figure(value, "share")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None
