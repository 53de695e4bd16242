"""The programme mail's .ics: parses, local times with the right offset, stable UIDs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest

from registrar.application import Application
from registrar.conference import Conference, load_conference
from registrar.i18n import language as language_named
from registrar.mail.calendar import programme_calendar
from registrar.mail.compose import compose, sample_application, sample_links

NOW = dt.datetime(2023, 5, 2, 9, 0, tzinfo=dt.UTC)
CEST = dt.timedelta(hours=2)


@pytest.fixture(scope="module")
def conference() -> Conference:
    return load_conference("kassel-2023")


def sample(conference: Conference, **changes: object) -> Application:
    application = sample_application(conference, "de", NOW, kind="program")
    return application.model_copy(update=changes) if changes else application


def events(data: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def by_item(found: dict[str, Any], item: str) -> Any:
    matches = [event for uid, event in found.items() if uid.startswith(f"{item}.")]
    assert len(matches) == 1, f"{item}: {sorted(found)}"
    return matches[0]


def ics(conference: Conference, application: Application, language: str = "de") -> bytes:
    return programme_calendar(application, conference, language_named(language), NOW)


def test_the_program_mail_attaches_a_parsable_calendar(conference: Conference) -> None:
    mail = compose("program", sample(conference), conference, sample_links(), NOW)
    (attachment,) = mail.attachments

    calendar = icalendar.Calendar.from_ical(attachment.data)

    assert attachment.content_type.startswith("text/calendar")
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    timezones = list(calendar.walk("VTIMEZONE"))
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Berlin"]


def test_workshops_are_at_their_local_times_in_summer_time(conference: Conference) -> None:
    found = events(ics(conference, sample(conference)))
    day1 = by_item(found, "workshop-day1")
    day2 = by_item(found, "workshop-day2")

    for event, start, end in (
        (day1, dt.datetime(2023, 5, 11, 12, 30), dt.datetime(2023, 5, 11, 14, 45)),
        (day2, dt.datetime(2023, 5, 12, 10, 30), dt.datetime(2023, 5, 12, 12, 15)),
    ):
        begins, ends = event.decoded("DTSTART"), event.decoded("DTEND")
        assert begins.replace(tzinfo=None) == start
        assert ends.replace(tzinfo=None) == end
        assert begins.utcoffset() == CEST
        assert ends.utcoffset() == CEST
        assert begins.isoformat().endswith("+02:00")
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(day1["SUMMARY"]) == "WS II: ‚Dritte Orte – Räume mit Potential‘"
    # no room is set (the announcement names none): the venue alone
    assert str(day1["LOCATION"]) == "Obere Königsstraße 8, 34117 Kassel"


def test_congress_days_span_the_programme_without_the_evening_tour(
    conference: Conference,
) -> None:
    found = events(ics(conference, sample(conference)))
    first = by_item(found, "day-20230511")
    second = by_item(found, "day-20230512")

    assert first.decoded("DTSTART").isoformat() == "2023-05-11T11:00:00+02:00"
    assert first.decoded("DTEND").isoformat() == "2023-05-11T17:30:00+02:00"
    assert second.decoded("DTSTART").isoformat() == "2023-05-12T09:00:00+02:00"
    assert second.decoded("DTEND").isoformat() == "2023-05-12T14:00:00+02:00"
    assert "Keynote" in str(first["DESCRIPTION"])


def test_the_tour_is_there_only_with_a_place(conference: Conference) -> None:
    with_place = events(ics(conference, sample(conference)))
    waiting = events(ics(conference, sample(conference, extras={"city_tour": "waitlist"})))

    tour = by_item(with_place, "extra-city_tour")
    assert tour.decoded("DTSTART").isoformat() == "2023-05-11T18:00:00+02:00"
    # the announcement gives the start only: no invented end or meeting point
    assert "DTEND" not in tour and "LOCATION" not in tour
    assert not any(uid.startswith("extra-") for uid in waiting)


def test_uids_are_stable_and_personal(conference: Conference) -> None:
    application = sample(conference)
    first = set(events(ics(conference, application)))
    again = set(events(ics(conference, application, language="en")))
    other = set(events(ics(conference, sample(conference, public_id="R-ABCD-EFGH"))))

    assert first == again
    assert first.isdisjoint(other)
    assert all(uid.endswith(".r-samp-le42.kassel-2023@registrar") for uid in first)


def test_english_calendar_uses_english_titles(conference: Conference) -> None:
    found = events(ics(conference, sample(conference), language="en"))

    summary = str(by_item(found, "workshop-day1")["SUMMARY"])
    assert summary == "WS II: 'Third places – spaces with potential'"


def test_the_tour_has_an_end_and_a_place_once_the_organisers_set_them(
    conference: Conference,
) -> None:
    tour = conference.extras[0].model_copy(
        update={"end": "19:30", "meeting_point": {"de": "Treffpunkt: Rathaus"}}
    )
    defined = conference.model_copy(update={"extras": [tour]})
    found = by_item(events(ics(defined, sample(defined))), "extra-city_tour")
    assert found.decoded("DTEND").isoformat() == "2023-05-11T19:30:00+02:00"
    assert str(found["LOCATION"]) == "Treffpunkt: Rathaus"
