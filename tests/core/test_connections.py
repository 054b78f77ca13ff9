"""The HTTP client under the MediaWiki transport: keep-alive, deadlines on every read,
body limits, proxies and TLS, against real sockets."""

from __future__ import annotations

import dataclasses
import gzip
import http.client
import io
import logging
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

from citybrief.connections import Route, route_for
from citybrief.errors import UpstreamError, UpstreamTimeout
from citybrief.settings import Settings
from citybrief.wiki import WikiClient
from citybrief.wiki_transport import read_body
from tests.support.fakewiki import FakeWiki


@pytest.fixture
def client(settings: Settings) -> Iterator[WikiClient]:
    with WikiClient(settings, backoff=0.01) as wiki_client:
        yield wiki_client


# -- keep-alive ------------------------------------------------------------------------------


def test_warm_connections_are_reused(client: WikiClient, wiki: FakeWiki) -> None:
    """GIVEN a client WHEN it fetches three cities THEN its six requests travel over the
    two connections of the first fetch (the query and its early parse run side by side)."""
    for city in ("Atlanta", "Boston", "Chicago"):
        client.fetch(city)

    assert wiki.requests == 6
    assert wiki.connections == 2


def test_a_connection_the_server_closed_is_not_reused(
    client: WikiClient, wiki: FakeWiki, caplog: pytest.LogCaptureFixture
) -> None:
    """GIVEN a server that closes each connection once it has answered, without a
    ``Connection: close`` header (an idle keep-alive timeout) WHEN fetching again THEN the
    closed connections are noticed before reuse: no failed request, no retry."""
    wiki.close_after_answer = True
    client.fetch("Atlanta")  # may itself reuse a connection whose close is still in flight
    assert wiki.wait_closed_after_answer(wiki.connections)  # every one so far is closed
    caplog.clear()
    sent = wiki.requests

    with caplog.at_level(logging.WARNING, logger="citybrief.wiki"):
        assert client.fetch("Boston").requests == 2

    assert wiki.requests - sent == 2
    assert not [r for r in caplog.records if "retry" in r.getMessage()]


# -- the deadline on every read ----------------------------------------------------------------


def test_trickled_headers_end_at_the_deadline(settings: Settings, wiki: FakeWiki) -> None:
    """GIVEN a server sending its status line and headers a byte every 50 ms (each read
    gets a byte, so a 10 s read timeout never fires) WHEN fetching with a 0.5 s deadline
    THEN UpstreamTimeout comes at the deadline, not minutes later."""
    wiki.trickle_seconds = 0.05
    wiki.fail("trickle-headers")
    short = dataclasses.replace(settings, read_timeout=10.0, deadline=0.5)
    started = time.monotonic()

    with WikiClient(short) as client, pytest.raises(UpstreamTimeout):
        client.fetch("Atlanta")

    assert time.monotonic() - started < 1.0


# -- bodies ----------------------------------------------------------------------------------


