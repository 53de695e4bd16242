"""The conference definition: every fact about one event, loaded from YAML and validated.

An event is a file in ``registrar/conferences/``; nothing in the code is specific to one
event. Times in the file are local to the event's time zone; this module turns them into
aware datetimes so that no other module has to think about zones.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationError,
    model_validator,
)

from registrar import conference_cache

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
LocalizedText = dict[LanguageCode, str]

DEFINITIONS_DIR = Path(__file__).parent / "conferences"
_log = logging.getLogger(__name__)


class ConferenceDefinitionError(ValueError):
    """The definition file is missing or invalid; the message names the file and field."""


class _Strict(BaseModel):
    # Validators are built when something first validates one (the CLI, the tests, the
    # build): a function's start reads the definition validated at build time
    # (``conference_cache``) and builds none.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Choice(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
    label: LocalizedText


class AttendeeGroup(_Strict):
    id: Identifier
    label: LocalizedText
    reserved: int = Field(default=0, ge=0)


class Role(_Strict):
    """What a person takes part as (the form's choice); each role counts for one group."""

    id: Identifier
    label: LocalizedText
    group: Identifier


class Workshop(_Strict):
    id: Identifier
    title: LocalizedText
    # Only what the organisers wrote; without it nothing is shown.
    description: LocalizedText | None = None
    capacity: int = Field(gt=0)
    # Only as the organisers set it; without it no room is named anywhere.
    room: str | None = None


class WorkshopSlot(_Strict):
    id: Identifier
    title: LocalizedText
    date: dt.date
    start: ClockTime
    end: ClockTime
    workshops: list[Workshop] = Field(min_length=1, max_length=50)

    def workshop(self, workshop_id: str) -> Workshop:
        return next(w for w in self.workshops if w.id == workshop_id)

    @property
    def workshop_ids(self) -> tuple[str, ...]:
        return tuple(w.id for w in self.workshops)


class Extra(_Strict):
    id: Identifier
    title: LocalizedText
    date: dt.date
    start: ClockTime
    # End and meeting point only as the organisers give them; without them nothing is said.
    end: ClockTime | None = None
    capacity: int = Field(ge=0)
    meeting_point: LocalizedText | None = None


class ProgrammeItem(_Strict):
    start: ClockTime
    end: ClockTime | None = None
    title: LocalizedText
    subtitle: LocalizedText | None = None
    speakers: list[str] = Field(default_factory=list)
    workshop_slot: Identifier | None = None
    extra: Identifier | None = None


class ProgrammeDay(_Strict):
    date: dt.date
    items: list[ProgrammeItem]

    @property
    def span(self) -> tuple[str, str] | None:
        """The day's programme from its first start to its last end (extras apart)."""
        main = [item for item in self.items if item.extra is None]
        if not main:
            return None
        return min(i.start for i in main), max(i.end or i.start for i in main)


class About(_Strict):
    """What the form says above its fields, from the announcement (shortened, not added to)."""

    introduction: LocalizedText
    audience: LocalizedText | None = None
    keynote: LocalizedText | None = None


class Venue(_Strict):
    # Name and travel note only as the organisers give them; without them, the address alone.
    name: str = ""
    street: str
    postal_code: str
    city: str
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    # The venue's state (ISO 3166-2 subdivision, e.g. "HE"): its public holidays are no
    # working days when an offer's deadline is counted.
    state: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,3}$")] | None = None
    travel_note: LocalizedText | None = None

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"

    @property
    def place(self) -> str:
        """Name and address, or the address alone."""
        return f"{self.name}, {self.address}" if self.name else self.address


class Organiser(_Strict):
    name: LocalizedText
    # Shown as the emails' sender name; the full name is often too long for a From line.
    short_name: LocalizedText | None = None
    contact_email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]


class Registration(_Strict):
    opens_at: dt.datetime
    deadline: dt.datetime
    require_confirmation: bool = True
    # Unconfirmed applicants are reminded once, this many hours before registration closes.
    reminder_hours_before_deadline: int | None = Field(default=None, gt=0, le=24 * 90)


class LotteryRules(_Strict):
    # "required": the seed also takes a value nobody knows before the deadline (e.g. a
    # published lottery draw), which the organisers enter after it; no run until then.
    public_value: Literal["required", "none"] = "none"


