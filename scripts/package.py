#!/usr/bin/env python3
"""Build the three deployable artifacts under dist/ (``make package``).

* ``dist/aws``   handler.py + citybrief/ + aws_lambda/requirements.txt installed as
  manylinux x86_64 / CPython 3.12 wheels (what the Lambda runtime in
  aws_lambda/template.yaml runs), ready for ``sam deploy`` to zip. boto3 is not listed
  there: the Lambda runtime provides it.
* ``dist/gcp``   main.py + requirements.txt + citybrief/; Cloud Build installs the
  requirements (``gcloud functions deploy --source=dist/gcp``).
* ``dist/azure`` function_app.py + host.json + requirements.txt + citybrief/; the
  platform's remote build installs the requirements (azure_functions/deploy.sh zips it).

Usage: python scripts/package.py [aws|gcp|azure ...]   (default: all three)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
CORE = ROOT / "shared" / "citybrief"
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache")

LAMBDA_PLATFORM = "manylinux2014_x86_64"  # Architectures: x86_64 in template.yaml
LAMBDA_PYTHON = "3.12"  # Runtime: python3.12


def fresh(target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    return target


def copy_core(target: Path) -> None:
    shutil.copytree(CORE, target / "citybrief", ignore=IGNORE)


def copy_files(source: Path, target: Path, names: list[str]) -> None:
    for name in names:
        path = source / name
        if not path.is_file():
            sys.exit(f"package: {path.relative_to(ROOT)} is missing")
        shutil.copy2(path, target / name)


def package_aws() -> Path:
    target = fresh(DIST / "aws")
    copy_files(ROOT / "aws_lambda", target, ["handler.py"])
    copy_core(target)
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--target",
        str(target),
        "--platform",
        LAMBDA_PLATFORM,
        "--implementation",
        "cp",
        "--python-version",
        LAMBDA_PYTHON,
        "--only-binary=:all:",
        "--requirement",
        str(ROOT / "aws_lambda" / "requirements.txt"),
    ]
    subprocess.run(command, check=True)
    for junk in target.glob("*.dist-info"):
        # keep metadata (importlib.metadata needs it) but not the bulky RECORD of hashes
        (junk / "RECORD").unlink(missing_ok=True)
    return target


def package_gcp() -> Path:
    target = fresh(DIST / "gcp")
    copy_files(ROOT / "gcp_functions", target, ["main.py", "requirements.txt"])
    ignore = ROOT / "gcp_functions" / ".gcloudignore"
    if ignore.is_file():  # gcloud reads it from the --source directory
        shutil.copy2(ignore, target / ".gcloudignore")
    copy_core(target)
    return target


def package_azure() -> Path:
    target = fresh(DIST / "azure")
    copy_files(
        ROOT / "azure_functions", target, ["function_app.py", "host.json", "requirements.txt"]
    )
    copy_core(target)
    return target


BUILDERS = {"aws": package_aws, "gcp": package_gcp, "azure": package_azure}


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", metavar="{aws,gcp,azure}")
    args = parser.parse_args(argv)
    unknown = set(args.targets) - set(BUILDERS)
    if unknown:
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    for name in args.targets or list(BUILDERS):
        path = BUILDERS[name]()
        print(f"package: {path.relative_to(ROOT)} ({size_mb(path):.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
