"""AWS batch task: brief one city for the batch state machine, store its record in S3.

The state machine (statemachine/batch.asl.json) invokes this function once per city with
``{"city", "sentences", "lang", "bucket", "key"}`` (tests/events/aws/stepfunctions_task.json)
and keeps only what it answers, ``{"city", "status", "key"}``. Why not answer the brief:
Step Functions caps an execution's state at 256 KiB and a brief is ~5 KB, so a state that
carried every brief failed at about 50 cities, with nothing saved. Here each city's
record reaches S3 the moment it is done, and a batch's state grows by ~100 bytes a city.

The record is ``citybrief.jobs``'s, as on GCP and Azure: ``{"city", "lang", "status":
"ok", "brief"}`` or ``{"city", "lang", "status", "error"}`` (an RFC 9457 problem). A city
that cannot be briefed is such a record, never an exception; only S3 failing (after
boto3's own retries) raises, and the state machine then records that city as failed.
The bucket and key come from the state machine, which owns the layout; the function's
role may put objects only under ``results/`` in the stack's bucket.

A separate function from handler.py's HTTP one, so that the public function holds no
S3 permission at all; both ship in the same package.
"""

from __future__ import annotations

import contextvars
import json
import os
from typing import Any

import boto3
from aws_lambda_powertools import Logger

from citybrief.http import encode_json
from citybrief.jobs import process_message
from citybrief.logs import REQUEST_ID, RequestIdFilter
from citybrief.service import BriefService
from citybrief.settings import Settings

SERVICE = "citybrief"
# What a one-city ``citybrief.jobs`` message may hold; bucket and key are the task's own.
MESSAGE_FIELDS = ("city", "sentences", "lang")

settings = Settings.from_env(platform="aws")

logger = Logger(service=SERVICE, level=os.environ.get("POWERTOOLS_LOG_LEVEL") or settings.log_level)
logger.append_keys(name="%(name)s")
logger.registered_handler.addFilter(RequestIdFilter())

# Built at import, in Lambda's init phase: every invocation needs both. The NLP stack
# still loads on the first brief.
service = BriefService(settings)
s3: Any = boto3.client("s3")


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point: one city's record to ``s3://bucket/key``, its index entry back."""
    request_id = getattr(context, "aws_request_id", None)
    logger.set_correlation_id(request_id)
    # A fresh context per invocation: no request id or call stats leak from a warm one.
    return contextvars.Context().run(_task, event, request_id)


def _task(event: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    REQUEST_ID.set(request_id)
    message = {name: event[name] for name in MESSAGE_FIELDS if name in event}
    (record,) = process_message(json.dumps(message), service.brief)
    s3.put_object(
        Bucket=event["bucket"],
        Key=event["key"],
        Body=encode_json(record),
        ContentType="application/json",
    )
    logger.info(
        "batch result %s for %r",
        record["status"],
        record["city"],
        extra={"status": record["status"], "key": event["key"]},
    )
    return {"city": event.get("city"), "status": record["status"], "key": event["key"]}


__all__ = ["handler", "service", "settings"]
