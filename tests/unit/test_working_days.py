"""Offer deadlines in working days at the venue: weekends and Hessen's holidays do not count."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from registrar.conference import load_conference
from registrar.services.admissions import offer_ttl
from registrar.working_days import is_working_day, offer_deadline

BERLIN = ZoneInfo("Europe/Berlin")


def _at(day: str, clock: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("made", "days", "until"),
    [
        # an ordinary week: Wednesday + 3 -> Thursday, Friday, Monday
        ("2023-04-12", 3, "2023-04-17"),
        # made on Friday: the weekend does not count
        ("2023-04-21", 1, "2023-04-24"),
        # made on Saturday or Sunday: Monday is the first working day
        ("2023-04-22", 1, "2023-04-24"),
        ("2023-04-23", 3, "2023-04-26"),
        # Easter 2023: Good Friday (7 April) and Easter Monday (10 April) are holidays
        ("2023-04-06", 1, "2023-04-11"),
        ("2023-04-06", 3, "2023-04-13"),
        # Whitsun 2023: Whit Monday (29 May) is a holiday
        ("2023-05-26", 1, "2023-05-30"),
        # Corpus Christi (8 June 2023) is a holiday in Hessen
        ("2023-06-07", 1, "2023-06-09"),
        # 1 May, Labour Day (a Monday in 2023)
        ("2023-04-28", 1, "2023-05-02"),
    ],
)
def test_an_offer_runs_to_the_end_of_the_nth_working_day(made: str, days: int, until: str) -> None:
    deadline = offer_deadline(_at(made), days, BERLIN, "DE", "HE")
    assert deadline == dt.datetime.fromisoformat(f"{until}T23:59:59.999999").replace(tzinfo=BERLIN)


def test_late_in_the_evening_counts_from_the_local_day() -> None:
    """23:30 on Friday in Kassel is still Friday (21:30 UTC): Monday is the first day."""
    made = dt.datetime(2023, 4, 21, 21, 30, tzinfo=dt.UTC)
    assert offer_deadline(made, 1, BERLIN, "DE", "HE").date() == dt.date(2023, 4, 24)


def test_holidays_follow_the_state() -> None:
    corpus_christi = dt.date(2023, 6, 8)
    assert not is_working_day(corpus_christi, "DE", "HE")
    assert is_working_day(corpus_christi, "DE", "BE")  # not a holiday in Berlin
    assert not is_working_day(dt.date(2023, 4, 7), "DE", None)  # Good Friday everywhere


def test_at_least_one_working_day() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        offer_deadline(_at("2023-04-12"), 0, BERLIN, "DE", "HE")


def test_the_kassel_offer_never_ends_on_a_saturday_morning() -> None:
    """The old 72 hours from a Wednesday-morning run ended on Saturday, 06:00."""
    conference = load_conference("kassel-2023")
    assert conference.venue.state == "HE"
    run_at = _at("2023-04-12", "06:00")
    ttl = offer_ttl(conference, run_at)
    assert ttl is not None
    until = run_at + ttl
    assert until == _at("2023-04-17", "23:59").replace(second=59, microsecond=999_999)
    assert until.weekday() < 5
