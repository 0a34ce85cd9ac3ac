"""The evidence & gap map: cells of two axes and the computed gap statements.

Read-only selectors. The cell aggregate is one SQL query over the intervention table and the
two axes' link tables, so it stays fast with thousands of interventions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from facit.evidence import levels
from facit.evidence import vocabularies as vocab
from facit.evidence.models import Evaluation, Extraction, Intervention, Outcome, Term

AXES = (
    "focus",
    "target_group",
    "setting",
    "prevention_level",
    "country",
    "design",
    "intervention",
    "outcome_domain",
)
# Axes whose values belong to evaluations (studies), not to interventions: a cell then
# counts the studies that carry the value, not all the studies of its interventions.
STUDY_AXES = {"design", "outcome_domain"}
_M2M_FIELD = {
    "focus": "focus",
    "target_group": "target_groups",
    "setting": "settings",
    "country": "countries",
}
_VOCABULARY = {
    "focus": vocab.FOCUS,
    "target_group": vocab.TARGET_GROUP,
    "setting": vocab.SETTING,
    "prevention_level": vocab.PREVENTION_LEVEL,
    "country": vocab.COUNTRY,
    "design": vocab.DESIGN,
    "outcome_domain": vocab.OUTCOME_DOMAIN,
}


@dataclass(frozen=True)
class AxisValue:
    """One row or column of the map: a vocabulary term, or an intervention."""

    pk: int
    code: str
    label: str
    position: int = 0


def _outcome_domain_sql() -> str:
    """(intervention, domain term, evaluation) for every published evaluation's own evidence:
    the reviewers' consensus extraction, else the provisional one, else its outcomes."""
    ev, ex = Evaluation._meta.db_table, Extraction._meta.db_table
    term, out = Term._meta.db_table, Outcome._meta.db_table
    return (
        f'SELECT e.intervention_id AS iid, t.id AS tid, e.id AS eid FROM "{ev}" e '
        f'JOIN "{ex}" x ON x.evaluation_id = e.id '
        f"JOIN \"{term}\" t ON t.vocabulary = '{vocab.OUTCOME_DOMAIN}' AND t.code = x.outcome_domain "
        f"WHERE e.is_published = TRUE AND x.relevance = 'own' AND (x.role = 'consensus' OR "
        f"(x.role = 'provisional' AND NOT EXISTS (SELECT 1 FROM \"{ex}\" c "
        f"WHERE c.evaluation_id = e.id AND c.role = 'consensus'))) "
        f'UNION SELECT e.intervention_id, t.id, e.id FROM "{ev}" e '
        f'JOIN "{out}" o ON o.evaluation_id = e.id '
        f"JOIN \"{term}\" t ON t.vocabulary = '{vocab.OUTCOME_DOMAIN}' AND t.code = o.outcome_domain "
        f'WHERE e.is_published = TRUE AND NOT EXISTS (SELECT 1 FROM "{ex}" y '
        f"WHERE y.evaluation_id = e.id AND y.role IN ('consensus', 'provisional'))"
    )


class UnknownAxis(ValueError):
    pass


def _axis_sql(axis: str) -> str:
    """SQL giving (intervention_id, term_id) pairs for one axis."""
    if axis in _M2M_FIELD:
        through = getattr(Intervention, _M2M_FIELD[axis]).through
        return f'SELECT intervention_id AS iid, term_id AS tid FROM "{through._meta.db_table}"'
    if axis == "prevention_level":
        return f'SELECT id AS iid, prevention_level_id AS tid FROM "{Intervention._meta.db_table}" WHERE prevention_level_id IS NOT NULL'
    if axis == "design":
        return f'SELECT intervention_id AS iid, design_id AS tid, id AS eid FROM "{Evaluation._meta.db_table}" WHERE is_published = TRUE'
    if axis == "outcome_domain":
        return _outcome_domain_sql()
    if axis == "intervention":
        return f'SELECT id AS iid, id AS tid FROM "{Intervention._meta.db_table}"'
    raise UnknownAxis(axis)


def _axis_join(axis: str, alias: str) -> tuple[str, str]:
    """A JOIN clause bringing one axis in as `alias`, and the column holding its term id.

    Link tables are joined directly (not as derived tables) so the database can use their
    indexes; the map query then costs about what a hand-written aggregate costs.
    """
    if axis in _M2M_FIELD:
        table = getattr(Intervention, _M2M_FIELD[axis]).through._meta.db_table
        return f'JOIN "{table}" {alias} ON {alias}.intervention_id = i.id', f"{alias}.term_id"
    if axis == "prevention_level":
        return "", "i.prevention_level_id"
    if axis == "intervention":
        return "", "i.id"
    return f"JOIN ({_axis_sql(axis)}) {alias} ON {alias}.iid = i.id", f"{alias}.tid"


