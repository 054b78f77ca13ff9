"""AWS batch task: one city of the batch state machine (statemachine/batch.asl.json) in,
its ``citybrief.records`` record stored in S3, ``{"city", "status", "key"}`` back.
Why a record per city in S3 and not the brief in the state: docs/decisions/aws-batch.md."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable
from typing import Any

import boto3
from aws_telemetry import make_logger

from citybrief.http import encode_json
from citybrief.logs import REQUEST_ID
from citybrief.queuebatch import process_message
from citybrief.records import is_transient
from citybrief.service import BriefService
from citybrief.settings import Settings

# What a one-city ``citybrief.queuebatch`` message may hold; bucket and key are the task's.
MESSAGE_FIELDS = ("city", "sentences", "lang")
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]

settings = Settings.from_env(platform="aws")
logger = make_logger(settings)


class TransientBatchError(RuntimeError):
    """Wikipedia failed in a way a retry may not meet: the state machine retries this
    error by name, and after its last attempt its Catch records the city as failed."""


def create_task(settings: Settings, s3: Any = None, service: BriefService | None = None) -> Handler:
    """The task handler; ``s3`` and ``service`` are built here unless given (tests)."""
    s3 = s3 or boto3.client("s3")
    briefs = service or BriefService(settings)

    def task(event: dict[str, Any], request_id: str | None) -> dict[str, Any]:
        REQUEST_ID.set(request_id)
        message = {name: event[name] for name in MESSAGE_FIELDS if name in event}
        (record,) = process_message(json.dumps(message), briefs.brief)
        if is_transient(record):
            raise TransientBatchError(json.dumps(record["error"], ensure_ascii=False))
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

    @logger.inject_lambda_context(log_event=False)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        """One city's record to ``s3://bucket/key``, its index entry back."""
        request_id = getattr(context, "aws_request_id", None)
        logger.set_correlation_id(request_id)
        # A fresh context per invocation: no request id or call stats leak from a warm one.
        return contextvars.Context().run(task, event, request_id)

    return handler


# Built at import, in Lambda's init phase: every invocation needs the client and the
# service (the NLP stack still loads on the first brief).
handler = create_task(settings)

__all__ = ["TransientBatchError", "create_task", "handler", "settings"]
