"""The demo's print material, beside its outbox: report, QR code, badges, sign-in lists,
and the published lottery (what organisers put on the event's website).

The folder (``documents`` next to the outbox) belongs to the demo only if the demo made
it: a marker file says so. A later demo replaces only the files it writes there; a folder
with other files and no marker is refused before the cycle starts, and nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications, DynamoRuns

MARKER = ".registrar-documents"
FILES = {
    "report": "report.html",
    "qr_png": "qr.png",
    "qr_svg": "qr.svg",
    "badges": "badges.pdf",
    "signin": "signin.pdf",
    "signin_by_workshop": "signin-workshops.pdf",
    "lottery": "lottery.json",
}


class DocumentsFolderRefused(Exception):
    """The folder holds files the demo did not write: nothing was touched."""


def documents_folder(outbox: Path) -> Path:
    return outbox.parent / "documents"


def prepare_documents_folder(folder: Path) -> None:
    """Make ``folder`` ready for the demo's documents, deleting only the demo's own files."""
    if folder.exists() and not folder.is_dir():
        raise DocumentsFolderRefused(f"{folder} is a file: the demo writes documents there.")
    if folder.is_dir() and any(folder.iterdir()):
        if not (folder / MARKER).is_file():
            raise DocumentsFolderRefused(
                f"{folder} is not empty and was not made by the demo: move it away or empty "
                "it; the demo writes its print material there (nothing was deleted)."
            )
        for name in FILES.values():
            (folder / name).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(
        "This folder holds the registrar demo's print material; the next demo replaces it.\n",
        encoding="utf-8",
    )


def write_documents(
    folder: Path, conference: Conference, form_url: str, now: dt.datetime
) -> dict[str, str]:
    """Write every document from the stack's tables (bound in this process); their paths."""
    from registrar.services.admissions import is_eligible
    from registrar.services.lottery import publication, published_tickets
    from registrar_cli.printing.attendees import attendees
    from registrar_cli.printing.badges import write_badges
    from registrar_cli.printing.qr import write_qr
    from registrar_cli.printing.signin import day_lists, workshop_lists, write_signin
    from registrar_cli.report.data import gather
    from registrar_cli.report.render import write_report

    lang = conference.default_language
    applications = list(DynamoApplications().list(conference.id))
    runs = DynamoRuns().list(conference.id)
    people = attendees(applications, conference, lang)
    paths = {key: folder / name for key, name in FILES.items()}
    merged = DynamoRuns().organisation_aliases(conference.id)
    data = gather(applications, runs, conference, None, merged)
    write_report(data, conference, lang, now, paths["report"])
    write_qr(form_url, paths["qr_png"])
    write_qr(form_url, paths["qr_svg"])
    write_badges(people, conference, lang, paths["badges"])
    write_signin(day_lists(people, conference, None), conference, lang, paths["signin"])
    write_signin(
        workshop_lists(people, conference, None, lang),
        conference,
        lang,
        paths["signin_by_workshop"],
    )
    lottery = DynamoRuns().lottery(conference.id)
    if lottery is None:  # the local stack draws it at start
        raise RuntimeError("the local stack has no lottery record")
    taking_part = [a for a in applications if is_eligible(a, conference)]
    published = publication(conference, lottery, published_tickets(taking_part, lottery.drawn))
    paths["lottery"].write_text(
        json.dumps(published, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return {key: str(path) for key, path in paths.items()}
