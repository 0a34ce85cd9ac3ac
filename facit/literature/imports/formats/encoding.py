"""Turn uploaded bytes into text, refusing to guess silently when the bytes disagree.

Order: BOM, then strict UTF-8, then ``charset-normalizer`` for legacy single-byte
exports. A file that is valid UTF-8 in one place and not in another was stitched
together from two encodings; decoding it either way would mangle one half, so we stop
and name the line instead.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .records import ImportFormatError, gettext_noop

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# C0 controls other than tab, LF, VT, FF, CR and the DOS end-of-file marker.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")


def line_of_byte(data: bytes, pos: int) -> int:
    """1-based line of a byte offset, counting CRLF, LF and lone CR as line breaks."""
    head = data[:pos]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def line_of_char(text: str, pos: int) -> int:
    """1-based line of a character offset in text whose line breaks are already LF."""
    return text.count("\n", 0, pos) + 1


def _decode_with_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                line = line_of_byte(data, exc.start + len(bom))
                raise ImportFormatError(
                    line=line,
                    record=0,
                    reason=gettext_noop(
                        "file starts with a %(codec)s byte-order mark but is not valid %(codec)s"
                    ),
                    params={"codec": codec},
                ) from exc
    return None


def _decode_legacy(data: bytes, error_pos: int) -> str:
    """Bytes are not UTF-8: accept one consistent legacy encoding, refuse a mixture."""
    if _UTF8_MULTIBYTE.search(data):
        raise ImportFormatError(
            line=line_of_byte(data, error_pos),
            record=0,
            reason=gettext_noop(
                "mixed text encodings: the file is UTF-8 elsewhere but this line "
                "holds bytes that are not UTF-8 (perhaps Latin-1 pasted in); re-save "
                "the file as UTF-8"
            ),
        )
    best = _best_match(data)
    if best is None:
        raise ImportFormatError(
            line=line_of_byte(data, error_pos),
            record=0,
            reason=gettext_noop("the file is not readable text in any known encoding"),
        )
    return best


_PREFERRED = ("cp1252", "latin_1", "iso8859_15", "cp1250")


def _best_match(data: bytes) -> str | None:
    """charset-normalizer's pick, but the Windows-1252 family wins a tie.

    On short Western texts several code pages score equally (we saw 'hp_roman8' chosen
    for Swedish Latin-1); bibliographic exports saved by Excel or EndNote on Windows are
    overwhelmingly Windows-1252, so among equally plausible decodings we take it.
    """
    matches = list(from_bytes(data))
    if not matches:
        return None
    lowest = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= lowest + 0.01]
    for name in _PREFERRED:
        for match in tied:
            if match.encoding == name:
                return str(match)
    return str(min(matches, key=lambda m: (m.chaos, -m.coherence)))


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _binary_error(line: int, code: int) -> ImportFormatError:
    return ImportFormatError(
        line=line,
        record=0,
        reason=gettext_noop(
            "binary content (control character %(code)s); this is not a text export"
        ),
        params={"code": f"{code:#04x}"},
    )


def _looks_binary(count: int, first: int, size: int) -> bool:
    """Many control characters mean binary data; a stray one is real-world noise.

    The screening exports themselves contain an occasional U+0001 inside an abstract, so
    one or two control characters are removed rather than rejected; more than two, at a
    density above one in 200 characters or starting within the first 512, means this
    is not a text export.
    """
    return count > 2 and (count * 200 > size or first < 512)


def _refuse_binary(text: str) -> str:
    """Check decoded text (UTF-16/32 files); byte-oriented files use _strip_controls."""
    found = _CONTROL.findall(text)
    if not found:
        return text
    first = _CONTROL.search(text)
    assert first is not None
    if _looks_binary(len(found), first.start(), len(text)):
        raise _binary_error(line_of_char(text, first.start()), ord(first.group()))
    return _CONTROL.sub("", text)


_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F])
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")


def _strip_controls(data: bytes) -> bytes:
    """Control bytes are the same characters in UTF-8 and single-byte code pages, so
    they are counted and removed on the bytes: bytes.translate is ~10x faster than a
    regex over the decoded text of a large export."""
    nul = data.find(b"\x00")
    if nul >= 0:  # also how a UTF-16 file without byte-order mark looks; both refused
        raise _binary_error(line_of_byte(data, nul), 0)
    cleaned = data.translate(None, _CONTROL_BYTES)
    count = len(data) - len(cleaned)
    if not count:
        return data
    first = _CONTROL_BYTE.search(data)
    assert first is not None
    if _looks_binary(count, first.start(), len(data)):
        raise _binary_error(line_of_byte(data, first.start()), first.group()[0])
    return cleaned


def decode_bytes(data: bytes) -> str:
    """Decoded text with LF line endings and no BOM; ImportFormatError when unreadable."""
    if not data or data.isspace():
        raise ImportFormatError(line=0, record=0, reason=gettext_noop("the file is empty"))
    text = _decode_with_bom(data)
    if text is not None:
        text = _refuse_binary(text)
    else:
        data = _strip_controls(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _decode_legacy(data, exc.start)
    text = text.lstrip("\ufeff")
    return _normalise_newlines(text) if "\r" in text else text
