"""Sending through SES v2: one SendEmail call with the raw MIME message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

# SES answered and did not send: safe to retry later.
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
        try:
            response = self._client.send_email(
                FromEmailAddress=self._from,
                Destination={"ToAddresses": [recipient]},
                Content={"Raw": {"Data": raw}},
                ConfigurationSetName=self._configuration_set,
                EmailTags=[{"Name": name, "Value": value} for name, value in tags.items()],
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Unknown")
            raise SendRefused(code, retryable=code in _RETRYABLE) from None
        return response["MessageId"]
