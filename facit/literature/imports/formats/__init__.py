"""Pure-Python readers and writers for bibliographic exports (no Django)."""

from .core import CSV_COLUMNS, ParsedFile, detect_format, iter_records, parse_file, to_csv
from .records import FORMATS, FileNote, ImportFormatError, ParsedRecord, Skipped, normalise_doi
from .ris import to_ris

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "FileNote",
    "ImportFormatError",
    "ParsedFile",
    "ParsedRecord",
    "Skipped",
    "detect_format",
    "iter_records",
    "normalise_doi",
    "parse_file",
    "to_csv",
    "to_ris",
]
