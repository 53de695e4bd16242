"""The browser tests' stack, browser and form helpers: one local stack per test module, a
person as the tests fill the form for them, and the checks every page gets.

Fixtures (``local``, ``browser``, ``axe``, ``visit``) are imported by name by the modules
that use them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from registrar import runtime
from registrar.application import Application
from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from registrar.submission import extra_field, ranking_field
from registrar_local.demo import start_local
from registrar_local.gateway import Gateway
from registrar_local.stack import LocalStack
from tests.e2e.browser_support import (
    AxeLog,
    PageWatch,
    launch,
    preserved_environment,
)
from tests.support.keys import applicant_key

REFERENCE = re.compile(r"R-[A-Z0-9-]{9}")


# -- the stack and the browser -------------------------------------------------------------
@dataclass
class Local:
    stack: LocalStack
    gateway: Gateway
    outbox: Path
    url: str
    conference: Conference


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory, conference: Conference) -> Iterator[Local]:
    """The embedded stack in this process, its clock in the middle of registration."""
    workdir = tmp_path_factory.mktemp("browser")
    outbox = workdir / "outbox"
    with preserved_environment(), pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)  # the stack writes its function log to ./.registrar/
        _forget_earlier_stacks()
        opened = conference.opens_at + dt.timedelta(days=1)
        stack, gateway = start_local(outbox, opened, port=0, seed=None)
        try:
            yield Local(stack, gateway, outbox, stack.api_url, conference)
        finally:
            gateway.stop()
            # moto keeps its backends per process: empty them, or the next in-process stack
            # finds this one's tables
            urllib.request.urlopen(
                urllib.request.Request(stack.endpoint_url + "/moto-api/reset", method="POST")
            ).close()
            stack.stop()
            runtime.reset()  # its cached clients point at the stopped moto server
            _restore_function_logs()


def stored_application(local: Local, email: str) -> Application:
    """The application as the stack stored it."""
    event = local.conference.id
    found = DynamoApplications().get(event, applicant_key(event, email))
    assert found is not None, email
    return found


def _forget_earlier_stacks() -> None:
    """Earlier tests in this process leave moto's backends filled and the runtime holding
    clients of their own (mock_aws, no endpoint): start from nothing."""
    from moto.core.base_backend import BackendDict

    BackendDict.reset()
    runtime.reset()


def _restore_function_logs() -> None:
    """The stack sends the functions' log to a file; give later tests their stdout back."""
    for handler in logging.getLogger("registrar").handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is not sys.stdout:
            stream = handler.setStream(sys.stdout)
            if stream is not None and stream not in (sys.stderr, sys.__stdout__):
                stream.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe() -> AxeLog:
    return AxeLog()


@dataclass
class Visit:
    context: BrowserContext
    page: Page
    watch: PageWatch


@pytest.fixture
def visit(browser: Browser, local: Local) -> Iterator[Any]:
    """Open a fresh browser profile (viewport, browser language); its pages are watched."""
    opened: list[Visit] = []

    def open_(viewport: ViewportSize, locale: str) -> Visit:
        context = browser.new_context(viewport=viewport, locale=locale)
        context.set_default_timeout(10_000)
        page = context.new_page()
        watch = PageWatch(local.url).attach(page)
        opened.append(Visit(context, page, watch))
        return opened[-1]

    yield open_
    for each in opened:
        each.context.close()
    for each in opened:
        each.watch.assert_clean()  # every page: security headers, no blocked style or script


# -- an applicant and the form -------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    given_name: str
    family_name: str
    email: str
    organisation: str
    municipality: str
    region: str
    group: str
    rankings: dict[str, list[str]]
    days: str = "all"  # the answer to "Which days?": all, or one day's ISO date
    salutation: str = "frau"
    title: str = "Dr."
    function: str = "Leiterin Stabsstelle Ehrenamt"
    tour: bool = True
    accessibility: tuple[str, ...] = ()
    accessibility_note: str = ""
    dietary: str = "vegetarian"
    dietary_note: str = ""
    texts: dict[str, str] = field(default_factory=dict)

    def text_fields(self) -> dict[str, str]:
        return {
            "title": self.title,
            "given_name": self.given_name,
            "function": self.function,
            "family_name": self.family_name,
            "email": self.email,
            "organisation": self.organisation,
            "municipality": self.municipality,
            "accessibility_note": self.accessibility_note,
            "dietary_note": self.dietary_note,
        }


