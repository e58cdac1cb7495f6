"""What the importers have brought in, so that a second run skips it."""

from django.conf import settings
from django.db import models


class ImportKey(models.Model):
    """One imported record: its id in the source, the row it became.

    ``source`` names the dump (``stackexchange:bicycles-meta``,
    ``discourse:forum``), ``kind`` the record type in it (user,
    question, answer, comment, revision, tag, ...). A row is written in
    the same transaction as what it points to, so a run killed midway
    leaves either both or neither, and the next run skips exactly what
    is already there. The mapping outlives later changes to the target
    (a claimed account keeps its key although its email changed).
    """

    source = models.CharField(max_length=80)
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=80)
    target_id = models.PositiveBigIntegerField()
    # A reference that could not be resolved yet (a question's accepted
    # answer, read after it); settled when the import finishes.
    pending = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "key"], name="import_key_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["source", "kind", "target_id"], name="import_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.key} → {self.target_id}"


class ClaimState(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class ClaimRequest(models.Model):
    """A signed-in person saying "this imported account is me".

    Staff or a coordinator of a community the account is in decides.
    Approving hands the imported account to the requester's address when
    the requester's own account holds nothing (see
    ``services.claim_request_approve``); nothing is ever merged.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(max_length=500)
    state = models.CharField(
        max_length=10, choices=ClaimState.choices, default=ClaimState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "requester"],
                condition=models.Q(state="pending"),
                name="claim_request_pending_once",
            )
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="claim_state"),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} claims {self.account_id} ({self.state})"
