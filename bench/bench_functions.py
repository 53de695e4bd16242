"""Benchmark: cold start and warm submission cost of the functions against a minimal reference.

The reference is the least a Python Lambda writing to DynamoDB can do: import boto3 and put
one item. Both run against the same moto server (the embedded local stack's), so the ratio
isolates what the function adds. Beside them runs the floor (``floor_api.py``): the least
api the chosen stack allows (Powertools' resolver validating a pydantic body, Powertools'
Logger, a conditional pynamodb put). The floor's ratio to the reference is what the chosen
libraries cost; the api's ratio to the floor is what registrar's own code costs. The mailer
has a floor of its own (``floor_mailer.py``: the least receipt mailer of the stack), started
cold beside it with the same first event.

- cold: a fresh ``python`` process per sample loads the handler module and serves its first
  event (from ``events/``; the mailer's sends a real receipt, to an application stored for
  it); the process's own timer covers import + first event, the parent's
  covers the whole process. The samples are taken round by round (the reference, the floor,
  each function, then again), and the medians compared. ``-X importtime`` shows where the
  api function's import goes. The api is also started with no bytecode to use, as on
  Lambda's read-only disk when the build ships no .pyc files (``make build`` compiles them).
- warm: in this process, the api handler and the floor serve valid JSON submissions one
  after another, the reference puts items, and a second reference puts items as the api
  stores them, raw and with the same condition (the least "one write of the application"
  can cost, so what the handler itself adds). They take turns, a share of each per round.
  Every AWS request of the api is counted by service and operation. The receipts the
  table's stream brings to the receipts function are measured apart: nobody waits for
  them. All reach moto through the local stack's in-process transport, which also times
  moto's answers: the "own" figures leave that time out, leaving what the caller itself
  spends (botocore included).
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import gc
import importlib.util
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import counting_requests, local_stack

from registrar import prebuilt
from registrar.conference import load_conference
from registrar.mail.sample import sample_application
from registrar.store.dynamo import DynamoApplications, _received_item
from registrar.store.interfaces import ReceivedSubmission
from registrar.store.models import MessageItem
from registrar_local.events import http_api_event
from registrar_local.functions import invoke
from registrar_local.infra import template as tpl
from registrar_local.inprocess import transport
from registrar_local.seed import fake_applicant
from registrar_local.stack import LocalStack

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
FLOOR = Path(__file__).resolve().parent / "floor_api.py"  # the chosen stack's least api
FLOOR_MAILER = Path(__file__).resolve().parent / "floor_mailer.py"  # and its least mailer
RECEIPTS = 200  # new applications whose receipts are timed
FORM_PAGE = "ApiFunctionFormPage"  # the api's first request being GET / (the form)
FORM_EVENT = "api-get-form.json"
FIRST_EVENTS = {
    "ApiFunction": "api-post-application-json.json",
    "AdmissionsFunction": "scheduler-deadline.json",
    "MailerFunction": "sqs-mail-receipt.json",
    "ReceiptsFunction": "dynamodb-stream-new-application.json",
}

_CHILD = r"""
import json, os, sys, time
started = time.perf_counter()
mode, path, event_file, clock_at, table = sys.argv[1:6]
if mode == "reference":
    import boto3
    client = boto3.client("dynamodb")
    def handler(event, context):
        client.put_item(TableName=table, Item={"event_id": {"S": "bench"},
                        "applicant_key": {"S": event["key"]}, "data": {"S": "{}"}})
        return {"statusCode": 201}
    event = {"key": str(time.time_ns())}
