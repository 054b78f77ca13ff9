"""Keep-alive HTTP(S) connections on the standard library, every read bounded by a budget.

``http.client`` does the HTTP: requests and urllib3 cost ~0.1 s of a cold start's CPU to
import, for sessions, adapters and cookie jars a JSON GET never uses. What they gave that
matters is here: a pool of keep-alive connections (a dropped one is noticed before reuse),
TLS verified against certifi's CA bundle (or ``SSL_CERT_FILE``), the ``HTTPS_PROXY``,
``HTTP_PROXY`` and ``NO_PROXY`` variables, and a connect timeout apart from the read
timeout. What neither gave is here too: each read of a response (status line, headers,
chunk sizes, body) waits at most for the time left, and none starts once it is spent, so
a server trickling bytes cannot outlast the deadline.
"""

from __future__ import annotations

import base64
import http.client
import io
import os
import select
import socket
import ssl
import threading
from functools import cache
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from .deadline import Budget
from .errors import UpstreamTimeout


def time_left(budget: Budget) -> float:
    """Seconds left in ``budget``; UpstreamTimeout when there are none."""
    left = budget.remaining()
    if left <= 0:
        raise UpstreamTimeout("Wikipedia did not answer within the deadline")
    return left


class Route(NamedTuple):
    """How to reach a URL's origin: directly, through a CONNECT tunnel (HTTPS behind a
    proxy) or by asking the proxy for the absolute URL (HTTP behind a proxy)."""

    scheme: str
    host: str
    port: int
    proxy: tuple[str, int] | None = None
    proxy_auth: str | None = None  # the Proxy-Authorization header, when the proxy URL has one

    @property
    def absolute_form(self) -> bool:
        return self.proxy is not None and self.scheme == "http"


def route_for(url: str) -> Route:
    """The route to ``url``, honouring the proxy variables of the environment as curl and
    requests do (``NO_PROXY`` included)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url}")
    port = parts.port or (443 if scheme == "https" else 80)
    proxy_url = _proxy_for(scheme, parts.hostname)
    if proxy_url is None:
        return Route(scheme, parts.hostname, port)
    proxy = urlsplit(proxy_url if "://" in proxy_url else f"http://{proxy_url}")
    if proxy.scheme != "http" or not proxy.hostname:
        raise ValueError(f"only http:// proxies are supported, not {proxy_url}")
    auth = None
    if proxy.username is not None:
        pair = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}".encode()
        auth = "Basic " + base64.b64encode(pair).decode("ascii")
    return Route(scheme, parts.hostname, port, (proxy.hostname, proxy.port or 80), auth)


def _proxy_for(scheme: str, host: str) -> str | None:
    """``<scheme>_proxy`` (lower case first, as curl reads it) unless ``no_proxy`` lists
    the host, a domain of it or ``*``. ``HTTP_PROXY`` is ignored when ``REQUEST_METHOD``
    is set: under CGI a client's ``Proxy:`` header arrives as that variable."""
    upper = (
        None if scheme == "http" and "REQUEST_METHOD" in os.environ else f"{scheme}_proxy".upper()
    )
    proxy = os.environ.get(f"{scheme}_proxy") or (os.environ.get(upper) if upper else None)
    if not proxy:
        return None
    no_proxy = os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or ""
    host = host.lower()
    for entry in no_proxy.replace(" ", "").lower().split(","):
        domain = entry.lstrip(".")
        if domain.count(":") == 1:  # "host:port"; an IPv6 address has more colons
            domain = domain.rsplit(":", 1)[0]
        if entry == "*" or (domain and (host == domain or host.endswith("." + domain))):
            return None
    return proxy


def tls_context() -> ssl.SSLContext:
    """Certificates verified against ``SSL_CERT_FILE`` when set (a private CA, e.g. a
    TLS-inspecting proxy's), else certifi's bundle: the same on every platform."""
    return _tls_context(os.environ.get("SSL_CERT_FILE") or None)


@cache
def _tls_context(cafile: str | None) -> ssl.SSLContext:
    if cafile is None:
        import certifi

        cafile = certifi.where()
    return ssl.create_default_context(cafile=cafile)


