"""Reads for the start page: key figures, what changed lately, and one search across kinds.

Everything here is computed from the data on each request (the counts are cheap aggregate
queries), so the start page never says something the registry does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from facit.directory.models import Barnahus, Municipality, Service
from facit.directory.search import SearchParams, filtered_services
from facit.directory.textsearch import stems
from facit.evidence.models import Evaluation, Intervention, Outcome
from facit.guidance.models import Answer, Document, Publication, Version

SEARCH_LIMIT = 10
RECENT_LIMIT = 8


@dataclass(frozen=True)
class KeyFigures:
    interventions: int
    evaluations: int
    evaluations_with_results: int
    evaluated_interventions: int
    evaluated_once: int
    services: int
    guidelines: int
    barnahus: int
    municipalities: int
    municipalities_with_barnahus: int

    @property
    def evaluated_once_percent(self) -> int:
        if not self.evaluated_interventions:
            return 0
        return round(100 * self.evaluated_once / self.evaluated_interventions)


def key_figures() -> KeyFigures:
    published = Intervention.objects.published()
    totals = published.aggregate(
        total=Count("id"),
        evaluated=Count("id", filter=Q(evaluation_count__gt=0)),
        once=Count("id", filter=Q(evaluation_count=1)),
    )
    evaluations = Evaluation.objects.filter(intervention__in=published)
    with_results = evaluations.filter(Exists(Outcome.objects.filter(evaluation=OuterRef("pk"))))
    return KeyFigures(
        interventions=totals["total"],
        evaluations=evaluations.count(),
        evaluations_with_results=with_results.count(),
        evaluated_interventions=totals["evaluated"],
        evaluated_once=totals["once"],
        services=Service.objects.published().count(),
        guidelines=Document.objects.published().count(),
        barnahus=Barnahus.objects.count(),
        municipalities=Municipality.objects.count(),
        municipalities_with_barnahus=Municipality.objects.filter(barnahus__isnull=False)
        .distinct()
        .count(),
    )


@dataclass(frozen=True)
class Change:
    when: datetime
    kind: str  # a translated word: what sort of change this is
    title: str
    url: str


def recent_changes(limit: int = RECENT_LIMIT) -> list[Change]:
    """Newest evidence, published guideline versions and answered panel comments, merged."""
    changes: list[Change] = []
    outcomes = (
        Outcome.objects.filter(evaluation__intervention__is_published=True)
        .select_related("evaluation__intervention")
        .order_by("-created_at")[:limit]
    )
    for outcome in outcomes:
        intervention = outcome.evaluation.intervention
        changes.append(
            Change(
                when=outcome.created_at,
                kind=_("New evidence"),
                title=intervention.name,
                url=reverse("evidence:intervention_detail", args=[intervention.slug]),
            )
        )
    publications = Publication.objects.select_related("version__document").order_by(
        "-published_at"
    )[:limit]
    for publication in publications:
        version = publication.version
        changes.append(
            Change(
                when=publication.published_at,
                kind=_("New guideline version"),
                title=f"{version.document.title} ({_('version')} {version.number})",
                url=reverse("guidance:document_detail", args=[version.document_id]),
            )
        )
    answers = (
        Answer.objects.filter(
            comment__round__version__document__in=Document.objects.published().values("pk")
        )
        .select_related("comment__round__version__document")
        .order_by("-answered_at")[:limit]
    )
    for answer in answers:
        document = answer.comment.round.version.document
        changes.append(
            Change(
                when=answer.answered_at,
                kind=_("Panel comment answered"),
                title=document.title,
                url=reverse("guidance:panel_changes", args=[document.pk]),
            )
        )
    changes.sort(key=lambda c: c.when, reverse=True)
    return _one_per_title(changes)[:limit]


def _one_per_title(changes: list[Change]) -> list[Change]:
    """Ten outcomes of one study are one piece of news, not ten."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for change in changes:
        key = (change.kind, change.title)
        if key not in seen:
            seen.add(key)
            kept.append(change)
    return kept


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    summary: str


@dataclass
class SearchResults:
    query: str
    interventions: list[Hit] = field(default_factory=list)
    services: list[Hit] = field(default_factory=list)
    guidelines: list[Hit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.interventions) + len(self.services) + len(self.guidelines)


def _words_filter[M: (Intervention, Version)](
    qs: QuerySet[M], query: str, fields: list[str]
) -> QuerySet[M]:
    """Full text in the database's Swedish configuration on PostgreSQL; on SQLite every
    Swedish stem of the query must occur in one of the fields (stems match inflections)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config="swedish")
        return qs.annotate(fts=vector).filter(fts=SearchQuery(query, config="swedish"))
    for stem in stems(query):
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": stem})
        qs = qs.filter(match)
    return qs


def _summary(text: str, length: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + " …"


def site_search(query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    results = SearchResults(query=query.strip())
    if not results.query or not stems(results.query):
        return results
    interventions = _words_filter(
        Intervention.objects.published(), results.query, ["name", "description"]
    )
    results.interventions = [
        Hit(i.name, reverse("evidence:intervention_detail", args=[i.slug]), _summary(i.description))
        for i in interventions.order_by("name").distinct()[:limit]
    ]
    services = filtered_services(SearchParams(q=results.query))
    results.services = [
        Hit(s.name, reverse("directory:service_detail", args=[s.pk]), _summary(s.description))
        for s in services.order_by("name").distinct()[:limit]
    ]
    # Only published versions are searched: a draft's words must not show through.
    versions = _words_filter(
        Version.objects.filter(publication__isnull=False),
        results.query,
        ["document__title", "markdown"],
    )
    documents = Document.objects.filter(pk__in=versions.values("document_id"))
    results.guidelines = [
        Hit(d.title, reverse("guidance:document_detail", args=[d.pk]), d.get_kind_display())
        for d in documents.order_by("title")[:limit]
    ]
    return results
