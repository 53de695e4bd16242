"""Reads infra/template.yaml: what it declares, and its intrinsic functions evaluated locally.

The template is the single source of truth for tables, queues, schedules and each
function's environment. The tests and the local stack build their moto resources from
the specs read here, so the code cannot drift from what is deployed.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Final, Literal, cast

import yaml

TEMPLATE_ENV_VAR: Final = "REGISTRAR_TEMPLATE"
TEMPLATE_RELATIVE_PATH: Final = Path("infra") / "template.yaml"

type Template = dict[str, Any]
type KeyType = Literal["HASH", "RANGE"]


class TemplateError(Exception):
    """The template is missing, or declares something this module cannot read."""


class UnresolvableError(TemplateError):
    """An intrinsic function refers to something that was not provided."""


# ---------------------------------------------------------------------------- loading

# Short-form tags whose long form drops the "Fn::" prefix.
_PLAIN_TAGS: Final = frozenset({"Ref", "Condition"})
_FN_TAGS: Final = frozenset(
    {
        "Sub", "GetAtt", "If", "Equals", "Join", "Select", "Not", "And", "Or",
        "FindInMap", "Split", "Base64", "ImportValue", "GetAZs",
    }
)  # fmt: skip
_TIMESTAMP_TAG: Final = "tag:yaml.org,2002:timestamp"


# libyaml's parser where PyYAML was built with it: five times as fast as the pure-Python one.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CloudFormationLoader(_SafeLoader):  # type: ignore[misc]
    """A safe loader that turns CloudFormation short-form tags into their long forms.

    Unquoted ISO dates stay strings, as CloudFormation reads them.
    """


CloudFormationLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_intrinsic(loader: Any, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if suffix not in _PLAIN_TAGS and suffix not in _FN_TAGS:
        raise yaml.constructor.ConstructorError(
            None, None, f"unknown CloudFormation tag !{suffix}", node.start_mark
        )
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(cast(yaml.MappingNode, node), deep=True)
    key = suffix if suffix in _PLAIN_TAGS else f"Fn::{suffix}"
    return {key: value}


CloudFormationLoader.add_multi_constructor("!", _construct_intrinsic)


def template_path() -> Path:
    """Where the template is: $REGISTRAR_TEMPLATE, else the repository around this file or cwd."""
    override = os.environ.get(TEMPLATE_ENV_VAR)
    if override:
        return Path(override)
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for directory in (start, *start.parents):
            candidate = directory / TEMPLATE_RELATIVE_PATH
            if candidate.is_file():
                return candidate
    raise TemplateError(
        f"{TEMPLATE_RELATIVE_PATH} not found above {Path(__file__).parent} or the current "
        f"directory; set {TEMPLATE_ENV_VAR} to its path"
    )


def load_template(path: Path | None = None) -> Template:
    """Parse the SAM template (default: :func:`template_path`) into plain long-form data."""
    source = path if path is not None else template_path()
    with source.open(encoding="utf-8") as stream:
        loaded = yaml.load(stream, Loader=CloudFormationLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(loaded, dict) or not isinstance(loaded.get("Resources"), dict):
        raise TemplateError(f"{source} is not a CloudFormation template")
    return cast(Template, loaded)


# ---------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class IndexSpec:
    """A global secondary index."""

    name: str
    key_schema: list[tuple[str, KeyType]]
    projection: dict[str, Any]


@dataclass(frozen=True)
class TableSpec:
    """A DynamoDB table as declared."""

    logical_id: str
    key_schema: list[tuple[str, KeyType]]
    attributes: dict[str, str]
    gsis: list[IndexSpec]
    ttl_attribute: str | None
    stream_view_type: str | None = None


@dataclass(frozen=True)
class QueueSpec:
    """An SQS queue as declared; redrive_target is the dead-letter queue's logical id."""

    logical_id: str
    redrive_target: str | None
    max_receive_count: int | None
    visibility_timeout: int
    message_retention_period: int | None


