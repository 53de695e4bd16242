"""Benchmark: 10,000 messages through the local stack's mailer at a configured sending rate.

The local stack plays one mailer instance. The template requires at least two concurrent
instances (``MailMaxConcurrency`` >= 2, an AWS minimum) and each paces itself at
``SesSendingRate / MailMaxConcurrency``; the stack is deployed with a rate of 100 and a
concurrency of 2, so the one instance measured is configured for 50 messages per second.
Reported: achieved rate / configured rate (target >= 0.9) and SES calls per message
(target exactly 1), counted at the botocore client.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_admissions_run import _NoMail, counting_requests

from registrar import runtime
from registrar.conference import load_conference
from registrar.identity import applicant_key
from registrar.mail_queue import MailRequest
from registrar.services.registration import RegistrationService
from registrar.store.dynamo import DynamoApplications
from registrar.submission import validate_submission
from registrar_cli.local import stack as local_stack
from registrar_cli.local.seed import fake_applicant
from registrar_cli.local.stack import LocalStack

ACCOUNT_RATE = int(__import__("os").environ.get("BENCH_ACCOUNT_RATE", "100"))
MAX_CONCURRENCY = 2


def run(messages: int) -> dict[str, Any]:
    conference = load_conference("kassel-2023")
    local_stack.LOCAL_PARAMETERS.update(
        {"SesSendingRate": str(ACCOUNT_RATE), "MailMaxConcurrency": str(MAX_CONCURRENCY)}
    )
    configured = ACCOUNT_RATE / MAX_CONCURRENCY
    with tempfile.TemporaryDirectory() as folder:
        stack = LocalStack(
            outbox_dir=Path(folder) / "outbox", now=conference.opens_at, port=0, seed=1
        )
        stack.log_file = Path(folder) / "functions.log"
        stack.start()
        try:
            stack.clock.set(conference.deadline - dt.timedelta(days=2))
            rng = random.Random(9)
            registration = RegistrationService(
                conference, DynamoApplications(), _NoMail(), stack.clock, rng
            )
            started = time.perf_counter()
            requests = []
            for number in range(messages):
                body = fake_applicant(conference, rng, number)
                registration.submit(validate_submission(body, conference))
                key = applicant_key(conference.id, body["email"])
                requests.append(MailRequest.create("receipt", conference.id, key, 0))
            runtime.current().mail_queue.enqueue(requests)
            setup = time.perf_counter() - started
            with counting_requests() as counts:
                started = time.perf_counter()
                handled = stack.drain_mail()
                seconds = time.perf_counter() - started
            ses_calls = sum(n for k, n in counts.items() if k.startswith("sesv2:Send"))
            achieved = handled / seconds
            return {
                "messages": messages,
                "handled": handled,
                "sent_in_outbox": len(stack.outbox.entries),
                "setup_s": round(setup, 1),
                "drain_s": round(seconds, 1),
                "configured_rate_per_s": configured,
                "achieved_rate_per_s": round(achieved, 2),
                "achieved_share_of_configured": round(achieved / configured, 3),
                "ses_calls_per_message": round(ses_calls / messages, 3),
                "requests_per_message": {
                    k: round(v / messages, 3) for k, v in sorted(counts.items())
                },
            }
        finally:
            stack.stop()


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = run(args.messages)
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
