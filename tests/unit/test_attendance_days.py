"""Which days a person attends: the form's question, what is stored, and everything that
follows it (rankings, extras, the decision and programme emails, the calendar, the lists,
a freed place in an extra). Also: rooms the organisers have not set are named nowhere."""

from __future__ import annotations

import datetime as dt
import random
import re

import icalendar
import pytest

from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.i18n import language
from registrar.mail.calendar import programme_calendar
from registrar.mail.compose import compose, sample_application, sample_links
from registrar.mail_queue import MAIL_KINDS, MailKind
from registrar.services.admissions import AdmissionsService
from registrar.services.registration import RegistrationService
from registrar.services.substitution import SubstitutionService
from registrar.submission import InvalidSubmission, validate_submission
from registrar.tokens import LinkVerifier, TokenClaims, TokenSigner
from registrar.web.manage import ApplicantPages
from registrar.web.pages import render_form
from registrar_cli.export import columns, row
from registrar_cli.printing.attendees import attendee_from
from registrar_cli.printing.signin import day_lists
from registrar_cli.views import days_cell
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryApplications,
    MemoryQueue,
    MemoryRuns,
    applicant_key,
    submit_and_register,
)

DAY1, DAY2 = dt.date(2023, 5, 11), dt.date(2023, 5, 12)
NOW = dt.datetime(2023, 5, 2, 9, 0, tzinfo=dt.UTC)


# -- the form and the submission ------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "question", "answers"),
    [
        (
            "de",
            "An welchen Tagen nehmen Sie teil? *",
            [
                "An beiden Tagen (11.–12. Mai 2023)",
                "Nur am Donnerstag, 11. Mai 2023",
                "Nur am Freitag, 12. Mai 2023",
            ],
        ),
        (
            "en",
            "Which days will you attend? *",
            ["Both days", "Only on Thursday, 11 May 2023", "Only on Friday, 12 May 2023"],
        ),
    ],
)
def test_the_form_asks_which_days_with_one_radio_per_answer(
    conference: Conference, language: str, question: str, answers: list[str]
) -> None:
    page = render_form(conference, language)
    assert f"<legend>{question}</legend>" in page
    for value in ("all", "2023-05-11", "2023-05-12"):
        assert f'type="radio" id="days-{value}" name="days" value="{value}" required' in page
    for answer in answers:
        assert answer in page
    assert 'aria-describedby="days-hint"' in page


def test_which_days_is_required_and_must_be_one_of_the_answers(conference: Conference) -> None:
    for answer in ("", "2023-05-13", "both"):
        with pytest.raises(InvalidSubmission) as refused:
            validate_submission(valid_request(conference, days=answer), conference)
        assert [(e.field, e.code) for e in refused.value.errors] == [
            ("days", "required" if not answer else "choice")
        ]
    page = render_form(
        conference,
        "de",
        values={"days": ""},
        errors=refused.value.errors,
    )
    assert 'href="#days-all"' in page


def test_one_day_ranks_only_that_days_workshops(conference: Conference) -> None:
    body = valid_request(conference, days="2023-05-12", extra_city_tour=False)
    del body["ranking_day1"]  # not asked of someone who comes on the 12th only
    submission = validate_submission(body, conference)
    assert submission.days == (DAY2,)
    assert set(submission.rankings) == {"day2"}
    both = validate_submission(valid_request(conference, days="all"), conference)
    assert both.days == (DAY1, DAY2)
    assert set(both.rankings) == {"day1", "day2"}
    # rankings sent for a day not attended are not kept
    kept = validate_submission(
        valid_request(conference, days="2023-05-11", extra_city_tour=True), conference
    )
    assert set(kept.rankings) == {"day1"} and kept.extras_wanted == ["city_tour"]


def test_an_extra_on_a_day_not_attended_is_refused_with_a_reason(conference: Conference) -> None:
    body = valid_request(conference, days="2023-05-12", extra_city_tour=True)
    with pytest.raises(InvalidSubmission) as refused:
        validate_submission(body, conference)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("extra_city_tour", "extra_day_not_attended")
    ]
    page = render_form(conference, "de", values=body, errors=refused.value.errors)
    assert "an einem Tag statt, an dem Sie nach Ihrer Angabe nicht teilnehmen" in page


# -- the service, the run and the emails ----------------------------------------------------
@pytest.fixture
def decided(conference: Conference) -> tuple[MemoryApplications, MemoryQueue, SettableClock]:
    """Thirty applicants, every third on the 11th only, every third on the 12th only."""
    store, runs, queue = MemoryApplications(), MemoryRuns(), MemoryQueue()
    clock = SettableClock(conference.deadline - dt.timedelta(days=2))
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(4), APPLICANT_KEYS
    )
    for number in range(30):
        days = ("all", "2023-05-11", "2023-05-12")[number % 3]
        body = valid_request(conference, number, days=days, organisation=f"Gemeinde {number}")
        body["extra_city_tour"] = days != "2023-05-12"
        submit_and_register(registration, validate_submission(body, conference))
        registration.confirm(applicant_key(conference.id, body["email"]))
    clock.set(conference.closes_at)
    AdmissionsService(conference, store, runs, queue, clock, random.Random(5)).run(
        "deadline", dry_run=False
    )
    return store, queue, clock


