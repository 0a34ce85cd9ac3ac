"""Texts joined as sentences: each part begins with a capital letter and ends with a stop.

Stored phrases ("from 15 years", "support for …") are often lower-case fragments without a
stop; shown after another sentence they would read "Evonhuset Malmö. från 15 år". Pure
Python (no Django), shared by seeding and templates.
"""

from __future__ import annotations

_STOPS = ".!?…"


def sentence(text: str) -> str:
    """One sentence: a first letter upper-case (the rest untouched), a stop at the end."""
    text = (text or "").strip()
    if not text:
        return ""
    i = len(text) - len(text.lstrip("(\"“«'"))
    if i < len(text) and text[i].isalpha():  # "15–25 år" stays as it is
        text = text[:i] + text[i].upper() + text[i + 1 :]
    if text[-1] in _STOPS or (text[-1] in ')"”»' and text[-2:-1] in _STOPS):
        return text
    return f"{text}."


def sentences(*parts: str) -> str:
    """The non-empty parts as sentences, joined with a space."""
    return " ".join(s for s in (sentence(p) for p in parts) if s)
