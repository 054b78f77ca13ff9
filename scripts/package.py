#!/usr/bin/env python3
"""Build the three deployable artifacts under dist/ (``make package``).

Each artifact takes every module of its adapter folder (``*.py``), so an adapter may be
split by concern; the entry modules and data files named below must exist.

* ``dist/aws`` + ``dist/aws.zip``: handler.py (the public function) + batch_task.py (the
  batch state machine's task) + their modules + citybrief/ + aws_lambda/requirements.txt
  installed as manylinux2014 x86_64 / CPython 3.12 wheels (the Runtime and Architectures
  of aws_lambda/template.yaml, whose CodeUri is dist/aws). boto3, botocore and s3transfer
  are removed after the install, with whatever only they needed (python-dateutil, six):
  the python3.12 Lambda runtime provides that stack in /var/runtime, and aws-xray-sdk's
  botocore requirement alone would otherwise add ~30 MB.
* ``dist/gcp``: main.py and its modules + citybrief/ + requirements.txt, a lock written
  from gcp_functions/requirements.txt (third-party requirements only, checked): every
  distribution the functions need, ``name==version --hash=sha256:...``, resolved by pip
  for the python312 runtime (CPython 3.12, manylinux_2_35 x86_64: Ubuntu 22.04) under
  constraints that hold each one to the version installed in the building environment,
  i.e. the one the test suite ran against. Cloud Build installs it in pip's
  hash-checking mode (``gcloud functions deploy --source=dist/gcp``), so the deploy
  ships what was tested rather than whatever the ranges resolve to that day.
* ``dist/azure`` + ``dist/azure.zip``: function_app.py and its modules + host.json +
  requirements.txt + citybrief/ + .python_packages/lib/site-packages (same wheels as
  AWS: Flex Consumption runs Linux x86_64 Python 3.12), for a zip deploy with remote build OFF. With
  ``--azure-remote-build`` the site-packages are left out and the platform's build
  installs requirements.txt instead (deploy with ``BUILD_REMOTE=true``).

Every installed tree is pruned of what nothing imports at run time: __pycache__/ and
*.pyc, console scripts (bin/), type-stub-only packages (*-stubs), a package's own
test/ or tests/ directory when no module of it imports that, and the installer-only
files of each .dist-info (RECORD, INSTALLER, REQUESTED, direct_url.json). METADATA,
entry_points.txt, top_level.txt and the licence files stay: importlib.metadata reads the
first ones and the licences must travel with the redistributed code.

The zips are deterministic: sorted entries, a fixed timestamp (SOURCE_DATE_EPOCH when
set, else 1980-01-01) and normalised permissions, so identical trees give identical bytes.
Sizes are printed as a table and written to dist/sizes.json; the AWS budget (zip <= 15 MB,
unzipped <= 60 MB, decimal MB) is enforced.

Usage: python scripts/package.py [aws|gcp|azure ...] [--azure-remote-build] [--dist DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "shared" / "citybrief"
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".mypy_cache")

TARGET_PLATFORM = "manylinux2014_x86_64"  # Architectures: x86_64 (template.yaml, Flex)
# Cloud Functions' python312 runtime: Ubuntu 22.04 (glibc 2.35) on x86_64. Its pip
# accepts manylinux_2_35 down to manylinux_2_5 (each legacy alias right after its
# manylinux_2_x twin) and prefers them in that order; the lock resolves with the same
# platforms in the same order so that it hashes the very files the runtime's pip picks.
LEGACY_MANYLINUX = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
GCP_PLATFORMS = tuple(
    tag
    for minor in range(35, 4, -1)
    for tag in (f"manylinux_2_{minor}_x86_64", f"{LEGACY_MANYLINUX.get(minor)}_x86_64")
    if not tag.startswith("None")
)
TARGET_PYTHON = "3.12"  # Runtime: python3.12 / functionAppConfig.runtime 3.12
# Markers of the target interpreter, to walk Requires-Dist as pip resolved it.
TARGET_ENV: dict[str, str] = {
    **{key: str(value) for key, value in default_environment().items()},
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "python_version": TARGET_PYTHON,
    "python_full_version": f"{TARGET_PYTHON}.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
}
# Provided by the python3.12 Lambda runtime (/var/runtime): never shipped.
LAMBDA_RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer"})
# Declared by a dependency but never imported by citybrief: textblob requires nltk, yet
# citybrief loads TextBlob's scorer without the package __init__ that imports it (the
# artifact tests prove a brief works without these). Never shipped either.
NEVER_IMPORTED = frozenset({"nltk"})
AZURE_SITE_PACKAGES = Path(".python_packages") / "lib" / "site-packages"
DIST_INFO_INSTALLER_FILES = ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")
MB = 1_000_000
# artifact -> (zipped, unzipped) limits in bytes
BUDGETS = {"aws": (15 * MB, 60 * MB)}
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Size:
    """One artifact's footprint, as reported in the table and dist/sizes.json."""

    path: str
    zip: str | None
    files: int
    unzipped_bytes: int
    zipped_bytes: int