@dataclass
class Filters:
    """Each axis may restrict the interventions to those carrying one of the given codes."""

    terms: dict[str, list[str]] = field(default_factory=dict)
    max_level: int | None = None
    # True: only provisional levels; False: only levels confirmed at the desk; None: both.
    provisional: bool | None = None

    def sql(self) -> tuple[str, list[bool | int | str]]:
        clauses: list[str] = ["i.is_published = %s"]
        params: list[bool | int | str] = [True]
        if self.provisional is not None:
            clauses.append("i.level_provisional = %s")
            params.append(self.provisional)
        for axis, codes in self.terms.items():
            if not codes:
                continue
            if axis == "intervention":
                clauses.append(f"i.slug IN ({', '.join(['%s'] * len(codes))})")
                params.extend(codes)
                continue
            ids = list(
                Term.objects.filter(vocabulary=_VOCABULARY[axis], code__in=codes).values_list(
                    "pk", flat=True
                )
            )
            marks = ", ".join(["%s"] * len(ids)) or "NULL"
            clauses.append(
                f"i.id IN (SELECT iid FROM ({_axis_sql(axis)}) f WHERE f.tid IN ({marks}))"
            )
            params.extend(ids)
        if self.max_level is not None:
            clauses.append("i.evidence_level <= %s")
            params.append(self.max_level)
        return " AND ".join(clauses), params


@dataclass
class Cell:
    row: str
    col: str
    interventions: int
    evaluations: int
    best_level: int
    # Interventions in the cell whose level is provisional (one extractor, unconfirmed).
    provisional: int = 0


def _axis_values(axis: str) -> dict[int, AxisValue]:
    if axis == "intervention":
        return {
            pk: AxisValue(pk, slug, name)
            for pk, slug, name in Intervention.objects.published().values_list("pk", "slug", "name")
        }
    return {
        t.pk: AxisValue(t.pk, t.code, t.label, t.position)
        for t in Term.objects.filter(vocabulary=_VOCABULARY[axis])
    }


@dataclass
class EvidenceMap:
    rows: list[AxisValue]
    cols: list[AxisValue]
    cells: dict[tuple[str, str], Cell]
    row_axis: str
    col_axis: str

    def cell(self, row: AxisValue, col: AxisValue) -> Cell | None:
        return self.cells.get((row.code, col.code))

    def max_evaluations(self) -> int:
        return max((c.evaluations for c in self.cells.values()), default=0)


def cell_rows(
    row_axis: str, col_axis: str, filters: Filters | None = None
) -> list[tuple[int, int, int, int, int, int]]:
    """(row term id, col term id, interventions, evaluations, best level, provisional
    interventions) per non-empty cell."""
    if row_axis not in AXES or col_axis not in AXES:
        raise UnknownAxis(row_axis if row_axis not in AXES else col_axis)
    where, params = (filters or Filters()).sql()
    row_join, row_col = _axis_join(row_axis, "r")
    if col_axis == row_axis:
        col_join, col_col = "", row_col
    else:
        col_join, col_col = _axis_join(col_axis, "c")
    nulls = f" AND {row_col} IS NOT NULL AND {col_col} IS NOT NULL"
    study_alias = "r" if row_axis in STUDY_AXES else ("c" if col_axis in STUDY_AXES else "")
    studies = f"COUNT(DISTINCT {study_alias}.eid)" if study_alias else "SUM(i.evaluation_count)"
    if row_axis in STUDY_AXES and col_axis in STUDY_AXES and row_axis != col_axis:
        # Both axes are per study: count the studies carrying both values.
        nulls += " AND r.eid = c.eid"
    sql = (
        f"SELECT {row_col}, {col_col}, COUNT(DISTINCT i.id), {studies}, MIN(i.evidence_level), "
        f"COUNT(DISTINCT CASE WHEN i.level_provisional THEN i.id END) "
        f'FROM "{Intervention._meta.db_table}" i {row_join} {col_join} '
        f"WHERE {where}{nulls} GROUP BY {row_col}, {col_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def evidence_map(
    row_axis: str = "focus", col_axis: str = "target_group", filters: Filters | None = None
) -> EvidenceMap:
    rows = cell_rows(row_axis, col_axis, filters)
    values = {axis: _axis_values(axis) for axis in {row_axis, col_axis}}
    cells = {}
    for rid, cid, n_int, n_eval, best, provisional in rows:
        row, col = values[row_axis][rid], values[col_axis][cid]
        cells[(row.code, col.code)] = Cell(
            row.code, col.code, n_int, int(n_eval or 0), int(best), int(provisional or 0)
        )
    used_rows = {r for r, _ in cells}
    used_cols = {c for _, c in cells}

    def axis_terms(axis: str, used: set[str]) -> list[AxisValue]:
        found = list(values[axis].values())
        # Fixed vocabularies show every value, so empty rows and columns (gaps) stay visible.
        if axis in ("country", "intervention"):
            found = [t for t in found if t.code in used]
        return sorted(found, key=lambda t: (t.position, t.label))

    return EvidenceMap(
        axis_terms(row_axis, used_rows), axis_terms(col_axis, used_cols), cells, row_axis, col_axis
    )


