"""AWS Lambda HTTP entry point: API Gateway REST (1.0) and HTTP API (2.0), Function URLs,
an ALB target group and direct invokes, all answered by the core ``App``. Event shapes
live in ``aws_events``, Powertools set-up in ``aws_telemetry``."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from aws_events import SOURCES, UNRECOGNISED, EventSource, detect
from aws_telemetry import make_logger, make_tracer, metrics, record_metrics, traced

from citybrief.http import App, Service
from citybrief.service import BriefService
from citybrief.settings import Settings

Handler = Callable[[Any, Any], dict[str, Any]]

settings = Settings.from_env(platform="aws")
logger = make_logger(settings)
tracer = make_tracer(settings)


def create_app(settings: Settings, service: Callable[[], Service] | None = None) -> Handler:
    """The Lambda handler serving a core ``App`` built from ``settings`` (and ``service``,
    a test's stand-in); the NLP stack is imported by the first brief, never here."""
    core = App(service or (lambda: BriefService(settings)), settings, on_complete=record_metrics)

    def handler(event: Any, context: Any) -> dict[str, Any]:
        """Detect the source, let the core answer, convert the answer."""
        logger.set_correlation_id(None)  # keys persist across warm invocations
        source = detect(event) or UNRECOGNISED
        request = source.read(event, context)
        logger.set_correlation_id(request.request_id)
        if tracer is not None:
            tracer.put_annotation("event_source", source.name)
        # A fresh context per invocation: no request id or call stats leak from a warm one.
        response = contextvars.Context().run(core.handle, request)
        return source.to_result(event, response)

    handler = metrics.log_metrics(capture_cold_start_metric=True, raise_on_empty_metrics=False)(
        handler
    )
    wrapped: Handler = logger.inject_lambda_context(log_event=False)(traced(tracer, handler))
    return wrapped


handler = create_app(settings)

__all__ = ["SOURCES", "EventSource", "create_app", "detect", "handler", "settings"]