def test_the_run_gives_workshops_and_extras_only_on_the_days_attended(
    conference: Conference, decided: tuple[MemoryApplications, MemoryQueue, SettableClock]
) -> None:
    store = decided[0]
    participants = list(store.list(conference.id))
    assert all(a.status == "accepted" for a in participants)
    for application in participants:
        slot_days = {conference.slot(slot).date for slot in application.workshops}
        assert slot_days == set(conference.attended_days(application.days))
        if application.days == [DAY2]:
            assert application.extras == {}
        else:
            assert application.extras == {"city_tour": "place"}
    assert {tuple(a.days) for a in participants} == {(DAY1, DAY2), (DAY1,), (DAY2,)}


@pytest.mark.parametrize("language", ["de", "en"])
def test_decision_and_programme_mails_show_only_the_days_attended(
    conference: Conference, language: str
) -> None:
    day2_only = sample_application(conference, language, NOW, kind="accepted").model_copy(
        update={"days": [DAY2], "workshops": {"day2": "d2-ws2"}, "extras": {}}
    )
    accepted = compose("accepted", day2_only, conference, sample_links(), NOW)
    assert "11:00–17:30" not in accepted.text and "09:00–14:00" in accepted.text
    assert ("Sie nehmen teil am:" if language == "de" else "You attend on:") in accepted.text
    day1_workshop = conference.text(conference.slot("day1").workshop("d1-ws2").title, language)
    day2_workshop = conference.text(conference.slot("day2").workshop("d2-ws2").title, language)
    assert day1_workshop not in accepted.text and day2_workshop in accepted.text
    assert "Stadtführung" not in accepted.text and "City tour" not in accepted.text

    programme = compose(
        "program",
        day2_only.model_copy(update={"status": "accepted"}),
        conference,
        sample_links(),
        NOW,
    )
    assert "Podiumsgespräch" in programme.text or "Panel" in programme.text
    assert "Keynote" not in programme.text  # day 1's programme is not theirs
    assert "12. Mai 2023" in programme.text or "12 May 2023" in programme.text
    assert "11. Mai 2023" not in programme.text.split("\n\n", 3)[-1] or language == "en"


def test_the_calendar_holds_only_the_days_attended(conference: Conference) -> None:
    day1_only = sample_application(conference, "de", NOW, kind="program").model_copy(
        update={"days": [DAY1], "workshops": {"day1": "d1-ws1"}}
    )
    data = programme_calendar(day1_only, conference, language("de"), NOW)
    uids = sorted(
        str(e["UID"]).split(".")[0] for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    )
    assert uids == ["day-20230511", "extra-city_tour", "workshop-day1"]
    workshop = next(
        e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if "workshop" in str(e["UID"])
    )
    assert str(workshop["LOCATION"]) == "Obere Königsstraße 8, 34117 Kassel"  # no room set


def test_lists_show_the_days_and_each_days_sign_in_sheet_holds_who_comes_that_day(
    conference: Conference, decided: tuple[MemoryApplications, MemoryQueue, SettableClock]
) -> None:
    applications = list(decided[0].list(conference.id))
    people = [attendee_from(a, conference, "de") for a in applications]
    first, second = day_lists(people, conference, None)
    assert len(first.people) == 20 and len(second.people) == 20
    assert all(DAY1 in (p.days or (DAY1,)) for p in first.people)
    assert all(DAY2 in (p.days or (DAY2,)) for p in second.people)
    cells = {days_cell(a, conference) for a in applications}
    assert cells == {"all", "11.05.", "12.05."}
    headers = dict(columns(conference, with_status=True))
    assert headers["days"] == "Tage / Days"
    assert not any(key.startswith("room_") for key in headers)  # no rooms set: no column
    texts = {row(1, a, conference, "de")["days"] for a in applications}
    assert texts == {
        "An beiden Tagen (11.–12. Mai 2023)",
        "Nur am Donnerstag, 11. Mai 2023",
        "Nur am Freitag, 12. Mai 2023",
    }


