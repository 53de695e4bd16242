"""DynamoDB implementations of the repositories, on the pynamodb models.

Every write that can race is conditional: new applications on the key not existing, updates
on the version read (an admission run's decisions too, many in one transaction, each on
its own version: ``save_each``), the run lock on being free or expired, message claims on
the message not existing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import batched
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from registrar.application import Application
from registrar.identity import FIRST_APPLICATION_KEY, RECEIVED_KEY_PREFIX
from registrar.store.interfaces import (
    ApplicationKey,
    ClaimedMessage,
    ConcurrentUpdate,
    ManyApplications,
    ReceivedSubmission,
    SubmittedFor,
)
from registrar.store.models import (
    ApplicationItem,
    MessageItem,
    OrganisationAliasesItem,
    ReceivedItem,
    RunItem,
    applications_connection,
)

if TYPE_CHECKING:  # the runs' and the lottery's records are imported where read
    from registrar.lottery_state import DrawnLottery, LotteryState
    from registrar.organisations import OrganisationAliases
    from registrar.runs import AdmissionRun

_LOCK_ID = "#lock"
# A submitter's record (``SubmittedFor``) shares the applications' table; this marks it (no
# application's public id, status or group can take it). A received submission has a model
# of its own (``ReceivedItem``) and a key no application can take (``identity``).
_SUBMITTER_RECORD = "#submitter"
# The lottery's records and the merged organisations sit beside the runs, under sort keys
# no run id can take ("#...").
_LOTTERY_DRAWN = "#lottery"
_LOTTERY_PUBLIC_VALUE = "#lottery#public-value"
_LOTTERY_REVEALED = "#lottery#revealed"
_ALIASES_ID = "#organisation-aliases"
_CONDITION_FAILED = "ConditionalCheckFailedException"
# Writes in one transaction (DynamoDB takes up to 100 actions and 4 MB in one).
TRANSACTION_ITEMS = 100


def _condition_failed(error: PutError | UpdateError | DeleteError) -> bool:
    return error.cause_response_code == _CONDITION_FAILED


def _transaction_conflict(error: TransactWriteError) -> bool:
    # A failed condition inside a transaction cancels it; the reasons name which one.
    reasons = error.cancellation_reasons or []
    return error.cause_response_code == "TransactionCanceledException" and any(
        reason is not None and reason.code == "ConditionalCheckFailed" for reason in reasons
    )


def _to_item(application: Application) -> ApplicationItem:
    data = application.model_dump(
        mode="json",
        exclude={
            "event_id",
            "applicant_key",
            "public_id",
            "status",
            "group",
            "expires_at",
            "version",
        },
    )
    item = ApplicationItem(
        application.event_id,
        application.applicant_key,
        public_id=application.public_id,
        status=application.status,
        group=application.group,
        data=data,
        expires_at=application.expires_at,
    )
    if application.version:
        item.version = application.version
    return item


def _from_item(item: ApplicationItem) -> Application:
    fields: dict[str, Any] = dict(item.data or {})
    fields.update(
        event_id=item.event_id,
        applicant_key=item.applicant_key,
        public_id=item.public_id,
        status=item.status,
        group=item.group,
        expires_at=item.expires_at,
        version=item.version or 0,
    )
    return Application.model_validate(fields)


def _received_item(submission: ReceivedSubmission) -> ReceivedItem:
    # What the submission set, the rest being the model's defaults (a smaller write),
    # serialised by pydantic's own JSON writer.
    application = submission.application.model_dump_json(exclude_defaults=True)
    submitter_key = json.dumps(submission.submitter_key)
    return ReceivedItem(
        submission.event_id,
        submission.key,
        data=f'{{"application": {application}, "submitter_key": {submitter_key}}}',
        expires_at=submission.application.expires_at,
    )


def _received_from_items(items: Iterable[ReceivedItem]) -> Iterator[ReceivedSubmission]:
    """The received submissions among ``items``; one that is none (written by hand, or of
    an older schema) is left where it is, for a person to look at."""
    for item in items:
        try:
            data = json.loads(item.data)
            application = Application.model_validate(data["application"])
        except (ValueError, TypeError, KeyError):  # pydantic's ValidationError is a ValueError
            continue
        yield ReceivedSubmission(
            item.event_id, item.applicant_key, application, data.get("submitter_key")
        )


class DynamoApplications:
    def receive(self, submission: ReceivedSubmission) -> None:
        # Under a new random key (128 bits): no condition is needed to keep it from
        # overwriting another, and none is evaluated on the request path.
        _received_item(submission).save(add_version_condition=False)

    def is_waiting(self, event_id: str, received_key: str) -> bool:
        try:
            ReceivedItem.get(event_id, received_key, consistent_read=True)
        except ReceivedItem.DoesNotExist:
            return False
        return True

    def received(self, event_id: str) -> list[ReceivedSubmission]:
        query = ReceivedItem.query(
            event_id,
            ReceivedItem.applicant_key.startswith(RECEIVED_KEY_PREFIX),
            consistent_read=True,
        )
        return list(_received_from_items(query))

    def received_many(self, keys: Iterable[ApplicationKey]) -> list[ReceivedSubmission]:
        wanted = list(dict.fromkeys(keys))
        items = ReceivedItem.batch_get(set(wanted), consistent_read=True)
        found = {(r.event_id, r.key): r for r in _received_from_items(items)}
        return [found[key] for key in wanted if key in found]

    def forget_received(self, submission: ReceivedSubmission) -> None:
        ReceivedItem(submission.event_id, submission.key).delete(add_version_condition=False)

    def add(self, application: Application) -> bool:
        item = _to_item(application)
        try:
            # VersionAttribute makes a first save conditional on the item not existing.
            item.save()
        except PutError as error:
            if _condition_failed(error):
                return False
            raise
        return True

    def get(self, event_id: str, applicant_key: str) -> Application | None:
        try:
            return _from_item(ApplicationItem.get(event_id, applicant_key, consistent_read=True))
        except ApplicationItem.DoesNotExist:
            return None

    def get_many(self, keys: Iterable[ApplicationKey]) -> ManyApplications:
        # BatchGetItem, 100 keys a request; pynamodb asks again for any left unprocessed.
        found: dict[ApplicationKey, Application] = {}
        unreadable: set[ApplicationKey] = set()
        for item in ApplicationItem.batch_get(set(keys), consistent_read=True):
            key = (item.event_id, item.applicant_key)
            try:
                found[key] = _from_item(item)
            except ValidationError:
                unreadable.add(key)
        return ManyApplications(found, frozenset(unreadable))

    def list(self, event_id: str) -> Iterator[Application]:
        # From the first applicant key on: submitters' records sort before it.
        query = ApplicationItem.query(
            event_id,
            ApplicationItem.applicant_key >= FIRST_APPLICATION_KEY,
            consistent_read=True,
        )
        for item in query:
            yield _from_item(item)

    def save(self, application: Application) -> Application:
        item = _to_item(application)
        try:
            item.save()
        except PutError as error:
            if _condition_failed(error):
                raise ConcurrentUpdate(application.public_id) from None
            raise
        return application.model_copy(update={"version": item.version})

    def save_each(self, applications: Sequence[Application]) -> tuple[bool, ...]:
        # One transaction of conditional puts (each on its own version) per request: one
        # round trip and one request's work for up to TRANSACTION_ITEMS writes. All or
        # nothing: if a condition fails, nothing is written and the reasons name which;
        # the others are then written one by one, each on its own condition again.
        if len(applications) == 1:
            return (self._saved(applications[0]),)
        written: list[bool] = []
        for group in batched(applications, TRANSACTION_ITEMS):
            try:
                with TransactWrite(connection=applications_connection()) as transaction:
                    for application in group:
                        transaction.save(_to_item(application))
            except TransactWriteError as error:
                written.extend(self._one_by_one(group, error))
            else:
                written.extend(True for _ in group)
        return tuple(written)

    def _one_by_one(
        self, group: Sequence[Application], error: TransactWriteError
    ) -> Iterator[bool]:
        """After a transaction that wrote nothing: each application on its own, but those
        whose condition failed (another writer came first). A transaction DynamoDB refused
        as a whole (too large: 4 MB at most) is written one by one; any other error is
        raised."""
        if error.cause_response_code == "TransactionCanceledException":
            reasons = error.cancellation_reasons or [None] * len(group)
        elif error.cause_response_code == "ValidationException":
            reasons = [None] * len(group)
        else:
            raise error
        for application, reason in zip(group, reasons, strict=True):
            condition_failed = reason is not None and reason.code == "ConditionalCheckFailed"
            yield False if condition_failed else self._saved(application)

    def _saved(self, application: Application) -> bool:
        try:
            self.save(application)
        except ConcurrentUpdate:
            return False
        return True

    def submitted_for(self, event_id: str, submitter_key: str) -> SubmittedFor | None:
        try:
            item = ApplicationItem.get(event_id, submitter_key, consistent_read=True)
        except ApplicationItem.DoesNotExist:
            return None
        data = item.data or {}
        return SubmittedFor(
            event_id,
            submitter_key,
            tuple(str(key) for key in data.get("applicant_keys", [])),
            item.expires_at,
            item.version or 0,
            {str(k): str(v) for k, v in (data.get("received_keys") or {}).items()},
        )

    def save_submitted_for(self, record: SubmittedFor) -> SubmittedFor:
        item = ApplicationItem(
            record.event_id,
            record.submitter_key,
            public_id=_SUBMITTER_RECORD,
            status=_SUBMITTER_RECORD,
            group=_SUBMITTER_RECORD,
            data={
                "applicant_keys": list(record.applicant_keys),
                "received_keys": dict(record.received_keys),
            },
            expires_at=record.expires_at,
        )
        if record.version:
            item.version = record.version
        try:
            item.save()  # conditional on the version read (or on no item), as for applications
        except PutError as error:
            if _condition_failed(error):
                raise ConcurrentUpdate(record.submitter_key) from None
            raise
        return record._replace(version=item.version or 0)

    def pass_seat(self, original: Application, colleague: Application) -> None:
        try:
            with TransactWrite(connection=applications_connection()) as transaction:
                # Both conditions come from the VersionAttribute: the original still at the
                # version read, the colleague's key not taken.
                transaction.save(_to_item(original))
                transaction.save(_to_item(colleague))
        except TransactWriteError as error:
            if _transaction_conflict(error):
                raise ConcurrentUpdate(original.public_id) from None
            raise

    def find_by_public_id(self, event_id: str, public_id: str) -> Application | None:
        # Organisers look people up rarely: a filtered Query on the event beats an index.
        query = ApplicationItem.query(
            event_id,
            ApplicationItem.applicant_key >= FIRST_APPLICATION_KEY,
            filter_condition=ApplicationItem.public_id == public_id,
            consistent_read=True,
        )
        for item in query:
            return _from_item(item)
        return None

    def replace(self, current: Application, replacement: Application) -> None:
        old, new = _to_item(current), _to_item(replacement)
        try:
            with TransactWrite(connection=applications_connection()) as transaction:
                # Both conditions come from the VersionAttribute: the old item still at the
                # version read, the new key not taken.
                transaction.delete(old)
                transaction.save(new)
        except TransactWriteError as error:
            if _transaction_conflict(error):
                raise ConcurrentUpdate(current.public_id) from None
            raise


class DynamoRuns:
    def acquire_lock(self, event_id: str, owner: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        lock = RunItem(event_id, _LOCK_ID, lock_owner=owner, lock_until=now + ttl)
        try:
            lock.save(
                condition=RunItem.event_id.does_not_exist()
                | (RunItem.lock_until < now)
                | (RunItem.lock_owner == owner)
            )
        except PutError as error:
            if _condition_failed(error):
                return False
            raise
        return True

    def release_lock(self, event_id: str, owner: str) -> None:
        try:
            RunItem(event_id, _LOCK_ID).delete(condition=RunItem.lock_owner == owner)
        except DeleteError as error:
            if not _condition_failed(error):
                raise

    def put(self, run: AdmissionRun) -> None:
        RunItem(
            run.event_id,
            run.run_id,
            data=json.loads(run.model_dump_json()),
            expires_at=run.expires_at,
        ).save()

    def list(self, event_id: str) -> list[AdmissionRun]:
        from registrar.runs import AdmissionRun

        return [
            AdmissionRun.model_validate(item.data)
            for item in RunItem.query(event_id)
            if not item.run_id.startswith("#") and item.data
        ]

    def drawn(self, event_id: str) -> DrawnLottery | None:
        from registrar.lottery_state import DrawnLottery

        try:
            item = RunItem.get(event_id, _LOTTERY_DRAWN, consistent_read=True)
        except RunItem.DoesNotExist:
            return None
        return DrawnLottery.model_validate(item.data)

    def add_drawn(self, drawn: DrawnLottery) -> bool:
        return _add_once(drawn.event_id, _LOTTERY_DRAWN, drawn.model_dump(mode="json"))

    def lottery(self, event_id: str) -> LotteryState | None:
        from registrar.lottery_state import DrawnLottery, LotteryState, PublicValue

        items = {
            item.run_id: item.data or {}
            for item in RunItem.query(
                event_id, RunItem.run_id.startswith(_LOTTERY_DRAWN), consistent_read=True
            )
        }
        if _LOTTERY_DRAWN not in items:
            return None
        public_value = items.get(_LOTTERY_PUBLIC_VALUE)
        revealed = items.get(_LOTTERY_REVEALED)
        return LotteryState(
            drawn=DrawnLottery.model_validate(items[_LOTTERY_DRAWN]),
            public_value=None if public_value is None else PublicValue.model_validate(public_value),
            revealed_at=None if revealed is None else dt.datetime.fromisoformat(revealed["at"]),
        )

    def add_public_value(self, event_id: str, value: str, at: dt.datetime) -> bool:
        from registrar.lottery_state import PublicValue

        entered = PublicValue(value=value, entered_at=at).model_dump(mode="json")
        return _add_once(event_id, _LOTTERY_PUBLIC_VALUE, entered)

    def add_reveal(self, event_id: str, at: dt.datetime) -> bool:
        return _add_once(event_id, _LOTTERY_REVEALED, {"at": at.isoformat()})

    def organisation_aliases(self, event_id: str) -> OrganisationAliases:
        from registrar.organisations import OrganisationAliases

        items = OrganisationAliasesItem.query(
            event_id, OrganisationAliasesItem.run_id == _ALIASES_ID, consistent_read=True
        )
        for item in items:
            return OrganisationAliases.model_validate(item.data)
        return OrganisationAliases()

    def save_organisation_aliases(
        self,
        event_id: str,
        aliases: OrganisationAliases,
        replacing: OrganisationAliases,
        expires_at: dt.datetime,
    ) -> None:
        item = OrganisationAliasesItem(
            event_id,
            _ALIASES_ID,
            data=json.loads(aliases.model_dump_json()),
            merge_count=len(aliases.merges),
            expires_at=expires_at,
        )
        unchanged = (
            OrganisationAliasesItem.run_id.does_not_exist()
            if not replacing.merges
            else OrganisationAliasesItem.merge_count == len(replacing.merges)
        )
        try:
            item.save(condition=unchanged)
        except PutError as error:
            if _condition_failed(error):
                raise ConcurrentUpdate from error
            raise


def _add_once(event_id: str, record_id: str, data: dict[str, Any]) -> bool:
    """Write a record that is never changed: False if it exists (nothing written)."""
    try:
        RunItem(event_id, record_id, data=data).save(condition=RunItem.run_id.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            return False
        raise
    return True


class DynamoOutbox:
    def claim(self, message_id: str, kind: str, now: dt.datetime, expires_at: dt.datetime) -> bool:
        item = MessageItem(
            message_id,
            kind=kind,
            state="claimed",
            claimed_at=now,
            expires_at=expires_at,
        )
        try:
            item.save(condition=MessageItem.message_id.does_not_exist())
        except PutError as error:
            if _condition_failed(error):
                return False
            raise
        return True

    def mark_sent(self, message_id: str, provider_id: str, now: dt.datetime) -> None:
        MessageItem(message_id).update(
            actions=[
                MessageItem.state.set("sent"),
                MessageItem.provider_id.set(provider_id),
                MessageItem.sent_at.set(now),
            ]
        )

    def release(self, message_id: str) -> None:
        try:
            MessageItem(message_id).delete(condition=MessageItem.state == "claimed")
        except DeleteError as error:
            if not _condition_failed(error):
                raise

    def claimed_before(self, before: dt.datetime) -> list[ClaimedMessage]:
        # The messages table is keyed by message id only; this rare organiser look scans it.
        scan = MessageItem.scan(
            (MessageItem.state == "claimed") & (MessageItem.claimed_at < before)
        )
        return sorted(
            (ClaimedMessage(item.message_id, item.kind, item.claimed_at) for item in scan),
            key=lambda claim: claim.claimed_at,
        )

    def mark_skipped(self, message_id: str, reason: str, now: dt.datetime) -> None:
        MessageItem(message_id).update(
            actions=[
                MessageItem.state.set("skipped"),
                MessageItem.detail.set(reason),
                MessageItem.sent_at.set(now),
            ]
        )