# -- small helpers ------------------------------------------------------------------------


def _shown(path: Path) -> str:
    """``path`` relative to the repository when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def fresh(target: Path) -> Path:
    """An empty directory at ``target``."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    return target


def copy_core(target: Path) -> None:
    """The citybrief package, without caches."""
    shutil.copytree(CORE, target / "citybrief", ignore=IGNORE)


def copy_adapter(source: Path, target: Path, names: list[str]) -> None:
    """Every Python module of an adapter folder, plus ``names`` (the entry module and
    any data file), each required: a missing one stops the build."""
    modules = sorted(path.name for path in source.glob("*.py"))
    copy_files(source, target, sorted(set(modules) | set(names)))


def copy_files(source: Path, target: Path, names: list[str]) -> None:
    """Copy required files; a missing one stops the build."""
    for name in names:
        path = source / name
        if not path.is_file():
            sys.exit(f"package: {_shown(path)} is missing")
        shutil.copy2(path, target / name)


def third_party_requirements(path: Path) -> list[Requirement]:
    """Parse a requirements file that must name only index packages (no -e, paths, core)."""
    found: list[Requirement] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        where = f"{_shown(path)}:{number}"
        if line.startswith("-"):
            sys.exit(f"package: {where}: options ({line.split()[0]}) are not allowed here")
        try:
            requirement = Requirement(line)
        except InvalidRequirement as exc:
            sys.exit(f"package: {where}: not a plain requirement ({exc})")
        if requirement.url:
            sys.exit(f"package: {where}: direct references ({requirement.url}) not allowed")
        if canonicalize_name(requirement.name) == "citybrief":
            sys.exit(f"package: {where}: the core is copied in, it must not be a requirement")
        found.append(requirement)
    return found


def pip_for_target(requirements: Path, platforms: Iterable[str], *options: str) -> list[str]:
    """The pip command that installs ``requirements`` as wheels for CPython TARGET_PYTHON
    on ``platforms`` (preferred in that order), with ``options`` saying how and where."""
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        *options,
        *(f"--platform={platform}" for platform in platforms),
        "--implementation=cp",
        f"--python-version={TARGET_PYTHON}",
        "--only-binary=:all:",
        "--requirement",
        str(requirements),
    ]


def pip_install(requirements: Path, target: Path) -> None:
    """Install ``requirements`` into ``target`` as Linux x86_64 / CPython 3.12 wheels."""
    third_party_requirements(requirements)
    command = pip_for_target(
        requirements, [TARGET_PLATFORM], "--no-compile", "--target", str(target)
    )
    subprocess.run(command, check=True)


def installed_versions() -> dict[str, str]:
    """Canonical name -> version of every distribution in the running environment."""
    return {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if dist.metadata["Name"]
    }


