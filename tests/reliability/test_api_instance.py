"""The local stack's api serves one request at a time, as one Lambda instance does.

Its gateway answers each connection on a thread of its own; Powertools' resolver keeps the
request it serves on a class attribute, so two requests served side by side in one process
could read each other's body (one submission lost, another stored twice: seen once in the
load test's 2,000 submissions).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from tests.conftest import valid_request
from tests.reliability.conftest import Local

pytestmark = pytest.mark.reliability

CLIENTS = 16


def test_concurrent_requests_reach_the_api_one_at_a_time_and_each_is_its_own(
    open_stack: Local, conference: Conference
) -> None:
    stack = open_stack.stack
    function_id = stack._api_function
    served = stack._handlers[function_id]
    inside, most = 0, 0
    counting = threading.Lock()

    def one_instance(event: dict[str, Any], context: Any) -> Any:
        nonlocal inside, most
        with counting:
            inside += 1
            most = max(most, inside)
        try:
            time.sleep(0.01)  # long enough for the other clients' requests to arrive
            return served(event, context)
        finally:
            with counting:
                inside -= 1

    bodies = [valid_request(conference, 50_000 + n) for n in range(CLIENTS * 2)]
    stack._handlers[function_id] = one_instance
    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            replies = list(pool.map(lambda b: open_stack.post_json("/applications", b), bodies))
    finally:
        stack._handlers[function_id] = served
    stack.pump_streams()

    assert [r.status for r in replies] == [202] * len(bodies)
    assert most == 1
    stored = Counter(a.email for a in DynamoApplications().list(conference.id))
    assert stored == Counter(b["email"] for b in bodies)  # each stored once, none lost
