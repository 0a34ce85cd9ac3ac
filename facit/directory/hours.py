"""Is a service open now? Evaluates HSDS 3.0 ``schedule`` objects.

Times are wall-clock times in Europe/Stockholm (the directory serves Sweden), with the
daylight-saving rules of ``zoneinfo``. HSDS says times without an offset are UTC; Swedish
providers write local time, so facit deliberately reads them as Stockholm time. An explicit
offset (``"09:00+01:00"`` or the schedule's numeric ``timezone``) is honoured as written.

The answer is three-valued: ``True``/``False`` when the schedules say so, ``None`` when
they cannot tell (no schedules, only a free-text ``description``, rules we cannot read).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_ALWAYS_OPEN = re.compile(
    r"\b(24/7|24 ?h|dygnet runt|alltid öppet|open 24 hours|always open)\b",
    re.IGNORECASE,
)


class ScheduleUnreadable(Exception):
    """A schedule whose rules cannot be evaluated (kept inside this module)."""


@dataclass(frozen=True, slots=True)
class _ClockTime:
    seconds: int  # since midnight; 86400 for "24:00"
    offset: timedelta | None


def _parse_time(text: str) -> _ClockTime:
    match = _TIME.match(text.strip())
    if not match:
        raise ScheduleUnreadable(f"unreadable time {text!r}")
    hours, minutes, seconds, offset = match.groups()
    total = int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0)
    if total > 86400 or int(minutes) > 59:
        raise ScheduleUnreadable(f"impossible time {text!r}")
    return _ClockTime(total, _parse_offset(offset) if offset else None)


def _parse_offset(text: str) -> timedelta:
    if text == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))


def _parse_day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError:
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError as exc:
            raise ScheduleUnreadable(f"unreadable date {value!r}") from exc


def _byday(value: Any) -> list[tuple[int | None, int]]:
    parts = [p.strip().upper() for p in str(value or "").split(",") if p.strip()]
    out = []
    for part in parts:
        match = _BYDAY.match(part)
        if not match:
            raise ScheduleUnreadable(f"unreadable byday {part!r}")
        position = int(match.group(1)) if match.group(1) else None
        out.append((position, WEEKDAYS.index(match.group(2))))
    return out


def _ints(value: Any) -> list[int]:
    try:
        return [int(p) for p in str(value).replace(" ", "").split(",") if p]
    except ValueError as exc:
        raise ScheduleUnreadable(f"unreadable number list {value!r}") from exc


def _schedule_zone(schedule: Mapping[str, Any], opens: _ClockTime) -> tzinfo:
    if opens.offset is not None:
        return timezone(opens.offset)
    offset = schedule.get("timezone")
    if isinstance(offset, (int, float)) and not isinstance(offset, bool):
        return timezone(timedelta(hours=offset))
    return STOCKHOLM


def _matches_day(schedule: Mapping[str, Any], day: date) -> bool:
    """Does the schedule put an opening on ``day`` (validity, recurrence and count)?"""
    if not _within_bounds(schedule, day) or not _matches_rule(schedule, day):
        return False
    count = schedule.get("count")
    if count in (None, ""):
        return True
    return _occurrence_number(schedule, day) <= int(count)


def _within_bounds(schedule: Mapping[str, Any], day: date) -> bool:
    starts = [_parse_day(schedule.get(k)) for k in ("valid_from", "dtstart")]
    ends = [_parse_day(schedule.get(k)) for k in ("valid_to", "until")]
    if any(start is not None and day < start for start in starts):
        return False
    return not any(end is not None and day > end for end in ends)


def _matches_rule(schedule: Mapping[str, Any], day: date) -> bool:
    freq = str(schedule.get("freq") or "").upper()
    if freq == "MONTHLY":
        return _matches_monthly(schedule, day)
    if freq not in ("", "WEEKLY"):
        raise ScheduleUnreadable(f"unsupported freq {freq!r}")
    return _matches_weekly(schedule, day)


def _occurrence_number(schedule: Mapping[str, Any], day: date) -> int:
    """1-based number of ``day`` among the schedule's openings since ``dtstart``."""
    dtstart = _parse_day(schedule.get("dtstart"))
    if dtstart is None:
        raise ScheduleUnreadable("count needs dtstart to count from")
    days = (day - dtstart).days + 1
    return sum(_matches_rule(schedule, dtstart + timedelta(days=offset)) for offset in range(days))


