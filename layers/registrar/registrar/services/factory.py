"""The domain's repositories and services for one stack, built one way for everyone.

Given the conference, where the stack keeps its state (tables, mail queue), how to reach
SQS, a clock, a source of randomness and how to read the applicant-key secret, each
service is built on first use. The functions
build theirs from Settings (``registrar.runtime``), the organiser's CLI from the stack's
CloudFormation outputs (``registrar_cli.wiring``): the same services either way.
Services are imported when first built, and the conference definition read when first
needed, so a function starts with only what it uses.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from registrar.clock import Clock
from registrar.identity import ApplicantKeys
from registrar.mail_queue import SqsMailQueue
from registrar.store.dynamo import DynamoApplications, DynamoOutbox, DynamoRuns
from registrar.store.models import bind_tables

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

    from registrar.conference import Conference
    from registrar.services.admissions import AdmissionsService
    from registrar.services.lottery import LotteryService
    from registrar.services.organisation_merges import OrganisationMerges
    from registrar.services.organiser import OrganiserService
    from registrar.services.registration import RegistrationService
    from registrar.services.reminders import ScheduledMailings
    from registrar.services.substitution import SubstitutionService


class StackState(NamedTuple):
    """Where one stack keeps its state: its tables and its mail queue."""

    applications_table: str
    runs_table: str
    messages_table: str
    mail_queue_url: str


class Services:
    """One conference's services on one stack; building it points the models at its tables."""

    def __init__(
        self,
        conference_id: str,
        state: StackState,
        *,
        sqs: Callable[[], SQSClient],
        clock: Clock,
        randomness: random.Random,
        applicant_key_secret: Callable[[], str],
    ) -> None:
        bind_tables(
            applications=state.applications_table,
            runs=state.runs_table,
            messages=state.messages_table,
        )
        self._conference_id = conference_id
        self._state = state
        self._sqs = sqs
        self.clock = clock
        self._randomness = randomness
        # Read when the first applicant key is needed (a submission, an organiser's look-up
        # by address), then kept for the process: the secret never changes.
        self.applicant_keys = ApplicantKeys(applicant_key_secret)

    @cached_property
    def conference(self) -> Conference:
        # Read when a service first needs it: the receipts function never does.
        from registrar.conference import load_conference

        return load_conference(self._conference_id)

    @cached_property
    def applications(self) -> DynamoApplications:
        return DynamoApplications()

    @cached_property
    def runs(self) -> DynamoRuns:
        return DynamoRuns()

    @cached_property
    def outbox(self) -> DynamoOutbox:
        return DynamoOutbox()

    @cached_property
    def mail_queue(self) -> SqsMailQueue:
        return SqsMailQueue(self._sqs, self._state.mail_queue_url)

    @cached_property
    def lottery(self) -> LotteryService:
        """The committed lottery: its commitment for the form and receipts, tickets."""
        from registrar.services.lottery import LotteryService

        return LotteryService(self.conference, self.runs, self.clock, self._randomness)

    @cached_property
    def registration(self) -> RegistrationService:
        from registrar.services.registration import RegistrationService

        return RegistrationService(
            self.conference,
            self.applications,
            self.mail_queue,
            self.clock,
            self._randomness,
            self.applicant_keys,
        )

    @cached_property
    def substitution(self) -> SubstitutionService:
        from registrar.services.substitution import SubstitutionService

        return SubstitutionService(
            self.conference,
            self.applications,
            self.mail_queue,
            self.clock,
            self._randomness,
            self.applicant_keys,
        )

    @cached_property
    def admissions(self) -> AdmissionsService:
        from registrar.services.admissions import AdmissionsService

        return AdmissionsService(
            self.conference,
            self.applications,
            self.runs,
            self.mail_queue,
            self.clock,
            self._randomness,
        )

    @cached_property
    def organiser(self) -> OrganiserService:
        from registrar.services.organiser import OrganiserService

        return OrganiserService(
            self.conference,
            self.applications,
            self.runs,
            self.mail_queue,
            self.clock,
            applicant_keys=self.applicant_keys,
        )

    @cached_property
    def organisation_merges(self) -> OrganisationMerges:
        from registrar.services.organisation_merges import OrganisationMerges

        return OrganisationMerges(self.conference, self.applications, self.runs, self.clock)

    @cached_property
    def mailings(self) -> ScheduledMailings:
        """The calendar's mailings (reminder, programme), which use the organiser's."""
        from registrar.services.reminders import ScheduledMailings

        return ScheduledMailings(
            self.conference, self.applications, self.mail_queue, self.organiser, self.clock
        )
