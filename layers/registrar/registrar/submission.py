"""Validation of a submitted application: from raw request fields to a clean Submission.

The request model (built once per conference) only fixes the shape and caps sizes, so
that the API and its OpenAPI document are exact. The rules a person can act on (required
fields, lengths, allowed values, rankings, consent) live here and produce FieldErrors with
codes that the pages translate into the applicant's language.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Mapping
from types import MappingProxyType
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from registrar.address import AddressProblem, UndeliverableAddress, deliverable_address
from registrar.application import SubmitterCopy
from registrar.conference import Conference
from registrar.identity import normalise_email
from registrar.salutation import SALUTATIONS

NAME_MAX = 100
TITLE_MAX = 40
FUNCTION_MAX = 120
ORGANISATION_MAX = 200
MUNICIPALITY_MAX = 120
EMAIL_MAX = 254
NOTE_MAX = 500
HONEYPOT_FIELD = "website"
# The form's answer for "every day of the event"; a single day is its ISO date.
ALL_DAYS = "all"
# The dietary option that means nothing without its note (which says what is needed).
OTHER_DIETARY = "other"

# Why an address cannot be sent to, as the code the pages translate into a sentence.
_ADDRESS_ERRORS: Mapping[AddressProblem, str] = {
    "syntax": "email",
    "international_local_part": "email_local_part",
    "domain_form": "email_domain_form",
}
# A web or mail address where a name belongs: spam, or a mistake the person should see.
_ADDRESS_LIKE = re.compile(r"@|://|\bwww\.", re.IGNORECASE)
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_NO_PARAMS: Mapping[str, object] = MappingProxyType({})


class FieldError(NamedTuple):
    field: str
    code: str
    params: Mapping[str, object] = _NO_PARAMS


class InvalidSubmission(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(f"{e.field}:{e.code}" for e in errors))
        self.errors = errors


class Submission(NamedTuple):
    salutation: str
    title: str
    given_name: str
    family_name: str
    function: str
    email: str
    organisation: str
    municipality: str
    region: str
    group: str
    role: str
    days: tuple[dt.date, ...]  # the event days attended, in order
    rankings: dict[str, list[str]]
    extras_wanted: list[str]
    accessibility: list[str]
    accessibility_note: str
    dietary: str
    dietary_note: str
    language: str
    # Registered on someone's behalf: the submitter's address and where mails go ("" / None:
    # the person registered themselves).
    submitted_by: str = ""
    submitter_copy: SubmitterCopy | None = None


# People one address may register on others' behalf: a mayor, a deputy, one more. Each is
# an application of their own (one lottery ticket each, under the organisation's cap).
ON_BEHALF_LIMIT = 3
# Where an application registered on someone's behalf sends its mails (the form's choice).
SUBMITTER_COPY_CHOICES: tuple[SubmitterCopy, ...] = ("copy", "only")


def ranking_field(slot_id: str) -> str:
    return f"ranking_{slot_id}"


def extra_field(extra_id: str) -> str:
    return f"extra_{extra_id}"


def _single(value: object) -> object:
    """A form field arrives as a list of its values; a scalar field takes its only value."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


FormText = Annotated[str, BeforeValidator(_single)]
FormFlag = Annotated[bool, BeforeValidator(_single)]


class SubmissionBase(BaseModel):
    """Fields every conference's form has; the per-conference model adds rankings and extras.

    The same model validates JSON clients and HTML form posts (whose values come as lists).
    """

    model_config = ConfigDict(extra="forbid", str_max_length=2000)

    salutation: FormText = Field(
        default="", description="frau, herr, divers or none (also when left out)."
    )
    title: FormText = Field(default="", description="Academic title, e.g. Dr. (optional).")
    given_name: FormText = ""
    family_name: FormText = ""
    function: FormText = Field(default="", description="Office or position (optional).")
    email: FormText = ""
    organisation: FormText = ""
    municipality: FormText = ""
    region: FormText = ""
    group: FormText = ""
    days: FormText = Field(
        default="",
        description="The days attended: 'all', or one day's ISO date (e.g. 2023-05-12).",
    )
    accessibility: list[str] = Field(default_factory=list, max_length=20)
    accessibility_note: FormText = ""
    dietary: FormText = ""
    dietary_note: FormText = ""
    consent: FormFlag = False
    on_behalf: FormFlag = Field(
        default=False, description="True when registering another person (the submitter)."
    )
    submitter_email: FormText = Field(
        default="", description="The submitter's own address (with on_behalf)."
    )
    submitter_copy: FormText = Field(
        default="", description="copy (mails to the person, the submitter in copy) or only."
    )
    language: FormText = ""
    website: FormText = Field(default="", description="Leave empty (a trap for bots).")


