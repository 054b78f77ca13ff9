"""Powertools on Lambda: JSON logs for every ``citybrief`` logger, EMF metrics, and X-Ray
tracing unless the deployment turns it off (docs/decisions/aws-tracing.md)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

from citybrief.http import Request, Response
from citybrief.logs import RequestIdFilter
from citybrief.service import current_stats
from citybrief.settings import Settings

SERVICE = "citybrief"


def make_logger(settings: Settings) -> Logger:
    """The Powertools logger over the stdlib ``citybrief`` logger, parent of the core's
    loggers: their lines get the same JSON, Lambda context keys and correlation id."""
    logger = Logger(
        service=SERVICE, level=os.environ.get("POWERTOOLS_LOG_LEVEL") or settings.log_level
    )
    logger.append_keys(name="%(name)s")
    logger.registered_handler.addFilter(RequestIdFilter())
    return logger


def make_tracer(settings: Settings) -> Tracer | None:
    """A Tracer patching only what the function calls, or None when tracing is off
    (``POWERTOOLS_TRACE_DISABLED``): the X-Ray SDK costs ~0.3 s of a cold start to import."""
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() in {"1", "true"}:
        return None
    dynamodb = settings.cache.startswith("dynamodb")
    return Tracer(
        service=SERVICE, patch_modules=("requests", "botocore") if dynamodb else ("requests",)
    )


metrics = Metrics(
    namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or SERVICE, service=SERVICE
)


def record_metrics(request: Request, response: Response, seconds: float) -> None:
    """``App``'s on_complete hook: one EMF document per invocation, flushed by log_metrics."""
    stats = current_stats()
    metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=seconds * 1000)
    metrics.add_metric(name="CacheHit", unit=MetricUnit.Count, value=stats.cache_hits)
    metrics.add_metric(name="CacheMiss", unit=MetricUnit.Count, value=stats.cache_misses)
    metrics.add_metric(
        name="UpstreamRequests", unit=MetricUnit.Count, value=stats.upstream_requests
    )
    # Emitted as 0 too, so an alarm on its Sum never sees "missing data" on quiet periods.
    metrics.add_metric(name="ServerError", unit=MetricUnit.Count, value=int(response.status >= 500))
    if request.error is not None:  # only event reading sets one: an unreadable event
        metrics.add_metric(name="InvalidEvent", unit=MetricUnit.Count, value=1)


def traced(tracer: Tracer | None, function: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """The handler as an X-Ray segment when tracing is on; untouched otherwise."""
    if tracer is None:
        return function
    wrapped: Callable[[Any, Any], Any] = tracer.capture_lambda_handler(capture_response=False)(
        function
    )
    return wrapped
