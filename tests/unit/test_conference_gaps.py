"""The keys the organisers still have to set, read from the definition's comments."""

from __future__ import annotations

import logging

import pytest

from registrar import conference_cache, conference_gaps, yaml_files
from registrar.conference import load_conference, unset_by_organisers
from registrar.yaml_files import compose_yaml


def marked_keys(text: str) -> list[str]:
    return conference_gaps.marked_keys(text, compose_yaml(text))


KASSEL_UNSET = [
    "organiser.contact_email",
    "registration.opens_at",
    "registration.reminder_hours_before_deadline",
    "privacy_notice_version",
    "privacy_notice_url",
    "imprint_url",
    "admission.capacity",
    "admission.spread_cap",
    "admission.offer_working_days",
    "admission.waitlist_closes_at",
    "admission.substitute_until",
    "attendee_groups",
    "roles.district_administrator.group",
    "workshop_slots.day1.workshops.d1-ws1.capacity",
    "extras.city_tour.capacity",
    "programme_mail_days_before",
]


def test_the_kassel_definition_names_what_is_still_to_set() -> None:
    assert unset_by_organisers("kassel-2023") == KASSEL_UNSET


def test_marks_on_the_line_or_in_the_block_above_count() -> None:
    text = """\
# Values marked "ORGANISERS: set" are defaults (prose about the marker, not a mark)
id: demo
title: "Tagung #1"   # a comment without the mark
venue:
  name: "Saal"   # ORGANISERS: set
  city: 'Kassel # Mitte'
# Reminder before the deadline.
# ORGANISERS: set
reminder_hours: 24
place:
  # Add a name when the organisers give one (ORGANISERS: set); until then none shows.
  street: "Hauptstraße 1"
groups:
  - id: mayor
    reserved: 3   # ORGANISERS: set (a guess)
  - {label: x, reserved: 1}   # ORGANISERS: set
hint: "say ORGANISERS: set here"
"""
    assert marked_keys(text) == [
        "venue.name",
        "reminder_hours",
        "groups.mayor.reserved",
        "groups.1.label",
    ]


def test_an_unmarked_definition_has_nothing_to_set() -> None:
    assert marked_keys("id: demo\ncapacity: 10  # from the announcement\n") == []


def test_the_loader_warns_once_naming_the_keys(caplog: pytest.LogCaptureFixture) -> None:
    load_conference.cache_clear()
    with caplog.at_level(logging.WARNING, logger="registrar.conference"):
        load_conference("kassel-2023")
        load_conference("kassel-2023")
    warnings = [r for r in caplog.records if r.name == "registrar.conference"]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert f"{len(KASSEL_UNSET)} values" in message and "admission.capacity" in message
    assert "@" not in message  # keys, never their values


def test_the_loader_reads_the_definition_once_for_its_data_and_its_gaps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the build's validated form (``test_prebuilt``), one YAML composition per
    cold start, not a second one for the warning (3.6 ms)."""
    parsers: list[str] = []

    class CountingLoader(yaml_files._Loader):  # type: ignore[misc, name-defined]
        def __init__(self, stream: str) -> None:
            parsers.append(stream[:20])
            super().__init__(stream)

    monkeypatch.setattr(yaml_files, "_Loader", CountingLoader)
    monkeypatch.setattr(conference_cache, "read", lambda path, text: None)
    load_conference.cache_clear()
    try:
        conference = load_conference("kassel-2023")
    finally:
        load_conference.cache_clear()
    assert len(parsers) == 1
    assert conference.id == "kassel-2023"
    assert unset_by_organisers("kassel-2023") == KASSEL_UNSET
