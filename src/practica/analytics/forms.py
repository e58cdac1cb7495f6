"""Forms for the analytics pages: a value story and a reflection."""

from typing import Any

from django import forms

from practica.analytics.models import Cycle


class StoryForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text='One line someone would remember: "The press line '
        'stopped jamming".',
    )
    cycle = forms.ChoiceField(
        label="What kind of value",
        choices=Cycle.choices,
        widget=forms.RadioSelect,
        help_text="Immediate: the exchange itself helped. Potential: you "
        "gained knowledge or a contact. Applied: you changed how you work. "
        "Realised: it made a measurable difference. Transformative: it "
        "changed what you or the organisation aim for.",
    )
    happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown. Who took part, what was asked or shared.",
    )
    difference = forms.CharField(
        label="What difference it made",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. Numbers help: hours saved, errors avoided.",
    )
    links = forms.CharField(
        label="Where it came from",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: a question, artifact, event or mentorship "
        "as artifact:5 or question:12, or paste its page's address. You "
        "can link only what you can open.",
    )

    def link_list(self) -> list[str]:
        raw = self.cleaned_data.get("links") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]


class HideForm(forms.Form):
    note = forms.CharField(
        label="Why take it off the list",
        max_length=300,
        help_text="The author reads this.",
    )


class ReflectionForm(forms.Form):
    start = forms.ChoiceField(label="Period")
    what = forms.CharField(
        label="What?",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What happened: prefilled with the period's figures; "
        "add what the numbers do not say.",
    )
    so_what = forms.CharField(
        label="So what?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What it means for the community and its members.",
    )
    now_what = forms.CharField(
        label="Now what?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you will do next, and who does it.",
    )

    def __init__(
        self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = periods  # type: ignore[attr-defined]
