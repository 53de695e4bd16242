"""The hosted form in headless Chromium, used as a person would, on the embedded local stack.

German on a 320 px phone and at desktop width, English by keyboard only: mistakes first, then
the correct form, the confirmation link from the receipt email, and after the deadline the
manage link from the acceptance email to decline the seat. axe-core checks every kind of page
against WCAG 2.2 AA; screenshots are kept in ``artifacts/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import pytest
from playwright.sync_api import (
    Page,
    ViewportSize,
    expect,
)

from registrar.salutation import letter_greeting
from registrar.submission import extra_field, ranking_field
from tests.e2e.browser_stack import (  # the stack, the browser and the form helpers
    REFERENCE,
    Local,
    Person,
    axe,
    browser,
    erika,
    expect_error_summary,
    expect_kept,
    expect_page_basics,
    fill_form,
    focused_element,
    local,
    open_page,
    stored_application,
    submit,
    visit,
)
from tests.e2e.browser_support import (
    DESKTOP,
    PHONE,
    AxeLog,
    link_in,
    read_mail,
    screenshot,
    security_header_problems,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
__all__ = ["axe", "browser", "local", "visit"]  # fixtures, used by name


# -- the tests -----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_german_form_fits_the_screen_and_passes_axe(
    visit: Any, local: Local, axe: AxeLog, name: str, viewport: ViewportSize
) -> None:
    page = visit(viewport, "de-DE").page
    assert open_page(page, local.url + "/") == 200
    expect_page_basics(page, "de")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voranmeldung")
    expect(page.locator(".facts").get_by_text("Anmeldeschluss")).to_be_visible()
    # above the fields, in view without opening anything: the announcement's facts
    main = page.locator("main")
    for fact in (
        "Prof. Dr. Gesine Schwan",
        "Donnerstag, 11. Mai 2023, 11:00–17:30 Uhr; 18:00 Uhr: Stadtführung",
        "Freitag, 12. Mai 2023, 09:00–14:00 Uhr",
        "„Politik trotz Globalisierung. Die Chancen der Kommunen“",
        "höchstens 2 Personen",
        "unverbindlich, bis wir Ihnen einen Platz bestätigen",
    ):
        expect(main.get_by_text(fact, exact=False).first).to_be_visible()
    expect(main).not_to_contain_text("Tagungsort Kassel")
    expect(page.get_by_role("button", name="Jetzt voranmelden")).to_be_visible()
    footer = page.locator("footer")
    expect(footer.get_by_role("link", name="Impressum")).to_have_attribute(
        "href", str(local.conference.imprint_url)
    )
    expect(footer.get_by_role("link", name="Datenschutzerklärung")).to_be_visible()
    # the consent names the privacy notice and links to it (same tab: no target)
    notice = page.locator("label[for=consent]").get_by_role("link", name="Datenschutzerklärung")
    expect(notice).to_have_attribute("href", str(local.conference.privacy_notice_url))
    expect(notice).not_to_have_attribute("target", re.compile(".*"))
    screenshot(page, f"de-{name}-form")
    axe.check(page, f"de-{name}-form")
    assert submit(page) == 422
    expect_page_basics(page, "de")
    expect_error_summary(page, count=page.locator(".error-message").count())
    screenshot(page, f"de-{name}-errors")
    screenshot(page, f"de-{name}-errors-first-screen", full_page=False)
    axe.check(page, f"de-{name}-errors")


def test_the_commitment_on_the_phone_form_leads_to_how_anyone_checks_the_lottery(
    visit: Any, local: Local, axe: AxeLog
) -> None:
    page = visit(PHONE, "de-DE").page
    assert open_page(page, local.url + "/") == 200
    commitment = page.locator("#lottery-commitment code.commitment")
    expect(commitment).to_be_visible()
    shown = commitment.inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", shown), shown
    expect_page_basics(page, "de")  # the 64 digits wrap: nothing scrolls sideways
    page.get_by_role("link", name="Wie alle das Los prüfen können").click()
    expect(page).to_have_url(re.compile(r"/lottery\?lang=de$"))
    expect_page_basics(page, "de")
    expect(page.locator("#commitment")).to_have_text(shown)
    expect(page.get_by_role("link", name="Prüfprogramm herunterladen")).to_have_attribute(
        "href", "/lottery/verify_lottery.py"
    )
    screenshot(page, "de-phone-lottery")
    axe.check(page, "de-phone-lottery")


def test_german_applicant_on_a_phone_corrects_mistakes_and_confirms(
    visit: Any, local: Local, axe: AxeLog
) -> None:
    page = visit(PHONE, "de-DE").page
    person = erika(local.conference, "erika.mustermann@example.org")
    assert open_page(page, local.url + "/") == 200

    # 1. sent empty: everything required is listed, each entry leads to its field
    assert submit(page) == 422
    required = expect_error_summary(page, count=page.locator(".error-message").count())
    assert {"#given_name", "#email", "#region", "#consent"} <= set(required)
    assert any(target.startswith("#group-") for target in required)
    assert "#days-all" in required  # which days: asked of everybody, an answer required
    page.locator("#error-summary a").first.click()
    expect(page.locator("#given_name")).to_be_focused()

    # 2. filled in, with two mistakes left: a broken address and one workshop chosen twice
    day2 = ranking_field(local.conference.workshop_slots[1].id)
    ranking = person.rankings[day2]
    wrong = replace(
        person, email="erika.mustermann@", rankings={**person.rankings, day2: [ranking[0]] * 3}
    )
    fill_form(page, wrong)
    assert submit(page) == 422
    assert expect_error_summary(page, count=2) == ["#email", f"#{day2}-1"]
    expect(page.locator("#error-summary")).to_contain_text("gültige E-Mail-Adresse")
    expect(page.locator("#error-summary")).to_contain_text("jeden Workshop nur einmal")
    expect_kept(page, wrong)
    screenshot(page, "de-phone-errors-two-left")

    # 3. corrected: the thank-you page with a reference
    page.locator("#email").fill(person.email)
    for position, workshop in enumerate(ranking, start=1):
        page.locator(f"#{day2}-{position}").select_option(workshop)
    page.locator("#consent").check()
    assert submit(page) == 200
    assert "/thanks" in page.url
    expect_page_basics(page, "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Voranmeldung")
    # no reference number on the page (a repeated address gets this same page): the email
    expect(page.locator("main")).to_contain_text("Ihre Vorgangsnummer steht in dieser E-Mail")
    assert not REFERENCE.search(page.locator("main").inner_text())
    switch = page.locator("header a.lang")
    expect(switch).to_have_attribute("href", "/thanks?lang=en")
    screenshot(page, "de-phone-thanks")
    axe.check(page, "de-thanks")

    # 4. the receipt: a mangled link is refused clearly, the real one confirms
    local.stack.drain_mail()
    receipt = read_mail(local.outbox, person.email, "receipt")
    assert receipt["Content-Language"] == "de"
    plain = receipt.get_body(preferencelist=("plain",))
    assert plain is not None
    reference = REFERENCE.search(str(plain.get_content()))
    assert reference, "the receipt gives the reference number"
    # the address is not confirmed yet: nothing typed on the phone goes into the letter
    # (the salutation and title chosen address the letters after confirmation)
    assert str(plain.get_content()).splitlines()[0] == "Guten Tag,"
    assert "Mustermann-Groß" not in str(plain.get_content())
    confirm = link_in(receipt, "confirm")
    mangled = confirm[:-6] + ("A" if confirm[-6] != "A" else "B") + confirm[-5:]
    assert open_page(page, mangled) == 400
    expect_page_basics(page, "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ihre Anfrage konnte nicht bearbeitet werden"
    )
    expect(page.locator("main")).to_contain_text("Bitte verwenden Sie den Link aus Ihrer E-Mail")
    screenshot(page, "de-phone-bad-link")
    axe.check(page, "de-bad-link")
    # opening the link (as a mail filter does) confirms nothing: a page with one button
    assert open_page(page, confirm) == 200
    expect_page_basics(page, "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("E-Mail-Adresse bestätigen")
    assert not stored_application(local, person.email).confirmed
    axe.check(page, "de-confirm-page")
    with page.expect_navigation():
        page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
    expect_page_basics(page, "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("E-Mail-Adresse bestätigt")
    assert stored_application(local, person.email).confirmed
    expect(page.locator("main")).to_contain_text(reference.group(0))
    screenshot(page, "de-phone-confirmed")
    axe.check(page, "de-confirmed")

    # 5. the manage link of the receipt shows the application, in German
    assert open_page(page, link_in(receipt, "manage")) == 200
    expect_page_basics(page, "de")
    expect(page.locator("main")).to_contain_text(reference.group(0))
    expect(page.locator("main")).to_contain_text("Voranmeldung bestätigt")
    screenshot(page, "de-phone-manage")
    axe.check(page, "de-manage-before-deadline")

    # 6. before the deadline the ranking and the tour can still change: a slip first
    change_preferences_on_the_manage_page(page, local, person, axe)


def change_preferences_on_the_manage_page(
    page: Page, local: Local, person: Person, axe: AxeLog
) -> None:
    day1 = ranking_field(local.conference.workshop_slots[0].id)
    ranking = person.rankings[day1]
    tour = page.locator(f"#{extra_field('city_tour')}")
    for position, workshop in enumerate(ranking, start=1):
        expect(page.locator(f"#{day1}-{position}")).to_have_value(workshop)
    expect(tour).to_be_checked(checked=person.tour)
    page.locator(f"#{day1}-2").select_option(ranking[0])
    tour.set_checked(not person.tour)
    assert save_preferences(page) == 422
    expect_page_basics(page, "de")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary a")).to_have_attribute("href", f"#{day1}-1")
    message = re.compile("jeden Workshop nur einmal")
    expect(page.locator(f"#{day1}-error")).to_contain_text(message)
    expect(page.locator(f"#{day1}")).to_have_accessible_description(message)
    expect(page.locator(f"#{day1}-2")).to_have_value(ranking[0])  # kept as entered
    expect(tour).to_be_checked(checked=not person.tour)
    screenshot(page, "de-phone-manage-preferences-error")
    axe.check(page, "de-manage-preferences-error")

    changed = list(reversed(ranking))
    for position, workshop in enumerate(changed, start=1):
        page.locator(f"#{day1}-{position}").select_option(workshop)
    assert save_preferences(page) == 200
    expect_page_basics(page, "de")
    expect(page.get_by_role("status")).to_have_text("Ihre Änderungen sind gespeichert.")
    for position, workshop in enumerate(changed, start=1):
        expect(page.locator(f"#{day1}-{position}")).to_have_value(workshop)
    expect(tour).to_be_checked(checked=not person.tour)
    expect(page.locator(".error-message")).to_have_count(0)
    screenshot(page, "de-phone-manage-preferences-saved")
    axe.check(page, "de-manage-preferences-saved")


def save_preferences(page: Page) -> int:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Änderungen speichern").click()
    response = navigation.value
    assert response is not None
    return response.status


def test_english_applicant_by_keyboard_only(visit: Any, local: Local, axe: AxeLog) -> None:
    """Tab through the whole form, send it empty, follow the summary, fill it, press Enter."""
    page = visit(DESKTOP, "de-DE").page  # a German browser: ?lang=en wins
    person = replace(
        erika(local.conference, "jane.example@example.org"),
        given_name="Jane",
        family_name="Example",
        organisation="County of Example",
        municipality="Exampleton",
        region="BE",
        group="civil_society",
        # the error summary leads to the name: the fields before it stay as they are
        salutation="none",
        title="",
        tour=False,
        accessibility=(),
        accessibility_note="",
        dietary="none",
        dietary_note="",
    )
    assert open_page(page, local.url + "/?lang=en") == 200
    expect_page_basics(page, "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pre-registration")
    axe.check(page, "en-desktop-form")

    # every control is reached by Tab, in reading order, with a visible focus; no trap
    expected = page.evaluate(
        """() => [...document.querySelectorAll('a[href], summary, input, select, textarea, button')]
            .filter(el => el.type !== 'hidden' && el.tabIndex >= 0 && el.offsetParent !== null
                          && !el.closest('[aria-hidden=true]'))
            .filter((el, _, all) => {
                const button = document.querySelector('form button[type=submit]');
                return el === button ||
                    (el.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
            })
            .filter(el => el.type !== 'radio' || el === document.querySelector(
                `input[type=radio][name="${el.name}"]:checked`) || (
                !document.querySelector(`input[type=radio][name="${el.name}"]:checked`) &&
                el === document.querySelector(`input[type=radio][name="${el.name}"]`)))
            .map(el => el.id || el.tagName.toLowerCase())"""
    )
    reached = []
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        focused = focused_element(page)
        assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, focused
        reached.append(focused["id"] or focused["tag"])
        if focused["type"] == "submit":
            break
    assert reached == expected
    assert {"given_name", "region", "group-mayor", "ranking_day1-1", "consent"} <= set(reached)
    assert "dietary-none" in reached  # a radio group is one stop: the chosen option
    assert "website" not in reached  # the honeypot is out of the way

    # sent empty with Enter: the summary takes the focus; its first link leads to the field
    assert submit(page, keyboard=True) == 422
    expect_page_basics(page, "en")
    expect(page.locator("#error-summary h2")).to_contain_text("Please correct")
    expect_error_summary(page, count=page.locator(".error-message").count())
    screenshot(page, "en-desktop-errors")
    axe.check(page, "en-desktop-errors")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#given_name")).to_be_focused()

    # filled in by keyboard alone, from the first field to the button
    _fill_by_keyboard(page, person)
    expect_kept(page, person)
    screenshot(page, "en-desktop-filled")
    assert submit(page, keyboard=True) == 200
    expect_page_basics(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for pre-registering")
    axe.check(page, "en-thanks")
    screenshot(page, "en-desktop-thanks")

    local.stack.drain_mail()
    receipt = read_mail(local.outbox, person.email, "receipt")
    assert receipt["Content-Language"] == "en", "the language chosen is kept for the emails"
    assert open_page(page, link_in(receipt, "confirm")) == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm my email address").click()
    expect_page_basics(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email address confirmed")
    screenshot(page, "en-desktop-confirmed")


def _fill_by_keyboard(page: Page, person: Person) -> None:
    texts = person.text_fields()
    wanted_selects = {"region": person.region} | {
        f"{name}-{position}": workshop
        for name, ranking in person.rankings.items()
        for position, workshop in enumerate(ranking, start=1)
    }
    radios = {
        "salutation": person.salutation,
        "group": person.group,
        "dietary": person.dietary,
        "days": person.days,
    }
    boxes = {extra_field("city_tour"): person.tour, "consent": True, "on_behalf": False} | {
        f"accessibility-{choice}": choice in person.accessibility
        for choice in ("wheelchair", "sign_language", "hearing_loop", "easy_language")
    }
    for _ in range(200):
        focused = focused_element(page)
        if focused["type"] == "submit":
            return
        if focused["id"] in texts:
            page.keyboard.press("Control+A")
            page.keyboard.type(texts[focused["id"]])
        elif focused["tag"] == "select":
            options = page.locator(f"#{focused['id']} option").evaluate_all(
                "options => options.map(o => o.value)"
            )
            steps = options.index(wanted_selects[focused["id"]]) - options.index(focused["value"])
            for _ in range(abs(steps)):
                page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        elif focused["type"] == "radio":
            values = page.locator(f"input[name={focused['name']}]").evaluate_all(
                "radios => radios.map(r => r.value)"
            )
            steps = values.index(radios[focused["name"]]) - values.index(focused["value"])
            for _ in range(abs(steps)):
                page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
            if steps == 0 and not focused["checked"]:
                page.keyboard.press("Space")
        elif focused["type"] == "checkbox" and boxes[focused["id"]] != focused["checked"]:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
    raise AssertionError("the submit button was never reached by Tab")


def test_wrong_links_and_addresses_get_a_clear_page(visit: Any, local: Local, axe: AxeLog) -> None:
    page = visit(PHONE, "de-DE").page
    forged = "1.eyJwdXJwb3NlIjoibWFuYWdlIn0.c2lnbmF0dXJlLW5vdC1vdXJz"  # key 1, not our signature
    for path, status, text in [
        (f"/manage?token={forged}", 400, "Dieser Link ist ungültig"),
        (f"/confirm?token={forged[:12]}", 400, "Dieser Link ist unvollständig"),
        ("/manage", 400, "Ihre Anfrage konnte nicht bearbeitet werden"),
        ("/gibt-es-nicht", 404, "Seite nicht gefunden"),
    ]:
        assert open_page(page, local.url + path) == status, path
        expect_page_basics(page, "de")
        expect(page.locator("main")).to_contain_text(text)
        back = page.get_by_role("link", name="Zum Formular für die Voranmeldung")
        expect(back).to_have_attribute("href", "/?lang=de")
    assert open_page(page, f"{local.url}/manage?token={forged}&lang=en") == 400
    expect(page.locator("main")).to_contain_text("This link is not valid")
    assert open_page(page, f"{local.url}/manage?token={forged}") == 400
    screenshot(page, "de-phone-tampered-manage-link")
    axe.check(page, "de-tampered-manage-link")


def test_accepted_applicant_declines_through_the_manage_link(
    visit: Any, local: Local, axe: AxeLog
) -> None:
    """Last: it moves the stack's clock past the deadline, which cannot be undone."""
    page = visit(DESKTOP, "de-DE").page
    person = replace(erika(local.conference, "max.beispiel@example.org"), given_name="Max")
    assert open_page(page, local.url + "/") == 200
    fill_form(page, person)
    assert submit(page) == 200
    local.stack.drain_mail()
    assert open_page(page, link_in(read_mail(local.outbox, person.email, "receipt"), "confirm"))
    with page.expect_navigation():
        page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
    assert stored_application(local, person.email).confirmed

    conference = local.conference
    fired = local.stack.advance_to(conference.closes_at + dt.timedelta(minutes=1))
    assert "AdmissionsFunctionDeadlineRun" in [f.schedule for f in fired]
    accepted = read_mail(local.outbox, person.email, "accepted")
    # confirmed: the letter greets as the applicant chose on the form
    stored = stored_application(local, person.email)
    greeting = letter_greeting(
        "de", stored.salutation, stored.title, stored.given_name, stored.family_name
    )
    accepted_text: Any = accepted.get_body(preferencelist=("plain",))
    assert str(accepted_text.get_content()).splitlines()[0] == greeting
    assert "Mustermann-Groß" in greeting
    manage = link_in(accepted, "manage")
    assert open_page(page, manage) == 200
    expect_page_basics(page, "de")
    expect(page.locator("main")).to_contain_text("Zugesagt")
    screenshot(page, "de-desktop-manage-accepted")
    axe.check(page, "de-manage-accepted")

    # without the tick nothing happens: the browser asks for it, and so does the server
    decline = page.get_by_role("button", name="Platz absagen")
    decline.click()
    assert page.locator("#confirm-decline").evaluate("box => box.validity.valueMissing")
    expect(page.locator("main")).to_contain_text("Zugesagt")
    answer = page.request.post(
        local.url + "/manage", form={"token": manage.split("token=")[1], "action": "decline"}
    )
    assert answer.status == 422
    assert security_header_problems(answer.headers) == []
    assert "Bitte setzen Sie zur Bestätigung das Häkchen" in answer.text()
    assert "Zugesagt" in answer.text()

    page.get_by_label("Ja, ich sage meinen Platz verbindlich ab.").check()
    with page.expect_navigation():
        decline.click()
    expect(page.get_by_role("status")).to_contain_text("Ihr Platz ist abgesagt")
    expect(page.locator("main")).to_contain_text("Abgesagt")
    expect(page.get_by_role("button")).to_have_count(0)
    screenshot(page, "de-desktop-manage-declined")
    axe.check(page, "de-manage-declined")

    local.stack.drain_mail()
    declined = read_mail(local.outbox, person.email, "declined")
    assert declined["Content-Language"] == "de"

    # and a latecomer opening the form is told clearly that the deadline has passed (the
    # address works: 200), and whom to ask
    assert open_page(page, local.url + "/") == 200
    expect_page_basics(page, "de")
    expect(page.locator("form")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Die Frist für die Voranmeldung ist am")
    contact = local.conference.organiser.contact_email
    expect(page.locator("main")).to_contain_text(f"Organisationsteam unter {contact}")
    screenshot(page, "de-desktop-too-late")
    axe.check(page, "de-too-late")
