"""Forms for the conversation pages.

Forms check the shape of what was sent; the services decide what is
allowed (lengths, tags, who may) and the views put their messages beside
the fields they name.
"""

import re
from collections.abc import Iterable
from typing import Any, cast

from django import forms

from practica.communities.models import Community
from practica.conversations.models import Kind, Tag
from practica.core.forms import markdown_area

MARKDOWN_HELP = (
    "Markdown is supported: **bold**, _italic_, lists, links, `code` and "
    "```code blocks```."
)


class AskForm(forms.Form):
    """Ask a question or open a discussion."""

    kind = forms.ChoiceField(
        label="What is it?",
        choices=Kind.choices,
        initial=Kind.QUESTION,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label="Title",
        help_text="One sentence a colleague would search for, e.g. 'Press "
        "line jams after the die change'.",
        widget=forms.TextInput(attrs={"maxlength": "200"}),
    )
    body = forms.CharField(
        label="Details",
        help_text="What you tried, what happened, what you expected. "
        + MARKDOWN_HELP,
        widget=markdown_area(10),
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        help_text="Up to five, separated by commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        community: Community,
        tags: Iterable[Tag] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        names = [t.name for t in tags][:15]
        known = ", ".join(names) if names else "none yet"
        if community.members_propose_tags:
            self.fields["tags"].help_text = (
                "Up to five, separated by commas. Known tags: "
                f"{known}. A new tag is proposed to the coordinators."
            )
        else:
            self.fields[
                "tags"
            ].help_text = f"Up to five, separated by commas, from: {known}."
        # The title asks the search for similar conversations as one types.
        self.fields["title"].widget.attrs["aria-describedby"] = (
            "id_title_helptext similar"
        )

    def tag_names(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags", ""))


def split_tags(value: str) -> list[str]:
    return [n.strip() for n in (value or "").split(",") if n.strip()]


class EditForm(forms.Form):
    title = forms.CharField(
        label="Title", widget=forms.TextInput(attrs={"maxlength": "200"})
    )
    body = forms.CharField(
        label="Details", help_text=MARKDOWN_HELP, widget=markdown_area(12)
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        help_text="Up to five, separated by commas.",
    )
    message = forms.CharField(
        label="What did you change?",
        required=False,
        help_text="Shown in the history, e.g. 'Added the error message'.",
        widget=forms.TextInput(attrs={"maxlength": "200"}),
    )

    def tag_names(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags", ""))


EXPERIENCE_HELP = (
    "The practice your answer comes from, e.g. 'Ran that press for six "
    "years' or 'Did this migration twice last year'."
)


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer", help_text=MARKDOWN_HELP, widget=markdown_area(8)
    )
    experience = forms.CharField(
        label="From your practice",
        required=False,
        help_text=EXPERIENCE_HELP,
        widget=forms.TextInput(attrs={"maxlength": "300"}),
    )


class ReplyEditForm(forms.Form):
    body = forms.CharField(
        label="Answer", help_text=MARKDOWN_HELP, widget=markdown_area(12)
    )
    experience = forms.CharField(
        label="From your practice",
        required=False,
        help_text=EXPERIENCE_HELP,
        widget=forms.TextInput(attrs={"maxlength": "300"}),
    )
    message = forms.CharField(
        label="What did you change?",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": "200"}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        help_text="A short remark or a question back; up to 600 characters.",
        widget=markdown_area(3, maxlength="600"),
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong?",
        help_text="The coordinators see this, e.g. 'Shares a customer's "
        "personal data' or 'Advice that is unsafe'.",
        widget=forms.TextInput(attrs={"maxlength": "300"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        help_text="Shown on the page to everyone.",
        widget=forms.TextInput(attrs={"maxlength": "300"}),
    )


class MoveForm(ReasonForm):
    community = forms.ChoiceField(label="Move to")

    field_order = ["community", "reason"]

    def __init__(
        self, *args: Any, communities: Iterable[Community], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["community"])
        field.choices = [("", "— pick a community —")] + [
            (c.slug, c.name) for c in communities
        ]


_ID = re.compile(r"(?:^|/q/)(\d+)(?:/|$)")


class MergeForm(ReasonForm):
    into = forms.CharField(
        label="Duplicate of",
        help_text="The number or the address of the original, e.g. 42 or "
        "/q/42/.",
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )

    field_order = ["into", "reason"]

    def clean_into(self) -> int:
        value = self.cleaned_data["into"].strip()
        match = _ID.search(value)
        if match is None:
            raise forms.ValidationError(
                "Give the original's number (e.g. 42) or its address "
                "(e.g. /q/42/)."
            )
        return int(match.group(1))


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="Note",
        help_text="What you did, e.g. 'Edited out the phone number'.",
        widget=forms.TextInput(attrs={"maxlength": "300"}),
    )


class TagForm(forms.Form):
    name = forms.CharField(
        label="Tag",
        help_text="A short name, e.g. 'hydraulics'.",
        widget=forms.TextInput(attrs={"maxlength": "40"}),
    )
    description = forms.CharField(
        label="What it covers",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": "300"}),
    )


SORT_CHOICES = [
    ("active", "Active"),
    ("newest", "Newest"),
    ("unanswered", "Unanswered"),
    ("votes", "Most votes"),
]
STATUS_CHOICES = [
    ("", "Any status"),
    ("unsolved", "Unsolved"),
    ("solved", "Solved"),
    ("open", "Open"),
    ("closed", "Closed"),
]


class ListFilterForm(forms.Form):
    """The list's filters; a value that does not fit is ignored (its
    error shows beside the filter)."""

    sort = forms.ChoiceField(
        choices=SORT_CHOICES, required=False, widget=forms.HiddenInput
    )
    tag = forms.ChoiceField(label="Tag", required=False)
    status = forms.ChoiceField(
        label="Status", choices=STATUS_CHOICES, required=False
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("", "Questions and discussions"), *Kind.choices],
        required=False,
    )

    def __init__(
        self, *args: Any, tags: Iterable[Tag] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["tag"])
        field.choices = [("", "Any tag")] + [(t.slug, t.name) for t in tags]

    def filters(self, default_sort: str = "active") -> dict[str, Any]:
        """Keyword filters for selectors.conversation_list."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = getattr(self, "cleaned_data", {})
        return {
            "sort": data.get("sort") or default_sort,
            "tag": data.get("tag") or "",
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
        }