class Admission(_Strict):
    capacity: int = Field(gt=0)
    order: Literal["lottery", "first_come"]
    spread_cap: int | None = Field(default=None, gt=0)
    # open_first: open seats go to everybody first, then each group's reserved seats to its
    # members still waiting (a reservation on top of a fair chance); reserved_first: the
    # reserved seats first (a group's luckiest use up its reservation).
    precedence: Literal["open_first", "reserved_first"] = "open_first"
    offer_ttl_hours: int | None = Field(default=None, gt=0)
    # Preferred over offer_ttl_hours: the offer runs until 23:59 of this many working days
    # (Monday to Friday without the venue state's public holidays) after it is made.
    offer_working_days: int | None = Field(default=None, gt=0, le=30)
    waitlist_open: bool = True
    # From this local time on, runs tell everyone still waiting that no place is left.
    waitlist_closes_at: dt.datetime | None = None
    # Until this local time a participant may pass their seat to a colleague of the same
    # organisation (a substitute); without it, until the programme starts.
    substitute_until: dt.datetime | None = None
    lottery: LotteryRules = Field(default_factory=LotteryRules)

    @model_validator(mode="before")
    @classmethod
    def _no_fixed_seed(cls, data: object) -> object:
        # Refused, not ignored: whoever wrote a seed into the definition knew the lottery's
        # outcome in advance, which is what the committed secret rules out.
        if isinstance(data, Mapping) and "lottery_seed" in data:
            raise ValueError(
                "admission.lottery_seed: a seed written into the definition is known before "
                "the deadline, so whoever wrote it could choose who wins; remove it (the seed "
                "now follows from a secret committed before the deadline and, with "
                "admission.lottery.public_value: required, a value made public after it)"
            )
        return data


class FormOptions(_Strict):
    regions: list[Choice] = Field(min_length=1)
    accessibility: list[Choice] = Field(default_factory=list)
    dietary: list[Choice] = Field(default_factory=list)


