"""The SAM template as CloudFormation reads it, short-form intrinsics (``!Ref``) included."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_template(path: Path) -> dict[str, Any]:
    """The template at ``path``; cfn-lint's reader is imported here, by the tests that read
    a template, rather than by every test process at collection (~1 s: it pulls in sympy)."""
    from cfnlint.decode import cfn_yaml

    loaded: dict[str, Any] = cfn_yaml.load(str(path))
    return loaded
