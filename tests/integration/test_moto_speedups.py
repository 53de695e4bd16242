"""The local stack's moto speed-ups must not change what SQS and DynamoDB answer."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import boto3
import botocore.exceptions
from moto import backends, mock_aws
from moto.core import DEFAULT_ACCOUNT_ID, parse, responses, serialize
from moto.dynamodb import responses as dynamodb_responses
from moto.dynamodb.comparisons import ConditionExpressionParser
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.dynamodb.models import utilities as dynamodb_utilities
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler
from moto.sqs import models

from registrar_local import moto_speedups


def _queue_answers() -> dict[str, Any]:
    """Attributes of a standard queue with a redrive policy and of a FIFO queue, mid-use."""
    sqs = boto3.client("sqs", region_name="eu-central-1")
    dlq = sqs.create_queue(QueueName="dead")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue = sqs.create_queue(
        QueueName="mail",
        Attributes={
            "VisibilityTimeout": "60",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}),
        },
    )["QueueUrl"]
    fifo = sqs.create_queue(
        QueueName="runs.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    for number in range(25):
        sqs.send_message(QueueUrl=queue, MessageBody=f"m{number}")
    sqs.send_message(QueueUrl=queue, MessageBody="later", DelaySeconds=600)
    sqs.send_message(QueueUrl=fifo, MessageBody="same", MessageGroupId="g")
    sqs.send_message(QueueUrl=fifo, MessageBody="same", MessageGroupId="g")  # deduplicated
    received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    answers = {}
    for url in (queue, fifo):
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        answers[url.rsplit("/", 1)[1]] = attributes
    answers["received"] = len(received)
    return answers


def _without_clock(answers: dict[str, Any]) -> dict[str, Any]:
    volatile = {"CreatedTimestamp", "LastModifiedTimestamp"}
    return {
        name: {k: v for k, v in value.items() if k not in volatile}
        if isinstance(value, dict)
        else value
        for name, value in answers.items()
    }


def test_sped_up_sqs_answers_exactly_as_moto_does(monkeypatch: Any) -> None:
    # Earlier tests in this process may have started a local stack: undo, then redo.
    monkeypatch.setattr(models.Queue, "attributes", moto_speedups._moto_queue_attributes)
    monkeypatch.setattr(models, "unix_time_millis", moto_speedups._moto_unix_time_millis)
    monkeypatch.setattr(models.Message, "mark_received", moto_speedups._moto_mark_received)
    monkeypatch.setattr(models.Queue, "delete_message", moto_speedups._moto_delete_message)
    with mock_aws():
        before = _without_clock(_queue_answers())
    moto_speedups.apply()
    assert vars(models.Queue)["attributes"].fget is moto_speedups.LazyQueueAttributes
    with mock_aws():
        after = _without_clock(_queue_answers())

    assert after == before
    assert before["mail"]["ApproximateNumberOfMessages"] == "15"
    assert before["mail"]["ApproximateNumberOfMessagesNotVisible"] == "10"
    assert before["mail"]["ApproximateNumberOfMessagesDelayed"] == "1"
    assert before["runs.fifo"]["ApproximateNumberOfMessages"] == "1"
    assert "RedrivePolicy" in before["mail"]


def _deletes() -> dict[str, Any]:
    """Deleting by current, earlier, repeated, unknown and another queue's receipt handles,
    one by one and in a batch, then what each queue still holds."""
    sqs = boto3.client("sqs", region_name="eu-central-1")
    mail = sqs.create_queue(QueueName="mail")["QueueUrl"]
    other = sqs.create_queue(QueueName="other")["QueueUrl"]
    fifo = sqs.create_queue(QueueName="runs.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    for number in range(12):
        sqs.send_message(QueueUrl=mail, MessageBody=f"m{number}")
    sqs.send_message(QueueUrl=other, MessageBody="elsewhere")
    for number in range(3):
        sqs.send_message(
            QueueUrl=fifo, MessageBody=f"f{number}", MessageGroupId="g",
            MessageDeduplicationId=f"d{number}",
        )  # fmt: skip

    def receive(url: str, count: int, hidden: int) -> list[dict[str, Any]]:
        return sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=count, VisibilityTimeout=hidden
        )["Messages"]

    answers: list[Any] = []

    def delete(url: str, handle: str) -> None:
        try:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
            answers.append("deleted")
        except botocore.exceptions.ClientError as error:
            answers.append(error.response["Error"]["Code"])

    first = receive(mail, 4, 0)  # visible again at once: received anew with new handles
    again = {m["Body"]: m["ReceiptHandle"] for m in receive(mail, 10, 30)}
    delete(mail, first[0]["ReceiptHandle"])  # a handle the message had before
    delete(mail, again[first[1]["Body"]])  # its handle now
    delete(mail, again[first[1]["Body"]])  # the same again: let be
    delete(mail, first[1]["ReceiptHandle"])  # an earlier handle of a deleted message
    delete(mail, "not-a-handle")
    delete(mail, receive(other, 1, 30)[0]["ReceiptHandle"])  # another queue's message
    delete(fifo, receive(fifo, 1, 30)[0]["ReceiptHandle"])
    batch = sqs.delete_message_batch(
        QueueUrl=mail,
        Entries=[
            {"Id": "a", "ReceiptHandle": again[first[2]["Body"]]},
            {"Id": "b", "ReceiptHandle": "unknown"},
            {"Id": "c", "ReceiptHandle": first[3]["ReceiptHandle"]},
        ],
    )
    answers.append(sorted(entry["Id"] for entry in batch.get("Successful", [])))
    answers.append(sorted((e["Id"], e["Code"]) for e in batch.get("Failed", [])))
    sqs.purge_queue(QueueUrl=other)
    held: dict[str, Any] = {}
    for name, url in (("mail", mail), ("other", other), ("runs.fifo", fifo)):
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        held[name] = {k: v for k, v in attributes.items() if k.startswith("ApproximateNumber")}
    left = sorted(m["Body"] for m in receive(mail, 10, 30))
    return {"answers": answers, "held": held, "left": left}


def test_deleting_messages_answers_exactly_as_moto_does(monkeypatch: Any) -> None:
    _moto_as_released(monkeypatch)
    with mock_aws():
        before = _deletes()
    moto_speedups.apply()
    assert models.Queue.delete_message is moto_speedups._delete_message
    with mock_aws():
        after = _deletes()

    assert after == before
    assert before["answers"][:7] == ["deleted", "deleted", "deleted", "deleted",
                                     "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
                                     "deleted"]  # fmt: skip
    assert before["answers"][7:] == [["a", "c"], [("b", "ReceiptHandleIsInvalid")]]
    # 12 sent, 10 of them received and hidden, 4 of those deleted: 6 hidden, 2 left to receive.
    assert before["held"]["mail"]["ApproximateNumberOfMessagesNotVisible"] == "6"
    assert before["held"]["mail"]["ApproximateNumberOfMessages"] == "2"
    assert len(before["left"]) == 2
    assert before["held"]["other"]["ApproximateNumberOfMessages"] == "0"  # purged


def test_a_delete_walks_no_message_of_the_queue(monkeypatch: Any) -> None:
    # moto asks every message of the queue, twice, whether it had the handle: O(n) a delete.
    _moto_as_released(monkeypatch)
    moto_speedups.apply()
    with mock_aws():
        sqs = boto3.client("sqs", region_name="eu-central-1")
        url = sqs.create_queue(QueueName="mail")["QueueUrl"]
        for number in range(50):
            sqs.send_message(QueueUrl=url, MessageBody=f"m{number}")
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        asked: list[str] = []
        monkeypatch.setattr(models.Message, "had_receipt_handle", lambda m, h: asked.append(h))
        for message in received:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert asked == []
    assert attributes["ApproximateNumberOfMessages"] == "40"
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_the_service_folders_are_listed_once_and_as_moto_lists_them() -> None:
    moto_speedups.apply()
    listed = backends.list_of_moto_modules()
    assert listed is backends.list_of_moto_modules()  # read once
    assert list(listed) == list(moto_speedups._moto_modules())
    assert {"dynamodb", "sqs", "sesv2", "scheduler"} <= set(listed)


# Every kind of attribute value DynamoDB holds, nested too, and the plain ones at their edges.
_ITEM_VALUES: dict[str, Any] = {
    "text": {"S": "Grüße aus Kassel"},
    "empty": {"S": ""},
    "number": {"N": "42"},
    "fraction": {"N": "-0.5"},
    "blob": {"B": b"\x00\x01binary"},
    "texts": {"SS": ["a", "b"]},
    "numbers": {"NS": ["1", "2.5"]},
    "blobs": {"BS": [b"x", b"y"]},
    "nothing": {"NULL": True},
    "yes": {"BOOL": True},
    "no": {"BOOL": False},
    "map": {"M": {"inner": {"S": "x"}, "deeper": {"M": {"n": {"N": "1"}}}, "z": {"NULL": True}}},
    "list": {"L": [{"S": "x"}, {"N": "3"}, {"L": [{"BOOL": False}]}, {"M": {}}]},
}


def _table_answers() -> list[tuple[str, Any]]:
    """Every answer body (as sent) of a session over a table with every kind of value."""
    dynamodb = boto3.client("dynamodb", region_name="eu-central-1")
    bodies: list[tuple[str, Any]] = []

    def keep(response_dict: Any, **kwargs: Any) -> None:
        if response_dict is not None and not kwargs["event_name"].endswith(".CreateTable"):
            bodies.append((kwargs["event_name"], json.loads(response_dict["body"])))

    dynamodb.create_table(
        TableName="things",
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.meta.events.register("response-received.dynamodb", keep)  # but CreateTable's clock
    for sort in (10, 9, 100, 2, -1, 0.5):  # numbers sort as numbers, not as text
        item = {"pk": {"S": "p"}, "sk": {"N": str(sort)}, **_ITEM_VALUES}
        dynamodb.put_item(TableName="things", Item=item)
    for partition in ("q", "P", "pp", "ä"):  # strings sort by code point
        dynamodb.put_item(TableName="things", Item={"pk": {"S": partition}, "sk": {"N": "1"}})
    dynamodb.put_item(
        TableName="things",
        Item={"pk": {"S": "p"}, "sk": {"N": "2"}, "text": {"S": "again"}},
        ReturnValues="ALL_OLD",
        ConditionExpression="attribute_exists(pk)",
        ReturnConsumedCapacity="TOTAL",
    )
    dynamodb.get_item(TableName="things", Key={"pk": {"S": "p"}, "sk": {"N": "9"}})
    dynamodb.query(
        TableName="things",
        KeyConditionExpression="pk = :p AND sk >= :low",
        ExpressionAttributeValues={":p": {"S": "p"}, ":low": {"N": "1"}},
    )
    page = dynamodb.query(
        TableName="things",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "p"}},
        Limit=2,
        ScanIndexForward=False,
    )
    dynamodb.query(
        TableName="things",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "p"}},
        ExclusiveStartKey=page["LastEvaluatedKey"],
    )
    dynamodb.scan(
        TableName="things",
        FilterExpression="yes = :t",
        ExpressionAttributeValues={":t": {"BOOL": True}},
    )
    dynamodb.update_item(
        TableName="things",
        Key={"pk": {"S": "p"}, "sk": {"N": "10"}},
        UpdateExpression="SET #n = :n",
        ExpressionAttributeNames={"#n": "number"},
        ExpressionAttributeValues={":n": {"N": "43"}},
        ReturnValues="ALL_NEW",
    )
    dynamodb.batch_get_item(
        RequestItems={"things": {"Keys": [{"pk": {"S": "p"}, "sk": {"N": "100"}}]}}
    )
    bodies += _text_keyed_answers(dynamodb)
    with contextlib.suppress(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.put_item(  # its answer: the error, with the item as it is
            TableName="things",
            Item={"pk": {"S": "p"}, "sk": {"N": "100"}},
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    return bodies


def _text_keyed_answers(dynamodb: Any) -> list[tuple[str, Any]]:
    """Pages of a table keyed by text (as the applications table is), in both directions."""
    dynamodb.create_table(
        TableName="texts",
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    sort_keys = ["b", "a1", "a", "B", "ä", "#submitter", "a0", "Z", "ab", "10", "9"]
    for partition in ("event", "Event", "ev"):
        for sort in sort_keys:
            item = {"pk": {"S": partition}, "sk": {"S": sort}, "n": {"N": "1"}}
            dynamodb.put_item(TableName="texts", Item=item)
    pages: list[tuple[str, Any]] = []
    for forward in (True, False):
        start: dict[str, Any] = {}
        while True:
            page = dynamodb.query(
                TableName="texts",
                KeyConditionExpression="pk = :p AND sk >= :from",
                ExpressionAttributeValues={":p": {"S": "event"}, ":from": {"S": "a"}},
                Limit=3,
                ScanIndexForward=forward,
                **start,
            )
            pages.append(("query", page["Items"]))
            if "LastEvaluatedKey" not in page:
                break
            start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
    start = {}
    while True:
        page = dynamodb.scan(TableName="texts", Limit=4, **start)
        pages.append(("scan", page["Items"]))
        if "LastEvaluatedKey" not in page:
            break
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
    return pages


def _moto_as_released(monkeypatch: Any) -> None:
    """Undo the speed-ups an earlier test in this process applied."""
    monkeypatch.setattr(models.Queue, "attributes", moto_speedups._moto_queue_attributes)
    monkeypatch.setattr(responses, "method_names_from_class", moto_speedups._moto_method_names)
    monkeypatch.setattr(
        serialize.JSONSerializer,
        "_serialize_type_structure",
        moto_speedups._moto_serialize_structure,
    )
    monkeypatch.setattr(parse.JSONParser, "_parse_structure", moto_speedups._moto_parse_structure)
    monkeypatch.setattr(DynamoType, "cast_value", moto_speedups._moto_cast_value)
    monkeypatch.setattr(DynamoType, "__eq__", moto_speedups._moto_equals)
    monkeypatch.setattr(DynamoType, "__lt__", moto_speedups._moto_less)
    monkeypatch.setattr(DynamoType, "__ne__", moto_speedups._moto_not_equals)
    monkeypatch.setattr(Table, "all_items", moto_speedups._moto_all_items)
    monkeypatch.setattr(Table, "_item_comes_before_dct", moto_speedups._moto_comes_before)
    monkeypatch.setattr(dynamodb_utilities, "dynamo_to_dict", moto_speedups._moto_dynamo_to_dict)
    monkeypatch.setattr(dynamodb_responses, "dynamo_to_dict", moto_speedups._moto_dynamo_to_dict)
    monkeypatch.setattr(ConditionExpressionParser, "parse", moto_speedups._moto_parse_condition)
    monkeypatch.setattr(
        DynamoDBBackend, "transact_write_items", moto_speedups._moto_transact_write_items
    )
    monkeypatch.setattr(models.Message, "mark_received", moto_speedups._moto_mark_received)
    monkeypatch.setattr(models.Queue, "delete_message", moto_speedups._moto_delete_message)


def test_sped_up_dynamodb_answers_exactly_as_moto_does(monkeypatch: Any) -> None:
    _moto_as_released(monkeypatch)
    with mock_aws():
        before = _table_answers()
    moto_speedups.apply()
    assert serialize.JSONSerializer._serialize_type_structure is not (
        moto_speedups._moto_serialize_structure
    )
    with mock_aws():
        after = _table_answers()

    assert after == before
    queried = [body for event, body in before if event.endswith(".Query")]
    assert [item["sk"]["N"] for item in queried[0]["Items"]] == ["2", "9", "10", "100"]
    assert queried[0]["Items"][1]["map"] == _ITEM_VALUES["map"]
    assert queried[0]["Items"][1]["blob"] == {"B": "AAFiaW5hcnk="}  # base64, as DynamoDB sends
    text_pages = [items for kind, items in before if kind == "query"]
    forward = [item["sk"]["S"] for page in text_pages[:2] for item in page]
    assert forward == ["a", "a0", "a1", "ab", "b", "ä"]  # by code point, over two pages
    scanned = [f"{item['pk']['S']}/{item['sk']['S']}" for kind, page in before if kind == "scan"
               for item in page]  # fmt: skip
    assert len(scanned) == 33  # every item, by partition then sort key
    assert scanned[:3] == ["Event/#submitter", "Event/10", "Event/9"]


def test_a_response_class_lists_its_methods_as_moto_does(monkeypatch: Any) -> None:
    _moto_as_released(monkeypatch)
    moto_speedups.apply()
    listed = responses.method_names_from_class(DynamoHandler)
    assert listed is responses.method_names_from_class(DynamoHandler)  # listed once
    assert listed == set(moto_speedups._moto_method_names(DynamoHandler))
    assert {"put_item", "query", "batch_get_item"} <= listed


def _applications_table(dynamodb: Any, **extra: Any) -> None:
    """A table keyed as the applications are (event, applicant key)."""
    dynamodb.create_table(
        TableName="applications",
        KeySchema=[
            {"AttributeName": "event_id", "KeyType": "HASH"},
            {"AttributeName": "applicant_key", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "event_id", "AttributeType": "S"},
            {"AttributeName": "applicant_key", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )


def _conditional_answers() -> list[tuple[str, Any]]:
    """Every answer body (errors too) of conditional writes as the admissions run and the
    repositories send them, again and again, and of expressions moto refuses."""
    dynamodb = boto3.client("dynamodb", region_name="eu-central-1")
    bodies: list[tuple[str, Any]] = []

    def keep(response_dict: Any, **kwargs: Any) -> None:
        if response_dict is not None and not kwargs["event_name"].endswith(".CreateTable"):
            bodies.append((kwargs["event_name"], json.loads(response_dict["body"])))

    _applications_table(dynamodb)
    dynamodb.meta.events.register("response-received.dynamodb", keep)

    def put(key: str, version: int, condition: str, **extra: Any) -> None:
        item = {
            "event_id": {"S": "kassel-2023"},
            "applicant_key": {"S": key},
            "status": {"S": "accepted"},
            "version": {"N": str(version + 1)},
        }
        try:
            dynamodb.put_item(
                TableName="applications",
                Item=item,
                ConditionExpression=condition,
                ReturnConsumedCapacity="TOTAL",
                **extra,
            )
        except botocore.exceptions.ClientError:
            pass  # its answer is kept
        except (KeyError, ValueError) as error:  # moto raising as it parses (its server: 500)
            bodies.append(("raised", repr(error)))

    first = "attribute_not_exists (#0)"
    again = "#0 = :0"
    for key in ("a1", "a2", "a3"):  # new items, then each written again at its version
        put(key, 0, first, ExpressionAttributeNames={"#0": "version"})
    for round_ in range(3):
        for key in ("a1", "a2", "a3"):
            put(
                key,
                round_ + 1,
                again,
                ExpressionAttributeNames={"#0": "version"},
                ExpressionAttributeValues={":0": {"N": str(round_ + 1)}},
            )
    # A stale version fails, with and without the item in the answer; a key taken fails.
    for extra in ({}, {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"}):
        put(
            "a1",
            1,
            again,
            ExpressionAttributeNames={"#0": "version"},
            ExpressionAttributeValues={":0": {"N": "1"}},
            **extra,
        )
    put("a2", 0, first, ExpressionAttributeNames={"#0": "version"})
    # The same expression under other names reads other attributes.
    put("a3", 9, again, ExpressionAttributeNames={"#0": "status"},
        ExpressionAttributeValues={":0": {"S": "accepted"}})  # fmt: skip
    put("a3", 9, again, ExpressionAttributeNames={"#0": "status"},
        ExpressionAttributeValues={":0": {"S": "declined"}})  # fmt: skip
    # A binary value, and expressions moto refuses (each twice: refused each time).
    put("a4", 0, "attribute_not_exists(#0) OR #0 <> :b",
        ExpressionAttributeNames={"#0": "blob"}, ExpressionAttributeValues={":b": {"B": b"x"}})  # fmt: skip
    for _ in range(2):
        put("a5", 0, "#0 = = :0", ExpressionAttributeNames={"#0": "version"},
            ExpressionAttributeValues={":0": {"N": "1"}})  # fmt: skip
        put("a5", 0, "attribute_not_exists(#0)",
            ExpressionAttributeNames={"#0": "version", "#unused": "status"})  # fmt: skip
        put("a5", 0, "#0 = :missing", ExpressionAttributeNames={"#0": "version"})
        put("a5", 0, "((attribute_not_exists(#0)))", ExpressionAttributeNames={"#0": "version"})
    # Conditional updates and deletes read their conditions the same way.
    for _ in range(2):
        with contextlib.suppress(botocore.exceptions.ClientError):
            dynamodb.update_item(
                TableName="applications",
                Key={"event_id": {"S": "kassel-2023"}, "applicant_key": {"S": "a2"}},
                UpdateExpression="SET #s = :s",
                ConditionExpression="#v = :v AND #s IN (:s, :t)",
                ExpressionAttributeNames={"#s": "status", "#v": "version"},
                ExpressionAttributeValues={":s": {"S": "waitlisted"}, ":t": {"S": "accepted"},
                                           ":v": {"N": "4"}},
                ReturnValues="ALL_NEW",
            )  # fmt: skip
    with contextlib.suppress(botocore.exceptions.ClientError):
        dynamodb.delete_item(
            TableName="applications",
            Key={"event_id": {"S": "kassel-2023"}, "applicant_key": {"S": "a3"}},
            ConditionExpression="#s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": "accepted"}},
            ReturnValues="ALL_OLD",
        )
    bodies.append(("items", dynamodb.scan(TableName="applications")["Items"]))
    return bodies


def test_conditional_writes_answer_exactly_as_moto_does(monkeypatch: Any) -> None:
    _moto_as_released(monkeypatch)
    with mock_aws():
        before = _conditional_answers()
    moto_speedups.apply()
    assert ConditionExpressionParser.parse is moto_speedups._parse_condition
    moto_speedups._condition_syntax.cache_clear()
    with mock_aws():
        after = _conditional_answers()

    assert after == before
    assert moto_speedups._condition_syntax.cache_info().hits >= 10  # read once, used again
    errors = [body.get("__type", "").rsplit("#", 1)[-1] for _, body in before
              if isinstance(body, dict)]  # fmt: skip
    assert errors.count("ConditionalCheckFailedException") >= 4
    assert errors.count("ValidationException") == 4  # each refused expression, each time
    assert [body for event, body in before if event == "raised"] == [
        "ValueError('Bad comparison #0 = =')",
        "KeyError(':missing')",
    ] * 2  # what moto raises as it reads an expression, raised again, not kept
    stale = [body for _, body in before if isinstance(body, dict) and "Item" in body]
    assert stale[0]["Item"]["version"] == {"N": "4"}  # the item as it is, when asked for
    items = {item["applicant_key"]["S"]: item for item in before[-1][1]}
    assert items["a1"]["version"] == {"N": "4"}
    assert items["a2"]["status"] == {"S": "waitlisted"}
    assert "a3" not in items
    assert "a4" in items


def _key(name: str) -> dict[str, Any]:
    return {"event_id": {"S": "kassel-2023"}, "applicant_key": {"S": name}}


def _transaction_answers() -> list[tuple[str, Any]]:
    """Every answer body of transactions that write, are cancelled by a condition, name an
    item twice, carry an action moto refuses or a write that fails; the items and the
    table's stream records after each."""
    dynamodb = boto3.client("dynamodb", region_name="eu-central-1")
    _applications_table(
        dynamodb,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    bodies: list[tuple[str, Any]] = []

    def keep(response_dict: Any, **kwargs: Any) -> None:
        if response_dict is not None and kwargs["event_name"].endswith(".TransactWriteItems"):
            bodies.append(("transaction", json.loads(response_dict["body"])))

    dynamodb.meta.events.register("response-received.dynamodb", keep)

    def put(name: str, version: int, **extra: Any) -> dict[str, Any]:
        item = {**_key(name), "status": {"S": "accepted"}, "version": {"N": str(version + 1)}}
        condition = (
            {"ConditionExpression": "attribute_not_exists(#v)"}
            if version == 0
            else {
                "ConditionExpression": "#v = :v",
                "ExpressionAttributeValues": {":v": {"N": str(version)}},
            }
        )
        return {
            "Put": {
                "TableName": "applications",
                "Item": item,
                "ExpressionAttributeNames": {"#v": "version"},
                **condition,
                **extra,
            }
        }

    def transact(*actions: dict[str, Any]) -> None:
        with contextlib.suppress(botocore.exceptions.ClientError):  # its answer is kept
            dynamodb.transact_write_items(TransactItems=list(actions))
        shard = dynamodb_backends[DEFAULT_ACCOUNT_ID]["eu-central-1"].tables["applications"]
        records = [record.to_json() for record in shard.stream_shard.items]
        bodies.append(("stream", [(r["eventName"], r["dynamodb"]["Keys"]) for r in records]))
        items = dynamodb.scan(TableName="applications")["Items"]
        bodies.append(("items", sorted(items, key=lambda i: i["applicant_key"]["S"])))

    transact(*(put(name, 0) for name in ("a1", "a2", "a3", "a4")))  # new items
    transact(*(put(name, 1) for name in ("a1", "a2", "a3")))  # each at its version
    # A stale version cancels the whole transaction, with and without the item in the answer.
    transact(put("a1", 2), put("a2", 1), put("a3", 2))
    transact(put("a1", 2), put("a2", 1, ReturnValuesOnConditionCheckFailure="ALL_OLD"))
    # Update, delete and a condition check, all holding; then the check failing.
    update = {
        "Update": {
            "TableName": "applications",
            "Key": _key("a4"),
            "UpdateExpression": "SET #s = :s",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":s": {"S": "declined"}},
        }
    }
    delete = {"Delete": {"TableName": "applications", "Key": _key("a3")}}
    check = {
        "ConditionCheck": {
            "TableName": "applications",
            "Key": _key("a2"),
            "ConditionExpression": "#v = :v",
            "ExpressionAttributeNames": {"#v": "version"},
            "ExpressionAttributeValues": {":v": {"N": "2"}},
        }
    }
    transact(update, delete, check, put("a5", 0))
    transact(put("a6", 0), {"ConditionCheck": {**check["ConditionCheck"], "Key": _key("a4")}})
    # The same item twice; an unknown table; a write moto refuses as it makes it (an
    # update expression it cannot apply) after one that it made: nothing stays written.
    transact(put("a7", 0), put("a7", 0))
    transact(put("a8", 0), {"Put": {**put("a9", 0)["Put"], "TableName": "missing"}})
    bad_update = {"Update": {**update["Update"], "UpdateExpression": "SET #s = #s + :s"}}
    transact(put("a10", 0), bad_update)
    return bodies


