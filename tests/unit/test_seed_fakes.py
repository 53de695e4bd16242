"""The local stack's fake applicants: each from an address of their own, names of their
own, and a clearly marked scripted bulk that `applications suspicious` is there to flag."""

from __future__ import annotations

import datetime as dt
import ipaddress
import random

from registrar.conference import Conference
from registrar.submission import validate_submission
from registrar.suspicious import find_bulk_patterns
from registrar_local.seed import (
    BULK_DOMAIN,
    BULK_SIZE,
    fake_applicant,
    fake_client,
    scripted_fake,
)
from tests.support.people import stored


def test_each_person_sends_from_a_documentation_address_of_their_own() -> None:
    addresses = [fake_client(f"applicant{n}@example.org") for n in range(300)]

    assert len(set(addresses)) == 300
    assert all(ipaddress.ip_address(a) in ipaddress.ip_network("2001:db8::/32") for a in addresses)
    assert fake_client("applicant1@example.org") == addresses[1]  # the same person, again


def test_the_scripted_bulk_is_clearly_marked_and_passes_the_form(conference: Conference) -> None:
    bulk = [scripted_fake(conference, n) for n in range(1, BULK_SIZE + 1)]

    assert [b["email"] for b in bulk[:2]] == [f"bot1@{BULK_DOMAIN}", f"bot2@{BULK_DOMAIN}"]
    assert {b["given_name"] for b in bulk} == {"Test"}
    assert bulk[11]["family_name"] == "Bot 12"
    for body in bulk:
        validate_submission(body, conference)  # a valid form, as a script would send


def test_three_hundred_fake_people_do_not_look_like_a_bulk(conference: Conference) -> None:
    rng = random.Random(2023)
    people = []
    for number in range(1, 301):
        body = fake_applicant(conference, rng, number)
        arrived = conference.opens_at + dt.timedelta(hours=3 * number)
        fields = {k: body[k] for k in ("email", "given_name", "family_name", "organisation")}
        people.append(
            stored(
                conference,
                number,
                municipality=body["municipality"],
                submitted_at=arrived,
                **fields,
            )
        )

    assert find_bulk_patterns(people) == []
