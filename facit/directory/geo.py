"""Places for the support directory: distances and Sweden's 290 municipalities.

The municipality list (``data/municipalities.csv``) carries one representative point per
municipality, computed inside its polygon, which is good enough for "services near me".
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

MUNICIPALITIES_CSV = Path(__file__).resolve().parents[2] / "data" / "municipalities.csv"
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
_SUFFIX = re.compile(r"\s+(kommun|stad)$")


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str  # four digits, e.g. "1280"
    name: str
    county_code: str  # two digits
    county: str
    latitude: float
    longitude: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _fold(text: str) -> str:
    """Case- and diacritic-insensitive key: "Malmö" and "MALMO" both become "malmo"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _clean(query: str) -> str:
    text = " ".join(query.replace("-", " ").split()).casefold()
    return _SUFFIX.sub("", text)


@cache
def load_municipalities(path: Path = MUNICIPALITIES_CSV) -> tuple[Municipality, ...]:
    """All municipalities, in file order (by code). Read once per process."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Municipality(
                code=row["municipality_code"],
                name=row["municipality"],
                county_code=row["county_code"],
                county=row["county"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        )


@cache
def _indexes() -> tuple[
    dict[str, Municipality], dict[str, Municipality], dict[str, list[Municipality]]
]:
    by_code: dict[str, Municipality] = {}
    by_name: dict[str, Municipality] = {}
    by_folded: dict[str, list[Municipality]] = {}
    for municipality in load_municipalities():
        by_code[municipality.code] = municipality
        by_name[_clean(municipality.name)] = municipality
        by_folded.setdefault(_fold(_clean(municipality.name)), []).append(municipality)
    return by_code, by_name, by_folded


def find_municipality(query: str) -> Municipality | None:
    """Find by code ("1280", "180") or name ("Malmö", "malmo", "Malmö kommun").

    An exact (case-insensitive) name wins over a diacritic-insensitive one, so "Habo" and
    "Håbo" stay two municipalities; a folded name that fits two of them returns None.
    """
    text = query.strip()
    by_code, by_name, by_folded = _indexes()
    if text.isdigit():
        return by_code.get(text.zfill(4))
    cleaned = _clean(text)
    if cleaned in by_name:
        return by_name[cleaned]
    for candidate in (cleaned, cleaned.removesuffix("s")):
        matches = by_folded.get(_fold(candidate), [])
        if len(matches) == 1:
            return matches[0]
    return None


def suggest_municipalities(query: str, limit: int = 5) -> list[Municipality]:
    """The closest names for an "unknown municipality" message, best first."""
    municipalities = load_municipalities()
    choices = [_fold(_clean(m.name)) for m in municipalities]
    results = process.extract(
        _fold(_clean(query)), choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=50
    )
    return [municipalities[index] for _choice, _score, index in results]


def nearest_municipality(latitude: float, longitude: float) -> Municipality:
    """The municipality whose representative point is closest (a coarse reverse lookup)."""
    return min(
        load_municipalities(),
        key=lambda m: haversine_km(latitude, longitude, m.latitude, m.longitude),
    )
