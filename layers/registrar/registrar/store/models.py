"""pynamodb models mirroring the tables that infra/template.yaml declares.

Table names come from Settings at cold start (``bind_tables``); keys and TTL attributes must
match the template, which tests check by building the tables from the template.

Two private parts of pynamodb are used here, and only here: a model's cached connection
(reset when tables are bound) and its accessor (for transactions). Written for the version
below; a unit test fails when another one is installed.
"""

from __future__ import annotations

from typing import Any, Final

from pynamodb.attributes import (
    JSONAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.models import Model

WRITTEN_FOR: Final = {"pynamodb": "6.1.0"}


# Connections kept open to DynamoDB: at least the admissions run's writes in flight
# (services.admissions.WRITES_IN_FLIGHT), so none of them waits for or discards one. Every
# model asks for the same pool, so all share one client (``botocore_data``).
MAX_POOL_CONNECTIONS: Final = 32


class ApplicationItem(Model):
    class Meta:
        table_name = "unbound-applications"
        max_pool_connections = MAX_POOL_CONNECTIONS

    event_id = UnicodeAttribute(hash_key=True)
    applicant_key = UnicodeAttribute(range_key=True)
    public_id = UnicodeAttribute()
    status = UnicodeAttribute()
    group = UnicodeAttribute()
    # Everything else of the application, validated by the domain model on the way out.
    data: JSONAttribute = JSONAttribute()
    expires_at = TTLAttribute()
    version = VersionAttribute()


class ReceivedItem(Model):
    """A submission as the api received it, beside the applications under a key of its own
    until it is registered (``services.intake``). Four attributes where an application
    has eight: the api's one write per submission stays small. ``data`` is the JSON an
    ``ApplicationItem`` would hold there (``{"application": …, "submitter_key": …}``)."""

    class Meta:
        table_name = "unbound-applications"
        max_pool_connections = MAX_POOL_CONNECTIONS

    event_id = UnicodeAttribute(hash_key=True)
    applicant_key = UnicodeAttribute(range_key=True)
    data = UnicodeAttribute()
    expires_at = TTLAttribute()


class RunItem(Model):
    class Meta:
        table_name = "unbound-runs"
        max_pool_connections = MAX_POOL_CONNECTIONS

    event_id = UnicodeAttribute(hash_key=True)
    run_id = UnicodeAttribute(range_key=True)
    data: JSONAttribute = JSONAttribute(null=True)
    lock_owner = UnicodeAttribute(null=True)
    lock_until = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute(null=True)


class OrganisationAliasesItem(Model):
    """The event's merged organisations (``registrar.organisations``), beside its runs."""

    class Meta:
        table_name = "unbound-runs"
        max_pool_connections = MAX_POOL_CONNECTIONS

    event_id = UnicodeAttribute(hash_key=True)
    run_id = UnicodeAttribute(range_key=True)
    data: JSONAttribute = JSONAttribute()
    merge_count = NumberAttribute()  # each save is conditional on the count it read
    expires_at = TTLAttribute(null=True)


class MessageItem(Model):
    class Meta:
        table_name = "unbound-messages"
        max_pool_connections = MAX_POOL_CONNECTIONS

    message_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    state = UnicodeAttribute()  # claimed | sent | skipped
    claimed_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    provider_id = UnicodeAttribute(null=True)
    detail = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


def bind_tables(*, applications: str, runs: str, messages: str) -> None:
    """Point the models at the deployed (or local) tables; resets cached connections."""
    bindings: dict[type[Model], str] = {
        ApplicationItem: applications,
        ReceivedItem: applications,
        RunItem: runs,
        OrganisationAliasesItem: runs,
        MessageItem: messages,
    }
    for model, name in bindings.items():
        meta: Any = model.Meta
        meta.table_name = name
        model._connection = None


def applications_connection() -> Connection:
    """The applications table's connection, which a transaction over its items needs."""
    return ApplicationItem._get_connection().connection
