"""Rendering the applicant-facing pages from the conference definition (pure: no I/O).

Every page is built from a context assembled here, so templates stay free of logic, and
autoescaping is on for all of them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlencode

from markupsafe import Markup

from registrar.application import Application
from registrar.attendance import day_options, days_answer, days_text
from registrar.conference import Conference, ProgrammeDay
from registrar.i18n import available_languages, language, translate
from registrar.salutation import SALUTATIONS, SUGGESTED_TITLES
from registrar.submission import (
    ALL_DAYS,
    ON_BEHALF_LIMIT,
    SUBMITTER_COPY_CHOICES,
    FieldError,
    extra_field,
    ranking_field,
)

if TYPE_CHECKING:
    from jinja2 import BaseLoader, Environment

_TEMPLATES = Path(__file__).parent / "templates"
CSS = (_TEMPLATES / "site.css").read_text(encoding="utf-8")
# The only style the pages use is inline; the CSP allows exactly that block by its hash.
CSS_HASH = "sha256-" + base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{CSS_HASH}'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@cache
def _environment() -> Environment:
    """The pages' templates as Jinja compiled them when the code was built, where current
    (``registrar.compiled_templates``: the form's cost a first request about 60 ms)."""
    from registrar.compiled_templates import CompiledLoader

    return page_environment(CompiledLoader(_TEMPLATES))


def page_environment(loader: BaseLoader) -> Environment:
    """The pages' settings, on ``loader`` (the compiled templates, or their sources)."""
    # Imported on the first page: a JSON client's request (and its cold start) needs none.
    from jinja2 import Environment, StrictUndefined, select_autoescape

    return Environment(
        loader=loader,
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def compile_templates(target: Path, templates: Path | None = None) -> list[Path]:
    """Write every page template in ``templates``, compiled, into ``target`` (the build)."""
    from jinja2 import FileSystemLoader

    from registrar import compiled_templates

    sources = page_environment(FileSystemLoader(templates or _TEMPLATES))
    return compiled_templates.compile_templates(sources, target)


class SummaryError(NamedTuple):
    anchor: str
    label: str
    message: str


def _base(conference: Conference, lang: str, path: str, query: str = "") -> dict[str, Any]:
    separator = "&" if query else ""
    # A link to each other language the event offers and ships, named in that language.
    other_langs = [
        {
            "code": other,
            "href": f"{path}?{query}{separator}lang={other}",
            "label": language(other).language_name(other),
        }
        for other in conference.languages
        if other != lang and other in available_languages()
    ]
    return {
        "lang": lang,
        # Our own stylesheet, inserted verbatim: escaping it would change its bytes (quotes
        # become entities), break the CSS and no longer match the CSP hash.
        "css": Markup(CSS),  # noqa: S704 - a constant file shipped with the package
        "t": lambda key, **params: translate(lang, key, **params),
        "ordinal": lambda number: language(lang).ordinal(number),
        "event_title": conference.text(conference.title, lang),
        "organiser": conference.text(conference.organiser.name, lang),
        "contact_line": conference.organiser.contact_email,
        "imprint_url": _url(conference.imprint_url),
        "privacy_url": _url(conference.privacy_notice_url),
        "other_langs": other_langs,
    }


def _url(url: object | None) -> str | None:
    return None if url is None else str(url)


_FIELD_LABELS = frozenset(
    {"salutation", "title", "given_name", "family_name", "function", "email", "organisation"}
    | {"municipality", "region", "group", "days", "submitter_email", "submitter_copy"}
    | {"accessibility", "accessibility_note", "dietary", "dietary_note"}
)


def _field_label(name: str, conference: Conference, lang: str) -> str:
    for slot in conference.workshop_slots:
        if name == ranking_field(slot.id):
            return conference.text(slot.title, lang)
    for extra in conference.extras:
        if name == extra_field(extra.id):
            return conference.text(extra.title, lang)
    if name == "consent":
        return translate(lang, "ui.section_consent")
    if name in _FIELD_LABELS:
        return translate(lang, f"ui.{name}")
    return translate(lang, "ui.form_title")


# Fields answered by picking, not typing: "required" reads "please choose" there.
_CHOICE_FIELDS = frozenset({"salutation", "region", "group", "days", "dietary", "submitter_copy"})


def _anchor(name: str, conference: Conference) -> str:
    """The control a summary link leads to: following it focuses that control."""
    if any(name == ranking_field(slot.id) for slot in conference.workshop_slots):
        return f"{name}-1"
    first_option = {
        "salutation": SALUTATIONS[0],
        "group": conference.role_ids[0],
        "days": ALL_DAYS,
        "accessibility": conference.form_options.accessibility[0].id,
        "dietary": conference.form_options.dietary[0].id,
        "submitter_copy": SUBMITTER_COPY_CHOICES[0],
    }
    if name in first_option:
        return f"{name}-{first_option[name]}"
    return name


def _message(error: FieldError, lang: str) -> str:
    choice = error.code == "required" and error.field in _CHOICE_FIELDS
    code = "required_choice" if choice else error.code
    return translate(lang, f"errors.{code}", **error.params)


def _summary_title(lang: str, count: int) -> str:
    return translate(
        lang, "errors.summary_title_one" if count == 1 else "errors.summary_title", count=count
    )


def _first_errors(errors: Sequence[FieldError], lang: str) -> dict[str, str]:
    """Each field's first problem, in the order found (form order)."""
    first: dict[str, str] = {}
    for error in errors:
        first.setdefault(error.field, _message(error, lang))
    return first


def _summary(first: Mapping[str, str], conference: Conference, lang: str) -> list[SummaryError]:
    return [
        SummaryError(_anchor(name, conference), _field_label(name, conference, lang), message)
        for name, message in first.items()
    ]


def _slots(conference: Conference, lang: str, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each slot's ranking selects, with the positions chosen so far (form and manage page)."""
    slots = []
    for slot in conference.workshop_slots:
        chosen = list(values.get(ranking_field(slot.id)) or [])
        positions = (chosen + [""] * len(slot.workshops))[: len(slot.workshops)]
        slots.append(
            {
                "field": ranking_field(slot.id),
                "title": conference.text(slot.title, lang),
                "when": _starts(slot.date, slot.start, lang),
                "positions": positions,
                "workshops": [
                    {
                        "id": w.id,
                        "title": conference.text(w.title, lang),
                        "description": (
                            conference.text(w.description, lang) if w.description else ""
                        ),
                    }
                    for w in slot.workshops
                ],
            }
        )
    return slots


def _starts(day: dt.date, start: str, lang: str) -> str:
    """'Donnerstag, 11. Mai 2023, 12:30 Uhr'."""
    words = language(lang)
    return f"{words.date(day)}, {words.time(start)}"


def _extras(conference: Conference, lang: str) -> list[dict[str, str]]:
    return [
        {
            "field": extra_field(e.id),
            "title": conference.text(e.title, lang),
            "when": _starts(e.date, e.start, lang),
        }
        for e in conference.extras
    ]


def preference_values(application: Application, conference: Conference) -> dict[str, Any]:
    """An application's rankings and extras as the form fields that show them."""
    values: dict[str, Any] = {
        ranking_field(slot_id): list(ranking) for slot_id, ranking in application.rankings.items()
    }
    values.update({extra_field(extra): "true" for extra in application.extras_wanted})
    values["days"] = days_answer(application.days, conference)
    return values


def seats_sentence(conference: Conference, lang: str) -> str:
    """How seats are given, in one sentence built from the definition's admission rules."""
    admission = conference.admission
    parts = [translate(lang, f"ui.seats_{admission.order}")]
    if any(group.reserved for group in conference.attendee_groups):
        parts.append(translate(lang, "ui.seats_reserved"))
    if admission.spread_cap is not None:
        parts.append(translate(lang, "ui.seats_cap", cap=admission.spread_cap))
    return "; ".join(parts) + "."


def reservation_sentence(conference: Conference, lang: str) -> str:
    """What a reserved seat means, with the definition's numbers ("" when none is reserved)."""
    reserved = [g for g in conference.attendee_groups if g.reserved]
    if not reserved:
        return ""
    admission = conference.admission
    return translate(
        lang,
        f"ui.seats_reserved_{admission.precedence}",
        groups="; ".join(f"{conference.text(g.label, lang)}: {g.reserved}" for g in reserved),
        open=admission.capacity - sum(g.reserved for g in reserved),
    )


def render_form(
    conference: Conference,
    lang: str,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Sequence[FieldError] = (),
    lottery_commitment: str | None = None,
) -> str:
    """``lottery_commitment``: shown with a link to how it is checked, where seats are drawn."""
    values = dict(values or {})
    first_error = _first_errors(errors, lang)
    context = _base(conference, lang, "/")
    context.update(
        values=values,
        field_errors=first_error,
        errors=_summary(first_error, conference, lang),
        summary_title=_summary_title(lang, len(first_error)),
        dates_text=language(lang).date_span(conference.dates),
        venue_text=conference.venue.place,
        about=_about(conference, lang),
        deadline_text=language(lang).datetime(conference.deadline, conference.zone),
        seats_text=seats_sentence(conference, lang),
        reservation_text=reservation_sentence(conference, lang),
        programme=_programme(conference, lang),
        suggested_titles=SUGGESTED_TITLES,
        salutations=[
            {"id": code, "label": translate(lang, f"salutations.{code}")} for code in SALUTATIONS
        ],
        regions=[_choice(c.id, c.label, conference, lang) for c in conference.form_options.regions],
        groups=[_choice(r.id, r.label, conference, lang) for r in conference.participant_roles],
        days=day_options(conference, lang),
        slots=_slots(conference, lang, values),
        extras=_extras(conference, lang),
        accessibility=[
            _choice(c.id, c.label, conference, lang) for c in conference.form_options.accessibility
        ],
        dietary=[_choice(c.id, c.label, conference, lang) for c in conference.form_options.dietary],
        privacy_version=conference.privacy_notice_version,
        on_behalf_limit=ON_BEHALF_LIMIT,
        submitter_copies=[
            {"id": mode, "label": translate(lang, f"ui.submitter_copy_{mode}")}
            for mode in SUBMITTER_COPY_CHOICES
        ],
        lottery_commitment=lottery_commitment if conference.admission.order == "lottery" else None,
    )
    return _environment().get_template("form.html.j2").render(context)


def render_lottery(conference: Conference, lang: str, commitment: str) -> str:
    """How the committed lottery works and how anyone checks the published draw."""
    context = _base(conference, lang, "/lottery")
    context.update(
        commitment=commitment,
        public_value=conference.admission.lottery.public_value == "required",
    )
    return _environment().get_template("lottery.html.j2").render(context)


def render_message(
    conference: Conference,
    lang: str,
    heading: str,
    paragraphs: Sequence[str],
    *,
    reference: str | None = None,
    path: str = "/",
    query: str = "",
    form_link: bool = False,
    lottery_link: bool = False,
) -> str:
    """``path`` and ``query``: the page itself, which the language switch shows again.

    ``form_link``: the page ends with a link back to the form (error pages).
    ``lottery_link``: and with one to how anyone checks the lottery (after the deadline).
    """
    context = _base(conference, lang, path, query)
    context.update(
        heading=heading,
        paragraphs=list(paragraphs),
        reference=reference,
        form_href=f"/?lang={lang}" if form_link else None,
        lottery_href=f"/lottery?lang={lang}" if lottery_link else None,
    )
    return _environment().get_template("message.html.j2").render(context)


def render_confirm(conference: Conference, lang: str, token: str, *, late: bool = False) -> str:
    """The page a confirmation link opens: one button that confirms (a POST).

    ``late``: registration has closed; the page says what a confirmation now means.
    """
    context = _base(conference, lang, "/confirm", urlencode({"token": token}))
    deadline = language(lang).datetime(conference.deadline, conference.zone)
    context.update(
        token=token,
        late_text=translate(lang, "ui.confirm_late_text", deadline=deadline) if late else None,
    )
    return _environment().get_template("confirm.html.j2").render(context)


def render_manage(
    conference: Conference,
    application: Application,
    lang: str,
    token: str,
    *,
    actions: Sequence[str],
    notice: str | None = None,
    unconfirmed: str | None = None,
    values: Mapping[str, Any] | None = None,
    errors: Sequence[FieldError] = (),
    substitute_until: dt.datetime | None = None,
    waitlist_open: bool = True,
) -> str:
    """``values`` and ``errors``: a preferences change or a substitute's details that came
    back (kept as entered). ``substitute_until``: the seat may be passed on until then.

    ``waitlist_open``: whether a declined seat still goes to the waiting list.
    """
    status_key = "unconfirmed" if not application.confirmed else application.status
    labels = {
        "decline": (translate(lang, "ui.decline"), translate(lang, "ui.decline_confirm"), True),
        "withdraw": (translate(lang, "ui.withdraw"), translate(lang, "ui.withdraw_confirm"), True),
        "accept_offer": (translate(lang, "ui.accept_offer"), None, False),
    }
    intros = {
        # After the waiting list closed, a declined seat stays free: no successor promised.
        "decline": translate(
            lang, "ui.decline_intro" if waitlist_open else "ui.decline_intro_closed"
        ),
        "withdraw": translate(lang, "ui.withdraw_intro"),
        "accept_offer": translate(lang, "ui.accept_intro"),
    }
    # Workshops are shown while they are the applicant's: not after a decline or withdrawal.
    holds_seat = application.holds_seat
    first_error = _first_errors(errors, lang)
    shown = dict(values) if values is not None else preference_values(application, conference)
    if isinstance(shown.get("days"), list):  # a form post's answer comes as a list
        shown["days"] = next(iter(shown["days"]), "")
    preferences = None
    if "update_preferences" in actions:
        deadline = language(lang).datetime(conference.deadline, conference.zone)
        preferences = {
            "intro": translate(lang, "ui.preferences_intro", deadline=deadline),
            # The days can change too, so every day's workshops and extras are offered,
            # as on the form.
            "days": day_options(conference, lang),
            "slots": _slots(conference, lang, shown),
            "extras": _extras(conference, lang),
        }
    substitute = None
    if substitute_until is not None:
        pending = application.substitute
        substitute = {
            "intro": translate(
                lang,
                "ui.substitute_intro",
                until=language(lang).datetime(substitute_until, conference.zone),
            ),
            "pending": (
                translate(
                    lang,
                    "ui.substitute_pending",
                    name=f"{pending.given_name} {pending.family_name}",
                    email=pending.email,
                )
                if pending is not None
                else None
            ),
            "salutations": [
                {"id": code, "label": translate(lang, f"salutations.{code}")}
                for code in SALUTATIONS
            ],
        }
    context = _base(conference, lang, "/manage", f"token={token}")
    context.update(
        substitute=substitute,
        values=shown,
        field_errors=first_error,
        errors=_summary(first_error, conference, lang),
        summary_title=_summary_title(lang, len(first_error)),
        preferences=preferences,
        application=application,
        token=token,
        notice=notice,
        status_text=translate(lang, f"status.{status_key}"),
        days_text=days_text(conference, application.days, lang)
        if len(conference.dates) > 1
        else None,
        workshops=[
            {
                "slot": conference.text(conference.slot(slot_id).title, lang),
                "workshop": conference.text(
                    conference.slot(slot_id).workshop(workshop_id).title, lang
                ),
            }
            for slot_id, workshop_id in application.workshops.items()
            if holds_seat
        ],
        offer_expires_text=(
            translate(
                lang,
                "ui.offer_expires",
                at=language(lang).datetime(application.offer_expires_at, conference.zone),
            )
            if application.offer_expires_at
            else None
        ),
        actions=[
            {
                "id": action,
                "label": labels[action][0],
                "intro": intros[action],
                "confirm_label": labels[action][1],
                "secondary": labels[action][2],
                "error": (
                    translate(lang, "errors.confirm_required") if action == unconfirmed else None
                ),
            }
            for action in actions
            if action not in {"update_preferences", "substitute"}  # forms of their own
        ],
    )
    return _environment().get_template("manage.html.j2").render(context)


def render_substitute_offer(
    conference: Conference,
    lang: str,
    token: str,
    holder: Application,
    *,
    consent_missing: bool = False,
) -> str:
    """The page a substitute's link opens: whose seat, its workshops, one button (a POST)."""
    context = _base(conference, lang, "/substitute", urlencode({"token": token}))
    holder_name = " ".join(part for part in (holder.title, holder.display_name) if part)
    context.update(
        token=token,
        offer_text=translate(
            lang,
            "ui.substitute_offer_text",
            holder=holder_name,
            organisation=holder.organisation,
        ),
        until_text=translate(
            lang,
            "ui.substitute_offer_until",
            until=language(lang).datetime(conference.substitutes_until, conference.zone),
        ),
        workshops=[
            {
                "slot": conference.text(conference.slot(slot_id).title, lang),
                "workshop": conference.text(
                    conference.slot(slot_id).workshop(workshop_id).title, lang
                ),
            }
            for slot_id, workshop_id in holder.workshops.items()
        ],
        extras=[
            conference.text(conference.extra(extra_id).title, lang)  # noqa: S610 (not Django)
            for extra_id, state in holder.extras.items()
            if state == "place"
        ],
        privacy_version=conference.privacy_notice_version,
        consent_error=translate(lang, "errors.consent") if consent_missing else None,
    )
    return _environment().get_template("substitute.html.j2").render(context)


def _choice(
    choice_id: str, label: Mapping[str, str], conference: Conference, lang: str
) -> dict[str, str]:
    return {"id": choice_id, "label": conference.text(label, lang)}


def _about(conference: Conference, lang: str) -> list[str]:
    """The paragraphs above the form: what the congress is about, for whom, the keynote."""
    about = conference.about
    if about is None:
        return []
    texts = (about.introduction, about.audience, about.keynote)
    return [conference.text(text, lang) for text in texts if text is not None]


def _day_times(conference: Conference, day: ProgrammeDay, lang: str) -> str:
    """'Donnerstag, 11. Mai 2023, 11:00–17:30 Uhr; 18:00 Uhr: Stadtführung …'."""
    parts = [language(lang).date(day.date)]
    span = day.span
    if span is not None:
        parts.append(language(lang).time_range(span[0], span[1]))
    text = ", ".join(parts)
    for extra in conference.extras:
        if extra.date == day.date:
            start = language(lang).time(extra.start)
            text += f"; {start}: {conference.text(extra.title, lang)}"
    return text


def _programme(conference: Conference, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "label": _day_times(conference, day, lang),
            "entries": [
                {
                    "time": language(lang).time(item.start),
                    "title": conference.text(item.title, lang),
                    "subtitle": conference.text(item.subtitle, lang) if item.subtitle else "",
                    "speakers": "; ".join(item.speakers),
                }
                for item in day.items
            ],
        }
        for day in conference.programme
    ]
