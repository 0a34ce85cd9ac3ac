"""The one registry of the map's axes: key, label (sv/en through the catalogue), where its
values come from, the SQL and ORM expressions that reach them, and the vocabulary.

The page, the API, the exports and the SVG all read axes from here; adding an axis means
adding one `Axis` to `REGISTRY` (and its name to the API's `Axis` literal, which must stay a
literal for the OpenAPI schema; a check at import time keeps the two equal).

Each axis yields (intervention id, value key[, evaluation id]) rows in SQL. The value key is a
`Term` id for vocabulary axes, the outcome-domain code for the outcome axis (outcomes and
extractions store the code, so no join is needed), and the intervention id for the
intervention axis.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from facit.evidence import vocabularies as vocab
from facit.evidence.models import Evaluation, Extraction, Intervention, Outcome, Term


@dataclass(frozen=True)
class AxisValue:
    """One row or column of the map: a vocabulary term, or an intervention."""

    pk: int | str
    code: str
    label: str
    position: int = 0


@dataclass(frozen=True)
class Axis:
    key: str
    label_text: Promise
    # Term vocabulary the values come from (None: the interventions themselves).
    vocabulary: str | None = None
    # Intervention many-to-many field holding the values.
    m2m: str = ""
    # ORM lookup, from Intervention, that filters on value codes (`...__in`).
    orm_lookup: str = ""
    # Values belong to evaluations (studies): a cell counts the studies carrying the value.
    per_study: bool = False
    # Show every value, even with no intervention (a fixed vocabulary: empty rows are gaps).
    show_empty: bool = True

    @property
    def label(self) -> str:
        return str(self.label_text)

    def sql(self) -> str:
        """SQL giving (iid, tid[, eid]) rows; tid is the value key."""
        if self.m2m:
            through = getattr(Intervention, self.m2m).through
            return f'SELECT intervention_id AS iid, term_id AS tid FROM "{through._meta.db_table}"'
        if self.key == "prevention_level":
            return (
                f'SELECT id AS iid, prevention_level_id AS tid FROM "{Intervention._meta.db_table}" '
                "WHERE prevention_level_id IS NOT NULL"
            )
        if self.key == "design":
            return (
                f'SELECT intervention_id AS iid, design_id AS tid, id AS eid FROM "{Evaluation._meta.db_table}" '
                "WHERE is_published = TRUE"
            )
        if self.key == "outcome_domain":
            return outcome_domain_sql()
        if self.key == "intervention":
            return f'SELECT id AS iid, id AS tid FROM "{Intervention._meta.db_table}"'
        raise UnknownAxis(self.key)

    def join(self, alias: str) -> tuple[str, str]:
        """A JOIN clause bringing this axis in as `alias`, and the column holding its key.

        Link tables are joined directly (not as derived tables) so the database can use
        their indexes."""
        if self.m2m:
            table = getattr(Intervention, self.m2m).through._meta.db_table
            return f'JOIN "{table}" {alias} ON {alias}.intervention_id = i.id', f"{alias}.term_id"
        if self.key == "prevention_level":
            return "", "i.prevention_level_id"
        if self.key == "intervention":
            return "", "i.id"
        return f"JOIN ({self.sql()}) {alias} ON {alias}.iid = i.id", f"{alias}.tid"

    def values(self) -> dict[int | str, AxisValue]:
        """Every value of the axis by its key."""
        if self.key == "intervention":
            return {
                pk: AxisValue(pk, slug, name)
                for pk, slug, name in Intervention.objects.published().values_list(
                    "pk", "slug", "name"
                )
            }
        by_code = self.key == "outcome_domain"
        return {
            (t.code if by_code else t.pk): AxisValue(
                t.code if by_code else t.pk, t.code, t.label, t.position
            )
            for t in Term.objects.filter(vocabulary=self.vocabulary)
        }

    def keys_for(self, codes: list[str]) -> list[int | str]:
        """The value keys of the given codes (unknown codes are dropped)."""
        if self.key == "outcome_domain":
            return list(codes)
        if self.key == "intervention":
            return list(Intervention.objects.filter(slug__in=codes).values_list("pk", flat=True))
        return list(
            Term.objects.filter(vocabulary=self.vocabulary, code__in=codes).values_list(
                "pk", flat=True
            )
        )


class UnknownAxis(ValueError):
    pass


def outcome_domain_sql() -> str:
    """(intervention, domain code, evaluation) for every published evaluation's own evidence:
    the reviewers' consensus extraction, else the provisional one, else its outcomes.

    The two branches are disjoint (the second takes only evaluations with neither kind of
    extraction), so UNION ALL is exact and spares the sort a UNION needs; callers count
    DISTINCT evaluations, so an evaluation with two outcomes in one domain counts once."""
    ev, ex, out = Evaluation._meta.db_table, Extraction._meta.db_table, Outcome._meta.db_table
    return (
        f'SELECT e.intervention_id AS iid, x.outcome_domain AS tid, e.id AS eid FROM "{ev}" e '
        f'JOIN "{ex}" x ON x.evaluation_id = e.id '
        f"WHERE e.is_published = TRUE AND x.relevance = 'own' AND (x.role = 'consensus' OR "
        f"(x.role = 'provisional' AND NOT EXISTS (SELECT 1 FROM \"{ex}\" c "
        f"WHERE c.evaluation_id = e.id AND c.role = 'consensus'))) "
        f'UNION ALL SELECT e.intervention_id, o.outcome_domain, e.id FROM "{ev}" e '
        f'JOIN "{out}" o ON o.evaluation_id = e.id '
        f'WHERE e.is_published = TRUE AND NOT EXISTS (SELECT 1 FROM "{ex}" y '
        f"WHERE y.evaluation_id = e.id AND y.role IN ('consensus', 'provisional'))"
    )


REGISTRY: dict[str, Axis] = {
    a.key: a
    for a in (
        Axis("focus", _("Focus"), vocab.FOCUS, m2m="focus", orm_lookup="focus__code__in"),
        Axis(
            "target_group",
            _("Target group"),
            vocab.TARGET_GROUP,
            m2m="target_groups",
            orm_lookup="target_groups__code__in",
        ),
        Axis(
            "setting", _("Setting"), vocab.SETTING, m2m="settings", orm_lookup="settings__code__in"
        ),
        Axis(
            "prevention_level",
            _("Prevention level"),
            vocab.PREVENTION_LEVEL,
            orm_lookup="prevention_level__code__in",
        ),
        Axis(
            "country",
            _("Country"),
            vocab.COUNTRY,
            m2m="countries",
            orm_lookup="countries__code__in",
            show_empty=False,
        ),
        Axis(
            "design",
            _("Study design"),
            vocab.DESIGN,
            orm_lookup="evaluations__design__code__in",
            per_study=True,
        ),
        Axis("intervention", _("Intervention"), orm_lookup="slug__in", show_empty=False),
        Axis(
            "outcome_domain",
            _("Outcome domain"),
            vocab.OUTCOME_DOMAIN,
            orm_lookup="evaluations__extractions__outcome_domain__in",
            per_study=True,
        ),
    )
}
AXES: tuple[str, ...] = tuple(REGISTRY)
STUDY_AXES = {key for key, a in REGISTRY.items() if a.per_study}
# Axes with thousands of values: the page and the API show them a page at a time.
PAGED_AXES = {"intervention"}
ROWS_PER_PAGE = 50


def axis(key: str) -> Axis:
    try:
        return REGISTRY[key]
    except KeyError as exc:
        raise UnknownAxis(key) from exc


def labels() -> dict[str, str]:
    """Axis names in the active language."""
    return {key: a.label for key, a in REGISTRY.items()}


def vocabulary_axes() -> dict[str, str]:
    """Term vocabulary -> axis key."""
    return {a.vocabulary: key for key, a in REGISTRY.items() if a.vocabulary}
