"""Charts drawn on the server as SVG: no JavaScript, no build step.

Every chart carries its numbers as text (a value over each bar, a count
on each line), a title and a description for screen readers, and tells
kinds apart by pattern (solid, dashed, dotted lines; round and square
marks), never by colour alone. Every text that came from a person is
escaped here, so the result can be marked safe.
"""

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

W, H = 640, 220
PAD_L, PAD_R, PAD_T, PAD_B = 44, 12, 28, 46

DASH = {
    "answer": "",
    "worked": "6 4",
    "artifact": "2 3",
    "mentoring": "10 3 2 3",
    "hosting": "1 6",
}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "share":
        return f"{value * 100:.0f}%"
    if unit == "hours":
        return f"{value:.1f}"
    return f"{value:g}"


def bars(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    unit: str = "count",
    ident: str = "chart",
) -> SafeString:
    """A bar per period, its value written above it; the last bar (the
    latest period) is hatched so it stands out without colour."""
    top = max((v for v in values if v is not None), default=0) or 1
    n = max(len(values), 1)
    inner_w = W - PAD_L - PAD_R
    inner_h = H - PAD_T - PAD_B
    step = inner_w / n
    bar_w = step * 0.7
    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">'
        + escape(
            "; ".join(
                f"{lab}: {_fmt(v, unit)}"
                for lab, v in zip(labels, values, strict=True)
            )
        )
        + "</desc>",
        '<defs><pattern id="' + ident + '-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="currentColor" opacity=".35"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="currentColor" '
        'stroke-width="3"/></pattern></defs>',
        f'<line x1="{PAD_L}" y1="{H - PAD_B}" x2="{W - PAD_R}" '
        f'y2="{H - PAD_B}" stroke="currentColor"/>',
    ]
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        x = PAD_L + i * step + (step - bar_w) / 2
        h = 0 if v is None else inner_h * (v / top)
        y = H - PAD_B - h
        last = i == n - 1
        fill = f"url(#{ident}-hatch)" if last else "currentColor"
        opacity = "1" if last else ".55"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
            f'height="{h:.1f}" fill="{fill}" fill-opacity="{opacity}"/>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" '
            f'text-anchor="middle" font-size="11">{_fmt(v, unit)}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{H - PAD_B + 14}" '
            'text-anchor="end" font-size="10" '
            f'transform="rotate(-35 {x + bar_w / 2:.1f} {H - PAD_B + 14})">'
            f"{escape(lab)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text escaped)


def graph(
    nodes: Sequence[tuple[str, str, int, bool]],
    links: Sequence[tuple[str, str, int, str]],
    *,
    title: str,
    ident: str = "net",
    size: int = 560,
) -> SafeString:
    """Nodes (id, label, weight, square?) on a circle, arrows from the
    helper to the helped with the count written on each, the kind of help
    drawn as a line pattern (see :data:`DASH`)."""
    n = max(len(nodes), 1)
    cx = cy = size / 2
    radius = size / 2 - 90
    at: dict[str, tuple[float, float]] = {}
    for i, (key, _label, _w, _sq) in enumerate(nodes):
        angle = 2 * math.pi * i / n - math.pi / 2
        at[key] = (
            cx + radius * math.cos(angle),
            cy + radius * math.sin(angle),
        )
    top = max((c for *_, c, _k in links), default=1) or 1
    names = {key: label for key, label, *_ in nodes}
    parts = [
        f'<svg class="chart network" viewBox="0 0 {size} {size}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">'
        + escape(
            "; ".join(
                f"{names.get(a, a)} helped {names.get(b, b)} {c} times"
                for a, b, c, _k in links
            )
        )
        + "</desc>",
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="10" '
        'refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>',
    ]
    for a, b, count, kind in links:
        if a not in at or b not in at:
            continue
        (x1, y1), (x2, y2) = at[a], at[b]
        # Stop short of the node so the arrow head shows.
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1
        x2e, y2e = x2 - dx / dist * 14, y2 - dy / dist * 14
        x1s, y1s = x1 + dx / dist * 14, y1 + dy / dist * 14
        width = 1 + 4 * count / top
        dash = DASH.get(kind, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x1s:.1f}" y1="{y1s:.1f}" x2="{x2e:.1f}" '
            f'y2="{y2e:.1f}" stroke="currentColor" stroke-opacity=".6" '
            f'stroke-width="{width:.1f}"{dash_attr} '
            f'marker-end="url(#{ident}-arrow)"/>'
        )
        # Offset the count to the helper's side so A→B and B→A differ.
        mx, my = x1 + dx * 0.4, y1 + dy * 0.4
        parts.append(
            f'<text x="{mx:.1f}" y="{my:.1f}" font-size="11" '
            f'text-anchor="middle" class="count">{count}</text>'
        )
    for key, label, weight, square in nodes:
        x, y = at[key]
        r = 6 + min(weight, 40) / 4
        if square:
            parts.append(
                f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" '
                f'height="{2 * r:.1f}" fill="currentColor"/>'
            )
        else:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                'fill="currentColor" fill-opacity=".8"/>'
            )
        anchor = "start" if x >= cx else "end"
        lx = x + (r + 4 if x >= cx else -r - 4)
        parts.append(
            f'<text x="{lx:.1f}" y="{y + 4:.1f}" font-size="12" '
            f'text-anchor="{anchor}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text escaped)
