"""Google Cloud Functions: the real functions-framework server, called over HTTP.

Calls go through sockets, gunicorn, Flask and functions-framework's routing exactly as
``make run`` and the deployed function see them, so anything those layers add or
refuse (a Content-Type, a body limit, a method) shows up as a contract failure.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import quote, urlsplit

from tests.contract.cases import Call, Reply
from tests.gcp.conftest import start_function_server

TIMEOUT = 30.0


def http_send(base_url: str) -> Callable[[Call], Reply]:
    """``send(call)`` over one fresh connection per call (no state leaks between cases)."""
    parts = urlsplit(base_url)

    def send(call: Call) -> Reply:
        target = quote(call.path, safe="/")
        if call.query_string():
            target += "?" + call.query_string()  # UTF-8 percent-encoding
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
        try:
            # http.client sends Content-Length for a body and no body for None, as-is.
            connection.request(call.method, target, body=call.body, headers=dict(call.headers))
            response = connection.getresponse()
            body = response.read()
            headers = {name.lower(): value for name, value in response.getheaders()}
            return Reply(response.status, headers, body)
        finally:
            connection.close()

    return send


@contextmanager
def gcp_driver(env: dict[str, str]) -> Iterator[Callable[[Call], Reply]]:
    with start_function_server(env) as server:
        yield http_send(server.url)


DRIVERS = {"gcp": ("gcp", gcp_driver)}
