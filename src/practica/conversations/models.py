"""Questions and discussions, their replies, comments, votes and history."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from practica.core.models import TimeStamped


class Kind(models.TextChoices):
    QUESTION = "question", "Question"
    DISCUSSION = "discussion", "Discussion"


class State(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    DUPLICATE = "duplicate", "Duplicate"


class Tag(models.Model):
    """A topic within one community; unapproved tags are proposals."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=40)
    slug = models.SlugField(max_length=40)
    description = models.CharField(max_length=300, blank=True)
    approved = models.BooleanField(default=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    skill = models.ForeignKey(
        "accounts.Skill",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tags",
        help_text="The area of practice this tag belongs to.",
    )
    use_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "slug"], name="tag_slug_per_community"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Conversation(TimeStamped):
    """A question (a problem to solve) or a discussion (an open topic)."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="conversations",
    )
    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.QUESTION
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    # Denormalised for lists: tag names in order, so a list row needs no
    # join to show them.
    tag_names = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.OPEN
    )
    state_reason = models.CharField(max_length=300, blank=True)
    locked = models.BooleanField(default=False)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    accepted_reply = models.ForeignKey(
        "Reply",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.IntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every write to the question or its replies; the cached
    # page fragment is keyed by it.
    version = models.PositiveIntegerField(default=1)
    # The thread's id in the corpus it was imported from (``practica
    # import_corpus``), so importing again skips it; empty otherwise.
    import_key = models.CharField(
        max_length=64, blank=True, default="", editable=False
    )

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "import_key"],
                condition=~Q(import_key=""),
                name="conv_import_key_per_community",
            )
        ]
        indexes = [
            models.Index(
                fields=["community", "-created_at", "-id"],
                name="conv_newest",
            ),
            models.Index(
                fields=["community", "-last_activity_at", "-id"],
                name="conv_active",
            ),
            models.Index(
                fields=["community", "-score", "-id"], name="conv_votes"
            ),
            # With "-id" last, the unanswered list walks this index in
            # its sort order (without, SQLite walked conv_newest over the
            # whole community).
            models.Index(
                fields=[
                    "community",
                    "kind",
                    "reply_count",
                    "-created_at",
                    "-id",
                ],
                name="conv_unanswered",
            ),
            # The lists across communities.
            models.Index(fields=["-score", "-id"], name="conv_votes_all"),
            models.Index(
                fields=["kind", "reply_count", "-created_at", "-id"],
                name="conv_unanswered_all",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_solved(self) -> bool:
        return self.accepted_reply_id is not None

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN and not self.locked


class Reply(TimeStamped):
    """An answer to a question, or a reply in a discussion."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    body = models.TextField()
    body_html = models.TextField()
    experience = models.CharField(
        max_length=300,
        blank=True,
        help_text="The practice this answer comes from.",
    )
    # Decided when written: did the author have recorded expertise in the
    # question's tags or a membership role above newcomer?
    from_practice = models.BooleanField(default=True)
    score = models.IntegerField(default=0)
    worked_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Fingerprint of author + body, for idempotent double submits.
    digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-score", "created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "-score", "created_at"]),
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["conversation", "digest"]),
        ]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"Reply {self.pk} to {self.conversation_id}"


class Comment(models.Model):
    """A short remark on a question or an answer."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="comments"
    )
    reply = models.ForeignKey(
        Reply,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.CharField(max_length=600)
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self) -> str:
        return self.body[:40]


class Vote(models.Model):
    """One person's vote on a question (up only) or an answer (±1)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    conversation = models.ForeignKey(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="votes",
    )
    reply = models.ForeignKey(
        Reply,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="votes",
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "conversation"],
                condition=Q(reply__isnull=True),
                name="vote_once_per_conversation",
            ),
            models.UniqueConstraint(
                fields=["user", "reply"],
                condition=Q(reply__isnull=False),
                name="vote_once_per_reply",
            ),
            models.CheckConstraint(
                condition=Q(value__in=[-1, 1]), name="vote_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d}"


class Worked(models.Model):
    """ "This also worked for me" on an answer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="worked"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reply"], name="worked_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} worked {self.reply_id}"


class Revision(models.Model):
    """One version of a question's or an answer's text."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="revisions"
    )
    reply = models.ForeignKey(
        Reply,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["conversation", "reply", "number"])]

    def __str__(self) -> str:
        return f"r{self.number}"


class LinkKind(models.TextChoices):
    LINKED = "linked", "Linked"
    DUPLICATE = "duplicate", "Duplicate"


class ConversationLink(models.Model):
    """One conversation points to another: a link (Stack Exchange's
    "Linked" questions) or the original it duplicates. Written by the
    importers; read both ways by ``conversations.selectors.linked``."""

    source = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="links_out"
    )
    target = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="links_in"
    )
    kind = models.CharField(
        max_length=12, choices=LinkKind.choices, default=LinkKind.LINKED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="conv_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class AskRequest(models.Model):
    """The asker asked someone directly (from "who to ask")."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="ask_requests"
    )
    asked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "asked"], name="ask_once"
            )
        ]

    def __str__(self) -> str:
        return f"ask {self.asked_id} on {self.conversation_id}"


class FlagState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class Flag(models.Model):
    """A member's report that a post needs a coordinator's attention."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="flags"
    )
    reply = models.ForeignKey(
        Reply,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=300)
    state = models.CharField(
        max_length=12, choices=FlagState.choices, default=FlagState.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return self.reason[:40]


class ListStamp(models.Model):
    """A number per community that changes with every change to what its
    conversation lists show: a conversation added, changed, moved or
    deleted (any column: its votes, answers, views, tags, state), its
    author renamed, or a tag of the community added, renamed, used or
    deleted (the list's filter). Written only by the database's own
    triggers (migrations 0005 and 0006), so that no write path, the
    admin's and bulk updates included, can forget it; a signed-out
    visitor's list is cached under it (selectors.list_head). No foreign
    key: a community's deletion may bump it while it goes."""

    community_id = models.BigIntegerField(primary_key=True)
    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.community_id}: {self.n}"
