"""Terminology check for guidance text, driven by ``data/terminology.json``.

See README.md in this directory for the matching and statute-exception rules.
"""

from .data import Entry, Lang, Severity, Terminology, load_terminology, parse_terminology
from .errors import TerminologyError
from .matcher import Checker, Finding, check, checker_for
from .rules import RULES_VERSION

__all__ = [
    "RULES_VERSION",
    "Checker",
    "Entry",
    "Finding",
    "Lang",
    "Severity",
    "Terminology",
    "TerminologyError",
    "check",
    "checker_for",
    "load_terminology",
    "parse_terminology",
]
