"""X-Ray tracing is a switch with a price: its SDK costs ~0.3 s of every cold start.

GIVEN a fresh interpreter (a cold start) importing the Lambda handler
WHEN tracing is on (the default) or off (POWERTOOLS_TRACE_DISABLED=true)
THEN the handler answers either way, and only the traced one imports the X-Ray SDK.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HANDLER_DIR = Path(__file__).resolve().parents[2] / "aws_lambda"
COLD_START = f"""
import json, sys
sys.path.insert(0, {str(HANDLER_DIR)!r})
import handler

class Context:
    function_name = "citybrief"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:citybrief"
    aws_request_id = "req-1"

result = handler.handler({{"unexpected": True}}, Context())
print(json.dumps({{"result": result, "xray": "aws_xray_sdk" in sys.modules,
                  "tracer": handler.tracer is not None}}))
"""


def cold_start(trace_disabled: str | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "POWERTOOLS_TRACE_DISABLED"}
    if trace_disabled is not None:
        env["POWERTOOLS_TRACE_DISABLED"] = trace_disabled
    out = subprocess.run(
        [sys.executable, "-c", COLD_START], env=env, capture_output=True, text=True, check=True
    ).stdout
    doc: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return doc


@pytest.mark.parametrize(
    ("trace_disabled", "traced"), [(None, True), ("false", True), ("true", False), ("1", False)]
)
def test_tracing_switch(trace_disabled: str | None, traced: bool) -> None:
    run = cold_start(trace_disabled)
    # the handler answers (here: a clear error document for an unknown event) either way
    result = run["result"]
    assert isinstance(result, dict)
    assert result["error"]["status"] == 400
    # and pays for X-Ray only when it traces
    assert run["tracer"] is traced
    assert run["xray"] is traced
