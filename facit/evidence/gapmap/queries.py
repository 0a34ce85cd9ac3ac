"""The evidence & gap map: cells of two axes and the computed gap statements.

Read-only selectors. The cell aggregate is one SQL query over the intervention table and the
two axes' link tables, so it stays fast with thousands of interventions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from facit.evidence import levels
from facit.evidence import vocabularies as vocab
from facit.evidence.gapmap import axes, cache
from facit.evidence.gapmap.axes import AXES, STUDY_AXES, AxisValue, UnknownAxis
from facit.evidence.models import Evaluation, Intervention, Term


def _axis_sql(axis: str) -> str:
    """SQL giving (intervention_id, value key[, evaluation id]) rows for one axis."""
    return axes.axis(axis).sql()


@dataclass
class Filters:
    """Each axis may restrict the interventions to those carrying one of the given codes."""

    terms: dict[str, list[str]] = field(default_factory=dict)
    max_level: int | None = None
    # True: only provisional levels; False: only levels confirmed at the desk; None: both.
    provisional: bool | None = None
    # Age band codes (vocabularies.AGE_BANDS, AGE_NOT_STATED): an intervention matches a band
    # its age range overlaps.
    age_bands: list[str] = field(default_factory=list)

    def sql(self) -> tuple[str, list[bool | int | str]]:
        clauses: list[str] = ["i.is_published = %s"]
        params: list[bool | int | str] = [True]
        if self.provisional is not None:
            clauses.append("i.level_provisional = %s")
            params.append(self.provisional)
        for axis, codes in self.terms.items():
            if not codes:
                continue
            if axis not in AXES:
                continue
            if axis == "intervention":
                clauses.append(f"i.slug IN ({', '.join(['%s'] * len(codes))})")
                params.extend(codes)
                continue
            keys = axes.axis(axis).keys_for(codes)
            marks = ", ".join(["%s"] * len(keys)) or "NULL"
            clauses.append(
                f"i.id IN (SELECT iid FROM ({_axis_sql(axis)}) f WHERE f.tid IN ({marks}))"
            )
            params.extend(keys)
        if self.age_bands:
            age_sql, age_params = age_band_sql(self.age_bands)
            clauses.append(age_sql)
            params.extend(age_params)
        if self.max_level is not None:
            clauses.append("i.evidence_level <= %s")
            params.append(self.max_level)
        return " AND ".join(clauses), params

    def key(self) -> tuple[object, ...]:
        """The filters in a normal form (order and repeats of codes do not matter), for the
        cache: two filters with the same key select the same interventions."""
        terms = tuple(
            sorted((axis, tuple(sorted(set(codes)))) for axis, codes in self.terms.items() if codes)
        )
        return (terms, self.max_level, self.provisional, tuple(sorted(set(self.age_bands))))


def age_band_sql(codes: list[str]) -> tuple[str, list[bool | int | str]]:
    """WHERE clause (on intervention `i`) matching any of the age bands; unknown codes match
    nothing."""
    parts: list[str] = []
    params: list[bool | int | str] = []
    bands = {b.code: b for b in vocab.AGE_BANDS}
    for code in codes:
        if code == vocab.AGE_NOT_STATED.code:
            parts.append("(i.age_min IS NULL AND i.age_max IS NULL)")
        elif code in bands:
            band = bands[code]
            # Overlap: the range starts at or before the band's end and ends at or after its
            # start; an open end of the range reaches every band on that side.
            clause = "(i.age_min IS NOT NULL OR i.age_max IS NOT NULL) AND (i.age_max IS NULL OR i.age_max >= %s)"
            params.append(band.low)
            if band.high is not None:
                clause += " AND (i.age_min IS NULL OR i.age_min <= %s)"
                params.append(band.high)
            parts.append(f"({clause})")
    return ("(" + " OR ".join(parts) + ")") if parts else "1 = 0", params


def age_band_q(codes: list[str]) -> Q:
    """The same bands as an ORM condition on Intervention."""
    bands = {b.code: b for b in vocab.AGE_BANDS}
    found = Q(pk__in=[])
    for code in codes:
        if code == vocab.AGE_NOT_STATED.code:
            found |= Q(age_min__isnull=True, age_max__isnull=True)
        elif code in bands:
            band = bands[code]
            q = ~Q(age_min__isnull=True, age_max__isnull=True) & (
                Q(age_max__isnull=True) | Q(age_max__gte=band.low)
            )
            if band.high is not None:
                q &= Q(age_min__isnull=True) | Q(age_min__lte=band.high)
            found |= q
    return found


@dataclass(frozen=True)
class Cell:
    row: str
    col: str
    interventions: int
    evaluations: int
    best_level: int
    # Interventions in the cell whose level is provisional (one extractor, unconfirmed).
    provisional: int = 0


def _axis_values(axis: str) -> dict[int | str, AxisValue]:
    return axes.axis(axis).values()


@dataclass
class EvidenceMap:
    rows: list[AxisValue]
    cols: list[AxisValue]
    cells: dict[tuple[str, str], Cell]
    row_axis: str
    col_axis: str
    # Paging (only of axes in axes.PAGED_AXES; else one page holds them all): rows of a
    # paged row axis, columns of a paged column axis, both by the same page number.
    page: int = 1
    pages: int = 1
    row_count: int = 0
    per_page: int = 0
    # Columns of the whole map, over all pages, and which sides are paged ("rows", "cols").
    col_count: int = 0
    paged: tuple[str, ...] = ()

    def cell(self, row: AxisValue, col: AxisValue) -> Cell | None:
        return self.cells.get((row.code, col.code))

    def max_evaluations(self) -> int:
        return max((c.evaluations for c in self.cells.values()), default=0)


def cell_rows(
    row_axis: str, col_axis: str, filters: Filters | None = None
) -> list[tuple[int | str, int | str, int, int, int, int]]:
    """(row value key, col value key, interventions, evaluations, best level, provisional
    interventions) per non-empty cell."""
    row, col = axes.axis(row_axis), axes.axis(col_axis)
    where, params = (filters or Filters()).sql()
    row_join, row_col = row.join("r")
    if col_axis == row_axis:
        col_join, col_col = "", row_col
    else:
        col_join, col_col = col.join("c")
    nulls = f" AND {row_col} IS NOT NULL AND {col_col} IS NOT NULL"
    study_alias = "r" if row.per_study else ("c" if col.per_study else "")
    studies = f"COUNT(DISTINCT {study_alias}.eid)" if study_alias else "SUM(i.evaluation_count)"
    if row.per_study and col.per_study and row_axis != col_axis:
        # Both axes are per study: count the studies carrying both values.
        nulls += " AND r.eid = c.eid"
    # One intervention per group (rows=intervention): its own values need no DISTINCT.
    one = row_axis == "intervention"
    interventions = "1" if one else "COUNT(DISTINCT i.id)"
    provisional = (
        "MAX(CASE WHEN i.level_provisional THEN 1 ELSE 0 END)"
        if one
        else "COUNT(DISTINCT CASE WHEN i.level_provisional THEN i.id END)"
    )
    sql = (
        f"SELECT {row_col}, {col_col}, {interventions}, {studies}, MIN(i.evidence_level), "
        f"{provisional} "
        f'FROM "{Intervention._meta.db_table}" i {row_join} {col_join} '
        f"WHERE {where}{nulls} GROUP BY {row_col}, {col_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class _MapData:
    """The whole map of two axes under some filters, before paging (what the cache keeps)."""

    rows: list[AxisValue]
    cols: list[AxisValue]
    # The non-empty cells of each row, by the row's code.
    cells_by_row: dict[str, list[Cell]]


def _map_data(row_axis: str, col_axis: str, filters: Filters | None) -> _MapData:
    found = cell_rows(row_axis, col_axis, filters)
    values = {key: _axis_values(key) for key in {row_axis, col_axis}}

    def ordered(key: str, used: set[int | str]) -> list[AxisValue]:
        items = list(values[key].values())
        # Fixed vocabularies show every value, so empty rows and columns (gaps) stay visible.
        if not axes.axis(key).show_empty:
            items = [v for v in items if v.pk in used]
        return sorted(items, key=lambda v: (v.position, v.label, v.code))

    cells_by_row: dict[str, list[Cell]] = {}
    for rid, cid, n_int, n_eval, best, provisional in found:
        r, c = values[row_axis][rid], values[col_axis][cid]
        cells_by_row.setdefault(r.code, []).append(
            Cell(r.code, c.code, int(n_int), int(n_eval or 0), int(best), int(provisional or 0))
        )
    return _MapData(
        ordered(row_axis, {r[0] for r in found}),
        ordered(col_axis, {r[1] for r in found}),
        cells_by_row,
    )


def evidence_map(
    row_axis: str = "focus",
    col_axis: str = "target_group",
    filters: Filters | None = None,
    *,
    page: int | None = None,
    per_page: int | None = None,
) -> EvidenceMap:
    """The map of two axes. Rows or columns of a paged axis (interventions) come `per_page`
    at a time: `page` (from 1; out of range: the nearest page); page=None: all of them (the
    exports).

    The whole map (every row) is computed once per evidence revision and query
    (gapmap.cache); a page is a slice of it."""
    axes.axis(row_axis), axes.axis(col_axis)  # unknown axes raise before the cache
    per_page = per_page or axes.ROWS_PER_PAGE
    data = cache.cached(
        "map",
        (row_axis, col_axis, (filters or Filters()).key(), get_language()),
        lambda: _map_data(row_axis, col_axis, filters),
    )
    rows, cols = data.rows, data.cols
    row_count, col_count = len(rows), len(cols)
    sides = (
        tuple(
            side for side, key in (("rows", row_axis), ("cols", col_axis)) if key in axes.PAGED_AXES
        )
        if page is not None
        else ()
    )
    pages, current = 1, 1
    if sides:
        longest = max(row_count if "rows" in sides else 0, col_count if "cols" in sides else 0)
        pages = max(1, -(-longest // per_page))
        current = min(max(1, page or 1), pages)
        window = slice((current - 1) * per_page, current * per_page)
        rows = rows[window] if "rows" in sides else rows
        cols = cols[window] if "cols" in sides else cols
    shown_cols = {c.code for c in cols} if "cols" in sides else None
    cells = {
        (c.row, c.col): c
        for row in rows
        for c in data.cells_by_row.get(row.code, ())
        if shown_cols is None or c.col in shown_cols
    }
    return EvidenceMap(
        list(rows),
        list(cols),
        cells,
        row_axis,
        col_axis,
        page=current,
        pages=pages,
        row_count=row_count,
        per_page=per_page if sides else row_count,
        col_count=col_count,
        paged=sides,
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
    has just computed that map (saves running the aggregate twice). The statements depend
    only on the data and the language, so they are computed once per evidence revision and
    language (gapmap.cache).
    """
    return list(
        cache.cached("gaps", (get_language(),), lambda: _gap_statements(focus_target_cells))
    )


def _gap_statements(focus_target_cells: int | None) -> list[Gap]:
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
    """Labels of the outcome domains that have studies, none of them controlled.

    One pass over the outcome rows with a plain MAX per domain (no per-cell DISTINCT counts:
    this runs beside every map)."""
    controlled = ", ".join(f"'{code}'" for code in sorted(vocab.CONTROLLED))
    sql = (
        f"SELECT s.tid, MAX(CASE WHEN d.code IN ({controlled}) THEN 1 ELSE 0 END) "
        f"FROM ({axes.outcome_domain_sql()}) s "
        f'JOIN "{Evaluation._meta.db_table}" e ON e.id = s.eid '
        f'JOIN "{Term._meta.db_table}" d ON d.id = e.design_id '
        f'JOIN "{Intervention._meta.db_table}" i ON i.id = s.iid '
        "WHERE i.is_published = TRUE GROUP BY s.tid"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        seen = {code: bool(flag) for code, flag in cursor.fetchall()}
    domains = _axis_values("outcome_domain")
    return [
        domains[code].label
        for code in sorted((c for c in seen if c in domains), key=lambda c: domains[c].position)
        if not seen[code] and code != vocab.UNCLASSIFIED
    ]
