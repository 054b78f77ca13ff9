"""Trace headers become request ids only when they follow their standard's syntax.

GIVEN a header value a client (or a front end) sent
WHEN citybrief.logs parses it
THEN a well-formed value yields its trace id, anything else None (the adapter then uses
     the platform's id or the core makes one).
"""

from __future__ import annotations

import pytest

from citybrief.logs import Trace, parse_amzn_trace_id, parse_cloud_trace, parse_traceparent

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_a_w3c_traceparent_yields_its_trace() -> None:
    assert parse_traceparent(f"00-{TRACE}-00f067aa0ba902b7-01") == Trace(
        TRACE, "00f067aa0ba902b7", True
    )
    # a later version may append fields
    assert parse_traceparent(f"01-{TRACE}-00f067aa0ba902b7-00-more") == Trace(
        TRACE, "00f067aa0ba902b7", False
    )


@pytest.mark.parametrize(
    "value",
    [
        None,
        42,
        "",
        f"00-{TRACE}-00f067aa0ba902b7-01-extra",  # version 00 has exactly four fields
        f"ff-{TRACE}-00f067aa0ba902b7-01",  # version ff is invalid
        f"00-{TRACE.upper()}-00f067aa0ba902b7-01",  # upper case is invalid
        f"00-{'0' * 32}-00f067aa0ba902b7-01",  # all-zero trace id
        f"00-{TRACE}-{'0' * 16}-01",  # all-zero parent id
        f"00-{TRACE}-00f067aa0ba902b7-1",
        f"00-{TRACE}-00f067aa0ba902b7-01\n",
    ],
)
def test_a_malformed_traceparent_yields_nothing(value: object) -> None:
    assert parse_traceparent(value) is None


def test_an_x_cloud_trace_context_yields_its_trace() -> None:
    assert parse_cloud_trace(f"{TRACE.upper()}/12345;o=1") == Trace(TRACE, f"{12345:016x}", True)
    assert parse_cloud_trace(TRACE) == Trace(TRACE)


@pytest.mark.parametrize(
    "value",
    [
        None,
        7,
        "",
        "abc/1;o=1",
        f"{'0' * 32}/1;o=1",
        f"{TRACE}/1;o=2",
        f"{TRACE}/x;o=1",
        TRACE + "0",
    ],
)
def test_a_malformed_x_cloud_trace_context_yields_nothing(value: object) -> None:
    assert parse_cloud_trace(value) is None


@pytest.mark.parametrize(
    ("value", "root"),
    [
        ("Root=1-5759e988-bd862e3fe1be46a994272793", "1-5759e988-bd862e3fe1be46a994272793"),
        (
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            "1-5759e988-bd862e3fe1be46a994272793",
        ),
        ("Root=1-5759e988-bd862e3fe1be46a99427279", None),  # 23 hex digits
        ("Root=1-5759e988-bd862e3fe1be46a994272793;Root=1-5759e988-bd862e3fe1be46a994272794", None),
        ("Root=1-5759e988-bd862e3fe1be46a994272793;x=a b", None),
        ("Parent=53995c3f42cd8ad8", None),
        (12345, None),
    ],
)
def test_x_amzn_trace_id_yields_its_root_only_when_well_formed(
    value: object, root: str | None
) -> None:
    assert parse_amzn_trace_id(value) == root
