"""The event's committed lottery: draw the secret once, derive the seed, reveal, publish.

The secret is drawn on first need (the form, a receipt, a run, an organiser's command; the
local stack at start), so at the latest for the first receipt, with a conditional write so
that exactly one ever exists; from then on its commitment is shown. After the deadline the
seed follows from the secret and, where the definition asks for one, a public value the
organisers enter once; the first
applied run reveals the secret. Nobody can choose or re-roll the seed: dry runs and the
applied run derive the same one. The rules themselves are ``registrar.lottery``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any, NamedTuple

from registrar import lottery
from registrar.application import Application, Status
from registrar.clock import Clock
from registrar.conference import Conference
from registrar.errors import TransitionNotAllowed
from registrar.lottery_state import DrawnLottery, LotteryState
from registrar.store.interfaces import LotteryRepository

PUBLIC_VALUE_MAX_LENGTH = 200
# What the published draw says about each ticket's seat: the status, in public words.
OUTCOMES: dict[Status, str] = {
    "new": "undecided",
    "accepted": "admitted",
    "offered": "offered",
    "waitlisted": "waitlisted",
    "not_admitted": "not_admitted",
    "declined": "declined",
    "cancelled": "cancelled",
    "withdrawn": "withdrawn",
    "expired": "offer_expired",
    "substituted": "passed_to_substitute",
}


class PublicValueMissing(TransitionNotAllowed):
    code = "lottery_public_value_missing"


class PublicValueTooEarly(TransitionNotAllowed):
    code = "lottery_public_value_too_early"


class PublicValueAlreadyEntered(TransitionNotAllowed):
    code = "lottery_public_value_entered"


class PublicValueNotConfigured(TransitionNotAllowed):
    code = "lottery_public_value_not_configured"


class InvalidPublicValue(TransitionNotAllowed):
    code = "lottery_public_value_invalid"


class LotteryNotRevealed(TransitionNotAllowed):
    code = "lottery_not_revealed"


class LotteryService:
    def __init__(
        self,
        conference: Conference,
        repository: LotteryRepository,
        clock: Clock,
        randomness: random.Random,
    ) -> None:
        self._conference = conference
        self._repository = repository
        self._clock = clock
        self._randomness = randomness
        self._drawn: DrawnLottery | None = None  # never changes once drawn: kept

    def drawn(self) -> DrawnLottery:
        """The event's secret, drawn now if nobody drew it yet (exactly one ever exists)."""
        if self._drawn is None:
            event_id = self._conference.id
            self._drawn = self._repository.drawn(event_id) or self._draw(event_id)
        return self._drawn

    def _draw(self, event_id: str) -> DrawnLottery:
        secret = f"{self._randomness.getrandbits(256):064x}"
        candidate = DrawnLottery(
            event_id=event_id,
            secret=secret,
            ticket_key=f"{self._randomness.getrandbits(256):064x}",
            commitment=lottery.commitment(secret),
            committed_at=self._clock.now(),
        )
        if self._repository.add_drawn(candidate):
            return candidate
        stored = self._repository.drawn(event_id)  # another process drew first: theirs
        if stored is None:
            raise RuntimeError(f"the lottery of {event_id} was neither drawn nor stored")
        return stored

    def commitment(self) -> str:
        return self.drawn().commitment

    def ticket(self, public_id: str) -> str:
        return lottery.ticket(self.drawn().ticket_key, public_id)

    def state(self) -> LotteryState:
        """Everything on record, read now (the public value and the reveal may be new)."""
        state = self._repository.lottery(self._conference.id)
        if state is None:
            state = LotteryState(drawn=self.drawn())  # drawn just now: nothing else yet
        self._drawn = state.drawn
        return state

    def seed(self, state: LotteryState) -> str:
        """The run's seed. Raises PublicValueMissing while the public value is awaited."""
        wants_value = self._conference.admission.lottery.public_value == "required"
        if wants_value and state.public_value is None:
            raise PublicValueMissing
        value = None if state.public_value is None else state.public_value.value
        return lottery.seed(state.drawn.secret, value)

    def enter_public_value(self, value: str) -> LotteryState:
        """Record the public value: once, after the deadline, where the definition asks."""
        if self._conference.admission.lottery.public_value != "required":
            raise PublicValueNotConfigured
        if self._clock.now() < self._conference.closes_at:
            raise PublicValueTooEarly
        if not value.strip() or len(value) > PUBLIC_VALUE_MAX_LENGTH or not value.isprintable():
            raise InvalidPublicValue
        state = self.state()
        if state.public_value is not None or not self._repository.add_public_value(
            self._conference.id, value.strip(), self._clock.now()
        ):
            raise PublicValueAlreadyEntered
        return self.state()

    def reveal(self) -> None:
        """Mark the secret revealed (after the deadline run); the first reveal stays."""
        self.state()
        self._repository.add_reveal(self._conference.id, self._clock.now())


class PublishedTicket(NamedTuple):
    ticket: str
    group: str
    status: Status
    waitlist_position: int | None
    late: bool  # confirmed after the deadline: decided after everyone who confirmed in time


def published_tickets(
    applications: Iterable[Application], drawn: DrawnLottery
) -> list[PublishedTicket]:
    """The tickets of the applications that took part, without anything personal."""
    return [
        PublishedTicket(
            lottery.ticket(drawn.ticket_key, a.public_id),
            a.group,
            a.status,
            a.waitlist_position,
            a.was_late,
        )
        for a in applications
    ]


def publication(
    conference: Conference, state: LotteryState, tickets: list[PublishedTicket]
) -> dict[str, Any]:
    """The published draw (``registrar.lottery`` checks it): no names, refs or addresses.

    Raises LotteryNotRevealed before the deadline run revealed the secret.
    """
    if state.revealed_at is None:
        raise LotteryNotRevealed
    value = None if state.public_value is None else state.public_value.value
    seed = lottery.seed(state.drawn.secret, value)
    by_ticket = {t.ticket: t for t in tickets}
    order = lottery.lottery_order(seed, list(by_ticket))
    admission = conference.admission
    return {
        "format": lottery.FORMAT,
        "event": {"id": conference.id, "title": dict(conference.title)},
        "commitment": state.drawn.commitment,
        "committed_at": state.drawn.committed_at.isoformat(),
        "secret": state.drawn.secret,
        "revealed_at": state.revealed_at.isoformat(),
        "public_value": value,
        "seed": seed,
        # Named as the definition names them (admission.*, attendee_groups).
        "rules": {
            "order": admission.order,
            "capacity": admission.capacity,
            "spread_cap": admission.spread_cap,  # at most this many seats per organisation
            # open_first: open seats are drawn first, then reserved seats go to the groups'
            # remaining members; reserved_first: the other way round.
            "precedence": admission.precedence,
            "groups": [
                {"id": g.id, "label": dict(g.label), "reserved": g.reserved}
                for g in conference.attendee_groups
            ],
            "waitlist_open": admission.waitlist_open,
            "public_value": admission.lottery.public_value,
        },
        "ticket_count": len(order),
        "tickets": [
            {
                "place": place,
                "ticket": code,
                "draw": lottery.lottery_place(seed, code),
                "group": by_ticket[code].group,
                "outcome": OUTCOMES[by_ticket[code].status],
                "waitlist_position": by_ticket[code].waitlist_position,
                "late": by_ticket[code].late,
            }
            for place, code in enumerate(order, start=1)
        ],
    }