def build_request_model(conference: Conference) -> type[SubmissionBase]:
    """The request body model for one conference: a ranking list per slot, a flag per extra."""
    fields: dict[str, Any] = {}
    for slot in conference.workshop_slots:
        fields[ranking_field(slot.id)] = (
            list[str],
            Field(
                default_factory=list,
                max_length=len(slot.workshops),
                description=f"Workshop ids of slot {slot.id!r}, most preferred first.",
            ),
        )
    for extra in conference.extras:
        fields[extra_field(extra.id)] = (FormFlag, False)
    model: type[SubmissionBase] = create_model(
        "ApplicationRequest", __base__=SubmissionBase, **fields
    )
    return model


def clean_text(value: str, *, multiline: bool = False) -> str:
    """NFC, trimmed, line endings unified; raises ValueError on control characters."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").strip()
    if text.isprintable():  # none of Cc, Cs nor the bidi controls (Cf): what most text is
        return text
    for char in text:
        if char == "\n" and multiline:
            continue
        if unicodedata.category(char) in {"Cc", "Cs"} or char in _BIDI_CONTROLS:
            raise ValueError(char)
    return text


def _visible(text: str) -> bool:
    """Has at least one character that shows (zero-width spaces alone are not a name)."""
    if text.isprintable():  # letters, marks, numbers, punctuation, symbols and " " only
        return bool(text.strip(" "))
    return any(unicodedata.category(char)[0] not in "CZ" for char in text)


class Preferences(NamedTuple):
    """What an applicant may still change before the deadline: rankings and extras."""

    rankings: dict[str, list[str]]
    extras_wanted: list[str]


def _is_set(value: object) -> bool:
    """A flag from JSON (``true``) or from a form post (``"true"``, possibly as a list)."""
    value = _single(value)
    return value is True or (isinstance(value, str) and value.strip().lower() in {"true", "on"})


def read_preferences(request: Mapping[str, Any], conference: Conference) -> Preferences:
    """Rankings and extras as submitted (form or JSON), trimmed but not yet checked."""
    rankings = {
        slot.id: [str(item).strip() for item in _as_list(request.get(ranking_field(slot.id)))]
        for slot in conference.workshop_slots
    }
    extras = [e.id for e in conference.extras if _is_set(request.get(extra_field(e.id)))]
    return Preferences(rankings, extras)


def _as_list(value: object) -> list[object]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def day_choices(conference: Conference) -> tuple[str, ...]:
    """The answers the days field takes: every day, or one of them (one-day events: none)."""
    if len(conference.dates) < 2:
        return ()
    return (ALL_DAYS, *(day.isoformat() for day in conference.dates))


def chosen_days(choice: str, conference: Conference) -> tuple[dt.date, ...]:
    """The days an answer of ``day_choices`` stands for."""
    if choice in {"", ALL_DAYS}:
        return tuple(conference.dates)
    return (dt.date.fromisoformat(choice),)


def read_days(
    request: Mapping[str, Any], conference: Conference
) -> tuple[tuple[dt.date, ...], FieldError | None]:
    """The days answered, or the problem with the answer (required where there are two or
    more days). Until it is answered, every day counts: the form shows all rankings."""
    options = day_choices(conference)
    if not options:
        return tuple(conference.dates), None
    answer = str(_single(request.get("days")) or "").strip()
    if not answer:
        return (), FieldError("days", "required")
    if answer not in options:
        return (), FieldError("days", "choice")
    return chosen_days(answer, conference), None


def for_days(
    preferences: Preferences, conference: Conference, days: Collection[dt.date]
) -> Preferences:
    """The preferences that count for the days attended: other days' rankings are dropped
    (a person ranks only the workshops they can attend); unknown slots and the extras stay,
    to be checked."""
    other_days = {slot.id for slot in conference.workshop_slots} - {
        slot.id for slot in conference.slots_on(days)
    }
    return Preferences(
        {slot: ranking for slot, ranking in preferences.rankings.items() if slot not in other_days},
        preferences.extras_wanted,
    )


def preference_errors(
    preferences: Preferences, conference: Conference, days: Collection[dt.date] = ()
) -> list[FieldError]:
    """Each slot on a day attended (``days``; none named: every day) must have a ranking of
    all of that slot's workshops, each once; extras exist and are on a day attended."""
    errors: list[FieldError] = []
    for slot in conference.slots_on(days):
        name = ranking_field(slot.id)
        ranking = preferences.rankings.get(slot.id, [])
        ranked = set(ranking)
        if len(ranking) < len(slot.workshops) or not all(ranking):
            errors.append(FieldError(name, "ranking_incomplete"))
        elif not ranked <= set(slot.workshop_ids):
            errors.append(FieldError(name, "choice"))
        elif len(ranked) != len(ranking):
            errors.append(FieldError(name, "ranking_duplicate"))
    unknown_slots = set(preferences.rankings) - {slot.id for slot in conference.workshop_slots}
    errors.extend(FieldError(ranking_field(slot_id), "choice") for slot_id in sorted(unknown_slots))
    known_extras = {e.id for e in conference.extras}
    on_days_attended = {e.id for e in conference.extras_on(days)}
    for extra in preferences.extras_wanted:
        if extra not in known_extras:
            errors.append(FieldError(extra_field(extra), "choice"))
        elif extra not in on_days_attended:
            errors.append(FieldError(extra_field(extra), "extra_day_not_attended"))
    return errors