@dataclass(frozen=True)
class EventSpec:
    """One entry of a function's Events."""

    name: str
    type: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class FunctionSpec:
    """A SAM function with Globals.Function merged in; values are raw (unresolved)."""

    logical_id: str
    code_uri: str
    handler: str
    environment: dict[str, Any]
    events: list[EventSpec]
    timeout: int | None
    memory_size: int | None
    # Where Lambda describes an asynchronous invocation that failed after its retries
    # (EventInvokeConfig.DestinationConfig.OnFailure): the queue's logical id.
    on_failure_queue: str | None = None

    def code_dir(self, template_file: Path) -> Path:
        """The function's source folder (CodeUri is relative to the template)."""
        return (template_file.parent / self.code_uri).resolve()


@dataclass(frozen=True)
class ScheduleSpec:
    """A ScheduleV2 event; expression, timezone and dates resolved against parameters."""

    logical_id: str
    function_logical_id: str
    expression: str
    timezone: str | None
    input: dict[str, Any]
    start_date: str | None
    end_date: str | None
    name: Any
    retry_policy: dict[str, int]
    dead_letter_queue: str | None


@dataclass(frozen=True)
class SqsEventSourceSpec:
    """An SQS event of a function; max_concurrency_param names the parameter it takes."""

    logical_id: str
    function_logical_id: str
    queue_logical_id: str
    batch_size: int
    max_concurrency_param: str | None
    report_batch_item_failures: bool


@dataclass(frozen=True)
class StreamEventSourceSpec:
    """A DynamoDB stream event of a function; filters are its FilterCriteria patterns."""

    logical_id: str
    function_logical_id: str
    table_logical_id: str
    batch_size: int
    starting_position: str
    filters: list[dict[str, Any]]
    report_batch_item_failures: bool
    on_failure_queue: str | None = None  # where a batch given up on is described
    max_record_age_seconds: int | None = None
    bisect_on_error: bool = False