def reusable_cell_count(emap: EvidenceMap, filters: Filters) -> int | None:
    """The focus x target group cell count, when `emap` is exactly that unfiltered map."""
    unfiltered = not filters.terms and filters.max_level is None
    if unfiltered and (emap.row_axis, emap.col_axis) == ("focus", "target_group"):
        return len(emap.cells)
    return None


@dataclass
class Gap:
    code: str
    statement: str
    value: float | int


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def gap_statements(*, focus_target_cells: int | None = None) -> list[Gap]:
    """Findings computed from the data; no number here is written by hand.

    `focus_target_cells`: the number of non-empty focus x target group cells when the caller
    has just computed that map (saves running the aggregate twice).
    """
    published = Intervention.objects.published()
    totals = published.aggregate(
        total=Count("id"),
        evaluated=Count("id", filter=Q(evaluation_count__gt=0)),
        once=Count("id", filter=Q(evaluation_count=1)),
        independent=Count("id", filter=Q(has_independent_evaluation=True)),
        supported=Count("id", filter=Q(evidence_level__lte=levels.SUPPORTED)),
        provisional=Count("id", filter=Q(level_provisional=True)),
        evaluations=Sum("evaluation_count", default=0),
        results=Sum("results_count", default=0),
        planned=Sum("planned_count", default=0),
        related=Sum("related_count", default=0),
    )
    by_focus = published.aggregate(
        demand=Count("id", filter=Q(focus__code="prevent-demand"), distinct=True),
        demand_controlled=Count(
            "id",
            filter=Q(focus__code="prevent-demand", has_controlled_evaluation=True),
            distinct=True,
        ),
        exposure=Count("id", filter=Q(focus__code__in=vocab.EXPOSURE_DETECTION), distinct=True),
        perpetration=Count(
            "id", filter=Q(focus__code__in=vocab.PERPETRATION_DEMAND), distinct=True
        ),
    )
    total, n_evaluated, once = totals["total"], totals["evaluated"], totals["once"]
    not_evaluated = total - n_evaluated
    demand, demand_controlled = by_focus["demand"], by_focus["demand_controlled"]
    exposure, perpetration = by_focus["exposure"], by_focus["perpetration"]
    independent, supported = totals["independent"], totals["supported"]
    n_evaluations, results = totals["evaluations"], totals["results"]
    gaps = [
        Gap(
            "evaluations_with_results",
            _(
                "%(r)d of the %(n)d recorded evaluations report a result at all; %(planned)d are planned or registered without results, and %(related)d are reviews or other evidence not specific to one intervention."
            )
            % {
                "r": results,
                "n": n_evaluations,
                "planned": totals["planned"],
                "related": totals["related"],
            },
            results,
        ),
        Gap(
            "provisional_levels",
            ngettext(
                "%(n)d intervention's level is provisional: it rests on one extractor's reading of the stated result, not yet confirmed by two reviewers.",
                "%(n)d interventions' levels are provisional: they rest on one extractor's reading of the stated result, not yet confirmed by two reviewers.",
                totals["provisional"],
            )
            % {"n": totals["provisional"]},
            totals["provisional"],
        ),
        Gap(
            "demand_interventions",
            ngettext(
                "%(n)d intervention aims to prevent demand; %(c)d of them has a controlled evaluation.",
                "%(n)d interventions aim to prevent demand; %(c)d of them have a controlled evaluation.",
                demand,
            )
            % {"n": demand, "c": demand_controlled},
            demand,
        ),
        Gap(
            "demand_controlled",
            _("Interventions preventing demand with a controlled evaluation: %(c)d.")
            % {"c": demand_controlled},
            demand_controlled,
        ),
        Gap(
            "evaluated_once_share",
            _(
                "%(p)d%% of the evaluated interventions (%(once)d of %(all)d) have been evaluated only once."
            )
            % {"p": _percent(once, n_evaluated), "once": once, "all": n_evaluated},
            _percent(once, n_evaluated),
        ),
        Gap(
            "not_evaluated",
            ngettext(
                "%(n)d intervention has no evaluation at all.",
                "%(n)d interventions have no evaluation at all.",
                not_evaluated,
            )
            % {"n": not_evaluated},
            not_evaluated,
        ),
        Gap(
            "exposure_detection_share",
            _(
                "%(p)d%% of the interventions (%(n)d of %(all)d) focus on preventing exposure or on disclosure and detection."
            )
            % {"p": _percent(exposure, total), "n": exposure, "all": total},
            _percent(exposure, total),
        ),
        Gap(
            "perpetration_demand_share",
            _(
                "%(p)d%% of the interventions (%(n)d of %(all)d) focus on preventing perpetration or demand."
            )
            % {"p": _percent(perpetration, total), "n": perpetration, "all": total},
            _percent(perpetration, total),
        ),
        Gap(
            "independent_share",
            _(
                "%(p)d%% of the evaluated interventions (%(n)d of %(all)d) have an evaluation recorded as independent of the developer."
            )
            % {"p": _percent(independent, n_evaluated), "n": independent, "all": n_evaluated},
            _percent(independent, n_evaluated),
        ),
        Gap(
            "supported_count",
            ngettext(
                "%(n)d intervention reaches level 2 (supported) or better.",
                "%(n)d interventions reach level 2 (supported) or better.",
                supported,
            )
            % {"n": supported},
            supported,
        ),
    ]
    uncontrolled = outcome_domains_without_controlled()
    gaps.append(
        Gap(
            "outcome_domains_without_controlled",
            (
                _("Outcomes with studies but no controlled study at all: %(list)s.")
                % {"list": ", ".join(uncontrolled)}
            )
            if uncontrolled
            else _("Every outcome with studies has at least one controlled study."),
            len(uncontrolled),
        )
    )
    empty = _empty_cells(focus_target_cells)
    gaps.append(
        Gap(
            "empty_cells",
            ngettext(
                "%(n)d combination of focus and target group has no intervention at all.",
                "%(n)d combinations of focus and target group have no intervention at all.",
                empty,
            )
            % {"n": empty},
            empty,
        )
    )
    return gaps


