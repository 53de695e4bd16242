"""The embedded local stack: moto's server, the template's resources, the real handlers.

One process holds everything: moto on loopback stands in for AWS (the handlers' own
requests reach its application without the socket, see ``inprocess``; the CLI and the
browser use HTTP; ``moto_in_process=False`` puts moto in a process of its own, see
``moto_process``), resources are created from ``infra/template.yaml``, the handlers are
loaded from ``functions/`` and invoked with the event shapes Lambda uses. Time is a
settable clock; moving it fires the template's schedules that fall due and then feeds
the table's stream and the mail queue to their functions, as Lambda's event source
mappings would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import random
import secrets
import threading
import urllib.request
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32
from functools import cached_property
from pathlib import Path
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from registrar.web.http import ORIGIN_VERIFY_HEADER
from registrar_local import moto_speedups, moto_streams
from registrar_local.edge import origin_verify_value
from registrar_local.events import sqs_event
from registrar_local.functions import Handler, invoke, load_handler
from registrar_local.infra import template as tpl
from registrar_local.infra.provision import ProvisionedStack, provision, register_stack_outputs
from registrar_local.inprocess import transport
from registrar_local.moto_process import MotoProcess
from registrar_local.outbox import Outbox, copy_message_id
from registrar_local.schedules import fire_times
from registrar_local.streams import StreamPump, stream_pump

REGION = "eu-central-1"
STACK_NAME = "registrar-local"
_FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}
# The local stack is one deployment of the template with its own parameters, as another
# stage would be: moto's SES has no sending rate to respect, and a failed mail is retried
# after a second, not minutes, so a demo never waits on a backoff meant for AWS.
LOCAL_PARAMETERS = {
    "SesSendingRate": "1000",
    "MailRetryBaseSeconds": "1",
    "MailRetryMaxSeconds": "1",
}
_IDLE_WAIT_SECONDS = 0.25  # polling for retried mail to become visible again


@dataclass(frozen=True)
class _MailQueueSource:
    """The mailer's SQS event source, resolved once per start."""

    client: Any
    spec: tpl.SqsEventSourceSpec
    url: str
    arn: str


@dataclass
class FiredSchedule:
    schedule: str
    at: dt.datetime
    result: Any