def resources_of_type(t: Mapping[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    """The template's resources of one CloudFormation or SAM type, by logical id."""
    resources: dict[str, dict[str, Any]] = t["Resources"]
    return {lid: res for lid, res in resources.items() if res.get("Type") == resource_type}


def _properties(resource: Mapping[str, Any]) -> dict[str, Any]:
    return cast(dict[str, Any], resource.get("Properties") or {})


def _key_schema(raw: list[dict[str, str]]) -> list[tuple[str, KeyType]]:
    return [(key["AttributeName"], cast(KeyType, key["KeyType"])) for key in raw]


def _referenced_id(value: Any) -> str:
    """Logical id named by a Ref or GetAtt (e.g. a queue referenced by its Arn)."""
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return str(value["Fn::GetAtt"][0])
    raise TemplateError(f"expected a Ref or Fn::GetAtt, got {value!r}")


def tables(t: Mapping[str, Any]) -> dict[str, TableSpec]:
    """Every DynamoDB table, by logical id."""
    specs: dict[str, TableSpec] = {}
    for lid, resource in resources_of_type(t, "AWS::DynamoDB::Table").items():
        props = _properties(resource)
        ttl = props.get("TimeToLiveSpecification") or {}
        specs[lid] = TableSpec(
            logical_id=lid,
            key_schema=_key_schema(props["KeySchema"]),
            attributes={
                a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]
            },
            gsis=[
                IndexSpec(g["IndexName"], _key_schema(g["KeySchema"]), dict(g["Projection"]))
                for g in props.get("GlobalSecondaryIndexes", [])
            ],
            ttl_attribute=ttl.get("AttributeName") if ttl.get("Enabled") else None,
            stream_view_type=(props.get("StreamSpecification") or {}).get("StreamViewType"),
        )
    return specs


def queues(t: Mapping[str, Any]) -> dict[str, QueueSpec]:
    """Every SQS queue, by logical id."""
    specs: dict[str, QueueSpec] = {}
    for lid, resource in resources_of_type(t, "AWS::SQS::Queue").items():
        props = _properties(resource)
        redrive = props.get("RedrivePolicy")
        retention = props.get("MessageRetentionPeriod")
        specs[lid] = QueueSpec(
            logical_id=lid,
            redrive_target=_referenced_id(redrive["deadLetterTargetArn"]) if redrive else None,
            max_receive_count=int(redrive["maxReceiveCount"]) if redrive else None,
            visibility_timeout=int(props.get("VisibilityTimeout", 30)),
            message_retention_period=int(retention) if retention is not None else None,
        )
    return specs


def _function_globals(t: Mapping[str, Any]) -> dict[str, Any]:
    return cast(dict[str, Any], (t.get("Globals") or {}).get("Function") or {})


def _environment(props: Mapping[str, Any]) -> dict[str, Any]:
    return dict(((props.get("Environment") or {}).get("Variables")) or {})


def functions(t: Mapping[str, Any]) -> dict[str, FunctionSpec]:
    """Every SAM function with Globals.Function merged in, by logical id."""
    defaults = _function_globals(t)
    specs: dict[str, FunctionSpec] = {}
    for lid, resource in resources_of_type(t, "AWS::Serverless::Function").items():
        props = {**defaults, **_properties(resource)}
        timeout, memory = props.get("Timeout"), props.get("MemorySize")
        if isinstance(memory, dict):  # a parameter's Ref: its default
            memory = parameter_defaults(t)[memory["Ref"]]
        specs[lid] = FunctionSpec(
            logical_id=lid,
            code_uri=str(props["CodeUri"]),
            handler=str(props["Handler"]),
            environment={**_environment(defaults), **_environment(_properties(resource))},
            events=[
                EventSpec(name, event["Type"], dict(event.get("Properties") or {}))
                for name, event in (props.get("Events") or {}).items()
            ],
            timeout=int(timeout) if timeout is not None else None,
            memory_size=int(memory) if memory is not None else None,
            on_failure_queue=_on_failure_queue(props.get("EventInvokeConfig") or {}),
        )
    return specs


def _on_failure_queue(props: Mapping[str, Any]) -> str | None:
    """The queue named by ``DestinationConfig.OnFailure`` (an SQS destination), if any."""
    on_failure = (props.get("DestinationConfig") or {}).get("OnFailure")
    if not on_failure:
        return None
    if on_failure.get("Type", "SQS") != "SQS":
        raise TemplateError(f"only SQS failure destinations are read, not {on_failure!r}")
    return _referenced_id(on_failure["Destination"])


def parameter_defaults(t: Mapping[str, Any]) -> dict[str, str]:
    """Each parameter's default as the string CloudFormation would pass on."""
    defaults: dict[str, str] = {}
    for name, declaration in (t.get("Parameters") or {}).items():
        if "Default" in declaration:
            default = declaration["Default"]
            defaults[name] = (
                ",".join(map(str, default)) if isinstance(default, list) else str(default)
            )
    return defaults


_PARAMETER_ONLY_SCHEDULE_KEYS: Final = (
    "ScheduleExpression",
    "ScheduleExpressionTimezone",
    "StartDate",
    "EndDate",
)


def _events_of_type(t: Mapping[str, Any], event_type: str) -> Iterator[tuple[str, str, EventSpec]]:
    """(SAM's logical id for the event source, function id, event) for one event type."""
    for function in functions(t).values():
        for event in function.events:
            if event.type == event_type:
                yield f"{function.logical_id}{event.name}", function.logical_id, event


def schedules(
    t: Mapping[str, Any], params: Mapping[str, str] | None = None
) -> dict[str, ScheduleSpec]:
    """Every ScheduleV2 event, by SAM's logical id (function id + event name).

    Expression, time zone and dates are resolved against the template's parameter
    defaults overlaid with ``params``; a date that resolves to AWS::NoValue is None.
    """
    values = {**parameter_defaults(t), **(params or {})}
    specs: dict[str, ScheduleSpec] = {}
    for lid, function_id, event in _events_of_type(t, "ScheduleV2"):
        props = event.properties
        timing = resolve(
            {key: props[key] for key in _PARAMETER_ONLY_SCHEDULE_KEYS if key in props},
            {},
            values,
            conditions=t.get("Conditions") or {},
        )
        dead_letter = (props.get("DeadLetterConfig") or {}).get("Arn")
        specs[lid] = ScheduleSpec(
            logical_id=lid,
            function_logical_id=function_id,
            expression=as_text(timing["ScheduleExpression"]),
            timezone=timing.get("ScheduleExpressionTimezone"),
            input=json.loads(props["Input"]) if "Input" in props else {},
            start_date=timing.get("StartDate"),
            end_date=timing.get("EndDate"),
            name=props.get("Name"),
            retry_policy={k: int(v) for k, v in (props.get("RetryPolicy") or {}).items()},
            dead_letter_queue=_referenced_id(dead_letter) if dead_letter else None,
        )
    return specs


def sqs_event_sources(t: Mapping[str, Any]) -> dict[str, SqsEventSourceSpec]:
    """Every SQS event of a function, by SAM's logical id (function id + event name)."""
    specs: dict[str, SqsEventSourceSpec] = {}
    for lid, function_id, event in _events_of_type(t, "SQS"):
        props = event.properties
        concurrency = (props.get("ScalingConfig") or {}).get("MaximumConcurrency")
        specs[lid] = SqsEventSourceSpec(
            logical_id=lid,
            function_logical_id=function_id,
            queue_logical_id=_referenced_id(props["Queue"]),
            batch_size=int(props.get("BatchSize", 10)),
            max_concurrency_param=_referenced_id(concurrency) if concurrency else None,
            report_batch_item_failures=_reports_item_failures(props),
        )
    return specs


def stream_event_sources(t: Mapping[str, Any]) -> dict[str, StreamEventSourceSpec]:
    """Every DynamoDB stream event of a function, by SAM's logical id."""
    specs: dict[str, StreamEventSourceSpec] = {}
    for lid, function_id, event in _events_of_type(t, "DynamoDB"):
        props = event.properties
        specs[lid] = StreamEventSourceSpec(
            logical_id=lid,
            function_logical_id=function_id,
            table_logical_id=_referenced_id(props["Stream"]),
            batch_size=int(props.get("BatchSize", 100)),
            starting_position=str(props["StartingPosition"]),
            filters=[
                json.loads(f["Pattern"])
                for f in (props.get("FilterCriteria") or {}).get("Filters", [])
            ],
            report_batch_item_failures=_reports_item_failures(props),
            on_failure_queue=_on_failure_queue(props),
            max_record_age_seconds=(
                int(props["MaximumRecordAgeInSeconds"])
                if "MaximumRecordAgeInSeconds" in props
                else None
            ),
            bisect_on_error=bool(props.get("BisectBatchOnFunctionError", False)),
        )
    return specs


def _reports_item_failures(props: Mapping[str, Any]) -> bool:
    return "ReportBatchItemFailures" in props.get("FunctionResponseTypes", [])


# ---------------------------------------------------------------------------- intrinsics


class _Sentinel(Enum):
    NO_VALUE = "AWS::NoValue"


NO_VALUE: Final = _Sentinel.NO_VALUE
"""What ``!Ref AWS::NoValue`` resolves to; containers drop it, as CloudFormation does."""

PSEUDO_DEFAULTS: Final[Mapping[str, str]] = {
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}
_SUB_VARIABLE: Final = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class _Context:
    refs: Mapping[str, Any]
    params: Mapping[str, str]
    getatts: Mapping[tuple[str, str], Any]
    conditions: Mapping[str, Any]


def resolve(
    value: Any,
    refs: Mapping[str, Any],
    params: Mapping[str, str],
    *,
    getatts: Mapping[tuple[str, str], Any] | None = None,
    conditions: Mapping[str, Any] | None = None,
) -> Any:
    """Evaluate the intrinsic functions in ``value``.

    ``refs`` maps logical ids and pseudo parameters (AWS::Region, AWS::AccountId,
    AWS::StackName; AWS::Partition and AWS::URLSuffix default to the commercial
    partition) to what ``Ref`` returns; ``params`` holds parameter values; ``getatts``
    maps (logical id, attribute) to what ``Fn::GetAtt`` returns; ``conditions`` is the
    template's raw Conditions section, evaluated on demand for ``Fn::If``.
    """
    context = _Context(refs, params, getatts or {}, conditions or {})
    return _resolve(value, context)


def _resolve(value: Any, ctx: _Context) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, argument),) = value.items()
            handler = _INTRINSICS.get(key)
            if handler is not None:
                return handler(argument, ctx)
        resolved = {k: _resolve(v, ctx) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}
    if isinstance(value, list):
        return [item for item in (_resolve(v, ctx) for v in value) if item is not NO_VALUE]
    return value


