"""Pure-Python readers and writers for bibliographic exports (no Django)."""

from .core import CSV_COLUMNS, detect_format, iter_records, parse_file, to_csv
from .records import FORMATS, ImportFormatError, ParsedRecord, normalise_doi
from .ris import to_ris

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "ImportFormatError",
    "ParsedRecord",
    "detect_format",
    "iter_records",
    "normalise_doi",
    "parse_file",
    "to_csv",
    "to_ris",
]
