"""Pacing and retry backoff: the token bucket on a fake clock, the mailer's use of both."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.mail.compose import sample_application
from registrar.mail_queue import MailRequest
from registrar.pacing import (
    BURST_SECONDS,
    TokenBucket,
    backoff_seconds,
    burst_capacity,
    instance_rate,
)
from registrar.services.lottery import LotteryService
from registrar.services.mailing import (
    DecisionNotYetStored,
    MailerConfig,
    MailerService,
    RetryPolicy,
    retry_delay,
)
from registrar.ses import SendRefused
from registrar.tokens import TokenSigner
from registrar_local.infra.template import functions, load_template, sqs_event_sources
from tests.fakes import MemoryApplications, MemoryRuns

TEMPLATE = load_template()


class FakeTime:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.slept.append(seconds)
        self.now += seconds


def bucket(rate: float, time: FakeTime, capacity: float = 1.0) -> TokenBucket:
    return TokenBucket(rate, clock=time.clock, sleep=time.sleep, capacity=capacity)


# ---------------------------------------------------------------- the bucket


def test_a_refunded_token_lets_the_next_message_go_at_once_but_never_exceeds_capacity() -> None:
    time = FakeTime()
    pacer = bucket(10.0, time)
    pacer.acquire()
    pacer.refund()  # that message turned out to be a duplicate
    assert pacer.acquire() == 0.0 and time.slept == []
    assert pacer.acquire() == pytest.approx(0.1)  # nothing saved up beyond that
    pacer.refund()
    pacer.refund()  # more refunds than tokens taken do not grow a burst
    pacer.acquire()
    assert pacer.acquire() == pytest.approx(0.1)


def test_messages_are_spaced_at_the_rate() -> None:
    time = FakeTime()
    pacer = bucket(5, time)
    sent_at = []
    for _ in range(11):
        pacer.acquire()
        sent_at.append(time.now)
    gaps = [b - a for a, b in itertools.pairwise(sent_at)]
    assert sent_at[0] == 100.0  # the first one goes at once
    assert gaps == pytest.approx([0.2] * 10)
    assert sum(time.slept) == pytest.approx(2.0)


def test_idle_time_refills_only_up_to_the_capacity() -> None:
    time = FakeTime()
    pacer = bucket(2, time, capacity=3)
    for _ in range(3):
        assert pacer.acquire() == 0  # a full bucket: a burst of three
    assert pacer.acquire() == pytest.approx(0.5)
    time.now += 3600  # an hour idle saves three tokens, not 7200
    for _ in range(3):
        assert pacer.acquire() == 0
    assert pacer.acquire() == pytest.approx(0.5)


def test_a_clock_that_steps_back_does_not_mint_tokens() -> None:
    time = FakeTime()
    pacer = bucket(1, time)
    pacer.acquire()
    time.now -= 10
    assert pacer.acquire() == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(min_value=0.2, max_value=50),
    capacity=st.integers(min_value=1, max_value=5),
    gaps=st.lists(st.floats(min_value=0, max_value=2), min_size=1, max_size=80),
)
def test_no_window_ever_holds_more_than_rate_times_length_plus_capacity(
    rate: float, capacity: int, gaps: list[float]
) -> None:
    time = FakeTime()
    pacer = bucket(rate, time, capacity)
    sent_at = []
    for gap in gaps:
        time.now += gap  # the next request arrives after some work
        pacer.acquire()
        sent_at.append(time.now)
    for i, start in enumerate(sent_at):
        for j in range(i, len(sent_at)):
            window = sent_at[j] - start
            assert j - i + 1 <= rate * window + capacity + 1e-6


@pytest.mark.parametrize(("rate", "capacity"), [(0, 1), (-1, 1), (1, 0.5), (float("nan"), 1)])
def test_impossible_buckets_are_refused(rate: float, capacity: float) -> None:
    time = FakeTime()
    with pytest.raises(ValueError, match=r"rate|capacity"):
        bucket(rate, time, capacity)


def test_a_slow_message_is_made_up_by_the_next_quick_ones() -> None:
    """Work time varies around the slot: saved tokens keep the long-run rate."""
    rate = 50.0
    time = FakeTime()
    pacer = bucket(rate, time, capacity=burst_capacity(rate))
    start = time.now
    for number in range(1000):
        pacer.acquire()
        time.now += 0.030 if number % 2 else 0.008  # mean 19 ms of work, slot 20 ms
    achieved = 1000 / (time.now - start)
    assert achieved == pytest.approx(rate, rel=0.02)
    time = FakeTime()
    unbuffered = bucket(rate, time)
    start = time.now
    for number in range(1000):
        unbuffered.acquire()
        time.now += 0.030 if number % 2 else 0.008
    assert 1000 / (time.now - start) < 0.9 * rate  # capacity 1 loses every slow slot


def test_bursts_are_a_tenth_of_a_second_and_never_below_one_message() -> None:
    assert BURST_SECONDS == 0.1
    assert burst_capacity(50) == pytest.approx(5)
    assert burst_capacity(5) == 1
    assert burst_capacity(0.5) == 1


def test_each_instance_gets_its_share_and_all_together_the_account_rate() -> None:
    assert instance_rate(10, 2) == 5
    assert instance_rate(14, 4) * 4 == pytest.approx(14)
    with pytest.raises(ValueError, match="max_concurrency"):
        instance_rate(10, 0)


def test_concurrent_instances_together_stay_within_the_account_rate() -> None:
    account, concurrency, seconds = 10.0, 4, 60
    share = instance_rate(account, concurrency)
    total = 0
    for _ in range(concurrency):
        time = FakeTime()
        pacer = bucket(share, time)
        while True:
            pacer.acquire()
            if time.now - 100.0 > seconds:
                break
            total += 1
    # capacity 1: at most one message ahead of the rate per instance
    assert total <= account * seconds + concurrency


# ---------------------------------------------------------------- backoff


def test_backoff_doubles_with_each_receive_up_to_the_cap() -> None:
    upper = [backoff_seconds(n, base=30, cap=900, jitter=0.999999) for n in range(1, 8)]
    assert upper == [30, 60, 120, 240, 480, 900, 900]
    lower = [backoff_seconds(n, base=30, cap=900, jitter=0) for n in range(1, 8)]
    assert lower == [15, 30, 60, 120, 240, 450, 450]


@given(
    receives=st.integers(min_value=-3, max_value=10_000),
    jitter=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_backoff_is_whole_seconds_within_the_cap(receives: int, jitter: float) -> None:
    delay = backoff_seconds(receives, base=30, cap=900, jitter=jitter)
    assert isinstance(delay, int)
    assert 1 <= delay <= 900


def test_backoff_never_hides_a_message_for_zero_seconds() -> None:
    assert backoff_seconds(1, base=1, cap=1, jitter=0) == 1


POLICY = RetryPolicy(base_seconds=30, max_seconds=900)


@pytest.mark.parametrize(
    "error",
    [
        SendRefused("Throttling", retryable=True),
        SendRefused("ServiceUnavailable", retryable=True),
        DecisionNotYetStored("m"),
    ],
)
def test_failures_that_pass_with_time_back_off_exponentially(error: Exception) -> None:
    delays = [retry_delay(error, n, POLICY, jitter=0.5) for n in range(1, 6)]
    assert delays == [23, 45, 90, 180, 360]


@pytest.mark.parametrize(
    "error", [SendRefused("MessageRejected", retryable=False), ValueError("template")]
)
def test_lasting_failures_come_back_soon_and_reach_the_dead_letter_queue(
    error: Exception,
) -> None:
    delays = [retry_delay(error, n, POLICY, jitter=0.5) for n in range(1, 6)]
    assert delays == [30] * 5
    # five receives (the queue's maxReceiveCount) take minutes, not hours
    assert sum(delays) <= 5 * 60


# ---------------------------------------------------------------- the mailer's pacing


class RecordingOutbox:
    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.claimed: set[str] = set()

    def claim(self, message_id: str, kind: str, now: dt.datetime, expires_at: dt.datetime) -> bool:
        self.log.append("claim")
        if message_id in self.claimed:
            return False
        self.claimed.add(message_id)
        return True

    def mark_sent(self, message_id: str, provider_id: str, now: dt.datetime) -> None:
        self.log.append("mark_sent")

    def release(self, message_id: str) -> None:
        self.log.append("release")
        self.claimed.discard(message_id)

    def mark_skipped(self, message_id: str, reason: str, now: dt.datetime) -> None:
        raise AssertionError("not used")


class RecordingSender:
    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.tags: list[dict[str, str]] = []

    def send_raw(self, raw: bytes, *, recipient: str, tags: dict[str, str]) -> str:
        self.log.append("send")
        self.tags.append(tags)
        return f"ses-{len(self.tags)}"


class RecordingPacer:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    def acquire(self) -> float:
        self.log.append("pace")
        return 0.0

    def refund(self) -> None:
        self.log.append("refund")


def test_the_mailer_paces_before_claiming_so_the_crash_window_stays_one_call(
    conference: Conference,
) -> None:
    now = conference.deadline + dt.timedelta(days=2)
    applications = MemoryApplications()
    application = sample_application(conference, "de", now, kind="accepted")
    applications.add(application)
    stored = applications.get(conference.id, application.applicant_key)
    assert stored is not None
    log: list[str] = []
    sender = RecordingSender(log)
    mailer = MailerService(
        conference,
        applications,
        RecordingOutbox(log),
        sender,
        TokenSigner("s" * 40),
        SettableClock(now),
        MailerConfig("https://registrar.example.org", "anmeldung@example.org"),
        lottery=LotteryService(conference, MemoryRuns(), SettableClock(now), random.Random(1)),
    ).paced_by(RecordingPacer(log))
    request = MailRequest.create(
        "accepted", conference.id, stored.applicant_key, stored.decision_version
    )
    assert mailer.deliver(request) == "sent"
    assert mailer.deliver(request) == "duplicate"
    # The duplicate made no SES call: its slot goes back to the next message.
    assert log == ["pace", "claim", "send", "mark_sent", "pace", "claim", "refund"]
    assert sender.tags == [
        {"kind": "accepted", "event": conference.id, "applicant": stored.applicant_key}
    ]


# ---------------------------------------------------------------- the template's numbers


def test_the_template_hands_both_numbers_to_every_function() -> None:
    for spec in functions(TEMPLATE).values():
        assert spec.environment["SES_SENDING_RATE"] == {"Ref": "SesSendingRate"}
        assert spec.environment["MAIL_MAX_CONCURRENCY"] == {"Ref": "MailMaxConcurrency"}
        assert spec.environment["MAIL_RETRY_BASE_SECONDS"] == {"Ref": "MailRetryBaseSeconds"}
        assert spec.environment["MAIL_RETRY_MAX_SECONDS"] == {"Ref": "MailRetryMaxSeconds"}


def test_a_paced_batch_fits_in_the_mailers_timeout_with_the_default_numbers() -> None:
    (source,) = sqs_event_sources(TEMPLATE).values()
    mailer = functions(TEMPLATE)[source.function_logical_id]
    parameters = TEMPLATE["Parameters"]
    share = instance_rate(
        float(parameters["SesSendingRate"]["Default"]),
        int(parameters[source.max_concurrency_param or ""]["Default"]),
    )
    assert mailer.timeout is not None
    assert source.batch_size / share <= mailer.timeout / 4
    # The smallest share the description promises to be safe still fits.
    assert math.ceil(source.batch_size / (1 / 6)) <= mailer.timeout


def test_backoff_stays_within_what_sqs_allows() -> None:
    parameters = TEMPLATE["Parameters"]
    for name in ("MailRetryBaseSeconds", "MailRetryMaxSeconds"):
        assert parameters[name]["MinValue"] >= 1
        assert parameters[name]["MaxValue"] <= 12 * 3600  # SQS's longest visibility timeout


def test_the_mailer_may_delay_only_its_own_queues_messages() -> None:
    statements = [
        statement
        for policy in TEMPLATE["Resources"]["MailerFunction"]["Properties"]["Policies"]
        if isinstance(policy, dict) and "Statement" in policy
        for statement in policy["Statement"]
    ]
    sqs = [s for s in statements if str(s["Action"]).startswith("sqs:")]
    assert sqs == [
        {
            "Sid": "BackOffThrottledMail",
            "Effect": "Allow",
            "Action": "sqs:ChangeMessageVisibility",
            "Resource": {"Fn::GetAtt": ["MailQueue", "Arn"]},
        }
    ]
