"""The local outbox's ``index.html``: every email sent, for an organiser to look through.

In German (the organisers' language; every word from the locale file of ``PAGE_LANGUAGE``,
the ``outbox_page`` section): when it was sent (the event's wall clock), to whom
(name and address), which kind of email, its language and subject, linked to the body and
the raw message. A small inline script filters by kind and by person; without it the page
shows everything and hides the controls that would not work. Every value is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from registrar.i18n import Language, language
from registrar_cli.labels import mail_kind_label

if TYPE_CHECKING:
    from registrar_local.outbox import OutboxEntry

PAGE_LANGUAGE = "de"  # the page's words, dates, kinds and language names (and <html lang>)
_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f0f0f0;position:sticky;top:0}
.address{color:#555;font-size:.9em}
.when{white-space:nowrap}
form{display:flex;gap:1.5rem;flex-wrap:wrap;margin:1rem 0}
label{display:flex;flex-direction:column;gap:.2rem}
"""
_SCRIPT = """
(function () {
  var form = document.getElementById("filter");
  var kind = document.getElementById("art");
  var person = document.getElementById("person");
  var shown = document.getElementById("angezeigt");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#mails tbody tr"));
  function apply() {
    var wanted = kind.value, text = person.value.trim().toLowerCase(), count = 0;
    rows.forEach(function (row) {
      var visible = (!wanted || row.dataset.kind === wanted) &&
        (!text || row.dataset.person.indexOf(text) !== -1);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = String(count);
  }
  kind.addEventListener("change", apply);
  person.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
}());
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def sent_local(sent_at: str, zone: dt.tzinfo, page: Language) -> str:
    """``11.04.2023 00:01`` on the event's clock (empty when the message had no date)."""
    if not sent_at:
        return ""
    return page.date_time_short(dt.datetime.fromisoformat(sent_at), zone)


def index_page(
    entries: Sequence[OutboxEntry], zone: dt.tzinfo, page_language: str = PAGE_LANGUAGE
) -> str:
    """The whole page, its words from the locale file of ``page_language``."""
    page = language(page_language)

    def say(key: str, **params: object) -> str:
        return _e(page.text(f"outbox_page.{key}", **params))

    counts = Counter(e.kind for e in entries)
    kinds = sorted(counts, key=lambda kind: _kind(kind, page))
    options = "".join(
        f'<option value="{_e(kind)}">{_e(_kind(kind, page))} ({counts[kind]})</option>'
        for kind in kinds
    )
    summary = "".join(f"<li>{_e(_kind(kind, page))}: {counts[kind]}</li>" for kind in kinds)
    rows = "\n".join(
        _row(number, entry, zone, page) for number, entry in enumerate(entries, start=1)
    )
    total = len(entries)
    shown = _e(page.text("outbox_page.shown")).format(
        shown=f'<span id="angezeigt">{total}</span>', total=total
    )
    headers = "".join(
        f'<th scope="col">{say(key)}</th>'
        for key in ("number", "sent", "recipient", "kind", "language", "subject", "source")
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(page.code)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(page.count_text('outbox_page.title', total))}</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{_e(page.count_text('outbox_page.heading', total))}</h1>\n"
        f"<p>{say('zone', zone=zone)}</p>\n"
        f'<h2>{say("by_kind")}</h2>\n<ul id="arten">{summary}</ul>\n'
        f'<h2>{say("emails")}</h2>\n<form id="filter" hidden>\n'
        f'<label for="art">{say("kind")}<select id="art">'
        f'<option value="">{say("all_kinds")}</option>{options}</select></label>\n'
        f'<label for="person">{say("person")}'
        '<input id="person" type="search" autocomplete="off"></label>\n'
        f'<p aria-live="polite">{shown}</p>\n'
        "</form>\n"
        f'<table id="mails">\n<thead><tr>{headers}</tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</main>\n<script>{_SCRIPT}</script>\n"
        "</body>\n</html>\n"
    )


def _kind(kind: str, page: Language) -> str:
    return mail_kind_label(kind, page.code)


def _row(number: int, entry: OutboxEntry, zone: dt.tzinfo, page: Language) -> str:
    person = f"{entry.name} {entry.recipient}".strip().lower()
    who = f"{_e(entry.name)}<br>" if entry.name else ""
    body = entry.html_file or entry.file
    return (
        f'<tr data-kind="{_e(entry.kind)}" data-person="{_e(person)}">'
        f'<td>{number}</td><td class="when">{_e(sent_local(entry.sent_at, zone, page))}</td>'
        f'<td>{who}<span class="address">{_e(entry.recipient)}</span></td>'
        f"<td>{_e(_kind(entry.kind, page))}</td>"
        f"<td>{_e(page.language_name(entry.language))}</td>"
        f'<td><a href="{_e(body)}">{_e(entry.subject)}</a></td>'
        f'<td><a href="{_e(entry.file)}">.eml</a></td></tr>'
    )
