"""Opening hours from HSDS schedules, in Stockholm time."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facit.directory.hours import STOCKHOLM, is_open


def weekly(byday: str, opens: str, closes: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "s",
        "freq": "WEEKLY",
        "byday": byday,
        "opens_at": opens,
        "closes_at": closes,
        **extra,
    }


OFFICE = weekly("MO,TU,WE,TH,FR", "09:00", "17:00")
# 2026-01-05 is a Monday (checked below, not assumed).
MONDAY = datetime(2026, 1, 5)


def test_reference_monday_is_a_monday() -> None:
    assert MONDAY.weekday() == 0


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (MONDAY.replace(hour=9), True),  # opening minute is open
        (MONDAY.replace(hour=16, minute=59), True),
        (MONDAY.replace(hour=17), False),  # closing minute is closed
        (MONDAY.replace(hour=8, minute=59), False),
        (MONDAY + timedelta(days=4, hours=12), True),  # Friday
        (MONDAY + timedelta(days=5, hours=12), False),  # Saturday
    ],
)
def test_weekday_office_hours(at: datetime, expected: bool) -> None:
    assert is_open([OFFICE], at) is expected


def test_overnight_opening_continues_after_midnight() -> None:
    night = weekly("FR", "22:00", "03:00")
    friday = MONDAY + timedelta(days=4)
    assert is_open([night], friday.replace(hour=23)) is True
    assert is_open([night], friday + timedelta(days=1, hours=2, minutes=59)) is True
    assert is_open([night], friday + timedelta(days=1, hours=3)) is False
    # Friday before 03:00 belongs to Thursday night, which is not listed.
    assert is_open([night], friday.replace(hour=1)) is False


def test_closing_at_midnight_or_24_00_means_end_of_day() -> None:
    for closes in ("24:00", "00:00"):
        evening = weekly("MO", "18:00", closes)
        assert is_open([evening], MONDAY.replace(hour=23, minute=59)) is True
        assert is_open([evening], MONDAY + timedelta(days=1, minutes=1)) is False


def test_spring_forward_day_uses_summer_time() -> None:
    sunday = weekly("SU", "09:00", "17:00")
    at = datetime(2026, 3, 29, 15, 30, tzinfo=UTC)
    assert at.astimezone(STOCKHOLM).utcoffset() == timedelta(hours=2)  # the DST day
    assert is_open([sunday], at) is False  # 17:30 local, though 16:30 in winter time
    assert is_open([sunday], at - timedelta(hours=1)) is True


def test_overnight_opening_across_the_clock_change() -> None:
    night = weekly("SA", "22:00", "03:00")
    before_jump = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 winter time
    after_jump = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time
    assert before_jump.astimezone(STOCKHOLM).utcoffset() == timedelta(hours=1)
    assert after_jump.astimezone(STOCKHOLM).utcoffset() == timedelta(hours=2)
    assert is_open([night], before_jump) is True
    assert is_open([night], after_jump) is False


def test_naive_datetime_is_stockholm_time_and_aware_is_converted() -> None:
    at_utc = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)  # 09:30 in Stockholm (winter)
    assert is_open([OFFICE], at_utc) is True
    assert is_open([OFFICE], datetime(2026, 1, 5, 8, 30)) is False


def test_explicit_offset_in_times_is_honoured() -> None:
    utc_hours = weekly("MO", "09:00Z", "17:00Z")
    assert is_open([utc_hours], MONDAY.replace(hour=9, minute=30)) is False  # 08:30Z
    assert is_open([utc_hours], MONDAY.replace(hour=17, minute=30)) is True  # 16:30Z


def test_valid_from_and_valid_to_bound_the_schedule() -> None:
    summer = weekly("MO", "09:00", "17:00", valid_from="2026-06-01", valid_to="2026-08-31")
    assert is_open([summer], datetime(2026, 6, 1, 10)) is True
    assert is_open([summer], datetime(2026, 8, 31, 10)) is True
    assert is_open([summer], datetime(2026, 9, 7, 10)) is False
    assert is_open([summer], datetime(2026, 5, 25, 10)) is False


def test_until_ends_the_recurrence() -> None:
    ending = weekly("MO", "09:00", "17:00", until="2026-01-05")
    assert is_open([ending], MONDAY.replace(hour=10)) is True
    assert is_open([ending], MONDAY + timedelta(days=7, hours=10)) is False


def test_fortnightly_interval_counts_from_dtstart() -> None:
    fortnightly = weekly("MO", "09:00", "17:00", interval=2, dtstart="2026-01-05")
    assert is_open([fortnightly], MONDAY.replace(hour=10)) is True
    assert is_open([fortnightly], MONDAY + timedelta(days=7, hours=10)) is False
    assert is_open([fortnightly], MONDAY + timedelta(days=14, hours=10)) is True


def test_interval_without_dtstart_is_unknown() -> None:
    assert is_open([weekly("MO", "09:00", "17:00", interval=2)], MONDAY.replace(hour=10)) is None


def test_monthly_positional_weekday() -> None:
    first_monday = {
        "id": "m",
        "freq": "MONTHLY",
        "byday": "1MO",
        "opens_at": "10:00",
        "closes_at": "12:00",
    }
    last_friday = {
        "id": "m",
        "freq": "MONTHLY",
        "byday": "-1FR",
        "opens_at": "10:00",
        "closes_at": "12:00",
    }
    assert is_open([first_monday], datetime(2026, 1, 5, 11)) is True
    assert is_open([first_monday], datetime(2026, 1, 12, 11)) is False
    assert datetime(2026, 1, 30).weekday() == 4  # last Friday of January 2026
    assert is_open([last_friday], datetime(2026, 1, 30, 11)) is True
    assert is_open([last_friday], datetime(2026, 1, 23, 11)) is False


def test_monthly_by_month_day_including_last_day() -> None:
    schedule = {
        "id": "m",
        "freq": "MONTHLY",
        "bymonthday": "1,-1",
        "opens_at": "10:00",
        "closes_at": "12:00",
    }
    assert is_open([schedule], datetime(2026, 2, 28, 11)) is True
    assert is_open([schedule], datetime(2026, 2, 1, 11)) is True
    assert is_open([schedule], datetime(2026, 2, 15, 11)) is False


def test_description_only_is_unknown() -> None:
    assert is_open([{"id": "d", "description": "Efter överenskommelse"}], MONDAY) is None


def test_description_saying_always_open_is_open() -> None:
    assert is_open([{"id": "d", "description": "Öppet dygnet runt"}], MONDAY) is True


def test_no_schedules_is_unknown() -> None:
    assert is_open([], MONDAY) is None


def test_any_open_schedule_wins_and_unknown_beats_closed() -> None:
    saturday = weekly("SA", "10:00", "14:00")
    vague = {"id": "d", "description": "Ring för tid"}
    assert is_open([saturday, OFFICE], MONDAY.replace(hour=10)) is True
    assert is_open([saturday, OFFICE], MONDAY.replace(hour=20)) is False
    assert is_open([OFFICE, vague], MONDAY.replace(hour=20)) is None


def test_unreadable_time_is_unknown_not_an_exception() -> None:
    assert is_open([weekly("MO", "nine", "17:00")], MONDAY.replace(hour=10)) is None
    assert is_open([weekly("XX", "09:00", "17:00")], MONDAY.replace(hour=10)) is None


def test_the_later_of_valid_from_and_dtstart_starts_the_schedule() -> None:
    schedule = weekly("MO", "09:00", "17:00", valid_from="2026-01-01", dtstart="2026-01-12")
    assert is_open([schedule], MONDAY.replace(hour=10)) is False
    assert is_open([schedule], MONDAY + timedelta(days=7, hours=10)) is True


def test_count_limits_the_number_of_openings() -> None:
    three_mondays = weekly("MO", "09:00", "17:00", dtstart="2026-01-05", count=3)
    assert is_open([three_mondays], MONDAY + timedelta(days=14, hours=10)) is True
    assert is_open([three_mondays], MONDAY + timedelta(days=21, hours=10)) is False


def test_count_without_dtstart_is_unknown() -> None:
    assert is_open([weekly("MO", "09:00", "17:00", count=3)], MONDAY.replace(hour=10)) is None


_VALUES = st.one_of(
    st.none(),
    st.integers(-100, 100),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        ["WEEKLY", "MONTHLY", "MO,FR", "-1SU", "2026-01-05", "09:00", "24:00", "25:99"]
    ),
)
_SCHEDULES = st.dictionaries(
    st.sampled_from(
        [
            "freq",
            "byday",
            "opens_at",
            "closes_at",
            "valid_from",
            "valid_to",
            "dtstart",
            "until",
            "count",
            "interval",
            "bymonthday",
            "byweekno",
            "timezone",
            "description",
        ]
    ),
    _VALUES,
)


@settings(max_examples=300, deadline=None)
@given(schedules=st.lists(_SCHEDULES, max_size=3), minutes=st.integers(0, 60 * 24 * 400))
def test_any_schedule_gives_an_answer_never_an_exception(
    schedules: list[dict[str, Any]], minutes: int
) -> None:
    assert is_open(schedules, MONDAY + timedelta(minutes=minutes)) in (
        True,
        False,
        None,
    )


def test_fall_back_hour_counts_twice() -> None:
    small_hours = weekly("SU", "02:00", "03:00")
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 again, winter time
    assert first.astimezone(STOCKHOLM).hour == second.astimezone(STOCKHOLM).hour == 2
    assert first.astimezone(STOCKHOLM).utcoffset() != second.astimezone(STOCKHOLM).utcoffset()
    assert is_open([small_hours], first) is True
    assert is_open([small_hours], second) is True
    assert is_open([small_hours], datetime(2026, 10, 25, 2, 0, tzinfo=UTC)) is False
