"""Google Cloud Functions (2nd gen) entry points: ``citybrief_http`` (every API route,
answered by the core ``App``) and ``citybrief_pubsub`` (the batch path, ``gcp_pubsub``).
Request conversion lives in ``gcp_request``, Cloud Logging in ``gcp_logging``."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import flask
import functions_framework
from gcp_logging import TRACE, install_logging
from gcp_pubsub import create_pubsub
from gcp_request import to_core

from citybrief.clouds.gcp import GcpSettings
from citybrief.http import App, Service
from citybrief.service import BriefService
from citybrief.settings import Settings


class RawResponse(flask.Response):
    """A response whose Content-Type is exactly the core's, or absent (204s)."""

    default_mimetype = None


def create_app(
    settings: Settings,
    service: Callable[[], Service] | None = None,
    gcp: GcpSettings | None = None,
) -> Callable[[flask.Request], Any]:
    """The HTTP function serving a core ``App`` built from ``settings`` (and the GCP-only
    ``gcp``, from the environment when None); the NLP stack loads on the first route that
    needs it."""
    body_timeout = (gcp or GcpSettings.from_env()).body_timeout
    core = App(service or (lambda: BriefService(settings)), settings)

    @functions_framework.http
    def citybrief_http(request: flask.Request) -> flask.Response:
        """HTTP entry point: every route of the citybrief API."""
        core_request, trace = to_core(request, body_timeout)
        token = TRACE.set(trace)
        try:
            response = core.handle(core_request)
        finally:
            TRACE.reset(token)
        return RawResponse(response.body, response.status, response.headers)

    return citybrief_http


settings = Settings.from_env(platform="gcp")
PROJECT = os.environ.get("GOOGLE_CLOUD_PROJECT") or os.environ.get("GCP_PROJECT") or None
install_logging(settings.log_level, PROJECT)
citybrief_http = create_app(settings)
citybrief_pubsub = create_pubsub(settings, PROJECT)
