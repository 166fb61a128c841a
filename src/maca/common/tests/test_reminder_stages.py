"""Reminder stages, due-date phrases and the daily run's time: pure functions of dates."""

from datetime import UTC, date, datetime, timedelta

import pytest

from maca.common.reminders import Stage, due_phrase, next_daily_run, reminder_stage

DUE = date(2025, 5, 12)


def _on(offset: int) -> Stage | None:
    return reminder_stage(DUE, DUE + timedelta(days=offset))


@pytest.mark.parametrize(
    ("offset", "code", "label"),
    [
        (-7, "before-7:2025-05-12", "7 days before"),
        (-1, "before-7:2025-05-12", "7 days before"),
        (0, "due:2025-05-12", "due today"),
        (6, "due:2025-05-12", "due today"),
        (7, "overdue-7:2025-05-12", "7 days overdue"),
        (13, "overdue-7:2025-05-12", "7 days overdue"),
        (14, "overdue-14:2025-05-12", "14 days overdue"),
        (70, "overdue-70:2025-05-12", "70 days overdue"),
    ],
)
def test_the_stage_of_each_day(offset: int, code: str, label: str) -> None:
    assert _on(offset) == Stage(code, label)


def test_no_reminder_before_seven_days_before() -> None:
    assert _on(-8) is None
    assert _on(-100) is None


def test_a_stage_lasts_until_the_next_so_a_missed_day_is_caught_up() -> None:
    codes = [stage.code for offset in range(-7, 15) if (stage := _on(offset)) is not None]
    assert list(dict.fromkeys(codes)) == [
        "before-7:2025-05-12",
        "due:2025-05-12",
        "overdue-7:2025-05-12",
        "overdue-14:2025-05-12",
    ]


def test_moving_the_due_date_starts_the_stages_again() -> None:
    later = DUE + timedelta(days=7)
    assert reminder_stage(later, later) == Stage("due:2025-05-19", "due today")
    assert reminder_stage(later, later) != reminder_stage(DUE, DUE)


def test_other_intervals() -> None:
    assert reminder_stage(DUE, DUE - timedelta(days=3), before_days=3) == Stage("before-3:2025-05-12", "3 days before")
    assert reminder_stage(DUE, DUE - timedelta(days=4), before_days=3) is None
    assert reminder_stage(DUE, DUE + timedelta(days=30), overdue_every_days=14) == Stage(
        "overdue-28:2025-05-12", "28 days overdue"
    )
    with pytest.raises(ValueError, match="at least 1"):
        reminder_stage(DUE, DUE, before_days=0)


@pytest.mark.parametrize(
    ("offset", "phrase"),
    [(-7, "in 7 days"), (-2, "in 2 days"), (-1, "tomorrow"), (0, "today"), (1, "1 day overdue"), (9, "9 days overdue")],
)
def test_due_phrase(offset: int, phrase: str) -> None:
    assert due_phrase(DUE, DUE + timedelta(days=offset)) == phrase


@pytest.mark.parametrize(
    ("now", "next_run"),
    [
        # Before 07:00 in London: today at 07:00 (British Summer Time: 06:00 UTC).
        (datetime(2025, 5, 12, 5, 59, tzinfo=UTC), datetime(2025, 5, 12, 6, 0, tzinfo=UTC)),
        # At or after 07:00: tomorrow.
        (datetime(2025, 5, 12, 6, 0, tzinfo=UTC), datetime(2025, 5, 13, 6, 0, tzinfo=UTC)),
        (datetime(2025, 5, 12, 22, 30, tzinfo=UTC), datetime(2025, 5, 13, 6, 0, tzinfo=UTC)),
        # 23:30 UTC on 12 May is already 13 May in London.
        (datetime(2025, 5, 12, 23, 30, tzinfo=UTC), datetime(2025, 5, 13, 6, 0, tzinfo=UTC)),
        # Across the clocks going back (26 October 2025): 07:00 GMT is 07:00 UTC.
        (datetime(2025, 10, 25, 12, 0, tzinfo=UTC), datetime(2025, 10, 26, 7, 0, tzinfo=UTC)),
        # Winter, before 07:00 GMT.
        (datetime(2025, 1, 6, 6, 59, tzinfo=UTC), datetime(2025, 1, 6, 7, 0, tzinfo=UTC)),
    ],
)
def test_the_daily_run_is_at_seven_in_the_morning_in_london(now: datetime, next_run: datetime) -> None:
    assert next_daily_run(now) == next_run
