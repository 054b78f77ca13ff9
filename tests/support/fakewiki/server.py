"""A fake MediaWiki Action API over real HTTP, with switchable failures.

``/w/api.php`` is the English edition; ``/<lang>/w/api.php`` serves the other editions
(``editions.py``), so ``edition_api_url`` stands in for ``https://{lang}.wikipedia.org``.

Answers ``GET /w/api.php`` in the ``formatversion=2`` shapes en.wikipedia.org uses (see
``../shared/wiki/api-cassettes`` for recorded ``formatversion=1`` originals), so the client
is exercised through sockets, gzip, keep-alive and timeouts rather than mocks. A request
without ``formatversion=2`` gets the legacy ``formatversion=1`` shapes, as on the real API
(``bench/naive.py`` drives the old ``wikipedia`` package, which expects them).
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, urlsplit

from .infobox import infobox_html
from .pages import DEFAULT_DATA, Page, Wiki, load, load_editions

FAULTS = ("429", "500", "maxlag", "html", "reset", "hang", "trickle", "trickle-headers")
BLOCKED_UA = (
    "Please set a user-agent and respect our robot policy https://w.wiki/4wJS. "
    "See also https://phabricator.wikimedia.org/T400119.\n"
)
HTML_ERROR = (
    "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Wikimedia Error</title>"
    "<p>Our servers are currently under maintenance or experiencing a technical issue.</p>"
    "</html>"
)


class Logged(NamedTuple):
    """One request as the server saw it."""

    params: dict[str, str]
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival, so tests can tell overlapping requests


@dataclass
class Fault:
    kind: str
    times: int | None  # None: every request until reset()
    retry_after: int
    status: int | None
    only: dict[str, str]  # applies only to requests with these parameters (all when empty)


def normalize(title: str) -> str:
    """MediaWiki's title normalisation: underscores to spaces, first letter upper."""
    title = " ".join(title.replace("_", " ").split())
    return title[:1].upper() + title[1:]


