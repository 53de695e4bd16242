"""The participants list: the new person fields as columns, option ids shown as labels."""

from __future__ import annotations

import datetime as dt
import random

from registrar.application import Application
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.services.registration import RegistrationService
from registrar.submission import validate_submission
from registrar_cli.export import build_rows, columns, to_csv
from tests.conftest import valid_request
from tests.fakes import APPLICANT_KEYS, MemoryApplications, MemoryQueue, submit_and_register

NOW = dt.datetime(2023, 3, 1, 9, 0, tzinfo=dt.UTC)


def _stored(conference: Conference, **fields: object) -> Application:
    """An application as a real submission stores it."""
    applications = MemoryApplications()
    service = RegistrationService(
        conference,
        applications,
        MemoryQueue(),
        SettableClock(NOW),
        random.Random(1),
        APPLICANT_KEYS,
    )
    submission = validate_submission(valid_request(conference, **fields), conference)
    submit_and_register(service, submission)
    (stored,) = applications.list(conference.id)
    return stored


def test_dietary_other_is_stored_as_its_id_and_exported_without_the_form_hint(
    conference: Conference,
) -> None:
    stored = _stored(conference, dietary="other", dietary_note="glutenfrei")
    assert (stored.dietary, stored.dietary_note) == ("other", "glutenfrei")
    rows = build_rows([stored], conference, "de")
    text = to_csv(rows, columns(conference, with_status=False), ";")
    assert "Andere; glutenfrei" in text
    assert "bitte unten angeben" not in text
    assert "please specify" not in to_csv(
        build_rows([stored], conference, "en"), columns(conference, with_status=False), ";"
    )


def test_salutation_title_function_and_role_are_columns(conference: Conference) -> None:
    stored = _stored(
        conference,
        salutation="frau",
        title="Prof. Dr.",
        function="Landrätin",
        group="district_administrator",
    )
    assert (stored.role, stored.group) == ("district_administrator", "mayor")
    headers = dict(columns(conference, with_status=False))
    assert headers["public_id"] == "Vorgangsnummer / Reference number"
    assert {"salutation", "title", "function"} <= set(headers)
    (row,) = build_rows([stored], conference, "de")
    assert (row["salutation"], row["title"], row["function"]) == ("Frau", "Prof. Dr.", "Landrätin")
    assert row["group"] == "Landrätin / Landrat"


def test_items_stored_before_the_new_fields_still_load_and_export(conference: Conference) -> None:
    stored = _stored(conference)
    old = stored.model_dump(mode="json")
    for name in ("salutation", "title", "function", "role"):
        del old[name]
    loaded = Application.model_validate(old)
    assert (loaded.salutation, loaded.title, loaded.function, loaded.role) == ("none", "", "", "")
    (row,) = build_rows([loaded], conference, "de")
    assert row["salutation"] == "" and row["group"] == "Kommunale Verwaltungen"
