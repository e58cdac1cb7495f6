"""Forms for the community pages.

They only collect input and give each input its label, widget and help;
the rules (lengths, unique slugs, practice statements, who may do what)
live in ``services`` and come back as errors placed beside the field.
"""

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from practica.communities.models import Kind, Policy, Role, Visibility

Choices = list[tuple[str, str]]


class FilterForm(forms.Form):
    """The directory filters; bad values are ignored, not refused."""

    q = forms.CharField(
        label="Name or domain",
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "e.g. safety"}
        ),
    )
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Kind.choices],
    )
    department = forms.ChoiceField(label="Department", required=False)
    mine = forms.BooleanField(label="Only mine", required=False)

    def __init__(
        self, *args: Any, departments: Choices, signed_in: bool, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        dept = cast(forms.ChoiceField, self.fields["department"])
        dept.choices = [("", "Any department"), *departments]
        if not signed_in:
            del self.fields["mine"]


class CommunityForm(forms.Form):
    name = forms.CharField(
        widget=forms.TextInput(attrs={"maxlength": 120}),
        help_text="What members call it, e.g. “Safety & Quality”.",
    )
    slug = forms.CharField(
        label="Address",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 60}),
        help_text="The community lives at /c/<address>/. Leave it empty "
        "to make one from the name.",
    )
    tagline = forms.CharField(
        label="Domain",
        widget=forms.TextInput(attrs={"maxlength": 200}),
        help_text="The joint enterprise in a line: what the members "
        "practise together.",
    )
    charter = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown. Why the community exists, who it is for, "
        "how it meets and decides.",
    )
    kind = forms.ChoiceField(choices=Kind.choices)
    is_formal = forms.BooleanField(
        label="Formal community (sponsored, with a mandate)", required=False
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, initial=Visibility.PUBLIC
    )
    policy = forms.ChoiceField(
        label="Membership policy",
        choices=Policy.choices,
        initial=Policy.OPEN,
        help_text="Open makes a community of interest; approval admits "
        "practitioners who write a practice statement.",
    )
    statement_prompt = forms.CharField(
        label="Practice statement prompt",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 300}),
        help_text="Shown to people asking to join, e.g. “Which incidents "
        "have you reviewed?”",
    )
    members_propose_tags = forms.BooleanField(
        label="Members may propose new tags (otherwise only coordinators "
        "add them)",
        required=False,
        initial=True,
    )
    departments = forms.MultipleChoiceField(
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="The departments this community spans. Hold Ctrl (⌘ on "
        "a Mac) to pick several.",
    )

    def __init__(self, *args: Any, departments: Choices, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = cast(forms.ChoiceField, self.fields["departments"])
        field.choices = departments


class JoinForm(forms.Form):
    practice_statement = forms.CharField(
        label="Your practice",
        required=False,  # the service explains what a statement needs
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, help_text: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["practice_statement"].help_text = help_text


def _roles(only: Iterable[str]) -> Choices:
    return [(v, label) for v, label in Role.choices if v in only]


class ApproveForm(forms.Form):
    role = forms.ChoiceField(
        label="Admit as",
        choices=_roles({Role.NEWCOMER, Role.MEMBER})[::-1],
        initial=Role.NEWCOMER,
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason for declining",
        widget=forms.TextInput(attrs={"maxlength": 500}),
        help_text="The person will read it.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Reason for removing",
        widget=forms.TextInput(attrs={"maxlength": 500}),
    )


class InvitationForm(forms.Form):
    email = forms.CharField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)
    message = forms.CharField(
        label="Personal message",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text="Optional: why you think they belong here.",
    )

    def __init__(self, *args: Any, roles: Iterable[str], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = cast(forms.ChoiceField, self.fields["role"])
        field.choices = _roles(set(roles))[::-1]


class MemberFilterForm(forms.Form):
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices]
    )
    skill = forms.ChoiceField(label="Skill", required=False)

    def __init__(self, *args: Any, skills: Choices, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = cast(forms.ChoiceField, self.fields["skill"])
        field.choices = [("", "Any skill"), *skills]
