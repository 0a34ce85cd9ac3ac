"""facit's HSDS profile, as the HSDS Profiles reference describes it: a set of JSON Merge
Patch files (RFC 7386) in ``data/hsds-facit-profile/profile/``, each named after the HSDS
3.0 schema file it modifies (``service.json``, ``service_area.json``) or ``openapi.json``,
and the full profile schemas made by merging each patch into the core file.

Human Services Data Specification: an Open Referral resource (CC BY-SA 4.0); the profile
derives from it under the same licence.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from .schemas import SCHEMA_DIR

PROFILE_DIR = Path(__file__).resolve().parents[3] / "data" / "hsds-facit-profile" / "profile"
PROFILE_VERSION = "1.0.0"
_NAME = re.compile(r"^[a-z_]+\.json$")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge member by member, ``null`` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def patch_names() -> list[str]:
    """The files the profile modifies, e.g. ``["openapi.json", "service.json", ...]``."""
    return sorted(p.name for p in PROFILE_DIR.glob("*.json"))


def schema_names() -> list[str]:
    """Every file of the profile's schema directory: the core files, patched or not."""
    return sorted(p.name for p in SCHEMA_DIR.glob("*.json"))


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def profile_patch(name: str) -> dict[str, Any] | None:
    """The profile's modification of one file, or None when it leaves the file as it is."""
    if not _NAME.match(name) or not (PROFILE_DIR / name).is_file():
        return None
    return _read(PROFILE_DIR / name)


@cache
def profile_schema(name: str) -> dict[str, Any] | None:
    """The core file merged with the profile's patch (the core file where none); None for a
    name that is not a file of the HSDS schema directory."""
    if not _NAME.match(name) or not (SCHEMA_DIR / name).is_file():
        return None
    core = _read(SCHEMA_DIR / name)
    patch = profile_patch(name)
    return core if patch is None else merge_patch(core, patch)
