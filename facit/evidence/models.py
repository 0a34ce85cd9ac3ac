"""The evidence registry: interventions, their evaluations, outcomes and appraisals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from facit.core.models import TimeStampedModel, VersionedModel
from facit.evidence.citations import (
    author_names,
    authors_shown,
    title_is_description,
    title_text,
)


class DataOrigin(models.TextChoices):
    VERIFIED = "verified", _("Verified data file")
    DEMO = "demo", _("Invented demonstration data")
    ENTERED = "entered", _("Entered by the evidence team")


class Term(models.Model):
    """One entry of a controlled vocabulary (focus, target group, setting, design, ...)."""

    vocabulary = models.CharField(max_length=30, db_index=True)
    code = models.SlugField(max_length=80)
    label_en = models.CharField(max_length=200)
    label_sv = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["vocabulary", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_sv if (get_language() or "sv").startswith("sv") else self.label_en


class InterventionQuerySet(models.QuerySet["Intervention"]):
    def published(self) -> InterventionQuerySet:
        return self.filter(is_published=True)

    def with_terms(self) -> InterventionQuerySet:
        return self.prefetch_related("focus", "target_groups", "settings", "countries")

    def search(self, query: str) -> InterventionQuerySet:
        if not query:
            return self
        return self.filter(Q(name__icontains=query) | Q(description__icontains=query))


class Intervention(VersionedModel):
    """A method, programme or service model that aims to prevent or respond to exploitation."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    focus = models.ManyToManyField(Term, related_name="+", blank=True, verbose_name=_("focus"))
    target_groups = models.ManyToManyField(
        Term, related_name="+", blank=True, verbose_name=_("target groups")
    )
    settings = models.ManyToManyField(
        Term, related_name="+", blank=True, verbose_name=_("settings")
    )
    countries = models.ManyToManyField(
        Term, related_name="+", blank=True, verbose_name=_("countries")
    )
    prevention_level = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prevention level"),
    )
    setting_text = models.CharField(_("setting as described"), max_length=300, blank=True)
    country_text = models.CharField(_("country of origin as described"), max_length=300, blank=True)
    age_min = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=300, blank=True)
    manual_available = models.BooleanField(_("manual available"), null=True, blank=True)
    cost_note = models.CharField(_("cost"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    origin = models.CharField(max_length=10, choices=DataOrigin.choices, default=DataOrigin.ENTERED)
    is_published = models.BooleanField(_("published"), default=True)

    # Computed by evidence.registry.services.intervention_recompute from the rules in evidence.levels.
    evaluation_count = models.PositiveIntegerField(default=0, editable=False)
    evidence_level = models.PositiveSmallIntegerField(default=7, editable=False, db_index=True)
    level_reasons = models.JSONField(default=list, editable=False)
    level_flags = models.JSONField(default=list, editable=False)
    level_rules_version = models.CharField(max_length=20, blank=True, editable=False)
    # Denormalised for the gap statements, kept in step by intervention_recompute.
    has_controlled_evaluation = models.BooleanField(default=False, editable=False)
    has_independent_evaluation = models.BooleanField(default=False, editable=False)
    # True while the level rests on an extraction no reviewer pair has confirmed yet.
    level_provisional = models.BooleanField(default=False, editable=False)
    # Evaluations that report a result, registry records/protocols still without one, and
    # reviews or other evidence not specific to this intervention (shown, never counted).
    results_count = models.PositiveIntegerField(default=0, editable=False)
    planned_count = models.PositiveIntegerField(default=0, editable=False)
    related_count = models.PositiveIntegerField(default=0, editable=False)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return self.name


class ClearinghouseRating(models.Model):
    """A rating another clearinghouse gave, shown beside facit's own level (never merged)."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="clearinghouse_ratings"
    )
    clearinghouse = models.CharField(max_length=200)
    rating = models.CharField(max_length=200)
    date = models.CharField(max_length=40, blank=True)
    source = models.URLField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.clearinghouse}: {self.rating}"


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def published(self) -> EvaluationQuerySet:
        return self.filter(is_published=True)

    def controlled(self) -> EvaluationQuerySet:
        return self.filter(design__code__in=["rct", "quasi-experimental"])


class Evaluation(VersionedModel):
    """One evaluation (study or report) of an intervention, with its citation and sources."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="evaluations"
    )
    # Citation
    authors = models.TextField(_("authors"), blank=True)
    year = models.CharField(_("year"), max_length=20, blank=True)
    title = models.TextField(_("title"))
    journal = models.CharField(_("journal or publisher"), max_length=300, blank=True)
    volume_issue_pages = models.CharField(_("volume, issue, pages"), max_length=100, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, db_index=True)
    report_number = models.CharField(_("report or registry number"), max_length=100, blank=True)
    # Study
    design = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="+", verbose_name=_("design")
    )
    design_detail = models.TextField(_("design details"), blank=True)
    sample_size_text = models.CharField(_("sample as reported"), max_length=300, blank=True)
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    sample_key = models.CharField(
        _("sample"),
        max_length=100,
        blank=True,
        help_text=_(
            "Evaluations of the same participants share this key; leave empty when the sample is independent."
        ),
    )
    follow_up_months = models.PositiveSmallIntegerField(
        _("longest follow-up (months)"), null=True, blank=True
    )
    country = models.CharField(_("country"), max_length=200, blank=True)
    independent = models.BooleanField(
        _("independent of the developer"),
        null=True,
        blank=True,
        help_text=_("Leave unknown when the source does not say."),
    )
    main_outcome = models.TextField(_("main outcome"), blank=True)
    result_as_stated = models.TextField(_("result as stated by the source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    origin = models.CharField(max_length=10, choices=DataOrigin.choices, default=DataOrigin.ENTERED)
    # Identifies an evaluation loaded from a data file, so loading again updates it in place
    # (keeping its outcomes and appraisals) instead of replacing it.
    seed_key = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    # A draft (e.g. made from a literature review's included study) is invisible on the
    # public pages, the API and the map, and counts towards no level, until an editor
    # publishes it.
    is_published = models.BooleanField(_("published"), default=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["intervention", "year", "id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        names = author_names(self.authors)
        title = self.title_shown
        return f"{names.split(',')[0] if names else self.journal} {self.year}: {title[:60]}"

    @property
    def title_shown(self) -> str:
        """The title, or the extractor's description of the study in square brackets."""
        return title_text(self.title)

    @property
    def title_is_description(self) -> bool:
        return title_is_description(self.title)

    @property
    def citation(self) -> str:
        """The reference in the page's language; with no author known, the title leads."""
        authors, year = authors_shown(self.authors), f"({self.year})" if self.year else ""
        title = self.title_shown
        parts = [authors, year, title] if authors else [title, year]
        parts += [self.journal, self.volume_issue_pages]
        text = ". ".join(p.strip(". ") for p in parts if p)
        if self.doi:
            text += f". doi:{self.doi}"
        if self.report_number:
            text += f". {self.report_number}"
        return text


class Direction(models.TextChoices):
    FAVOURABLE = "favourable", _("favourable")
    NO_EFFECT = "no_effect", _("no effect")
    HARMFUL = "harmful", _("harmful")
    MIXED = "mixed", _("mixed")


class Provenance(models.TextChoices):
    """Where an outcome's values come from; shown beside every level computed from them."""

    PROVISIONAL = "provisional", _("provisional: one extractor, from the stated result")
    CONFIRMED = "confirmed", _("confirmed by two reviewers")
    ENTERED = "entered", _("entered by the evidence team")


# The measure recorded for a result whose source names no measure (an evaluation without a
# main outcome): stored as it is, shown in the page's language (Outcome.measure_shown).
UNNAMED_MEASURE = "main outcome"


class Outcome(TimeStampedModel):
    """A measured result of an evaluation, with the reported statistics and the effect size."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="outcomes")
    measure = models.CharField(_("outcome measure"), max_length=300)
    direction = models.CharField(_("direction of effect"), max_length=12, choices=Direction.choices)
    timepoint_months = models.PositiveSmallIntegerField(
        _("time after the intervention (months)"), null=True, blank=True
    )
    effect_measure = models.CharField(_("effect measure"), max_length=8, blank=True)
    reported: models.JSONField[Any, Any] = models.JSONField(
        _("reported statistics"), default=dict, blank=True
    )
    yi = models.FloatField(_("effect size"), null=True, blank=True)
    vi = models.FloatField(_("sampling variance"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Added for synthesis: which outcomes may be pooled, and how many took part.
    comparison_key = models.CharField(
        _("comparable outcome"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_(
            "Give outcomes of the same construct, measured the same way, the same name here; "
            "outcomes with the same name and effect measure may be pooled."
        ),
    )
    n_total = models.PositiveIntegerField(_("participants analysed"), null=True, blank=True)
    effect_notes: models.JSONField[Any, Any] = models.JSONField(
        _("notes on the effect size"), default=list, blank=True, editable=False
    )
    provenance = models.CharField(
        _("provenance"), max_length=12, choices=Provenance.choices, default=Provenance.ENTERED
    )
    outcome_domain = models.CharField(
        _("outcome domain"), max_length=40, default="unclassified", db_index=True
    )
    evidence_quote = models.TextField(_("quote behind the direction"), blank=True)

    class Meta:
        ordering = ["evaluation", "measure", "timepoint_months"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(vi__isnull=True) | Q(vi__gt=0), name="outcome_vi_positive"
            )
        ]

    def __str__(self) -> str:
        return self.measure

    @property
    def measure_shown(self) -> str:
        if self.measure == UNNAMED_MEASURE:
            return str(_("main outcome (the source names no measure)"))
        return self.measure


class RiskOfBias(models.TextChoices):
    LOW = "low", _("low")
    MODERATE = "moderate", _("moderate")
    HIGH = "high", _("high")


ROB_DOMAINS: list[tuple[str, Any]] = [
    ("confounding_randomisation", _("Randomisation or confounding")),
    ("selection", _("Selection of participants")),
    ("deviations", _("Deviations from the intended intervention")),
    ("missing_data", _("Missing outcome data")),
    ("measurement", _("Measurement of outcomes")),
    ("reporting", _("Selection of the reported result")),
]


class Appraisal(VersionedModel):
    """Risk of bias for one evaluation: by two appraisers independently, then a consensus."""

    class Role(models.TextChoices):
        APPRAISER = "appraiser", _("Appraiser")
        CONSENSUS = "consensus", _("Consensus")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="appraisals")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.APPRAISER)
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    design_confirmed = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("design as appraised"),
    )
    domains = models.JSONField(_("risk of bias by domain"), default=dict, blank=True)
    overall = models.CharField(_("overall risk of bias"), max_length=10, choices=RiskOfBias.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["evaluation", "role", "id"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "appraiser"],
                condition=Q(role="appraiser"),
                name="appraisal_one_per_appraiser",
            ),
            models.UniqueConstraint(
                fields=["evaluation"], condition=Q(role="consensus"), name="appraisal_one_consensus"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.get_overall_display()}"


class Extraction(VersionedModel):
    """What one reader took from an evaluation: its design class, direction and the quote
    behind it. The provisional row comes from the data file (one extractor); two reviewers
    extract blinded from each other, and their consensus confirms the evaluation."""

    class Role(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional (one extractor)")
        EXTRACTOR = "extractor", _("Reviewer")
        CONSENSUS = "consensus", _("Consensus")

    class Relevance(models.TextChoices):
        OWN = "own", _("evaluates this intervention")
        RELATED = "related", _("related evidence, not specific to this intervention")
        PLANNED = "planned", _("evaluation planned, no results yet")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="extractions")
    role = models.CharField(max_length=12, choices=Role.choices)
    extractor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    provenance = models.CharField(_("provenance"), max_length=200, blank=True)
    design_class = models.CharField(_("design"), max_length=30)
    controlled = models.BooleanField(_("controlled"), null=True, blank=True)
    relevance = models.CharField(
        _("counts as"), max_length=10, choices=Relevance.choices, default=Relevance.OWN
    )
    direction = models.CharField(_("direction of effect"), max_length=14)
    sustained_months = models.FloatField(_("longest follow-up (months)"), null=True, blank=True)
    followup_quote = models.TextField(_("quote behind the follow-up"), blank=True)
    evidence_quote = models.TextField(_("quote behind the direction"), blank=True)
    evidence_quote_field = models.CharField(max_length=40, blank=True)
    confidence = models.CharField(_("confidence"), max_length=10, blank=True)
    note = models.TextField(_("note"), blank=True)
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    outcome_domain = models.CharField(_("outcome domain"), max_length=40, default="unclassified")
    measure = models.CharField(_("outcome measure"), max_length=300, blank=True)
    timepoint_months = models.PositiveSmallIntegerField(
        _("time after the intervention (months)"), null=True, blank=True
    )
    effect_measure = models.CharField(_("effect measure"), max_length=8, blank=True)
    reported: models.JSONField[Any, Any] = models.JSONField(
        _("reported statistics"), default=dict, blank=True
    )
    rob_domains = models.JSONField(_("risk of bias by domain"), default=dict, blank=True)
    rob_overall = models.CharField(_("overall risk of bias"), max_length=10, blank=True)
    second_pass = models.JSONField(default=dict, blank=True)
    # The provisional entry this reviewer started from, and whether they accepted it as it was.
    started_from_provisional = models.BooleanField(default=False)

    class Meta:
        ordering = ["evaluation", "role", "id"]
        verbose_name = _("extraction")
        verbose_name_plural = _("extractions")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=Q(role="provisional"),
                name="extraction_one_provisional",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "extractor"],
                condition=Q(role="extractor"),
                name="extraction_one_per_reviewer",
            ),
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=Q(role="consensus"),
                name="extraction_one_consensus",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.direction}"


class EvidenceRevision(models.Model):
    """One row: the revision of the evidence data, bumped inside every transaction that
    writes it (facit.evidence.revision). Caches of computed views over the data (the map)
    key on it, so every process sees a write on its next read."""

    value = models.BigIntegerField(default=0)
    # A fresh random token per bump: a bump that is rolled back and the next one that
    # commits share a value but never a token, so nothing cached under the first is reused.
    token = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = _("evidence revision")

    def __str__(self) -> str:
        return f"{self.value}"