def erika(conference: Conference, email: str) -> Person:
    slots = conference.workshop_slots
    return Person(
        given_name="Erika",
        family_name="Mustermann-Groß",
        email=email,
        organisation="Stadtverwaltung Musterstadt",
        municipality="Musterstadt",
        region="HE",
        group="administration",
        rankings={ranking_field(s.id): list(reversed(s.workshop_ids)) for s in slots},
        accessibility=("hearing_loop",),
        accessibility_note="Bitte einen Platz nahe der Bühne.",
        dietary="vegan",
        dietary_note="Keine Nüsse",
    )


def fill_form(page: Page, person: Person, *, consent: bool = True) -> None:
    """Fill every field as a person with a mouse or a finger would."""
    for name, value in person.text_fields().items():
        page.locator(f"#{name}").fill(value)
    page.locator(f"#salutation-{person.salutation}").check()
    page.locator("#region").select_option(person.region)
    page.locator(f"#group-{person.group}").check()
    page.locator(f"#days-{person.days}").check()
    for name, ranking in person.rankings.items():
        for position, workshop in enumerate(ranking, start=1):
            page.locator(f"#{name}-{position}").select_option(workshop)
    tour = page.locator(f"#{extra_field('city_tour')}")
    tour.check() if person.tour else tour.uncheck()
    for box in page.locator("input[name=accessibility]").all():
        choice = box.get_attribute("value")
        box.check() if choice in person.accessibility else box.uncheck()
    page.locator(f"#dietary-{person.dietary}").check()
    if consent:
        page.locator("#consent").check()


def expect_kept(page: Page, person: Person) -> None:
    """After a round trip with errors, everything entered is still there."""
    for name, value in person.text_fields().items():
        expect(page.locator(f"#{name}")).to_have_value(value)
    expect(page.locator(f"#salutation-{person.salutation}")).to_be_checked()
    expect(page.locator("#region")).to_have_value(person.region)
    expect(page.locator(f"#group-{person.group}")).to_be_checked()
    expect(page.locator(f"#days-{person.days}")).to_be_checked()
    for name, ranking in person.rankings.items():
        for position, workshop in enumerate(ranking, start=1):
            expect(page.locator(f"#{name}-{position}")).to_have_value(workshop)
    expect(page.locator(f"#{extra_field('city_tour')}")).to_be_checked(checked=person.tour)
    for box in page.locator("input[name=accessibility]").all():
        expect(box).to_be_checked(checked=box.get_attribute("value") in person.accessibility)
    expect(page.locator(f"#dietary-{person.dietary}")).to_be_checked()


def submit(page: Page, *, keyboard: bool = False) -> int:
    """Send the form (a click, or Enter on the focused button); the final page's status."""
    with page.expect_navigation() as navigation:
        if keyboard:
            assert focused_element(page)["type"] == "submit"
            page.keyboard.press("Enter")
        else:
            page.locator("form button[type=submit]").click()
    response = navigation.value
    assert response is not None
    return response.status


def open_page(page: Page, url: str) -> int:
    response = page.goto(url)
    assert response is not None
    return response.status


def focused_element(page: Page) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                type: el.getAttribute('type') || el.tagName.toLowerCase(),
                value: 'value' in el ? el.value : null, checked: !!el.checked,
                outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
            };
        }"""
    )
    return info


def expect_page_basics(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    assert page.locator("script").count() == 0, "pages work without JavaScript and carry none"
    width = page.viewport_size["width"] if page.viewport_size else 0
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"the page scrolls sideways at {width} px ({overflow} px wide)"


def expect_error_summary(page: Page, count: int) -> list[str]:
    """The summary is first in the content, focused, and links each message to its field."""
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < page.locator("form").bounding_box()["y"]  # type: ignore[index]
    links = summary.get_by_role("link")
    expect(links).to_have_count(count)
    expect(page.locator(".error-message")).to_have_count(count)
    assert page.title().split(": ")[0] in {"Fehler", "Error"}, page.title()
    targets = []
    for link in links.all():
        href = link.get_attribute("href") or ""
        assert href.startswith("#"), href
        target = page.locator(href)
        expect(target).to_have_count(1)
        message = link.inner_text().rsplit(": ", 1)[1]
        # the message stands beside its field and is the field's (or group's) description
        holder = (
            target
            if target.get_attribute("aria-describedby")
            else target.locator("xpath=ancestor::fieldset[1]")
        )
        expect(holder).to_have_accessible_description(re.compile(re.escape(message)))
        beside = holder.locator(
            "xpath=ancestor-or-self::*[contains(concat(' ', @class, ' '), ' has-error ')][1]"
        )
        expect(beside.locator(".error-message")).to_contain_text(message)
        targets.append(href)
    return targets