class Conference(_Strict):
    """One event, as the organisers define it."""

    id: Identifier
    title: LocalizedText
    organiser: Organiser
    timezone: str
    languages: list[LanguageCode] = Field(min_length=1)
    default_language: LanguageCode
    dates: list[dt.date] = Field(min_length=1)
    venue: Venue
    about: About | None = None
    registration: Registration
    privacy_notice_version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    # Linked from the form's consent label; without it the label names the notice unlinked.
    privacy_notice_url: HttpUrl | None = None
    # The organisers' legal notice (Impressum); every page and email links it and the
    # privacy notice.
    imprint_url: HttpUrl | None = None
    retention_days: int = Field(gt=0, le=3650)
    admission: Admission
    attendee_groups: list[AttendeeGroup] = Field(min_length=1)
    # The form's choice "You are taking part as …"; without it, one role per group.
    roles: list[Role] = Field(default_factory=list)
    workshop_slots: list[WorkshopSlot] = Field(default_factory=list)
    extras: list[Extra] = Field(default_factory=list)
    programme: list[ProgrammeDay] = Field(default_factory=list)
    # Every accepted participant gets the programme this many days before the first day,
    # at the time the programme starts (ProgramRun in the template).
    programme_mail_days_before: int | None = Field(default=None, gt=0, le=365)
    form_options: FormOptions

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"timezone: unknown time zone {self.timezone!r}") from error
        if self.default_language not in self.languages:
            raise ValueError("default_language: must be one of languages")
        if self.registration.deadline <= self.registration.opens_at:
            raise ValueError("registration.deadline: must be after registration.opens_at")
        if self.registration.deadline.date() >= min(self.dates):
            raise ValueError("registration.deadline: must be before the first day of the event")
        closes = self.admission.waitlist_closes_at
        if closes is not None and not self.registration.deadline < closes:
            raise ValueError("admission.waitlist_closes_at: must be after registration.deadline")
        substitute_until = self.admission.substitute_until
        if substitute_until is not None and (
            substitute_until.tzinfo is not None
            or not self.registration.deadline < substitute_until
            or self.local(substitute_until) > self.starts_at
        ):
            raise ValueError(
                "admission.substitute_until: must be a local time after registration.deadline "
                "and not after the programme starts"
            )
        reminder_at = self.reminder_at
        if reminder_at is not None and reminder_at <= self.opens_at:
            raise ValueError(
                "registration.reminder_hours_before_deadline: the reminder would go out "
                "before registration opens"
            )
        programme_mail_at = self.programme_mail_at
        if programme_mail_at is not None and programme_mail_at <= self.closes_at:
            raise ValueError(
                "programme_mail_days_before: the programme would go out before registration "
                "closes (admissions decide after it)"
            )
        _require_unique("attendee_groups", [g.id for g in self.attendee_groups])
        _require_unique("roles", [r.id for r in self.roles])
        for role in self.roles:
            if role.group not in self.group_ids:
                raise ValueError(f"roles.{role.id}: group {role.group!r} is not an attendee group")
        _require_unique("workshop_slots", [s.id for s in self.workshop_slots])
        _require_unique("extras", [e.id for e in self.extras])
        _require_unique(
            "workshop_slots.workshops",
            [w.id for s in self.workshop_slots for w in s.workshops],
        )
        reserved = sum(g.reserved for g in self.attendee_groups)
        if reserved > self.admission.capacity:
            raise ValueError(
                f"attendee_groups: reserved seats ({reserved}) exceed admission.capacity "
                f"({self.admission.capacity})"
            )
        for slot in self.workshop_slots:
            seats = sum(w.capacity for w in slot.workshops)
            if seats < self.admission.capacity:
                raise ValueError(
                    f"workshop_slots.{slot.id}: workshop capacities ({seats}) are below "
                    f"admission.capacity ({self.admission.capacity}); every participant "
                    "needs a workshop place"
                )
        self._check_times()
        self._check_texts()
        return self

    def _check_times(self) -> None:
        """Each slot ends after it starts, and nothing a participant attends overlaps.

        A participant has a workshop in every slot and may join every extra, so two slots,
        or a slot and an extra, at the same time would promise what cannot be attended. An
        extra without an end counts from its start on, for one minute.
        """
        timed: list[tuple[str, dt.date, str, str]] = []
        for slot in self.workshop_slots:
            if slot.end <= slot.start:
                raise ValueError(
                    f"workshop_slots.{slot.id}: ends at {slot.end}, not after its start "
                    f"at {slot.start}"
                )
            timed.append((f"workshop_slots.{slot.id}", slot.date, slot.start, slot.end))
        for extra in self.extras:
            if extra.end is not None and extra.end <= extra.start:
                raise ValueError(
                    f"extras.{extra.id}: ends at {extra.end}, not after its start at {extra.start}"
                )
            hour, minute = map(int, extra.start.split(":"))
            instant_end = f"{hour + (minute + 1) // 60:02d}:{(minute + 1) % 60:02d}"
            timed.append((f"extras.{extra.id}", extra.date, extra.start, extra.end or instant_end))
        for index, (name, date, start, end) in enumerate(timed):
            for other, other_date, other_start, other_end in timed[index + 1 :]:
                # "HH:MM" strings compare as times of day
                if date == other_date and start < other_end and other_start < end:
                    raise ValueError(
                        f"{name} ({start}–{end}) and {other} ({other_start}–{other_end}) "
                        f"overlap on {date.isoformat()}: participants cannot attend both"
                    )

    def _check_texts(self) -> None:
        def walk(value: object, path: str) -> None:
            if isinstance(value, BaseModel):
                for name in type(value).model_fields:
                    walk(getattr(value, name), f"{path}.{name}" if path else name)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    walk(item, f"{path}[{index}]")
            elif (
                isinstance(value, dict)
                and value
                and all(isinstance(v, str) for v in value.values())
            ):
                if self.default_language not in value:
                    raise ValueError(f"{path}: missing text in {self.default_language!r}")
                unknown = set(value) - set(self.languages)
                if unknown:
                    raise ValueError(f"{path}: languages {sorted(unknown)} are not in languages")

        walk(self, "")

    # -- time ------------------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, naive: dt.datetime) -> dt.datetime:
        """A wall-clock time at the event, made aware."""
        return naive.replace(tzinfo=self.zone)

    def waitlist_open_at(self, now: dt.datetime) -> bool:
        """Whether a freed seat still goes to the waiting list (it has not closed)."""
        closes = self.admission.waitlist_closes_at
        return self.admission.waitlist_open and (closes is None or now < self.local(closes))

    def at(self, day: dt.date, clock_time: str) -> dt.datetime:
        hours, minutes = (int(part) for part in clock_time.split(":"))
        return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=self.zone)

    @property
    def opens_at(self) -> dt.datetime:
        return self.local(self.registration.opens_at)

    @property
    def deadline(self) -> dt.datetime:
        """The last instant at which a submission is accepted (the whole last minute counts)."""
        last_minute = self.local(self.registration.deadline.replace(second=0, microsecond=0))
        return last_minute + dt.timedelta(seconds=59, microseconds=999_999)

    @property
    def closes_at(self) -> dt.datetime:
        """The first instant after the deadline: when the deadline run is scheduled."""
        return self.local(self.registration.deadline.replace(second=0, microsecond=0)) + (
            dt.timedelta(minutes=1)
        )

    def registration_state(self, now: dt.datetime) -> Literal["not_open", "open", "closed"]:
        if now < self.opens_at:
            return "not_open"
        if now > self.deadline:
            return "closed"
        return "open"

    @property
    def reminder_at(self) -> dt.datetime | None:
        """When unconfirmed applicants are reminded (local time), if the event wants it."""
        hours = self.registration.reminder_hours_before_deadline
        if hours is None:
            return None
        # Counted in elapsed hours, which a daylight saving change does not shorten.
        instant = self.closes_at.astimezone(dt.UTC) - dt.timedelta(hours=hours)
        return instant.astimezone(self.zone)

    @property
    def starts_at(self) -> dt.datetime:
        """The start of the first day's programme (midnight if it has none)."""
        first = min(self.dates)
        starts = [item.start for day in self.programme if day.date == first for item in day.items]
        return self.at(first, min(starts) if starts else "00:00")

    @property
    def substitutes_until(self) -> dt.datetime:
        """The last instant a participant may pass their seat to a substitute."""
        until = self.admission.substitute_until
        return self.starts_at if until is None else self.local(until)

    @property
    def programme_mail_at(self) -> dt.datetime | None:
        """When the programme goes to participants (local time), if the event wants it."""
        days = self.programme_mail_days_before
        if days is None:
            return None
        starts = self.starts_at
        return self.at(starts.date() - dt.timedelta(days=days), starts.strftime("%H:%M"))

    @property
    def last_day_end(self) -> dt.datetime:
        return dt.datetime.combine(max(self.dates), dt.time(23, 59), tzinfo=self.zone)

    def retention_until(self) -> dt.datetime:
        return self.last_day_end + dt.timedelta(days=self.retention_days)

    # -- lookups ---------------------------------------------------------------------------
    def text(self, value: Mapping[str, str], language: str) -> str:
        return value.get(language) or value[self.default_language]

    def language_or_default(self, language: str | None) -> str:
        return language if language in self.languages else self.default_language

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.attendee_groups)

    @property
    def participant_roles(self) -> tuple[Role, ...]:
        """The roles offered on the form, in order (one per group if none are defined)."""
        if self.roles:
            return tuple(self.roles)
        return tuple(Role(id=g.id, label=g.label, group=g.id) for g in self.attendee_groups)

    @property
    def role_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.participant_roles)

    def role(self, role_id: str) -> Role:
        return next(r for r in self.participant_roles if r.id == role_id)

    def group(self, group_id: str) -> AttendeeGroup:
        return next(g for g in self.attendee_groups if g.id == group_id)

    def slot(self, slot_id: str) -> WorkshopSlot:
        return next(s for s in self.workshop_slots if s.id == slot_id)

    def extra(self, extra_id: str) -> Extra:
        return next(e for e in self.extras if e.id == extra_id)

    # -- days a person attends -------------------------------------------------------------
    def attended_days(self, days: Collection[dt.date]) -> tuple[dt.date, ...]:
        """The event days of ``days`` in order; every day when none is named.

        A slot or extra belongs to the day of its ``date`` (its times are clock times).
        """
        chosen = tuple(day for day in self.dates if day in days)
        return chosen or tuple(self.dates)

    def slots_on(self, days: Collection[dt.date]) -> tuple[WorkshopSlot, ...]:
        """The workshop slots on the days attended (``attended_days``)."""
        attended = self.attended_days(days)
        return tuple(slot for slot in self.workshop_slots if slot.date in attended)

    def extras_on(self, days: Collection[dt.date]) -> tuple[Extra, ...]:
        """The extras on the days attended (``attended_days``)."""
        attended = self.attended_days(days)
        return tuple(extra for extra in self.extras if extra.date in attended)