@dataclass
class LocalStack:
    """Start with ``start()``; ``api_url`` answers once ``serve()`` runs the gateway."""

    outbox_dir: Path
    now: dt.datetime
    port: int = 8000
    seed: int | None = None
    template_file: Path = field(default_factory=tpl.template_path)
    log_file: Path = Path(".registrar") / "functions.log"
    stack: ProvisionedStack | None = None
    # False: moto runs in a child process (``moto_process``) and the handlers reach it over
    # loopback HTTP, as functions reach AWS; for measuring the functions' own CPU apart
    # from moto's. Sent mail is then the child's to keep: reading it for the outbox fails.
    moto_in_process: bool = True
    # Opens the gateway's /_local/ controls; only the local state file tells it to the CLI.
    control_token: str = field(
        default_factory=lambda: secrets.token_urlsafe(32), init=False, repr=False
    )

    def __post_init__(self) -> None:
        from registrar.clock import SettableClock

        self.clock = SettableClock(self.now)
        self.outbox = Outbox(self.outbox_dir)
        self._moto: ThreadedMotoServer | MotoProcess | None = None
        self._handlers: dict[str, Handler] = {}
        self._streams: StreamPump | None = None
        self._mail: _MailQueueSource | None = None
        self._lock = threading.RLock()
        self._api_instance = threading.Lock()  # the api's one instance: a request at a time
        self._ses_seen = 0
        # What the public entry sends the api in X-Origin-Verify; read from the stack's
        # secret at start.
        self.origin_verify_value = ""

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint_url(self) -> str:
        if self._moto is None:
            raise RuntimeError("local stack not started")
        host, port = self._moto.get_host_and_port()
        return f"http://{host}:{port}"

    @property
    def moto_process_id(self) -> int | None:
        """moto's own process, when it runs in one (None: in this process)."""
        return self._moto.pid if isinstance(self._moto, MotoProcess) else None

    def freeze_moto_memory(self) -> None:
        """What moto in its own process holds so far stays out of its collector's walks
        (``MotoProcess.freeze_memory``); moto in this process shares the caller's collector."""
        if isinstance(self._moto, MotoProcess):
            self._moto.freeze_memory()

    def start(self) -> LocalStack:
        # moto's server logs every request line, and request lines carry tokens.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        moto_speedups.apply()
        moto_streams.apply()
        if self.moto_in_process:
            self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        else:
            self._moto = MotoProcess()
        self._moto.start()
        # moto's backends live in the process: start from an empty account even if an
        # earlier stack (or a test's mock) in this process left resources behind.
        self._reset_moto()
        os.environ.update(_FAKE_CREDENTIALS)
        os.environ["AWS_ENDPOINT_URL"] = self.endpoint_url
        if self.moto_in_process:
            transport.serve(self.endpoint_url)
        session = boto3.Session(region_name=REGION)
        template = tpl.load_template(self.template_file)
        self.stack = provision(
            template,
            session,
            stack_name=STACK_NAME,
            endpoint_url=self.endpoint_url,
            params=LOCAL_PARAMETERS,
            api_url=self.api_url,
            secret_seed=None if self.seed is None else f"registrar-local-demo-{self.seed}",
        )
        register_stack_outputs(
            session, STACK_NAME, self.stack.outputs, endpoint_url=self.endpoint_url
        )
        self.origin_verify_value = origin_verify_value(self.stack, session, self.endpoint_url)
        from registrar.conference import load_conference

        self.outbox.zone = load_conference(self.stack.outputs["ConferenceId"]).zone
        self._streams = stream_pump(self.stack, session, self.endpoint_url)
        mail = next(iter(tpl.sqs_event_sources(template).values()))
        self._mail = _MailQueueSource(
            session.client("sqs", endpoint_url=self.endpoint_url),
            mail,
            str(self.stack.refs[mail.queue_logical_id]),
            str(self.stack.getatts[(mail.queue_logical_id, "Arn")]),
        )
        for function_id in tpl.functions(template):
            os.environ.update(self.stack.function_environment(function_id))
        os.environ["PUBLIC_BASE_URL"] = self.api_url
        os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
        os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")

        from registrar import runtime

        runtime.reset()  # a new stack: new secrets, another endpoint
        runtime.use_clock(self.clock)
        if self.seed is not None:
            runtime.use_randomness(random.Random(self.seed))  # noqa: S311 - reproducible demo
        for function_id, spec in tpl.functions(template).items():
            self._handlers[function_id] = load_handler(spec, self.template_file)
        # In AWS the form's first visitor (or first receipt) draws the lottery; here the
        # start does, so a seeded demo draws it at the same point of its sequence each time.
        runtime.current().lottery.drawn()
        self._route_function_logs()
        return self

    def _route_function_logs(self) -> None:
        """Function logs go to a file, as they would go to CloudWatch, not to the console."""
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        stream = self.log_file.open("a", encoding="utf-8")
        service = os.environ.get("POWERTOOLS_SERVICE_NAME", "registrar")
        for handler in logging.getLogger(service).handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(stream)

    def stop(self) -> None:
        """Stop moto and forget everything, so another stack can start in this process."""
        if self._moto is None:
            return
        transport.stop()
        self._reset_moto()  # the backends outlive the server otherwise
        self._moto.stop()
        self._moto = None
        self._streams = None
        self._mail = None
        self._ses_seen = 0

        from registrar import runtime

        runtime.reset()

    def _reset_moto(self) -> None:
        reset = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")  # noqa: S310 - loopback
        with urllib.request.urlopen(reset, timeout=30):  # noqa: S310 - loopback moto server
            pass

    # -- invoking ----------------------------------------------------------------------
    def invoke(self, function_id: str, event: dict[str, Any]) -> Any:
        with self._lock:
            return invoke(self._handlers[function_id], function_id, event)

    def handle_http(self, event: dict[str, Any]) -> dict[str, Any]:
        """The API function, as API Gateway calls it for the public entry, which adds its
        origin header (``registrar_local.edge``).

        One request at a time, as one Lambda instance serves them: the gateway's threads
        would otherwise run the handler side by side in this process, and Powertools'
        resolver keeps the request it serves on a class attribute
        (``BaseRouter.current_event``), so a route could read another request's body: its
        own submission lost, the other's stored twice (seen once in 2,000 submissions
        from 32 clients). The stream pump and the mail may run meanwhile, as in AWS."""
        event["headers"][ORIGIN_VERIFY_HEADER] = self.origin_verify_value
        with self._api_instance:
            result: dict[str, Any] = invoke(
                self._handlers[self._api_function], "ApiFunction", event
            )
        return result

    @cached_property
    def _api_function(self) -> str:
        """Found in the template once, not on every request."""
        return next(
            fid
            for fid, spec in tpl.functions(self._template).items()
            if any(e.type == "HttpApi" for e in spec.events)
        )

    @property
    def _template(self) -> dict[str, Any]:
        if self.stack is None:
            raise RuntimeError("local stack not started")
        return dict(self.stack.template)

    # -- time and schedules ------------------------------------------------------------
    def advance_to(self, instant: dt.datetime) -> list[FiredSchedule]:
        """Move the clock, fire every schedule that falls due on the way, drain the mail."""
        from registrar import runtime

        with self._lock:
            fired: list[FiredSchedule] = []
            before = self.clock.now()
            if instant < before:
                raise ValueError("the local clock only moves forward")
            if instant - before >= dt.timedelta(seconds=runtime.TOKEN_SECRET_MAX_AGE_SECONDS):
                # As long after, the functions would have read their secrets again (a
                # rotated link key among them): their cache counts real time.
                runtime.forget_secrets()
            due: list[tuple[dt.datetime, tpl.ScheduleSpec]] = []
            specs = tpl.schedules(self._template, self.stack.params if self.stack else None)
            for spec in specs.values():
                due.extend((at, spec) for at in fire_times(spec, before, instant))
            for at, spec in sorted(due, key=lambda pair: pair[0]):
                self.clock.set(at)
                event = {**spec.input, "scheduled_time": at.astimezone(dt.UTC).isoformat()}
                result = self.invoke(spec.function_logical_id, event)
                fired.append(FiredSchedule(spec.logical_id, at, result))
                self.drain_mail()
            self.clock.set(instant)
            self.drain_mail()
            return fired

    # -- mail --------------------------------------------------------------------------
    def drain_mail(self, max_rounds: int = 10_000) -> int:
        """Feed the table streams, then the mail queue, to their functions; return mail handled.

        New applications' receipts are queued from the stream first (see ``streams``). Then,
        as Lambda's SQS event source mapping does: successful records are deleted (in one
        batch request), failed ones are left alone; the mailer has hidden each for its
        backoff (a second locally, see LOCAL_PARAMETERS), and the queue's redrive policy
        dead-letters one that keeps failing. The pump waits while retried mail is hidden.
        """
        mail = self._mail
        if mail is None:
            raise RuntimeError("local stack not started")
        sqs, source, queue_url, queue_arn = mail.client, mail.spec, mail.url, mail.arn
        handled = 0
        with self._lock:  # reentrant: the stream pump and the handlers take it too
            self.pump_streams()
            for _ in range(max_rounds):
                received = sqs.receive_message(
                    QueueUrl=queue_url,
                    MaxNumberOfMessages=source.batch_size,
                    AttributeNames=["All"],
                    WaitTimeSeconds=0,
                )
                messages = received.get("Messages", [])
                if not messages:
                    if self._queue_has_invisible(sqs, queue_url):
                        threading.Event().wait(_IDLE_WAIT_SECONDS)
                        continue
                    break
                response = self.invoke(source.function_logical_id, sqs_event(messages, queue_arn))
                failed = {
                    f["itemIdentifier"] for f in (response or {}).get("batchItemFailures", [])
                }
                done = [m for m in messages if m["MessageId"] not in failed]
                if done:
                    sqs.delete_message_batch(
                        QueueUrl=queue_url,
                        Entries=[
                            {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]}
                            for n, m in enumerate(done)
                        ],
                    )
                    handled += len(done)
                self.collect_sent_mail()
            self.collect_sent_mail()
            self.outbox.write_index()
        return handled

    def pump_streams(self) -> int:
        """Hand new table stream records to their functions; return how many were handed on."""
        if self._streams is None:
            raise RuntimeError("local stack not started")
        with self._lock:
            return self._streams.pump(self.invoke)

    @staticmethod
    def _queue_has_invisible(sqs: Any, queue_url: str) -> bool:
        attributes = sqs.get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
        )["Attributes"]
        return int(attributes.get("ApproximateNumberOfMessagesNotVisible", "0")) > 0

    def collect_sent_mail(self) -> None:
        """Copy what moto's SES accepted since the last look into the outbox folder."""
        sent = self._ses_sent()
        new: list[tuple[bytes, list[str]]] = []
        for message in sent[self._ses_seen :]:
            raw = getattr(message, "raw_data", None)
            if raw is not None:
                data = raw.encode() if isinstance(raw, str) else raw
                # moto lists each recipient twice
                new.append((data, list(dict.fromkeys(getattr(message, "destinations", []) or []))))
        self._ses_seen = len(sent)
        # The mail's To carries the address alone, so the index names the person from their
        # application (none once erased): one batch read for what came since the last look.
        names = self._names_of({address for _, recipients in new for address in recipients})
        for data, recipients in new:
            named = [names[address] for address in recipients if address in names]
            self.outbox.add(data, recipients, ", ".join(named))

    def forget_mail(self, address: str) -> int:
        """An erased person's mail leaves the local stack: the outbox folder's messages and
        index entries to their address, and the copies moto's SES keeps. How many went."""
        from registrar.address import UndeliverableAddress, deliverable_address

        addresses = {address.strip().lower()}
        with contextlib.suppress(UndeliverableAddress):
            addresses.add(deliverable_address(address).lower())
        with self._lock:
            self.collect_sent_mail()
            sent = self._ses_sent()
            theirs = [
                message
                for message in sent
                if {str(d).lower() for d in getattr(message, "destinations", []) or []} & addresses
            ]
            copies = {copy_message_id(_message_id(message)) for message in theirs}
            theirs += [message for message in sent if _message_id(message) in copies]
            sent[:] = [message for message in sent if message not in theirs]
            self._ses_seen = len(sent)
            return self.outbox.forget(addresses)

    def _ses_sent(self) -> list[Any]:
        """The messages moto's SES keeps (moto's own list), read in this process."""
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        if not self.moto_in_process:
            raise RuntimeError("sent mail is kept by moto's own process: no outbox")
        sent: list[Any] = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
        return sent

    def _names_of(self, addresses: set[str]) -> dict[str, str]:
        """Each address's applicant's display name, where it has an application with one."""
        from registrar import runtime
        from registrar.store.dynamo import DynamoApplications

        if self.stack is None or not addresses:
            return {}
        event = self.stack.outputs["ConferenceId"]
        keys = runtime.current().applicant_keys
        key_of = {(event, keys.of(event, address)): address for address in addresses}
        found = DynamoApplications().get_many(key_of).applications
        return {
            key_of[key]: application.display_name
            for key, application in found.items()
            if application.display_name and not application.erased
        }

    def state(self) -> dict[str, Any]:
        """What ``registrar --local`` needs to reach this stack."""
        return {
            "api_url": self.api_url,
            "endpoint_url": self.endpoint_url,
            "stack_name": STACK_NAME,
            "region": REGION,
            "now": self.clock.now().isoformat(),
            "outbox": str(self.outbox_dir),
            "control_token": self.control_token,
        }


def _message_id(sent: Any) -> str:
    """The Message-ID header of a message moto's SES keeps ("" if it has none)."""
    raw = getattr(sent, "raw_data", None)
    if raw is None:
        return ""
    data = raw.encode() if isinstance(raw, str) else raw
    return str(BytesHeaderParser(policy=compat32).parsebytes(data).get("Message-ID", "")).strip()