def as_text(value: Any) -> str:
    """A resolved scalar as the string CloudFormation would make of it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise UnresolvableError(f"{value!r} cannot be used as a string")


def _ref(name: str, ctx: _Context) -> Any:
    if name == "AWS::NoValue":
        return NO_VALUE
    if name in ctx.params:
        return ctx.params[name]
    if name in ctx.refs:
        return ctx.refs[name]
    if name in PSEUDO_DEFAULTS:
        return PSEUDO_DEFAULTS[name]
    raise UnresolvableError(f"Ref {name} is neither a known parameter nor a provisioned resource")


def _getatt(argument: Any, ctx: _Context) -> Any:
    logical_id, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
    try:
        return ctx.getatts[(logical_id, as_text(_resolve(attribute, ctx)))]
    except KeyError:
        raise UnresolvableError(f"Fn::GetAtt {logical_id}.{attribute} was not provided") from None


def _sub(argument: Any, ctx: _Context) -> str:
    text, variables = (argument, {}) if isinstance(argument, str) else argument
    local = {name: _resolve(v, ctx) for name, v in variables.items()}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in local:
            return as_text(local[name])
        if "." in name and not name.startswith("AWS::"):
            return as_text(_getatt(name, ctx))
        return as_text(_ref(name, ctx))

    return _SUB_VARIABLE.sub(substitute, text)


def _condition(name: str, ctx: _Context) -> bool:
    if name not in ctx.conditions:
        raise UnresolvableError(f"condition {name} is not declared")
    return _truth(ctx.conditions[name], ctx)


def _truth(expression: Any, ctx: _Context) -> bool:
    result = _resolve(expression, ctx)
    if isinstance(result, bool):
        return result
    if result in ("true", "false"):
        return bool(result == "true")
    raise UnresolvableError(f"{expression!r} is not a condition")


def _if(argument: list[Any], ctx: _Context) -> Any:
    name, when_true, when_false = argument
    return _resolve(when_true if _condition(name, ctx) else when_false, ctx)


def _equals(argument: list[Any], ctx: _Context) -> bool:
    left, right = (as_text(_resolve(side, ctx)) for side in argument)
    return left == right


def _join(argument: list[Any], ctx: _Context) -> str:
    delimiter, items = argument
    return as_text(delimiter).join(as_text(item) for item in _resolve(items, ctx))


def _select(argument: list[Any], ctx: _Context) -> Any:
    index, items = argument
    return _resolve(items, ctx)[int(_resolve(index, ctx))]


def _split(argument: list[Any], ctx: _Context) -> list[str]:
    delimiter, text = argument
    return as_text(_resolve(text, ctx)).split(delimiter)


def _base64(argument: Any, ctx: _Context) -> str:
    return base64.b64encode(as_text(_resolve(argument, ctx)).encode()).decode()


def _unsupported(name: str) -> Callable[[Any, _Context], Any]:
    def fail(argument: Any, _ctx: _Context) -> Any:
        raise UnresolvableError(f"{name} {argument!r} cannot be evaluated locally")

    return fail


_INTRINSICS: Final[Mapping[str, Callable[[Any, _Context], Any]]] = {
    "Ref": _ref,
    "Condition": _condition,
    "Fn::Sub": _sub,
    "Fn::GetAtt": _getatt,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::Not": lambda argument, ctx: not _truth(argument[0], ctx),
    "Fn::And": lambda argument, ctx: all(_truth(item, ctx) for item in argument),
    "Fn::Or": lambda argument, ctx: any(_truth(item, ctx) for item in argument),
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::Base64": _base64,
    "Fn::FindInMap": _unsupported("Fn::FindInMap"),
    "Fn::ImportValue": _unsupported("Fn::ImportValue"),
    "Fn::GetAZs": _unsupported("Fn::GetAZs"),
}
