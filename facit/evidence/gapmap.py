"""The evidence & gap map: cells of two axes and the computed gap statements.

Read-only selectors. The cell aggregate is one SQL query over the intervention table and the
two axes' link tables, so it stays fast with thousands of interventions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from facit.evidence import levels
from facit.evidence import vocabularies as vocab
from facit.evidence.models import Evaluation, Intervention, Term

AXES = ("focus", "target_group", "setting", "prevention_level", "country", "design")
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
}


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
        return f'SELECT DISTINCT intervention_id AS iid, design_id AS tid FROM "{Evaluation._meta.db_table}"'
    raise UnknownAxis(axis)


@dataclass
class Filters:
    """Each axis may restrict the interventions to those carrying one of the given codes."""

    terms: dict[str, list[str]] = field(default_factory=dict)
    max_level: int | None = None

    def sql(self) -> tuple[str, list[Any]]:
        clauses, params = ["i.is_published = %s"], [True]
        for axis, codes in self.terms.items():
            if not codes:
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


@dataclass
class EvidenceMap:
    rows: list[Term]
    cols: list[Term]
    cells: dict[tuple[str, str], Cell]
    row_axis: str
    col_axis: str

    def cell(self, row: Term, col: Term) -> Cell | None:
        return self.cells.get((row.code, col.code))

    def max_evaluations(self) -> int:
        return max((c.evaluations for c in self.cells.values()), default=0)


def cell_rows(
    row_axis: str, col_axis: str, filters: Filters | None = None
) -> list[tuple[int, int, int, int, int]]:
    """(row term id, col term id, interventions, evaluations, best level) per non-empty cell."""
    if row_axis not in AXES or col_axis not in AXES:
        raise UnknownAxis(row_axis if row_axis not in AXES else col_axis)
    where, params = (filters or Filters()).sql()
    sql = (
        f"SELECT r.tid, c.tid, COUNT(DISTINCT i.id), SUM(i.evaluation_count), MIN(i.evidence_level) "
        f"FROM ({_axis_sql(row_axis)}) r JOIN ({_axis_sql(col_axis)}) c ON c.iid = r.iid "
        f'JOIN "{Intervention._meta.db_table}" i ON i.id = r.iid '
        f"WHERE {where} GROUP BY r.tid, c.tid"
    )
    if row_axis == col_axis:
        sql = sql.replace("ON c.iid = r.iid", "ON c.iid = r.iid AND c.tid = r.tid")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def evidence_map(
    row_axis: str = "focus", col_axis: str = "target_group", filters: Filters | None = None
) -> EvidenceMap:
    rows = cell_rows(row_axis, col_axis, filters)
    terms = {
        t.pk: t
        for t in Term.objects.filter(vocabulary__in={_VOCABULARY[row_axis], _VOCABULARY[col_axis]})
    }
    cells = {}
    for rid, cid, n_int, n_eval, best in rows:
        row, col = terms[rid], terms[cid]
        cells[(row.code, col.code)] = Cell(row.code, col.code, n_int, int(n_eval or 0), int(best))
    used_rows = {r for r, _ in cells}
    used_cols = {c for _, c in cells}

    def axis_terms(axis: str, used: set[str]) -> list[Term]:
        found = [t for t in terms.values() if t.vocabulary == _VOCABULARY[axis]]
        # Fixed vocabularies show every value, so empty rows and columns (gaps) stay visible.
        if axis == "country":
            found = [t for t in found if t.code in used]
        return sorted(found, key=lambda t: (t.position, t.label))

    return EvidenceMap(
        axis_terms(row_axis, used_rows), axis_terms(col_axis, used_cols), cells, row_axis, col_axis
    )


@dataclass
class Gap:
    code: str
    statement: str
    value: float | int


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def gap_statements() -> list[Gap]:
    """Findings computed from the data; no number here is written by hand."""
    published = Intervention.objects.published()
    total = published.count()
    evaluated = published.filter(evaluation_count__gt=0)
    n_evaluated = evaluated.count()
    once = evaluated.filter(evaluation_count=1).count()
    not_evaluated = total - n_evaluated
    controlled_ids = set(
        Evaluation.objects.controlled()
        .filter(intervention__in=published)
        .values_list("intervention_id", flat=True)
    )
    demand = list(
        published.filter(focus__code="prevent-demand").values_list("pk", flat=True).distinct()
    )
    demand_controlled = len(set(demand) & controlled_ids)
    exposure = published.filter(focus__code__in=vocab.EXPOSURE_DETECTION).distinct().count()
    perpetration = published.filter(focus__code__in=vocab.PERPETRATION_DEMAND).distinct().count()
    independent = evaluated.filter(evaluations__independent=True).distinct().count()
    supported = published.filter(evidence_level__lte=levels.SUPPORTED).count()
    gaps = [
        Gap(
            "demand_interventions",
            ngettext(
                "%(n)d intervention aims to prevent demand; %(c)d of them has a controlled evaluation.",
                "%(n)d interventions aim to prevent demand; %(c)d of them have a controlled evaluation.",
                len(demand),
            )
            % {"n": len(demand), "c": demand_controlled},
            len(demand),
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
    empty = _empty_cells()
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


def _empty_cells() -> int:
    n_rows = Term.objects.filter(vocabulary=vocab.FOCUS).count()
    n_cols = Term.objects.filter(vocabulary=vocab.TARGET_GROUP).count()
    return n_rows * n_cols - len(cell_rows("focus", "target_group"))
