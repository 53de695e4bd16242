"""The domain's services and repositories for one stack, built as the functions build them."""

from __future__ import annotations

from registrar.clock import Clock, SettableClock, SystemClock
from registrar.conference import Conference, load_conference
from registrar.mail_queue import SqsMailQueue
from registrar.runs import AdmissionRun
from registrar.services.organiser import OrganiserService
from registrar.store.dynamo import DynamoApplications, DynamoOutbox, DynamoRuns
from registrar_cli.context import now
from registrar_cli.target import Target


def conference(stack: Target) -> Conference:
    return load_conference(stack.outputs["ConferenceId"])


def applications(stack: Target) -> DynamoApplications:
    stack.bind()
    return DynamoApplications()


def runs(stack: Target) -> DynamoRuns:
    stack.bind()
    return DynamoRuns()


def applied_runs(stack: Target) -> list[AdmissionRun]:
    """Applied admission runs in the order they ran: run #1 is the first (the deadline's)."""
    found = runs(stack).list(conference(stack).id)
    return sorted((r for r in found if not r.dry_run), key=lambda r: r.started_at)


def outbox(stack: Target) -> DynamoOutbox:
    stack.bind()
    return DynamoOutbox()


def clock(stack: Target) -> Clock:
    """The local stack's clock stands where it was moved; in AWS it is the real one."""
    return SettableClock(now(stack)) if stack.local_api_url else SystemClock()


def mail_queue(stack: Target) -> SqsMailQueue:
    return SqsMailQueue(lambda: stack.client("sqs"), stack.outputs["MailQueueUrl"])


def organiser(stack: Target) -> OrganiserService:
    return OrganiserService(
        conference(stack), applications(stack), runs(stack), mail_queue(stack), clock(stack)
    )
