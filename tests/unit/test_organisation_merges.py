"""Organisers merge organisation names; the cap counts spellings and merges as one."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.services.admissions import AdmissionsService, spread_key
from registrar.services.organisation_merges import (
    AmbiguousOrganisation,
    OrganisationMerges,
    OrganisationNotFound,
    OrganisationsAlreadyOne,
)
from registrar.services.organiser import ReasonRequired
from registrar.store.interfaces import ConcurrentUpdate
from tests.fakes import MemoryApplications, MemoryQueue, MemoryRuns
from tests.support.people import stored

World = tuple[MemoryApplications, MemoryRuns, SettableClock]


@pytest.fixture
def world(conference: Conference) -> World:
    store, runs = MemoryApplications(), MemoryRuns()
    people = [
        ("Kreisverwaltung Beispielkreis", "Musterstadt"),
        ("KV Beispielkreis", "Musterstadt"),
        ("KV Beispielkreis", "Musterstadt"),
        ("Stadt Musterstadt", "Musterstadt"),
        ("Verein Engagiert e. V.", "Musterstadt"),
        ("Verein Engagiert e. V.", "Beispieldorf"),
    ]
    for number, (organisation, municipality) in enumerate(people, start=1):
        store.add(stored(conference, number, organisation=organisation, municipality=municipality))
    return store, runs, SettableClock(conference.closes_at + dt.timedelta(days=1))


def merges(conference: Conference, world: World) -> OrganisationMerges:
    store, runs, clock = world
    return OrganisationMerges(conference, store, runs, clock)


def test_a_merge_is_recorded_with_its_reason_and_time(conference: Conference, world: World) -> None:
    service = merges(conference, world)

    done = service.merge("KV Beispielkreis", "Kreisverwaltung Beispielkreis", "  same  office ")

    assert (done.moving, done.joined) == (2, 1)
    assert done.target == "landkreis:beispielkreis"
    (merge,) = service.current().merges
    assert (merge.merged, merge.into, merge.reason) == (
        "KV Beispielkreis",
        "Kreisverwaltung Beispielkreis",
        "same office",
    )
    assert merge.at == world[2].now()


def test_after_a_merge_the_cap_counts_both_names_as_one(
    conference: Conference, world: World
) -> None:
    store, runs, _ = world
    merges(conference, world).merge("KV Beispielkreis", "Landkreis Beispielkreis", "same office")
    aliases = runs.organisation_aliases(conference.id)

    keys = {
        spread_key(a, aliases)
        for a in store.list(conference.id)
        if "eispielkreis" in a.organisation
    }
    assert keys == {"landkreis:beispielkreis|musterstadt"}


def test_spellings_share_one_cap_without_any_merge(conference: Conference) -> None:
    one = stored(conference, 1, organisation="Stadtverwaltung Musterstadt")
    two = stored(conference, 2, organisation="stadt  Muster-Stadt")
    other_town = stored(conference, 3, organisation="Stadt Musterstadt", municipality="Ort")

    assert spread_key(one) == spread_key(two) == "kommune:musterstadt|musterstadt"
    assert spread_key(other_town) != spread_key(one)
    assert spread_key(stored(conference, 4, organisation="")) == ""


def test_the_admission_run_caps_merged_organisations_together(conference: Conference) -> None:
    store, runs, queue = MemoryApplications(), MemoryRuns(), MemoryQueue()
    cap, capacity = conference.admission.spread_cap, conference.admission.capacity
    assert cap is not None
    # Seats for everyone else and for `cap` of one office: the office's others must wait.
    others = capacity - cap
    for number in range(1, others + 1):
        store.add(stored(conference, number, organisation=f"Verein {number}", municipality="Ort"))
    office = ["Amt Nord", "Nordamt"] * (cap + 1)
    for number, name in enumerate(office, start=others + 1):
        store.add(stored(conference, number, organisation=name, municipality="Musterstadt"))
    clock = SettableClock(conference.closes_at + dt.timedelta(minutes=1))
    OrganisationMerges(conference, store, runs, clock).merge("Nordamt", "Amt Nord", "one office")

    run = AdmissionsService(conference, store, runs, queue, clock, random.Random(1)).run(
        "deadline", dry_run=True
    )

    seated = {c.public_id for c in run.changes if c.after in {"accepted", "offered"}}
    ids = {a.public_id: a.organisation for a in store.list(conference.id)}
    from_office = [ref for ref in seated if ids[ref] in {"Amt Nord", "Nordamt"}]
    assert len(seated) == capacity
    assert len(from_office) == cap  # both names under one cap: the rest of the office waits


def test_a_name_no_application_gives_is_refused(conference: Conference, world: World) -> None:
    service = merges(conference, world)

    with pytest.raises(OrganisationNotFound, match="'Kreis Nirgendwo'"):
        service.merge("Kreis Nirgendwo", "KV Beispielkreis", "typo")
    assert service.current().merges == ()


def test_merging_spellings_of_one_organisation_is_refused(
    conference: Conference, world: World
) -> None:
    service = merges(conference, world)

    with pytest.raises(OrganisationsAlreadyOne):
        service.merge("Kreis Beispielkreis", "Kreisverwaltung Beispielkreis", "same")


def test_a_target_that_names_two_organisations_must_say_which(
    conference: Conference, world: World
) -> None:
    store = world[0]
    # From Musterstadt, "Musterstadt" is its administration; from elsewhere, a body of that name.
    store.add(stored(conference, 50, organisation="Musterstadt", municipality="Beispieldorf"))

    with pytest.raises(AmbiguousOrganisation, match="'Musterstadt' names 2 different"):
        merges(conference, world).merge("KV Beispielkreis", "Musterstadt", "why")


def test_a_merge_needs_a_reason(conference: Conference, world: World) -> None:
    with pytest.raises(ReasonRequired):
        merges(conference, world).merge("KV Beispielkreis", "Landkreis Beispielkreis", "  ")


def test_a_merge_by_someone_else_meanwhile_is_not_overwritten(
    conference: Conference, world: World
) -> None:
    _, runs, clock = world
    service = merges(conference, world)
    read = service.current()
    service.merge("KV Beispielkreis", "Landkreis Beispielkreis", "first organiser")
    later = read.merged(
        "Stadt Musterstadt", "x", {"kommune:musterstadt"}, "x", "second", clock.now()
    )

    with pytest.raises(ConcurrentUpdate):
        runs.save_organisation_aliases(conference.id, later, read, conference.retention_until())
    assert [m.reason for m in service.current().merges] == ["first organiser"]
