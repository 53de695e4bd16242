"""What an event's lottery has on record: the drawn secret, the public value, the reveal.

Three records, each written once and never changed (a conditional put on the key not
existing): the draw (secret, ticket key, commitment), the public value the organisers
entered after the deadline, and the moment the secret was revealed. Exactly one secret
can ever exist for an event, so nobody can draw again after seeing the first.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class DrawnLottery(BaseModel):
    """The secret and the ticket key, drawn once; the commitment shown from then on."""

    model_config = ConfigDict(frozen=True)

    event_id: str
    secret: Hex64  # revealed after the deadline run
    ticket_key: Hex64  # never revealed: it links tickets to applications
    commitment: Hex64
    committed_at: dt.datetime


class PublicValue(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: str
    entered_at: dt.datetime


class LotteryState(BaseModel):
    """Everything on record about one event's lottery."""

    model_config = ConfigDict(frozen=True)

    drawn: DrawnLottery
    public_value: PublicValue | None = None
    revealed_at: dt.datetime | None = None