# -- a freed place in an extra --------------------------------------------------------------
def test_a_freed_tour_place_gets_its_own_short_email(conference: Conference) -> None:
    tour = conference.extras[0].model_copy(update={"capacity": 1})
    small = conference.model_copy(update={"extras": [tour]})
    store, runs, queue = MemoryApplications(), MemoryRuns(), MemoryQueue()
    clock = SettableClock(small.deadline - dt.timedelta(days=2))
    registration = RegistrationService(small, store, queue, clock, random.Random(4), APPLICANT_KEYS)
    for number in range(2):
        body = valid_request(small, number, extra_city_tour=True)
        submit_and_register(registration, validate_submission(body, small))
        registration.confirm(applicant_key(small.id, body["email"]))
    clock.set(small.closes_at)
    admissions = AdmissionsService(small, store, runs, queue, clock, random.Random(5))
    admissions.run("deadline", dry_run=False)
    by_tour = {a.extras["city_tour"]: a for a in store.list(small.id)}
    registration.decline(by_tour["place"].applicant_key)
    queue.sent.clear()

    admissions.run("daily", dry_run=False)

    waiting = by_tour["waitlist"]
    assert [(m.kind, m.applicant_key) for m in queue.sent] == [
        ("extra_place", waiting.applicant_key)
    ]
    moved = store.get(small.id, waiting.applicant_key)
    assert moved is not None and moved.extras == {"city_tour": "place"}
    german = compose("extra_place", moved, small, sample_links(), NOW)
    assert german.subject == (
        "Sie haben einen Platz: Stadtführung mit Harald Kimpel – "
        "„Herausforderungen in Kommunen – gemeinsam bewältigen“"
    )
    assert "Donnerstag, 11. Mai 2023, 18:00 Uhr" in german.text
    assert "Zusage" not in german.subject and "Ihre Workshops" not in german.text
    english = compose(
        "extra_place", moved.model_copy(update={"language": "en"}), small, sample_links(), NOW
    )
    assert english.subject.startswith("You have a place: City tour with Harald Kimpel – ")
    assert "Thursday, 11 May 2023, 18:00" in english.text


# -- rooms the organisers have not set ------------------------------------------------------
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_no_mail_names_a_room_the_definition_does_not_set(
    conference: Conference, kind: MailKind, language: str
) -> None:
    application = sample_application(conference, language, NOW, kind=kind)
    mail = compose(kind, application, conference, sample_links(), NOW)
    for text in (mail.text, mail.html):
        assert "Raum" not in text.replace("Raumforschung", "") and "Room" not in text
        assert "()" not in text and "None" not in text


def test_a_room_the_organisers_set_is_shown(conference: Conference) -> None:
    slot = conference.workshop_slots[0]
    roomed = [w.model_copy(update={"room": "Festsaal"}) for w in slot.workshops]
    slots = [slot.model_copy(update={"workshops": roomed}), *conference.workshop_slots[1:]]
    with_rooms = conference.model_copy(update={"workshop_slots": slots})
    application = sample_application(with_rooms, "de", NOW, kind="program")
    mail = compose("program", application, with_rooms, sample_links(), NOW)
    assert "(Festsaal)" in mail.text


# -- the manage page: the days can change while preferences can ----------------------------
def test_the_manage_page_changes_the_days_before_the_deadline(conference: Conference) -> None:
    store, queue = MemoryApplications(), MemoryQueue()
    clock = SettableClock(conference.deadline - dt.timedelta(days=2))
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(4), APPLICANT_KEYS
    )
    body = valid_request(conference, 1, extra_city_tour=True)
    submit_and_register(registration, validate_submission(body, conference))
    key = applicant_key(conference.id, body["email"])
    signer = TokenSigner("s" * 48)
    verifier = LinkVerifier(lambda: signer, conference.id, clock)
    substitution = SubstitutionService(
        conference, store, queue, clock, random.Random(5), APPLICANT_KEYS
    )
    pages = ApplicantPages(conference, registration, verifier.verify, clock, substitution)
    stored = store.get(conference.id, key)
    assert stored is not None
    claims = TokenClaims("manage", conference.id, key, stored.public_id, conference.last_day_end)
    token = signer.issue(claims, now=clock.now())
    page = pages.manage_page(token, "de")
    assert 'id="days-all" name="days" value="all" required checked' in page
    assert "An beiden Tagen (11.–12. Mai 2023)" in page

    # only the 12th, yet the tour on the 11th still ticked: refused, nothing changed
    form = {"days": ["2023-05-12"], "ranking_day2": body["ranking_day2"], "extra_city_tour": "true"}
    refused = pages.perform(token, "update_preferences", "de", confirmed=False, form=form)
    assert refused.status == 422 and "nicht teilnehmen" in refused.body
    # kept as entered: the 12th still chosen
    assert 'value="2023-05-12" required checked' in refused.body
    assert store.get(conference.id, key).days == [DAY1, DAY2]  # type: ignore[union-attr]

    form.pop("extra_city_tour")
    saved = pages.perform(token, "update_preferences", "de", confirmed=False, form=form)
    assert saved.status == 200, re.findall(r"error-message[^<]*<[^<]*", saved.body)
    assert (
        '<th scope="row">Ihre Teilnahmetage</th><td>Nur am Freitag, 12. Mai 2023</td>' in saved.body
    )
    stored = store.get(conference.id, key)
    assert stored is not None
    assert (stored.days, set(stored.rankings), stored.extras_wanted) == ([DAY2], {"day2"}, [])
    assert stored.history[-1].detail.startswith("days: 2023-05-11, 2023-05-12 → 2023-05-12; ")

    # a post without an answer to "which days" (a script's) leaves them as they are
    unchanged = {"ranking_day2": list(reversed(body["ranking_day2"]))}
    assert (
        pages.perform(token, "update_preferences", "de", confirmed=False, form=unchanged).status
        == 200
    )
    assert store.get(conference.id, key).days == [DAY2]  # type: ignore[union-attr]

    clock.set(conference.deadline + dt.timedelta(seconds=1))  # closed: no more changes
    assert 'name="days"' not in pages.manage_page(token, "de")
