"""Forms for handing imported accounts over and asking for them; the
services check the values, these only carry them."""

from django import forms

from practica.transfer.services import NOTE_MAX


class HandOverForm(forms.Form):
    email = forms.CharField(
        label="Their email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text="The address the person reads now. They get a link to "
        "set a password; everything they wrote stays theirs.",
    )


class ClaimRequestForm(forms.Form):
    note = forms.CharField(
        label="How can a coordinator tell it is you?",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where you wrote as this person and what about; your "
        "old username. Coordinators read it.",
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the requester reads it)",
        max_length=NOTE_MAX,
        required=False,
    )
