"""API schemas for claiming imported accounts: explicit fields."""

from datetime import datetime

from ninja import Field, Schema

from practica.accounts.schemas import PersonRefOut
from practica.transfer.models import ClaimState


class HandOverIn(Schema):
    email: str = Field(
        description="The address the person reads; an invitation with a "
        "one-time link to set a password goes there."
    )


class HandOverOut(Schema):
    """An imported account handed to an address, waiting for its owner."""

    id: int
    name: str
    email: str


class ClaimRequestIn(Schema):
    note: str = Field(
        description="How a coordinator can tell the account is yours "
        "(at most 500 characters)."
    )


class DeclineIn(Schema):
    reason: str = Field("", description="Why, for the requester to read.")


class ClaimRequestOut(Schema):
    """Someone saying an imported account is theirs."""

    id: int
    account: PersonRefOut
    requester: PersonRefOut
    note: str
    state: ClaimState
    reason: str
    created_at: datetime
    decided_at: datetime | None


class ClaimRequestRowOut(ClaimRequestOut):
    requester_has_content: bool = Field(
        description="True when the requester's own account holds content: "
        "approving is then refused (accounts are not merged); hand the "
        "imported account to another of their addresses instead."
    )
