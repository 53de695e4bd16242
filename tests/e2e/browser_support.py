"""Support for the browser test: Debian's Chromium, axe-core, screenshots, pages' headers, mail.

Chromium is the system's (``apt-get install chromium``), driven by playwright through
``executable_path``: playwright's own browser download is never used. axe-core comes inside
the ``axe-playwright-python`` wheel, so nothing is fetched while the tests run.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Response, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_REPORTS = ARTIFACTS / "axe"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE: ViewportSize = {"width": 320, "height": 640}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
LINK = re.compile(r"https?://\S+?/(?:confirm|manage|substitute)\?token=[A-Za-z0-9_.%\-]+")


def chromium_path() -> str:
    """Debian's Chromium, or fail loudly: a browser test that skips proves nothing."""
    candidates = [
        os.environ.get("REGISTRAR_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        "Chromium was not found (looked at $REGISTRAR_CHROMIUM, `chromium` on PATH and "
        "/usr/bin/chromium). Install Debian's package: apt-get update && apt-get install -y "
        "chromium (`make test` does this itself when run as root on Debian). Do not run "
        "`playwright install`.",
        pytrace=False,
    )


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


# -- axe-core ------------------------------------------------------------------------------
_AXE = Axe()


@dataclass
class AxeLog:
    """Every axe run of the session, written as one report per page next to the screenshots."""

    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def check(self, page: Page, name: str) -> list[dict[str, Any]]:
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        violations: list[dict[str, Any]] = _AXE.run(page, options=options).response["violations"]
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [" ".join(map(str, n["target"])) for n in v["nodes"]],
            }
            for v in violations
        ]
        self.runs[name] = summary
        AXE_REPORTS.mkdir(parents=True, exist_ok=True)
        (AXE_REPORTS / f"{name}.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        blocking = [v for v in summary if v["impact"] in BLOCKING_IMPACTS]
        assert blocking == [], f"axe on {name} ({page.url}): {json.dumps(blocking, indent=1)}"
        return summary


# -- screenshots ---------------------------------------------------------------------------
def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    assert path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    return path


# -- what every page must send -------------------------------------------------------------
def security_header_problems(headers: dict[str, str]) -> list[str]:
    csp = headers.get("content-security-policy", "")
    directives = {
        part.strip().split(" ", 1)[0]: part.strip() for part in csp.split(";") if part.strip()
    }
    problems = []
    if directives.get("default-src") != "default-src 'none'":
        problems.append(f"CSP default-src is not 'none': {csp!r}")
    if "frame-ancestors 'none'" not in directives.values():
        problems.append("CSP lacks frame-ancestors 'none'")
    if "unsafe-inline" in csp or "unsafe-eval" in csp or "script-src" in directives:
        problems.append(f"CSP allows scripts or inline code: {csp!r}")
    if not re.fullmatch(r"style-src 'sha256-[A-Za-z0-9+/=]+'", directives.get("style-src", "")):
        problems.append("CSP style-src is not exactly one hash")
    expected = {
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
    }
    for name, value in expected.items():
        if headers.get(name) != value:
            problems.append(f"{name} is {headers.get(name)!r}, not {value!r}")
    return problems


@dataclass
class PageWatch:
    """What a page received and complained about: documents with their headers, console errors."""

    base_url: str
    documents: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> PageWatch:
        page.on("response", self._response)
        page.on("console", self._console)
        return self

    def _response(self, response: Response) -> None:
        if response.request.resource_type == "document" and response.url.startswith(self.base_url):
            self.documents.append((response.url, response.status, response.all_headers()))

    def _console(self, message: ConsoleMessage) -> None:
        # A 4xx page is an answer, not an error; a blocked style or script is an error.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.console_errors.append(message.text)

    def assert_clean(self) -> None:
        assert self.documents, "no page was loaded"
        for url, status, headers in self.documents:
            problems = security_header_problems(headers)
            assert problems == [], f"{status} {url.split('?')[0]}: {problems}"
        assert self.console_errors == [], self.console_errors


# -- mail ----------------------------------------------------------------------------------
def outbox_index(outbox: Path) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = json.loads((outbox / "index.json").read_text("utf-8"))
    return entries


def read_mail(outbox: Path, recipient: str, kind: str) -> EmailMessage:
    matches = [
        entry
        for entry in outbox_index(outbox)
        if entry["kind"] == kind and recipient in entry["recipient"].split(", ")
    ]
    assert len(matches) == 1, f"expected one {kind} email to {recipient}, found {len(matches)}"
    message = email.message_from_bytes(
        (outbox / matches[0]["file"]).read_bytes(), policy=email.policy.default
    )
    assert isinstance(message, EmailMessage)
    return message


def link_in(message: EmailMessage, path: str) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "the email has no text part"
    links = [link for link in LINK.findall(body.get_content()) if f"/{path}?" in link]
    assert links, f"no /{path} link in {message['Subject']!r}"
    return str(links[0])


@contextmanager
def preserved_environment() -> Iterator[None]:
    """The local stack points this process at moto; put everything back afterwards."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
