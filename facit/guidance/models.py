"""Models of the guidance domain: documents, immutable versions, review rounds, comments and
the editor's answers.

"Every comment gets an answer before the next version is published" is enforced twice:

* the service layer (`facit.guidance.services`) refuses with a clear message, and
* the database refuses on its own, whoever writes to it. Four triggers (SQLite and
  PostgreSQL, see migration 0003) hold a chain of facts:
  1. a `ReviewRound` can only be *closed* (closed_at set) when every live comment of the round
     has an `Answer`;
  2. a `Publication` of version N can only be inserted when every review round on version N
     or an earlier version of the same document is closed;
  3. a `Comment` can only be inserted into an open round (so a closed round stays fully
     answered; answers are never deleted by the application);
  4. a `Version`'s text and number cannot be updated (versions are immutable).
  Together: the next version cannot become public while a comment is unanswered. A plain
  CHECK constraint cannot see other tables, which is why triggers carry the rule.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from facit.core.models import TimeStampedModel, VersionedModel


class ImmutableError(Exception):
    """A published text is never edited in place: make a new version instead."""


class DocumentQuerySet(models.QuerySet["Document"]):
    def published(self) -> DocumentQuerySet:
        return self.filter(versions__publication__isnull=False).distinct()


class Document(VersionedModel):
    """`version` counts saves of the document's text: a stale editor form gets a conflict."""

    class Kind(models.TextChoices):
        GUIDELINE = "guideline", _("Guideline")
        MATERIAL = "material", _("Material")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def published_version(self) -> Version | None:
        return self.versions.filter(publication__isnull=False).order_by("-number").first()

    def latest_version(self) -> Version | None:
        return self.versions.order_by("-number").first()


class Version(models.Model):
    """One immutable text of a document (Markdown source plus its sanitised rendering)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    markdown = models.TextField()
    html = models.TextField()
    sections = models.JSONField(default=list)  # [{"anchor", "title", "level"}]
    lang = models.CharField(max_length=2, default="sv")
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="guidance_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("A version is never changed; create a new one.")
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return hasattr(self, "publication")

    def section_title(self, anchor: str) -> str:
        return next((s["title"] for s in self.sections if s["anchor"] == anchor), anchor)


class TermFinding(models.Model):
    """A term to avoid found in a version (stored, so editors see them without re-running)."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="findings")
    term = models.CharField(max_length=200)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    severity = models.CharField(max_length=20)
    prefer = models.JSONField(default=list)
    why = models.TextField(blank=True)
    entry_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["version", "start"]

    def __str__(self) -> str:
        return f"finding #{self.pk}"


class Publication(models.Model):
    """The act of making a version public. Guarded by a trigger (see module docstring)."""

    version = models.OneToOneField(Version, on_delete=models.PROTECT, related_name="publication")
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A material published without a panel round says why, on its public page.
    no_round_reason = models.TextField(_("why without a panel round"), blank=True)

    def __str__(self) -> str:
        return f"publication #{self.pk}"


class ReviewRoundQuerySet(models.QuerySet["ReviewRound"]):
    def open(self) -> ReviewRoundQuerySet:
        return self.filter(closed_at__isnull=True)


class ReviewRound(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="rounds")
    deadline = models.DateField(_("deadline"))
    content_warning = models.TextField(_("content warning"), blank=True)
    questions = models.TextField(_("questions to the panel"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"round {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def title(self) -> str:
        return f"{self.version.document.title} ({_('version')} {self.version.number})"


class Invitation(models.Model):
    """A member asked to review in a round; they may decline without giving a reason."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey("panel.Member", on_delete=models.CASCADE, related_name="invitations")
    invited_at = models.DateTimeField(auto_now_add=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    # The member read the questions and content warning and said yes.
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Closed by the member's consent withdrawal, pause or leaving: no more comments.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="guidance_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"invitation #{self.pk}"


class Credit(models.TextChoices):
    PSEUDONYM = "pseudonym", _("By my pseudonym")
    ANONYMOUS = "anonymous", _("Anonymously")


class Comment(models.Model):
    """A member's comment on one section of a version under review."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="comments")
    member = models.ForeignKey(
        "panel.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    anchor = models.CharField(_("section"), max_length=200)
    quote = models.TextField(_("the passage"), blank=True)
    body = models.TextField(_("comment"))
    credit = models.CharField(
        _("credit"), max_length=10, choices=Credit.choices, default=Credit.ANONYMOUS
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Tombstone: set when the member took their words with them; body is then empty.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | Q(body=""),
                name="guidance_comment_tombstone_empty",
            )
        ]

    def __str__(self) -> str:
        return f"comment {self.pk}"


class Answer(models.Model):
    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        DECLINED = "declined", _("Declined")

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="answer")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    change_version = models.ForeignKey(
        Version,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("version with the change"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now_add=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="guidance_answer_has_reason")
        ]

    def __str__(self) -> str:
        return f"answer #{self.pk}"
