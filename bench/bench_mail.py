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
import time
from typing import Any

from common import NoMail, counting_requests, local_stack

from registrar import runtime
from registrar.conference import load_conference
from registrar.services.registration import RegistrationService
from registrar.store.dynamo import DynamoApplications
from registrar.submission import validate_submission
from registrar_local.seed import fake_applicant
from registrar_local.stack import LOCAL_PARAMETERS as local_parameters

ACCOUNT_RATE = int(__import__("os").environ.get("BENCH_ACCOUNT_RATE", "100"))
MAX_CONCURRENCY = 2


def run(messages: int) -> dict[str, Any]:
    conference = load_conference("kassel-2023")
    local_parameters.update(
        {"SesSendingRate": str(ACCOUNT_RATE), "MailMaxConcurrency": str(MAX_CONCURRENCY)}
    )
    configured = ACCOUNT_RATE / MAX_CONCURRENCY
    with local_stack(conference) as stack:
        stack.clock.set(conference.deadline - dt.timedelta(days=2))
        rng = random.Random(9)
        registration = RegistrationService(
            conference,
            DynamoApplications(),
            NoMail(),
            stack.clock,
            rng,
            runtime.current().applicant_keys,
        )
        # The submissions, then as in AWS: the table's stream brings each to the receipts
        # function, which registers it; the new application's insert brings its receipt.
        started = time.perf_counter()
        for number in range(messages):
            registration.submit(
                validate_submission(fake_applicant(conference, rng, number), conference)
            )
        queued = stack.pump_streams() - messages  # the records of the submissions themselves
        setup = time.perf_counter() - started
        with counting_requests() as counts:
            started = time.perf_counter()
            handled = stack.drain_mail()
            seconds = time.perf_counter() - started
        ses_calls = sum(n for k, n in counts.items() if k.startswith("sesv2:Send"))
        achieved = handled / seconds
        return {
            "messages": messages,
            "receipts_queued": queued,
            "handled": handled,
            "sent_in_outbox": len(stack.outbox.entries),
            "setup_s": round(setup, 1),
            "drain_s": round(seconds, 1),
            "configured_rate_per_s": configured,
            "achieved_rate_per_s": round(achieved, 2),
            "achieved_share_of_configured": round(achieved / configured, 3),
            "ses_calls_per_message": round(ses_calls / messages, 3),
            "requests_per_message": {k: round(v / messages, 3) for k, v in sorted(counts.items())},
        }


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
