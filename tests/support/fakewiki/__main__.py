"""Run the fake wiki standalone: ``python -m tests.support.fakewiki --port 8765``.

Used by ``make run`` offline and by benchmarks; point ``CITYBRIEF_WIKI_API`` at the URL it prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .pages import DEFAULT_DATA, load, load_editions
from .server import FakeWiki


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.support.fakewiki", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/wiki folder")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every answer")
    args = parser.parse_args(argv)
    if not (args.data / "cities.json").is_file():
        raise SystemExit(f"No reference data at {args.data}: pass --data PATH/TO/shared/wiki.")
    server = FakeWiki(
        load(args.data), args.host, args.port, args.latency_ms, editions=load_editions()
    )
    print(f"fake MediaWiki API at {server.api_url} (Ctrl-C stops)", flush=True)
    print(f"every edition (de, fr, es, it): {server.edition_api_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
