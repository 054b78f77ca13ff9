"""Google Cloud: the Cloud Functions adapter's settings."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..settings import matching, seconds

# A Firestore collection id: no "/", not "." or "..", not __reserved__.
COLLECTION_ID = re.compile(r"(?!\.\.?$)(?!__.*__$)[^/]{1,1500}")


@dataclass(frozen=True)
class GcpSettings:
    """The ``CITYBRIEF_*`` variables only the GCP adapter reads, checked at start-up."""

    # Seconds a request body may take to arrive (gunicorn hands the function a socket;
    # API Gateway and the Azure host buffer bodies before the function runs).
    body_timeout: float = 10.0
    # The Firestore collection the Pub/Sub function writes batch results to.
    briefs_collection: str = "briefs"
    # Seconds a batch write to Firestore may take, retries included (the client's own
    # default retries an unreachable service for minutes): past it Pub/Sub redelivers.
    store_timeout: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GcpSettings:
        env = os.environ if env is None else env
        base = cls()
        return cls(
            body_timeout=seconds(env, "CITYBRIEF_BODY_TIMEOUT", base.body_timeout),
            store_timeout=seconds(env, "CITYBRIEF_STORE_TIMEOUT", base.store_timeout),
            briefs_collection=matching(
                env,
                "CITYBRIEF_BRIEFS_COLLECTION",
                base.briefs_collection,
                COLLECTION_ID,
                "a Firestore collection id (no '/', not '.', '..' or __name__)",
            ),
        )