class _Recorded:
    """A socket whose whole input is ``data``: an HTTP response read from bytes."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def makefile(self, mode: str) -> io.BytesIO:
        return io.BytesIO(self._data)


def _response(head: str, body: bytes) -> http.client.HTTPResponse:
    response = http.client.HTTPResponse(_Recorded(head.encode() + b"\r\n" + body))  # type: ignore[arg-type]
    response.begin()
    return response


def test_a_gzip_body_is_inflated() -> None:
    data = b'{"batchcomplete": true}'
    packed = gzip.compress(data)
    head = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(packed)}\r\n"

    assert read_body(_response(head, packed)) == data


def test_a_chunked_body_is_joined() -> None:
    head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"

    assert read_body(_response(head, b'3\r\n{"a\r\n5\r\n": 1}\r\n0\r\n\r\n')) == b'{"a": 1}'


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n"

    with pytest.raises(UpstreamError, match="larger than 1000 bytes"):
        read_body(_response(head, b""), limit=1000)


def test_an_undeclared_body_over_the_limit_is_refused() -> None:
    head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
    chunk = b"x" * 800
    body = b"".join(b"320\r\n" + chunk + b"\r\n" for _ in range(3)) + b"0\r\n\r\n"

    with pytest.raises(UpstreamError, match="larger than 1000 bytes"):
        read_body(_response(head, body), limit=1000)


def test_a_gzip_bomb_is_refused() -> None:
    """GIVEN 10 MB of zeros gzipped to ~10 KB WHEN the limit is 1 MB THEN it is refused
    without inflating all of it."""
    packed = gzip.compress(bytes(10_000_000))
    head = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(packed)}\r\n"

    with pytest.raises(UpstreamError, match="larger than 1000000 bytes"):
        read_body(_response(head, packed), limit=1_000_000)


def test_a_body_shorter_than_declared_is_incomplete() -> None:
    head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"

    with pytest.raises(http.client.IncompleteRead):
        read_body(_response(head, b'{"cut'))


def test_an_encoding_never_asked_for_is_refused() -> None:
    head = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 2\r\n"

    with pytest.raises(UpstreamError, match="encoding we did not ask for: br"):
        read_body(_response(head, b"{}"))


# -- proxies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "url", "expected"),
    [
        ({}, "https://en.wikipedia.org/w/api.php", Route("https", "en.wikipedia.org", 443)),
        (
            {"HTTPS_PROXY": "http://user:p%40ss@proxy.corp:3128"},
            "https://en.wikipedia.org/w/api.php",
            Route("https", "en.wikipedia.org", 443, ("proxy.corp", 3128), "Basic dXNlcjpwQHNz"),
        ),
        (
            {"https_proxy": "proxy.corp:8080", "HTTPS_PROXY": "http://other:1"},
            "https://de.wikipedia.org/w/api.php",
            Route("https", "de.wikipedia.org", 443, ("proxy.corp", 8080)),
        ),
        (
            {"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "localhost, .wikipedia.org"},
            "https://en.wikipedia.org/w/api.php",
            Route("https", "en.wikipedia.org", 443),
        ),
        (
            {"HTTPS_PROXY": "http://proxy.corp:3128", "no_proxy": "*"},
            "https://en.wikipedia.org/w/api.php",
            Route("https", "en.wikipedia.org", 443),
        ),
        (
            {"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "pedia.org"},
            "https://en.wikipedia.org/w/api.php",
            Route("https", "en.wikipedia.org", 443, ("proxy.corp", 3128)),
        ),
        (
            {"HTTP_PROXY": "http://proxy.corp:3128", "REQUEST_METHOD": "GET"},
            "http://127.0.0.1:8080/w/api.php",
            Route("http", "127.0.0.1", 8080),
        ),
    ],
    ids=[
        "direct",
        "tunnel-with-auth",
        "lower-case-first",
        "no-proxy-domain",
        "no-proxy-all",
        "no-proxy-whole-labels",
        "cgi-ignores-http-proxy",
    ],
)
def test_routes_follow_the_proxy_variables(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], url: str, expected: Route
) -> None:
    for name in (
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "NO_PROXY",
        "no_proxy",
        "REQUEST_METHOD",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert route_for(url) == expected


class _ForwardingProxy(ThreadingHTTPServer):
    """A plain HTTP proxy: absolute-form requests in, forwarded, the request lines kept."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.seen: list[str] = []
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ForwardingProxy

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.server.seen.append(self.path)
        target = http.client.HTTPConnection(self.headers["Host"], timeout=5)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-authorization"}
        target.request("GET", self.path, headers=headers)
        answer = target.getresponse()
        body = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("connection", "transfer-encoding"):
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        target.close()


def test_an_http_proxy_carries_the_requests_unless_no_proxy_says_otherwise(
    settings: Settings, wiki: FakeWiki, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = _ForwardingProxy()
    try:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("http_proxy", raising=False)
        monkeypatch.delenv("REQUEST_METHOD", raising=False)
        monkeypatch.setenv("NO_PROXY", "example.org")
        with WikiClient(settings) as client:
            assert client.fetch("Atlanta").article.title == "Atlanta"
        assert len(proxy.seen) == 2
        assert all(line.startswith(wiki.api_url + "?") for line in proxy.seen)

        monkeypatch.setenv("NO_PROXY", "example.org,127.0.0.1")
        with WikiClient(settings) as client:
            assert client.fetch("Boston").article.title == "Boston"
        assert len(proxy.seen) == 2  # straight to the server this time
        assert wiki.requests == 4
    finally:
        proxy.shutdown()
        proxy.server_close()


# -- TLS -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_wiki(fake_wiki: FakeWiki, authority: trustme.CA) -> Iterator[FakeWiki]:
    """The fake wiki's pages over HTTPS, with a certificate from a private authority."""
    server = FakeWiki(fake_wiki.wiki)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.start()
    yield server
    server.stop()


def _https(settings: Settings, server: FakeWiki) -> Settings:
    return dataclasses.replace(settings, wiki_api=server.api_url.replace("http:", "https:"))


def test_an_unknown_certificate_authority_is_refused_at_once(
    settings: Settings,
    tls_wiki: FakeWiki,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """GIVEN an HTTPS Wikipedia whose certificate no trusted authority signed WHEN
    fetching THEN UpstreamError names the refusal, nothing is sent and nothing retried."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)

    with (
        WikiClient(_https(settings, tls_wiki)) as client,
        caplog.at_level(logging.WARNING),
        pytest.raises(UpstreamError, match="TLS certificate was refused"),
    ):
        client.fetch("Atlanta")

    assert tls_wiki.requests == 0
    assert not [r for r in caplog.records if "retry" in r.getMessage()]


def test_ssl_cert_file_names_the_authorities_to_trust(
    settings: Settings,
    tls_wiki: FakeWiki,
    authority: trustme.CA,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """GIVEN ``SSL_CERT_FILE`` naming the private authority (as behind a TLS-inspecting
    proxy) WHEN fetching over HTTPS THEN the brief's requests succeed."""
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))

    with WikiClient(_https(settings, tls_wiki)) as client:
        assert client.fetch("Atlanta").article.title == "Atlanta"

    assert tls_wiki.requests == 2
