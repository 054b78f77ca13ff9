"""An offline stand-in for the MediaWiki Action API (see ``server.py``)."""

from .server import FAULTS, FakeWiki, Logged, serve

__all__ = ["FAULTS", "FakeWiki", "Logged", "serve"]
