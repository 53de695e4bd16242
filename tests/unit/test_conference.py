"""The conference definition: the Kassel file loads, and broken files name the broken field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from registrar.conference import (
    DEFINITIONS_DIR,
    Conference,
    ConferenceDefinitionError,
    load_conference,
    parse_conference,
)

KASSEL = (DEFINITIONS_DIR / "kassel-2023.yaml").read_text(encoding="utf-8")


def _broken(change: dict[str, object]) -> str:
    raw = yaml.safe_load(KASSEL)
    for dotted, value in change.items():
        *path, last = dotted.split(".")
        node = raw
        for part in path:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is None:
            del node[last]
        else:
            node[last] = value
    return yaml.safe_dump(raw, allow_unicode=True)


def test_kassel_definition_has_the_announced_facts(conference: Conference) -> None:
    assert conference.dates == [dt.date(2023, 5, 11), dt.date(2023, 5, 12)]
    assert conference.venue.address == "Obere Königsstraße 8, 34117 Kassel"
    assert conference.timezone == "Europe/Berlin"
    assert [len(slot.workshops) for slot in conference.workshop_slots] == [3, 3]
    assert conference.extra("city_tour").start == "18:00"
    assert conference.languages == ["de", "en"]


def test_deadline_includes_the_whole_last_minute_in_summer_time(conference: Conference) -> None:
    assert conference.deadline.isoformat() == "2023-04-10T23:59:59.999999+02:00"
    assert conference.closes_at.isoformat() == "2023-04-11T00:00:00+02:00"
    assert conference.registration_state(conference.deadline) == "open"
    assert conference.registration_state(conference.closes_at) == "closed"
    assert (
        conference.registration_state(conference.opens_at - dt.timedelta(seconds=1)) == "not_open"
    )


def test_times_that_touch_but_do_not_overlap_are_fine() -> None:
    touching = _broken({"extras.0.date": "2023-05-11", "extras.0.start": "14:45"})
    assert parse_conference(touching, "touching.yaml").extras[0].start == "14:45"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"admission.capacity": -5}, "admission.capacity"),
        ({"registration.deadline": "2023-05-20T00:00:00"}, "registration.deadline"),
        ({"attendee_groups.0.reserved": 1000}, "attendee_groups"),
        ({"workshop_slots.0.workshops.0.capacity": 1}, "workshop_slots.day1"),
        ({"title": {"en": "only English"}}, "title"),
        ({"venue": None}, "venue"),
        ({"admission.order": "alphabetical"}, "admission.order"),
        ({"admission.precedence": "mayors_first"}, "admission.precedence"),
        ({"surprise": 1}, "surprise"),
        ({"roles.1.group": "mayors"}, "roles.district_administrator"),
        ({"roles.1.id": "mayor"}, "roles: duplicate id 'mayor'"),
        ({"venue.state": "hessen"}, "venue.state"),
        ({"admission.offer_working_days": 0}, "admission.offer_working_days"),
        # times a participant cannot keep (#14 finding 7)
        (
            {
                "workshop_slots.1.date": "2023-05-11",
                "workshop_slots.1.start": "13:00",
                "workshop_slots.1.end": "14:00",
            },
            "workshop_slots.day1 (12:30–14:45) and workshop_slots.day2",
        ),
        ({"extras.0.start": "14:00"}, "extras.city_tour (14:00–14:01) overlap on 2023-05-11"),
        (
            {"extras.0.start": "12:00", "extras.0.end": "13:00"},
            "workshop_slots.day1 (12:30–14:45) and extras.city_tour (12:00–13:00) overlap",
        ),
        ({"workshop_slots.0.end": "12:30"}, "workshop_slots.day1: ends at 12:30"),
        ({"extras.0.end": "17:00"}, "extras.city_tour: ends at 17:00, not after its start"),
    ],
)
def test_a_broken_definition_gives_one_error_naming_the_field(
    change: dict[str, object], named: str
) -> None:
    with pytest.raises(ConferenceDefinitionError) as raised:
        parse_conference(_broken(change), "broken.yaml")
    message = str(raised.value)
    assert message.startswith("broken.yaml: ")
    assert named in message


def test_not_yaml_and_unknown_ids_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ConferenceDefinitionError, match="not valid YAML"):
        parse_conference("a: [", "x.yaml")
    with pytest.raises(ConferenceDefinitionError, match="no such conference"):
        load_conference("does-not-exist")
    with pytest.raises(ConferenceDefinitionError, match="not a conference id"):
        load_conference("../etc/passwd")


def test_every_role_counts_for_a_group_and_every_group_is_a_role(conference: Conference) -> None:
    """Group ids stay valid answers: submissions and lists made before roles keep working."""
    assert set(conference.group_ids) <= set(conference.role_ids)
    assert conference.role("district_administrator").group == "mayor"
    assert conference.role("council").group == "council"


def test_the_venue_is_its_address_alone_without_a_name(conference: Conference) -> None:
    assert conference.venue.name == "" and conference.venue.travel_note is None
    assert conference.venue.place == "Obere Königsstraße 8, 34117 Kassel"
    assert [day.span for day in conference.programme] == [("11:00", "17:30"), ("09:00", "14:00")]


def test_precedence_is_open_first_unless_the_definition_says_otherwise() -> None:
    assert parse_conference(
        _broken({"admission.precedence": None}), "x.yaml"
    ).admission.precedence == ("open_first")
    chosen = parse_conference(_broken({"admission.precedence": "reserved_first"}), "x.yaml")
    assert chosen.admission.precedence == "reserved_first"


def _with_workshops(count: int) -> str:
    raw = yaml.safe_load(KASSEL)
    slot = raw["workshop_slots"][0]
    template = slot["workshops"][0]
    slot["workshops"] = [
        {**template, "id": f"ws{n}", "capacity": raw["admission"]["capacity"]} for n in range(count)
    ]
    return yaml.safe_dump(raw, allow_unicode=True)


def test_a_slot_may_hold_up_to_fifty_parallel_workshops() -> None:
    assert len(parse_conference(_with_workshops(50), "x.yaml").workshop_slots[0].workshops) == 50
    with pytest.raises(ConferenceDefinitionError, match="workshop_slots"):
        parse_conference(_with_workshops(51), "x.yaml")
