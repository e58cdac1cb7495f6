"""Forms for the repertoire pages.

Forms check the shape of what was sent; the services decide what is
allowed (lengths, tags, intervals, file types, who may) and the views put
their messages beside the fields they name.
"""

import re
from collections.abc import Iterable
from typing import Any, cast

from django import forms

from practica.conversations.forms import MARKDOWN_HELP, split_tags
from practica.conversations.models import Tag
from practica.core.forms import markdown_area
from practica.repertoire.models import Freshness, Kind, Status

INTERVALS = (30, 90, 180, 365)


def interval_choices(default: int, current: int | None = None) -> list[Any]:
    """30, 90, 180 and 365 days, plus the community's default and the
    artifact's own interval when they are something else."""
    days = sorted({*INTERVALS, default, *([current] if current else [])})
    return [
        (
            str(d),
            f"{d} days (the community's default)"
            if d == default
            else f"{d} days",
        )
        for d in days
    ]


class _Content(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Kind.choices)
    title = forms.CharField(
        label="Title",
        help_text="What it is, as a colleague would search for it, e.g. "
        "'Die change checklist for press line 3'.",
        widget=forms.TextInput(attrs={"maxlength": "200"}),
    )
    body = forms.CharField(
        label="Text", help_text=MARKDOWN_HELP, widget=markdown_area(16)
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        help_text="Up to five, separated by commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(
        self, *args: Any, tags: Iterable[Tag] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        names = [t.name for t in tags][:15]
        if names:
            self.fields["tags"].help_text = (
                "Up to five, separated by commas. Known tags: "
                f"{', '.join(names)}."
            )

    def tag_names(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags", ""))


class CreateForm(_Content):
    """A new artifact."""

    status = forms.ChoiceField(
        label="Who sees it",
        choices=[
            (
                Status.DRAFT,
                "Draft: only its owners and the community's core members "
                "and coordinators",
            ),
            (
                Status.PUBLISHED,
                "Published: everyone who can see the community",
            ),
        ],
        initial=Status.DRAFT,
        widget=forms.RadioSelect,
    )
    review_days = forms.ChoiceField(
        label="Verification lasts",
        required=False,
        help_text="When an owner verifies it, for how long it counts as "
        "checked; then it goes back into the owners' review queue.",
    )

    def __init__(self, *args: Any, default_days: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["review_days"])
        field.choices = [
            (
                "",
                f"The community's default ({default_days} days)",
            ),
            *[(str(d), f"{d} days") for d in INTERVALS],
        ]


class EditForm(_Content):
    """A new revision; ``base_revision`` is the one the editor started
    from, so a save in between is noticed rather than overwritten."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    message = forms.CharField(
        label="What did you change?",
        required=False,
        help_text="Shown in the history, e.g. 'Added the torque values'.",
        widget=forms.TextInput(attrs={"maxlength": "200"}),
    )


class VerifyForm(forms.Form):
    days = forms.ChoiceField(
        label="Verified for",
        help_text="You vouch that it is right and still how the work is "
        "done. When the time is up it goes back into the owners' review "
        "queue.",
    )

    def __init__(
        self,
        *args: Any,
        default: int,
        current: int | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"days": str(current or default)})
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["days"])
        field.choices = interval_choices(default, current)


_ARTIFACT = re.compile(r"(?:^|/r/)(\d+)(?:/|$)")


class ObsoleteForm(forms.Form):
    reason = forms.CharField(
        label="Why is it obsolete?",
        help_text="Shown on the page to everyone, e.g. 'The press line was "
        "replaced in 2025'.",
        widget=forms.TextInput(attrs={"maxlength": "300"}),
    )
    replaced_by = forms.CharField(
        label="Replaced by",
        required=False,
        help_text="The number or the address of the artifact to use "
        "instead, e.g. 42 or /r/42/. Leave empty if there is none.",
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )

    def clean_replaced_by(self) -> int | None:
        value = self.cleaned_data["replaced_by"].strip()
        if not value:
            return None
        match = _ARTIFACT.search(value)
        if match is None:
            raise forms.ValidationError(
                "Give the replacement's number (e.g. 42) or its address "
                "(e.g. /r/42/)."
            )
        return int(match.group(1))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="Documents, images and data: PDF, images, text, "
        "spreadsheets, slides, ZIP.",
    )

    def __init__(self, *args: Any, max_mb: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "Documents, images and data (PDF, PNG, JPEG, text, Markdown, "
            f"CSV, Office documents, ZIP), up to {max_mb:g} MB."
        )


class OwnerForm(forms.Form):
    person = forms.ChoiceField(label="Add an owner")

    def __init__(
        self, *args: Any, people: Iterable[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["person"])
        field.choices = [("", "— pick a member —")] + [
            (str(p.pk), p.name) for p in people
        ]


class CompareForm(forms.Form):
    """Two revisions to compare (``from`` and ``to`` in the address)."""

    def __init__(
        self, *args: Any, numbers: Iterable[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), f"Revision {n}") for n in numbers]
        self.fields["from"] = forms.TypedChoiceField(
            label="From", choices=choices, coerce=int
        )
        self.fields["to"] = forms.TypedChoiceField(
            label="To", choices=choices, coerce=int
        )


SORT_CHOICES = [
    ("recent", "Recently changed"),
    ("helpful", "Most helpful"),
    ("title", "Title"),
    ("freshness", "Review due first"),
]


class ListFilterForm(forms.Form):
    """The repertoire's filters; a value that does not fit is ignored
    (its error shows beside the filter)."""

    sort = forms.ChoiceField(
        choices=SORT_CHOICES, required=False, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("", "All kinds"), *Kind.choices],
        required=False,
    )
    tag = forms.ChoiceField(label="Tag", required=False)
    freshness = forms.ChoiceField(
        label="Review state",
        choices=[("", "Any"), *Freshness.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Not archived"), *Status.choices],
        required=False,
    )

    def __init__(
        self, *args: Any, tags: Iterable[Tag] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["tag"])
        field.choices = [("", "Any tag")] + [(t.slug, t.name) for t in tags]

    def filters(self) -> dict[str, Any]:
        """Keyword filters for selectors.artifact_list."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = getattr(self, "cleaned_data", {})
        return {
            "sort": data.get("sort") or "recent",
            "kind": data.get("kind") or "",
            "tag": data.get("tag") or "",
            "freshness": data.get("freshness") or "",
            "status": data.get("status") or "",
        }