def _require_unique(field: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for identifier in ids:
        if identifier in seen:
            raise ValueError(f"{field}: duplicate id {identifier!r}")
        seen.add(identifier)


def parse_conference(text: str, source: str = "<definition>") -> Conference:
    """Parse and validate a definition; any problem becomes one ConferenceDefinitionError."""
    from registrar.yaml_files import YAMLError, parse_yaml

    try:
        raw = parse_yaml(text)
    except YAMLError as error:
        raise ConferenceDefinitionError(f"{source}: not valid YAML: {error}") from None
    return _validated(raw, source)


def parse_definition(text: str, source: str) -> tuple[Conference, list[str]]:
    """The validated definition and its keys still marked ``ORGANISERS: set``.

    The file is read and composed once, for its data and for those keys.
    """
    from registrar.conference_gaps import marked_keys
    from registrar.yaml_files import YAMLError, parse_yaml_document

    try:
        raw, document = parse_yaml_document(text)
    except YAMLError as error:
        raise ConferenceDefinitionError(f"{source}: not valid YAML: {error}") from None
    return _validated(raw, source), marked_keys(text, document)


def _validated(raw: object, source: str) -> Conference:
    if not isinstance(raw, dict):
        raise ConferenceDefinitionError(f"{source}: expected a mapping at the top level")
    try:
        return Conference.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        location = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        more = f" (and {error.error_count() - 1} more problems)" if error.error_count() > 1 else ""
        raise ConferenceDefinitionError(f"{source}: {location}: {message}{more}") from None


def load_conference_file(path: Path) -> Conference:
    return parse_conference(_read(path), str(path.name))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConferenceDefinitionError(f"{path}: cannot be read ({error.strerror})") from None


def _definition_path(conference_id: str) -> Path:
    if not conference_id or "/" in conference_id or conference_id.startswith("."):
        raise ConferenceDefinitionError(f"{conference_id!r}: not a conference id")
    path = DEFINITIONS_DIR / f"{conference_id}.yaml"
    if not path.is_file():
        raise ConferenceDefinitionError(f"{conference_id}: no such conference definition")
    return path


@cache
def load_conference(conference_id: str) -> Conference:
    """Load a definition shipped with the package, by id (cached for the process).

    Logs one warning naming the keys still marked ``ORGANISERS: set`` (keys only). In a
    built layer the definition was validated by the build (``conference_cache``), which
    is used when it was made from this very text; else the file is validated here.
    """
    path = _definition_path(conference_id)
    text = _read(path)
    built = conference_cache.read(path, text)
    conference, unset = built if built is not None else parse_definition(text, path.name)
    if conference.id != conference_id:
        raise ConferenceDefinitionError(f"{conference_id}.yaml: id: must be {conference_id!r}")
    if unset:
        _log.warning(
            "conference %s: %d values still marked 'ORGANISERS: set': %s",
            conference_id,
            len(unset),
            ", ".join(unset),
        )
    return conference


def unset_by_organisers(conference_id: str) -> list[str]:
    """The definition's keys still marked ``# ORGANISERS: set``, as dotted paths, in file order.

    E.g. ``["organiser.contact_email", "admission.capacity", "extras.city_tour.capacity"]``.
    """
    from registrar.conference_gaps import marked_keys
    from registrar.yaml_files import YAMLError, compose_yaml

    path = _definition_path(conference_id)
    try:
        text = path.read_text(encoding="utf-8")
        return marked_keys(text, compose_yaml(text))
    except (OSError, YAMLError) as error:
        raise ConferenceDefinitionError(f"{path.name}: cannot be read ({error})") from None
