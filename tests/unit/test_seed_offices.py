"""The demo's applicants: a few pairs registered by a mayor's office, all of them valid."""

from __future__ import annotations

import random
from collections import Counter

from registrar.conference import Conference
from registrar.submission import ON_BEHALF_LIMIT, validate_submission
from registrar_local.seed import OFFICE_EVERY, as_an_office_would, fake_applicant


def test_offices_register_pairs_within_the_limit_and_every_body_is_valid(
    conference: Conference,
) -> None:
    rng = random.Random(7)
    submissions = [
        validate_submission(as_an_office_would(fake_applicant(conference, rng, n), n), conference)
        for n in range(1, 301)
    ]
    by_office = Counter(s.submitted_by for s in submissions if s.submitted_by)
    assert sum(by_office.values()) == 2 * (300 // OFFICE_EVERY)
    assert set(by_office.values()) == {2} and max(by_office.values()) <= ON_BEHALF_LIMIT
    modes = {s.submitted_by: s.submitter_copy for s in submissions if s.submitted_by}
    assert set(modes.values()) == {"copy", "only"}
    for office in by_office:
        people = [s for s in submissions if s.submitted_by == office]
        assert len({s.organisation for s in people}) == 1  # a mayor and a deputy, one town
        assert all(s.email != office for s in people)
