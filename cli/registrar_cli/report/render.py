"""The report as one self-contained HTML page: jinja2 (autoescaped) with inline SVG charts.

Nothing is loaded from elsewhere: no scripts, fonts, images or style sheets, so the file
opens offline and can be mailed as it is. Print CSS lays it out on A4.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from registrar.conference import Conference
from registrar.i18n import Language, language
from registrar_cli.report.charts import bar_chart
from registrar_cli.report.data import ReportData

_ENVIRONMENT = Environment(
    loader=PackageLoader("registrar_cli.report", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_report(
    data: ReportData, conference: Conference, lang: str, generated_at: dt.datetime
) -> str:
    words = language(lang)
    text = words.section("report")
    groups = {g.id: conference.text(g.label, lang) for g in conference.attendee_groups}
    regions = {r.id: conference.text(r.label, lang) for r in conference.form_options.regions}
    workshop_names = {
        w.id: conference.text(w.title, lang).split(":")[0]
        for s in conference.workshop_slots
        for w in s.workshops
    }
    # The room column only once the organisers named rooms (the definition may have none).
    rooms = {w.id: w.room for s in conference.workshop_slots for w in s.workshops if w.room}
    context: dict[str, Any] = {
        "lang": lang,
        "t": text,
        "status_label": words.section("report_status"),
        "data": data,
        "event": conference.text(conference.title, lang),
        "dates": words.date_span(conference.dates),
        "venue": conference.venue.city,
        "generated": words.date_time_short(generated_at, conference.zone),
        "groups": groups,
        "regions": regions,
        "roles": {r.id: conference.text(r.label, lang) for r in conference.roles},
        "workshop_names": workshop_names,
        "rooms": rooms,
        "percent": words.percent,
        "rank_sum": rank_sum,
        "changed": lambda before, after: _changed(before, after, words),
        "when": lambda at: words.date_time_short(at, conference.zone),
        "day": words.date,
        "trigger": lambda t: words.section("report_trigger").get(t, t),
        "extra_title": lambda e: conference.text(conference.extra(e).title, lang),  # noqa: S610
        "charts": _charts(data, words, groups, regions, workshop_names),
    }
    return _ENVIRONMENT.get_template("report.html.j2").render(context)


def write_report(
    data: ReportData,
    conference: Conference,
    lang: str,
    generated_at: dt.datetime,
    output: Path,
) -> Path:
    output.write_text(render_report(data, conference, lang, generated_at), encoding="utf-8")
    return output


def _charts(
    data: ReportData,
    words: Language,
    groups: dict[str, str],
    regions: dict[str, str],
    workshop_names: dict[str, str],
) -> dict[str, Markup]:
    text = words.section("report")
    charts = {
        "groups": bar_chart(
            "groups",
            [groups[g.group_id] for g in data.groups],
            [
                (text["reserved"], [g.reserved for g in data.groups]),
                (text["seated"], [g.seated for g in data.groups]),
            ],
            horizontal=True,
        ),
        "regions": bar_chart(
            "regions",
            [regions.get(r.region_id, r.region_id) for r in data.regions],
            [
                (text["applied"], [r.eligible for r in data.regions]),
                (text["seated"], [r.seated for r in data.regions]),
            ],
            horizontal=True,
        ),
    }
    for slot in data.slots:
        charts[f"fill-{slot.slot_id}"] = bar_chart(
            f"fill-{slot.slot_id}",
            [workshop_names[w.workshop_id] for w in slot.workshops],
            [
                (text["capacity"], [w.capacity for w in slot.workshops]),
                (text["participants"], [w.participants for w in slot.workshops]),
            ],
        )
        total = sum(slot.choices) or 1
        greedy_total = sum(slot.greedy_choices) or 1
        charts[f"choices-{slot.slot_id}"] = bar_chart(
            f"choices-{slot.slot_id}",
            [text["choice"].format(n=n) for n in range(1, len(slot.choices) + 1)],
            [
                (text["optimum"], [c / total for c in slot.choices]),
                (text["greedy"], [c / greedy_total for c in slot.greedy_choices]),
            ],
            share=words.percent,
        )
    return {name: Markup(svg) for name, svg in charts.items()}  # noqa: S704  (our own SVG)


def rank_sum(counts: tuple[int, ...]) -> int:
    """The sum of everybody's choice ranks (1st choice = 1): what the assignment minimises."""
    return sum(rank * n for rank, n in enumerate(counts, start=1))


def _changed(before: str, after: str, words: Language) -> str:
    """The new status; a change that kept it changed a workshop or the city tour."""
    label = words.section("report_status").get(after, after)
    return words.text("report.same_status", status=label) if before == after else label
