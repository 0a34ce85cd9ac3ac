"""What panel needs from the apps built on it, registered by them in AppConfig.ready().

panel sits below guidance and the directory: guidance sends review rounds to panel members,
and the directory lists the support a member may call after hard material. panel imports
neither; each registers here what panel's pages and services ask of it:

- `register_contributions(...)` (guidance): a member's rounds and comments for their pages,
  closing their invitations when consent to review is withdrawn, and counting or erasing
  their contributions when they leave;
- `register_aftercare_contacts(...)` (directory): the verified services for aftercare.

Without a registration each answers "nothing" (no rounds, no comments, nothing to erase).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Contributions:
    """One app's share of what a panel member contributes (functions take keywords)."""

    rounds: Callable[..., list[Any]]  # (member=) -> rounds, each with its `invitation`
    comments: Callable[..., list[Any]]  # (member_id=) -> the member's comments with answers
    invitations_close: Callable[..., int]  # (member_id=) -> invitations closed
    counts: Callable[..., dict[str, int]]  # (member_id=) -> what leaving would touch
    erase: Callable[..., dict[str, int]]  # (member_id=, delete=) -> what leaving touched


_CONTRIBUTIONS: list[Contributions] = []
_AFTERCARE: list[Callable[[], list[Any]]] = []


def register_contributions(provider: Contributions) -> None:
    if provider not in _CONTRIBUTIONS:
        _CONTRIBUTIONS.append(provider)


def register_aftercare_contacts(func: Callable[[], list[Any]]) -> None:
    if func not in _AFTERCARE:
        _AFTERCARE.append(func)


def member_rounds(*, member: Any) -> list[Any]:
    return [r for p in _CONTRIBUTIONS for r in p.rounds(member=member)]


def member_comments(*, member_id: int) -> list[Any]:
    return [c for p in _CONTRIBUTIONS for c in p.comments(member_id=member_id)]


def member_invitations_close(*, member_id: int) -> int:
    return sum(p.invitations_close(member_id=member_id) for p in _CONTRIBUTIONS)


def _merged(parts: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for part in parts:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total


def member_contribution_counts(*, member_id: int) -> dict[str, int]:
    return _merged([p.counts(member_id=member_id) for p in _CONTRIBUTIONS])


def member_contributions_erase(*, member_id: int, delete: bool) -> dict[str, int]:
    return _merged([p.erase(member_id=member_id, delete=delete) for p in _CONTRIBUTIONS])


def aftercare_contacts() -> list[Any]:
    return [service for func in _AFTERCARE for service in func()]
