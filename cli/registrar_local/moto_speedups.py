"""Make moto keep the cost of a request near constant, so the local stack scales like AWS does.

moto 5 answers every ``SendMessage`` by building the queue's whole attribute dictionary,
approximate message counts included, which walks every message in the queue; each walk
asks every message for the time through ``datetime`` arithmetic. Enqueuing n messages
therefore costs O(n²): 10,000 acceptance emails took ten minutes locally, where SQS takes
seconds. Behaviour-preserving changes, applied once when a local stack starts:

- ``Queue.attributes`` becomes a read-only mapping that computes each value only when it
  is read, so a send that reads ``ContentBasedDeduplication`` no longer counts messages;
  ``GetQueueAttributes`` still sees every attribute with the value moto computes.
- the SQS model's millisecond clock reads ``time.time()`` directly (the same number moto
  derives from ``utcnow()`` minus the epoch).
- the server's list of moto's service folders, which it reads from disk on every request
  (about a hundred ``stat`` calls, 0.9 ms) to find the service, is read once.
- the names of a response class's methods, which moto lists through ``inspect`` on every
  request to find the action's method, are listed once per class.
- DynamoDB's answers: moto serialises every attribute value of every item it returns by
  looking up each of the ten members an ``AttributeValue`` may have under up to four names
  (about 90% of a 10,000-item Query's time). A value holding one string, number, boolean
  or null (``{"S": "..."}``) is written as it is, which is what that lookup produces;
  any other value (sets, lists, maps, binary) takes moto's own way. Requests likewise:
  moto reads such a value from a request as it is, after the same lookups.
- before serialising, moto turns every stored value into plain data (``dynamo_to_dict``),
  importing ``DynamoType`` and asking four questions of every value on the way; plain
  containers, plain scalars and plain attribute values now take the answer at once.
- moto compares key values (a Query sorts the whole table by key for every page) through
  ``DynamoType.cast_value``, which asks five questions of every string before returning
  it as it is; strings, binaries and booleans now return at once, and two strings
  compare as strings, the rest as before. A table whose keys are all strings is put in
  key order by the keys' text, which is the order moto's comparisons give; a page that
  starts after a key of text finds its place by comparing texts.
- moto reads a condition expression (every conditional write has one) twice per request,
  lexing and parsing it each time; the admissions run sends the same few expressions,
  names and values ten thousand times. The syntax tree of an expression with its names
  and values is kept (the last 1,024), and each request builds its own condition from it
  as moto does; a new expression, and one moto refuses, take moto's whole way.

- moto keeps a deep copy of every table a transaction names, made before each
  ``TransactWriteItems``, to put back if the transaction fails: a copy of all 10,000
  applications for each transaction of the admissions run's decisions. The transaction
  now checks every action first (its key, that no item is named twice, its condition) and
  writes only when all hold, as DynamoDB does: a cancelled transaction writes nothing and
  leaves no stream record. Should a write fail while they are made (moto validating an
  item), the items written are put back as they were, from a record of only those items.
  The answers (cancellation reasons included) are moto's.

- moto deletes a message by walking the queue's every message twice, each time building
  the list of every receipt handle the message had: O(n) for each delete, O(n²) for
  draining a queue (4,000 receipts: 2.9 s of the mailer's 95 s were deletes, 0.05 s
  now; growing with the square of the queue's length). Each message is now noted under
  each receipt handle it is given; a delete finds it there and takes it out of the
  queue's list, with moto's checks and answers.

They matter where moto does the work of AWS at scale: the benchmarks and the test suite.
Each replaces a piece of moto's inside: written for the version below; a unit test fails
when another one is installed.
"""

from __future__ import annotations

import copy
import json
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import Any, Final

from moto import backends
from moto.core import parse, responses, serialize
from moto.core.utils import camelcase_to_underscores
from moto.dynamodb import responses as dynamodb_responses
from moto.dynamodb.comparisons import ConditionExpressionParser, Func, Op, get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models import utilities as dynamodb_utilities
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table
from moto.sqs import models
from moto.sqs.exceptions import ReceiptHandleIsInvalid

WRITTEN_FOR: Final = {"moto": "5.2.5"}

