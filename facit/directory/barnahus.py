"""Where does this child go? The Barnahus recorded for a municipality, and an honest answer
where none is recorded: the gaps a source reports and the police's advice, from
data/barnahus_se.json. Nothing here guesses a Barnahus from distance or county."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from facit.directory.models import Barnahus, BarnahusNote, Municipality

COVERED = "covered"
GAP = "gap"
NONE_RECORDED = "none"


@dataclass
class BarnahusAnswer:
    place: Municipality
    barnahus: list[Barnahus]
    gaps: list[BarnahusNote] = field(default_factory=list)
    advice: BarnahusNote | None = None

    @property
    def status(self) -> str:
        if self.barnahus:
            return COVERED
        return GAP if self.gaps else NONE_RECORDED


def barnahus_for(place: Municipality) -> BarnahusAnswer:
    """The Barnahus a source names as covering `place` (with how it is known), the gaps
    reported for it and the police's advice on finding out."""
    found = list(Barnahus.objects.filter(municipalities=place).order_by("name"))
    # The gaps for this place and the advice in one query (in the notes' own order): the
    # advice notes are few, the gap rows are those linked to the place.
    in_place = BarnahusNote.municipalities.through.objects.filter(municipality_id=place.pk).values(
        "barnahusnote_id"
    )
    notes = list(
        BarnahusNote.objects.filter(
            Q(kind=BarnahusNote.Kind.GAP, pk__in=in_place) | Q(kind=BarnahusNote.Kind.ADVICE)
        ).order_by("position", "pk")
    )
    gaps = [n for n in notes if n.kind == BarnahusNote.Kind.GAP]
    advice = next((n for n in notes if n.kind == BarnahusNote.Kind.ADVICE), None)
    return BarnahusAnswer(place=place, barnahus=found, gaps=gaps, advice=advice)


@dataclass
class MapPoint:
    code: str
    name: str
    county: str
    status: str
    x: float
    y: float
    barnahus: list[str]

    # SVG coordinates as text: a template would print floats with the page's decimal comma
    @property
    def cx(self) -> str:
        return f"{self.x:.1f}"

    @property
    def cy(self) -> str:
        return f"{self.y:.1f}"

    @property
    def rx(self) -> str:
        return f"{self.x - 3:.1f}"

    @property
    def ry(self) -> str:
        return f"{self.y - 3:.1f}"


# The map's frame: Sweden's municipality points lie within these bounds (data/municipalities.csv).
_LAT = (55.0, 69.3)
_LON = (10.8, 24.4)
MAP_WIDTH = 300.0


def _project(lat: float, lon: float) -> tuple[float, float]:
    """An equirectangular projection scaled at 62° N: plain, and good enough for points."""
    import math

    k = math.cos(math.radians(62.0))
    width_deg = (_LON[1] - _LON[0]) * k
    scale = MAP_WIDTH / width_deg
    x = (lon - _LON[0]) * k * scale
    y = (_LAT[1] - lat) * scale
    return round(x, 1), round(y, 1)


def map_height() -> int:
    import math

    k = math.cos(math.radians(62.0))
    return math.ceil((_LAT[1] - _LAT[0]) * MAP_WIDTH / ((_LON[1] - _LON[0]) * k))


def coverage_map() -> list[MapPoint]:
    """Every municipality with its status: covered, gap reported or no Barnahus recorded."""
    covered: dict[str, list[str]] = {}
    for code, name in Barnahus.municipalities.through.objects.values_list(
        "municipality_id", "barnahus__name"
    ):
        covered.setdefault(code, []).append(name)
    gaps = set(
        BarnahusNote.municipalities.through.objects.filter(
            barnahusnote__kind=BarnahusNote.Kind.GAP
        ).values_list("municipality_id", flat=True)
    )
    points = []
    for m in Municipality.objects.select_related("county").order_by("county__code", "name"):
        status = COVERED if m.code in covered else GAP if m.code in gaps else NONE_RECORDED
        x, y = _project(m.latitude, m.longitude)
        points.append(
            MapPoint(m.code, m.name, m.county.name, status, x, y, sorted(covered.get(m.code, [])))
        )
    return points