def lock(requirements: Path, platforms: Iterable[str], pins: dict[str, str]) -> str:
    """A hash-pinned requirements file: what pip resolves for the target, held to ``pins``.

    ``pip install --dry-run --report`` resolves ``requirements`` for CPython
    TARGET_PYTHON on ``platforms`` (wheels only, preferred in that order) without
    installing anything; every distribution it would install comes out as
    ``name==version --hash=sha256:<file>``.
    """
    platforms = list(platforms)
    third_party_requirements(requirements)
    with tempfile.TemporaryDirectory() as scratch:
        constraints = Path(scratch) / "constraints.txt"
        constraints.write_text(
            "".join(f"{name}=={version}\n" for name, version in sorted(pins.items())),
            encoding="utf-8",
        )
        report = Path(scratch) / "report.json"
        command = pip_for_target(
            requirements,
            platforms,
            "--dry-run",
            "--ignore-installed",
            "--report",
            str(report),
            "--constraint",
            str(constraints),
        )
        subprocess.run(command, check=True)
        resolved = json.loads(report.read_text(encoding="utf-8"))["install"]
    lines = [
        f"# Generated by scripts/package.py from {_shown(requirements)}: every distribution",
        f"# pinned to the version installed where it was built, for CPython {TARGET_PYTHON}"
        f" on {platforms[0]},",
        "# with the sha256 of the file pip chose. pip installs it in hash-checking mode.",
    ]
    for item in sorted(resolved, key=lambda entry: canonicalize_name(entry["metadata"]["name"])):
        name = canonicalize_name(item["metadata"]["name"])
        digest = item.get("download_info", {}).get("archive_info", {}).get("hashes", {})
        if "sha256" not in digest:
            sys.exit(f"package: lock: no sha256 for {name} in pip's report")
        lines.append(f"{name}=={item['metadata']['version']} \\")
        lines.append(f"    --hash=sha256:{digest['sha256']}")
    return "\n".join(lines) + "\n"


# -- distributions in an installed tree ---------------------------------------------------


def _dist_infos(site: Path) -> dict[str, Path]:
    """Canonical distribution name -> its .dist-info directory."""
    infos: dict[str, Path] = {}
    for info in site.glob("*.dist-info"):
        name = _metadata_field(info, "Name")
        if name:
            infos[canonicalize_name(name)] = info
    return infos


def _metadata_field(info: Path, field: str) -> str | None:
    for line in (info / "METADATA").read_text(encoding="utf-8").splitlines():
        if not line:  # end of the headers
            break
        key, _, value = line.partition(":")
        if key == field:
            return value.strip()
    return None


def _requires(info: Path, extras: Iterable[str]) -> Iterator[Requirement]:
    """The distribution's Requires-Dist entries that apply to the target with ``extras``."""
    wanted = ["", *sorted(extras)]
    for line in (info / "METADATA").read_text(encoding="utf-8").splitlines():
        if not line:
            break
        if not line.startswith("Requires-Dist:"):
            continue
        requirement = Requirement(line.partition(":")[2].strip())
        marker = requirement.marker
        if marker is None or any(marker.evaluate({**TARGET_ENV, "extra": e}) for e in wanted):
            yield requirement


def needed_distributions(
    site: Path, roots: Iterable[Requirement], provided: frozenset[str]
) -> set[str]:
    """Distributions reachable from ``roots`` without passing through ``provided`` ones."""
    infos = _dist_infos(site)
    needed: set[str] = set()
    extras_seen: dict[str, set[str]] = {}
    queue = list(roots)
    while queue:
        requirement = queue.pop()
        name = canonicalize_name(requirement.name)
        if name in provided or name not in infos:
            continue
        extras = extras_seen.setdefault(name, set())
        if name in needed and set(requirement.extras) <= extras:
            continue
        needed.add(name)
        extras |= set(requirement.extras)
        queue.extend(_requires(infos[name], extras))
    return needed


def remove_distribution(site: Path, info: Path) -> None:
    """Delete every file a distribution's RECORD lists (inside ``site`` only)."""
    root = site.resolve()
    with (info / "RECORD").open(encoding="utf-8", newline="") as record:
        rows = list(csv.reader(record))
    parents: set[Path] = set()
    for row in rows:
        path = (root / row[0]).resolve() if row and row[0] else root
        if path != root and path.is_relative_to(root) and path.is_file():
            path.unlink()
            parents.update(p for p in path.parents if p != root and p.is_relative_to(root))
    shutil.rmtree(info, ignore_errors=True)
    for directory in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()