class _BudgetedReader(io.RawIOBase):
    """The socket's bytes, each ``recv`` waiting at most for the time left of the budget
    its connection is currently spending."""

    def __init__(self, wrapped: _BudgetedSocket) -> None:
        self._wrapped = wrapped

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._wrapped.armed().recv_into(buffer)


class _BudgetedSocket:
    """A connected socket as ``http.client`` uses it, whose file reads obey ``budget``."""

    def __init__(self, sock: socket.socket, read_timeout: float, budget: Budget) -> None:
        self.sock = sock
        self.read_timeout = read_timeout
        self.budget = budget

    def armed(self) -> socket.socket:
        """The socket, its next operation allowed the time left (at most a read timeout)."""
        self.sock.settimeout(min(self.read_timeout, time_left(self.budget)))
        return self.sock

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_BudgetedReader(self))

    def sendall(self, data: Any) -> None:
        self.armed().sendall(data)

    def __getattr__(self, name: str) -> Any:  # close, fileno, setsockopt...
        return getattr(self.sock, name)


class Connection:
    """One keep-alive connection, used by one request at a time (``Pool.borrow``)."""

    def __init__(self, route: Route, connect_timeout: float, read_timeout: float) -> None:
        self.route = route
        self.read_timeout = read_timeout
        self._http = self._connect(route, connect_timeout)

    @staticmethod
    def _connect(route: Route, timeout: float) -> http.client.HTTPConnection:
        host, port = route.proxy or (route.host, route.port)
        conn: http.client.HTTPConnection
        if route.scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=tls_context())
            if route.proxy is not None:
                auth = {"Proxy-Authorization": route.proxy_auth} if route.proxy_auth else None
                conn.set_tunnel(route.host, route.port, headers=auth)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        conn.connect()  # here, so that a connect failure is told apart from a slow answer
        return conn

    def get(self, url: str, headers: dict[str, str], budget: Budget) -> http.client.HTTPResponse:
        """Send a GET for ``url`` and read the status line and headers within ``budget``."""
        raw = self._http.sock
        if isinstance(raw, _BudgetedSocket):
            raw.budget = budget
        else:
            self._http.sock = _BudgetedSocket(raw, self.read_timeout, budget)
        if self.route.absolute_form:
            target = url
            if self.route.proxy_auth:
                headers = {**headers, "Proxy-Authorization": self.route.proxy_auth}
        else:
            parts = urlsplit(url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._http.request("GET", target, headers=headers)
        return self._http.getresponse()

    def dropped(self) -> bool:
        """Whether the server closed this idle connection (or sent what nobody asked for)."""
        raw = self._http.sock
        if raw is None:
            return True
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(raw.fileno(), select.POLLIN)
            return bool(poller.poll(0))
        return bool(select.select([raw.fileno()], [], [], 0)[0])

    def close(self) -> None:
        self._http.close()


class Pool:
    """Idle keep-alive connections per route; a request borrows one for itself (threads
    share the pool: ``compare``, threaded servers and each fetch's early parse)."""

    def __init__(self, connect_timeout: float, read_timeout: float) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._idle: dict[Route, list[Connection]] = {}
        self._lock = threading.Lock()

    def borrow(self, route: Route, budget: Budget) -> Connection:
        """The most recently returned idle connection (the warmest) still open, or a new one
        made within the connect timeout and the budget."""
        while True:
            with self._lock:
                idle = self._idle.get(route)
                connection = idle.pop() if idle else None
            if connection is None:
                timeout = min(self.connect_timeout, time_left(budget))
                return Connection(route, timeout, self.read_timeout)
            if not connection.dropped():
                return connection
            connection.close()

    def give_back(self, connection: Connection) -> None:
        with self._lock:
            self._idle.setdefault(connection.route, []).append(connection)

    def close(self) -> None:
        with self._lock:
            idle = [c for connections in self._idle.values() for c in connections]
            self._idle.clear()
        for connection in idle:
            connection.close()
