"""Every ``CITYBRIEF_*`` environment variable, resolved in one place.

``Settings.from_env()`` is the only reader of citybrief's own variables; tests build
``Settings(...)`` directly. The cloud cache backends read their SDK's standard variables
(``AWS_ENDPOINT_URL``, ``FIRESTORE_EMULATOR_HOST``, ``AzureWebJobsStorage``...) through
the SDKs themselves. The README's configuration table mirrors this class.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import __version__

DEFAULT_WIKI_API = "https://{lang}.wikipedia.org/w/api.php"
DEFAULT_CONTACT = "https://github.com/citybrief/citybrief"
AUTH_LEVELS = ("function", "anonymous", "admin")


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {raw!r}")
    return value


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number >= 0, got {raw!r}")
    return int(raw)


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


def _auth_level(env: Mapping[str, str], default: str) -> str:
    """Case-insensitive (the ARM template passes FUNCTION/ANONYMOUS); a typo must not
    silently open or close the API, so anything else is an error at start-up."""
    raw = (env.get("CITYBRIEF_AUTH_LEVEL") or default).strip().lower()
    if raw not in AUTH_LEVELS:
        raise ValueError(
            f"CITYBRIEF_AUTH_LEVEL must be one of {', '.join(AUTH_LEVELS)}, got {raw!r}"
        )
    return raw


@dataclass(frozen=True)
class Settings:
    wiki_api: str = DEFAULT_WIKI_API
    contact: str = DEFAULT_CONTACT
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    deadline: float = 20.0  # one request's budget: a brief, or a whole comparison (deadline.py)
    max_retries: int = 3
    cache: str = "memory"
    cache_ttl: float = 86400.0
    # Not-found and ambiguous answers are remembered briefly: a repeat costs no request,
    # and a page created or fixed on Wikipedia is seen within minutes.
    negative_cache_ttl: float = 300.0
    snapshot_dir: str | None = None
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    platform: str = "local"
    log_level: str = "INFO"
    # GCP only: seconds a request body may take to arrive (gunicorn hands the function a
    # socket; API Gateway and the Azure host buffer bodies before the function runs).
    body_timeout: float = 10.0
    # Azure only: the host's key check on /brief and /compare (health/openapi stay open).
    auth_level: str = "function"
    # GCP batch path only: the Firestore collection the Pub/Sub function writes briefs to.
    briefs_collection: str = "briefs"
    # Azure batch path only: the queue the queue-triggered function listens on (unset:
    # no such function is registered) and the blob container it writes briefs to.
    queue_name: str | None = None
    blob_container: str = "briefs"

    @property
    def user_agent(self) -> str:
        """Wikimedia's policy asks for a descriptive agent with a way to reach us."""
        return f"citybrief/{__version__} (+{self.contact}) python-requests"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **defaults: str) -> Settings:
        """Read ``CITYBRIEF_*`` variables; ``defaults`` name per-entry-point fallbacks
        (e.g. the CLI defaults the cache to SQLite, functions to memory)."""
        env = os.environ if env is None else env
        base = cls()
        snapshot = env.get("CITYBRIEF_SNAPSHOT") or None
        return cls(
            wiki_api=env.get("CITYBRIEF_WIKI_API") or base.wiki_api,
            contact=env.get("CITYBRIEF_CONTACT") or base.contact,
            connect_timeout=_float(env, "CITYBRIEF_CONNECT_TIMEOUT", base.connect_timeout),
            read_timeout=_float(env, "CITYBRIEF_READ_TIMEOUT", base.read_timeout),
            deadline=_float(env, "CITYBRIEF_DEADLINE", base.deadline),
            max_retries=_int(env, "CITYBRIEF_MAX_RETRIES", base.max_retries),
            cache=env.get("CITYBRIEF_CACHE") or defaults.get("cache", base.cache),
            cache_ttl=_float(env, "CITYBRIEF_CACHE_TTL", base.cache_ttl),
            negative_cache_ttl=_float(env, "CITYBRIEF_NEGATIVE_CACHE_TTL", base.negative_cache_ttl),
            snapshot_dir=snapshot,
            cors_origins=_list(env, "CITYBRIEF_CORS_ORIGINS"),
            platform=defaults.get("platform", base.platform),
            log_level=(env.get("CITYBRIEF_LOG_LEVEL") or base.log_level).upper(),
            body_timeout=_float(env, "CITYBRIEF_BODY_TIMEOUT", base.body_timeout),
            auth_level=_auth_level(env, base.auth_level),
            briefs_collection=env.get("CITYBRIEF_BRIEFS_COLLECTION") or base.briefs_collection,
            queue_name=env.get("CITYBRIEF_QUEUE_NAME") or None,
            blob_container=env.get("CITYBRIEF_BLOB_CONTAINER") or base.blob_container,
        )
