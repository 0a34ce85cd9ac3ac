"""Property tests: hostile bytes only ever produce ImportFormatError; RIS round-trips."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facit.literature.imports.formats import (
    FORMATS,
    ImportFormatError,
    ParsedRecord,
    parse_file,
    to_ris,
)

from .test_formats import BIBTEX, MEDLINE, OPENALEX, RIS

VALID = {
    "ris": RIS.encode(),
    "pubmed": MEDLINE.encode(),
    "bibtex": BIBTEX.encode(),
    "openalex": json.dumps(OPENALEX, indent=1).encode(),
    "csv": b'Title,Abstract,Year,DOI\n"A title",text,2019,10.1234/x\nSecond,,2020,\n',
}
# FACIT_FUZZ_EXAMPLES=5000 for a longer local fuzzing run.
FAST = settings(
    max_examples=int(os.environ.get("FACIT_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _parse_or_format_error(data: bytes, fmt: str | None) -> None:
    try:
        records = parse_file(data, fmt=fmt)
    except ImportFormatError as error:
        assert error.line >= 0 and error.record >= 0 and error.reason
        return
    # A record without a title is imported only when flagged for the reviewer (issue 11).
    assert all(isinstance(r, ParsedRecord) and (r.title or r.warnings) for r in records)


@FAST
@given(data=st.binary(max_size=2000), fmt=st.sampled_from((None, *FORMATS)))
def test_random_bytes_raise_nothing_but_import_format_error(data: bytes, fmt: str | None) -> None:
    _parse_or_format_error(data, fmt)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid export with bytes deleted, inserted, replaced or the tail cut off."""
    fmt = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[fmt])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        pos = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(("delete", "insert", "replace", "truncate")))
        byte = draw(st.sampled_from(b'{}\n\r\x00\xe9\xff-,"@[ T'))
        if action == "delete":
            del data[pos]
        elif action == "insert":
            data.insert(pos, byte)
        elif action == "replace":
            data[pos] = byte
        else:
            del data[pos:]
    return fmt, bytes(data)


@FAST
@given(case=mutated(), sniff=st.booleans())
def test_mutated_valid_files_raise_nothing_but_import_format_error(
    case: tuple[str, bytes], sniff: bool
) -> None:
    fmt, data = case
    _parse_or_format_error(data, None if sniff else fmt)


_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"
        ),
        min_size=1,
        max_size=60,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
_doi = st.from_regex(r"10\.[0-9]{4,6}/[a-z0-9.()-]{0,19}[a-z0-9]", fullmatch=True)


@FAST
@given(
    records=st.lists(
        st.builds(
            ParsedRecord,
            title=_text,
            authors=st.lists(_text, max_size=4),
            year=st.one_of(st.none(), st.integers(1900, 2099)),
            doi=st.one_of(st.none(), _doi),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_ris_round_trip_keeps_title_doi_year_and_authors(
    records: list[ParsedRecord],
) -> None:
    again = parse_file(to_ris(records).encode(), fmt="ris")
    assert [(r.title, r.doi, r.year, r.authors) for r in again] == [
        (r.title, r.doi, r.year, r.authors) for r in records
    ]
