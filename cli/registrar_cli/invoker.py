"""Invoking a stack's function: ``lambda invoke`` in AWS, the control endpoint locally.

The admissions command depends only on ``FunctionInvoker``, so tests can check the AWS
request's shape without Docker, and the local stack runs the very same handler in-process.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Final, Protocol

from botocore.config import Config

from registrar_cli.context import CommandFailed
from registrar_cli.local_control import LOCAL_TOKEN_HEADER
from registrar_cli.target import Target

ADMISSIONS_FUNCTION: Final = "AdmissionsFunction"  # the template's logical id
ADMISSIONS_OUTPUT: Final = "AdmissionsFunctionName"
# The admissions function may run up to its 900 s timeout; never retry an invocation.
_LAMBDA_CONFIG: Final = Config(
    read_timeout=960, connect_timeout=10, retries={"total_max_attempts": 1}
)


class InvocationFailed(CommandFailed):
    """The function could not be invoked or raised; the message says where to look."""


class FunctionInvoker(Protocol):
    def invoke(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Call the function synchronously and return its JSON answer."""
        ...


class AwsLambdaInvoker:
    def __init__(self, client: Any, function_name: str) -> None:
        self.client = client
        self.function_name = function_name

    def invoke(self, payload: dict[str, Any]) -> dict[str, Any]:
        response = self.client.invoke(
            FunctionName=self.function_name,
            InvocationType="RequestResponse",
            Payload=json.dumps(payload).encode(),
        )
        body = response["Payload"].read()
        if response.get("FunctionError"):
            try:
                kind = json.loads(body).get("errorType", response["FunctionError"])
            except ValueError:
                kind = response["FunctionError"]
            raise InvocationFailed(
                f"The function {self.function_name} failed ({kind}); "
                "its CloudWatch log has the details."
            )
        answer: dict[str, Any] = json.loads(body)
        return answer


class LocalInvoker:
    def __init__(
        self, api_url: str, function_id: str, token: str | None, timeout: float = 900
    ) -> None:
        self._url = f"{api_url}/_local/invoke/{function_id}"
        self._function_id = function_id
        self._token = token
        self._timeout = timeout

    def invoke(self, payload: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 - the local stack's loopback URL
            self._url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", LOCAL_TOKEN_HEADER: self._token or ""},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                answer: dict[str, Any] = json.loads(response.read())
                return answer
        except urllib.error.HTTPError as error:
            detail = json.loads(error.read() or b"{}").get("error", error.reason)
            raise InvocationFailed(
                f"The local {self._function_id} refused the call ({detail})."
            ) from None
        except (urllib.error.URLError, OSError) as error:
            raise InvocationFailed(
                f"The local stack did not answer ({error}); is `registrar local up` running?"
            ) from None


def admissions_invoker(stack: Target) -> FunctionInvoker:
    if stack.local_api_url:
        return LocalInvoker(stack.local_api_url, ADMISSIONS_FUNCTION, stack.local_token)
    return AwsLambdaInvoker(
        stack.client("lambda", config=_LAMBDA_CONFIG), stack.outputs[ADMISSIONS_OUTPUT]
    )
