"""Changing workshop rankings and extras before the deadline: rules, window, history, page."""

from __future__ import annotations

import datetime as dt

import pytest

from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.errors import RegistrationClosed, TransitionNotAllowed
from registrar.services.registration import RegistrationService
from registrar.submission import (
    FieldError,
    InvalidSubmission,
    extra_field,
    ranking_field,
    read_preferences,
    validate_preferences,
    validate_submission,
)
from registrar.web.manage import allowed_actions
from registrar.web.pages import render_manage
from tests.conftest import valid_request
from tests.fakes import MemoryApplications, MemoryQueue, applicant_key, submit_and_register

EMAIL = "erika.mustermann+1@example.org"


@pytest.fixture
def key(service: RegistrationService, conference: Conference) -> str:
    """An applicant (language ``en``) who wanted no extras."""
    request = valid_request(conference, 1, email=EMAIL, language="en")
    submit_and_register(service, validate_submission(request, conference))
    return applicant_key(conference.id, EMAIL)


def _reversed(
    conference: Conference, service: RegistrationService, key: str
) -> dict[str, list[str]]:
    current = service.get(key).rankings
    return {slot.id: list(reversed(current[slot.id])) for slot in conference.workshop_slots}


def test_a_new_ranking_and_the_tour_are_stored_with_a_history_entry(
    service: RegistrationService,
    conference: Conference,
    store: MemoryApplications,
    queue: MemoryQueue,
    open_clock: SettableClock,
    key: str,
) -> None:
    before = service.get(key)
    rankings = _reversed(conference, service, key)
    updated = service.update_preferences(key, rankings, ["city_tour"])
    assert updated.rankings == rankings and updated.extras_wanted == ["city_tour"]
    stored = service.get(key)
    assert stored.rankings == rankings and stored.extras_wanted == ["city_tour"]
    entry = stored.history[-1]
    assert (entry.action, entry.actor) == ("preferences_changed", "applicant")
    tour = "" if "city_tour" in before.extras_wanted else "; city_tour: not wanted → wanted"
    assert (
        entry.detail
        == "; ".join(  # which preferences, from what to what
            f"{slot}: {' > '.join(before.rankings[slot])} → {' > '.join(rankings[slot])}"
            for slot in sorted(rankings)
        )
        + tour
    )
    assert entry.at == open_clock.now()
    assert stored.language == "en" and stored.status == "new"
    assert queue.sent == []  # no email for a change the page confirms itself


def test_the_same_choice_again_writes_nothing(
    service: RegistrationService, conference: Conference, store: MemoryApplications, key: str
) -> None:
    current = service.get(key)
    writes = store.writes
    service.update_preferences(key, current.rankings, current.extras_wanted)
    assert store.writes == writes
    assert service.get(key).history == current.history


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("missing", "ranking_incomplete"),
        ("duplicate", "ranking_duplicate"),
        ("foreign", "choice"),
    ],
)
def test_rankings_follow_the_forms_rules_and_a_refusal_changes_nothing(
    service: RegistrationService,
    conference: Conference,
    store: MemoryApplications,
    key: str,
    change: str,
    code: str,
) -> None:
    before = service.get(key)
    slot, other = conference.workshop_slots[0], conference.workshop_slots[1]
    ranking = list(before.rankings[slot.id])
    broken = {
        "missing": ranking[:-1],
        "duplicate": [ranking[0]] * len(ranking),
        "foreign": [*ranking[:-1], other.workshop_ids[0]],
    }[change]
    with pytest.raises(InvalidSubmission) as refused:
        service.update_preferences(key, {**before.rankings, slot.id: broken}, [])
    assert refused.value.errors == [FieldError(ranking_field(slot.id), code)]
    assert service.get(key) == before


def test_unknown_extras_and_slots_are_refused(
    service: RegistrationService, conference: Conference, key: str
) -> None:
    before = service.get(key)
    with pytest.raises(InvalidSubmission) as refused:
        service.update_preferences(key, {**before.rankings, "day9": ["x"]}, ["balloon_ride"])
    assert [(e.field, e.code) for e in refused.value.errors] == [
        (ranking_field("day9"), "choice"),
        (extra_field("balloon_ride"), "choice"),
    ]
    assert service.get(key) == before


def test_after_the_deadline_nothing_can_be_changed(
    service: RegistrationService, conference: Conference, open_clock: SettableClock, key: str
) -> None:
    before = service.get(key)
    open_clock.set(conference.closes_at)
    with pytest.raises(RegistrationClosed):
        service.update_preferences(key, _reversed(conference, service, key), [])
    assert service.get(key) == before


def test_the_last_minute_still_counts(
    service: RegistrationService, conference: Conference, open_clock: SettableClock, key: str
) -> None:
    open_clock.set(conference.closes_at - dt.timedelta(seconds=1))
    rankings = _reversed(conference, service, key)
    assert service.update_preferences(key, rankings, []).rankings == rankings


def test_a_withdrawn_application_keeps_its_choices(
    service: RegistrationService, conference: Conference, key: str
) -> None:
    service.withdraw(key)
    with pytest.raises(TransitionNotAllowed):
        service.update_preferences(key, _reversed(conference, service, key), [])


def test_form_fields_are_read_like_the_application_form(conference: Conference) -> None:
    request = valid_request(conference, 2)
    form = {name: value for name, value in request.items() if name.startswith("ranking_")}
    form[extra_field("city_tour")] = "true"  # a checkbox as a browser posts it
    preferences = validate_preferences(form, conference)
    assert preferences.extras_wanted == ["city_tour"]
    assert preferences.rankings == validate_submission(request, conference).rankings
    assert read_preferences({}, conference).extras_wanted == []
    with pytest.raises(InvalidSubmission) as refused:
        validate_preferences({}, conference)
    assert {e.code for e in refused.value.errors} == {"ranking_incomplete"}


def test_the_manage_page_offers_the_change_only_while_registration_is_open(
    service: RegistrationService, conference: Conference, key: str
) -> None:
    application = service.get(key)
    assert allowed_actions(application, registration_open=True) == [
        "update_preferences",
        "withdraw",
    ]
    assert allowed_actions(application, registration_open=False) == ["withdraw"]
    actions = allowed_actions(application, registration_open=True)
    page = render_manage(conference, application, "en", "t0ken", actions=actions)
    slot = conference.workshop_slots[0]
    first = application.rankings[slot.id][0]
    assert 'name="action" value="update_preferences"' in page
    assert f'id="{ranking_field(slot.id)}-1"' in page
    assert f'<option value="{first}" selected>' in page
    assert "Save changes" in page


def test_a_refused_change_comes_back_with_messages_and_values_kept(
    service: RegistrationService, conference: Conference, key: str
) -> None:
    application = service.get(key)
    slot = conference.workshop_slots[0]
    chosen = [slot.workshop_ids[1]] * len(slot.workshops)
    values = {ranking_field(slot.id): chosen, extra_field("city_tour"): "true"}
    errors = [FieldError(ranking_field(slot.id), "ranking_duplicate")]
    page = render_manage(
        conference,
        application,
        "de",
        "t0ken",
        actions=["update_preferences", "withdraw"],
        values=values,
        errors=errors,
    )
    assert 'class="error-summary"' in page
    assert f'id="{ranking_field(slot.id)}-error"' in page
    assert "jeden Workshop nur einmal" in page
    assert page.count(f'<option value="{slot.workshop_ids[1]}" selected>') == len(chosen)
    assert (
        f'id="{extra_field("city_tour")}" name="{extra_field("city_tour")}" value="true" checked'
        in page
    )
