"""The domain's services for one stack: the functions' factory, given the stack's outputs.

``registrar.services.factory`` builds them for the functions and for the CLI alike; here
the CLI hands it the tables and queue of the stack it targets, the stack's SQS client
(its region, profile or local endpoint), the stack's clock and its applicant-key secret.
"""

from __future__ import annotations

import secrets

from registrar.clock import Clock, SettableClock, SystemClock
from registrar.runs import AdmissionRun
from registrar.services.factory import Services, StackState
from registrar_cli.context import now
from registrar_cli.runview import applied_in_order
from registrar_cli.target import Target


def services(stack: Target) -> Services:
    stack.bind()
    outputs = stack.outputs
    return Services(
        outputs["ConferenceId"],
        StackState(
            applications_table=outputs["ApplicationsTableName"],
            runs_table=outputs["RunsTableName"],
            messages_table=outputs["MessagesTableName"],
            mail_queue_url=outputs["MailQueueUrl"],
        ),
        sqs=lambda: stack.client("sqs"),
        clock=clock(stack),
        randomness=secrets.SystemRandom(),
        applicant_key_secret=lambda: applicant_key_secret(stack),
    )


def applicant_key_secret(stack: Target) -> str:
    """The stack's applicant-key secret (read only to find someone by address)."""
    found = stack.client("secretsmanager").get_secret_value(
        SecretId=stack.outputs["ApplicantKeySecretArn"]
    )
    return str(found["SecretString"])


def clock(stack: Target) -> Clock:
    """The local stack's clock stands where it was moved; in AWS it is the real one."""
    return SettableClock(now(stack)) if stack.local_api_url else SystemClock()


def applied_runs(services: Services) -> list[AdmissionRun]:
    """Applied admission runs in the order they ran: run #1 is the first (the deadline's)."""
    return applied_in_order(services.runs.list(services.conference.id))
