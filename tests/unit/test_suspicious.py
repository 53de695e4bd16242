"""Bulk patterns among applications: what is flagged, why, and what is left alone."""

from __future__ import annotations

import datetime as dt

from registrar.application import Application
from registrar.conference import Conference
from registrar.suspicious import Thresholds, find_bulk_patterns, mailbox, name_skeleton
from tests.support.people import stored

START = dt.datetime(2023, 4, 3, 14, 0, tzinfo=dt.UTC)


def applied(conference: Conference, number: int, minute: float, **overrides: object) -> Application:
    fields: dict[str, object] = {
        "submitted_at": START + dt.timedelta(minutes=minute),
        "organisation": f"Verein Nummer {number}",
        "municipality": f"Ort{number}",
        # Distinct names (the stored default differs only by digits, which look alike),
        # and mailboxes (the stored default differs only by a +tag).
        "family_name": f"Person{chr(65 + number % 26)}{chr(65 + number // 26)}",
        "email": f"person{number}@provider{number}.example",
    }
    return stored(conference, number, **(fields | overrides))


def test_a_burst_from_one_domain_is_flagged_with_why_and_every_ref(
    conference: Conference,
) -> None:
    bots = [applied(conference, n, minute=n / 2, email=f"bot{n}@bulk.example") for n in range(12)]
    others = [applied(conference, 100 + n, minute=n * 90) for n in range(6)]

    (finding,) = [f for f in find_bulk_patterns(bots + others) if f.kind == "email_domain"]

    assert finding.subject == "bulk.example"
    assert finding.refs == tuple(b.public_id for b in bots)
    assert finding.why.startswith("12 applications from addresses at bulk.example within 6 ")
    assert "5 or more within 30 minutes" in finding.why
    assert (finding.first, finding.last) == (bots[0].submitted_at, bots[-1].submitted_at)


def test_the_same_number_spread_over_days_is_no_burst(conference: Conference) -> None:
    spread = [
        applied(conference, n, minute=n * 24 * 60, email=f"p{n}@kassel.example") for n in range(12)
    ]
    assert find_bulk_patterns(spread) == []


def test_public_mail_providers_are_never_flagged_for_their_domain(
    conference: Conference,
) -> None:
    crowd = [applied(conference, n, minute=n / 10, email=f"p{n}@gmail.com") for n in range(20)]
    assert [f for f in find_bulk_patterns(crowd) if f.kind == "email_domain"] == []


def test_only_the_applications_inside_a_burst_are_named(conference: Conference) -> None:
    early = applied(conference, 0, minute=-600, email="alt@bulk.example")
    burst = [applied(conference, n, minute=n, email=f"b{n}@bulk.example") for n in range(1, 6)]

    (finding,) = [f for f in find_bulk_patterns([early, *burst]) if f.kind == "email_domain"]
    assert early.public_id not in finding.refs
    assert len(finding.refs) == 5


def test_one_organisation_however_spelt_in_a_short_time_is_flagged(
    conference: Conference,
) -> None:
    spellings = [
        "Stadtverwaltung Musterstadt",
        "Stadt Musterstadt",
        "stadt  musterstadt",
        "Gemeinde Muster-Stadt",
        "Musterstadt",
    ]
    same = [
        stored(
            conference,
            n,
            organisation=name,
            municipality="Musterstadt",
            email=f"p{n}@provider{n}.example",
            family_name=f"Person{chr(65 + n)}",
            submitted_at=START + dt.timedelta(minutes=n),
        )
        for n, name in enumerate(spellings)
    ]

    (finding,) = find_bulk_patterns(same)
    assert finding.kind == "organisation"
    assert finding.subject == "Stadtverwaltung Musterstadt"
    assert "(however spelt)" in finding.why
    assert len(finding.refs) == 5


def test_names_the_same_but_for_digits_case_accents_and_order_are_flagged(
    conference: Conference,
) -> None:
    names = [("Test", "Bot 1"), ("test", "bot 2"), ("Bot", "Test 3"), ("Tést", "Bot")]
    lookalikes = [
        applied(conference, n, minute=n * 24 * 60, given_name=given, family_name=family)
        for n, (given, family) in enumerate(names)
    ]

    (finding,) = find_bulk_patterns(lookalikes)
    assert finding.kind == "similar_names"
    assert len(finding.refs) == 4
    assert "near-identical names ('Bot Test 3', 'Test Bot 1', 'Tést Bot', …" in finding.why


def test_two_people_of_the_same_name_are_not_flagged(conference: Conference) -> None:
    namesakes = [
        applied(conference, n, minute=n * 600, given_name="Thomas", family_name="Müller")
        for n in range(2)
    ]
    assert find_bulk_patterns(namesakes) == []
    assert name_skeleton("Thomas", "Müller") == name_skeleton("thomas", "MULLER")


def test_erased_applications_are_left_out(conference: Conference) -> None:
    bots = [
        applied(conference, n, minute=n, email=f"bot{n}@bulk.example", erased=True)
        for n in range(8)
    ]
    assert find_bulk_patterns(bots) == []


def test_thresholds_are_the_organisers_to_set(conference: Conference) -> None:
    three = [applied(conference, n, minute=n * 20, email=f"b{n}@bulk.example") for n in range(3)]

    assert find_bulk_patterns(three) == []
    strict = Thresholds(window=dt.timedelta(hours=1), at_least=3)
    (finding,) = find_bulk_patterns(three, strict)
    assert "3 or more within 60 minutes" in finding.why


def test_one_mailbox_under_several_addresses_is_flagged(conference: Conference) -> None:
    tagged = [
        applied(conference, 1, minute=0, email="erika+1@beispiel.example"),
        applied(conference, 2, minute=3000, email="Erika+zwei@Beispiel.example"),
        applied(conference, 3, minute=6000, email="e.r.ika@gmail.com"),
        applied(conference, 4, minute=9000, email="erika@gmail.com"),
        applied(conference, 5, minute=9000, email="e.rika@beispiel.example"),  # dots count here
    ]

    findings = find_bulk_patterns(tagged)

    assert [(f.kind, f.subject, f.refs) for f in findings] == [
        ("same_mailbox", "erika@beispiel.example", (tagged[0].public_id, tagged[1].public_id)),
        ("same_mailbox", "erika@gmail.com", (tagged[2].public_id, tagged[3].public_id)),
    ]
    assert findings[0].why == (
        "2 applications from 2 addresses that all reach the mailbox erika@beispiel.example "
        "(a +tag, or dots Gmail ignores)."
    )
    assert mailbox("Max.Muster+x@GoogleMail.com") == "maxmuster@googlemail.com"
