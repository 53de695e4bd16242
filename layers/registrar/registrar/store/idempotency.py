"""Once per scheduled trigger: the record that makes a trigger delivered twice run once.

EventBridge Scheduler delivers at least once, and Lambda retries an asynchronous invocation
that failed. Each scheduled trigger (its name and scheduled time) has one item in the
idempotency table:

- the first delivery claims it with one conditional put (``INPROGRESS`` until the
  invocation's own deadline) and stores the work's result when it is done (``COMPLETED``);
- a later delivery of the same trigger is answered with the stored result and runs nothing;
  one that arrives while the first still runs is refused (``TriggerInProgress``, an error:
  Lambda tries it again later, when it finds the result);
- work that fails deletes the claim, so that Lambda's retry runs it again; an invocation
  that dies without a word (time-out, out of memory) leaves a claim that lapses at its
  deadline, after which a retry claims it;
- records expire (the table's TTL attribute, ``expiration``): a delivery later than that
  runs again.

The item's layout is that of Powertools' ``DynamoDBPersistenceLayer``, which the table was
made for (``id``, ``status``, ``expiration`` in seconds, ``in_progress_expiration`` in
milliseconds, ``data``). The records are written through the DynamoDB client the process
already has (pynamodb's): Powertools' idempotency utility imports boto3 and s3transfer
whatever persistence layer it is given (about 42 ms of every admissions cold start).
Expiry is real time, as DynamoDB's TTL and Lambda's deadline are.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

IN_PROGRESS: Final = "INPROGRESS"
COMPLETED: Final = "COMPLETED"
_CONDITION_FAILED: Final = "ConditionalCheckFailedException"


class TriggerInProgress(Exception):
    """Another delivery of the trigger is running now; Lambda retries this one later."""


class OncePerTrigger:
    """Run work at most once per trigger key, with its result kept for later deliveries."""

    def __init__(
        self,
        client: DynamoDBClient,
        table: str,
        *,
        expires_after_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._table = table
        self._expires_after = expires_after_seconds
        self._clock = clock

    def run(
        self, key: str, remaining_ms: int, work: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """``work()``'s result, run now if no delivery of ``key`` ran or runs; else the
        stored result (raises TriggerInProgress while another delivery runs).

        ``remaining_ms``: the invocation's time left, after which its claim lapses.
        """
        existing = self._claim(key, remaining_ms)
        if existing is not None:
            if existing.get("status", {}).get("S") == COMPLETED:
                stored: dict[str, Any] = json.loads(existing["data"]["S"])
                return stored
            raise TriggerInProgress(key)
        try:
            result = work()
        except BaseException:
            self._client.delete_item(TableName=self._table, Key={"id": {"S": key}})
            raise
        self._client.update_item(
            TableName=self._table,
            Key={"id": {"S": key}},
            UpdateExpression="SET #status = :completed, #data = :data, #expiration = :expiration",
            ExpressionAttributeNames={
                "#status": "status",
                "#data": "data",
                "#expiration": "expiration",
            },
            ExpressionAttributeValues={
                ":completed": {"S": COMPLETED},
                ":data": {"S": json.dumps(result, sort_keys=True)},
                ":expiration": {"N": str(self._expiration())},
            },
        )
        return result

    def _expiration(self) -> int:
        return int(self._clock()) + self._expires_after

    def _claim(self, key: str, remaining_ms: int) -> dict[str, Any] | None:
        """Claim ``key``; None if claimed, else the item that holds it."""
        now = self._clock()
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    "id": {"S": key},
                    "status": {"S": IN_PROGRESS},
                    "expiration": {"N": str(self._expiration())},
                    "in_progress_expiration": {"N": str(int(now * 1000) + remaining_ms)},
                },
                # Free, expired (DynamoDB deletes expired items only eventually), or
                # claimed by an invocation whose deadline has passed.
                ConditionExpression=(
                    "attribute_not_exists(#id) OR #expiration < :now"
                    " OR (#status = :in_progress AND #in_progress_expiration < :now_ms)"
                ),
                ExpressionAttributeNames={
                    "#id": "id",
                    "#expiration": "expiration",
                    "#status": "status",
                    "#in_progress_expiration": "in_progress_expiration",
                },
                ExpressionAttributeValues={
                    ":now": {"N": str(int(now))},
                    ":now_ms": {"N": str(int(now * 1000))},
                    ":in_progress": {"S": IN_PROGRESS},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
                raise
            item: dict[str, Any] | None = error.response.get("Item")  # type: ignore[assignment]
            if item is None:  # an older DynamoDB answer without the item: read it
                item = self._client.get_item(
                    TableName=self._table, Key={"id": {"S": key}}, ConsistentRead=True
                ).get("Item")
            return item or {}
        return None