else:
    import importlib.util
    spec = importlib.util.spec_from_file_location("handler_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    handler = module.lambda_handler
    if mode == "function":
        import datetime as dt
        from registrar import runtime
        from registrar.clock import SettableClock
        runtime.use_clock(SettableClock(dt.datetime.fromisoformat(clock_at)))
    event = json.loads(open(event_file, encoding="utf-8").read())
    if "requestContext" in event:  # through the public entry, which adds its header
        event["headers"]["x-origin-verify"] = os.environ["BENCH_ORIGIN_VERIFY"]
    if "body" in event and "email" in (event.get("body") or ""):
        body = json.loads(event["body"])
        body["email"] = f"cold{time.time_ns()}@example.org"
        event["body"] = json.dumps(body)
    for record in event.get("Records", []):  # a message of its own: each id is sent once
        if record.get("eventSource") == "aws:sqs":
            body = json.loads(record["body"])
            body["message_id"] = os.urandom(20).hex()
            record["body"] = json.dumps(body)
imported = time.perf_counter()
class Context:
    function_name = "bench"; memory_limit_in_mb = 512; aws_request_id = "cold"
    invoked_function_arn = "arn:aws:lambda:eu-central-1:000000000000:function:bench"
    def get_remaining_time_in_millis(self): return 60000
result = handler(event, Context())
done = time.perf_counter()
status = result.get("statusCode") if isinstance(result, dict) else None
failed = len(result.get("batchItemFailures") or []) if isinstance(result, dict) else 0
print(json.dumps({"import_s": imported - started, "first_event_s": done - imported,
                  "total_s": done - started, "status": status, "failed": failed}))
"""


def _child(
    mode: str,
    path: str,
    event: str,
    clock_at: str,
    table: str,
    importtime: bool = False,
    empty_bytecode_cache: str | None = None,
) -> tuple[dict[str, Any], str, float]:
    env = dict(os.environ)
    if empty_bytecode_cache:  # as on Lambda's read-only disk when no .pyc is shipped
        env["PYTHONPYCACHEPREFIX"] = empty_bytecode_cache  # stays empty: nothing is written
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    argv = [
        sys.executable,
        *(["-X", "importtime"] if importtime else []),
        "-c",
        _CHILD,
        mode,
        path,
        event,
        clock_at,
        table,
    ]
    started = time.perf_counter()
    completed = subprocess.run(argv, capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    return json.loads(completed.stdout.strip().splitlines()[-1]), completed.stderr, wall


def _top_imports(stderr: str, count: int = 12) -> list[dict[str, Any]]:
    """The largest cumulative import costs of top-level packages (``-X importtime``)."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_part, cumulative, name = line.removeprefix("import time:").split("|", 2)
        rows.append((name[1:], int(cumulative), int(self_part)))
    top_level = [r for r in rows if not r[0].startswith(" ")]
    top_level.sort(key=lambda r: r[1], reverse=True)
    return [
        {"module": n.strip(), "cumulative_ms": round(c / 1000, 1), "self_ms": round(s / 1000, 1)}
        for n, c, s in top_level[:count]
    ]


def cold(stack: LocalStack, samples: int) -> dict[str, Any]:
    # As the build does: the package's data made ready to load (registrar.prebuilt: the
    # YAML, the compiled templates), then everything compiled to bytecode. Where Python
    # may not write bytecode on import (PYTHONDONTWRITEBYTECODE) a module without current
    # bytecode is compiled in every sample: until 2 December the templates were written
    # after compiling, and each mailer start compiled five of them, the form page three.
    prebuilt.write(ROOT / "layers" / "registrar" / "registrar")
    for folder in (ROOT / "layers" / "registrar" / "registrar", ROOT / "functions"):
        compileall.compile_dir(folder, quiet=1)
    conference = load_conference("kassel-2023")
    assert stack.stack is not None
    template = dict(stack.stack.template)
    table = (
        str(stack.stack.refs["ApplicationsTable"])
        if "ApplicationsTable" in stack.stack.refs
        else os.environ["APPLICATIONS_TABLE"]
    )
    open_at = (conference.deadline - dt.timedelta(days=3)).isoformat()
    after = (conference.closes_at + dt.timedelta(minutes=1)).isoformat()
    os.environ["BENCH_ORIGIN_VERIFY"] = stack.origin_verify_value
    # The mailer's first event is a real receipt: the application its request names exists
    # (else the mailer ends early, "gone", and writes nothing); each sample sends it anew.
    mail_request = json.loads(
        json.loads((EVENTS / FIRST_EVENTS["MailerFunction"]).read_text())["Records"][0]["body"]
    )
    receiver = sample_application(
        conference, "de", dt.datetime.fromisoformat(open_at), kind="receipt"
    ).model_copy(update={"applicant_key": mail_request["applicant_key"]})
    assert DynamoApplications().add(receiver)
    api_event = str(EVENTS / FIRST_EVENTS["ApiFunction"])
    mail_event = str(EVENTS / FIRST_EVENTS["MailerFunction"])
    # Every contender as (mode, handler file, first event, clock); the samples are taken
    # round by round, one of each per round, so drift on the machine touches all alike.
    contenders: dict[str, tuple[str, str, str, str]] = {
        "reference": ("reference", "", "", ""),
        "floor": ("floor", str(FLOOR), api_event, ""),
        "floor_mailer": ("floor", str(FLOOR_MAILER), mail_event, ""),
    }
    for function_id, spec in tpl.functions(template).items():
        event_name = FIRST_EVENTS.get(function_id)
        if event_name is None:
            continue
        module = spec.code_dir(tpl.template_path()) / (
            spec.handler.rpartition(".")[0].replace(".", "/") + ".py"
        )
        at = after if function_id == "AdmissionsFunction" else open_at
        contenders[function_id] = ("function", str(module), str(EVENTS / event_name), at)
        if function_id == "ApiFunction":  # the form page, what an applicant opens first
            contenders[FORM_PAGE] = ("function", str(module), str(EVENTS / FORM_EVENT), at)
    samples_of: dict[str, list[tuple[dict[str, Any], str, float]]] = {n: [] for n in contenders}
    for _ in range(samples):
        for name, (mode, path, event, at) in contenders.items():
            samples_of[name].append(_child(mode, path, event, at, table))

    def median(name: str, figure: str) -> float:
        return statistics.median(r[0][figure] for r in samples_of[name])

    def wall(name: str) -> float:
        return statistics.median(r[2] for r in samples_of[name])

    sent = [m for m in MessageItem.scan() if m.state == "sent" and m.kind == "receipt"]
    assert len(sent) == samples, "the mailer's first event sent no receipt"
    # The floor keeps no record of what it sent: that it answered no failure says it sent.
    assert not any(r[0]["failed"] for r in samples_of["floor_mailer"]), "the floor sent nothing"
    ref_total, ref_wall = median("reference", "total_s"), wall("reference")
    results: dict[str, Any] = {
        "samples": samples,
        "reference": {"in_process_s": round(ref_total, 3), "process_wall_s": round(ref_wall, 3)},
    }
    for name in contenders:
        if name == "reference":
            continue
        results[name] = {
            "in_process_s": round(median(name, "total_s"), 3),
            "import_s": round(median(name, "import_s"), 3),
            "first_event_s": round(median(name, "first_event_s"), 3),
            "process_wall_s": round(wall(name), 3),
            "status": samples_of[name][0][0]["status"],
            "ratio_to_reference": round(median(name, "total_s") / ref_total, 2),
            "process_ratio_to_reference": round(wall(name) / ref_wall, 2),
        }

    def against(name: str, floor_name: str = "floor") -> dict[str, Any]:
        """``name`` over its floor: the medians' ratio, and the range of the rounds' ratios
        (one sample of each per round, side by side)."""
        rounds = [
            mine[0]["total_s"] / floor[0]["total_s"]
            for mine, floor in zip(samples_of[name], samples_of[floor_name], strict=True)
        ]
        return {
            "ratio_to_floor": round(median(name, "total_s") / median(floor_name, "total_s"), 2),
            "ratio_to_floor_range": [round(min(rounds), 2), round(max(rounds), 2)],
        }

    if FORM_PAGE in results:  # against the floor's cold submission
        results[FORM_PAGE].update(against(FORM_PAGE))
    if "MailerFunction" in results:  # against the least mailer of the stack
        results["MailerFunction"].update(against("MailerFunction", "floor_mailer"))
    if "ApiFunction" in results:
        api = results["ApiFunction"]
        api.update(against("ApiFunction"))
        api["process_ratio_to_floor"] = round(wall("ApiFunction") / wall("floor"), 2)
        _, module, event, at = contenders["ApiFunction"]
        with tempfile.TemporaryDirectory(prefix="no-bytecode-") as empty:
            bare = [
                _child("function", module, event, at, table, empty_bytecode_cache=empty)[0]["total_s"]
                for _ in range(samples)
            ]  # fmt: skip
        api["without_bytecode_s"] = round(statistics.median(bare), 3)
        api["without_bytecode_ratio"] = round(
            statistics.median(bare) / median("ApiFunction", "total_s"), 2
        )
        _, stderr, _ = _child("function", module, event, at, table, importtime=True)
        api["top_imports"] = _top_imports(stderr)
    return results


def warm(stack: LocalStack, submissions: int, rounds: int = 50) -> dict[str, Any]:
    import random

    import boto3

    conference = load_conference("kassel-2023")
    stack.clock.set(conference.deadline - dt.timedelta(days=3))
    handler = stack._handlers["ApiFunction"]
    rng = random.Random(3)
    table = os.environ["APPLICATIONS_TABLE"]
    client = boto3.client("dynamodb")
    numbers = itertools.count()

    def event() -> dict[str, Any]:
        number = next(numbers)
        body = fake_applicant(conference, rng, number)
        body["email"] = f"warm{number:06d}-{uuid.uuid4().hex[:6]}@example.org"
        return http_api_event(
            "POST",
            "/applications",
            "",
            {
                "content-type": "application/json",
                "accept": "application/json",
                "x-origin-verify": stack.origin_verify_value,
            },
            json.dumps(body).encode(),
            source_ip="127.0.0.1",
            now=stack.clock.now(),
        )

    spec = importlib.util.spec_from_file_location("floor_api", FLOOR)
    assert spec is not None and spec.loader is not None
    floor_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(floor_module)
    floor = floor_module.lambda_handler

    def submit(target: Any, name: str) -> Callable[[dict[str, Any]], None]:
        def one(item: dict[str, Any]) -> None:
            response = invoke(target, name, item)
            assert response["statusCode"] == 202, response

        return one

    def put(condition: str | None) -> Callable[[dict[str, Any]], None]:
        extra = {"ConditionExpression": condition} if condition else {}
        return lambda item: client.put_item(TableName=table, Item=item, **extra)

    def reference_item(key: str) -> dict[str, Any]:
        data = json.dumps(fake_applicant(conference, rng, next(numbers)))
        return {"event_id": {"S": "bench"}, "applicant_key": {"S": key}, "data": {"S": data}}

    calls: dict[str, Callable[[dict[str, Any]], None]] = {
        "api": submit(handler, "ApiFunction"),
        "floor": submit(floor, "Floor"),
        "reference": put(None),
        "same_item": put(None),
    }
    for n in range(50):  # warm up: caches, connections, the secret
        calls["api"](event())
        calls["floor"](event())
        calls["reference"](reference_item(f"w{n}"))
    stack.pump_streams()  # what the cold starts and the warm-up wrote

    # Off the request path: what the stream brings to the receipts function (each submission
    # registered, then the new application's receipt queued).
    for _ in range(RECEIPTS):
        calls["api"](event())
    with counting_requests() as receipt_counts:
        started = time.perf_counter()
        streamed = stack.pump_streams()
        receipts_seconds = (time.perf_counter() - started) / max(streamed, 1)

    # The write the issue asks for, alone: items as the api writes them (a submission as
    # received, under a new random key, without a condition), put raw. What the api adds is
    # the rest.
    shapes = [a for a in DynamoApplications().list(conference.id) if not a.erased][:50]
    inputs: dict[str, list[dict[str, Any]]] = {
        "api": [event() for _ in range(submissions)],
        "floor": [event() for _ in range(submissions)],
        "reference": [reference_item(f"r{n}") for n in range(submissions)],
        "same_item": [
            _received_item(
                ReceivedSubmission(conference.id, f"#received-same{n}", shapes[n % len(shapes)])
            ).serialize()
            for n in range(submissions)
        ],
    }
    # Round by round, a small share of each in an order drawn anew each round, so that
    # drift on the machine touches all alike: with five rounds of 100, three runs of the
    # same code gave the api 0.92x, 1.17x and 1.22x the floor (2 December).
    seconds: Counter[str] = Counter()
    serving: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    share = -(-submissions // rounds)
    order = list(calls)
    for start in range(0, submissions, share):
        rng.shuffle(order)
        # This process also holds moto's whole state: a full collection of it would land
        # in whichever chunk is running. Collect between rounds instead, for all alike.
        gc.collect()
        gc.disable()
        for name in order:
            chunk = inputs[name][start : start + share]
            # Every contender runs under the request counter alike (the api's are kept).
            with counting_requests() as requests:
                began, served = time.perf_counter(), transport.serving_seconds
                for item in chunk:
                    calls[name](item)
                seconds[name] += time.perf_counter() - began
                serving[name] += transport.serving_seconds - served
            if name == "api":
                counts.update(requests)
        gc.enable()

    def each(name: str) -> float:
        return seconds[name] / submissions

    def own(name: str) -> float:
        return (seconds[name] - serving[name]) / submissions

    return {
        "submissions": submissions,
        "rounds": rounds,
        "api_ms_per_submission": round(each("api") * 1000, 2),
        "reference_ms_per_put": round(each("reference") * 1000, 2),
        "ratio_to_reference": round(each("api") / each("reference"), 2),
        # Without the time moto spends answering as AWS: the caller's own cost.
        "api_own_ms_per_submission": round(own("api") * 1000, 2),
        "reference_own_ms_per_put": round(own("reference") * 1000, 2),
        "own_ratio_to_reference": round(own("api") / own("reference"), 2),
        "floor_ms_per_submission": round(each("floor") * 1000, 2),
        "floor_ratio_to_reference": round(each("floor") / each("reference"), 2),
        "ratio_to_floor": round(each("api") / each("floor"), 2),
        "own_ratio_to_floor": round(own("api") / own("floor"), 2),
        "same_item_put_ms": round(each("same_item") * 1000, 2),
        "same_item_put_ratio_to_reference": round(each("same_item") / each("reference"), 2),
        "ratio_to_same_item_put": round(each("api") / each("same_item"), 2),
        "own_ratio_to_same_item_put": round(own("api") / own("same_item"), 2),
        "dynamodb_requests_per_submission": round(
            sum(v for k, v in counts.items() if k.startswith("dynamodb:")) / submissions, 2
        ),
        "requests_per_submission": {
            k: round(v / submissions, 2) for k, v in sorted(counts.items())
        },
        "receipts_after_the_request": {
            "stream_records": streamed,
            "ms_per_record": round(receipts_seconds * 1000, 3),
            "requests_per_record": {
                k: round(v / max(streamed, 1), 3) for k, v in sorted(receipt_counts.items())
            },
        },
    }


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    conference = load_conference("kassel-2023")
    with local_stack(conference) as stack:
        results = {
            "cold_start": cold(stack, args.samples),
            "warm_submission": warm(stack, args.submissions),
        }
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
