"""Form pieces every app's forms share."""

from django import forms


def markdown_area(rows: int = 8, **attrs: str) -> forms.Textarea:
    """A Markdown textarea; ``data-mentions`` turns on @handle suggestions
    (notifications/static/notifications/mentions.js)."""
    return forms.Textarea(
        attrs={"rows": str(rows), "data-mentions": "", **attrs}
    )