_moto_queue_attributes = vars(models.Queue)["attributes"]
_moto_unix_time_millis: Callable[..., float] = vars(models)["unix_time_millis"]
_moto_modules: Callable[[], Iterable[str]] = vars(backends)["list_of_moto_modules"]
_moto_method_names: Callable[[object], list[str]] = vars(responses)["method_names_from_class"]
_moto_serialize_structure = vars(serialize.JSONSerializer).get(
    "_serialize_type_structure", serialize.BaseJSONSerializer._serialize_type_structure
)
_moto_parse_structure: Callable[..., Any] = parse.BaseJSONParser._parse_structure
_moto_cast_value = vars(DynamoType)["cast_value"]
_moto_equals: Callable[[DynamoType, Any], bool] = vars(DynamoType)["__eq__"]
_moto_less: Callable[[DynamoType, Any], bool] = vars(DynamoType)["__lt__"]
_moto_not_equals: Callable[[DynamoType, Any], bool] = vars(DynamoType)["__ne__"]
_moto_all_items: Callable[[Table], list[Item]] = vars(Table)["all_items"]
_moto_comes_before: Callable[..., bool] = vars(Table)["_item_comes_before_dct"]
_moto_dynamo_to_dict: Callable[[Any], Any] = vars(dynamodb_utilities)["dynamo_to_dict"]
_moto_parse_condition: Callable[[ConditionExpressionParser], Op | Func] = vars(
    ConditionExpressionParser
)["parse"]
_moto_transact_write_items: Callable[..., None] = vars(DynamoDBBackend)["transact_write_items"]
_moto_mark_received: Callable[..., None] = vars(models.Message)["mark_received"]
_moto_delete_message: Callable[[models.Queue, str], None] = vars(models.Queue)["delete_message"]
# Every receipt handle a message was given, to the message (as long as moto keeps it).
_by_receipt_handle: weakref.WeakValueDictionary[str, models.Message] = weakref.WeakValueDictionary()


class LazyQueueAttributes(Mapping[str, Any]):
    """The attributes moto's ``Queue.attributes`` returns, each computed when it is read."""

    def __init__(self, queue: models.Queue) -> None:
        self._queue = queue
        names = list(queue.BASE_ATTRIBUTES)
        if queue.fifo_queue:
            names += queue.FIFO_ATTRIBUTES
        if queue.kms_master_key_id:  # type: ignore[attr-defined]
            names += queue.KMS_ATTRIBUTES
        self._names = dict.fromkeys(names)  # in order, with quick membership

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        if name == "RedrivePolicy":  # a base attribute: None when unset, else as JSON
            policy = self._queue.redrive_policy
            return json.dumps(policy) if policy else policy
        value = getattr(self._queue, _python_name(name))
        return str(value).lower() if isinstance(value, bool) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:  # without computing the value
        return name in self._names


_python_name = cache(camelcase_to_underscores)


def _unix_time_millis(value: Any = None) -> float:
    if value is None:
        return time.time() * 1000.0
    return _moto_unix_time_millis(value)


@cache
def moto_modules() -> tuple[str, ...]:
    """moto's service folders, as moto lists them: the installed package does not change."""
    return tuple(_moto_modules())


@cache
def method_names(response_class: type) -> frozenset[str]:
    """The names moto's ``method_names_from_class`` lists: a class's methods stay as defined."""
    return frozenset(_moto_method_names(response_class))


# The services whose answers hold DynamoDB attribute values, and the members of one value
# that are written as they are: a string (S, N) or a boolean (BOOL, NULL).
_ATTRIBUTE_VALUE_SERVICES = frozenset({"dynamodb", "dynamodbstreams"})
_PLAIN_MEMBERS: Final = {"S": str, "N": str, "BOOL": bool, "NULL": bool}


def _serialize_type_structure(
    self: serialize.JSONSerializer, serialized: Any, value: Any, shape: Any, key: str
) -> None:
    """moto's ``_serialize_type_structure``; one plain attribute value is copied as it is."""
    if (
        key
        and shape.name == "AttributeValue"
        and type(value) is dict
        and len(value) == 1
        and _plain_picker(self._value_picker)
        and self.operation_model.service_model.service_name in _ATTRIBUTE_VALUE_SERVICES
    ):
        ((member, inner),) = value.items()
        if type(inner) is _PLAIN_MEMBERS.get(member):
            serialized[self.get_serialized_name(shape, key)] = {member: inner}
            return
    _moto_serialize_structure(self, serialized, value, shape, key)


