"""The OpenAPI document and the code say the same thing, checked by schemathesis.

GIVEN the document the local server (functions-framework over the fake Wikipedia)
      serves at /openapi.json
WHEN schemathesis sends every operation the schema's own examples, its boundary values
     (the coverage phase) and bounded random inputs, both ones the schema allows and ones
     it forbids -- all offline, against this machine only
THEN every allowed input is accepted (2xx, or 404/409 for a name no article matches),
     every forbidden one is refused with a 4xx, and every answer has a documented
     status, Content-Type and body schema; never a 5xx.

Run as the ``schemathesis`` command (its pytest plugin's lazy fixtures do not load under
pytest 9); ``MAX_EXAMPLES`` per operation keeps the run around 20 s.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.gcp.conftest import FunctionServer

MAX_EXAMPLES = 15
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
)


def test_the_server_answers_as_its_openapi_document_says(
    gcp_server: FunctionServer, tmp_path: Path
) -> None:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{gcp_server.url}/openapi.json",
        f"--url={gcp_server.url}",
        f"--checks={','.join(CHECKS)}",
        "--mode=all",
        "--phases=examples,coverage,fuzzing",
        f"--max-examples={MAX_EXAMPLES}",
        "--no-shrink",
        "--generation-database=none",
        "--request-timeout=30",
        "--no-color",
    ]
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    report = done.stdout[-8000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    assert " passed" in done.stdout and "failed" not in done.stdout.split("SUMMARY")[-1], report
