"""The colours of the seven evidence levels on the map and the level badges.

Chosen so that every level can be told from every other: tests/evidence/test_palette.py
checks the CIEDE2000 colour difference between every pair (at least MIN_DELTA_E), the
contrast of every colour against the page background (at least 3:1, WCAG 1.4.11 for
graphics) and of white badge text on it (at least 4.5:1). Colour is never the only cue: each
level is written out beside its colour, and provisional levels carry a dashed outline.
Keep evidence.css's --level-N values equal to these (the test checks that too).
"""

from __future__ import annotations

BACKGROUND = "#ffffff"
MIN_DELTA_E = 20.0
LEVEL_COLOURS: dict[int, str] = {
    1: "#00563f",  # well supported: dark bluish green
    2: "#0072b2",  # supported: blue
    3: "#8a5a00",  # promising: dark amber
    4: "#333333",  # no effect: near black
    5: "#b3261e",  # concerning: red
    6: "#7b3f99",  # insufficient: purple
    7: "#767676",  # not evaluated: grey
}
