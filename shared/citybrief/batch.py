"""Former name of ``citybrief.filebatch``; kept while ``citybrief.cli`` imports it here."""

from .filebatch import (
    DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
    Progress,
    load_done,
    read_cities,
    run_batch,
    validate_concurrency,
)
from .records import city_key

__all__ = [
    "DEFAULT_CONCURRENCY",
    "MAX_CONCURRENCY",
    "Progress",
    "city_key",
    "load_done",
    "read_cities",
    "run_batch",
    "validate_concurrency",
]
