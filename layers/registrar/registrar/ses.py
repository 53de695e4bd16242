"""SES v2: sending one raw MIME message, and the events SES publishes about it afterwards.

Every message carries tags (kind, event, applicant key: no personal data); SES copies them
into the bounce, complaint, delivery and reject events its configuration set publishes,
which is how an event finds its way back to the application it concerns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import DestinationTypeDef

# SES answered and did not send: safe to retry later. Anything else SES refuses
# (MessageRejected, MailFromDomainNotVerified, AccountSuspended, ...) will not change by
# retrying soon: the queue's few tries then move it to the dead-letter queue.
_RETRYABLE = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "LimitExceededException",
        "ServiceUnavailable",
        "InternalFailure",
    }
)


class SendRefused(Exception):
    """SES refused the message; nothing was sent. ``retryable`` tells whether to try again."""

    def __init__(self, code: str, *, retryable: bool) -> None:
        super().__init__(code)
        self.code = code
        self.retryable = retryable


class SesSender:
    def __init__(self, client: SESV2Client, *, from_address: str, configuration_set: str) -> None:
        self._client = client
        self._from = from_address
        self._configuration_set = configuration_set

    def send_raw(self, raw: bytes, *, recipient: str, tags: dict[str, str]) -> str:
        destination: DestinationTypeDef = {"ToAddresses": [recipient]}
        try:
            response = self._client.send_email(
                FromEmailAddress=self._from,
                Destination=destination,
                Content={"Raw": {"Data": raw}},
                ConfigurationSetName=self._configuration_set,
                EmailTags=[{"Name": name, "Value": value} for name, value in tags.items()],
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Unknown")
            raise SendRefused(code, retryable=code in _RETRYABLE) from None
        return response["MessageId"]


# ---------------------------------------------------------------- published events


class _SesRecord(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class SesMail(_SesRecord):
    message_id: str = Field(alias="messageId")
    # SES publishes each tag as a list of values (its own ``ses:*`` tags included).
    tags: dict[str, list[str]] = Field(default_factory=dict)


class SesBounce(_SesRecord):
    bounce_type: str = Field(alias="bounceType")  # Permanent | Transient | Undetermined
    bounce_sub_type: str = Field(default="", alias="bounceSubType")


class SesComplaint(_SesRecord):
    feedback_type: str = Field(default="", alias="complaintFeedbackType")


class SesEvent(_SesRecord):
    """One event about a sent message, as the feedback rules' input transformers shape
    SES's EventBridge event: type, message id and tags, bounce or complaint type.

    Nothing else of SES's event arrives (its ``detail`` names the recipients); the applicant
    is identified by the message's tags.
    """

    event_type: str = Field(alias="eventType")  # Bounce | Complaint | Delivery | Reject | ...
    mail: SesMail
    bounce: SesBounce | None = None
    complaint: SesComplaint | None = None

    def tag(self, name: str) -> str | None:
        values = self.mail.tags.get(name) or []
        return values[0] if values else None

    @property
    def undeliverable_reason(self) -> str | None:
        """Why no more mail should go to the address, or None if the event says nothing.

        A permanent bounce (no such mailbox) and a complaint (marked as spam) both do:
        sending again would harm the sender's reputation and, for a complaint, ignore the
        person's wish. Transient bounces and rejects (a virus scan) are about one message.
        """
        if self.event_type == "Bounce" and self.bounce and self.bounce.bounce_type == "Permanent":
            return f"bounce {self.bounce.bounce_sub_type or 'General'}"
        if self.event_type == "Complaint":
            feedback = self.complaint.feedback_type if self.complaint else ""
            return f"complaint {feedback}".strip()
        return None