def _matches_weekly(schedule: Mapping[str, Any], day: date) -> bool:
    days = _byday(schedule.get("byday"))
    if days and day.weekday() not in {weekday for _pos, weekday in days}:
        return False
    if not days and schedule.get("freq"):
        dtstart = _parse_day(schedule.get("dtstart"))
        if dtstart is None:
            raise ScheduleUnreadable("weekly schedule without byday or dtstart")
        if day.weekday() != dtstart.weekday():
            return False
    weeks = schedule.get("byweekno")
    if weeks not in (None, ""):
        iso_week = day.isocalendar().week
        last = date(day.isocalendar().year, 12, 28).isocalendar().week
        wanted = {w if w > 0 else last + 1 + w for w in _ints(weeks)}
        if iso_week not in wanted:
            return False
    return _matches_interval(schedule, day)


def _matches_interval(schedule: Mapping[str, Any], day: date) -> bool:
    interval = schedule.get("interval")
    if interval in (None, "", 1):
        return True
    dtstart = _parse_day(schedule.get("dtstart"))
    if dtstart is None:
        raise ScheduleUnreadable("an interval needs dtstart to count from")
    monday = dtstart - timedelta(days=dtstart.weekday())
    weeks = (day - monday).days // 7
    return weeks % int(interval) == 0


def _matches_monthly(schedule: Mapping[str, Any], day: date) -> bool:
    last = calendar.monthrange(day.year, day.month)[1]
    monthdays = schedule.get("bymonthday")
    if monthdays not in (None, ""):
        wanted = {d if d > 0 else last + 1 + d for d in _ints(monthdays)}
        if day.day not in wanted:
            return False
    days = _byday(schedule.get("byday"))
    if days:
        nth = (day.day - 1) // 7 + 1
        nth_from_end = -((last - day.day) // 7 + 1)
        if not any(
            weekday == day.weekday() and position in (None, nth, nth_from_end)
            for position, weekday in days
        ):
            return False
    if monthdays in (None, "") and not days:
        dtstart = _parse_day(schedule.get("dtstart"))
        if dtstart is None:
            raise ScheduleUnreadable("monthly schedule without a day")
        return day.day == dtstart.day
    return True


def _open_under(schedule: Mapping[str, Any], at: datetime) -> bool | None:
    """One schedule's verdict, or None when it carries no rule we can evaluate."""
    opens_text, closes_text = schedule.get("opens_at"), schedule.get("closes_at")
    if not opens_text or not closes_text:
        description = str(schedule.get("description") or "")
        if not opens_text and not closes_text and _ALWAYS_OPEN.search(description):
            return _matches_day(schedule, at.astimezone(STOCKHOLM).date())
        return None
    opens, closes = _parse_time(str(opens_text)), _parse_time(str(closes_text))
    local = at.astimezone(_schedule_zone(schedule, opens))
    now = local.hour * 3600 + local.minute * 60 + local.second
    if closes.seconds > opens.seconds:
        return opens.seconds <= now < closes.seconds and _matches_day(schedule, local.date())
    # Overnight (closes at or before it opens): the evening part belongs to today's
    # opening, the small hours to yesterday's.
    if now >= opens.seconds:
        return _matches_day(schedule, local.date())
    if now < closes.seconds:
        return _matches_day(schedule, local.date() - timedelta(days=1))
    return False


def is_open(schedules: Iterable[Mapping[str, Any]], at: datetime) -> bool | None:
    """Whether any of ``schedules`` is open at ``at`` (naive means Stockholm time).

    ``True`` if one schedule is open; else ``None`` if one could not be read (or only has
    a free-text description); else ``False`` when at least one readable schedule says
    closed; ``None`` when there are no schedules at all.
    """
    moment = at if at.tzinfo is not None else at.replace(tzinfo=STOCKHOLM)
    verdicts: list[bool | None] = []
    for schedule in schedules:
        try:
            verdicts.append(_open_under(schedule, moment))
        except (ScheduleUnreadable, ValueError, TypeError, OverflowError):
            # Bad numbers (count="many", timezone=99) make a schedule unreadable too.
            verdicts.append(None)
    if any(v is True for v in verdicts):
        return True
    if not verdicts or any(v is None for v in verdicts):
        return None
    return False
