"""``practica claim_account PLACEHOLDER REAL``: hand an imported account
to its owner."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
)

from practica.accounts.models import User
from practica.transfer import services


class Command(BaseCommand):
    help = (
        "Give an imported (unclaimed) account its owner's real email "
        "address, e.g. se-bicycles-meta-21@unclaimed.invalid → "
        "ada@example.org. The person then sets a password with "
        "'Forgot your password?' on the sign-in page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "placeholder", help="The account's placeholder address."
        )
        parser.add_argument("email", help="The person's real address.")

    def handle(self, *args: Any, **options: Any) -> None:
        account = User.objects.filter(
            email=options["placeholder"].strip().lower()
        ).first()
        if account is None:
            raise CommandError(
                f"No account has the address {options['placeholder']}."
            )
        try:
            account = services.account_claim(
                actor=None, account=account, email=options["email"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{account.name} now signs in as {account.email}: an "
            "invitation to set a password goes there (the worker sends it)."
        )