def _parse_structure(self: parse.BaseJSONParser, shape: Any, value: Any) -> Any:
    """moto's ``_parse_structure`` of a JSON request; one plain attribute value is read as
    it is (moto keeps each member it finds, unchanged, in a new ``MAP_TYPE``)."""
    if (
        shape.name == "AttributeValue"
        and type(value) is dict
        and len(value) == 1
        and self.MAP_TYPE is dict
        and self.operation_model.service_model.service_name in _ATTRIBUTE_VALUE_SERVICES
    ):
        ((member, inner),) = value.items()
        if type(inner) is _PLAIN_MEMBERS.get(member):
            return {member: inner}
    return _moto_parse_structure(self, shape, value)


def _plain_picker(picker: Any) -> bool:
    """moto's own picker, with no answer rewritten on the way (as for DynamoDB)."""
    return type(picker) is serialize.XFormedAttributePicker and not picker.response_transformers


def _cast_value(self: DynamoType) -> Any:
    """moto's ``DynamoType.cast_value``: strings, binaries and booleans are their value."""
    if self.type in ("S", "B", "BOOL"):
        return self.value
    return _moto_cast_value.fget(self)


_SCALARS = (str, bool, int, float, type(None))


def _dynamo_to_dict(obj: Any) -> Any:
    """moto's ``dynamo_to_dict``, answering at once for what it returns unchanged or copies."""
    kind = type(obj)
    if kind in _SCALARS:
        return obj
    if kind is DynamoType and type(obj.value) is _PLAIN_MEMBERS.get(obj.type):
        return {obj.type: obj.value}
    if kind is dict:
        return {key: _dynamo_to_dict(value) for key, value in obj.items()}
    if kind is list:
        return [_dynamo_to_dict(value) for value in obj]
    return _moto_dynamo_to_dict(obj)  # which calls this one for what it holds


def _equals(self: DynamoType, other: Any) -> bool:
    """moto's ``DynamoType.__eq__``; two strings compare at once."""
    if self.type == "S" and type(other) is DynamoType and other.type == "S":
        return bool(self.value == other.value)
    return _moto_equals(self, other)


def _less(self: DynamoType, other: Any) -> bool:
    """moto's ``DynamoType.__lt__``; two strings compare at once."""
    if self.type == "S" and type(other) is DynamoType and other.type == "S":
        return bool(self.value < other.value)
    return _moto_less(self, other)


def _not_equals(self: DynamoType, other: Any) -> bool:
    """moto's ``DynamoType.__ne__``; two strings compare at once."""
    if self.type == "S" and type(other) is DynamoType and other.type == "S":
        return bool(self.value != other.value)
    return _moto_not_equals(self, other)


def _all_items(self: Table) -> list[Item]:
    """moto's ``Table.all_items``: every item, by hash key then range key.

    moto sorts on the keys as ``DynamoType`` pairs; where every key is a string, their
    texts compare alike (the sort is stable either way), without a method call each.
    """
    if not self.range_key_attr:
        return _moto_all_items(self)
    items: list[Item] = []
    keys: list[tuple[str, str]] = []
    for hash_set in self.items.values():
        for item in hash_set.values():
            hash_key, range_key = item.hash_key, item.range_key
            if not (_is_text(hash_key) and _is_text(range_key)):
                return _moto_all_items(self)
            items.append(item)
            keys.append((hash_key.value, range_key.value))
    order = sorted(range(len(items)), key=keys.__getitem__)
    return [items[index] for index in order]


def _item_comes_before_dct(
    self: Table,
    item: Item,
    dct: dict[str, Any],
    hash_key_attrs: list[str],
    range_key_attrs: list[str | None],
    scan_index_forward: bool,
) -> bool:
    """moto's ``Table._item_comes_before_dct`` (whether ``item`` is at or before the key
    ``dct``, a page's exclusive start), comparing texts where both keys are text."""
    for attr in self._generate_attr_to_sort_by(hash_key_attrs, range_key_attrs):
        if attr not in item.attrs:
            continue
        mine, theirs = item.attrs[attr], dct.get(attr)
        if not (_is_text(mine) and type(theirs) is dict and len(theirs) == 1):
            break
        text = theirs.get("S")
        if type(text) is not str:
            break
        if mine.value != text:
            return bool(mine.value < text) == scan_index_forward
    else:
        return True  # keys equal: the item is the one the page starts after
    return _moto_comes_before(self, item, dct, hash_key_attrs, range_key_attrs, scan_index_forward)