def validate_preferences(
    request: Mapping[str, Any], conference: Conference, days: Collection[dt.date] = ()
) -> Preferences:
    """The preferences part of the form alone (the manage page); raises InvalidSubmission."""
    preferences = for_days(read_preferences(request, conference), conference, days)
    errors = preference_errors(preferences, conference, days)
    if errors:
        raise InvalidSubmission(errors)
    return preferences


def _address_error(email: str, field: str = "email") -> FieldError | None:
    """The mailer's own rule (no DNS lookups): what it could not send is refused here."""
    try:
        deliverable_address(email)
    except UndeliverableAddress as refused:
        return FieldError(field, _ADDRESS_ERRORS[refused.problem])
    return None


def checked_address(request: Mapping[str, Any], field: str, errors: list[FieldError]) -> str:
    """A required address field, cleaned; its problem (if any) appended to ``errors``."""
    try:
        email = clean_text(str(request.get(field) or ""))
    except ValueError:
        errors.append(FieldError(field, "control_characters"))
        return ""
    if not _visible(email):
        errors.append(FieldError(field, "required"))
    elif len(email) > EMAIL_MAX:
        errors.append(FieldError(field, "too_long", {"max": EMAIL_MAX}))
    elif wrong := _address_error(email, field):
        errors.append(wrong)
    return email


def _submitter(
    request: Mapping[str, Any], email: str, errors: list[FieldError]
) -> tuple[str, SubmitterCopy | None]:
    """The submitter's address and copy mode when registering someone else; else ("", None).

    The submitter's address must differ from the person's: each person is keyed by their
    own address, and the person's own address is the one that confirms.
    """
    if not _is_set(request.get("on_behalf")):
        return "", None
    submitter = checked_address(request, "submitter_email", errors)
    if submitter and email and normalise_email(submitter) == normalise_email(email):
        errors.append(FieldError("submitter_email", "submitter_is_person"))
    mode = str(request.get("submitter_copy") or "").strip() or "copy"
    if mode not in SUBMITTER_COPY_CHOICES:
        errors.append(FieldError("submitter_copy", "choice"))
        return submitter, None
    return submitter, "only" if mode == "only" else "copy"


class Colleague(NamedTuple):
    """The person named to take over a seat: their name, office and address."""

    salutation: str
    title: str
    given_name: str
    family_name: str
    function: str
    email: str


def _text_field(
    raw: object,
    name: str,
    limit: int,
    errors: list[FieldError],
    *,
    required: bool = True,
    multiline: bool = False,
    name_like: bool = False,
) -> str:
    """One text field, cleaned; a problem adds its error to ``errors`` (the form's order)."""
    if not raw and not required:  # left empty: nothing to clean or check
        return ""
    try:
        value = clean_text(str(raw or ""), multiline=multiline)
    except ValueError:
        errors.append(FieldError(name, "control_characters"))
        return ""
    if required and not _visible(value):
        errors.append(FieldError(name, "required"))
    elif len(value) > limit:
        errors.append(FieldError(name, "too_long", {"max": limit}))
    elif name_like and _ADDRESS_LIKE.search(value):
        errors.append(FieldError(name, "no_addresses"))
    return value


