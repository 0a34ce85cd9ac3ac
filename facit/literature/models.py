"""Models of the literature domain: reviews, their searches and imports, references,
duplicate candidates, dual screening decisions, resolutions and extraction links."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Mod
from django.utils.translation import gettext_lazy as _

from facit.core.models import TimeStampedModel, VersionedModel


class Stage(models.TextChoices):
    TITLE_ABSTRACT = "ta", _("Title and abstract")
    FULL_TEXT = "ft", _("Full text")


class Decision(models.TextChoices):
    INCLUDE = "include", _("Include")
    EXCLUDE = "exclude", _("Exclude")
    MAYBE = "maybe", _("Maybe")


class Outcome(models.TextChoices):
    """Where a reference stands at one stage, derived from the decisions made on it."""

    PENDING = "", _("Awaiting screening")
    INCLUDE = "include", _("Included")
    EXCLUDE = "exclude", _("Excluded")
    CONFLICT = "conflict", _("Conflict")


class Allocation(models.TextChoices):
    """How many reviewers screen each record (PRISMA and the exports state it)."""

    DUAL = "dual", _("Dual screening of every record")
    DUAL_SHARE = "dual_share", _("Dual screening of a random share, single screening of the rest")
    SINGLE = "single", _("Single screening")


class ReviewQuerySet(models.QuerySet["Review"]):
    def for_member(self, user: Any) -> ReviewQuerySet:
        return self.filter(members=user)


class Review(VersionedModel):
    """One systematic (living) review: its question, criteria and team."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    question = models.TextField(_("review question"))
    inclusion_criteria = models.TextField(_("inclusion criteria"), blank=True)
    exclusion_criteria = models.TextField(_("exclusion criteria"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="literature_reviews",
        blank=True,
        verbose_name=_("reviewers"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    allocation = models.CharField(
        _("allocation of records to reviewers"),
        max_length=12,
        choices=Allocation.choices,
        default=Allocation.DUAL,
    )
    dual_share = models.PositiveSmallIntegerField(
        _("share screened by two reviewers (percent)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("Only for dual screening of a random share; agreement (kappa) is reported."),
    )
    highlight_include = models.TextField(
        _("terms to highlight as signs of inclusion"),
        blank=True,
        help_text=_("One term or phrase per line; highlighted in titles and abstracts."),
    )
    highlight_exclude = models.TextField(
        _("terms to highlight as signs of exclusion"),
        blank=True,
        help_text=_("One term or phrase per line; highlighted in titles and abstracts."),
    )
    # Last ranking run and stopping aid (written by literature.screening.ranking_service only).
    ranking_state = models.JSONField(default=dict, blank=True, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("literature review")
        verbose_name_plural = _("literature reviews")

    def __str__(self) -> str:
        return self.title

    def is_dual(self, reference_id: int) -> bool:
        """Whether this record needs two independent decisions under the review's allocation.
        The random share is a fixed hash of the record id, so it is reproducible and the
        database can compute it too (see ReferenceQuerySet.with_required)."""
        if self.allocation == Allocation.DUAL:
            return True
        if self.allocation == Allocation.SINGLE:
            return False
        return (reference_id * SHARE_MULTIPLIER + self.pk) % 100 < self.dual_share

    @property
    def highlight_label_include(self) -> str:
        return str(_("term of the inclusion criteria"))

    @property
    def highlight_label_exclude(self) -> str:
        return str(_("term of the exclusion criteria"))

    def required_decisions(self, reference_id: int) -> int:
        return 2 if self.is_dual(reference_id) else 1

    def is_member(self, user: Any) -> bool:
        return self.members.filter(pk=user.pk).exists()


# A prime multiplier spreads consecutive ids evenly over the 100 buckets of the random share.
SHARE_MULTIPLIER = 7919


class ExclusionReason(models.Model):
    """A reason a reviewer may give for excluding; the list belongs to the review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reasons")
    label = models.CharField(_("reason"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    not_retrieved = models.BooleanField(
        _("means the full text could not be retrieved"),
        default=False,
        help_text=_("PRISMA counts these as reports not retrieved rather than excluded."),
    )

    class Meta:
        ordering = ["review", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "label"], name="reason_unique_label")
        ]

    def __str__(self) -> str:
        return self.label


class SearchLog(TimeStampedModel):
    """One search run in one database: what PRISMA reports as records identified."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="searches")
    database = models.CharField(_("database or source"), max_length=200)
    query = models.TextField(_("search query"))
    searched_on = models.DateField(_("date of search"))
    hits = models.PositiveIntegerField(_("number of hits"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["review", "searched_on", "id"]
        verbose_name = _("search")
        verbose_name_plural = _("search log")

    def __str__(self) -> str:
        return f"{self.database} {self.searched_on}"


class ImportBatch(TimeStampedModel):
    """One uploaded file. A failed import keeps this row (with its error) and no references."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        READING = "reading", _("Reading the file")
        STORING = "storing", _("Storing references")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="imports")
    search = models.ForeignKey(
        SearchLog,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
        verbose_name=_("search"),
    )
    source = models.CharField(_("database or source"), max_length=200, blank=True)
    filename = models.CharField(max_length=300, blank=True)
    fmt = models.CharField(_("format"), max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Kept only until the background import has read it.
    data = models.BinaryField(default=b"", editable=False)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    error = models.JSONField(default=dict, blank=True)
    # Records imported but flagged for the reviewer: [{line, record, reason}], capped.
    warnings = models.JSONField(default=list, blank=True)
    warning_count = models.PositiveIntegerField(default=0)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename or str(self.pk)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def source_label(self) -> str:
        if self.search is not None:
            return self.search.database
        return self.source or self.filename


class ReferenceQuerySet(models.QuerySet["Reference"]):
    def unique(self) -> ReferenceQuerySet:
        """References that are not a merged-away duplicate of another."""
        return self.filter(duplicate_of__isnull=True)

    def at_stage(self, stage: str) -> ReferenceQuerySet:
        qs = self.unique()
        if stage == Stage.FULL_TEXT:
            qs = qs.filter(ta_outcome=Outcome.INCLUDE)
        return qs

    def with_required(self, review: Review) -> ReferenceQuerySet:
        """Annotate `required`: the number of decisions each record needs (1 or 2)."""
        if review.allocation == Allocation.DUAL:
            return self.annotate(required=Value(2))
        if review.allocation == Allocation.SINGLE:
            return self.annotate(required=Value(1))
        bucket = Mod(F("id") * SHARE_MULTIPLIER + review.pk, 100)
        return self.alias(share_bucket=bucket).annotate(
            required=Case(When(share_bucket__lt=review.dual_share, then=Value(2)), default=Value(1))
        )

    def with_outcome(self, stage: str, outcome: str) -> ReferenceQuerySet:
        field = "ta_outcome" if stage == Stage.TITLE_ABSTRACT else "ft_outcome"
        return self.at_stage(stage).filter(**{field: outcome})


class Reference(TimeStampedModel):
    """A bibliographic record as imported. A duplicate keeps its own data and points to the
    reference it was merged into, so every source's data stays available."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="references")
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="references")
    title = models.TextField(_("title"))
    abstract = models.TextField(_("abstract"), blank=True)
    authors = models.JSONField(_("authors"), default=list, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    journal = models.CharField(_("journal"), max_length=500, blank=True)
    doi = models.CharField("DOI", max_length=300, blank=True, db_index=True)
    pmid = models.CharField("PMID", max_length=20, blank=True, db_index=True)
    keywords = models.JSONField(default=list, blank=True)
    source_line = models.PositiveIntegerField(default=0)
    raw = models.JSONField(default=dict, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    # Field values the merged duplicates disagreed on: {field: [value, ...]}.
    merge_conflicts = models.JSONField(default=dict, blank=True)
    ta_outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    ft_outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    ft_reason = models.ForeignKey(
        ExclusionReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    relevance = models.FloatField(null=True, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        indexes = [models.Index(fields=["review", "duplicate_of", "ta_outcome"])]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def authors_text(self) -> str:
        return "; ".join(self.authors)

    def outcome(self, stage: str) -> str:
        return self.ta_outcome if stage == Stage.TITLE_ABSTRACT else self.ft_outcome


class DuplicateCandidate(TimeStampedModel):
    """A pair that may be the same work; a person confirms (merge) or splits it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To check")
        MERGED = "merged", _("Merged")
        SPLIT = "split", _("Not duplicates")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="candidates")
    first = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="candidate_unique_pair")
        ]


class ScreeningDecision(TimeStampedModel):
    """One reviewer's independent decision on one reference at one stage."""

    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(max_length=2, choices=Stage.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.ForeignKey(
        ExclusionReason,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reason for exclusion"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "stage", "reviewer"], name="decision_one_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(decision="exclude") | Q(reason__isnull=True),
                name="decision_reason_only_when_excluding",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference_id} {self.stage} {self.decision}"


class Resolution(TimeStampedModel):
    """A third reviewer's decision on a conflict; it settles the stage's outcome."""

    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="resolutions")
    stage = models.CharField(max_length=2, choices=Stage.choices)
    resolver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=[
            (Decision.INCLUDE, Decision.INCLUDE.label),
            (Decision.EXCLUDE, Decision.EXCLUDE.label),
        ],
    )
    reason = models.ForeignKey(
        ExclusionReason,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reason for exclusion"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reference", "stage"], name="resolution_one_per_stage")
        ]


class Extraction(TimeStampedModel):
    """The link from an included reference to the evaluation it became in the registry."""

    reference = models.OneToOneField(Reference, on_delete=models.CASCADE, related_name="extraction")
    evaluation = models.ForeignKey(
        "evidence.Evaluation", on_delete=models.CASCADE, related_name="literature_extractions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


def _fulltext_path(instance: FullText, filename: str) -> str:
    # The name a person uploaded is kept in `filename`; the stored name says nothing.
    return f"literature/fulltext/review-{instance.reference.review_id}/{uuid.uuid4().hex}.pdf"


class FullText(TimeStampedModel):
    """The full-text PDF of a reference, for the full-text stage. Stored through Django's
    storage API outside the public static files and served only to the review's members."""

    reference = models.OneToOneField(Reference, on_delete=models.CASCADE, related_name="fulltext")
    file = models.FileField(upload_to=_fulltext_path, max_length=300)
    filename = models.CharField(max_length=300)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.filename