def test_transactions_answer_and_write_exactly_as_moto_does(monkeypatch: Any) -> None:
    _moto_as_released(monkeypatch)
    with mock_aws():
        before = _transaction_answers()
    moto_speedups.apply()
    assert DynamoDBBackend.transact_write_items is moto_speedups._transact_write_items
    with mock_aws():
        after = _transaction_answers()

    assert after == before
    errors = [body.get("__type", "").rsplit("#", 1)[-1] for kind, body in before
              if kind == "transaction" and isinstance(body, dict)]  # fmt: skip
    assert errors.count("TransactionCanceledException") >= 3
    assert "ValidationException" in errors
    final = {item["applicant_key"]["S"]: item for item in before[-1][1]}
    assert sorted(final) == ["a1", "a2", "a4", "a5"]  # a3 deleted; the rest cancelled
    assert final["a4"]["status"] == {"S": "declined"}


def test_a_transaction_copies_no_table(monkeypatch: Any) -> None:
    # moto as released deep-copies every table a transaction names before writing.
    copied: list[str] = []
    deepcopy = copy.deepcopy

    def counting(value: Any, memo: Any = None) -> Any:
        copied.append(type(value).__name__)
        return deepcopy(value, memo)

    moto_speedups.apply()
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="eu-central-1")
        dynamodb.create_table(
            TableName="applications",
            KeySchema=[{"AttributeName": "applicant_key", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "applicant_key", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        monkeypatch.setattr(copy, "deepcopy", counting)
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "applications", "Item": {"applicant_key": {"S": f"a{n}"}}}}
                for n in range(25)
            ]
        )
    assert "Table" not in copied
