"""Refusals of the guidance services. Status-free: the page or API decides how to answer."""

from __future__ import annotations

from facit.panel.errors import Refused as _PanelRefused


class Refused(_PanelRefused):
    """A request the guidance rules do not allow (publishing, rounds, comments, answers)."""
