"""Lambda event shapes the local stack builds: HTTP API v2 requests and SQS batches.

They match the samples in ``events/`` (which are what ``sam local invoke -e`` takes).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote


def http_api_event(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    source_ip: str,
    now: dt.datetime,
) -> dict[str, Any]:
    lowered = {name.lower(): value for name, value in headers.items()}
    text_types = ("application/json", "application/x-www-form-urlencoded", "text/")
    content_type = lowered.get("content-type", "")
    is_text = not body or content_type.startswith(text_types)
    try:
        decoded = body.decode("utf-8") if is_text else ""
    except UnicodeDecodeError:
        is_text = False
    query: dict[str, str] = {}
    for pair in raw_query.split("&") if raw_query else []:
        name, _, value = pair.partition("=")
        # API Gateway joins repeated parameters with commas, as here.
        key, text = unquote(name.replace("+", " ")), unquote(value.replace("+", " "))
        query[key] = f"{query[key]},{text}" if key in query else text
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": lowered,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": lowered.get("host", "127.0.0.1"),
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": not is_text,
    }
    if query:
        event["queryStringParameters"] = query
    cookies = lowered.get("cookie")
    if cookies:
        event["cookies"] = [c.strip() for c in cookies.split(";")]
    if body:
        event["body"] = decoded if is_text else base64.b64encode(body).decode("ascii")
    return event


def sqs_event(messages: Sequence[Mapping[str, Any]], queue_arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": {
                    "ApproximateReceiveCount": message.get("Attributes", {}).get(
                        "ApproximateReceiveCount", "1"
                    ),
                    "SentTimestamp": message.get("Attributes", {}).get("SentTimestamp", "0"),
                    "SenderId": "local",
                    "ApproximateFirstReceiveTimestamp": "0",
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(
                    message["Body"].encode(), usedforsecurity=False
                ).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": queue_arn.split(":")[3],
            }
            for message in messages
        ]
    }
