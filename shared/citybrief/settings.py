"""The core's ``CITYBRIEF_*`` environment variables, resolved and checked in one place.

``Settings.from_env()`` is the only reader of the core's variables and runs at start-up,
so a malformed value stops the process with a message naming the variable instead of
failing a request later, and a ``CITYBRIEF_*`` name nothing reads is reported; tests
build ``Settings(...)`` directly. Variables that only one
cloud's adapter reads live with that cloud (``citybrief.clouds``), parsed with the
helpers below. The README's configuration table mirrors this module.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .cache import resolve_cache_spec

log = logging.getLogger("citybrief.settings")

DEFAULT_WIKI_API = "https://{lang}.wikipedia.org/w/api.php"
DEFAULT_CONTACT = "https://github.com/citybrief/citybrief"
SNAPSHOT_INDEX = "index.json"
CORE_VARIABLES = frozenset(
    f"CITYBRIEF_{name}"
    for name in [
        "WIKI_API",
        "CONTACT",
        "CONNECT_TIMEOUT",
        "READ_TIMEOUT",
        "DEADLINE",
        "MAX_RETRIES",
        "CACHE",
        "CACHE_TTL",
        "NEGATIVE_CACHE_TTL",
        "SNAPSHOT",
        "CORS_ORIGINS",
        "LOG_LEVEL",
    ]
)
# Read by one cloud's adapter (``citybrief.clouds``); named here only so that a variable
# citybrief reads nowhere (a typo such as CITYBRIEF_DEADLNE) is reported at start-up.
CLOUD_VARIABLES = frozenset(
    f"CITYBRIEF_{name}"
    for name in [
        "AUTH_LEVEL",
        "QUEUE_NAME",
        "BLOB_CONTAINER",
        "BRIEFS_COLLECTION",
        "BODY_TIMEOUT",
        "STORE_TIMEOUT",
    ]
)
# An origin as a browser sends it: scheme://host[:port], no path.
_ORIGIN = re.compile(r"https?://[^/\s?#]+")


def seconds(env: Mapping[str, str], name: str, default: float) -> float:
    """A positive, finite number of seconds (``nan`` and ``inf`` are refused too)."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive and finite (seconds), got {raw!r}")
    return value


def whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError(f"{name} must be a whole number >= 0, got {raw!r}")
    return int(raw)


def choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    """One of ``allowed``, case-insensitive (templates often pass upper case); a typo is an
    error at start-up, never a silent fallback."""
    raw = (env.get(name) or default).strip().lower()
    if raw not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def matching(
    env: Mapping[str, str], name: str, default: str, rule: re.Pattern[str], what: str
) -> str:
    """A name that must match ``rule`` (a queue, container or collection name)."""
    raw = env.get(name) or default
    if not rule.fullmatch(raw):
        raise ValueError(f"{name} must be {what}, got {raw!r}")
    return raw


def _wiki_api(env: Mapping[str, str]) -> str:
    raw = env.get("CITYBRIEF_WIKI_API") or DEFAULT_WIKI_API
    url = urlsplit(raw.replace("{lang}", "en"))
    if (
        url.scheme not in ("http", "https")
        or not url.hostname
        or url.fragment
        or not raw.isprintable()
        or any(char.isspace() or char in "{}" for char in raw.replace("{lang}", ""))
    ):
        raise ValueError(
            "CITYBRIEF_WIKI_API must be an http(s) URL of a MediaWiki api.php, optionally "
            f"with {{lang}} in it (default {DEFAULT_WIKI_API}), got {raw!r}"
        )
    return raw


def _contact(env: Mapping[str, str]) -> str:
    """It goes into the User-Agent header: printable ASCII, no white space."""
    raw = env.get("CITYBRIEF_CONTACT") or DEFAULT_CONTACT
    if not (raw.isascii() and raw.isprintable()) or any(char.isspace() for char in raw):
        raise ValueError(
            f"CITYBRIEF_CONTACT must be a URL or mailto: address without spaces, got {raw!r}"
        )
    return raw