def _is_text(key: Any) -> bool:
    return type(key) is DynamoType and key.type == "S" and type(key.value) is str


def _parse_condition(self: ConditionExpressionParser) -> Op | Func:
    """moto's ``ConditionExpressionParser.parse``, on a syntax tree read once per expression."""
    if not self.condition_expression:
        return _moto_parse_condition(self)
    try:
        names = json.dumps(self.expression_attribute_names, sort_keys=True)
        values = json.dumps(self.expression_attribute_values, sort_keys=True)
    except TypeError:  # a value JSON cannot hold (binary): read as moto reads it
        return _moto_parse_condition(self)
    node, names_found, values_found = _condition_syntax(self.condition_expression, names, values)
    self.expr_attr_names_found.extend(names_found)
    self.expr_attr_values_found.extend(values_found)
    return self._make_op_condition(node)


@lru_cache(maxsize=1024)
def _condition_syntax(expression: str, names: str, values: str) -> tuple[Any, Any, Any]:
    """The steps of moto's ``parse`` before it builds the condition: the syntax tree and the
    names and values found in it (an expression moto refuses raises, and is not kept)."""
    parser = ConditionExpressionParser(expression, json.loads(names), json.loads(values))
    nodes = parser._lex_condition_expression()
    nodes = parser._parse_paths(nodes)
    nodes = parser._apply_functions(nodes)
    nodes = parser._apply_comparator(nodes)
    nodes = parser._apply_in(nodes)
    nodes = parser._apply_between(nodes)
    nodes = parser._apply_parens_and_booleans(nodes)
    node = nodes[0]
    parser._assert_no_redundant_parentheses(node)
    names_found = tuple(parser._find_literals(node))
    values_found = tuple(parser._find_expr_attr_values(node))
    return node, names_found, values_found


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto's ``transact_write_items``, its answers and errors alike, without copying tables:
    every action is checked before the first write, and a write that fails puts back only
    the items written before it."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    checked: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = []
    target_items: set[tuple[str, str]] = set()
    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []
    for action in transact_items:
        if len(action) > 1:
            raise TransactWriteSingleOpException
        original_item: dict[str, Any] | None = None
        try:
            op_type, op = next(iter(action.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            if op_type == "Put":
                table = self.get_table(table_name)
                key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = op["Item"][table.range_key_attr]
            else:
                key = op["Key"]
            named = (str(table_name), str(dict(sorted(key.items()))))
            if named in target_items:
                raise MultipleTransactionsException()
            target_items.add(named)
            current = self.get_item(table_name, key)
            condition = op.get("ConditionExpression")
            if condition is not None:
                condition_op = get_filter_expression(
                    condition,
                    op.get("ExpressionAttributeNames"),
                    op.get("ExpressionAttributeValues"),
                )
                if not condition_op.expr(current):
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)
            checked.append((op_type, op, table_name, key))
            errors.append((None, None, None))
        except MultipleTransactionsException:
            raise
        except ConditionalCheckFailed as error:
            errors.append(("ConditionalCheckFailed", str(error.message), original_item))  # type: ignore[arg-type]
        except MockValidationException:
            raise
        except Exception as error:  # as moto: any other error is the action's reason
            errors.append((type(error).__name__, str(error), original_item))  # type: ignore[arg-type]
    if any(code is not None for code, _, _ in errors):
        raise TransactionCanceledException(errors)
    _write_checked(self, checked)


def _write_checked(
    backend: DynamoDBBackend, checked: list[tuple[str, dict[str, Any], str, dict[str, Any]]]
) -> None:
    """Make the checked writes; if one fails, put back the items written before it."""
    undo: list[tuple[Table, dict[str, Any], Item | None]] = []
    streams: dict[int, tuple[Any, int]] = {}
    for index, (op_type, op, table_name, key) in enumerate(checked):
        if op_type == "ConditionCheck":
            continue
        try:
            table = backend.get_table(table_name)
            shard = table.stream_shard
            if shard is not None and id(shard) not in streams:
                streams[id(shard)] = (shard, len(shard.items))
            current = backend.get_item(table_name, key)
            # moto updates an item in place; a put or a delete replaces or drops it.
            undo.append((table, key, copy.deepcopy(current) if op_type == "Update" else current))
            names: Any = op.get("ExpressionAttributeNames")  # None where the action has none,
            values: Any = op.get("ExpressionAttributeValues")  # as moto passes them on
            if op_type == "Put":
                backend.put_item(table_name, op["Item"], expression_attribute_names=names,
                                 expression_attribute_values=values)  # fmt: skip
            elif op_type == "Delete":
                backend.delete_item(table_name, key, expression_attribute_names=names,
                                    expression_attribute_values=values)  # fmt: skip
            else:
                backend.update_item(table_name, key, update_expression=op["UpdateExpression"],
                                    expression_attribute_names=names,
                                    expression_attribute_values=values)  # fmt: skip
        except Exception as error:
            _put_back(backend, undo, streams)
            if isinstance(error, MockValidationException):
                raise
            # As moto: any other error is the reason of the action that raised it.
            reasons: list[Any] = [(None, None, None)] * len(checked)
            reasons[index] = (type(error).__name__, str(error), None)
            raise TransactionCanceledException(reasons) from None


def _put_back(
    backend: DynamoDBBackend,
    undo: list[tuple[Table, dict[str, Any], Item | None]],
    streams: dict[int, tuple[Any, int]],
) -> None:
    for table, key, before in reversed(undo):
        hash_value, range_value = backend.get_keys_value(table, key)
        if before is None:
            table.delete_item(hash_value, range_value)
        elif range_value is not None:
            table.items[hash_value][range_value] = before
        else:
            table.items[hash_value] = before
    for shard, length in streams.values():
        del shard.items[length:]  # the records the undone writes added


def _mark_received(self: models.Message, *args: Any, **kwargs: Any) -> None:
    """moto's ``Message.mark_received`` (a new receipt handle), the handle noted."""
    _moto_mark_received(self, *args, **kwargs)
    if self.receipt_handle is not None:
        _by_receipt_handle[self.receipt_handle] = self


def _delete_message(self: models.Queue, receipt_handle: str) -> None:
    """moto's ``Queue.delete_message``: the message that ever had ``receipt_handle``, found
    by it at once, leaves the queue; a handle deleted before is let be, an unknown one (or
    one of a message no longer in this queue) is refused, as moto does."""
    if receipt_handle in self.deleted_messages:
        return
    message = _by_receipt_handle.get(receipt_handle)
    if message is None:
        raise ReceiptHandleIsInvalid()
    remaining = list(self._messages)  # a new list, as moto makes: readers keep theirs
    try:
        remaining.remove(message)  # compared by identity (a message has no other equality)
    except ValueError:  # no longer in this queue (deleted, purged, moved)
        raise ReceiptHandleIsInvalid() from None
    self.pending_messages.discard(message)
    self.deleted_messages.update(message.all_receipt_handles)  # type: ignore[arg-type]
    self._messages = remaining


def apply() -> None:
    """Install the changes (idempotent; moto's server runs in this process)."""
    if vars(models.Queue)["attributes"].fget is LazyQueueAttributes:
        return
    backends.list_of_moto_modules = moto_modules
    responses.method_names_from_class = method_names  # type: ignore[attr-defined,assignment]
    parse.JSONParser._parse_structure = _parse_structure  # type: ignore[method-assign]
    serialize.JSONSerializer._serialize_type_structure = _serialize_type_structure  # type: ignore[method-assign,assignment]
    dynamodb_utilities.dynamo_to_dict = _dynamo_to_dict
    dynamodb_responses.dynamo_to_dict = _dynamo_to_dict  # type: ignore[attr-defined]
    DynamoType.cast_value = property(_cast_value)  # type: ignore[method-assign,assignment]
    DynamoType.__eq__ = _equals  # type: ignore[method-assign]
    DynamoType.__lt__ = _less  # type: ignore[method-assign]
    DynamoType.__ne__ = _not_equals  # type: ignore[method-assign]
    Table.all_items = _all_items  # type: ignore[method-assign]
    Table._item_comes_before_dct = _item_comes_before_dct  # type: ignore[method-assign]
    ConditionExpressionParser.parse = _parse_condition  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    models.unix_time_millis = _unix_time_millis  # type: ignore[attr-defined,assignment]
    models.Message.mark_received = _mark_received  # type: ignore[method-assign]
    models.Queue.delete_message = _delete_message  # type: ignore[method-assign]
    models.Queue.attributes = property(LazyQueueAttributes)  # type: ignore[assignment,method-assign]
