"""Forms for the notification pages; the services validate again."""

from typing import Any

from django import forms

from practica.notifications.models import Frequency, Level, Reason

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
LEVEL_HELP = {
    Level.EVERYTHING: "Every new post and change shows in your inbox.",
    Level.REPLIES: "Only replies to you and @mentions of you.",
    Level.DIGEST: "Nothing in the inbox; it appears in your digest.",
    Level.MUTE: "Nothing at all, except @mentions and direct requests.",
}


class PreferenceForm(forms.Form):
    email_for = forms.MultipleChoiceField(
        label="Email me at once when",
        choices=Reason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Everything else waits in your inbox and your digest.",
    )
    digest = forms.ChoiceField(
        label="Digest",
        choices=Frequency.choices,
        help_text="One message with what you missed; none when there is "
        "nothing new.",
    )
    digest_hour = forms.TypedChoiceField(
        label="Send it at",
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        help_text="In your time zone.",
    )
    digest_weekday = forms.TypedChoiceField(
        label="Weekly on", coerce=int, choices=WEEKDAYS
    )
    quiet_start = forms.CharField(
        label="Quiet hours from",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="No email in these hours (your inbox still fills).",
    )
    quiet_end = forms.CharField(
        label="Quiet hours until",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    email = forms.CharField(
        label="Send notifications to",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Leave empty to use your account's address.",
    )

    def __init__(self, *args: Any, account_email: str = "", **kw: Any):
        super().__init__(*args, **kw)
        if account_email:
            self.fields["email"].widget.attrs["placeholder"] = account_email


class FollowForm(forms.Form):
    level = forms.ChoiceField(
        label="Watch",
        choices=Level.choices,
        widget=forms.RadioSelect,
        initial=Level.EVERYTHING,
        error_messages={
            "invalid_choice": "'%(value)s' is not a watch level: pick "
            "everything, replies, digest or mute.",
            "required": "Pick a watch level.",
        },
    )