def _log_level(env: Mapping[str, str]) -> str:
    raw = (env.get("CITYBRIEF_LOG_LEVEL") or "INFO").strip().upper()
    levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
    if raw not in levels and raw not in logging.getLevelNamesMapping():
        raise ValueError(f"CITYBRIEF_LOG_LEVEL must be one of {', '.join(levels)}, got {raw!r}")
    return raw


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    origins = tuple(part.strip() for part in env.get("CITYBRIEF_CORS_ORIGINS", "").split(","))
    origins = tuple(origin for origin in origins if origin)
    for origin in origins:
        if origin != "*" and not _ORIGIN.fullmatch(origin):
            raise ValueError(
                "CITYBRIEF_CORS_ORIGINS must list origins such as https://example.org "
                f"(scheme and host, no path) or *, got {origin!r}"
            )
    return origins


def _snapshot(env: Mapping[str, str], cwd: Path) -> str | None:
    """An existing snapshot directory, made absolute against ``cwd``."""
    raw = env.get("CITYBRIEF_SNAPSHOT")
    if not raw:
        return None
    directory = cwd / Path(raw).expanduser()
    if not (directory / SNAPSHOT_INDEX).is_file():
        problem = "has no index.json" if directory.is_dir() else "is not a directory"
        raise ValueError(
            f"CITYBRIEF_SNAPSHOT={raw!r} ({directory}) {problem}; record one with "
            "`citybrief snapshot CITY... --out DIR`"
        )
    return str(directory.resolve())


def _report_unknown(env: Mapping[str, str]) -> None:
    """Warn about each ``CITYBRIEF_*`` variable nothing reads, with the nearest real name.

    A warning, not an error: test tools and scripts may use the prefix for their own.
    """
    known = CORE_VARIABLES | CLOUD_VARIABLES
    unknown = sorted(name for name in env if name.startswith("CITYBRIEF_") and name not in known)
    if not unknown:
        return
    import difflib

    for name in unknown:
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        log.warning("%s is set, but citybrief reads no such variable%s", name, hint)


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

    @property
    def user_agent(self) -> str:
        """Wikimedia's policy asks for a descriptive agent with a way to reach us."""
        return f"citybrief/{__version__} (+{self.contact}) python-requests"

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, cwd: Path | None = None, **defaults: str
    ) -> Settings:
        """Read and check the core's variables; ``defaults`` name per-entry-point fallbacks
        (e.g. the CLI defaults the cache to SQLite, functions to memory).

        Relative paths (``CITYBRIEF_SNAPSHOT``, ``sqlite:///PATH``) are resolved once,
        here, against ``cwd`` (the current directory at start-up).
        """
        env = os.environ if env is None else env
        cwd = Path.cwd() if cwd is None else cwd
        _report_unknown(env)
        base = cls()
        return cls(
            wiki_api=_wiki_api(env),
            contact=_contact(env),
            connect_timeout=seconds(env, "CITYBRIEF_CONNECT_TIMEOUT", base.connect_timeout),
            read_timeout=seconds(env, "CITYBRIEF_READ_TIMEOUT", base.read_timeout),
            deadline=seconds(env, "CITYBRIEF_DEADLINE", base.deadline),
            max_retries=whole_number(env, "CITYBRIEF_MAX_RETRIES", base.max_retries),
            cache=resolve_cache_spec(
                env.get("CITYBRIEF_CACHE") or defaults.get("cache", base.cache), cwd
            ),
            cache_ttl=seconds(env, "CITYBRIEF_CACHE_TTL", base.cache_ttl),
            negative_cache_ttl=seconds(
                env, "CITYBRIEF_NEGATIVE_CACHE_TTL", base.negative_cache_ttl
            ),
            snapshot_dir=_snapshot(env, cwd),
            cors_origins=_origins(env),
            platform=defaults.get("platform", base.platform),
            log_level=_log_level(env),
        )
