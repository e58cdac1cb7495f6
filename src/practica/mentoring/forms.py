"""Forms for the help and mentoring pages.

Forms check the shape of what was sent; the services decide what is
allowed and the views put their messages beside the fields they name.
"""

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from practica.accounts.models import Department, Skill
from practica.core.forms import markdown_area
from practica.mentoring.models import Format, StepKind, Urgency

WINDOWS_HELP = (
    "When you are free each week, in your time zone, on the quarter hour: "
    "e.g. 'Mon 09:00-12:00, Thu 14:30-16:00'."
)


class OfferForm(forms.Form):
    skills = forms.MultipleChoiceField(
        label="Skills you help with",
        widget=forms.CheckboxSelectMultiple,
        help_text="From your profile's expertise; your level shows beside "
        "each.",
    )
    formats = forms.MultipleChoiceField(
        label="How you are glad to help",
        choices=Format.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label="People a month", min_value=1, max_value=20, initial=2
    )
    windows = forms.CharField(
        label="Availability", required=False, help_text=WINDOWS_HELP
    )
    time_zone = forms.CharField(label="Time zone", max_length=64)
    departments = forms.MultipleChoiceField(
        label="Departments you are glad to help across",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="A note for people who ask", required=False, max_length=300
    )
    active = forms.BooleanField(
        label="Open for new requests", required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        expertise: Iterable[Any] = (),
        departments: Iterable[Department] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["skills"])
        field.choices = [
            (e.skill.slug, f"{e.skill.name} ({e.get_level_display()})")
            for e in expertise
        ]
        dept = cast(forms.ChoiceField, self.fields["departments"])
        dept.choices = [(d.slug, d.name) for d in departments]


class RequestForm(forms.Form):
    title = forms.CharField(
        label="What you need help with, in a line",
        max_length=200,
        widget=forms.TextInput(attrs={"maxlength": "200"}),
    )
    need = forms.CharField(
        label="Your need, in words",
        widget=markdown_area(6),
        help_text="What you are trying to do, what you tried, where you are "
        "stuck. Markdown works.",
    )
    skills = forms.MultipleChoiceField(
        label="Skills that would help", widget=forms.CheckboxSelectMultiple
    )
    format = forms.ChoiceField(
        label="How you would like help",
        choices=Format.choices,
        initial=Format.ANSWER,
    )
    urgency = forms.ChoiceField(
        label="Urgency", choices=Urgency.choices, initial=Urgency.NORMAL
    )
    windows = forms.CharField(
        label="When you are free", required=False, help_text=WINDOWS_HELP
    )
    time_zone = forms.CharField(label="Time zone", max_length=64)

    def __init__(
        self, *args: Any, skills: Iterable[Skill] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["skills"])
        field.choices = [(s.slug, s.name) for s in skills]


class CheckInForm(forms.Form):
    summary = forms.CharField(
        label="What you talked about (both of you see this)",
        required=False,
        widget=markdown_area(4),
    )


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=markdown_area(4))
    private = forms.BooleanField(
        label="Private: only I see it", required=False, initial=True
    )


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label="Goals", required=False, widget=markdown_area(5)
    )
    checkin_days = forms.TypedChoiceField(
        label="Check in every",
        coerce=int,
        choices=[
            (7, "week"),
            (14, "two weeks"),
            (21, "three weeks"),
            (30, "month"),
        ],
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How useful was it?",
        coerce=int,
        choices=[
            (5, "5: very useful"),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, "1: not useful"),
        ],
    )
    feedback = forms.CharField(
        label="What worked, what would you change?",
        required=False,
        widget=markdown_area(4),
    )


STEPS_HELP = (
    "One step a line, in order: the kind, an optional target, then the "
    "title. Kinds: " + ", ".join(StepKind.values) + ". Targets: "
    "artifact:ID, event:ID or question:ID. E.g. 'read artifact:12 How we "
    "run reviews' or 'ask Ask your first question'."
)
TARGET_WORDS = {
    "artifact": "repertoire.artifact",
    "question": "conversations.conversation",
    "discussion": "conversations.conversation",
    "event": "events.event",
    "occurrence": "events.occurrence",
}


class PathwayForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Welcome text", required=False, widget=markdown_area(4)
    )
    steps = forms.CharField(
        label="Steps", widget=markdown_area(8), help_text=STEPS_HELP
    )
    stuck_days = forms.IntegerField(
        label="Stuck after this many days without progress",
        min_value=1,
        max_value=365,
        initial=14,
    )

    def step_list(self) -> list[dict[str, Any]]:
        """The typed lines as the service's step dicts."""
        out = []
        for line in self.cleaned_data.get("steps", "").splitlines():
            parts = line.strip().split(None, 2)
            if not parts:
                continue
            step: dict[str, Any] = {"kind": parts[0].lower()}
            rest = parts[1:]
            if rest and ":" in rest[0]:
                word, _, pk = rest[0].partition(":")
                step["target_type"] = TARGET_WORDS.get(word.lower(), word)
                step["target_id"] = pk
                rest = rest[1:]
            step["title"] = " ".join(rest)
            out.append(step)
        return out


def steps_text(steps: Iterable[Any]) -> str:
    """A pathway's steps as the form's lines."""
    words = {v: k for k, v in reversed(TARGET_WORDS.items())}
    lines = []
    for s in steps:
        target = ""
        if s.target_type_id and s.target_id:
            key = f"{s.target_type.app_label}.{s.target_type.model}"
            target = f" {words.get(key, key)}:{s.target_id}"
        lines.append(f"{s.kind}{target} {s.title}")
    return "\n".join(lines)