def drop_distributions(site: Path, requirements: Path, dropped: frozenset[str]) -> list[str]:
    """Remove ``dropped`` distributions and what only they needed; names removed."""
    needed = needed_distributions(site, third_party_requirements(requirements), dropped)
    removed = []
    for name, info in sorted(_dist_infos(site).items()):
        if name not in needed:
            remove_distribution(site, info)
            removed.append(name)
    return removed


# -- pruning ------------------------------------------------------------------------------


def _imports_own_tests(package: Path, test_dir: Path) -> bool:
    """Does any module of ``package`` outside ``test_dir`` import it? (doctests don't count)."""
    dotted = re.escape(f"{package.name}.{test_dir.name}")
    pattern = re.compile(
        rf"^\s*(?:from\s+(?:{dotted}|\.{test_dir.name})\b|import\s+{dotted}\b"
        rf"|from\s+\.\s+import\s+{test_dir.name}\b)",
        re.MULTILINE,
    )
    for module in package.rglob("*.py"):
        if test_dir in module.parents:
            continue
        if pattern.search(module.read_text(encoding="utf-8", errors="replace")):
            return True
    return False


def prune(site: Path) -> None:
    """Remove what nothing imports at run time from an installed tree (see module doc)."""
    for cache in list(site.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
    for pattern in ("*.pyc", "*.pyo"):
        for compiled in site.rglob(pattern):
            compiled.unlink()
    shutil.rmtree(site / "bin", ignore_errors=True)
    for stubs in site.glob("*-stubs"):
        shutil.rmtree(stubs)
    for package in site.iterdir():
        if not (package / "__init__.py").is_file():
            continue
        for name in ("test", "tests"):
            test_dir = package / name
            if test_dir.is_dir() and not _imports_own_tests(package, test_dir):
                shutil.rmtree(test_dir)
    for info in site.glob("*.dist-info"):
        for name in DIST_INFO_INSTALLER_FILES:
            (info / name).unlink(missing_ok=True)


# -- zips and sizes -----------------------------------------------------------------------


def _zip_epoch() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    stamp = time.gmtime(max(int(epoch), 315532800))  # zip cannot store dates before 1980
    return (stamp.tm_year, stamp.tm_mon, stamp.tm_mday, stamp.tm_hour, stamp.tm_min, 0)


def _files(tree: Path) -> list[Path]:
    return sorted(
        (p for p in tree.rglob("*") if p.is_file()), key=lambda p: p.relative_to(tree).as_posix()
    )


def write_zip(tree: Path, out: io.BufferedIOBase | Path) -> None:
    """Zip the contents of ``tree`` (its files at the zip root), deterministically."""
    date_time = _zip_epoch()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in _files(tree):
            info = zipfile.ZipInfo(path.relative_to(tree).as_posix(), date_time)
            mode = 0o755 if path.stat().st_mode & 0o111 else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.create_system = 3  # Unix, so the permissions above are honoured
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=6)


def make_zip(tree: Path) -> Path:
    """``<tree>.zip`` next to the directory, written atomically."""
    target = tree.with_suffix(".zip")
    partial = target.with_suffix(".zip.partial")
    write_zip(tree, partial)
    partial.replace(target)
    return target


def measure(tree: Path, archive: Path | None) -> Size:
    """Files, unzipped bytes and zipped bytes (of ``archive``, else of an in-memory zip)."""
    files = _files(tree)
    if archive is not None:
        zipped = archive.stat().st_size
    else:
        buffer = io.BytesIO()
        write_zip(tree, buffer)
        zipped = buffer.tell()
    return Size(
        path=tree.as_posix(),
        zip=archive.as_posix() if archive else None,
        files=len(files),
        unzipped_bytes=sum(p.stat().st_size for p in files),
        zipped_bytes=zipped,
    )


# -- the three artifacts ------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """Command-line switches the builders read."""

    dist: Path
    azure_remote_build: bool = False