def validate_colleague(request: Mapping[str, Any]) -> Colleague:
    """The substitute's fields, checked with the application form's own rules."""
    errors: list[FieldError] = []

    def text(name: str, limit: int, *, required: bool = True) -> str:
        value = _single(request.get(name))
        return _text_field(value, name, limit, errors, required=required, name_like=True)

    salutation = str(_single(request.get("salutation")) or "").strip() or "none"
    if salutation not in SALUTATIONS:
        errors.append(FieldError("salutation", "choice"))
    title = text("title", TITLE_MAX, required=False)
    given_name = text("given_name", NAME_MAX)
    family_name = text("family_name", NAME_MAX)
    function = text("function", FUNCTION_MAX, required=False)
    email = checked_address({"email": _single(request.get("email"))}, "email", errors)
    if errors:
        raise InvalidSubmission(errors)
    return Colleague(salutation, title, given_name, family_name, function, email)


def _accessibility(
    request: Mapping[str, Any], conference: Conference, errors: list[FieldError]
) -> list[str]:
    """The accessibility needs ticked; an unknown one adds its error to ``errors``."""
    accessibility = [str(item) for item in request.get("accessibility") or [] if item]
    allowed_needs = {c.id for c in conference.form_options.accessibility}
    if any(item not in allowed_needs for item in accessibility):
        errors.append(FieldError("accessibility", "choice"))
    return accessibility


def validate_submission(request: Mapping[str, Any], conference: Conference) -> Submission:
    """Check every field; raise InvalidSubmission with all problems found, in form order."""
    errors: list[FieldError] = []

    def text(
        name: str,
        limit: int,
        *,
        required: bool = True,
        multiline: bool = False,
        name_like: bool = False,
    ) -> str:
        """``name_like``: a name, title or office, where no web or mail address belongs."""
        return _text_field(
            request.get(name),
            name,
            limit,
            errors,
            required=required,
            multiline=multiline,
            name_like=name_like,
        )

    def choice(name: str, allowed: tuple[str, ...], *, default: str | None = None) -> str:
        """``default``: what an empty answer means (None: an answer is required)."""
        value = str(request.get(name) or "").strip() or (default or "")
        if not value:
            if default is None:
                errors.append(FieldError(name, "required"))
        elif value not in allowed:
            errors.append(FieldError(name, "choice"))
        return value

    salutation = choice("salutation", SALUTATIONS, default="none")
    title = text("title", TITLE_MAX, required=False, name_like=True)
    given_name = text("given_name", NAME_MAX, name_like=True)
    family_name = text("family_name", NAME_MAX, name_like=True)
    function = text("function", FUNCTION_MAX, required=False, name_like=True)
    email = checked_address(request, "email", errors)
    organisation = text("organisation", ORGANISATION_MAX, name_like=True)
    municipality = text("municipality", MUNICIPALITY_MAX, name_like=True)
    region = choice("region", tuple(c.id for c in conference.form_options.regions))
    # The form's "group" field takes a role ("Landrätin / Landrat"); a role counts for its
    # attendee group. Each group's id is also a role's id, so a group id stays valid.
    role = choice("group", conference.role_ids)
    days, days_error = read_days(request, conference)
    errors.extend([days_error] if days_error else [])

    preferences = for_days(read_preferences(request, conference), conference, days)
    errors.extend(preference_errors(preferences, conference, days))

    accessibility = _accessibility(request, conference, errors)
    accessibility_note = text("accessibility_note", NOTE_MAX, required=False, multiline=True)
    dietary = choice("dietary", tuple(c.id for c in conference.form_options.dietary), default="")
    dietary_note = text("dietary_note", NOTE_MAX, required=False, multiline=True)
    if dietary == OTHER_DIETARY and not _visible(dietary_note):
        errors.append(FieldError("dietary_note", "dietary_note_required"))
    if request.get("consent") is not True:
        errors.append(FieldError("consent", "consent"))
    submitted_by, submitter_copy = _submitter(request, email, errors)

    if errors:
        raise InvalidSubmission(errors)
    return Submission(
        salutation=salutation,
        title=title,
        given_name=given_name,
        family_name=family_name,
        function=function,
        email=email,
        organisation=organisation,
        municipality=municipality,
        region=region,
        group=conference.role(role).group,
        role=role,
        days=days,
        rankings=preferences.rankings,
        extras_wanted=preferences.extras_wanted,
        accessibility=sorted(set(accessibility)),
        accessibility_note=accessibility_note,
        dietary=dietary,
        dietary_note=dietary_note,
        language=conference.language_or_default(str(request.get("language") or "")),
        submitted_by=submitted_by,
        submitter_copy=submitter_copy,
    )
