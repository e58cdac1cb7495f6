"""Forms for the people, profile, settings and sign-up pages.

Forms check the shape of what was sent (a number is a number, a date is a
date); the services decide what is allowed and say why, and the views put
those messages beside the fields.
"""

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError

from practica.accounts.models import Department, Level, Skill, User
from practica.core import text

if TYPE_CHECKING:
    from django.http import HttpRequest

MARKDOWN_HELP = (
    "Markdown is supported: **bold**, _italic_, lists, links and `code`."
)


def _one(field: str, clean: Callable[[], str]) -> str:
    """Run a core.text cleaner and re-raise its message for this field."""
    try:
        return clean()
    except ValidationError as exc:
        raise ValidationError(
            exc.message_dict.get(field) or exc.messages
        ) from exc


# Aliases kept for old systems; the list offers the canonical names.
_LEGACY = ("US/", "SystemV/", "posix", "right/", "Etc/", "Canada/")


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = [
        z for z in text.time_zones() if "/" in z and not z.startswith(_LEGACY)
    ]
    return [("UTC", "UTC")] + [(z, z.replace("_", " ")) for z in sorted(names)]


class TimeZoneField(forms.CharField):
    """An IANA time zone picked from a list, checked by core.text."""

    widget = forms.Select

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("initial", "UTC")
        super().__init__(**kwargs)
        self.widget.choices = time_zone_choices()

    def offer(self, value: str) -> None:
        """Also list ``value`` (a zone chosen elsewhere, e.g. an alias), so
        that saving the form does not silently change it."""
        if value and value not in dict(time_zone_choices()):
            self.widget.choices = [
                (value, value),
                *time_zone_choices(),
            ]

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return _one(
            "time_zone", lambda: text.clean_time_zone(str(value or ""))
        )


class SignupForm(forms.Form):
    """What sign-up asks besides email and password.

    allauth builds its sign-up form on top of this class
    (ACCOUNT_SIGNUP_FORM_CLASS) and calls :meth:`signup` once the account
    exists.
    """

    field_order = [
        "display_name",
        "email",
        "password1",
        "password2",
        "time_zone",
    ]

    display_name = forms.CharField(
        label="Display name",
        help_text="How other people see you, e.g. 'Ada Lovelace'.",
        widget=forms.TextInput(
            attrs={"autocomplete": "name", "maxlength": "100"}
        ),
    )
    time_zone = TimeZoneField(
        help_text="Times are shown to you in this zone; you can change it "
        "later in Settings.",
    )

    def clean_display_name(self) -> str:
        value = self.cleaned_data["display_name"]
        return _one(
            "display_name",
            lambda: text.clean_line(
                value, field="display_name", max_length=100
            ),
        )

    def signup(self, request: "HttpRequest", user: User) -> None:
        # The profile write goes through the service like every other one;
        # imported here because forms otherwise sit below services.
        from practica.accounts import services

        services.profile_update(
            actor=user,
            person=user,
            display_name=self.cleaned_data["display_name"],
            time_zone=self.cleaned_data["time_zone"],
        )


def _text(label: str, help_text: str = "", **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        widget=forms.TextInput(
            attrs={"autocomplete": "name", "maxlength": "100"}
        ),
    )
    pronouns = _text(
        "Pronouns", "Optional, e.g. she/her, they/them.", maxlength="30"
    )
    department = forms.CharField(
        label="Department", required=False, widget=forms.Select
    )
    job_title = _text("Job title", maxlength="100")
    location = _text(
        "Location", "A city or office, e.g. 'Lisbon'.", maxlength="100"
    )
    time_zone = TimeZoneField(help_text="Times are shown to you in this zone.")
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        help_text="Who you are and what you work on. " + MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": "8"}),
    )
    available_to_help = forms.BooleanField(
        label="I am available to help others", required=False
    )
    help_note = _text(
        "How you can help",
        "Shown with your availability, e.g. 'Terraform reviews, Tuesday "
        "afternoons'.",
        maxlength="200",
    )

    def __init__(
        self, *args: Any, departments: Iterable[Department], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].widget.choices = [
            ("", "— none —"),
            *((d.slug, d.name) for d in departments),
        ]
        zone = self["time_zone"].value()
        cast(TimeZoneField, self.fields["time_zone"]).offer(str(zone or ""))

    @staticmethod
    def initial_for(person: User) -> dict[str, Any]:
        return {
            "display_name": person.display_name,
            "pronouns": person.pronouns,
            "department": person.department.slug if person.department else "",
            "job_title": person.job_title,
            "location": person.location,
            "time_zone": person.time_zone,
            "introduction": person.introduction,
            "available_to_help": person.available_to_help,
            "help_note": person.help_note,
        }


class ExpertiseForm(forms.Form):
    skill = forms.CharField(
        label="Skill",
        help_text="Pick one from the list or type a new one.",
        widget=forms.TextInput(
            attrs={"list": "skill-names", "maxlength": "80"}
        ),
    )
    level = forms.TypedChoiceField(
        label="Level",
        choices=Level.choices,
        coerce=int,
        initial=Level.COMPETENT,
        help_text="Novice follows rules; expert works from intuition.",
    )
    years = forms.IntegerField(
        label="Years of practice",
        initial=0,
        widget=forms.NumberInput(attrs={"min": "0", "max": "70"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="What the token is for, e.g. 'laptop script'.",
        widget=forms.TextInput(attrs={"maxlength": "80"}),
    )
    expires_at = forms.DateField(
        label="Expires after",
        required=False,
        help_text="Optional. The token stops working at the end of this "
        "day in your time zone; leave empty for no expiry.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, zone: str = "UTC", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean_expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_at")
        if day is None:
            return None
        try:
            tz = zoneinfo.ZoneInfo(self.zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = zoneinfo.ZoneInfo("UTC")
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label="Name or job title",
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    skill = forms.ChoiceField(label="Skill", required=False)
    department = forms.ChoiceField(label="Department", required=False)
    available = forms.BooleanField(label="Available to help", required=False)

    def __init__(
        self,
        *args: Any,
        skills: Iterable[Skill],
        departments: Iterable[Department],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        skill = cast(forms.ChoiceField, self.fields["skill"])
        dept = cast(forms.ChoiceField, self.fields["department"])
        skill.choices = [
            ("", "Any skill"),
            *((s.slug, s.name) for s in skills),
        ]
        dept.choices = [
            ("", "Any department"),
            *((d.slug, d.name) for d in departments),
        ]

    def filters(self) -> dict[str, Any]:
        """Keyword filters for accounts.selectors.people_list; a field
        that does not validate filters nothing (its error shows)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", "").strip()[:100],
            "skill": data.get("skill", ""),
            "department": data.get("department", ""),
            "available": bool(data.get("available")),
        }
