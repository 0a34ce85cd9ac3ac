"""Layout of the PRISMA 2020 flow diagram (new review, databases and registers) as boxes,
lines of text and arrows; the template `literature/prisma.svg` draws them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from facit.literature.selectors import Prisma

LINE = 18
PAD = 10
LEFT_X, LEFT_W = 150, 330
RIGHT_X, RIGHT_W = 540, 330
GAP = 36


@dataclass
class Box:
    x: int
    y: int
    w: int
    lines: list[tuple[str, bool]]
    h: int = 0

    def __post_init__(self) -> None:
        self.h = PAD * 2 + LINE * len(self.lines)

    @property
    def text(self) -> list[tuple[int, int, str, bool]]:
        return [
            (self.x + PAD, self.y + PAD + LINE * (i + 1) - 4, text, bold)
            for i, (text, bold) in enumerate(self.lines)
        ]

    @property
    def mid_y(self) -> int:
        return self.y + self.h // 2


@dataclass
class Phase:
    label: str
    y: int
    h: int

    @property
    def cx(self) -> int:
        return 30

    @property
    def cy(self) -> int:
        return self.y + self.h // 2


@dataclass
class Diagram:
    width: int = RIGHT_X + RIGHT_W + 20
    height: int = 0
    boxes: list[Box] = field(default_factory=list)
    arrows: list[tuple[int, int, int, int]] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)


MAX_LABEL = 34
# The phase labels run vertically; a bold 13 px character is at most about 9 px wide,
# so a phase is made at least this tall per character (plus padding) to hold its label.
PHASE_CHAR = 9
PHASE_PAD = 16


def _phase_min(label: str) -> int:
    return len(label) * PHASE_CHAR + PHASE_PAD


def _n(label: str, n: int) -> tuple[str, bool]:
    """A label and its count; long labels are shortened (the table beside has them whole)."""
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1].rstrip() + "…"
    return (f"{label} (n = {n})", False)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _row(
    d: Diagram,
    y: int,
    left: list[tuple[str, bool]],
    right: list[tuple[str, bool]] | None,
    min_h: int = 0,
) -> tuple[Box, int]:
    lbox = Box(LEFT_X, y, LEFT_W, left)
    lbox.h = max(lbox.h, min_h)
    d.boxes.append(lbox)
    bottom = lbox.y + lbox.h
    if right:
        rbox = Box(RIGHT_X, y, RIGHT_W, right)
        rbox.h = max(rbox.h, min_h)
        d.boxes.append(rbox)
        d.arrows.append((LEFT_X + LEFT_W, lbox.mid_y, RIGHT_X - 2, lbox.mid_y))
        bottom = max(bottom, rbox.y + rbox.h)
    return lbox, bottom


def diagram(p: Prisma) -> Diagram:
    d = Diagram()
    y = 20
    sources = [_n(s.label, s.identified) for s in p.sources] or [
        (_("no searches or imports yet"), False)
    ]
    ident, bottom = _row(
        d,
        y,
        [(_("Records identified from:"), True), *sources, _n(_("Total"), p.identified)],
        [
            (_("Records removed before screening:"), True),
            _n(_("Duplicate records removed"), p.duplicates),
            _n(_("Records not imported"), p.not_imported),
        ],
        min_h=_phase_min(_("Identification")),
    )
    d.phases.append(Phase(_("Identification"), y, bottom - y))
    screen_top = y = bottom + GAP
    d.arrows.append((LEFT_X + LEFT_W // 2, ident.y + ident.h, LEFT_X + LEFT_W // 2, y - 2))
    right = [_n(_("Records excluded"), p.screen_excluded)]
    if p.screen_pending or p.screen_conflicts:
        right += [
            _n(_("Awaiting screening"), p.screen_pending),
            _n(_("In conflict"), p.screen_conflicts),
        ]
    screened = [_n(_("Records screened"), p.screened)]
    if p.allocation_text:
        screened += [(line, False) for line in _wrap(p.allocation_text, MAX_LABEL + 10)]
    prev, bottom = _row(d, y, screened, right)
    for left, right in (
        (
            [_n(_("Reports sought for retrieval"), p.sought)],
            [_n(_("Reports not retrieved"), p.not_retrieved)],
        ),
        (
            [_n(_("Reports assessed for eligibility"), p.assessed)],
            [(_("Reports excluded:"), True), *[_n(label, n) for label, n in p.ft_excluded]]
            + ([] if p.ft_excluded else [_n(_("Total"), 0)])
            + (
                [
                    _n(_("Awaiting full-text screening"), p.ft_pending),
                    _n(_("In conflict"), p.ft_conflicts),
                ]
                if p.ft_pending or p.ft_conflicts
                else []
            ),
        ),
    ):
        y = bottom + GAP
        d.arrows.append((LEFT_X + LEFT_W // 2, prev.y + prev.h, LEFT_X + LEFT_W // 2, y - 2))
        prev, bottom = _row(d, y, left, right)
    d.phases.append(Phase(_("Screening"), screen_top, bottom - screen_top))
    y = bottom + GAP
    d.arrows.append((LEFT_X + LEFT_W // 2, prev.y + prev.h, LEFT_X + LEFT_W // 2, y - 2))
    _box, bottom = _row(
        d,
        y,
        [_n(_("Reports included in the review"), p.included)],
        None,
        min_h=_phase_min(_("Included")),
    )
    d.phases.append(Phase(_("Included"), y, bottom - y))
    d.height = bottom + 20
    return d