class FakeWiki(ThreadingHTTPServer):
    """The server object tests drive: ``api_url``, counters, and fault switches."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        wiki: Wiki,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_ms: int = 0,
        require_contact: bool = True,
        editions: dict[str, Wiki] | None = None,
    ) -> None:
        super().__init__((host, port), _Handler)
        self.wiki = wiki
        self.editions = {**(editions or {}), wiki.lang: wiki}
        self.latency_ms = latency_ms
        self.require_contact = require_contact
        self.hang_seconds = 30.0
        self.trickle_seconds = 1.0  # between two bytes of a "trickle" answer's body
        # Close each connection once its answer is sent, without saying so in a header, as
        # a server does with an idle keep-alive connection: a client must notice before reuse.
        self.close_after_answer = False
        self.connections = 0  # TCP connections accepted since the last reset()
        self.closed_after_answer = 0  # ... closed because of close_after_answer
        self._closing: set[Any] = set()
        self._lock = threading.Condition()
        self._faults: list[Fault] = []
        self._log: list[Logged] = []
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def api_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/w/api.php"

    @property
    def edition_api_url(self) -> str:
        """A ``CITYBRIEF_WIKI_API`` template: each language to its own edition."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/{{lang}}/w/api.php"

    @property
    def requests(self) -> int:
        with self._lock:
            return len(self._log)

    @property
    def log(self) -> list[Logged]:
        with self._lock:
            return list(self._log)

    def fail(
        self,
        kind: str,
        times: int | None = None,
        retry_after: int = 5,
        status: int | None = None,
        only: dict[str, str] | None = None,
    ) -> None:
        """Make the next ``times`` requests (all, if None) fail with ``kind`` (see FAULTS).

        Faults queue in order, so ``fail("429", 1); fail("500", 1)`` fails twice, differently.
        ``only`` limits the fault to requests carrying those parameters, e.g.
        ``{"action": "parse"}`` or ``{"list": "search"}``.
        """
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; choose from {FAULTS}")
        with self._lock:
            self._faults.append(Fault(kind, times, retry_after, status, dict(only or {})))

    def reset(self) -> None:
        """Forget requests and faults, drop added latency, wake any hung or trickling handler."""
        with self._lock:
            self._faults.clear()
            self._log.clear()
            self.latency_ms = 0
            self.trickle_seconds = 1.0
            self.close_after_answer = False
            self.connections = self.closed_after_answer = 0
            self._wake.set()
            self._wake = threading.Event()

    def start(self) -> FakeWiki:
        self._thread = threading.Thread(
            target=self.serve_forever, args=(0.05,), name="fakewiki", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._wake.set()
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1

    def shutdown_request(self, request: Any) -> None:
        super().shutdown_request(request)
        with self._lock:
            if request in self._closing:
                self._closing.discard(request)
                self.closed_after_answer += 1
                self._lock.notify_all()

    def wait_closed_after_answer(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until ``count`` connections have been closed by ``close_after_answer``."""
        with self._lock:
            return self._lock.wait_for(lambda: self.closed_after_answer >= count, timeout)

    def _record(self, logged: Logged) -> tuple[Fault | None, threading.Event]:
        """Log the request and consume the fault that applies to it, atomically."""
        with self._lock:
            self._log.append(logged)
            for fault in self._faults:
                if fault.times == 0 or (fault.kind == "maxlag" and "maxlag" not in logged.params):
                    continue  # real servers only report lag to clients that ask with maxlag=
                if any(logged.params.get(name) != value for name, value in fault.only.items()):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                return fault, self._wake
            return None, self._wake


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so the client's connection pool is exercised
    disable_nagle_algorithm = True  # headers and body go out at once, as from a real server
    server: FakeWiki

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging; tests read ``server.log`` instead."""

    def setup(self) -> None:
        super().setup()
        self.server._connected()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        headers = {key.lower(): value for key, value in self.headers.items()}
        fault, wake = self.server._record(Logged(params, headers, time.monotonic()))
        if self.server.latency_ms:
            wake.wait(self.server.latency_ms / 1000)
        try:
            if fault is not None and self._inject(fault, wake, params):
                return
            wiki = self._edition(url.path)
            if wiki is None:
                self._send(404, b"Not Found", "text/plain")
            elif self.server.require_contact and not _has_contact(headers.get("user-agent", "")):
                self._send(403, BLOCKED_UA.encode(), "text/plain")
            else:
                self._json(200, answer(wiki, params))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. timed out); nothing to do
        if self.server.close_after_answer:
            self.close_connection = True
            with self.server._lock:
                self.server._closing.add(self.connection)

    def _edition(self, path: str) -> Wiki | None:
        """``/w/api.php``: English; ``/<lang>/w/api.php``: that edition, if served."""
        if path == "/w/api.php":
            return self.server.wiki
        lang, _, rest = path.removeprefix("/").partition("/")
        return self.server.editions.get(lang) if rest == "w/api.php" else None

    def _inject(self, fault: Fault, wake: threading.Event, params: dict[str, str]) -> bool:
        """Act out ``fault``; True when the request is fully handled."""
        if fault.kind == "429":
            body = {"error": {"code": "ratelimited", "info": "Too many requests."}}
            self._json(fault.status or 429, body, {"Retry-After": str(fault.retry_after)})
        elif fault.kind == "500":
            self._send(fault.status or 500, HTML_ERROR.encode(), "text/html; charset=utf-8")
        elif fault.kind == "maxlag":
            lag = fault.retry_after + 2
            lagged: dict[str, Any] = {
                "error": {
                    "code": "maxlag",
                    "info": f"Waiting for a database server: {lag} seconds lagged.",
                    "host": "db1",
                    "lag": lag,
                }
            }
            extra = {"Retry-After": str(fault.retry_after), "MediaWiki-API-Error": "maxlag"}
            self._json(200, lagged, extra)
        elif fault.kind == "html":
            self._send(fault.status or 200, HTML_ERROR.encode(), "text/html; charset=utf-8")
        elif fault.kind == "reset":
            linger = struct.pack("ii", 1, 0)  # close with RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            self.close_connection = True
        elif fault.kind == "trickle":  # 200 and the real answer, one byte at a time
            self._json(200, answer(self.server.wiki, params), trickle=wake)
        elif fault.kind == "trickle-headers":  # the status line and headers, a byte at a time
            self.close_connection = True
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: " * 100:
                self.wfile.write(bytes([byte]))
                if wake.wait(self.server.trickle_seconds):
                    return True
        else:  # hang: longer than any client timeout, but reset()/stop() end it at once
            wake.wait(self.server.hang_seconds)
            self.close_connection = True
        return True

    def _json(
        self,
        status: int,
        body: Any,
        extra: dict[str, str] | None = None,
        trickle: threading.Event | None = None,
    ) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self._send(status, data, "application/json; charset=utf-8", extra, trickle)

    def _send(
        self,
        status: int,
        data: bytes,
        ctype: str,
        extra: dict[str, str] | None = None,
        trickle: threading.Event | None = None,
    ) -> None:
        """Answer at once, or with ``trickle`` the body one byte per ``trickle_seconds``
        (every read finds a byte, so no read timeout fires) until the event is set."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data, compresslevel=1)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept-Encoding")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if trickle is None:
            self.wfile.write(data)
            return
        self.close_connection = True  # a reset() mid-body leaves the answer cut short
        for at in range(len(data)):
            self.wfile.write(data[at : at + 1])
            if trickle.wait(self.server.trickle_seconds):
                return


def _has_contact(agent: str) -> bool:
    """Wikimedia's User-Agent policy: a URL or e-mail to reach the operator."""
    return "http" in agent or "@" in agent


def _error(code: str, info: str) -> dict[str, Any]:
    return {
        "error": {"code": code, "info": info, "docref": "See https://en.wikipedia.org/w/api.php"},
        "servedby": "mw-api-fake",
    }


def answer(wiki: Wiki, params: dict[str, str]) -> dict[str, Any]:
    """The JSON body for one API call; formatversion=1 unless 2 is asked, as on-wiki."""
    body = _answer(wiki, params)
    return body if params.get("formatversion") in ("2", "latest") else _v1(body)


def _v1(body: dict[str, Any]) -> dict[str, Any]:
    """formatversion=1 shapes: pages keyed by id (missing ones -1, -2...), true as "",
    false omitted, parsed HTML under ``{"*": ...}``."""

    def convert(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: "" if v is True else convert(v) for k, v in node.items() if v is not False}
        if isinstance(node, list):
            return [convert(v) for v in node]
        return node

    out: dict[str, Any] = convert(body)
    pages = out.get("query", {}).get("pages")
    if isinstance(pages, list):
        keyed, missing = {}, 0
        for page in pages:
            if "pageid" not in page:
                missing -= 1
            keyed[str(page.get("pageid", missing))] = page
        out["query"]["pages"] = keyed
    if isinstance(out.get("parse", {}).get("text"), str):
        out["parse"]["text"] = {"*": out["parse"]["text"]}
    return out


def _answer(wiki: Wiki, params: dict[str, str]) -> dict[str, Any]:
    action = params.get("action")
    if action == "query":
        return _query(wiki, params)
    if action == "parse":
        return _parse(wiki, params)
    if action is None:
        return _error("missingparam", 'The "action" parameter must be set.')
    return _error("badvalue", f'Unrecognized value for parameter "action": {action}.')


def _resolve(
    wiki: Wiki, raw: str, follow: bool
) -> tuple[str, dict[str, Any] | None, dict[str, str] | None]:
    """(final title, normalized entry, redirect entry) for one requested title."""
    title = normalize(raw)
    normalized = {"fromencoded": False, "from": raw, "to": title} if title != raw else None
    redirect = None
    if follow and title in wiki.redirects:
        redirect = {"from": title, "to": wiki.redirects[title]}
        title = wiki.redirects[title]
    return title, normalized, redirect


def _query(wiki: Wiki, params: dict[str, str]) -> dict[str, Any]:
    if params.get("list") == "search":
        return _search(wiki, params)
    follow = params.get("redirects") in ("", "1", "true")
    titles = [t for t in params.get("titles", "").split("|") if t]
    if not titles:
        return {"batchcomplete": True}
    normalized, redirects, resolved = [], [], []
    for raw in titles:
        title, norm, redirect = _resolve(wiki, raw, follow)
        if norm:
            normalized.append(norm)
        if redirect:
            redirects.append(redirect)
        resolved.append(title)
    if params.get("generator") == "links":
        # As prop=links: by namespace then title, gplnamespace honoured, gpllimit at most.
        # The generated pages come out missing ones first, then the rest in title order.
        limit = _limit(params.get("gpllimit"), 10)
        wanted = {int(ns) for ns in params.get("gplnamespace", "").split("|") if ns.isdigit()}
        linked: set[str] = set()
        for title in resolved:
            page = wiki.pages.get(title)
            linked.update(page.links if page else ())
        ordered = sorted(
            (link for link in linked if not wanted or _namespace(wiki, link) in wanted),
            key=lambda link: (_namespace(wiki, link), link),
        )
        normalized, redirects, generated = [], [], set()
        for raw in ordered[:limit]:
            title, _, redirect = _resolve(wiki, raw, follow)
            if redirect:
                redirects.append(redirect)
            generated.add(title)
        resolved = sorted(generated, key=lambda title: (title in wiki.pages, title))
    props = set(params.get("prop", "").split("|")) - {""}
    coords_left = [_limit(params.get("colimit"), 10)]
    pages = [_page(wiki, title, props, params, coords_left) for title in resolved]
    query: dict[str, Any] = {}
    if normalized:
        query["normalized"] = normalized
    if redirects:
        query["redirects"] = redirects
    query["pages"] = pages
    return {"batchcomplete": True, "query": query}


NAMESPACES = {"Wikipedia": 4, "File": 6, "Template": 10, "Help": 12, "Category": 14}


def _namespace(wiki: Wiki, title: str) -> int:
    page = wiki.pages.get(title)
    if page is not None:
        return page.ns
    prefix, colon, _ = title.partition(":")
    return NAMESPACES.get(prefix, 0) if colon else 0


def _limit(raw: str | None, default: int) -> int:
    if raw == "max":
        return 500
    return int(raw) if raw and raw.isdigit() else default


def _page(
    wiki: Wiki, title: str, props: set[str], params: dict[str, str], coords_left: list[int]
) -> dict[str, Any]:
    page = wiki.pages.get(title)
    if page is None:
        return {"ns": 0, "title": title, "missing": True}
    out: dict[str, Any] = {"pageid": page.pageid, "ns": page.ns, "title": page.title}
    if "extracts" in props:
        out["extract"] = page.lead if "exintro" in params else page.extract
        if params.get("exsentences", "").isdigit():  # roughly: the lead's first n sentences
            first = re.split(r"(?<=[.!?])\s+", page.lead)[: int(params["exsentences"])]
            out["extract"] = " ".join(first)
    if "coordinates" in props and page.lat is not None and coords_left[0] > 0:
        coords_left[0] -= 1  # colimit counts across all pages, as on the real API
        out["coordinates"] = [{"lat": page.lat, "lon": page.lon, "primary": True, "globe": "earth"}]
    if "pageprops" in props:
        pageprops = {"wikibase_item": f"Q{page.pageid}"}
        if page.description:
            pageprops["wikibase-shortdesc"] = page.description
        if page.disambiguation:
            pageprops["disambiguation"] = ""
        wanted = params.get("ppprop")
        if wanted:
            pageprops = {k: v for k, v in pageprops.items() if k in wanted.split("|")}
        if pageprops:
            out["pageprops"] = pageprops
    if "description" in props and page.description:
        out["description"] = page.description
        out["descriptionsource"] = "local"
    if "info" in props:
        out.update(
            contentmodel="wikitext",
            pagelanguage=wiki.lang,
            touched="2026-03-27T09:26:22Z",
            lastrevid=page.revid,
            length=len(page.extract.encode()),
        )
        if "url" in params.get("inprop", "").split("|"):
            url = f"https://{wiki.lang}.wikipedia.org/wiki/" + quote(
                page.title.replace(" ", "_"), "(),'"
            )
            out.update(fullurl=url, canonicalurl=url)
    if "revisions" in props:
        out["revisions"] = [{"revid": page.revid, "parentid": page.revid - 17}]
    return out


def _search(wiki: Wiki, params: dict[str, str]) -> dict[str, Any]:
    text = params.get("srsearch", "")
    if not text.strip():
        return _error("missingparam", 'The "srsearch" parameter must be set.')
    total, hits = wiki.search(text, _limit(params.get("srlimit"), 10))
    query: dict[str, Any] = {}
    # srinfo defaults to totalhits|suggestion|rewrittenquery; we never have a suggestion.
    if "totalhits" in params.get("srinfo", "totalhits").split("|"):
        query["searchinfo"] = {"totalhits": total}
    query["search"] = [
        {"ns": 0, "title": p.title, "pageid": p.pageid, "snippet": escape(p.lead[:150])}
        for p in hits
    ]
    return {"batchcomplete": True, "query": query}


def _parse(wiki: Wiki, params: dict[str, str]) -> dict[str, Any]:
    raw = params.get("page", "")
    title, _, redirect = _resolve(wiki, raw, params.get("redirects") in ("", "1", "true"))
    page = wiki.pages.get(title)
    if page is None:
        return _error("missingtitle", "The page you specified doesn't exist.")
    parsed: dict[str, Any] = {"title": page.title, "pageid": page.pageid}
    if redirect:
        parsed["redirects"] = [redirect]
    parsed["text"] = _section0(page, wiki.lang)
    return {"parse": parsed}


def _section0(page: Page, lang: str) -> str:
    if page.population is not None and page.timezone is not None:
        return infobox_html(page.title, page.population, page.timezone)
    return (
        f'<div class="mw-content-ltr mw-parser-output" lang="{lang}" dir="ltr">'
        f"<p>{escape(page.lead)}</p></div>"
    )


def serve(
    data_dir: Path = DEFAULT_DATA, host: str = "127.0.0.1", port: int = 0, latency_ms: int = 0
) -> FakeWiki:
    """Start a fake wiki in a background thread; call ``stop()`` when done."""
    return FakeWiki(load(data_dir), host, port, latency_ms, editions=load_editions()).start()
