"""Print material read back as a person (or a scanner) would: the QR code, badges, lists."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from registrar.conference import Conference
from registrar_cli.printing.attendees import (
    Attendee,
    attendee_from,
    attendees,
    german_fold,
    without_particles,
)
from registrar_cli.printing.badges import write_badges
from registrar_cli.printing.qr import QrError, form_url, make_qr, write_qr
from registrar_cli.printing.signin import (
    SigninError,
    day_lists,
    workshop_lists,
    write_signin,
)
from tests.support.print_world import LONG_NAME, DecidedEvent, decided_event

A4_POINTS = (595, 842)
FORM = "https://anmeldung.example.org/"


@pytest.fixture(scope="module")
def event(conference: Conference) -> DecidedEvent:
    return decided_event(conference)


@pytest.fixture(scope="module")
def people(event: DecidedEvent) -> list[Attendee]:
    return attendees(event.applications(), event.conference, "de")


def pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def assert_a4(path: Path) -> None:
    for page in PdfReader(path).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS


# --- QR code -------------------------------------------------------------------------------


def test_the_png_decodes_to_the_form_url_with_print_grade_error_correction(
    tmp_path: Path,
) -> None:
    path = write_qr(FORM, tmp_path / "qr.png")
    found = zxingcpp.read_barcodes(Image.open(path))
    assert [(code.text, code.format) for code in found] == [(FORM, zxingcpp.BarcodeFormat.QRCode)]
    assert found[0].ec_level in {"Q", "H"}


def test_the_svg_holds_the_same_code_with_a_quiet_zone(tmp_path: Path) -> None:
    path = write_qr(FORM, tmp_path / "qr.svg")
    svg = path.read_text(encoding="utf-8")
    code = make_qr(FORM)
    assert code.error in {"Q", "H"}
    side = (code.symbol_size(scale=10, border=4))[0]
    assert f'width="{side}"' in svg and "<path" in svg
    # The drawn modules start after four empty modules (the quiet zone).
    assert re.search(r'd="M4 4\.5h', svg)


def test_the_form_url_comes_from_the_public_base_url(tmp_path: Path) -> None:
    assert form_url({"PublicBaseUrl": "https://x.example.org", "ApiUrl": "https://a"}) == (
        "https://x.example.org/"
    )
    assert form_url({"ApiUrl": "https://api.example.org/"}) == "https://api.example.org/"
    with pytest.raises(QrError):
        form_url({})


@pytest.mark.parametrize("bad", ["kongress", "ftp://x.example.org", "https://x .org"])
def test_a_non_web_address_is_refused_and_nothing_written(tmp_path: Path, bad: str) -> None:
    with pytest.raises(QrError):
        write_qr(bad, tmp_path / "qr.png")
    assert not (tmp_path / "qr.png").exists()


def test_only_png_and_svg_are_written(tmp_path: Path) -> None:
    with pytest.raises(QrError):
        write_qr(FORM, tmp_path / "qr.jpg")


# --- who is printed, and in which order -----------------------------------------------------


def test_german_order_treats_umlauts_as_their_base_letter() -> None:
    names = ["Zimmermann", "Öztürk", "Ozdemir", "Müller", "Muller", "Mueller", "Adler", "Ähnlich"]
    names += ["Straßer", "Strasser", "Übel", "Ulrich"]
    ordered = sorted(names, key=lambda n: (german_fold(n), n))
    assert ordered == [
        "Adler", "Ähnlich", "Mueller", "Muller", "Müller", "Ozdemir", "Öztürk",
        "Strasser", "Straßer", "Übel", "Ulrich", "Zimmermann",
    ]  # fmt: skip


def test_lower_case_name_particles_do_not_count(people: list[Attendee]) -> None:
    assert without_particles("von Hohenzollern-Sigmaringen") == "Hohenzollern-Sigmaringen"
    assert without_particles("van der Berg") == "Berg"
    assert without_particles("Von Ahn") == "Von Ahn"  # written as part of the name
    assert without_particles("von") == "von"
    index = [p.family_name for p in people].index(LONG_NAME[1])
    neighbours = [german_fold(p.family_name)[0] for p in people[index - 1 : index + 2]]
    assert neighbours[0] <= "h" <= neighbours[2]


def test_only_accepted_participants_are_printed_sorted_by_family_name(
    event: DecidedEvent, people: list[Attendee]
) -> None:
    accepted = [a for a in event.applications() if a.status == "accepted"]
    assert {p.ref for p in people} == {a.public_id for a in accepted}
    folded = [
        (german_fold(without_particles(p.family_name)), german_fold(p.given_name)) for p in people
    ]
    assert folded == sorted(folded)


def test_the_adapter_leaves_empty_fields_empty_and_names_rooms(
    event: DecidedEvent, conference: Conference
) -> None:
    application = next(a for a in event.applications() if a.status == "accepted")
    person = attendee_from(application, conference, "de")
    assert (person.salutation, person.title, person.function) == (None, None, None)
    assert person.name == f"{application.given_name} {application.family_name}"
    titled = application.model_copy(
        update={"salutation": "frau", "title": "Dr.", "function": "Bürgermeisterin"}
    )
    shown = attendee_from(titled, conference, "de")
    assert (shown.salutation, shown.function) == ("Frau", "Bürgermeisterin")
    assert shown.name == f"Dr. {application.given_name} {application.family_name}"
    assert attendee_from(titled, conference, "en").salutation == "Ms"
    neutral = application.model_copy(update={"salutation": "divers"})
    assert attendee_from(neutral, conference, "de").salutation is None
    assert {w.slot_id for w in person.workshops} == set(application.workshops)
    rooms = {w.id: w.room for s in conference.workshop_slots for w in s.workshops}
    assert all(w.room == rooms[w.workshop_id] for w in person.workshops)


# --- sign-in lists --------------------------------------------------------------------------


def test_a_day_list_has_everybody_once_in_order_with_a_signature_column(
    tmp_path: Path, people: list[Attendee], conference: Conference
) -> None:
    day = conference.dates[0]
    path = write_signin(day_lists(people, conference, day), conference, "de", tmp_path / "l.pdf")
    assert_a4(path)
    text = "\n".join(pages(path))
    assert "Teilnahmeliste · Donnerstag, 11. Mai 2023" in text
    assert f"{len(people)} Teilnehmende" in text
    assert text.count("Unterschrift") == len(PdfReader(path).pages)  # the heading repeats
    # Long names wrap in their cell: compare without spaces and line breaks.
    squeezed = re.sub(r"\s+", "", text)
    listed = [f"{n}{p.family_name},{p.given_name}" for n, p in enumerate(people, start=1)]
    positions = [squeezed.index(re.sub(r"\s+", "", entry)) for entry in listed]
    assert positions == sorted(positions)


def test_without_a_day_there_is_one_list_per_event_day(
    tmp_path: Path, people: list[Attendee], conference: Conference
) -> None:
    path = write_signin(day_lists(people, conference, None), conference, "en", tmp_path / "l.pdf")
    text = "\n".join(pages(path))
    assert text.count("Sign-in list · Thursday, 11 May 2023") >= 1
    assert "Sign-in list · Friday, 12 May 2023" in text
    assert text.count(f"{len(people)} participants") == 2


def test_a_day_outside_the_event_is_refused(people: list[Attendee], conference: Conference) -> None:
    with pytest.raises(SigninError, match=r"13\.05\.2023 is not a day of the event"):
        day_lists(people, conference, dt.date(2023, 5, 13))


def test_workshop_lists_name_room_and_hold_exactly_its_participants(
    tmp_path: Path, people: list[Attendee], conference: Conference
) -> None:
    lists = workshop_lists(people, conference, conference.dates[0], "de")
    slot = conference.workshop_slots[0]
    assert len(lists) == len(slot.workshops)
    for signin, workshop in zip(lists, slot.workshops, strict=True):
        # no room is set (the announcement names none): the time alone, no "None"
        assert signin.subtitle.endswith("\n12:30–14:45 Uhr") and workshop.room is None
        expected = {p.ref for p in people if any(w.workshop_id == workshop.id for w in p.workshops)}
        assert {p.ref for p in signin.people} == expected
    assert sum(len(s.people) for s in lists) == len(people)
    path = write_signin(lists, conference, "de", tmp_path / "ws.pdf")
    text = "\n".join(pages(path))
    for signin in lists:
        assert f"{len(signin.people)} Teilnehmende" in text


# --- badges ---------------------------------------------------------------------------------


def test_ten_badges_per_a4_sheet_one_per_participant(
    tmp_path: Path, people: list[Attendee], conference: Conference
) -> None:
    path = write_badges(people, conference, "de", tmp_path / "badges.pdf")
    assert_a4(path)
    sheets = pages(path)
    assert len(sheets) == -(-len(people) // 10)
    text = "\n".join(sheets)
    assert text.count("Kommunalkongress Kassel (BBE) · 11.–12. Mai 2023") == len(people)
    for person in people:
        assert person.name in text or person.family_name in text
    assert "Großenbrode" in text  # diacritics and ß survive


def test_a_long_name_is_split_and_kept_whole(
    tmp_path: Path, people: list[Attendee], conference: Conference
) -> None:
    long = next(p for p in people if p.family_name == LONG_NAME[1])
    path = write_badges([long], conference, "de", tmp_path / "one.pdf")
    text = pages(path)[0]
    assert LONG_NAME[0] in text and LONG_NAME[1] in text
    assert "…" not in text.split("\n")[1]  # shrunk, not cut


def test_the_workshops_are_in_the_small_print(
    tmp_path: Path, people: list[Attendee], conference: Conference
) -> None:
    person = people[0]
    text = pages(write_badges([person], conference, "de", tmp_path / "one.pdf"))[0]
    for workshop in person.workshops:
        assert f"{workshop.date:%d.%m.} {workshop.start} · {workshop.title.split(':')[0]}" in text
    assert "None" not in text and "Raum" not in text  # no room set, none printed


def test_an_english_badge_writes_its_days_in_english(
    tmp_path: Path, people: list[Attendee], conference: Conference
) -> None:
    person = people[0]
    text = pages(write_badges([person], conference, "en", tmp_path / "one.pdf"))[0]
    assert person.workshops and {w.date.isoformat() for w in person.workshops} <= {
        "2023-05-11",
        "2023-05-12",
    }
    for workshop in person.workshops:
        assert f"{workshop.date.day} May {workshop.start}" in text
    assert ".05." not in text


def test_salutation_title_and_function_are_on_the_badge(
    tmp_path: Path, event: DecidedEvent, conference: Conference
) -> None:
    application = next(a for a in event.applications() if a.status == "accepted")
    titled = application.model_copy(
        update={"salutation": "herr", "title": "Prof. Dr.", "function": "Oberbürgermeister"}
    )
    person = attendee_from(titled, conference, "de")
    text = pages(write_badges([person], conference, "de", tmp_path / "one.pdf"))[0]
    assert "Herr" in text and "Oberbürgermeister" in text
    assert f"Prof. Dr. {application.given_name} {application.family_name}" in text


def test_no_participants_still_makes_a_valid_pdf(tmp_path: Path, conference: Conference) -> None:
    path = write_badges([], conference, "de", tmp_path / "none.pdf")
    assert len(PdfReader(path).pages) == 1