def package_aws(options: Options) -> tuple[Path, Path | None]:
    """dist/aws and dist/aws.zip."""
    target = fresh(options.dist / "aws")
    requirements = ROOT / "aws_lambda" / "requirements.txt"
    pip_install(requirements, target)
    removed = drop_distributions(target, requirements, LAMBDA_RUNTIME_PROVIDED | NEVER_IMPORTED)
    print(f"package: aws: not shipped (runtime's or never imported): {', '.join(removed)}")
    prune(target)
    copy_adapter(ROOT / "aws_lambda", target, ["handler.py", "batch_task.py"])
    copy_core(target)
    return target, make_zip(target)


def package_gcp(options: Options) -> tuple[Path, Path | None]:
    """dist/gcp (a source directory; gcloud zips and uploads it)."""
    target = fresh(options.dist / "gcp")
    requirements = ROOT / "gcp_functions" / "requirements.txt"
    copy_adapter(ROOT / "gcp_functions", target, ["main.py"])
    (target / "requirements.txt").write_text(
        lock(requirements, GCP_PLATFORMS, installed_versions()), encoding="utf-8"
    )
    ignore = ROOT / "gcp_functions" / ".gcloudignore"
    if ignore.is_file():  # gcloud reads it from the --source directory
        shutil.copy2(ignore, target / ".gcloudignore")
    copy_core(target)
    return target, None


def package_azure(options: Options) -> tuple[Path, Path | None]:
    """dist/azure (+ .python_packages unless remote build) and dist/azure.zip."""
    target = fresh(options.dist / "azure")
    requirements = ROOT / "azure_functions" / "requirements.txt"
    third_party_requirements(requirements)
    copy_adapter(ROOT / "azure_functions", target, ["function_app.py", "host.json"])
    shutil.copy2(requirements, target / "requirements.txt")
    copy_core(target)
    if not options.azure_remote_build:
        site = target / AZURE_SITE_PACKAGES
        site.mkdir(parents=True)
        pip_install(requirements, site)
        removed = drop_distributions(site, requirements, NEVER_IMPORTED)
        print(f"package: azure: not shipped (never imported): {', '.join(removed)}")
        prune(site)
    return target, make_zip(target)


BUILDERS: dict[str, Callable[[Options], tuple[Path, Path | None]]] = {
    "aws": package_aws,
    "gcp": package_gcp,
    "azure": package_azure,
}


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"


def report(sizes: dict[str, Size]) -> list[str]:
    """Print the size table; return budget violations."""
    rows = [("artifact", "files", "unzipped MB", "zipped MB", "budget zip/unzipped MB")]
    problems = []
    for name, size in sizes.items():
        budget = BUDGETS.get(name)
        rows.append(
            (
                name,
                str(size.files),
                _mb(size.unzipped_bytes),
                _mb(size.zipped_bytes),
                f"{_mb(budget[0])}/{_mb(budget[1])}" if budget else "-",
            )
        )
        if budget and (size.zipped_bytes > budget[0] or size.unzipped_bytes > budget[1]):
            problems.append(f"{name} is over budget: {rows[-1]}")
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    """Build the requested artifacts, print and record their sizes."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("targets", nargs="*", metavar="{aws,gcp,azure}")
    parser.add_argument(
        "--azure-remote-build",
        action="store_true",
        help="leave .python_packages out of dist/azure: the platform installs "
        "requirements.txt (deploy with BUILD_REMOTE=true)",
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output directory")
    args = parser.parse_args(argv)
    unknown = set(args.targets) - set(BUILDERS)
    if unknown:
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    options = Options(dist=args.dist.resolve(), azure_remote_build=args.azure_remote_build)
    options.dist.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, Size] = {}
    for name in args.targets or list(BUILDERS):
        started = time.monotonic()
        tree, archive = BUILDERS[name](options)
        sizes[name] = measure(tree, archive)
        print(f"package: {name}: {tree} built in {time.monotonic() - started:.1f} s")
    (options.dist / "sizes.json").write_text(
        json.dumps({name: asdict(size) for name, size in sizes.items()}, indent=2) + "\n",
        encoding="utf-8",
    )
    problems = report(sizes)
    for problem in problems:
        print(f"package: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