def _empty_cells(non_empty: int | None) -> int:
    sizes = dict(
        Term.objects.filter(vocabulary__in=[vocab.FOCUS, vocab.TARGET_GROUP])
        .values_list("vocabulary")
        .annotate(n=Count("id"))
    )
    if non_empty is None:
        non_empty = len(cell_rows("focus", "target_group"))
    return sizes.get(vocab.FOCUS, 0) * sizes.get(vocab.TARGET_GROUP, 0) - non_empty


def cell_studies(
    row_axis: str, col_axis: str, row_code: str, col_code: str, filters: Filters | None = None
) -> list[Evaluation]:
    """The published studies behind one cell of the map (for the list a bubble opens)."""
    if row_axis not in AXES or col_axis not in AXES:
        raise UnknownAxis(row_axis if row_axis not in AXES else col_axis)
    where, params = (filters or Filters()).sql()
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT i.id FROM "{Intervention._meta.db_table}" i WHERE {where}', params)
        iids = {r[0] for r in cursor.fetchall()}
    eids: set[int] | None = None
    for axis, code in ((row_axis, row_code), (col_axis, col_code)):
        values = _axis_values(axis)
        pk = next((v.pk for v in values.values() if v.code == code), None)
        if pk is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM ({_axis_sql(axis)}) a WHERE a.tid = %s", [pk])
            found = cursor.fetchall()
        iids &= {r[0] for r in found}
        if axis in STUDY_AXES:
            ids = {r[2] for r in found}
            eids = ids if eids is None else eids & ids
    qs = Evaluation.objects.published().filter(intervention_id__in=iids)
    if eids is not None:
        qs = qs.filter(pk__in=eids)
    return list(
        qs.select_related("design", "intervention").prefetch_related("extractions", "outcomes")
    )


def outcome_domains_without_controlled() -> list[str]:
    """Labels of the outcome domains that have studies, none of them controlled."""
    design_ids = {t.pk: t.code for t in Term.objects.filter(vocabulary=vocab.DESIGN)}
    domains = _axis_values("outcome_domain")
    seen: dict[int, bool] = {}
    for rid, cid, *_rest in cell_rows("outcome_domain", "design"):
        seen[rid] = seen.get(rid, False) or design_ids.get(cid) in vocab.CONTROLLED
    return [
        domains[rid].label
        for rid in sorted(seen, key=lambda r: domains[r].position)
        if not seen[rid] and domains[rid].code != vocab.UNCLASSIFIED
    ]
