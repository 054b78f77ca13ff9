#!/usr/bin/env python3
"""Post-deploy smoke test for a citybrief endpoint (stdlib only).

    python scripts/smoke.py BASE_URL [--key KEY] [--bearer TOKEN] [--city Chicago] [--timeout 30]

Checks, in order:
  1. GET {BASE}/health            -> 200, JSON with "status": "ok"
  2. GET {BASE}/brief?city=CITY   -> 200, application/json, title == CITY,
                                     non-empty summary (list of sentences),
                                     schema_version present

--key adds Azure's ``x-functions-key`` header (function-level auth); --bearer adds
``Authorization: Bearer TOKEN`` (a Google identity token for a private Cloud Function).
Exit status 0 when every check passes, 1 otherwise with one line per failed check on
stderr, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

USER_AGENT = "citybrief-smoke/1 (+https://github.com/citybrief/citybrief)"


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    error: str | None = None
    json: Any = field(default=None)


def fetch(url: str, headers: dict[str, str], timeout: float) -> Response:
    """GET ``url``; HTTP errors are responses, network errors are ``error``."""
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            status, ctype, body = resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        status, ctype, body = exc.code, exc.headers.get("Content-Type", ""), exc.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Response(0, "", b"", error=f"request failed: {reason}")
    response = Response(status, ctype, body)
    try:
        response.json = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        response.json = None
    return response


def get_ok(name: str, url: str, headers: dict[str, str], timeout: float) -> tuple[Any, list[str]]:
    """GET ``url``; the response, or the failure that makes it useless (error, not 200)."""
    resp = fetch(url, headers, timeout)
    if resp.error:
        return resp, [f"{name}: {resp.error} ({url})"]
    if resp.status != 200:
        return resp, [f"{name}: expected HTTP 200, got {resp.status} ({url})"]
    return resp, []


def check_health(base: str, headers: dict[str, str], timeout: float) -> list[str]:
    url = f"{base}/health"
    resp, failures = get_ok("health", url, headers, timeout)
    if failures:
        return failures
    if not isinstance(resp.json, dict):
        return [f"health: body is not a JSON object ({url})"]
    if resp.json.get("status") != "ok":
        return [f"health: expected status 'ok', got {resp.json.get('status')!r} ({url})"]
    return []


def has_text(summary: Any) -> bool:
    """The Brief schema's summary: a list of sentences, at least one of them not blank."""
    return isinstance(summary, list) and any(
        isinstance(item, str) and item.strip() for item in summary
    )


def check_brief(base: str, city: str, headers: dict[str, str], timeout: float) -> list[str]:
    url = f"{base}/brief?{urllib.parse.urlencode({'city': city})}"
    resp, failures = get_ok("brief", url, headers, timeout)
    if failures:
        return failures
    failures = []
    if not resp.content_type.lower().startswith("application/json"):
        failures.append(f"brief: expected application/json, got {resp.content_type!r}")
    body = resp.json
    if not isinstance(body, dict):
        return [*failures, "brief: body is not a JSON object"]
    if body.get("title") != city:
        failures.append(f"brief: expected title {city!r}, got {body.get('title')!r}")
    if not has_text(body.get("summary")):
        failures.append("brief: summary is missing or empty")
    if not body.get("schema_version"):
        failures.append("brief: schema_version is missing")
    return failures


def build_headers(key: str | None, bearer: str | None) -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    if key:
        headers["x-functions-key"] = key
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    return headers


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Smoke-test a deployed citybrief endpoint.")
    parser.add_argument("base_url", help="e.g. https://abc.execute-api.us-east-1.amazonaws.com")
    parser.add_argument("--key", help="Azure function key, sent as x-functions-key")
    parser.add_argument("--bearer", help="bearer token, e.g. a Google identity token")
    parser.add_argument("--city", default="Chicago", help="city to request (default Chicago)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    args = parser.parse_args(argv)
    scheme = urllib.parse.urlsplit(args.base_url).scheme
    if scheme not in ("http", "https"):
        parser.error(f"BASE_URL must be http(s)://..., got {args.base_url!r}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base = args.base_url.rstrip("/")
    headers = build_headers(args.key, args.bearer)
    failures = check_health(base, headers, args.timeout)
    failures += check_brief(base, args.city, headers, args.timeout)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    if failures:
        return 1
    print(f"OK {base}: /health and /brief?city={args.city}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
