"""Validate many fields at once so a person sees every mistake together."""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError


def clean_all(checks: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run every check; return the cleaned values by name, or raise one
    ValidationError holding every field's messages."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, check in checks.items():
        try:
            cleaned[name] = check()
        except ValidationError as exc:
            for key, msgs in exc.message_dict.items():
                errors.setdefault(key, []).extend(msgs)
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_fields(
    fields: Mapping[str, Any], cleaners: Mapping[str, Callable[[Any], Any]]
) -> dict[str, Any]:
    """Clean those ``fields`` that have a cleaner (all errors at once)."""

    def check(clean: Callable[[Any], Any], value: Any) -> Callable[[], Any]:
        return lambda: clean(value)

    return clean_all(
        {
            name: check(clean, fields[name])
            for name, clean in cleaners.items()
            if name in fields
        }
    )


def apply(
    obj: Any,
    fields: Mapping[str, Any],
    cleaners: Mapping[str, Callable[[Any], Any]],
) -> None:
    """Clean the given ``fields`` that have a cleaner and set them on
    ``obj``; nothing is set when any of them is wrong."""
    for name, value in clean_fields(fields, cleaners).items():
        setattr(obj, name, value)


def choice(value: Any, choices: Any, field: str) -> str:
    """``value`` if it is one of the TextChoices ``choices``, else a
    refusal naming ``field`` and the choices."""
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValidationError(
            {
                field: f"'{value}' is not a valid {field.replace('_', ' ')}: "
                f"use one of {allowed}."
            }
        )
    return str(value)
