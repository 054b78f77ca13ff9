"""One cold-start sample: run in a fresh interpreter, import an entry point, serve one brief.

``python -m bench.probe ENTRY CITY`` prints one line, ``MARK`` + JSON (ok, error, import
and brief seconds, ``done_at`` wall time, peak RSS); adapters log to stdout too, hence the
mark. The parent times from spawn to ``done_at``, so interpreter start-up counts, as it
does on a serverless cold start, but teardown does not.
The fake wiki's URL comes from ``CITYBRIEF_WIKI_API``, which the naive peer reads too.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
MARK = "BENCH-PROBE "

# Each loader imports an entry point the way its platform does and returns a callable that
# serves one brief and returns the resolved title (raising when the answer is not a brief).
Serve = Callable[[str], str]


def _platform_module(folder: str, name: str) -> Any:
    """Platforms put the function's folder at the root of sys.path and import the module."""
    sys.path.insert(0, str(ROOT / folder))
    return __import__(name)


def _load_core() -> Serve:
    from citybrief.http import App, Request
    from citybrief.service import BriefService
    from citybrief.settings import Settings

    settings = Settings.from_env()
    app = App(lambda: BriefService(settings), settings)

    def serve(city: str) -> str:
        response = app.handle(Request("GET", "/brief", {"city": city}))
        return _title(response.status, response.body)

    return serve


def _load_aws() -> Serve:
    handler = _platform_module("aws_lambda", "handler").handler
    context = SimpleNamespace(
        function_name="citybrief",
        function_version="$LATEST",
        memory_limit_in_mb=128,
        invoked_function_arn="arn:aws:lambda:us-east-1:000000000000:function:citybrief",
        aws_request_id=str(uuid.uuid4()),
        get_remaining_time_in_millis=lambda: 30_000,
    )

    def serve(city: str) -> str:
        result = handler({"city": city}, context)
        if "error" in result:
            raise RuntimeError(json.dumps(result["error"])[:300])
        return str(result["title"])

    return serve


def _load_gcp() -> Serve:
    """functions-framework builds its Flask app from the source file, as on the platform,
    and each request reaches it as a WSGI environ, as gunicorn hands it over."""
    from functions_framework import create_app

    wsgi = create_app("citybrief_http", str(ROOT / "gcp_functions" / "main.py"))

    def serve(city: str) -> str:
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": "/brief",
            "QUERY_STRING": urlencode({"city": city}),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8080",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8080",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        started: list[str] = []
        body = b"".join(wsgi(environ, lambda status, headers, *_: started.append(status)))
        return _title(int(started[0].split()[0]), body)

    return serve


def _load_azure() -> Serve:
    function_app = _platform_module("azure_functions", "function_app")
    import azure.functions as func

    user_function = next(
        f.get_user_function()
        for f in function_app.app.get_functions()
        if f.get_function_name() == "brief"
    )

    def serve(city: str) -> str:
        request = func.HttpRequest(
            method="GET",
            url=f"http://127.0.0.1/api/brief?city={city}",
            params={"city": city},
            body=b"",
        )
        context = SimpleNamespace(invocation_id=str(uuid.uuid4()))
        response = user_function(request, context)
        return _title(response.status_code, response.get_body())

    return serve


def _load_cli() -> Serve:
    from citybrief import cli

    def serve(city: str) -> str:
        out = io.StringIO()
        code = cli.main(["brief", city, "--json"], stdout=out)
        if code != 0:
            raise RuntimeError(f"citybrief exited {code}")
        return str(json.loads(out.getvalue())["title"])

    return serve


def _load_naive() -> Serve:
    from bench import naive

    naive.point_at(os.environ["CITYBRIEF_WIKI_API"])

    def serve(city: str) -> str:
        return str(naive.naive_brief(city)["title"])

    return serve


def peak_rss_kb() -> int:
    """This process's peak RSS. Linux's ``ru_maxrss`` survives exec, so a child forked from
    a big parent reports the parent's size; ``VmHWM`` belongs to the new address space."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


def _title(status: int, body: bytes) -> str:
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
    return str(json.loads(body)["title"])


LOADERS: dict[str, Callable[[], Serve]] = {
    "core": _load_core,
    "aws": _load_aws,
    "aws-sdk": _load_aws,  # bench.run sets the environment of TracingMode=ActiveWithSdk
    "gcp": _load_gcp,
    "azure": _load_azure,
    "cli": _load_cli,
    "naive": _load_naive,
}


def main(argv: list[str]) -> int:
    """Print the sample as JSON; failures are reported in it, not raised."""
    entry, city = argv
    report: dict[str, Any] = {"entry": entry, "ok": False, "error": None}
    started = time.perf_counter()
    try:
        serve = LOADERS[entry]()
        imported = time.perf_counter()
        report["import_s"] = imported - started
        report["title"] = serve(city)
        report["brief_s"] = time.perf_counter() - imported
        report["ok"] = True
    except Exception as exc:
        last = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        report["error"] = f"{type(exc).__name__}: {exc} ({where})"[:400]
    report["done_at"] = time.time()
    report["maxrss_kb"] = peak_rss_kb()
    report["ru_maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(MARK + json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
