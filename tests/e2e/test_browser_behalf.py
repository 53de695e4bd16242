"""Registering on someone's behalf and passing a seat to a substitute, in headless Chromium
on the embedded local stack, as an office and a participant would (390 px phone, desktop).

axe-core checks every page on the way; screenshots are kept in ``artifacts/screenshots/``.
Run alone: ``pytest tests/e2e/test_browser_behalf.py`` (its own stack, module-scoped).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.browser_stack import (  # the stack, the browser and the form helpers
    Local,
    axe,
    browser,
    erika,
    expect_page_basics,
    fill_form,
    local,
    open_page,
    stored_application,
    submit,
    visit,
)
from tests.e2e.browser_support import DESKTOP, AxeLog, link_in, outbox_index, read_mail, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
__all__ = ["axe", "browser", "local", "visit"]  # fixtures, used by name

PHONE_390: ViewportSize = {"width": 390, "height": 844}
OFFICE = "buero.buergermeisterin@example.org"


def _register_for_someone(page: Page, local: Local, email: str, given_name: str, copy: str) -> int:
    assert open_page(page, local.url + "/") == 200
    person = replace(
        erika(local.conference, email),
        given_name=given_name,
        group="mayor",
        function="Bürgermeisterin",
    )
    page.get_by_label("Ich melde eine andere Person an").check()
    page.locator("#submitter_email").fill(OFFICE)
    page.locator(f"#submitter_copy-{copy}").check()
    fill_form(page, person)
    return submit(page)


def test_an_office_registers_the_mayor_and_a_deputy_on_a_phone(
    visit: Any, local: Local, axe: AxeLog
) -> None:
    page = visit(PHONE_390, "de-DE").page
    assert open_page(page, local.url + "/") == 200
    expect_page_basics(page, "de")
    box = page.get_by_label("Ich melde eine andere Person an")
    expect(box).not_to_be_checked()
    # The office's own fields show once the box is ticked (no script: CSS only).
    expect(page.locator("#submitter_email")).to_be_hidden()
    box.check()
    expect(page.get_by_label("Ihre eigene E-Mail-Adresse")).to_be_visible()
    expect(page.get_by_label("An die angemeldete Person, mit Kopie an mich")).to_be_checked()
    expect(page.get_by_label("Nur an mich")).to_be_visible()
    expect(page.locator("#on_behalf_choice")).to_contain_text("höchstens 3 Personen")
    expect_page_basics(page, "de")  # nothing wider than the phone
    screenshot(page, "de-phone390-on-behalf-form", full_page=False)
    axe.check(page, "de-on-behalf-form")

    # The same in English.
    assert open_page(page, local.url + "/?lang=en") == 200
    page.get_by_label("I am registering someone else").check()
    expect(page.get_by_label("Your own email address")).to_be_visible()
    expect(page.get_by_label("To the person registered, with a copy to me")).to_be_checked()
    expect(page.get_by_label("To me only")).to_be_visible()
    expect_page_basics(page, "en")
    axe.check(page, "en-on-behalf-form")
    assert open_page(page, local.url + "/") == 200
    page.get_by_label("Ich melde eine andere Person an").check()

    # The office types its own address where the person's belongs: told beside the field.
    person = erika(local.conference, OFFICE)
    page.locator("#submitter_email").fill(OFFICE)
    fill_form(page, person)
    assert submit(page) == 422
    expect(page.locator("#error-summary")).to_contain_text("Ihre eigene Adresse muss sich")
    expect(page.locator("#on_behalf")).to_be_checked()  # kept, with the fields shown
    axe.check(page, "de-on-behalf-error")

    # The mayor (copy to the office), then a deputy (mails to the office only).
    mayor, deputy = "buergermeisterin@example.org", "stellvertreter@example.org"
    assert _register_for_someone(page, local, mayor, "Erika", "copy") == 200
    assert "for=other" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Voranmeldung")
    expect(page.locator("main")).to_contain_text(
        "muss ihre Adresse über den Link darin selbst bestätigen"
    )
    screenshot(page, "de-phone390-on-behalf-thanks")
    axe.check(page, "de-on-behalf-thanks")
    assert _register_for_someone(page, local, deputy, "Max", "only") == 200
    assert _register_for_someone(page, local, "dritte.person@example.org", "Jana", "copy") == 200

    # A fourth from the same office: refused with a sentence, nothing stored.
    assert _register_for_someone(page, local, "vierte.person@example.org", "Paul", "copy") == 422
    expect(page.locator("#error-summary")).to_contain_text("bereits 3 Personen angemeldet")
    expect(page.locator("#email")).to_have_value("vierte.person@example.org")
    screenshot(page, "de-phone390-on-behalf-limit")
    axe.check(page, "de-on-behalf-limit")

    # Each person gets their own receipt, and only they can confirm: the office gets none.
    local.stack.drain_mail()
    receipts = [e for e in outbox_index(local.outbox) if e["kind"] == "receipt"]
    assert not [e for e in receipts if OFFICE in e["recipient"]]
    receipt = read_mail(local.outbox, mayor, "receipt")
    text = receipt.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert OFFICE in text and "Nur Sie selbst können Ihre Adresse bestätigen" in text
    assert open_page(page, link_in(receipt, "confirm")) == 200
    with page.expect_navigation():
        page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
    stored = stored_application(local, mayor)
    assert stored.confirmed and stored.submitted_by == OFFICE and stored.submitter_copy == "copy"
    assert stored_application(local, deputy).submitter_copy == "only"

    # The organisers' view of a person registered on someone's behalf, by their own address.
    shown = _cli_json(local, "applications", "show", mayor)
    assert shown["email"] == mayor and shown["submitted_by"] == OFFICE
    assert shown["confirmed"] is True and shown["status"] == "new"


def _cli_json(local: Local, *args: str) -> Any:
    from typer.testing import CliRunner

    from registrar_cli.main import app
    from registrar_cli.target import write_local_state

    write_local_state(local.stack.state())  # as `registrar local` leaves it for the CLI
    result = CliRunner().invoke(app, ["--local", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_colleague_takes_over_a_seat_through_the_links(
    visit: Any, local: Local, axe: AxeLog
) -> None:
    """Last: it moves the stack's clock past the deadline, which cannot be undone."""
    page = visit(DESKTOP, "de-DE").page
    holder = "lukas.beispiel@example.org"
    colleague = "aylin.probe@example.org"
    person = replace(erika(local.conference, holder), given_name="Lukas", salutation="herr")
    assert open_page(page, local.url + "/") == 200
    fill_form(page, person)
    assert submit(page) == 200
    local.stack.drain_mail()
    assert open_page(page, link_in(read_mail(local.outbox, holder, "receipt"), "confirm")) == 200
    with page.expect_navigation():
        page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
    local.stack.advance_to(local.conference.closes_at + dt.timedelta(minutes=1))
    assert stored_application(local, holder).status == "accepted"

    manage = link_in(read_mail(local.outbox, holder, "accepted"), "manage")
    seat = stored_application(local, holder).workshops
    assert open_page(page, manage) == 200
    section = page.get_by_role("heading", name="Platz an eine Vertretung weitergeben")
    expect(section).to_be_visible()
    expect(page.locator("main")).to_contain_text("bis Mittwoch, 10. Mai 2023, 12:00 Uhr")
    axe.check(page, "de-manage-substitute-form")
    # An address that already has an application cannot take the seat.
    page.locator("#given_name").fill("Max")
    page.locator("#family_name").fill("Beispiel")
    page.locator("#email").fill(holder)
    with page.expect_navigation():
        page.get_by_role("button", name="Vertretung benennen").click()
    expect(page.locator("#error-summary")).to_contain_text("Das ist Ihre eigene Adresse")
    axe.check(page, "de-manage-substitute-error")

    page.locator("#salutation-frau").check()
    page.locator("#given_name").fill("Aylin")
    page.locator("#family_name").fill("Probe")
    page.locator("#email").fill(colleague)
    with page.expect_navigation():
        page.get_by_role("button", name="Vertretung benennen").click()
    expect(page.get_by_role("status")).to_contain_text("Wir haben Aylin Probe eine E-Mail")
    expect(page.locator("main")).to_contain_text("die Bestätigung steht noch aus")
    screenshot(page, "de-desktop-substitute-named")
    assert (
        stored_application(local, holder).status == "accepted"
    )  # nothing moves before they confirm

    local.stack.drain_mail()
    offer = read_mail(local.outbox, colleague, "substitute_confirm")
    assert offer["Content-Language"] == "de"
    link = link_in(offer, "substitute")
    # a tampered link is refused clearly
    assert open_page(page, link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")) == 400
    expect(page.locator("main")).to_contain_text("Bitte verwenden Sie den Link aus Ihrer E-Mail")
    assert open_page(page, link) == 200
    expect_page_basics(page, "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Platz übernehmen")
    expect(page.locator("main")).to_contain_text("Stadtverwaltung Musterstadt")
    screenshot(page, "de-desktop-substitute-offer")
    axe.check(page, "de-substitute-offer")
    take = page.get_by_role("button", name="Platz übernehmen")
    take.click()  # without the consent the browser asks for it; nothing changes
    assert page.locator("#consent").evaluate("box => box.validity.valueMissing")
    page.locator("#consent").check()
    with page.expect_navigation():
        take.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sie haben den Platz übernommen")
    screenshot(page, "de-desktop-substitute-done")
    axe.check(page, "de-substitute-done")

    before, after = stored_application(local, holder), stored_application(local, colleague)
    assert before.status == "substituted" and after.status == "accepted"
    assert after.workshops == seat and after.workshops
    assert before.seat_passed_to == after.public_id
    local.stack.drain_mail()
    assert read_mail(local.outbox, holder, "substituted")["Content-Language"] == "de"
    accepted = read_mail(local.outbox, colleague, "accepted")
    assert open_page(page, link_in(accepted, "manage")) == 200
    expect(page.locator("main")).to_contain_text("Zugesagt")
    # the seat's original holder sees it passed on; the history shows both sides
    assert open_page(page, manage) == 200
    expect(page.locator("main")).to_contain_text("An eine Vertretung weitergegeben")
    axe.check(page, "de-manage-substituted")
    shown = _cli_json(local, "applications", "show", holder)
    assert shown["status"] == "substituted"
    assert any(entry["action"] == "substitute_named" for entry in shown["history"])
