"""The local stand-in for the public entry: CloudFront and its firewall (infra/waf.yaml).

In AWS every request reaches the api through CloudFront, whose web ACL refuses a client
address that sends more POST requests in a window than its rate-based rule allows (403
with the ACL's own page), and which sends the api the stack's origin header. The local
gateway does the same, with the limit, window and page read from that rule, so tests
and the demo meet the limit a deployed stack has.

The client address is the connection's; a request may name another in
``X-Forwarded-For`` (the local stack listens on loopback only, so whoever sends it runs
on this machine): the demo's fake applicants each come from their own documentation
address (RFC 3849), as real applicants come from theirs.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from registrar_local.infra import template as tpl

if TYPE_CHECKING:
    import boto3

    from registrar_local.infra.provision import ProvisionedStack

WAF_TEMPLATE_NAME: Final = "waf.yaml"
ORIGIN_VERIFY_SECRET: Final = "OriginVerifySecret"  # noqa: S105 - a logical id, no secret
_WEB_ACL_TYPE: Final = "AWS::WAFv2::WebACL"


@dataclass(frozen=True)
class PostLimit:
    """The web ACL's per-client POST rule: at most ``limit`` POSTs in ``window_seconds``."""

    limit: int
    window_seconds: int
    status: int
    page: str
    content_type: str


def waf_template_path() -> Path:
    """infra/waf.yaml, beside the main template."""
    path = tpl.template_path().with_name(WAF_TEMPLATE_NAME)
    if not path.is_file():
        raise tpl.TemplateError(f"{path} not found: the firewall's template belongs beside it")
    return path


def post_limit(waf_template: Mapping[str, Any]) -> PostLimit:
    """The rate-based rule scoped to POST in the template's web ACL, its parameters at
    their defaults (as deployed without overrides)."""
    acls = tpl.resources_of_type(waf_template, _WEB_ACL_TYPE)
    if len(acls) != 1:
        raise tpl.TemplateError(f"expected one {_WEB_ACL_TYPE}, found {len(acls)}")
    (acl,) = acls.values()
    rules = tpl.resolve(acl["Properties"]["Rules"], {}, tpl.parameter_defaults(waf_template))
    bodies = acl["Properties"]["CustomResponseBodies"]
    for rule in rules:
        rate = rule["Statement"].get("RateBasedStatement")
        if rate is None or not _scoped_to_post(rate.get("ScopeDownStatement") or {}):
            continue
        response = rule["Action"]["Block"]["CustomResponse"]
        body = bodies[response["CustomResponseBodyKey"]]
        return PostLimit(
            limit=int(rate["Limit"]),
            window_seconds=int(rate["EvaluationWindowSec"]),
            status=int(response["ResponseCode"]),
            page=str(body["Content"]),
            content_type="text/html; charset=utf-8"
            if body["ContentType"] == "TEXT_HTML"
            else "text/plain; charset=utf-8",
        )
    raise tpl.TemplateError("the web ACL has no rate-based rule scoped to POST")


def _scoped_to_post(statement: Mapping[str, Any]) -> bool:
    match = statement.get("ByteMatchStatement") or {}
    return (
        "Method" in (match.get("FieldToMatch") or {})
        and match.get("PositionalConstraint") == "EXACTLY"
        and match.get("SearchString") == "POST"
    )


class PostLimiter:
    """Counts each client's POSTs over a sliding window, as WAF's rate-based rule does.

    Refused requests count too, as in WAF: a client that keeps sending stays refused
    until it pauses for a window. ``now`` is a monotonic clock in seconds.
    """

    def __init__(self, rule: PostLimit, now: Callable[[], float] = time.monotonic) -> None:
        self.rule = rule
        self._now = now
        self._seen: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_template(cls, now: Callable[[], float] = time.monotonic) -> PostLimiter:
        return cls(post_limit(tpl.load_template(waf_template_path())), now)

    def allows(self, method: str, client: str) -> bool:
        if method.upper() != "POST":
            return True
        with self._lock:
            moment = self._now()
            seen = self._seen.setdefault(client, collections.deque())
            while seen and seen[0] <= moment - self.rule.window_seconds:
                seen.popleft()
            seen.append(moment)
            return len(seen) <= self.rule.limit


def client_address(peer: str, forwarded_for: str | None) -> str:
    """The client as the firewall sees it: the first X-Forwarded-For address, else the peer."""
    first = (forwarded_for or "").split(",")[0].strip()
    return first or peer


def origin_verify_value(
    stack: ProvisionedStack, session: boto3.Session, endpoint_url: str | None
) -> str:
    """The value the public entry sends in X-Origin-Verify: the stack's secret."""
    client = session.client("secretsmanager", endpoint_url=endpoint_url)
    answer = client.get_secret_value(SecretId=str(stack.refs[ORIGIN_VERIFY_SECRET]))
    return str(answer["SecretString"])
