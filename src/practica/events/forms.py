"""Forms for the event pages. Recurrence is offered as plain choices
that build an RFC 5545 rule; the advanced field takes any rule."""

import re
from datetime import date, datetime, time
from typing import Any

from django import forms

from practica.accounts.models import User
from practica.core.forms import markdown_area
from practica.events.models import Kind, RsvpStatus

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
REPEAT = [
    ("none", "Does not repeat"),
    ("daily", "Every day"),
    ("weekdays", "Every weekday (Monday to Friday)"),
    ("weekly", "Every week on the same day"),
    ("biweekly", "Every two weeks on the same day"),
    ("monthly_day", "Every month on the same weekday (e.g. 2nd Tuesday)"),
    ("monthly_date", "Every month on the same date"),
    ("custom", "Custom rule (write it below)"),
]
COMMON_ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Warsaw",
    "Europe/Helsinki",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
]


def build_rule(
    repeat: str, start: date, *, until: date | None, count: int | None
) -> str:
    """The RRULE value for one of the friendly choices."""
    day = WEEKDAYS[start.weekday()]
    nth = (start.day - 1) // 7 + 1
    base = {
        "none": "",
        "daily": "FREQ=DAILY",
        "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "weekly": f"FREQ=WEEKLY;BYDAY={day}",
        "biweekly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
        "monthly_day": f"FREQ=MONTHLY;BYDAY={nth if nth < 5 else -1}{day}",
        "monthly_date": f"FREQ=MONTHLY;BYMONTHDAY={start.day}",
    }.get(repeat, "")
    if not base:
        return ""
    if until:
        base += f";UNTIL={until:%Y%m%d}"
    elif count:
        base += f";COUNT={count}"
    return base


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=Kind.choices)
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=markdown_area(5),
        required=False,
        help_text="Markdown. What it is about and who it is for.",
    )
    agenda = forms.CharField(
        widget=markdown_area(4),
        required=False,
        help_text="Markdown, such as a numbered list.",
    )
    start_date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label="Starts at", widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration = forms.IntegerField(
        label="Duration (minutes)", min_value=1, initial=60
    )
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        widget=forms.TextInput(attrs={"list": "zones"}),
        help_text="An IANA name such as Europe/Berlin; the time stays the "
        "same local time across daylight-saving changes.",
    )
    repeat = forms.ChoiceField(choices=REPEAT, initial="none")
    repeat_until = forms.DateField(
        label="Repeat until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to repeat without end (or give a count).",
    )
    repeat_count = forms.IntegerField(
        label="Or: number of times", required=False, min_value=1
    )
    rrule = forms.CharField(
        label="Advanced: recurrence rule (RFC 5545)",
        max_length=500,
        required=False,
        help_text="Used when Repeat is Custom, e.g. "
        "FREQ=MONTHLY;BYDAY=-1FR (the last Friday of each month).",
    )
    online_url = forms.CharField(
        label="Online link", max_length=500, required=False
    )
    location = forms.CharField(max_length=200, required=False)
    capacity = forms.IntegerField(
        required=False,
        min_value=1,
        help_text="Seats per occurrence; empty for no limit. When full, "
        "people join a wait list and get a seat when one frees up.",
    )
    reminders = forms.CharField(
        label="Reminders (minutes before)",
        max_length=60,
        required=False,
        initial="1440, 60",
        help_text="Email reminders to everyone going, e.g. 1440, 60 for a "
        "day and an hour before.",
    )
    hosts = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Hosts mark attendance and write the notes. You are a "
        "host when none is chosen.",
    )

    def __init__(self, *args: Any, members: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if members is not None:
            self.fields["hosts"].queryset = members  # type: ignore[attr-defined]

    def start(self) -> datetime:
        d = self.cleaned_data
        return datetime.combine(d["start_date"], d["start_time"] or time())

    def rule(self) -> str:
        d = self.cleaned_data
        if d["repeat"] == "custom":
            return str(d.get("rrule") or "")
        return build_rule(
            d["repeat"],
            d["start_date"],
            until=d.get("repeat_until"),
            count=d.get("repeat_count"),
        )

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "title": d["title"],
            "description": d["description"],
            "agenda": d["agenda"],
            "start": self.start(),
            "duration": d["duration"],
            "time_zone": d["time_zone"],
            "rrule": self.rule(),
            "online_url": d["online_url"],
            "location": d["location"],
            "capacity": d["capacity"],
            "reminders": d["reminders"] or None,
        }


# The service's field names → the form's, for errors beside the fields.
RENAME = {"start": "start_time", "end": "duration"}


class MoveForm(forms.Form):
    start_date = forms.DateField(
        label="New date", widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label="New time", widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.CharField(max_length=300, required=False)

    def start(self) -> datetime:
        d = self.cleaned_data
        return datetime.combine(d["start_date"], d["start_time"])


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        help_text="Shown to everyone who answered.",
    )


class RsvpForm(forms.Form):
    status = forms.ChoiceField(choices=RsvpStatus.choices)


class ProblemForm(forms.Form):
    title = forms.CharField(max_length=200, label="The problem in a line")
    body = forms.CharField(
        widget=markdown_area(4),
        required=False,
        label="Details",
        help_text="Markdown. What you tried, what you see.",
    )
    question = forms.CharField(
        required=False,
        max_length=300,
        label="Linked question (optional)",
        help_text="A question's number or its link, such as /q/42/.",
    )

    def question_id(self) -> int | None:
        raw = (self.cleaned_data.get("question") or "").strip()
        if not raw:
            return None
        found = re.search(r"(?:/q/)?(\d+)/?$", raw)
        if not found:
            self.add_error(
                "question", "Give the question's number or its /q/… link."
            )
            return None
        return int(found.group(1))


class NotesForm(forms.Form):
    what = forms.CharField(
        label="What? (what happened)",
        widget=markdown_area(4),
        required=False,
    )
    so_what = forms.CharField(
        label="So what? (what it means for our practice)",
        widget=markdown_area(4),
        required=False,
    )
    now_what = forms.CharField(
        label="Now what? (what we will do)",
        widget=markdown_area(4),
        required=False,
    )


def posted_actions(data: Any) -> list[dict[str, Any]]:
    """Action rows from the notes form (``action-N-text`` and so on)."""
    rows = []
    for n in range(40):
        text = data.get(f"action-{n}-text")
        if text is None:
            continue
        rows.append(
            {
                "text": text,
                "owner": data.get(f"action-{n}-owner") or None,
                "due": data.get(f"action-{n}-due") or None,
                "done": data.get(f"action-{n}-done") == "on",
            }
        )
    return rows
