"""Open Referral HSDS 3.0 for facit's support directory: schemas, validation, the JSON and
tabular forms, and one import entry point. Pure Python; the Django layer maps
:class:`HsdsDataset` tables onto its models.

Human Services Data Specification: an Open Referral resource (CC BY-SA 4.0,
``data/hsds-3.0/LICENSE``).
"""

from .errors import HsdsError, HsdsValidationError
from .loading import load_any, load_document
from .model import (
    HsdsDataset,
    dataset_from_json,
    dataset_to_json,
    nested_object,
    service_document,
)
from .schemas import DOCUMENT_KINDS, OBJECT_KINDS, validator_for_kind
from .tabular import read_tabular, write_tabular
from .validate import UnknownKindError, sniff_kind, validate_dataset, validate_document

__all__ = [
    "DOCUMENT_KINDS",
    "OBJECT_KINDS",
    "HsdsDataset",
    "HsdsError",
    "HsdsValidationError",
    "UnknownKindError",
    "dataset_from_json",
    "dataset_to_json",
    "load_any",
    "load_document",
    "nested_object",
    "read_tabular",
    "service_document",
    "sniff_kind",
    "validate_dataset",
    "validate_document",
    "validator_for_kind",
    "write_tabular",
]
